package cda

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"
)

// bodyReader is a CDA document whose body is n bytes of generated
// sections, produced as it is read: the test never holds it.
type bodyReader struct {
	head, tail []byte
	n, read    int64
	chunk      []byte
}

func (b *bodyReader) Read(p []byte) (int, error) {
	total := int64(len(b.head)) + b.n + int64(len(b.tail))
	if b.read >= total {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && b.read < total {
		var src []byte
		off := b.read
		switch {
		case off < int64(len(b.head)):
			src = b.head[off:]
		case off < int64(len(b.head))+b.n:
			i := (off - int64(len(b.head))) % int64(len(b.chunk))
			src = b.chunk[i:]
			if rest := int64(len(b.head)) + b.n - off; int64(len(src)) > rest {
				src = src[:rest]
			}
		default:
			src = b.tail[off-int64(len(b.head))-b.n:]
		}
		c := copy(p[k:], src)
		k += c
		b.read += int64(c)
	}
	return k, nil
}

// TestLargeBody: a 1 GiB body is neither read nor held; the header is.
func TestLargeBody(t *testing.T) {
	doc := string(testFile(t, "complete.xml"))
	i := strings.Index(doc, "  <component>\n    <structuredBody>")
	r := &bodyReader{
		head:  []byte(doc[:i] + "<component><structuredBody>"),
		chunk: []byte("<component><section><text>" + strings.Repeat("lorem ipsum ", 80) + "</text></section></component>\n"),
		n:     1 << 30,
		tail:  []byte("</structuredBody></component></ClinicalDocument>"),
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	e, _, err := Derive(r, "large.xml", supplied)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if e.UniqueID != "1.2.250.1.999.1.1.4242.4^CR-2024-0001" {
		t.Errorf("uniqueId %q", e.UniqueID)
	}
	if r.read > 2*firstRead {
		t.Errorf("read %d bytes of a %d-byte document; want the header and one read", r.read, int64(len(r.head))+r.n)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("allocated %d bytes for a header of %d", alloc, len(r.head))
	}
}

// TestHeaderBounds: a large header costs allocations linear in its size,
// read in doubling reads; beyond MaxHeader the error says so.
func TestHeaderBounds(t *testing.T) {
	doc := string(testFile(t, "complete.xml"))
	i := strings.Index(doc, "  <custodian>")
	a := strings.Index(doc, "  <author>")
	author := doc[a:i]
	alloc := func(n int) (uint64, error) {
		big := doc[:i] + strings.Repeat(author, n) + doc[i:]
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		h, err := Read(strings.NewReader(big), "big.xml")
		runtime.ReadMemStats(&after)
		if err == nil && len(h.m.authors) != n+1 {
			t.Errorf("%d authors read, want %d", len(h.m.authors), n+1)
		}
		return after.TotalAlloc - before.TotalAlloc, err
	}
	small, err := alloc(500)
	if err != nil {
		t.Fatal(err)
	}
	large, err := alloc(2000) // about 3 MiB of header
	if err != nil {
		t.Fatal(err)
	}
	if large > 6*small {
		t.Errorf("4 times the header allocates %d bytes, %d times as much", large, large/small)
	}
	if _, err := alloc(6000); err == nil || !strings.Contains(err.Error(), "big.xml: the header exceeds 4194304 bytes") {
		t.Errorf("a header beyond MaxHeader: %v", err)
	}
	// A comment as large as the header allows is scanned in doubling reads.
	comment := doc[:i] + "<!--" + strings.Repeat("<component> ", (MaxHeader-len(doc))/13) + "-->" + doc[i:]
	h, err := Read(strings.NewReader(comment), "comment.xml")
	if err != nil || len(h.m.authors) != 1 {
		t.Errorf("a large comment: %v", err)
	}
}

// TestCutter: the body is found after comments, processing instructions,
// CDATA sections and attribute values that look like it, whatever the
// size of the reads.
func TestCutter(t *testing.T) {
	doc := `<?xml version="1.0"?><?pi <component>?><!-- <component> --><cda:ClinicalDocument xmlns:cda="urn:hl7-org:v3" a='x>component' b="x>y">` +
		`<cda:title><![CDATA[<cda:component>]]></cda:title><cda:componentOf/><cda:id root="1"/>` +
		`<component xmlns="urn:hl7-org:v3"><nonXMLBody/></component></cda:ClinicalDocument>`
	want := strings.Index(doc, "<component ")
	for _, chunk := range []int{1, 2, 3, 7, 64, len(doc)} {
		var c cutter
		var buf []byte
		found := false
		for k := 0; k < len(doc) && !found; k += chunk {
			buf = append(buf, doc[k:min(k+chunk, len(doc))]...)
			found = c.scan(buf, len(buf) == len(doc))
		}
		if !found || c.closed || c.end != want {
			t.Errorf("reads of %d: cut at %d (found %v, closed %v), want %d", chunk, c.end, found, c.closed, want)
		}
	}
	h, err := Read(strings.NewReader(doc), "cut.xml")
	if err != nil {
		t.Fatal(err)
	}
	if h.root.get("title").value() != "<cda:component>" || h.root.get("id").attr("root") != "1" {
		t.Errorf("header %q %q", h.root.get("title").value(), h.root.get("id").attr("root"))
	}
	if len(h.Warnings) != 0 {
		t.Errorf("warnings %v", h.Warnings)
	}
	// Without a body, the whole document is the header.
	if _, err := Read(bytes.NewReader([]byte(`<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1"/></ClinicalDocument>`)), "nobody.xml"); err != nil {
		t.Error(err)
	}
}
