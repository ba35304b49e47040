package gen

import (
	"bytes"
	"go/format"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/goformat"
	"github.com/dmpgen/dmpgen/internal/load"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

// TestLayoutKit checks the fast path against go/format on every file
// generated from the sample and from the kit (all targets of the
// repository's dmpgen.yaml): same bytes, and no fallback.
func TestLayoutKit(t *testing.T) {
	root := testenv.RepoRoot()
	t.Run("sample", func(t *testing.T) {
		layoutConfig(t, filepath.Join(root, "examples", "sample", "dmpgen.yaml"), "")
	})
	t.Run("kit", func(t *testing.T) {
		layoutConfig(t, filepath.Join(root, "dmpgen.yaml"), testenv.Kit(t))
	})
}

func layoutConfig(t *testing.T, path, kit string) {
	files, lines := 0, 0
	for name, src := range rawOutput(t, path, kit) {
		checkLayout(t, name, src)
		files++
		lines += bytes.Count(src, []byte{'\n'})
	}
	t.Logf("%d files (%d raw lines) laid out as go/format does", files, lines)
}

// rawOutput is the unformatted output of every target of a configuration,
// keyed by target/path; kit "" means the config's own kit.
func rawOutput(tb testing.TB, path, kit string) map[string][]byte {
	cfg, err := config.Load(path)
	if err != nil {
		tb.Fatal(err)
	}
	if kit == "" {
		kit = filepath.Join(filepath.Dir(path), cfg.Kit)
	}
	out := map[string][]byte{}
	for _, target := range cfg.Targets {
		res, errs := load.Target(load.Input{Kit: kit, Catalogs: load.Catalogs(cfg, kit), Target: target})
		if len(errs) > 0 {
			tb.Fatal(errs)
		}
		raw, err := program(res.Program, "", func(raw []byte, _ string) ([]byte, error) { return raw, nil }, nil)
		if err != nil {
			tb.Fatal(err)
		}
		for name, src := range raw {
			out[target.Name+"/"+name] = src
		}
	}
	return out
}

func checkLayout(t *testing.T, name string, raw []byte) {
	t.Helper()
	if err := goformat.Check(raw); err != nil {
		t.Errorf("%s: %v", name, err)
	}
}

// FuzzLayoutDocComment feeds schema documentation, the part of the output
// that comes from the user's files, through comment() and the layout: the
// result must be go/format's, for a type's and for a field's doc comment.
func FuzzLayoutDocComment(f *testing.F) {
	for _, s := range []string{
		"A plain sentence.",
		"List:\n - one\n - two\n\n1. first\n2) second",
		"  indented\n\tcode\nback",
		"# Heading\n\nText with https://example.org/x_y.",
		"Trailing spaces   \r\nand CRLF\r\n",
		"//not a directive\n/* star */ `quote` \"q\"",
		"Unicode: é à ü ✓",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if !utf8.ValidString(doc) || strings.ContainsAny(doc, "\x00\v\f") {
			return // not XML character data
		}
		c := comment("", doc)
		if c == "" {
			return
		}
		raw := "package p\n\n" + c + "\ntype T struct {\n" + c + "\nA int // a\nBB string\n}\n"
		if _, err := format.Source([]byte(raw)); err != nil {
			t.Fatalf("comment() broke the source: %v\n%s", err, raw)
		}
		checkLayout(t, "doc", []byte(raw))
	})
}
