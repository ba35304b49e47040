package mtom

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
)

// Default limits of [ReaderOptions].
const (
	DefaultMaxRootSize = 32 << 20  // 32 MiB: room for inline base64 documents
	DefaultMaxPartSize = 256 << 20 // 256 MiB per attachment
	DefaultMaxParts    = 1000      // root included
)

// ReaderOptions limits what a [Reader] accepts. Zero or negative fields
// take the defaults.
type ReaderOptions struct {
	MaxRootSize int64 // bytes of the root part (or of a plain body)
	MaxPartSize int64 // decoded bytes of each attachment
	MaxParts    int   // parts in the message, root included
}

// Root is the root part of a received message: the SOAP envelope.
type Root struct {
	ContentID   string               // Content-ID of the root part; "" when absent or plain
	ContentType string               // Content-Type of the root part (of the body when plain)
	Header      textproto.MIMEHeader // headers of the root part; nil when plain
	// SOAPType is the media type of the envelope: the type parameter of an
	// application/xop+xml root (else the start-info parameter), or the root's
	// own media type, such as application/soap+xml or text/xml. It says what
	// the sender declared, not what the envelope is: the DMP TD2.1 capture
	// declares application/soap+xml around a SOAP 1.1 envelope (see Element).
	SOAPType string
	// Element is the name of the document element, e.g. {http://www.w3.org/2003/05/soap-envelope Envelope}.
	Element xml.Name
	// Includes lists the Content-IDs referenced by xop:Include elements, in
	// document order, without repetition.
	Includes  []string
	Multipart bool   // whether the message was multipart/related
	Data      []byte // the XML, transfer-decoded
}

// Reader reads an MTOM/XOP message (or a plain SOAP body): the root part at
// once, then each attachment in order through [Reader.Next]. A Reader is not
// safe for concurrent use.
type Reader struct {
	opts     ReaderOptions
	src      *srcReader
	mr       *multipart.Reader
	boundary string
	root     Root
	seen     map[string]bool // Content-IDs of the parts read, root included
	parts    int             // parts read, root included
	cur      *partBody       // body of the last part returned by Next
	err      error           // sticky error
	finished bool
}

// NewReader reads the root part of the message whose HTTP Content-Type is
// contentType and whose body is body. opts may be nil.
//
// contentType may be multipart/related (an MTOM/XOP or SwA package; the root
// is the part named by the start parameter, which must be the first part,
// as every SOAP stack sends it) or application/soap+xml, text/xml or
// application/xml (a plain body: the whole body is the root and there are no
// attachments).
func NewReader(contentType string, body io.Reader, opts *ReaderOptions) (*Reader, error) {
	r := &Reader{src: &srcReader{r: body}, seen: map[string]bool{}}
	if opts != nil {
		r.opts = *opts
	}
	if r.opts.MaxRootSize <= 0 {
		r.opts.MaxRootSize = DefaultMaxRootSize
	}
	if r.opts.MaxPartSize <= 0 {
		r.opts.MaxPartSize = DefaultMaxPartSize
	}
	if r.opts.MaxParts <= 0 {
		r.opts.MaxParts = DefaultMaxParts
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, &Error{Kind: ErrMalformed, Part: -1, Msg: "Content-Type " + quote(contentType), Err: err}
	}
	switch {
	case mt == "multipart/related":
		if err := r.readMultipartRoot(params); err != nil {
			return nil, err
		}
	case isXMLType(mt) && mt != MediaTypeXOP:
		r.root = Root{ContentType: contentType, SOAPType: mt}
		if err := r.readRoot(r.src); err != nil {
			return nil, err
		}
		if len(r.root.Includes) > 0 {
			return nil, &Error{Kind: ErrUnknownCID, Part: 0, ContentID: r.root.Includes[0],
				Msg: "a plain (non-multipart) message has no parts to include"}
		}
		r.finished = true
	default:
		return nil, errorf(ErrMalformed, "unsupported Content-Type %s: want multipart/related, application/soap+xml or text/xml", quote(contentType))
	}
	return r, nil
}

