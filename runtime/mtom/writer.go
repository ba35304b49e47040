package mtom

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strconv"
	"strings"
)

// Media types used in MTOM packages.
const (
	MediaTypeXOP    = "application/xop+xml"  // root part of an XOP package
	MediaTypeSOAP12 = "application/soap+xml" // SOAP 1.2 envelope
	MediaTypeSOAP11 = "text/xml"             // SOAP 1.1 envelope
)

// WriterOptions configures a [Writer]. The zero value writes a SOAP 1.2
// package with a random boundary and random Content-IDs.
type WriterOptions struct {
	// Boundary is the multipart boundary (RFC 2046: 1 to 70 characters from
	// letters, digits and '()+_,-./:=? '). Empty means random.
	Boundary string
	// RootContentID is the Content-ID of the root part, without angle
	// brackets. Empty means one allocated like NewContentID.
	RootContentID string
	// SOAP11 selects start-info="text/xml" (a SOAP 1.1 envelope) instead of
	// application/soap+xml. SOAP 1.1 carries its action in the SOAPAction
	// HTTP header, so Action must then be empty.
	SOAP11 bool
	// Action is the SOAP 1.2 action URI, sent as the action parameter of the
	// multipart Content-Type and of the root part. Empty means none.
	Action string
	// Rand is the source of the random boundary and Content-ID prefix;
	// nil means crypto/rand. A fixed source gives byte-stable output.
	Rand io.Reader
}

// Writer writes one MTOM/XOP package: the root part first ([Writer.CreateRoot]),
// then each attachment in order ([Writer.WriteAttachment]), then the close
// delimiter ([Writer.Close]). Nothing is buffered: attachments are copied
// from their reader to the destination as they are read. After any error
// the message is unusable and every later call returns that error. A Writer
// is not safe for concurrent use.
type Writer struct {
	mw          *multipart.Writer
	guard       guardWriter
	contentType string
	rootID      string
	rootType    string          // Content-Type of the root part
	prefix      string          // random part of allocated Content-IDs
	next        int             // counter of allocated Content-IDs
	allocated   map[string]bool // Content-IDs returned by allocate
	written     map[string]bool // Content-IDs of the parts written
	parts       int             // number of parts started, root included
	state       writerState
	err         error
	buf         []byte
}

type writerState int

const (
	stateNew writerState = iota
	stateRoot
	stateAttachments
	stateClosed
)

// NewWriter returns a Writer that writes the package to dst.
func NewWriter(dst io.Writer, opts WriterOptions) (*Writer, error) {
	rnd := opts.Rand
	if rnd == nil {
		rnd = rand.Reader
	}
	var seed [24]byte
	if _, err := io.ReadFull(rnd, seed[:]); err != nil {
		return nil, fmt.Errorf("mtom: reading random bytes: %w", err)
	}
	w := &Writer{mw: multipart.NewWriter(dst), prefix: hex.EncodeToString(seed[:12]),
		allocated: map[string]bool{}, written: map[string]bool{}}
	boundary := opts.Boundary
	if boundary == "" {
		boundary = "MIMEBoundary_" + hex.EncodeToString(seed[12:])
	}
	if err := w.mw.SetBoundary(boundary); err != nil {
		return nil, &Error{Kind: ErrMalformed, Part: -1, Msg: "boundary " + quote(boundary), Err: err}
	}
	w.guard.delim = []byte("--" + boundary)
	w.rootID = opts.RootContentID
	if w.rootID == "" {
		w.rootID = w.allocate()
	}
	if msg := checkContentID(w.rootID); msg != "" {
		return nil, &Error{Kind: ErrInvalidContentID, Part: 0, Msg: msg}
	}
	soapType := MediaTypeSOAP12
	if opts.SOAP11 {
		soapType = MediaTypeSOAP11
		if opts.Action != "" {
			return nil, errorf(ErrMalformed, "the action parameter is SOAP 1.2 only; send SOAP 1.1 actions in the SOAPAction header")
		}
	}
	for i := 0; i < len(opts.Action); i++ {
		if c := opts.Action[i]; c < ' ' || c > '~' {
			return nil, errorf(ErrMalformed, "action %s contains a byte that is not printable ASCII", quote(opts.Action))
		}
	}
	action := ""
	if opts.Action != "" {
		action = "; action=" + quoteParam(opts.Action)
	}
	w.rootType = MediaTypeXOP + "; charset=UTF-8; type=" + quoteParam(soapType) + action
	w.contentType = "multipart/related; type=" + quoteParam(MediaTypeXOP) +
		"; boundary=" + quoteParam(boundary) +
		"; start=" + quoteParam("<"+w.rootID+">") +
		"; start-info=" + quoteParam(soapType) + action
	return w, nil
}

