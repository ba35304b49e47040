package xmlbind

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

const docNS = "urn:ihe:iti:xds-b:2007"

// decodeDocument decodes the content of <r:Document> as base64Binary.
func decodeDocument(content string) (Binary, error) {
	in := `<r:Document xmlns:r="` + docNS + `" xmlns:xop="` + XOP + `">` + content + `</r:Document>`
	d := xmltext.NewDecoder([]byte(in), xmltext.Options{})
	start, err := d.Next()
	if err != nil {
		return Binary{}, err
	}
	return DecodeBinary(d, &start)
}

func encodeDocument(b *Binary) string {
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	e.Start(xmltext.Name{Space: docNS, Local: "Document"})
	EncodeBinary(e, b)
	e.End()
	if err := e.Flush(); err != nil {
		panic(err)
	}
	return buf.String()
}

func TestDecodeBinary(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		data          string
		include       string
	}{
		{"include with whitespace, percent-encoded", "\r\n   <xop:Include href=\"cid:a-2@urn%3Aihe\"/>\r\n  ", "", "a-2@urn:ihe"},
		{"include with an extension child", `<xop:Include href="cid:x@y"><ext xmlns="urn:e"/></xop:Include>`, "", "x@y"},
		{"inline base64 with line breaks", "aGVs\r\n bG8g\td29y\nbGQ=", "hello world", ""},
		{"empty", "", "", ""},
	} {
		b, err := decodeDocument(tc.content)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if string(b.Data) != tc.data || b.Include != tc.include {
			t.Errorf("%s: got data %q include %q", tc.name, b.Data, b.Include)
		}
	}
	for _, bad := range []string{
		`<xop:Include href="cid:x@y"/><xop:Include href="cid:z@y"/>`, // two attachments
		`x<xop:Include href="cid:x@y"/>`,                             // text next to the reference
		`<xop:Include href="cid:x@y"/>x`,
		`<xop:Include href="http://x/y"/>`, // not a cid: URL
		`<xop:Include/>`,                   // no href
		`<other/>`,                         // another element
		"a$b=",                             // not base64
	} {
		if b, err := decodeDocument(bad); err == nil {
			t.Errorf("%q decoded as %+v, want an error", bad, b)
		}
	}
}

// TestEncodeBinaryKeepsLexicalForm: decoded content that did not change is
// written back byte for byte (signatures depend on it); changed content is
// written canonically.
func TestEncodeBinaryKeepsLexicalForm(t *testing.T) {
	for content, want := range map[string]string{
		"aGVs\n  bG8=": ">aGVs\n  bG8=<",
		`<xop:Include href="cid:a-2@urn%3Aihe"/>`: `href="cid:a-2@urn%3Aihe"`,
	} {
		b, err := decodeDocument(content)
		if err != nil {
			t.Fatal(err)
		}
		if got := encodeDocument(&b); !strings.Contains(got, want) {
			t.Errorf("%q re-encoded as %s", content, got)
		}
	}
	b, _ := decodeDocument("aGVs\nbG8=")
	b.Data = []byte("changed")
	if got := encodeDocument(&b); !strings.Contains(got, ">Y2hhbmdlZA==<") {
		t.Errorf("changed content encoded as %s", got)
	}
	b = Binary{Include: "doc 1@x"}
	if got := encodeDocument(&b); !strings.Contains(got, `href="cid:doc%201@x"`) {
		t.Errorf("new include encoded as %s", got)
	}
}

// FuzzBinary decodes arbitrary element content as base64Binary: what it
// accepts re-encodes and decodes to the same value, with one form set.
func FuzzBinary(f *testing.F) {
	for _, s := range []string{
		"\r\n  <xop:Include href=\"cid:a-2@urn%3Aihe\"/>\r\n ", "aGVs\r\n bG8=", "", "a$b=",
		`<xop:Include href="cid:x@y"/><xop:Include href="cid:z@y"/>`, `x<xop:Include href="cid:x@y"/>`,
		`<xop:Include href="cid:%zz"/>`, `<xop:Include href="CID:x@y"><a/></xop:Include>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		b, err := decodeDocument(content)
		if err != nil {
			return
		}
		if b.Include != "" && len(b.Data) > 0 {
			t.Fatalf("both forms set: %+v", b)
		}
		out := encodeDocument(&b)
		d := xmltext.NewDecoder([]byte(out), xmltext.Options{})
		start, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		b2, err := DecodeBinary(d, &start)
		if err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		if b2.Include != b.Include || !bytes.Equal(b2.Data, b.Data) {
			t.Fatalf("%q read back as %+v, want %+v", out, b2, b)
		}
	})
}
