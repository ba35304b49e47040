package xmlbind

import (
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// decodeNil decodes <e xsi:nil="true">content</e> and reports what
// DecodeNil says, checking that the decoder ends after the element.
func decodeNil(t testing.TB, content string) error {
	in := `<e xmlns:xsi="` + XSI + `" xsi:nil="true">` + content + `</e>`
	d := xmltext.NewDecoder([]byte(in), xmltext.Options{File: "nil.xml"})
	start, err := d.Next()
	if err != nil {
		t.Fatal(err)
	}
	if !IsNil(&start) {
		t.Fatal("IsNil = false")
	}
	return DecodeNil(d, &start)
}

func TestDecodeNil(t *testing.T) {
	for _, ok := range []string{"", " \n\t ", "<!-- a comment -->", "<?pi x?>"} {
		if err := decodeNil(t, ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for content, want := range map[string]string{
		"text":          `nil.xml:1:73: e has xsi:nil="true" and text`,
		" <c/> ":        `e has xsi:nil="true" and the child element c`,
		"<![CDATA[x]]>": `and text`,
	} {
		if err := decodeNil(t, content); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", content, err, want)
		}
	}
}

func TestIsZero(t *testing.T) {
	d, _ := xsdt.ParseDate("2026-11-24")
	for v, want := range map[any]bool{"": true, "x": false, 0: true, d: false, xsdt.Date{}: true} {
		if IsZero(v) != want {
			t.Errorf("IsZero(%#v) = %v", v, !want)
		}
	}
	if !IsZero(Binary{}) || IsZero(Binary{Include: "a@b"}) || !IsZero([]string(nil)) || IsZero([]string{""}) {
		t.Error("IsZero on Binary or a list")
	}
}

// FuzzDecodeNil: content DecodeNil accepts is only whitespace, comments
// and processing instructions; anything else is an error, never dropped.
func FuzzDecodeNil(f *testing.F) {
	for _, s := range []string{"", " ", "x", "<c/>", "<!--c-->", "<?p?>", "<![CDATA[ ]]>", "&#32;", "&amp;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		in := `<e xmlns:xsi="` + XSI + `" xsi:nil="true">` + content + `</e>`
		d := xmltext.NewDecoder([]byte(in), xmltext.Options{})
		start, err := d.Next()
		if err != nil || start.Kind != xmltext.StartElement {
			return
		}
		if DecodeNil(d, &start) != nil {
			return
		}
		// Accepted: reading the same content as a DOM finds no child
		// element and no text but whitespace.
		d = xmltext.NewDecoder([]byte(in), xmltext.Options{})
		start, _ = d.Next()
		el, err := d.ReadElement(start)
		if err != nil {
			t.Fatalf("DecodeNil accepted %q, ReadElement fails: %v", content, err)
		}
		for _, n := range el.Children {
			if c, ok := n.(*xmltext.Element); ok {
				t.Fatalf("DecodeNil accepted %q with a child %s", content, c.Name)
			}
		}
		if strings.TrimSpace(el.Text()) != "" {
			t.Fatalf("DecodeNil accepted %q with text %q", content, el.Text())
		}
	})
}
