package vet

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// writeRecording writes a recording of two TD3.1 exchanges, the second
// answered with an XDS Failure, as dmpgen-testdmp -record lays it out.
func writeRecording(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	req := requestEnvelope(t, nil)
	ok := readTestdata(t, "td31-response.http")
	failed := strings.Replace(ok, "ResponseStatusType:Success", "ResponseStatusType:Failure", 1)
	files := map[string]string{
		"0001-TD3.1-request.http": req, "0001-TD3.1-response.http": ok,
		"0002-TD3.1-request.http": req, "0002-TD3.1-response.http": failed,
		RecordIndex: `{"seq":1,"start":"2026-11-24T09:00:00Z","td":"TD3.1","transaction":"Recherche de documents (ITI-18)","action":"urn:ihe:iti:2007:RegistryStoredQuery","messageID":"urn:uuid:1","status":200,"request":"0001-TD3.1-request.http","response":"0001-TD3.1-response.http"}
{"seq":2,"start":"2026-11-24T09:00:01Z","td":"TD3.1","transaction":"Recherche de documents (ITI-18)","action":"urn:ihe:iti:2007:RegistryStoredQuery","messageID":"urn:uuid:2","status":200,"request":"0002-TD3.1-request.http","response":"0002-TD3.1-response.http","responseTruncated":true}
`,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRecording: the evidence pack pairs the frames, lists the Failure as
// a refusal, TD3.1 as covered and the other TDs as missing, and its JSON
// matches vet/schema.json, which refuses an unknown outcome.
func TestRecording(t *testing.T) {
	dir := writeRecording(t)
	r, err := Recording(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ev := r.Evidence
	if len(r.Exchanges) != 4 || len(ev.Exchanges) != 2 {
		t.Fatalf("%d captures, %d exchanges", len(r.Exchanges), len(ev.Exchanges))
	}
	if e := ev.Exchanges[0]; e.Outcome != "success" || e.TD != "TD3.1" || e.Truncated || filepath.Base(e.Response) != "0001-TD3.1-response.http" {
		t.Errorf("exchange 1: %+v", e)
	}
	if len(ev.Refusals) != 1 || ev.Refusals[0].Seq != 2 || ev.Refusals[0].Outcome != "Failure" || !ev.Refusals[0].Truncated {
		t.Errorf("refusals: %+v", ev.Refusals)
	}
	if len(ev.Covered) != 1 || ev.Covered[0] != (Coverage{TD: "TD3.1", Transaction: "Recherche de documents", Exchanges: 2, Refusals: 1}) {
		t.Errorf("covered: %+v", ev.Covered)
	}
	missing := strings.Join(ev.Missing, " ")
	if strings.Contains(missing, "TD3.1") || !strings.Contains(missing, "TD2.1") || !strings.Contains(missing, "TD0.2") {
		t.Errorf("missing: %s", missing)
	}
	var text bytes.Buffer
	if err := Write(&text, r, "text"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Transactions covered:\n  TD3.1", "0002 TD3.1: Failure", "Missing for a complete run: TD0.2"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text evidence pack lacks %q:\n%s", want, text.String())
		}
	}

	var buf bytes.Buffer
	if err := Write(&buf, r, "json"); err != nil {
		t.Fatal(err)
	}
	schemaData, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaData))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, json string
		valid      bool
	}{
		{"report", buf.String(), true},
		{"unknown outcome", strings.Replace(buf.String(), `"outcome": "Failure"`, `"outcome": "refused"`, 1), false},
		{"missing not a TD", strings.Replace(buf.String(), `"TD0.2"`, `"0.2"`, 1), false},
	} {
		if tt.json == buf.String() && !tt.valid {
			t.Fatalf("%s: the edit did not apply", tt.name)
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(tt.json))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); (err == nil) != tt.valid {
			t.Errorf("%s: valid %v, want %v: %v", tt.name, err == nil, tt.valid, err)
		}
	}
}

// TestRecordingErrors: a directory without an index, a broken index line
// and a file name leaving the directory are errors saying where.
func TestRecordingErrors(t *testing.T) {
	if _, err := Recording(t.TempDir(), Options{}); err == nil || !strings.Contains(err.Error(), "not a recording") {
		t.Errorf("no index: %v", err)
	}
	for _, tt := range []struct{ index, want string }{
		{"\n{broken\n", "index.jsonl:2"},
		{"{\"seq\":1}\n", "index.jsonl:1: file name \"\""},
		{`{"seq":1,"request":"../x","response":"y"}` + "\n", "not a file of the recording"},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, RecordIndex), []byte(tt.index), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Recording(dir, Options{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %q", tt.index, err, tt.want)
		}
	}
}

// TestHTMLEvidence: the HTML report of a recording is XHTML with the
// evidence sections, one row per exchange and transaction covered, one
// item per refusal and per missing TD.
func TestHTMLEvidence(t *testing.T) {
	r, err := Recording(writeRecording(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r, "html"); err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(&buf)
	ids, classes := map[string]bool{}, map[string]int{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the HTML evidence pack is not well-formed XHTML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "id":
					ids[a.Value] = true
				case "class":
					classes[a.Value]++
				}
			}
		}
	}
	for _, id := range []string{"evidence", "exchanges", "coverage", "refusals", "missing"} {
		if !ids[id] {
			t.Errorf("no section %q", id)
		}
	}
	ev := r.Evidence
	want := map[string]int{"recorded": len(ev.Exchanges), "covered": len(ev.Covered), "refusal": len(ev.Refusals), "missing": len(ev.Missing), "exchange": len(r.Exchanges)}
	for class, n := range want {
		if classes[class] != n {
			t.Errorf("%d elements of class %q, want %d", classes[class], class, n)
		}
	}
}
