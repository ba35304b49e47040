package vet

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httputil"
	"net/textproto"
	"regexp"
	"strings"
	"time"

	"github.com/dmpgen/dmpgen/runtime/mtom"
)

// capture is one captured message as read from a file: its envelope and its
// attachments, with where they are in the file.
type capture struct {
	file      string
	data      []byte
	kind      string
	direction Direction // from the HTTP start line; Unknown otherwise
	header    textproto.MIMEHeader
	date      time.Time // HTTP Date header, zero when absent

	root         []byte // the SOAP envelope
	rootLine     int    // lines of the file before the envelope
	rootType     string // Content-Type of the root part ("" for a bare XML file)
	rootSOAPType string // media type the sender declared for the envelope
	multipart    bool
	parts        []part
}

// part is one attachment.
type part struct {
	cid, contentType string
	data             []byte
	line             int // lines of the file before the content, -1 when not found verbatim
}

var (
	requestLine = regexp.MustCompile(`^[A-Z]+ \S+ HTTP/\d(\.\d)?\r?$`)
	statusLine  = regexp.MustCompile(`^HTTP/\d(\.\d)? \d{3}( .*)?\r?$`)
	headerLine  = regexp.MustCompile(`^[!#$%&'*+.^_|~0-9A-Za-z-]+:`)
)

// readCapture reads one capture. It returns nil with the findings that
// explain why when there is no envelope to check.
func readCapture(file string, data []byte) (*capture, []Finding) {
	c := &capture{file: file, data: data, direction: Unknown}
	s := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	first, _, _ := bytes.Cut(s, []byte("\n"))
	var ct string
	var body []byte
	switch {
	case len(s) == 0:
		return nil, []Finding{c.at("capture.unreadable", 0, 0, "", "the file is empty: give a SOAP envelope, an MTOM package or an HTTP dump")}
	case requestLine.Match(first) || statusLine.Match(first):
		c.kind, c.direction = "http-request", Request
		if statusLine.Match(first) {
			c.kind, c.direction = "http-response", Response
		}
		hdr, rest, err := splitHeaders(s[len(first)+1:])
		if err != nil {
			return nil, []Finding{c.at("capture.http-malformed", 2, 0, "", fmt.Sprintf("reading the headers: %v", err))}
		}
		c.header = hdr
		body = rest
		if te := strings.ToLower(hdr.Get("Transfer-Encoding")); strings.Contains(te, "chunked") {
			if body, err = io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(rest))); err != nil {
				return nil, []Finding{c.at("capture.http-malformed", 0, 0, "", fmt.Sprintf("decoding the chunked body: %v", err))}
			}
		}
		if ce := strings.ToLower(strings.TrimSpace(hdr.Get("Content-Encoding"))); ce != "" && ce != "identity" {
			return nil, []Finding{c.at("capture.unreadable", 0, 0, "", fmt.Sprintf("Content-Encoding %q is not supported: capture the decoded body", ce))}
		}
		if d := hdr.Get("Date"); d != "" {
			if t, err := http.ParseTime(d); err == nil {
				c.date = t
			} else {
				return nil, []Finding{c.at("capture.http-malformed", 0, 0, "", fmt.Sprintf("Date header %q is not an HTTP date", d))}
			}
		}
		ct = hdr.Get("Content-Type")
	case bytes.HasPrefix(s, []byte("--")):
		// A multipart body without its headers (the TD2.1 capture): the
		// first line is the boundary.
		c.kind = "mtom"
		boundary := strings.TrimSpace(string(first[2:]))
		ct = mime.FormatMediaType("multipart/related", map[string]string{"type": mtom.MediaTypeXOP, "boundary": boundary})
		body = s
	case headerLine.Match(first):
		c.kind = "mtom"
		hdr, rest, err := splitHeaders(s)
		if err != nil {
			return nil, []Finding{c.at("capture.http-malformed", 1, 0, "", fmt.Sprintf("reading the MIME headers: %v", err))}
		}
		c.header, body, ct = hdr, rest, hdr.Get("Content-Type")
	case s[0] == '<':
		c.kind = "soap"
		c.root = data
		return c, nil
	default:
		return nil, []Finding{c.at("capture.unreadable", 1, 1, "", "neither XML, a MIME package nor an HTTP dump: give a SOAP envelope, an MTOM package with its MIME headers, or an HTTP request or response with its start line and headers")}
	}
	if ct == "" {
		return nil, []Finding{c.at("capture.content-type", 1, 0, "", "no Content-Type header: the body cannot be read without it")}
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !(mt == "multipart/related" || mt == mtom.MediaTypeSOAP12 || mt == mtom.MediaTypeSOAP11 || mt == "application/xml") {
		return nil, []Finding{c.at("capture.content-type", 1, 0, "", fmt.Sprintf("Content-Type %q is neither a SOAP type nor multipart/related", ct))}
	}
	if c.kind == "mtom" && mt != "multipart/related" {
		c.kind = "soap"
	}
	return c, c.readBody(ct, body)
}

