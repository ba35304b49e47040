package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExitStatus(t *testing.T) {
	dir := t.TempDir()
	clean := filepath.Join("..", "..", "testdata", "vet", "captures", "td33-response.xml")
	data, err := os.ReadFile(clean)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.xml")
	if err := os.WriteFile(bad, bytes.Replace(data, []byte("<wsa:Action>urn:ihe:iti:2010:UpdateDocumentSet-Response</wsa:Action>"), nil, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "report.json")
	rec := filepath.Join(dir, "rec")
	if err := os.Mkdir(rec, 0o700); err != nil {
		t.Fatal(err)
	}
	resp, err := os.ReadFile(filepath.Join("..", "..", "testdata", "vet", "captures", "td31-response.http"))
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"0001-TD3.3c-request.http": data, "0001-TD3.3c-response.http": resp,
		"index.jsonl": []byte(`{"seq":1,"td":"TD3.3c","request":"0001-TD3.3c-request.http","response":"0001-TD3.3c-response.http","status":200}` + "\n")} {
		if err := os.WriteFile(filepath.Join(rec, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		out  string // substring of stdout, or of stderr for usage errors
	}{
		{"clean", []string{clean}, 0, "1 exchanges: 0 errors"},
		{"directory", []string{filepath.Join("..", "..", "testdata", "vet", "captures")}, 0, "TD3.2 response"},
		{"errors", []string{bad}, 1, "wsa.action-missing"},
		{"json to a file", []string{"-format", "json", "-o", report, bad}, 1, ""},
		{"no capture", nil, 2, "usage: dmpgen-vet"},
		{"unknown format", []string{"-format", "yaml", clean}, 2, `unknown -format "yaml"`},
		{"missing path", []string{filepath.Join(dir, "nothing")}, 2, "no such file"},
		{"bad time", []string{"-at", "yesterday", clean}, 2, "-at"},
		{"report", []string{"-report", rec}, 0, "Missing for a complete run: TD0.2"},
		{"report and paths", []string{"-report", rec, clean}, 2, "-report takes the recording directory alone"},
		{"report of no recording", []string{"-report", dir}, 2, "not a recording"},
		{"bad trust", []string{"-trust", clean, clean}, 2, "no PEM certificate"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, stderr.String())
			}
			got := stdout.String()
			if tt.code == 2 {
				got = stderr.String()
			}
			if !strings.Contains(got, tt.out) {
				t.Errorf("output lacks %q:\n%s", tt.out, got)
			}
		})
	}
	var r struct {
		Summary struct{ Errors int }
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &r); err != nil || r.Summary.Errors != 1 {
		t.Errorf("-o report: %v, %d errors", err, r.Summary.Errors)
	}
}