// ContentType returns the value of the HTTP Content-Type header for the
// package, e.g. multipart/related; type="application/xop+xml";
// boundary="..."; start="<root>"; start-info="application/soap+xml";
// action="urn:...".
func (w *Writer) ContentType() string { return w.contentType }

// RootContentID returns the Content-ID of the root part.
func (w *Writer) RootContentID() string { return w.rootID }

// NewContentID allocates a Content-ID that no other part of this package
// uses, and returns it with the matching cid: href for an xop:Include.
func (w *Writer) NewContentID() (contentID, href string) {
	id := w.allocate()
	return id, Href(id)
}

func (w *Writer) allocate() string {
	for {
		id := w.prefix + "-" + strconv.Itoa(w.next) + "@dmpgen"
		w.next++
		if !w.allocated[id] && !w.written[id] {
			w.allocated[id] = true
			return id
		}
	}
}

// CreateRoot starts the root part and returns the writer that receives the
// XML envelope. The returned writer is valid until the next call to
// WriteAttachment or Close, and must receive at least one byte.
func (w *Writer) CreateRoot() (io.Writer, error) {
	if w.err != nil {
		return nil, w.err
	}
	if w.state != stateNew {
		return nil, w.fail(errorf(ErrMalformed, "CreateRoot called twice"))
	}
	h := textproto.MIMEHeader{
		"Content-ID":                {"<" + w.rootID + ">"},
		"Content-Transfer-Encoding": {"binary"},
		"Content-Type":              {w.rootType},
	}
	pw, err := w.mw.CreatePart(h)
	if err != nil {
		return nil, w.fail(fmt.Errorf("mtom: writing root part header: %w", err))
	}
	w.state = stateRoot
	w.written[w.rootID] = true
	w.parts = 1
	w.guard.reset(pw, 0, w.rootID)
	return &w.guard, nil
}

// WriteAttachment writes the next part, streaming p.Body to the destination,
// and returns the number of content bytes copied. p.ContentID is required
// and must be unique in the package; an empty p.ContentType means
// application/octet-stream. p.Header may add headers (Content-Disposition
// for example); its Content-ID, Content-Type and Content-Transfer-Encoding
// entries are ignored in favour of the fields. The content is sent as is
// (Content-Transfer-Encoding: binary).
func (w *Writer) WriteAttachment(p *Part) (int64, error) {
	if err := w.endRoot("WriteAttachment"); err != nil {
		return 0, err
	}
	idx := w.parts
	if msg := checkContentID(p.ContentID); msg != "" {
		return 0, w.fail(&Error{Kind: ErrInvalidContentID, Part: idx, Msg: msg})
	}
	if w.written[p.ContentID] {
		return 0, w.fail(&Error{Kind: ErrDuplicateContentID, Part: idx, ContentID: p.ContentID})
	}
	if p.Body == nil {
		return 0, w.fail(&Error{Kind: ErrMalformed, Part: idx, ContentID: p.ContentID, Msg: "attachment has no Body"})
	}
	h, herr := attachmentHeader(p)
	if herr != nil {
		herr.Part = idx
		return 0, w.fail(herr)
	}
	pw, err := w.mw.CreatePart(h)
	if err != nil {
		return 0, w.fail(fmt.Errorf("mtom: writing part %d <%s> header: %w", idx, p.ContentID, err))
	}
	w.written[p.ContentID] = true
	w.parts++
	w.guard.reset(pw, idx, p.ContentID)
	if w.buf == nil {
		w.buf = make([]byte, 64<<10)
	}
	n, err := io.CopyBuffer(&w.guard, onlyReader{p.Body}, w.buf)
	if err != nil {
		var me *Error
		if errors.As(err, &me) {
			return n, w.fail(me)
		}
		return n, w.fail(fmt.Errorf("mtom: copying part %d <%s>: %w", idx, p.ContentID, err))
	}
	return n, nil
}

// Close writes the close delimiter. It does not close the destination.
func (w *Writer) Close() error {
	if err := w.endRoot("Close"); err != nil {
		return err
	}
	if err := w.mw.Close(); err != nil {
		return w.fail(fmt.Errorf("mtom: writing close delimiter: %w", err))
	}
	w.state = stateClosed
	w.err = errorf(ErrMalformed, "writer is closed")
	return nil
}