// splitHeaders parses MIME headers up to the first empty line.
func splitHeaders(s []byte) (textproto.MIMEHeader, []byte, error) {
	end, sep := bytes.Index(s, []byte("\r\n\r\n")), 4
	if i := bytes.Index(s, []byte("\n\n")); i >= 0 && (end < 0 || i < end) {
		end, sep = i, 2
	}
	if end < 0 {
		return nil, nil, errors.New("no empty line after the headers")
	}
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(append(append([]byte(nil), s[:end]...), "\r\n\r\n"...))))
	hdr, err := tp.ReadMIMEHeader()
	if err != nil {
		return nil, nil, err
	}
	return hdr, s[end+sep:], nil
}

// readBody reads the envelope and the attachments of an HTTP or MIME body.
func (c *capture) readBody(ct string, body []byte) []Finding {
	r, err := mtom.NewReader(ct, bytes.NewReader(body), nil)
	if err != nil {
		return []Finding{c.at("mtom.malformed", 0, 0, "", err.Error())}
	}
	root := r.Root()
	c.root, c.rootType, c.rootSOAPType, c.multipart = root.Data, root.ContentType, root.SOAPType, root.Multipart
	c.rootLine = c.lineOf(root.Data)
	var out []Finding
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, mtom.ErrUnknownCID) {
			break // reported with its position by checkAttachments
		}
		if err != nil {
			out = append(out, c.at("mtom.malformed", 0, 0, "", err.Error()))
			break
		}
		data, err := io.ReadAll(p.Body)
		if err != nil {
			out = append(out, c.at("mtom.malformed", 0, 0, "", fmt.Sprintf("reading part <%s>: %v", p.ContentID, err)))
			break
		}
		c.parts = append(c.parts, part{cid: p.ContentID, contentType: p.ContentType, data: data, line: c.lineOf(data)})
	}
	return out
}

// lineOf returns the number of lines of the file before b, which is a
// slice of content found verbatim in it; -1 when it is not there.
func (c *capture) lineOf(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	i := bytes.Index(c.data, b)
	if i < 0 {
		return -1
	}
	return bytes.Count(c.data[:i], []byte("\n"))
}

// at returns a finding of rule id positioned in the file.
func (c *capture) at(id string, line, col int, path, msg string) Finding {
	r := lookup(id)
	return Finding{Rule: id, Severity: r.Severity, Layer: r.Layer, File: c.file, Line: line, Col: col, Path: path, Message: msg, Ref: r.Ref}
}

// headerLine returns the line of the header name: in the root part's
// headers (the last one before the envelope) when inRoot, else in the
// HTTP or MIME headers at the top of the file; 0 when not found.
func (c *capture) headerLine(name string, inRoot bool) int {
	lines := bytes.Split(c.data, []byte("\n"))
	prefix := strings.ToLower(name) + ":"
	found := 0
	for i, l := range lines {
		if inRoot && i >= c.rootLine {
			break
		}
		if !inRoot && len(bytes.TrimSpace(l)) == 0 && i > 0 {
			break
		}
		if strings.HasPrefix(strings.ToLower(string(l)), prefix) {
			found = i + 1
			if !inRoot {
				return found
			}
		}
	}
	return found
}
