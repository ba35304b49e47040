package xmlbind

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// mixedP is a hand-written binding of mixed content <p>text <b>…</b>…</p>
// shaped like the generated code of mixed: typed.
type mixedP struct {
	B       []string
	Texts   []TextRun
	Unknown *Unknown
}

func (v *mixedP) UnmarshalXMLText(d *xmltext.Decoder, start *xmltext.Token) error {
	n := 0
	for {
		tok, err := NextContent(d)
		if err != nil {
			return err
		}
		switch tok.Kind {
		case xmltext.EndElement:
			return nil
		case xmltext.CharData:
			v.Texts = AddText(v.Texts, n+v.Unknown.Len(), tok.Text)
		case xmltext.StartElement:
			if tok.Name.Local != "b" {
				if err := KeepElement(d, &v.Unknown, start.Name, &tok, n); err != nil {
					return err
				}
				continue
			}
			s, err := d.ReadText(tok)
			if err != nil {
				return err
			}
			v.B = append(v.B, s)
			n++
		}
	}
}

func (v *mixedP) MarshalXMLText(e *xmltext.Encoder, name xmltext.Name) error {
	e.Start(name)
	if err := WriteMixed(e, v.Texts, v.Unknown, func(e *xmltext.Encoder) error {
		for _, b := range v.B {
			e.Start(xmltext.Name{Local: "b"})
			e.Text(b)
			e.End()
		}
		return nil
	}); err != nil {
		return err
	}
	e.End()
	return e.Err()
}

// Typed mixed content re-encodes to the same bytes: white space between
// elements is content, text split by comments and CDATA is one run, and a
// kept element keeps its place among the text runs.
func TestMixedExact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<p>a <b>x</b> <b>y</b>  </p>`, ""},
		{`<p> <b>x</b>t<!-- c -->u<![CDATA[&]]><b>y</b></p>`, `<p> <b>x</b>tu&amp;<b>y</b></p>`},
		{`<p>only</p>`, ""},
		{`<p><b>x</b></p>`, ""},
		{`<p>1<u>k</u>2<b>x</b>3<u>m</u></p>`, ""},
	} {
		d := xmltext.NewDecoder([]byte(tc.in), xmltext.Options{Lenient: true})
		tok, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		var v mixedP
		if err := v.UnmarshalXMLText(d, &tok); err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		var buf bytes.Buffer
		e := xmltext.NewEncoder(&buf)
		if err := v.MarshalXMLText(e, tok.Name); err != nil {
			t.Fatal(err)
		}
		if err := e.Flush(); err != nil {
			t.Fatal(err)
		}
		want := tc.want
		if want == "" {
			want = tc.in
		}
		if buf.String() != want {
			t.Errorf("%s: encoded %s, want %s", tc.in, buf.String(), want)
		}
	}
}

func TestChildOrder(t *testing.T) {
	for _, tc := range []struct {
		order []int
		want  []int
	}{
		{nil, []int{0, 1, 2}},
		{[]int{2, 0}, []int{2, 0, 1}},
		{[]int{1, 1, 5, -1, 0}, []int{1, 0, 2}},
	} {
		got := ChildOrder(tc.order, 3)
		if len(got) != len(tc.want) {
			t.Fatalf("ChildOrder(%v) = %v, want %v", tc.order, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("ChildOrder(%v) = %v, want %v", tc.order, got, tc.want)
			}
		}
	}
}

// An xsi:type naming a derived type of another package is created by the
// decoder's Types; without one that knows it, the error names the package.
func TestNewDerived(t *testing.T) {
	doc := []byte(`<a xmlns:x="urn:x" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="x:T"/>`)
	xt := xmltext.Name{Space: "urn:x", Local: "T"}
	for _, tc := range []struct {
		types func(xmltext.Name) xmltext.Unmarshaler
		want  string
	}{
		{nil, "1:1: xsi:type {urn:x}T: the type is generated in package example.com/x, which the decoder does not know: pass xmlbind.Types(<that package>.NewType, …) to the decoder (xmltext.Options.Types), a SOAP client (soap.WithTypes) or server (soap.WithServerTypes)"},
		{Types(func(xmltext.Name) Value { return nil }), "package example.com/x, which the decoder does not know"},
		{Types(func(n xmltext.Name) Value { return &typed{name: n} }), ""},
	} {
		d := xmltext.NewDecoder(doc, xmltext.Options{Types: tc.types})
		tok, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		v, err := NewDerived(d, &tok, xt, "example.com/x")
		switch {
		case tc.want == "" && (err != nil || v.XSDType() != xt):
			t.Errorf("NewDerived = %v, %v", v, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("NewDerived error %v, want %s", err, tc.want)
		}
	}
}

// typed is a Value of any schema type name.
type typed struct {
	name xmltext.Name
	mixedP
}

func (v *typed) ValidateXSD(*xsdt.Report) {}
func (v *typed) XSDType() xmltext.Name    { return v.name }
