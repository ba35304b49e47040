package mtom

import (
	"bytes"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads a message fully and returns its root and the content of
// each attachment in order.
func readAll(ct string, body io.Reader, opts *ReaderOptions) (*Root, []*Part, [][]byte, error) {
	r, err := NewReader(ct, body, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	var parts []*Part
	var data [][]byte
	for {
		p, err := r.Next()
		if err == io.EOF {
			return r.Root(), parts, data, nil
		}
		if err != nil {
			return nil, nil, nil, err
		}
		b, err := io.ReadAll(p.Body)
		if err != nil {
			return nil, nil, nil, err
		}
		parts = append(parts, p)
		data = append(data, b)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		t.Run(fmt.Sprint(n, " attachments"), func(t *testing.T) {
			var parts []*Part
			var ids []string
			var want [][]byte
			for i := range n {
				id := fmt.Sprintf("doc-%d@urn:ihe:iti:xds-b:2007", i)
				ids = append(ids, id)
				data, _ := io.ReadAll(newPattern(uint64(i), int64(1000*i+1)))
				want = append(want, data)
				parts = append(parts, &Part{ContentID: id, ContentType: "text/xml", Body: bytes.NewReader(data),
					Header: map[string][]string{"Content-Disposition": {fmt.Sprintf("attachment; filename=\"d%d.xml\"", i)}}})
			}
			rootXML := fmt.Sprintf(testEnvelope, includes(ids...))
			ct, body := build(t, rootXML, parts...)
			root, got, data, err := readAll(ct, bytes.NewReader(body), nil)
			if err != nil {
				t.Fatal(err)
			}
			if string(root.Data) != rootXML || root.ContentID != "root@test" || !root.Multipart ||
				root.SOAPType != MediaTypeSOAP12 || root.Element != (xml.Name{Space: "http://www.w3.org/2003/05/soap-envelope", Local: "Envelope"}) {
				t.Errorf("root = %+v", root)
			}
			if fmt.Sprint(root.Includes) != fmt.Sprint(ids) {
				t.Errorf("Includes = %q, want %q", root.Includes, ids)
			}
			if len(got) != n {
				t.Fatalf("%d attachments, want %d", len(got), n)
			}
			for i, p := range got {
				if p.ContentID != ids[i] || p.ContentType != "text/xml" || !bytes.Equal(data[i], want[i]) ||
					p.Header.Get("Content-Disposition") != fmt.Sprintf("attachment; filename=\"d%d.xml\"", i) {
					t.Errorf("attachment %d: %+v, %d bytes (want %q, %d bytes)", i, p, len(data[i]), ids[i], len(want[i]))
				}
			}
		})
	}
}

// TestRoundTrip20MiBStreams sends a 20 MiB attachment through an io.Pipe and
// checks that it arrives intact and that neither side held it in memory:
// the whole exchange allocates less than 1 MiB.
func TestRoundTrip20MiBStreams(t *testing.T) {
	const size = 20 << 20
	id := "big@test"
	rootXML := fmt.Sprintf(testEnvelope, includes(id))
	var before, after runtimeMemStats
	before.read()
	pr, pw := io.Pipe()
	ctc := make(chan string, 1)
	go func() {
		w, err := NewWriter(pw, WriterOptions{})
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		ctc <- w.ContentType()
		rw, _ := w.CreateRoot()
		io.WriteString(rw, rootXML)
		if _, err := w.WriteAttachment(&Part{ContentID: id, ContentType: "application/pdf", Body: newPattern(42, size)}); err != nil {
			pw.CloseWithError(err)
			return
		}
		pw.CloseWithError(w.Close())
	}()
	r, err := NewReader(<-ctc, pr, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	n, err := io.Copy(h, p.Body)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("after the attachment: %v, want io.EOF", err)
	}
	after.read()
	if want := patternSum(42, size); n != size || !bytes.Equal(h.Sum(nil), want[:]) {
		t.Fatalf("got %d bytes with a different hash, want %d", n, size)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("a %d MiB round trip allocated %d bytes; streaming should stay under 1 MiB", size>>20, alloc)
	} else {
		t.Logf("a %d MiB round trip allocated %d bytes", size>>20, alloc)
	}
}

// rawPart is a hand-written MIME part for messages the Writer refuses to
// produce.
type rawPart struct{ header, body string }

// raw assembles a multipart body with CRLF line ends.
func raw(boundary string, parts ...rawPart) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString("--" + boundary + "\r\n")
		for _, h := range strings.Split(p.header, "\n") {
			if h != "" {
				b.WriteString(h + "\r\n")
			}
		}
		b.WriteString("\r\n" + p.body + "\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.String()
}

const (
	rawCT   = `multipart/related; type="application/xop+xml"; boundary="b1"; start="<root@x>"; start-info="application/soap+xml"`
	rootHdr = "Content-ID: <root@x>\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\""
)

var rootOne = rawPart{rootHdr, fmt.Sprintf(testEnvelope, includes("a@x"))}

func TestReaderAccepts(t *testing.T) {
	cases := []struct {
		name, ct, body string
		root           string // expected root data
		contents       []string
		check          func(*testing.T, *Root, []*Part)
	}{
		{name: "LF line ends", ct: rawCT,
			body: strings.ReplaceAll(raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A\r\nB"}), "\r\n", "\n"),
			root: rootOne.body, contents: []string{"A\nB"}},
		{name: "transport padding after boundary", ct: rawCT,
			body: strings.ReplaceAll(raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"}), "--b1\r\n", "--b1 \t \r\n"),
			root: rootOne.body, contents: []string{"A"}},
		{name: "preamble and epilogue", ct: rawCT,
			body: "This is a MIME message.\r\n" + raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"}) + "epilogue\r\n",
			root: rootOne.body, contents: []string{"A"}},
		{name: "Content-ID without brackets, start without brackets", ct: strings.Replace(rawCT, `"<root@x>"`, `"root@x"`, 1),
			body: raw("b1", rawPart{"Content-ID: root@x\nContent-Type: application/xop+xml", rootOne.body}, rawPart{"Content-ID:  a@x ", "A"}),
			root: rootOne.body, contents: []string{"A"}},
		{name: "percent-encoded href (TD3.2 style)", ct: rawCT,
			body: raw("b1", rawPart{rootHdr, fmt.Sprintf(testEnvelope, `
               <xop:Include href="cid:b857abb7-2@urn%3Aihe%3Aiti%3Axds-b%3A2007" xmlns:xop="http://www.w3.org/2004/08/xop/include"/>
            `)}, rawPart{"Content-ID: <b857abb7-2@urn:ihe:iti:xds-b:2007>", "doc"}),
			contents: []string{"doc"},
			check: func(t *testing.T, r *Root, _ []*Part) {
				if len(r.Includes) != 1 || r.Includes[0] != "b857abb7-2@urn:ihe:iti:xds-b:2007" {
					t.Errorf("Includes = %q", r.Includes)
				}
			}},
		{name: "no start parameter: first part is the root", ct: `multipart/related; boundary=b1; type="application/xop+xml"`,
			body: raw("b1", rawPart{"Content-Type: application/xop+xml; type=\"text/xml\"", rootOne.body}, rawPart{"Content-ID: <a@x>", "A"}),
			root: rootOne.body, contents: []string{"A"},
			check: func(t *testing.T, r *Root, _ []*Part) {
				if r.ContentID != "" || r.SOAPType != "text/xml" {
					t.Errorf("root id %q, SOAPType %q", r.ContentID, r.SOAPType)
				}
			}},
		{name: "SOAPType from start-info", ct: rawCT,
			body: raw("b1", rawPart{"Content-ID: <root@x>\nContent-Type: application/xop+xml", "<r/>"}),
			root: "<r/>",
			check: func(t *testing.T, r *Root, _ []*Part) {
				if r.SOAPType != MediaTypeSOAP12 {
					t.Errorf("SOAPType %q", r.SOAPType)
				}
			}},
		{name: "inline base64, no XOP part", ct: rawCT,
			body: raw("b1", rawPart{rootHdr, fmt.Sprintf(testEnvelope, "aGVsbG8=")}),
			root: fmt.Sprintf(testEnvelope, "aGVsbG8=")},
		{name: "unreferenced attachment is still delivered", ct: rawCT,
			body: raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"}, rawPart{"Content-ID: <extra@x>", "E"}),
			root: rootOne.body, contents: []string{"A", "E"}},
		{name: "base64 and quoted-printable transfer encodings", ct: rawCT,
			body: raw("b1", rawPart{rootHdr + "\nContent-Transfer-Encoding: base64", "PHIv\r\nPg=="},
				rawPart{"Content-ID: <a@x>\nContent-Transfer-Encoding: BASE64", "aGVs\r\nbG8="},
				rawPart{"Content-ID: <b@x>\nContent-Transfer-Encoding: quoted-printable", "a=3Db=\r\nc"}),
			root: "<r/>", contents: []string{"hello", "a=bc"}},
		{name: "empty attachment", ct: rawCT,
			body: raw("b1", rootOne, rawPart{"Content-ID: <a@x>", ""}),
			root: rootOne.body, contents: []string{""}},
		{name: "ISO-8859-1 root", ct: rawCT,
			body: raw("b1", rawPart{rootHdr, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>\xe9</r>"}),
			root: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>\xe9</r>"},
		{name: "plain SOAP 1.2", ct: "application/soap+xml; charset=utf-8; action=\"urn:x\"",
			body: fmt.Sprintf(testEnvelope, "aGVsbG8="), root: fmt.Sprintf(testEnvelope, "aGVsbG8="),
			check: func(t *testing.T, r *Root, _ []*Part) {
				if r.Multipart || r.SOAPType != MediaTypeSOAP12 || r.Header != nil || r.ContentID != "" {
					t.Errorf("root = %+v", r)
				}
			}},
		{name: "plain SOAP 1.1", ct: "text/xml; charset=UTF-8", body: "<r/>", root: "<r/>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root, parts, data, err := readAll(c.ct, strings.NewReader(c.body), nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.root != "" && string(root.Data) != c.root {
				t.Errorf("root %q, want %q", root.Data, c.root)
			}
			if len(data) != len(c.contents) {
				t.Fatalf("%d attachments, want %d", len(data), len(c.contents))
			}
			for i := range data {
				if string(data[i]) != c.contents[i] {
					t.Errorf("attachment %d = %q, want %q", i, data[i], c.contents[i])
				}
			}
			if c.check != nil {
				c.check(t, root, parts)
			}
		})
	}
}

func TestReaderRejects(t *testing.T) {
	big := strings.Repeat("x", 101)
	lim := &ReaderOptions{MaxRootSize: 200, MaxPartSize: 100, MaxParts: 3}
	cases := []struct {
		name, ct, body string
		opts           *ReaderOptions
		want           error
	}{
		{"missing boundary", `multipart/related; type="application/xop+xml"; start="<root@x>"`, raw("b1", rootOne), nil, ErrMissingBoundary},
		{"unparsable Content-Type", `multipart/related; boundary="b1`, raw("b1", rootOne), nil, ErrMalformed},
		{"unsupported Content-Type", `application/json`, `{}`, nil, ErrMalformed},
		{"XOP root as the whole body", `application/xop+xml`, `<r/>`, nil, ErrMalformed},
		{"no part at all", rawCT, "--b1--\r\n", nil, ErrMissingRoot},
		{"start names a later part", strings.Replace(rawCT, "<root@x>", "<a@x>", 1), raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"}), nil, ErrMissingRoot},
		{"start names no part", strings.Replace(rawCT, "<root@x>", "<nope@x>", 1), raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"}), nil, ErrMissingRoot},
		{"boundary never appears", rawCT, "just some text\r\n", nil, ErrTruncated},
		{"empty body", rawCT, "", nil, ErrTruncated},
		{"no close delimiter", rawCT, strings.TrimSuffix(raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"}), "--b1--\r\n"), nil, ErrTruncated},
		{"unknown cid", rawCT, raw("b1", rootOne, rawPart{"Content-ID: <b@x>", "B"}), nil, ErrUnknownCID},
		{"header holds the encoded form", rawCT, raw("b1", rawPart{rootHdr, fmt.Sprintf(testEnvelope, `<xop:Include href="cid:a%3Ab"/>`)}, rawPart{"Content-ID: <a%3Ab>", "B"}), nil, ErrUnknownCID},
		{"include in a plain message", "application/soap+xml", fmt.Sprintf(testEnvelope, includes("a@x")), nil, ErrUnknownCID},
		{"root media type not XML", rawCT, raw("b1", rawPart{"Content-ID: <root@x>\nContent-Type: application/octet-stream", "<r/>"}), nil, ErrRootNotXML},
		{"root without Content-Type", rawCT, raw("b1", rawPart{"Content-ID: <root@x>", "<r/>"}), nil, ErrRootNotXML},
		{"root not well-formed", rawCT, raw("b1", rawPart{rootHdr, "<r><a></r>"}), nil, ErrRootNotXML},
		{"root is text", rawCT, raw("b1", rawPart{rootHdr, "hello"}), nil, ErrRootNotXML},
		{"root has two document elements", rawCT, raw("b1", rawPart{rootHdr, "<r/><r/>"}), nil, ErrRootNotXML},
		{"root with text after the element", rawCT, raw("b1", rawPart{rootHdr, "<r/>x"}), nil, ErrRootNotXML},
		{"root in an unsupported encoding", rawCT, raw("b1", rawPart{rootHdr, `<?xml version="1.0" encoding="EBCDIC"?><r/>`}), nil, ErrRootNotXML},
		{"plain body not XML", "text/xml", "hello", nil, ErrRootNotXML},
		{"duplicate attachment Content-ID", rawCT, raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"}, rawPart{"Content-ID: <a@x>", "B"}), nil, ErrDuplicateContentID},
		{"attachment reuses the root Content-ID", rawCT, raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"}, rawPart{"Content-ID: <root@x>", "B"}), nil, ErrDuplicateContentID},
		{"attachment without Content-ID", rawCT, raw("b1", rootOne, rawPart{"Content-Type: text/plain", "A"}), nil, ErrInvalidContentID},
		{"attachment with two Content-IDs", rawCT, raw("b1", rootOne, rawPart{"Content-ID: <a@x>\nContent-ID: <b@x>", "A"}), nil, ErrInvalidContentID},
		{"attachment with empty Content-ID", rawCT, raw("b1", rootOne, rawPart{"Content-ID: <>", "A"}), nil, ErrInvalidContentID},
		{"include without href", rawCT, raw("b1", rawPart{rootHdr, fmt.Sprintf(testEnvelope, `<xop:Include/>`)}), nil, ErrInvalidContentID},
		{"include with an http href", rawCT, raw("b1", rawPart{rootHdr, fmt.Sprintf(testEnvelope, `<xop:Include href="http://x/a"/>`)}), nil, ErrInvalidContentID},
		{"include with a bad escape", rawCT, raw("b1", rawPart{rootHdr, fmt.Sprintf(testEnvelope, `<xop:Include href="cid:a%zz"/>`)}), nil, ErrInvalidContentID},
		{"unknown transfer encoding", rawCT, raw("b1", rootOne, rawPart{"Content-ID: <a@x>\nContent-Transfer-Encoding: x-uuencode", "A"}), nil, ErrMalformed},
		{"bad base64 content", rawCT, raw("b1", rootOne, rawPart{"Content-ID: <a@x>\nContent-Transfer-Encoding: base64", "!!!!"}), nil, ErrMalformed},
		{"malformed header line", rawCT, raw("b1", rootOne, rawPart{"Content-ID: <a@x>\nnot a header", "A"}), nil, ErrMalformed},
		{"delimiter line longer than 4 KiB", rawCT, strings.Replace(raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"}), "--b1\r\nContent-ID: <a@x>", "--b1"+strings.Repeat(" ", 5000)+"\r\nContent-ID: <a@x>", 1), nil, ErrMalformed},
		{"root larger than MaxRootSize", rawCT, raw("b1", rawPart{rootHdr, "<r>" + strings.Repeat("x", 200) + "</r>"}), lim, ErrTooLarge},
		{"plain body larger than MaxRootSize", "text/xml", "<r>" + strings.Repeat("x", 200) + "</r>", lim, ErrTooLarge},
		{"attachment larger than MaxPartSize", rawCT, raw("b1", rootOne, rawPart{"Content-ID: <a@x>", big}), lim, ErrTooLarge},
		{"too many parts", rawCT, raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"}, rawPart{"Content-ID: <b@x>", "B"}, rawPart{"Content-ID: <c@x>", "C"}), lim, ErrTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root, _, _, err := readAll(c.ct, strings.NewReader(c.body), c.opts)
			var me *Error
			if !errors.Is(err, c.want) || !errors.As(err, &me) {
				t.Fatalf("err = %v, want an *Error of kind %v", err, c.want)
			}
			if root != nil {
				t.Fatalf("a failed read returned a root")
			}
			t.Log(err)
		})
	}
}

// TestReaderEveryTruncationFails cuts a valid message at every byte: no
// prefix may read as a complete message, except the one that only lacks the
// CRLF after the close delimiter (which RFC 2046 makes optional).
func TestReaderEveryTruncationFails(t *testing.T) {
	ct, body := build(t, fmt.Sprintf(testEnvelope, includes("a@x", "b@x")),
		&Part{ContentID: "a@x", Body: strings.NewReader("first\r\n--MIMEBoundary_tes")},
		&Part{ContentID: "b@x", Body: strings.NewReader("second")})
	for i := range len(body) {
		prefix := body[:i]
		_, _, _, err := readAll(ct, bytes.NewReader(prefix), nil)
		if bytes.HasSuffix(prefix, []byte("--MIMEBoundary_test--")) {
			if err != nil {
				t.Errorf("cut at %d (only the final CRLF missing): %v", i, err)
			}
			continue
		}
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("cut at %d (%q): err = %v, want ErrTruncated", i, prefix[max(0, i-20):], err)
		}
	}
}

func TestReaderLimitIsInclusive(t *testing.T) {
	body := raw("b1", rootOne, rawPart{"Content-ID: <a@x>", strings.Repeat("x", 100)})
	_, _, data, err := readAll(rawCT, strings.NewReader(body), &ReaderOptions{MaxPartSize: 100, MaxRootSize: int64(len(rootOne.body))})
	if err != nil || len(data[0]) != 100 {
		t.Fatalf("a part of exactly MaxPartSize: %v", err)
	}
}

func TestReaderSkippedPartIsStillChecked(t *testing.T) {
	body := raw("b1", rootOne, rawPart{"Content-ID: <a@x>", strings.Repeat("x", 101)})
	r, err := NewReader(rawCT, strings.NewReader(body), &ReaderOptions{MaxPartSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err = r.Next() // the caller did not read the part
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if _, err2 := r.Next(); err2 != err {
		t.Fatalf("error is not sticky: %v then %v", err, err2)
	}
}

func TestReaderTruncatedPartBody(t *testing.T) {
	body := raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "0123456789"})
	body = body[:strings.Index(body, "0123")+5]
	r, err := NewReader(rawCT, strings.NewReader(body), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(p.Body)
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("reading a cut part: %q, %v; want ErrTruncated", data, err)
	}
	if _, err2 := r.Next(); err2 != err {
		t.Fatalf("Next after a cut part = %v, want the sticky %v", err2, err)
	}
}

func TestReaderIOErrorIsPassedThrough(t *testing.T) {
	boom := errors.New("connection reset")
	full := raw("b1", rootOne, rawPart{"Content-ID: <a@x>", strings.Repeat("x", 10000)})
	for _, cut := range []int{0, 50, len(full) - 5000} {
		body := io.MultiReader(strings.NewReader(full[:cut]), iotest.ErrReader(boom))
		_, _, _, err := readAll(rawCT, body, nil)
		var me *Error
		if !errors.Is(err, boom) || errors.As(err, &me) {
			t.Errorf("cut %d: err = %v, want the I/O error, not an *Error", cut, err)
		}
	}
	_, _, _, err := readAll("text/xml", iotest.ErrReader(boom), nil)
	if !errors.Is(err, boom) {
		t.Errorf("plain body: err = %v", err)
	}
}

func TestReaderSlowBody(t *testing.T) {
	ct, body := build(t, fmt.Sprintf(testEnvelope, includes("a@x")), &Part{ContentID: "a@x", Body: newPattern(1, 100000)})
	_, _, data, err := readAll(ct, iotest.HalfReader(iotest.OneByteReader(bytes.NewReader(body))), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(data[0]) != patternSum(1, 100000) {
		t.Fatal("content differs")
	}
}