func (r *Reader) readMultipartRoot(params map[string]string) error {
	boundary := params["boundary"]
	if boundary == "" {
		return errorf(ErrMissingBoundary, "multipart/related Content-Type has no boundary parameter")
	}
	// A larger buffer under multipart's own 4 KiB one cuts the number of
	// reads from the body (an io.Pipe or a TLS connection).
	r.boundary = boundary
	r.src.endErr = errBodyEnd
	r.mr = multipart.NewReader(bufio.NewReaderSize(r.src, 64<<10), boundary)
	p, err := r.nextRawPart()
	if err != nil {
		if err == io.EOF {
			return &Error{Kind: ErrMissingRoot, Part: 0, Msg: "the message has no part"}
		}
		return r.classify(err, 0, "")
	}
	r.parts = 1
	r.root.Multipart = true
	r.root.Header = p.Header
	r.root.ContentType = p.Header.Get("Content-Type")
	r.root.ContentID = headerContentID(p.Header.Get("Content-ID"))
	if n := len(p.Header.Values("Content-ID")); n > 1 {
		return &Error{Kind: ErrInvalidContentID, Part: 0, Msg: fmt.Sprintf("root part has %d Content-ID headers", n)}
	}
	if start, ok := params["start"]; ok {
		want := headerContentID(start)
		if want != r.root.ContentID {
			return &Error{Kind: ErrMissingRoot, Part: 0, ContentID: r.root.ContentID,
				Msg: fmt.Sprintf("start parameter names <%s> but the first part is <%s>; the root must be the first part", want, r.root.ContentID)}
		}
	}
	if r.root.ContentID != "" {
		if msg := checkContentID(r.root.ContentID); msg != "" {
			return &Error{Kind: ErrInvalidContentID, Part: 0, Msg: msg}
		}
		r.seen[r.root.ContentID] = true
	}
	mt, rp, err := mime.ParseMediaType(r.root.ContentType)
	if err != nil || !isXMLType(mt) {
		return &Error{Kind: ErrRootNotXML, Part: 0, ContentID: r.root.ContentID,
			Msg: "root Content-Type " + quote(r.root.ContentType) + " is not an XML media type", Err: err}
	}
	r.root.SOAPType = mt
	if mt == MediaTypeXOP {
		r.root.SOAPType = ""
		if t, _, err := mime.ParseMediaType(rp["type"]); err == nil {
			r.root.SOAPType = t
		} else if t, _, err := mime.ParseMediaType(params["start-info"]); err == nil {
			r.root.SOAPType = t
		}
	}
	body, derr := decodeTransfer(p)
	if derr != nil {
		derr.Part, derr.ContentID = 0, r.root.ContentID
		return derr
	}
	return r.readRoot(body)
}

// readRoot reads and checks the root XML from body.
func (r *Reader) readRoot(body io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(body, plusOne(r.opts.MaxRootSize)))
	if err != nil {
		return r.classify(err, 0, r.root.ContentID)
	}
	if int64(len(data)) > r.opts.MaxRootSize {
		return &Error{Kind: ErrTooLarge, Part: 0, ContentID: r.root.ContentID,
			Msg: fmt.Sprintf("root part larger than MaxRootSize (%d bytes)", r.opts.MaxRootSize)}
	}
	r.root.Data = data
	el, includes, xerr := scanRoot(data)
	if xerr != nil {
		xerr.Part, xerr.ContentID = 0, r.root.ContentID
		return xerr
	}
	r.root.Element, r.root.Includes = el, includes
	return nil
}

// Root returns the root part. The caller must not modify it.
func (r *Reader) Root() *Root { return &r.root }

