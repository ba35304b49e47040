package goformat

import (
	"errors"
	"sort"
	"strings"
	"testing"
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
	"input aligned by hand": `package p
type Concept struct {
	Code           string
	CodeSystem     string // the XDS codingScheme
	X string
}
const (
	A     Code = "a"
	BBBBB Code = "b" // c
)
var (
	x    = 1
	yyyy = 2
)
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
			if err := Check([]byte(layoutCases[name])); err != nil {
				t.Error(err)
			}
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
		if out, err := Layout([]byte(src)); err == nil {
			t.Errorf("Layout(%q) = %q, want an error", src, out)
		}
		// Such shapes still come out gofmt'd, through go/format.
		if _, err := Source([]byte(src)); err != nil && !strings.HasSuffix(src, "{\n") {
			t.Errorf("Source(%q): %v", src, err)
		}
	}
}

// TestSourceRejectsInvalid: Layout lays out what it does not parse; Source
// must refuse it, naming the position and showing the lines around it.
func TestSourceRejectsInvalid(t *testing.T) {
	raw := "package p\n\nfunc f() int {\nreturn 1 +\n}\n"
	if _, err := Layout([]byte(raw)); err != nil {
		t.Fatalf("Layout: %v (the test needs a shape Layout accepts)", err)
	}
	_, err := Source([]byte(raw))
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Source: got %v, want a *SyntaxError", err)
	}
	if se.Line != 5 || !strings.Contains(se.Context, ">    5  }") || !strings.Contains(se.Context, "     4  \treturn 1 +") {
		t.Errorf("got line %d, context:\n%s", se.Line, se.Context)
	}
	if _, err := Source([]byte("package p\n\nfunc f() {\n\tx := \n")); err == nil {
		t.Error("Source accepted a truncated file")
	}
}
