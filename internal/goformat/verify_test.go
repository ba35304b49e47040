package goformat

import (
	"errors"
	"go/parser"
	"go/token"
	"testing"
)

// verifySeeds are files that parse and files that do not, some of them
// sharing declaration shapes with the others.
var verifySeeds = []string{
	"package p\n\nimport \"fmt\"\n\nfunc f(x int) int {\n\tif x > 0 {\n\t\treturn x + 1\n\t}\n\treturn 0\n}\n\nvar _ = fmt.Sprint\n",
	"package p\n\nfunc g(y int) int {\n\tif y > 2 {\n\t\treturn y + 3\n\t}\n\treturn 1\n}\n",
	"package p\n\nfunc g(y int) int {\n\tif y > 2 {\n\t\treturn y +\n\t}\n\treturn 1\n}\n",
	"package p\n\ntype T struct {\n\tA int `xml:\"a\"`\n\tB []string\n}\n\nconst (\n\tc = 1\n\td = \"x\"\n)\n",
	"package p\n\nvar v = T{A: 1, B: []string{\"a\", \"b\"}}\n",
	"package p\n\nvar v = T{A: 1, B: []string{\"a\", \"b\"}\n}\n",
	"package p\n\nfunc h() { for i := 0; i < 3; i++ { _ = i } }\n",
	"package p\n\nfunc h() { for i := 0; i < 3; i++ { _ = i }\n",
	"package p\n\nfunc k(v any) { switch x := v.(type) { case int: _ = x; default: } }\n",
	"package p\n\nfunc k(v any) { _ = v.(type) }\n",
	"package p\n\nvar x = 'ab'\n",
	"package p\n\nvar x = \"\\q\"\n",
	"package p\n\nvar x = 0x\n",
	"package p\n\nfunc f() {}\n\nimport \"fmt\"\n",
	"package p\n\nx := 1\n",
	"package p; func f() { a := 1; _ = a }; var b = 2",
	"package p\n\nfunc f() { if x := (T{}); x.A > 0 {} }\n",
	"package p\n\nfunc f() { if x := T{}; x.A > 0 {} }\n",
	"package p\n\nfunc f() (int, error) {\n\treturn 1, nil\n}\n",
	"package p\n\nfunc f() (int, error) {\n\treturn 1,\n}\n",
	"package\n",
	"package p\n\nfunc f[T any](x T) T { return x }\n",
	"package p\n\nfunc f() struct{ a int } { return struct{ a int }{} }\n",
	"package p\n\nfunc f() { case 1: }\n",
	"package p\n\nfunc f() { x := 1; x++; return }\n",
	"package p\n\nfunc f() { x := 1; x++; return; }\n",
	"package p\n\nfunc f() { L: for { break L } }\n",
	"package p\n\nfunc f() { { } }\n",
	"package p\n\nfunc f() { if x { } else { } }\n",
	"package p\n\nfunc f() { if x { } else }\n",
	"package p\n\nfunc f() { ;; }\n",
	"package p\n\nfunc f() {\n\tdefault:\n}\n",
	"package p\n\nfunc (v *T) f() (a, b int) { return 1, 2 }\n",
	"package p\n\nfunc f() {} func g() {}\n",
}

// parses is go/parser's verdict, the reference.
func parses(src string) bool {
	_, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	return err == nil
}

// TestVerifyAgreesWithParser: a Verifier shared by every file, as in a
// generation, accepts exactly what go/parser accepts, in both orders (a
// shape seen in a valid file must not let an invalid one through).
func TestVerifyAgreesWithParser(t *testing.T) {
	for _, order := range []string{"forward", "backward"} {
		v := NewVerifier()
		for i := range verifySeeds {
			src := verifySeeds[i]
			if order == "backward" {
				src = verifySeeds[len(verifySeeds)-1-i]
			}
			err := v.Verify([]byte(src))
			if want := parses(src); (err == nil) != want {
				t.Errorf("%s: Verify(%q) = %v, go/parser accepts: %v", order, src, err, want)
			}
			var se *SyntaxError
			if err != nil && !errors.As(err, &se) {
				t.Errorf("%s: Verify(%q) = %T, want *SyntaxError", order, src, err)
			}
		}
	}
}

// TestVerifyParsesShapesOnce: repeated declarations and statements are
// parsed once: a function is its signature and its statements.
func TestVerifyParsesShapesOnce(t *testing.T) {
	v := NewVerifier()
	a := "package p\n\nfunc a(x int) int { return x + 1 }\n\nfunc b(y int) int { return y + 2 }\n"
	if err := v.Verify([]byte(a)); err != nil {
		t.Fatal(err)
	}
	if n := len(v.seen); n != 2 {
		t.Errorf("%d shapes remembered for two functions of one shape, want 2 (signature, statement)", n)
	}
	c := "package p\n\nfunc c(x, y int) (int, error) { x++; return x + 1 }\n"
	if err := v.Verify([]byte(c)); err != nil {
		t.Fatal(err)
	}
	if n := len(v.seen); n != 4 {
		t.Errorf("%d shapes remembered, want 4 (a new signature, a new statement, a known one)", n)
	}
}

// FuzzVerify compares the Verifier with go/parser on any input, with a
// Verifier that has already seen the seeds' shapes.
func FuzzVerify(f *testing.F) {
	v := NewVerifier()
	for _, s := range verifySeeds {
		f.Add(s)
		_ = v.Verify([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src string) {
		err := v.Verify([]byte(src))
		if want := parses(src); (err == nil) != want {
			t.Fatalf("Verify(%q) = %v, go/parser accepts: %v", src, err, want)
		}
	})
}
