package valueset

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dmpgen/dmpgen/internal/diag"
)

// FuzzLoad feeds arbitrary bytes to Load as one file: it must not panic,
// and every error must be positioned inside the file.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{synthSVS, synthFHIR, synthCodeSystem, "{", "<", "", `{"resourceType":"ValueSet","compose":{"include":[{}]}}`,
		`<RetrieveValueSetResponse xmlns="urn:ihe:iti:svs:2008"><ValueSet id="1.2"><ConceptList><Concept code="a" codeSystem="1.2"/></ConceptList></ValueSet></RetrieveValueSetResponse>`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "in")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		sets, err := Load([]string{p})
		if err == nil {
			if _, err := Emit(sets, "fuzz", EmitOptions{}); err != nil {
				t.Fatalf("Load accepted input that Emit rejects: %v", err)
			}
			return
		}
		l, ok := err.(diag.List)
		if !ok || len(l) == 0 {
			t.Fatalf("error %T %v is not a non-empty diag.List", err, err)
		}
		lines := newLines(p, data)
		last := lines.pos(len(data))
		for _, e := range l {
			if e.Pos.File != p || e.Pos.Line < 1 || e.Pos.Line > last.Line {
				t.Fatalf("error outside the file: %v", e)
			}
		}
	})
}

// FuzzParseJSON checks the position-tracking JSON reader against encoding/json's verdict.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{synthFHIR, `[1, "a", null, true, {"k": [ ]}]`, `{"a":1,"a":2}`, `{`, `"x"`, ` 1 2`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := parseJSON(data)
		if err != nil {
			je, ok := err.(*jsonError)
			if !ok || je.off < 0 || je.off > len(data) {
				t.Fatalf("error %v at a bad offset", err)
			}
			return
		}
		if n == nil || n.off < 0 || n.off >= len(data) {
			t.Fatalf("root offset %v", n)
		}
	})
}