// endRoot checks that the root part was written before op.
func (w *Writer) endRoot(op string) error {
	if w.err != nil {
		return w.err
	}
	switch {
	case w.state == stateNew:
		return w.fail(&Error{Kind: ErrMissingRoot, Part: 0, Msg: op + " called before CreateRoot"})
	case w.state == stateRoot && w.guard.n == 0:
		return w.fail(&Error{Kind: ErrMissingRoot, Part: 0, ContentID: w.rootID, Msg: "the root part is empty"})
	}
	w.state = stateAttachments
	return nil
}

func (w *Writer) fail(err error) error {
	w.err = err
	return err
}

// attachmentHeader builds the MIME header of an attachment part.
func attachmentHeader(p *Part) (textproto.MIMEHeader, *Error) {
	ct := p.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	if _, _, err := mime.ParseMediaType(ct); err != nil || !printable(ct) {
		return nil, &Error{Kind: ErrMalformed, ContentID: p.ContentID, Msg: "Content-Type " + quote(ct), Err: err}
	}
	h := textproto.MIMEHeader{
		"Content-ID":                {"<" + p.ContentID + ">"},
		"Content-Transfer-Encoding": {"binary"},
		"Content-Type":              {ct},
	}
	for k, vs := range p.Header {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		if ck == "Content-Id" || ck == "Content-Type" || ck == "Content-Transfer-Encoding" {
			continue
		}
		if !validHeaderKey(k) {
			return nil, &Error{Kind: ErrMalformed, ContentID: p.ContentID, Msg: "header name " + quote(k)}
		}
		for _, v := range vs {
			if !printable(v) {
				return nil, &Error{Kind: ErrMalformed, ContentID: p.ContentID, Msg: "header " + k + " value " + quote(v) + " is not printable ASCII"}
			}
		}
		h[ck] = vs
	}
	return h, nil
}

// printable reports whether s holds only printable ASCII and tabs, so it can
// be written in a header without injecting lines.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c > '~' {
			return false
		}
	}
	return true
}

// validHeaderKey reports whether k is a non-empty RFC 5322 field name.
func validHeaderKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c <= ' ' || c > '~' || c == ':' {
			return false
		}
	}
	return true
}

// quoteParam returns v as a MIME quoted-string.
func quoteParam(v string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' || v[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
	}
	b.WriteByte('"')
	return b.String()
}

// onlyReader hides optional methods such as WriteTo so that io.CopyBuffer
// uses the Writer's buffer.
type onlyReader struct{ io.Reader }

// guardWriter passes content to the current part while checking that it
// never contains "--" + boundary, across Write calls too, and counts it.
// A delimiter inside content would end the part early at the receiver.
type guardWriter struct {
	w       io.Writer
	delim   []byte // "--" + boundary
	tail    []byte // last len(delim)-1 bytes of the part so far
	scratch []byte
	n       int64
	part    int
	cid     string
}

func (g *guardWriter) reset(w io.Writer, part int, cid string) {
	g.w, g.part, g.cid, g.n = w, part, cid, 0
	keep := len(g.delim) - 1
	if g.tail == nil {
		g.tail = make([]byte, 0, 2*keep)
		g.scratch = make([]byte, 0, 2*keep)
	}
	g.tail = g.tail[:0]
}

func (g *guardWriter) Write(p []byte) (int, error) {
	keep := len(g.delim) - 1
	if len(g.tail) > 0 {
		s := append(append(g.scratch[:0], g.tail...), p[:min(len(p), keep)]...)
		if bytes.Contains(s, g.delim) {
			return 0, g.inData()
		}
	}
	if bytes.Contains(p, g.delim) {
		return 0, g.inData()
	}
	g.tail = keepTail(g.tail, p, keep)
	n, err := g.w.Write(p)
	g.n += int64(n)
	return n, err
}

// keepTail returns the last n bytes of tail followed by p, reusing tail's
// storage (which needs a capacity of 2n to never grow).
func keepTail(tail, p []byte, n int) []byte {
	if len(p) >= n {
		return append(tail[:0], p[len(p)-n:]...)
	}
	tail = append(tail, p...)
	if len(tail) > n {
		tail = append(tail[:0], tail[len(tail)-n:]...)
	}
	return tail
}

func (g *guardWriter) inData() error {
	return &Error{Kind: ErrBoundaryInData, Part: g.part, ContentID: g.cid,
		Msg: "choose another boundary (the default random boundary never collides in practice)"}
}
