package mtom

import (
	"bytes"
	"encoding/xml"
	"errors"
	"testing"
)

type docHolder struct {
	XMLName xml.Name `xml:"urn:ihe:iti:xds-b:2007 DocumentResponse"`
	Doc     Binary   `xml:"urn:ihe:iti:xds-b:2007 Document"`
}

func TestBinaryUnmarshal(t *testing.T) {
	const pre = `<r:DocumentResponse xmlns:r="urn:ihe:iti:xds-b:2007" xmlns:xop="http://www.w3.org/2004/08/xop/include"><r:Document>`
	const post = `</r:Document></r:DocumentResponse>`
	ok := []struct {
		name, in string
		want     Binary
	}{
		{"include with whitespace", "\r\n   <xop:Include href=\"cid:a-2@urn%3Aihe\"/>\r\n  ", Binary{ContentID: "a-2@urn:ihe"}},
		{"include with an extension child", `<xop:Include href="cid:x@y"><ext xmlns="urn:e"/></xop:Include>`, Binary{ContentID: "x@y"}},
		{"inline base64 with line breaks", "aGVs\r\n bG8g\td29y\nbGQ=", Binary{Inline: []byte("hello world")}},
		{"empty", "", Binary{Inline: []byte{}}},
	}
	for _, c := range ok {
		var h docHolder
		if err := xml.Unmarshal([]byte(pre+c.in+post), &h); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if h.Doc.ContentID != c.want.ContentID || !bytes.Equal(h.Doc.Inline, c.want.Inline) {
			t.Errorf("%s: got %+v, want %+v", c.name, h.Doc, c.want)
		}
	}
	bad := []struct {
		name, in string
		kind     error
	}{
		{"include and text", `aGVs<xop:Include href="cid:x@y"/>`, nil},
		{"two includes", `<xop:Include href="cid:x@y"/><xop:Include href="cid:z@y"/>`, nil},
		{"other element", `<foo/>`, nil},
		{"include not in the XOP namespace", `<Include href="cid:x@y"/>`, nil},
		{"href not cid", `<xop:Include href="http://x"/>`, ErrInvalidContentID},
		{"no href", `<xop:Include/>`, ErrInvalidContentID},
		{"bad base64", `a$b=`, nil},
	}
	for _, c := range bad {
		var h docHolder
		err := xml.Unmarshal([]byte(pre+c.in+post), &h)
		if err == nil || (c.kind != nil && !errors.Is(err, c.kind)) {
			t.Errorf("%s: err = %v, want an error (%v)", c.name, err, c.kind)
		}
	}
}

func TestBinaryMarshalRoundTrip(t *testing.T) {
	for _, b := range []Binary{{ContentID: "doc-1@urn:ihe:iti:xds-b:2007"}, {Inline: []byte("\x00binary\xff")}, {}} {
		out, err := xml.Marshal(docHolder{Doc: b})
		if err != nil {
			t.Fatal(err)
		}
		var h docHolder
		if err := xml.Unmarshal(out, &h); err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		if h.Doc.ContentID != b.ContentID || !bytes.Equal(h.Doc.Inline, b.Inline) {
			t.Errorf("%s read back as %+v, want %+v", out, h.Doc, b)
		}
		// The Reader finds the include the marshaller wrote.
		_, includes, xerr := scanRoot(out)
		if xerr != nil || (b.ContentID != "") != (len(includes) == 1) || (b.ContentID != "" && includes[0] != b.ContentID) {
			t.Errorf("%s: scanRoot includes %q, %v", out, includes, xerr)
		}
	}
	want := `<DocumentResponse xmlns="urn:ihe:iti:xds-b:2007"><Document xmlns="urn:ihe:iti:xds-b:2007">` +
		`<Include xmlns="http://www.w3.org/2004/08/xop/include" href="cid:a%3Ab@c"></Include></Document></DocumentResponse>`
	if out, _ := xml.Marshal(docHolder{Doc: Binary{ContentID: "a:b@c"}}); string(out) != want {
		t.Errorf("marshal:\n got %s\nwant %s", out, want)
	}
	if _, err := xml.Marshal(docHolder{Doc: Binary{ContentID: "a b"}}); !errors.Is(err, ErrInvalidContentID) {
		t.Errorf("invalid Content-ID: err = %v", err)
	}
}
