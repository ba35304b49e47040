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
	for {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return err
		}
		switch tok.Kind {
		case xmltext.EndElement:
			return nil
		case xmltext.StartElement:
			if tok.Name.Local == "b" && v.B == "" {
				if ok, err := SimpleAttrs(d, &tok); err != nil {
					return err
				} else if ok {
					if v.B, err = d.ReadText(tok); err != nil {
						return err
					}
					continue
				}
			}
			if err := KeepElement(d, &v.Unknown, start.Name, &tok); err != nil {
				return err
			}
		default:
			return d.Errorf(tok.Offset, "text")
		}
	}
}

func (v *known) MarshalXMLText(e *xmltext.Encoder, name xmltext.Name) error {
	e.Start(name)
	e.Attr(xmltext.Name{Local: "a"}, v.A)
	v.Unknown.WriteAttrs(e)
	if v.B != "" {
		e.Start(xmltext.Name{Local: "b"})
		e.Text(v.B)
		e.End()
	}
	v.Unknown.WriteElements(e)
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
		"1:26: kept unexpected attribute {urn:x}extra on k",
		"1:41: unexpected attribute {urn:x}flag on b, which has simple content: the element is kept unbound",
		"1:38: kept unexpected element b in k",
		"1:57: kept unexpected element {urn:x}id in k",
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
	// Everything comes back; the kept elements after the known content.
	v2, d2, err := decodeKnown(buf.String(), true)
	if err != nil {
		t.Fatalf("%s: %v", buf.String(), err)
	}
	if len(d2.Warnings()) != 3 || v2.A != "1" || v2.B != "2" || len(v2.Unknown.Elements) != 2 ||
		v2.Unknown.Elements[0].Text() != "3" || v2.Unknown.Elements[1].Elements()[0].Name.Space != "urn:x" {
		t.Errorf("re-encoded as %s: %+v %v", buf.String(), v2, d2.Warnings())
	}
	for _, s := range []string{`a="1"`, `extra="e"`, `root="1.2.250" extension="42"`, `flag="y">3<`} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("re-encoded %s lacks %s", buf.String(), s)
		}
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
	u.WriteElements(e)
	e.End()
	if e.Flush(); buf.String() != "<k/>" {
		t.Errorf("nil Unknown wrote %s", buf.String())
	}
}
