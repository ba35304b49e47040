package mtom

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = ReaderOptions{MaxRootSize: 1 << 20, MaxPartSize: 1 << 20, MaxParts: 64}

// FuzzReader feeds arbitrary Content-Types and bodies to the Reader. Every
// failure must be an *Error (the body is in memory, so there is no I/O
// error); every success must be a consistent message that the Writer
// re-encodes into one that reads back the same.
func FuzzReader(f *testing.F) {
	for _, n := range []int{0, 1, 3} {
		var parts []*Part
		var ids []string
		for i := range n {
			id := fmt.Sprintf("d%d@urn:ihe:iti:xds-b:2007", i)
			ids = append(ids, id)
			parts = append(parts, &Part{ContentID: id, ContentType: "text/xml", Body: newPattern(uint64(i), int64(40*i))})
		}
		ct, body := build(f, fmt.Sprintf(testEnvelope, includes(ids...)), parts...)
		f.Add(ct, body)
		f.Add(ct, body[:len(body)*2/3])
	}
	f.Add(rawCT, []byte(strings.ReplaceAll(raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"}), "\r\n", "\n")))
	f.Add(rawCT, []byte(raw("b1", rawPart{rootHdr + "\nContent-Transfer-Encoding: base64", "PHIv\r\nPg=="},
		rawPart{"Content-ID: <a@x>\nContent-Transfer-Encoding: quoted-printable", "a=3Db=\r\nc"})))
	f.Add(rawCT, []byte(raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"}, rawPart{"Content-ID: <a@x>", "B"})))
	f.Add("application/soap+xml; charset=utf-8", []byte(fmt.Sprintf(testEnvelope, "aGVsbG8=")))
	f.Add("text/xml", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><r>`+"\xe9"+`</r>`))
	f.Add(`multipart/related; type="application/xop+xml"`, []byte("--x\r\n\r\n<r/>\r\n--x--"))
	if testenv.InCI() || testenv.KitDir() != "" {
		td21Body, err := os.ReadFile(testenv.KitFile(f, examples+"TD2.1_Alimentation_requete.xml"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(td21ContentType(f, td21Body), td21Body)
		td32, err := os.ReadFile(testenv.KitFile(f, examples+"TD3.2_Consultation-dun-document_reponse.xml"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add("application/soap+xml", td32)
		ct, body := build(f, string(td32), &Part{ContentID: td32CID, ContentType: "text/xml", Body: strings.NewReader("<doc/>")})
		f.Add(ct, body)
	}
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		root, parts, data, err := readAll(ct, bytes.NewReader(body), &fuzzLimits)
		if err != nil {
			var me *Error
			if !errors.As(err, &me) || me.Kind == nil || err.Error() == "" {
				t.Fatalf("error %v (%T) is not a well-formed *Error", err, err)
			}
			return
		}
		ids := map[string]bool{}
		if root.ContentID != "" {
			ids[root.ContentID] = true
		}
		for _, p := range parts {
			if checkContentID(p.ContentID) != "" || ids[p.ContentID] {
				t.Fatalf("accepted an invalid or duplicate Content-ID %q", p.ContentID)
			}
			ids[p.ContentID] = true
		}
		for _, id := range root.Includes {
			if !ids[id] {
				t.Fatalf("accepted an unresolved include %q", id)
			}
		}
		if _, _, xerr := scanRoot(root.Data); xerr != nil {
			t.Fatalf("accepted a root that is not XML: %v", xerr)
		}
		// Re-encode and read back.
		var buf bytes.Buffer
		w, err := NewWriter(&buf, WriterOptions{Boundary: "fuzz=_7f3a9c1e", RootContentID: root.ContentID})
		if err != nil {
			t.Fatal(err)
		}
		rw, err := w.CreateRoot()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rw.Write(root.Data); err != nil {
			if errors.Is(err, ErrBoundaryInData) {
				return
			}
			t.Fatal(err)
		}
		for i, p := range parts {
			if _, err := w.WriteAttachment(&Part{ContentID: p.ContentID, Body: bytes.NewReader(data[i])}); err != nil {
				if errors.Is(err, ErrBoundaryInData) {
					return
				}
				t.Fatalf("re-encoding part %d: %v", i, err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		root2, parts2, data2, err := readAll(w.ContentType(), &buf, &fuzzLimits)
		if err != nil {
			t.Fatalf("re-encoded message does not read: %v", err)
		}
		if !bytes.Equal(root2.Data, root.Data) || len(parts2) != len(parts) {
			t.Fatalf("re-encoded message reads back differently")
		}
		for i := range parts {
			if parts2[i].ContentID != parts[i].ContentID || !bytes.Equal(data2[i], data[i]) {
				t.Fatalf("re-encoded part %d reads back differently", i)
			}
		}
	})
}

// FuzzParseHref checks that ParseHref and Href are inverse.
func FuzzParseHref(f *testing.F) {
	for _, s := range []string{"cid:a@b", "cid:b857abb7-2@urn%3Aihe%3Aiti%3Axds-b%3A2007", "CID:%41", "cid:a%zz", "cid:", "http://x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, href string) {
		id, err := ParseHref(href)
		if err != nil {
			var me *Error
			if !errors.As(err, &me) || me.Kind != ErrInvalidContentID {
				t.Fatalf("ParseHref(%q): %v is not an ErrInvalidContentID", href, err)
			}
			if checkContentID(href) == "" {
				// A raw id that happens to be valid must survive Href.
				if got, err := ParseHref(Href(href)); err != nil || got != href {
					t.Fatalf("ParseHref(Href(%q)) = %q, %v", href, got, err)
				}
			}
			return
		}
		if checkContentID(id) != "" {
			t.Fatalf("ParseHref(%q) returned invalid id %q", href, id)
		}
		if got, err := ParseHref(Href(id)); err != nil || got != id {
			t.Fatalf("ParseHref(Href(%q)) = %q, %v", id, got, err)
		}
	})
}
