package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun: the command writes the HTML evidence pack to -o, each step's
// verdict to stderr, and exits 1 exactly when the summary says FAIL;
// usage errors exit 2.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "evidence.html")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-dir", filepath.Join(dir, "rec"), "-format", "html", "-o", out}, &stdout, &stderr)
	html, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(html, []byte(`<section id="flow">`)) || stdout.Len() != 0 {
		t.Errorf("-o %s holds no evidence pack, or stdout was written", out)
	}
	s := stderr.String()
	for _, want := range []string{"Rehearsal recorded in " + filepath.Join(dir, "rec"), "PASS TD2.1    publication signed with XAdES [0011]",
		"(refused: XDSDocumentUniqueIdError)"} {
		if !strings.Contains(s, want) {
			t.Errorf("stderr lacks %q:\n%s", want, s)
		}
	}
	if failed := strings.Contains(s, "\nFAIL: "); failed != (code == 1) || !failed && code != 0 {
		t.Errorf("exit %d with summary:\n%s", code, s)
	}

	for _, args := range [][]string{{"-format", "pdf"}, {"extra"}} {
		stderr.Reset()
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, stderr.String())
		}
	}
}
