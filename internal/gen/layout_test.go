package gen

import (
	"bytes"
	"go/format"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/load"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

// layoutCases are raw printer outputs in the shapes the generator uses and
// at the edges of go/printer's rules. Each must lay out as go/format does.
var layoutCases = map[string]string{
	"struct alignment": `package p
type T struct {
// A is documented.
A int // attribute a
LongName *string // element b 0..1
Embedded
xmlbind.Base // embedded with comment

X []T

// After a comment the section restarts.
Y int // c
ZZZZZZZZZZZZZZZZZZZZ map[string]int // d
}
type One struct {
Only int // the single field is not aligned
}
type OneEmbedded struct {
xmlbind.Base // comment
}
type Empty struct {
}
`,
	"const and var groups": `package p
const (
A Code = "a" // first
BBBBBBBB Code = "b"
// doc breaks the section
C Code = "c"
)
const (
x = 1
yyyy int = 2
zz = 3 // comment
)
const (
untyped = iota
next
)
var (
name_0 = xmltext.Name{Space: "urn:x", Local: "a"}
name_10 = xmltext.Name{Space: "", Local: "b"}
re = regexp.MustCompile("^(a|b)$")
)
var (
single = 1 // the only spec
)
`,
	"one-line blocks": `package p
func (*T) XSDType() xmltext.Name { return name_0 }
func (*TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT) XSDType() xmltext.Name { return name_x_y_z_43_a }
func (*TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT) XSDType() xmltext.Name { return name_x_y_z_43_ab }
func (T) isA() {}
func (TT) isB() {}
func f() error {
if err != nil { return err }
if x { a(); b(); continue }
for _, a := range v.Attrs { e.Attr(a.Name, a.Value) }
if a { if b { c() } }
if v == (T{}) { return nil }
return nil
}
`,
	"switch and closures": `package p
func f(v string, r *xsdt.Report) {
switch x := v.(type) {
case A:
a() // trailing
b() // aligned
case B, C:
default:
r.Add("enumeration", "%q", v)
}
if !(func() bool {
r := xsdt.NewReport("")
v, err := v, error(nil)
if err != nil { return false }
_ = v

return r.Len() == 0
}() || xmlbind.IsQName(v) || func() bool {
return true
}()) {
r.Add("union", "%q", v)
}
e.Attr(name_1, func() string {
s := make([]string, len(x))
for i, it := range x {
s[i] = it
}
return strings.Join(s, " ")
}())
{
y := 1
_ = y
}
}
`,
	"literals": `package p
var op = soap.Operation{
Name: "a",
Action: "urn:ihe:iti:2007:RegistryStoredQuery",
MTOMRequest: true,
ThisIsAVeryLongFieldNameOfMoreThanFortyCharacters: 1,
B: 2,
Nested: T{
X: 1,
},
After: 3,


Last: 4,

}
var m = map[string]int{
"a": 1,
"bbbbbbb": 2,
}
var s = []string{
"a",
"b",
}
var one = T{
Alone: 1,
}
`,
	"doc comments": `package p

// Doc comment with a list:
// - one
// - two
//   continued
// 1. first
// 2) second
//
// Indented text is code:
//     x := 1
// # Heading?
//
// # Heading
//
// A URL: https://example.org/a_b.
type T int

// Not a doc comment: a blank line follows.

// Fields keep theirs:
type U struct {
// - item
//    text
A int
}
`,
}

func TestLayoutMatchesGofmt(t *testing.T) {
	names := make([]string, 0, len(layoutCases))
	for n := range layoutCases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			checkLayout(t, name, []byte(layoutCases[name]))
		})
	}
}

func TestLayoutRefusesUnknownShapes(t *testing.T) {
	for _, src := range []string{
		"package p\nvar s = `a\nb`\n",                 // multi-line raw string
		"package p\n/* block */\nvar x int\n",         // block comment
		"package p\nfunc f() {\ng(a,\nb)\n}\n",        // a line closing brackets it did not open first
		"package p\nfunc f() {\nx := T{ // c\n}\n}\n", // comment on a line opening a block
		"package p\nfunc f() {\n",                     // unbalanced
	} {
		if out, err := layout([]byte(src)); err == nil {
			t.Errorf("layout(%q) = %q, want an error", src, out)
		}
		// Such shapes still come out gofmt'd, through go/format.
		if _, err := gofmt([]byte(src), "x.xsd"); err != nil && !strings.HasSuffix(src, "{\n") {
			t.Errorf("gofmt(%q): %v", src, err)
		}
	}
}

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
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if kit == "" {
		kit = filepath.Join(filepath.Dir(path), cfg.Kit)
	}
	files, lines := 0, 0
	for _, target := range cfg.Targets {
		res, errs := load.Target(load.Input{Kit: kit, Catalogs: load.Catalogs(cfg, kit), Target: target})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		raw, err := program(res.Program, func(raw []byte, _ string) ([]byte, error) { return raw, nil })
		if err != nil {
			t.Fatal(err)
		}
		for name, src := range raw {
			checkLayout(t, target.Name+"/"+name, src)
			files++
			lines += bytes.Count(src, []byte{'\n'})
		}
	}
	t.Logf("%d files (%d raw lines) laid out as go/format does", files, lines)
}

func checkLayout(t *testing.T, name string, raw []byte) {
	t.Helper()
	want, err := format.Source(raw)
	if err != nil {
		t.Fatalf("%s: go/format: %v", name, err)
	}
	got, err := layout(raw)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if !bytes.Equal(got, want) {
		g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(g) && i < len(w); i++ {
			if g[i] != w[i] {
				t.Errorf("%s: line %d:\n got %q\nwant %q", name, i+1, g[i], w[i])
				return
			}
		}
		t.Errorf("%s: %d lines, want %d", name, len(g), len(w))
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