// Next returns the next attachment. Its Body streams the part's content and
// is valid until the next call to Next; unread content is skipped (but still
// checked against the limits). Next returns io.EOF once the close delimiter
// has been read and every xop:Include of the root has been matched by a
// part; only then is the message known to be complete. Any other error means
// the message is bad (an [*Error]) or the body could not be read, and the
// content streamed so far must be discarded.
func (r *Reader) Next() (*Part, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.finished {
		return nil, io.EOF
	}
	if r.cur != nil {
		if _, err := io.Copy(io.Discard, r.cur); err != nil {
			return nil, r.err
		}
		r.cur = nil
	}
	idx := r.parts
	p, err := r.nextRawPart()
	if err == io.EOF {
		r.finished = true
		for _, id := range r.root.Includes {
			if !r.seen[id] {
				return nil, r.fail(&Error{Kind: ErrUnknownCID, Part: -1, ContentID: id,
					Msg: "the root references it with xop:Include but no part has this Content-ID"})
			}
		}
		return nil, io.EOF
	}
	if err != nil {
		return nil, r.fail(r.classify(err, idx, ""))
	}
	r.parts++
	if r.parts > r.opts.MaxParts {
		return nil, r.fail(&Error{Kind: ErrTooLarge, Part: idx, Msg: fmt.Sprintf("more than MaxParts (%d) parts", r.opts.MaxParts)})
	}
	raw := p.Header.Values("Content-ID")
	if len(raw) != 1 {
		return nil, r.fail(&Error{Kind: ErrInvalidContentID, Part: idx,
			Msg: fmt.Sprintf("attachment has %d Content-ID headers, want 1", len(raw))})
	}
	id := headerContentID(raw[0])
	if msg := checkContentID(id); msg != "" {
		return nil, r.fail(&Error{Kind: ErrInvalidContentID, Part: idx, Msg: msg})
	}
	if r.seen[id] {
		return nil, r.fail(&Error{Kind: ErrDuplicateContentID, Part: idx, ContentID: id})
	}
	r.seen[id] = true
	body, derr := decodeTransfer(p)
	if derr != nil {
		derr.Part, derr.ContentID = idx, id
		return nil, r.fail(derr)
	}
	r.cur = &partBody{r: r, src: body, max: r.opts.MaxPartSize, part: idx, cid: id}
	return &Part{ContentID: id, ContentType: p.Header.Get("Content-Type"), Header: p.Header, Body: r.cur}, nil
}

// nextRawPart returns the next part, or io.EOF after the close delimiter.
func (r *Reader) nextRawPart() (*multipart.Part, error) {
	p, err := r.mr.NextRawPart()
	if err != nil && errors.Is(err, errBodyEnd) && r.src.endsWithClose(r.boundary) {
		return nil, io.EOF
	}
	return p, err
}

func (r *Reader) fail(err error) error {
	r.err = err
	return err
}

// classify turns an error met while parsing into the error to report:
// a failure of the body reader is wrapped as is; the end of the body, or any
// error once the body has ended without a close delimiter (a header cut in
// the middle reads as malformed), is ErrTruncated; anything else is
// ErrMalformed.
func (r *Reader) classify(err error, part int, cid string) error {
	var me *Error
	switch {
	case errors.As(err, &me):
		return me
	case r.src.err != nil:
		return fmt.Errorf("mtom: reading part %d: %w", part, r.src.err)
	case errors.Is(err, errBodyEnd) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || r.src.cutShort(r.boundary):
		return &Error{Kind: ErrTruncated, Part: part, ContentID: cid, Msg: "the body ends before the close delimiter", Err: err}
	}
	return &Error{Kind: ErrMalformed, Part: part, ContentID: cid, Err: err}
}

// errBodyEnd replaces io.EOF from the body under mime/multipart, which
// otherwise reports a body cut right after a delimiter line (or inside the
// part headers) as a plain io.EOF, the value that also means "close
// delimiter read". With errBodyEnd, a bare io.EOF from NextRawPart can only
// come from a close delimiter followed by a line end.
var errBodyEnd = errors.New("body ended")

// srcReader reads the message body. It records the first error other than
// io.EOF, to tell I/O failures from bad content, keeps the last bytes read,
// and reports the end of the body as endErr (io.EOF when nil).
type srcReader struct {
	r      io.Reader
	endErr error
	err    error
	eof    bool
	n      int64
	tail   []byte // at most tailSize last bytes read
}

// tailSize bounds srcReader.tail: a 70-byte boundary, its dashes, line end
// and transport padding.
const tailSize = 256

func (s *srcReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.n += int64(n)
	if n > 0 {
		if s.tail == nil {
			s.tail = make([]byte, 0, 2*tailSize)
		}
		s.tail = keepTail(s.tail, p[:n], tailSize)
	}
	if err == io.EOF {
		s.eof = true
		if s.endErr != nil {
			err = s.endErr
		}
	} else if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}

// endsWithClose reports whether the body ended right after a close
// delimiter without a line end, "--boundary--" at a line start, which
// mime/multipart then reports with the end-of-body error.
func (s *srcReader) endsWithClose(boundary string) bool {
	if !s.eof {
		return false
	}
	t := bytes.TrimRight(s.tail, " \t")
	d := "--" + boundary + "--"
	return bytes.HasSuffix(t, []byte("\n"+d)) || s.n == int64(len(t)) && string(t) == d
}

// cutShort reports whether the body has ended and its last bytes hold no
// close delimiter: a part header cut in the middle then reads as malformed
// to mime/multipart, but the message is truncated.
func (s *srcReader) cutShort(boundary string) bool {
	return s.eof && boundary != "" && !bytes.Contains(s.tail, []byte("--"+boundary+"--"))
}

