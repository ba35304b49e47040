package mtom

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"mime"
	"strings"
	"testing"
	"testing/iotest"
)

func TestWriterExactBytes(t *testing.T) {
	ct, got := build(t, `<root/>`,
		&Part{ContentID: "doc-1@test", ContentType: "text/xml; charset=UTF-8", Body: strings.NewReader("<doc/>")},
		&Part{ContentID: "a:b/c%d@urn", Body: strings.NewReader("\x00\xff"),
			Header: map[string][]string{"Content-Disposition": {`attachment; filename="x.bin"`}, "content-type": {"ignored/x"}}},
	)
	want := "--MIMEBoundary_test\r\n" +
		"Content-ID: <root@test>\r\n" +
		"Content-Transfer-Encoding: binary\r\n" +
		`Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"; action="urn:test"` + "\r\n" +
		"\r\n" +
		"<root/>\r\n" +
		"--MIMEBoundary_test\r\n" +
		"Content-ID: <doc-1@test>\r\n" +
		"Content-Transfer-Encoding: binary\r\n" +
		"Content-Type: text/xml; charset=UTF-8\r\n" +
		"\r\n" +
		"<doc/>\r\n" +
		"--MIMEBoundary_test\r\n" +
		"Content-Disposition: attachment; filename=\"x.bin\"\r\n" +
		"Content-ID: <a:b/c%d@urn>\r\n" +
		"Content-Transfer-Encoding: binary\r\n" +
		"Content-Type: application/octet-stream\r\n" +
		"\r\n" +
		"\x00\xff\r\n" +
		"--MIMEBoundary_test--\r\n"
	if string(got) != want {
		t.Errorf("package bytes:\n got %q\nwant %q", got, want)
	}
	wantCT := `multipart/related; type="application/xop+xml"; boundary="MIMEBoundary_test"; start="<root@test>"; start-info="application/soap+xml"; action="urn:test"`
	if ct != wantCT {
		t.Errorf("ContentType:\n got %s\nwant %s", ct, wantCT)
	}
}

func TestWriterContentIDWithSpaceIsRejected(t *testing.T) {
	// The id in TestWriterExactBytes has a space: it must actually fail.
	w, _ := NewWriter(io.Discard, WriterOptions{})
	rw, _ := w.CreateRoot()
	io.WriteString(rw, "<r/>")
	_, err := w.WriteAttachment(&Part{ContentID: "a b", Body: strings.NewReader("")})
	if !errors.Is(err, ErrInvalidContentID) {
		t.Fatalf("err = %v, want ErrInvalidContentID", err)
	}
}

func TestWriterContentTypeParses(t *testing.T) {
	for _, opts := range []WriterOptions{
		{},
		{Action: `urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b`},
		{Action: `urn:"quoted"\back`, Boundary: "uuid:0f3a-() +_,-./:=?x", RootContentID: "root.message@cxf.apache.org"},
		{SOAP11: true},
	} {
		w, err := NewWriter(io.Discard, opts)
		if err != nil {
			t.Fatalf("%+v: %v", opts, err)
		}
		mt, params, err := mime.ParseMediaType(w.ContentType())
		if err != nil {
			t.Fatalf("%s: %v", w.ContentType(), err)
		}
		wantInfo := MediaTypeSOAP12
		if opts.SOAP11 {
			wantInfo = MediaTypeSOAP11
		}
		checks := map[string]string{
			"type": MediaTypeXOP, "start": "<" + w.RootContentID() + ">", "start-info": wantInfo, "action": opts.Action,
		}
		if opts.Boundary != "" {
			checks["boundary"] = opts.Boundary
		}
		if mt != "multipart/related" || params["boundary"] == "" {
			t.Errorf("%s: media type %q, boundary %q", w.ContentType(), mt, params["boundary"])
		}
		for k, v := range checks {
			if params[k] != v {
				t.Errorf("%s: parameter %s = %q, want %q", w.ContentType(), k, params[k], v)
			}
		}
	}
}

