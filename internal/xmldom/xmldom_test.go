package xmldom

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/testenv"
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
		{"<a><b></a>", "f.xml:1:7: not well-formed: end tag </a> does not match start tag <b> at 1:4"},
		{"<a>\n<b>", "f.xml:2:4: not well-formed: unexpected end of input: element <b> opened at 2:1 is not closed"},
		{"<p:a/>", "f.xml:1:2: not well-formed: element <p:a>: prefix \"p\" is not bound"},
		{"<a p:x='1'/>", "f.xml:1:4: not well-formed: attribute p:x: prefix \"p\" is not bound"},
		{"<a x='1' x='2'/>", "f.xml:1:10: not well-formed: duplicate attribute x"},
		{"<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>", "f.xml:1:36: not well-formed: attribute q:x duplicates p:x (both are {u}x)"},
		{"<a>&nbsp;</a>", "f.xml:1:4: not well-formed: undefined entity &nbsp; (no DTD: only lt, gt, amp, apos, quot and character references)"},
		{"<a>\xff</a>", "f.xml:1:4: not well-formed: invalid UTF-8 byte 0xFF (declare the encoding in the XML declaration)"},
		// With a DTD, encoding/xml reads the document.
		{"<!DOCTYPE a>\n<a><b></a>", "f.xml:2:7: not well-formed: end tag </a> does not match start tag <b> at line 2"},
		{"<!DOCTYPE a>\n<a>\n<b>", "f.xml:3:4: not well-formed: unexpected end of file: element <b> at line 3 is not closed"},
		{"<!DOCTYPE a>\n<p:a/>", "f.xml:2:1: not well-formed: undeclared namespace prefix \"p\" in element <p:a>"},
		{"<!DOCTYPE a>\n<a p:x='1'/>", "f.xml:2:1: not well-formed: undeclared namespace prefix \"p\" in attribute p:x"},
		{"<!DOCTYPE a>\n<a x='1' x='2'/>", "f.xml:2:1: not well-formed: duplicate attribute x on <a>"},
		{"<!DOCTYPE a>\n<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>", "f.xml:2:1: not well-formed: duplicate attribute q:x on <a>"},
		{"<!DOCTYPE a>\n<a xmlns:p=''/>", "f.xml:2:1: not well-formed: namespace prefix \"p\" bound to the empty string"},
		{"<!DOCTYPE a>\n<a/><b/>", "f.xml:2:5: not well-formed: content after the root element"},
		{"<!DOCTYPE a>", "f.xml:1:13: not well-formed: no root element"},
		{"<!DOCTYPE a [<!ENTITY e 'x'>]>\n<a>&e;</a>", "f.xml:2:7: not well-formed: invalid character entity &e;"},
		{"<!DOCTYPE a>\n<a><!DOCTYPE b></a>", "f.xml:2:4: not well-formed: <!DOCTYPE> not allowed here"},
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

func TestParseWithDTD(t *testing.T) {
	src := "<?xml version='1.0'?>\n<!DOCTYPE xs:schema PUBLIC '-//W3C//DTD XMLSCHEMA 200102//EN' 'XMLSchema.dtd' [\n<!ATTLIST xs:schema id ID #IMPLIED>\n]>\n<xs:schema xmlns:xs='urn:x'>\n  <xs:e a='1'>t</xs:e>\n</xs:schema>\n"
	doc, err := Parse("d.xsd", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	e := doc.Root.Children[0]
	if doc.Root.Space != "urn:x" || e.Pos != (diag.Pos{File: "d.xsd", Line: 6, Col: 3}) || e.Text() != "t" {
		t.Errorf("root %q child %v %q", doc.Root.Space, e.Pos, e.Text())
	}
	if v, _ := e.Attr("a"); v != "1" {
		t.Errorf("a = %q", v)
	}
}

// The encoding/xml reader (used for documents with a DTD) and the xmltext
// reader build the same trees for every schema and WSDL of the kit.
func TestParsersAgreeOnKit(t *testing.T) {
	kit := testenv.Kit(t)
	n := 0
	err := filepath.WalkDir(kit, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(p) != ".xsd" && filepath.Ext(p) != ".wsdl") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		a, errA := parseText(p, data)
		b, errB := parseWithDTD(p, data)
		if errA != nil {
			if strings.Contains(errA.Error(), "DTD not allowed") && errB == nil {
				return nil
			}
			t.Errorf("%s: xmltext: %v", p, errA)
			return nil
		}
		if errB != nil {
			t.Errorf("%s: encoding/xml: %v", p, errB)
			return nil
		}
		n++
		if diff := compare(a, b.Root); diff != "" {
			t.Errorf("%s: %s", p, diff)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 200 {
		t.Errorf("only %d kit files compared", n)
	}
}

// compare returns the first difference between two trees ("" if none).
func compare(a, b *Element) string {
	if a.Space != b.Space || a.Local != b.Local || a.Prefix != b.Prefix || a.Pos.Line != b.Pos.Line {
		return fmt.Sprintf("element %s at %v vs %s at %v", a.Name(), a.Pos, b.Name(), b.Pos)
	}
	if a.Pos.Col != b.Pos.Col {
		return fmt.Sprintf("column of %s: %v vs %v", a.Name(), a.Pos, b.Pos)
	}
	if fmt.Sprint(a.Attrs) != fmt.Sprint(b.Attrs) {
		return fmt.Sprintf("attributes of %s at %v: %v vs %v", a.Name(), a.Pos, a.Attrs, b.Attrs)
	}
	if fmt.Sprint(a.Scope.Bindings()) != fmt.Sprint(b.Scope.Bindings()) {
		return fmt.Sprintf("bindings of %s at %v", a.Name(), a.Pos)
	}
	if a.Text() != b.Text() {
		return fmt.Sprintf("text of %s at %v: %q vs %q", a.Name(), a.Pos, a.Text(), b.Text())
	}
	if len(a.Children) != len(b.Children) {
		return fmt.Sprintf("children of %s at %v: %d vs %d", a.Name(), a.Pos, len(a.Children), len(b.Children))
	}
	for i := range a.Children {
		if d := compare(a.Children[i], b.Children[i]); d != "" {
			return d
		}
	}
	return ""
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
