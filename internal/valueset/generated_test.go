package valueset

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/goformat"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite generated/valuesets and the golden files")

// TestGeneratedUpToDate regenerates generated/valuesets from the kit in
// memory and compares it with the committed files (go test -update
// rewrites them).
func TestGeneratedUpToDate(t *testing.T) {
	kit := testenv.Kit(t)
	out, errs := Generate(kit, nil, "valuesets", "")
	if errs != nil {
		t.Fatalf("Generate:\n%v", errs)
	}
	dir := filepath.Join(testenv.RepoRoot(), "generated", "valuesets")
	if *update {
		writeGenerated(t, dir, out)
	}
	problems := CompareGenerated(dir, out)
	if len(problems) > 0 {
		t.Fatalf("generated/valuesets is stale (run go test ./internal/valueset -update):\n%s", strings.Join(problems, "\n"))
	}
}

func writeGenerated(t *testing.T, dir string, out map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if b, err := os.ReadFile(p); err == nil && bytes.HasPrefix(b, []byte(Header)) && out[e.Name()] == nil {
			os.Remove(p)
		}
	}
	names := make([]string, 0, len(out))
	for n := range out {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), out[n], 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLayoutOfKitValueSets: goformat's layout alone formats every file
// printed from the kit's value sets exactly as go/format does (Emit never
// needs go/format's fallback for them).
func TestLayoutOfKitValueSets(t *testing.T) {
	kit := testenv.Kit(t)
	files, err := DefaultFiles(kit)
	if err != nil {
		t.Fatal(err)
	}
	paths := make([]string, len(files))
	for i, f := range files {
		if paths[i] = f; !filepath.IsAbs(f) {
			paths[i] = filepath.Join(kit, f)
		}
	}
	sets, err := Load(paths)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := emitRaw(sets, "valuesets", EmitOptions{Root: kit, Sources: paths})
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range raw {
		if err := goformat.Check(src); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	t.Logf("%d files laid out as go/format does", len(raw))
}
