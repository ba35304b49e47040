package xmlbind

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// known is a hand-written binding of <k a="…"><b>…</b></k> shaped like the
// generated code: it keeps what it does not know in an Unknown.
type known struct {
	A, B    string
	Unknown *Unknown
}

func (v *known) UnmarshalXMLText(d *xmltext.Decoder, start *xmltext.Token) error {
	for _, a := range start.Attrs {
		if a.Name.Local == "a" && a.Name.Space == "" {
			v.A = a.Value
			continue
		}
		if err := KeepAttr(d, &v.Unknown, start, a); err != nil {
			return err
		}
	}
	n := 0
	for {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return err
		}
		switch tok.Kind {
		case xmltext.EndElement:
			return nil
		case xmltext.StartElement:
			ok, err := v.take(d, &tok)
			if err != nil {
				return err
			}
			if ok {
				n++
			} else if err := KeepElement(d, &v.Unknown, start.Name, &tok, n); err != nil {
				return err
			}
		default:
			return d.Errorf(tok.Offset, "text")
		}
	}
}

func (v *known) take(d *xmltext.Decoder, tok *xmltext.Token) (bool, error) {
	if tok.Name.Local != "b" || v.B != "" {
		return false, nil
	}
	if ok, err := SimpleAttrs(d, tok); !ok {
		return err != nil, err
	}
	var err error
	v.B, err = d.ReadText(*tok)
	return true, err
}

func (v *known) MarshalXMLText(e *xmltext.Encoder, name xmltext.Name) error {
	e.Start(name)
	e.Attr(xmltext.Name{Local: "a"}, v.A)
	v.Unknown.WriteAttrs(e)
	if err := v.Unknown.WriteContent(e, func(e *xmltext.Encoder) error {
		if v.B != "" {
			e.Start(xmltext.Name{Local: "b"})
			e.Text(v.B)
			e.End()
		}
		return nil
	}); err != nil {
		return err
	}
	e.End()
	return e.Err()
}

func decodeKnown(in string, lenient bool) (*known, *xmltext.Decoder, error) {
	d := xmltext.NewDecoder([]byte(in), xmltext.Options{File: "k.xml", Lenient: lenient})
	start, err := d.Next()
	if err != nil {
		return nil, nil, err
	}
	v := new(known)
	return v, d, v.UnmarshalXMLText(d, &start)
}

func TestUnknownKeptLeniently(t *testing.T) {
	const in = `<k xmlns:x="urn:x" a="1" x:extra="e"><b x:flag="y">3</b><x:id root="1.2.250" extension="42"><x:c/></x:id><b>2</b></k>`
	v, d, err := decodeKnown(in, true)
	if err != nil {
		t.Fatal(err)
	}
	if v.A != "1" || v.B != "2" || v.Unknown == nil || len(v.Unknown.Attrs) != 1 || len(v.Unknown.Elements) != 2 {
		t.Fatalf("decoded %+v %+v", v, v.Unknown)
	}
	if a := v.Unknown.Attrs[0]; a.Name != (xmltext.Name{Space: "urn:x", Local: "extra"}) || a.Value != "e" {
		t.Errorf("kept attribute %+v", a)
	}
	var ws []string
	for _, w := range d.Warnings() {
		ws = append(ws, w.String())
	}
	want := []string{
		"k.xml:1:26: kept unexpected attribute {urn:x}extra on k",
		"k.xml:1:41: unexpected attribute {urn:x}flag on b, which has simple content: the element is kept unbound",
		"k.xml:1:38: kept unexpected element b in k",
		"k.xml:1:57: kept unexpected element {urn:x}id in k",
	}
	if strings.Join(ws, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(ws, "\n"), strings.Join(want, "\n"))
	}
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	if err := v.MarshalXMLText(e, xmltext.Name{Local: "k"}); err != nil {
		t.Fatal(err)
	}
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	// Everything comes back, in document order (only namespace
	// declarations move).
	const want2 = `<k xmlns:ns1="urn:x" a="1" ns1:extra="e"><b xmlns:x="urn:x" x:flag="y">3</b>` +
		`<x:id xmlns:x="urn:x" root="1.2.250" extension="42"><x:c/></x:id><b>2</b></k>`
	if buf.String() != want2 {
		t.Errorf("re-encoded as\n%s\nwant\n%s", buf.String(), want2)
	}
	if v.Unknown.After[0] != 0 || v.Unknown.After[1] != 0 {
		t.Errorf("places %v", v.Unknown.After)
	}
	// Places past the known children (B removed) go at the end, in order.
	v.B = ""
	v.Unknown.After[1] = 1
	buf.Reset()
	e = xmltext.NewEncoder(&buf)
	if err := v.MarshalXMLText(e, xmltext.Name{Local: "k"}); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	if got := buf.String(); !strings.HasSuffix(got, `"e"><b xmlns:x="urn:x" x:flag="y">3</b><x:id xmlns:x="urn:x" root="1.2.250" extension="42"><x:c/></x:id></k>`) {
		t.Errorf("changed value re-encoded as %s", got)
	}
}

// TestUnknownStrict: a strict decoder fails as xmltext's UnknownAttr and
// UnknownElement do, and keeps nothing.
func TestUnknownStrict(t *testing.T) {
	for in, want := range map[string]string{
		`<k a="1" z="e"/>`:      "k.xml:1:10: unexpected attribute z on k",
		`<k><z/></k>`:           "k.xml:1:4: unexpected element z in k",
		`<k><b z="1">x</b></k>`: "k.xml:1:7: unexpected attribute z on b",
		`<k xmlns:i="` + XSI + `"><b i:nil="true"/></k>`: "xsi:nil on b, which is not nillable",
	} {
		v, _, err := decodeKnown(in, false)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", in, err, want)
		}
		if v != nil && v.Unknown != nil {
			t.Errorf("%s: strict decoder kept %+v", in, v.Unknown)
		}
	}
	var u *Unknown
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	e.Start(xmltext.Name{Local: "k"})
	u.WriteAttrs(e)
	if err := u.WriteContent(e, func(*xmltext.Encoder) error { return nil }); err != nil {
		t.Fatal(err)
	}
	e.End()
	if e.Flush(); buf.String() != "<k/>" {
		t.Errorf("nil Unknown wrote %s", buf.String())
	}
}
