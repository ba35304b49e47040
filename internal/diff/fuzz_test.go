package diff

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

// memInput loads one schema document from memory.
func memInput(data []byte) Input {
	const file = "/fuzz/schema.xsd"
	return Input{Kit: "/fuzz", Target: &config.Target{Name: "t", Module: "example.com/gen", Inputs: []string{file}},
		ReadFile: func(p string) ([]byte, error) {
			if p == file {
				return data, nil
			}
			return nil, os.ErrNotExist
		}}
}

// FuzzCompare loads arbitrary schemas (seeded with the constructed cases)
// and checks that modelling never fails, that a schema compared with
// itself reports nothing, and that comparing it with a fixed schema both
// ways reports the same facts.
func FuzzCompare(f *testing.F) {
	root := filepath.Join(testenv.RepoRoot(), "testdata", "diff")
	seeds, _ := filepath.Glob(filepath.Join(root, "*", "*", "*.xsd"))
	if len(seeds) < 4 {
		f.Fatalf("only %d seed schemas", len(seeds))
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	baseData, err := os.ReadFile(filepath.Join(root, "structure", "old", "doc.xsd"))
	if err != nil {
		f.Fatal(err)
	}
	base, errs := Load(memInput(baseData))
	if len(errs) > 0 {
		f.Fatal(errs)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, errs := Load(memInput(data))
		if len(errs) > 0 {
			return // not a schema dmpgen generates: the loader said why
		}
		again, _ := Load(memInput(data))
		if cs := Compare("t", m, again); len(cs) > 0 {
			t.Fatalf("a schema differs from itself: %s %s", cs[0].Path, cs[0].What())
		}
		if a, b := summarize(Compare("t", base, m), false), summarize(Compare("t", m, base), true); a != b {
			t.Fatalf("forward and backward differ:\n%s\n---\n%s", a, b)
		}
	})
}