func TestWriterDeterministicWithRand(t *testing.T) {
	out := func() (string, []byte) {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, WriterOptions{Rand: rand.NewChaCha8([32]byte{1})})
		if err != nil {
			t.Fatal(err)
		}
		id, href := w.NewContentID()
		rw, _ := w.CreateRoot()
		io.WriteString(rw, `<r><xop:Include xmlns:xop="`+NamespaceXOP+`" href="`+href+`"/></r>`)
		if _, err := w.WriteAttachment(&Part{ContentID: id, Body: strings.NewReader("x")}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return w.ContentType(), buf.Bytes()
	}
	ct1, b1 := out()
	ct2, b2 := out()
	if ct1 != ct2 || !bytes.Equal(b1, b2) {
		t.Errorf("same Rand, different output:\n%s\n%q\n%s\n%q", ct1, b1, ct2, b2)
	}
	w1, _ := NewWriter(io.Discard, WriterOptions{})
	w2, _ := NewWriter(io.Discard, WriterOptions{})
	if w1.ContentType() == w2.ContentType() {
		t.Errorf("two default writers share boundary and root id: %s", w1.ContentType())
	}
}

func TestWriterNewContentIDUnique(t *testing.T) {
	w, _ := NewWriter(io.Discard, WriterOptions{Rand: rand.NewChaCha8([32]byte{2})})
	seen := map[string]bool{w.RootContentID(): true}
	for range 100 {
		id, href := w.NewContentID()
		if seen[id] {
			t.Fatalf("NewContentID repeated %q", id)
		}
		seen[id] = true
		if got, err := ParseHref(href); err != nil || got != id {
			t.Fatalf("ParseHref(%q) = %q, %v; want %q", href, got, err, id)
		}
		if msg := checkContentID(id); msg != "" {
			t.Fatal(msg)
		}
	}
}

// writeSeq runs steps on a fresh writer and returns the first error.
func writeSeq(t *testing.T, opts WriterOptions, steps ...func(*Writer) error) error {
	t.Helper()
	w, err := NewWriter(io.Discard, opts)
	if err != nil {
		return err
	}
	for _, s := range steps {
		if err := s(w); err != nil {
			return err
		}
	}
	return nil
}

func root(s string) func(*Writer) error {
	return func(w *Writer) error {
		rw, err := w.CreateRoot()
		if err != nil {
			return err
		}
		_, err = io.WriteString(rw, s)
		return err
	}
}

func attach(id, content string) func(*Writer) error {
	return func(w *Writer) error {
		_, err := w.WriteAttachment(&Part{ContentID: id, Body: strings.NewReader(content)})
		return err
	}
}

func closeW(w *Writer) error { return w.Close() }