// partBody is the Body of an attachment returned by Next: it enforces the
// size limit and turns errors into the Reader's sticky error.
type partBody struct {
	r    *Reader
	src  io.Reader
	n    int64
	max  int64
	part int
	cid  string
}

func (b *partBody) Read(p []byte) (int, error) {
	if b.r.err != nil {
		return 0, b.r.err
	}
	if b.max-b.n < int64(len(p)) { // read at most one byte past the limit
		p = p[:b.max-b.n+1]
	}
	n, err := b.src.Read(p)
	b.n += int64(n)
	if b.n > b.max {
		return 0, b.r.fail(&Error{Kind: ErrTooLarge, Part: b.part, ContentID: b.cid,
			Msg: fmt.Sprintf("attachment larger than MaxPartSize (%d bytes)", b.max)})
	}
	if err != nil && err != io.EOF {
		return n, b.r.fail(b.r.classify(err, b.part, b.cid))
	}
	return n, err
}

// decodeTransfer returns the content of p with its Content-Transfer-Encoding
// undone.
func decodeTransfer(p *multipart.Part) (io.Reader, *Error) {
	cte := strings.ToLower(strings.TrimSpace(p.Header.Get("Content-Transfer-Encoding")))
	switch cte {
	case "", "binary", "8bit", "7bit":
		return p, nil
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, p), nil
	case "quoted-printable":
		return quotedprintable.NewReader(p), nil
	}
	return nil, &Error{Kind: ErrMalformed, Msg: "unsupported Content-Transfer-Encoding " + quote(cte)}
}

// plusOne returns n+1, or n when that would overflow.
func plusOne(n int64) int64 {
	if n == math.MaxInt64 {
		return n
	}
	return n + 1
}

// isXMLType reports whether the media type mt denotes XML.
func isXMLType(mt string) bool {
	return mt == "text/xml" || mt == "application/xml" || strings.HasSuffix(mt, "+xml")
}

// scanRoot checks that data is one well-formed XML document and returns its
// document element and the Content-IDs its xop:Include elements reference.
func scanRoot(data []byte) (xml.Name, []string, *Error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	var (
		root     xml.Name
		includes []string
		seen     = map[string]bool{}
		depth    int
		done     bool
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return root, nil, &Error{Kind: ErrRootNotXML, Err: err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if done {
					return root, nil, &Error{Kind: ErrRootNotXML, Msg: "more than one document element"}
				}
				root, done = t.Name, true
			}
			depth++
			if t.Name.Space == NamespaceXOP && t.Name.Local == "Include" {
				id, err := includeID(t)
				if err != nil {
					return root, nil, err
				}
				if !seen[id] {
					seen[id] = true
					includes = append(includes, id)
				}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.Trim(t, " \t\r\n")) > 0 {
				return root, nil, &Error{Kind: ErrRootNotXML, Msg: "text outside the document element"}
			}
		}
	}
	if !done {
		return root, nil, &Error{Kind: ErrRootNotXML, Msg: "no document element"}
	}
	return root, includes, nil
}

// includeID returns the Content-ID an xop:Include element references.
func includeID(t xml.StartElement) (string, *Error) {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == "href" {
			id, err := ParseHref(a.Value)
			if err != nil {
				return "", err.(*Error)
			}
			return id, nil
		}
	}
	return "", &Error{Kind: ErrInvalidContentID, Msg: "xop:Include without href"}
}

// charsetReader lets encoding/xml read the encodings a SOAP root may declare
// besides UTF-8: US-ASCII and ISO-8859-1.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin1", "iso_8859-1", "l1":
		return latin1Reader{bufio.NewReader(in)}, nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q", label)
}

// latin1Reader converts ISO-8859-1 to UTF-8.
type latin1Reader struct{ r *bufio.Reader }

func (l latin1Reader) Read(p []byte) (int, error) {
	n := 0
	for n+2 <= len(p) {
		c, err := l.r.ReadByte()
		if err != nil {
			return n, err
		}
		if c < 0x80 {
			p[n] = c
			n++
			continue
		}
		p[n], p[n+1] = 0xc0|c>>6, 0x80|c&0x3f
		n += 2
	}
	if n == 0 && len(p) > 0 {
		return 0, io.ErrShortBuffer
	}
	return n, nil
}
