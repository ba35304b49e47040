package xmldom

import (
	"errors"
	"testing"

	"github.com/dmpgen/dmpgen/internal/diag"
)

func TestParsePositionsAndNamespaces(t *testing.T) {
	src := `<?xml version="1.0"?>
<!-- c -->
<a:root xmlns:a="urn:a" xmlns="urn:d" x="1" a:y="2">
  <child>t1<b:x xmlns:b="urn:b" b:z="3">in</b:x>t2</child>
	<child xmlns=""/>
</a:root>
`
	doc, err := Parse("/f.xml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := doc.Root
	if r.Space != "urn:a" || r.Local != "root" || r.Prefix != "a" || r.Pos != (diag.Pos{File: "/f.xml", Line: 3, Col: 1}) {
		t.Errorf("root = %q %q %q %v", r.Space, r.Local, r.Prefix, r.Pos)
	}
	if v, ok := r.Attr("x"); !ok || v != "1" {
		t.Errorf("x = %q %v", v, ok)
	}
	if v, ok := r.AttrNS("urn:a", "y"); !ok || v != "2" {
		t.Errorf("a:y = %q %v", v, ok)
	}
	if len(r.Attrs) != 2 {
		t.Errorf("xmlns declarations must not be attributes: %v", r.Attrs)
	}
	c := r.Children[0]
	if c.Space != "urn:d" || c.Pos.Line != 4 || c.Pos.Col != 3 || c.Parent != r {
		t.Errorf("child = %q %v", c.Space, c.Pos)
	}
	x := c.Children[0]
	if x.Space != "urn:b" || x.Pos.Col != 12 {
		t.Errorf("b:x = %q %v", x.Space, x.Pos)
	}
	if v, _ := x.AttrNS("urn:b", "z"); v != "3" {
		t.Errorf("b:z = %q", v)
	}
	if c.Text() != "t1t2" || c.InnerText() != "t1int2" {
		t.Errorf("Text %q InnerText %q", c.Text(), c.InnerText())
	}
	if u, ok := x.Scope.Lookup("a"); !ok || u != "urn:a" {
		t.Errorf("inherited binding a = %q %v", u, ok)
	}
	if u, ok := x.Scope.Lookup("xml"); !ok || u != XMLNS {
		t.Errorf("xml prefix = %q", u)
	}
	if _, ok := x.Scope.Lookup("nope"); ok {
		t.Error("undeclared prefix found")
	}
	undecl := r.Children[1]
	if undecl.Space != "" || undecl.Pos != (diag.Pos{File: "/f.xml", Line: 5, Col: 2}) {
		t.Errorf("xmlns=\"\" child = %q %v", undecl.Space, undecl.Pos)
	}
	got := undecl.Scope.Bindings()
	if len(got) != 1 || got["a"] != "urn:a" {
		t.Errorf("bindings after xmlns=\"\" = %v", got)
	}
	if c.Scope != r.Scope {
		t.Error("an element without declarations must share its parent's scope")
	}
}

func TestParseLatin1(t *testing.T) {
	src := []byte("<?xml version='1.0' encoding='ISO-8859-1'?>\n<r>caf\xe9</r>")
	doc, err := Parse("l.xml", src)
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Root.Text(); got != "café" {
		t.Errorf("text = %q", got)
	}
}

func TestParseBOM(t *testing.T) {
	doc, err := Parse("b.xml", []byte("\xef\xbb\xbf<r/>"))
	if err != nil || doc.Root.Local != "r" {
		t.Fatalf("%v", err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"<a><b></a>", "f.xml:1:7: not well-formed: end tag </a> does not match start tag <b> at line 1"},
		{"<a>\n<b>", "f.xml:2:4: not well-formed: unexpected end of file: element <b> at line 2 is not closed"},
		{"<p:a/>", "f.xml:1:1: not well-formed: undeclared namespace prefix \"p\" in element <p:a>"},
		{"<a p:x='1'/>", "f.xml:1:1: not well-formed: undeclared namespace prefix \"p\" in attribute p:x"},
		{"<a x='1' x='2'/>", "f.xml:1:1: not well-formed: duplicate attribute x on <a>"},
		{"<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>", "f.xml:1:1: not well-formed: duplicate attribute q:x on <a>"},
		{"<a xmlns:p=''/>", "f.xml:1:1: not well-formed: namespace prefix \"p\" bound to the empty string"},
		{"<a/><b/>", "f.xml:1:5: not well-formed: content after the root element"},
		{"", "f.xml:1:1: not well-formed: no root element"},
		{"<a>&nbsp;</a>", "f.xml:1:10: not well-formed: invalid character entity &nbsp;"},
		{"<a>\xff</a>", "f.xml:1:5: not well-formed: invalid UTF-8"},
		{"<?xml version='1.0' encoding='UTF-16'?><a/>", "f.xml:1:40: not well-formed: xml: opening charset \"UTF-16\": unsupported encoding \"UTF-16\" (supported: UTF-8, US-ASCII, ISO-8859-1)"},
	} {
		_, err := Parse("f.xml", []byte(tc.src))
		var de *diag.Error
		if !errors.As(err, &de) {
			t.Errorf("%q: error %v is not a *diag.Error", tc.src, err)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.src, err, tc.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`<a xmlns="u" xmlns:p="v"><p:b p:c="1">x<c/>y</p:b></a>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>`,
		`<!DOCTYPE a [<!ENTITY e "x">]><a>&amp;</a>`,
		`<a><b></a>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse("fuzz.xml", data)
		if err != nil {
			var de *diag.Error
			if !errors.As(err, &de) || de.Pos.File != "fuzz.xml" || de.Pos.Line < 1 {
				t.Fatalf("error without position: %#v", err)
			}
			return
		}
		var walk func(e *Element)
		walk = func(e *Element) {
			if e.Pos.Line < 1 || e.Pos.Col < 1 {
				t.Fatalf("element %s without position", e.Name())
			}
			_ = e.InnerText()
			for _, c := range e.Children {
				walk(c)
			}
		}
		walk(doc.Root)
	})
}