func TestWriterErrors(t *testing.T) {
	const b = "bnd"
	cases := []struct {
		name  string
		opts  WriterOptions
		steps []func(*Writer) error
		want  error
	}{
		{"close before root", WriterOptions{}, nil, ErrMissingRoot},
		{"attachment before root", WriterOptions{}, []func(*Writer) error{attach("a@b", "x")}, ErrMissingRoot},
		{"empty root", WriterOptions{}, []func(*Writer) error{root("")}, ErrMissingRoot},
		{"root twice", WriterOptions{}, []func(*Writer) error{root("<r/>"), root("<r/>")}, ErrMalformed},
		{"duplicate attachment id", WriterOptions{}, []func(*Writer) error{root("<r/>"), attach("a@b", "x"), attach("a@b", "y")}, ErrDuplicateContentID},
		{"attachment id equals root id", WriterOptions{RootContentID: "r@b"}, []func(*Writer) error{root("<r/>"), attach("r@b", "x")}, ErrDuplicateContentID},
		{"empty attachment id", WriterOptions{}, []func(*Writer) error{root("<r/>"), attach("", "x")}, ErrInvalidContentID},
		{"angle bracket in id", WriterOptions{}, []func(*Writer) error{root("<r/>"), attach("<a@b>", "x")}, ErrInvalidContentID},
		{"non-ASCII id", WriterOptions{}, []func(*Writer) error{root("<r/>"), attach("é@b", "x")}, ErrInvalidContentID},
		{"bad root id", WriterOptions{RootContentID: "a\r\nb"}, nil, ErrInvalidContentID},
		{"bad boundary", WriterOptions{Boundary: "a\"b"}, nil, ErrMalformed},
		{"SOAP 1.1 with action", WriterOptions{SOAP11: true, Action: "urn:x"}, nil, ErrMalformed},
		{"action with newline", WriterOptions{Action: "urn:x\r\nX-Evil: 1"}, nil, ErrMalformed},
		{"boundary in root", WriterOptions{Boundary: b}, []func(*Writer) error{root("<r>--bnd</r>")}, ErrBoundaryInData},
		{"boundary in attachment", WriterOptions{Boundary: b}, []func(*Writer) error{root("<r/>"), attach("a@b", "xx\r\n--bnd--\r\n")}, ErrBoundaryInData},
		{"boundary at attachment start", WriterOptions{Boundary: b}, []func(*Writer) error{root("<r/>"), attach("a@b", "--bnd")}, ErrBoundaryInData},
		{"write after close", WriterOptions{}, []func(*Writer) error{root("<r/>"), closeW, attach("a@b", "x")}, ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := writeSeq(t, c.opts, append(c.steps, closeW)...)
			var me *Error
			if !errors.Is(err, c.want) || !errors.As(err, &me) {
				t.Fatalf("err = %v, want *Error of kind %v", err, c.want)
			}
		})
	}
}

func TestWriterBoundaryAcrossWrites(t *testing.T) {
	// The delimiter split over many one-byte reads must still be caught, and
	// no byte of a delimiter may reach the destination.
	for split := 0; split <= len("--bnd"); split++ {
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, WriterOptions{Boundary: "bnd"})
		rw, _ := w.CreateRoot()
		io.WriteString(rw, "<r/>")
		content := "abc--bnd"
		body := io.MultiReader(strings.NewReader(content[:3+split]), iotest.OneByteReader(strings.NewReader(content[3+split:])))
		_, err := w.WriteAttachment(&Part{ContentID: "a@b", Body: body})
		if !errors.Is(err, ErrBoundaryInData) {
			t.Fatalf("split %d: err = %v", split, err)
		}
		hdr := "application/octet-stream\r\n\r\n"
		if sent := buf.String()[strings.LastIndex(buf.String(), hdr)+len(hdr):]; strings.Contains(sent, "--bnd") {
			t.Fatalf("split %d: delimiter reached the destination: %q", split, buf.Bytes())
		}
		if err2 := w.Close(); err2 != err {
			t.Fatalf("split %d: Close after failure = %v, want the sticky %v", split, err2, err)
		}
	}
	// Near misses are content.
	_, err := func() (int64, error) {
		w, _ := NewWriter(io.Discard, WriterOptions{Boundary: "bnd"})
		rw, _ := w.CreateRoot()
		io.WriteString(rw, "<r>--bn d-bnd --bn</r>")
		return w.WriteAttachment(&Part{ContentID: "a@b", Body: iotest.OneByteReader(strings.NewReader("--bn\r\n-bnd\r\n--bn"))})
	}()
	if err != nil {
		t.Fatal(err)
	}
}

func TestWriterSourceError(t *testing.T) {
	boom := errors.New("disk on fire")
	w, _ := NewWriter(io.Discard, WriterOptions{})
	rw, _ := w.CreateRoot()
	io.WriteString(rw, "<r/>")
	_, err := w.WriteAttachment(&Part{ContentID: "a@b", Body: iotest.ErrReader(boom)})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	if err2 := w.Close(); !errors.Is(err2, boom) {
		t.Fatalf("Close after a failed attachment = %v, want the sticky error", err2)
	}
}
