package goformat

import (
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

// scanned returns go/scanner's tokens of src (no comments) and whether it
// reported an error.
func scannedShapes(src []byte) ([]shape, bool) {
	var s scanner.Scanner
	bad := false
	s.Init(token.NewFileSet().AddFile("", -1, len(src)), src, func(token.Position, string) { bad = true }, 0)
	var out []shape
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return out, !bad
		}
		out = append(out, shape{tok: tok, auto: tok == token.SEMICOLON && lit == "\n"})
	}
}

// agree fails when kinds accepts src and go/scanner does not, or returns
// other tokens.
func agree(t *testing.T, name string, src []byte) bool {
	t.Helper()
	got, ok := kinds(src, nil, newOperators())
	if !ok {
		return false
	}
	want, wok := scannedShapes(src)
	if !wok {
		t.Fatalf("%s: kinds accepts what go/scanner refuses: %q", name, src)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: kinds %v, go/scanner %v", name, got, want)
	}
	return true
}

func TestKinds(t *testing.T) {
	for _, src := range []string{
		"package p\nfunc f() { return }\n",
		"package p; var x = a &^= b <<= c >>= d ... e <- f ++ g -- h // c\n",
		"x := \"a\\tb\\u00e9\\U0001F600\\x41\" + `raw\nline` // é\ny",
		"return\n}\n)\n]\nbreak\ncontinue\nfallthrough\nx++\ny--\n0\n123",
		"a.b[c](d){e}, f; g: h ~ i | j || k & l && m ^ n % o * p / q != r == s <= t >= u < v > w ! x - y + z",
		"x // no newline at the end",
		"x := 0.0 + 1.5 + 00.5 + 2.5e10 + 3.0E-3 + 0",
	} {
		if !agree(t, "case", []byte(src)) {
			t.Errorf("kinds refused %q", src)
		}
	}
	for _, src := range []string{
		"x := 'a'", "x := 1.", "x := 1e5", "x := 1.5e", "x := 1.5i", "x := .5", "x := 0x1F", "x := 0755", "x := 1_000", "x := 2i",
		"/* c */", "x := \"\\q\"", "x := \"\\'\"", "x := \"\\400\"", "x := \"\\uD800\"", "x := \"a\nb\"",
		"x := \"\x00\"", "x := \"\xff\"", "// \xef\xbb\xbf bom", "\xef\xbb\xbfpackage p", "x := `unterminated", "é := 1",
		"x\f", "x := \"unterminated",
	} {
		if agree(t, "refused", []byte(src)) {
			t.Errorf("kinds accepted %q, which it leaves to go/scanner", src)
		}
	}
}

// TestKindsGenerated: on the committed generated code (Layout's output for
// the kit and the sample), kinds takes the fast path on every file and
// agrees with go/scanner, and the Verifier accepts every file by its
// shapes, without parsing it whole.
func TestKindsGenerated(t *testing.T) {
	root := testenv.RepoRoot()
	v := NewVerifier()
	files, lines := 0, 0
	for _, dir := range []string{"generated", filepath.Join("examples", "sample", "gen")} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if !agree(t, p, src) {
				t.Errorf("%s: kinds did not take the fast path", p)
			}
			if !v.shapesParse(src) {
				t.Errorf("%s: a declaration shape does not parse", p)
			}
			files++
			lines += strings.Count(string(src), "\n")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 100 {
		t.Fatalf("only %d generated files found", files)
	}
	t.Logf("%d files, %d lines, %d shapes parsed", files, lines, len(v.seen))
}

// FuzzKinds: whatever kinds accepts, go/scanner accepts with the same
// tokens.
func FuzzKinds(f *testing.F) {
	for _, s := range []string{"package p\nfunc f() { return 1 }\n", "x := \"a\\u00e9\" + `b`\n", "a &^= b // c\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		agree(t, "fuzz", src)
	})
}
