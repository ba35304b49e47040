package cda

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// NS is the namespace of CDA R2 (HL7 v3).
const NS = "urn:hl7-org:v3"

// MaxHeader is the most bytes Read accepts before the body
// (ClinicalDocument/component) starts.
const MaxHeader = 4 << 20

// firstRead is the size of Read's first read; each further read doubles it,
// so the bytes scanned again after a short read stay linear in the input.
const firstRead = 32 << 10

// ErrNotCDA reports a document whose root is not a CDA R2 ClinicalDocument.
var ErrNotCDA = errors.New("not a CDA R2 document")

// Header is the header of a CDA R2 document: every child of
// ClinicalDocument before its body (component), as a small tree with the
// position of each element.
type Header struct {
	file string
	root *node
	m    *mapping // the header mapped, by survey
	// Warnings are the header elements present but not mapped to metadata
	// (see docs/cda.md), in document order.
	Warnings []Warning
}

// Warning is a header element the mapping does not carry into the
// metadata, or carries with a loss it says.
type Warning struct {
	File      string
	Line, Col int
	Path      string // XPath of the element
	Msg       string
}

// String formats the warning "file:line:col: path: msg".
func (w Warning) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", w.File, w.Line, w.Col, w.Path, w.Msg)
}

// node is an element of the header.
type node struct {
	name      xmltext.Name
	attrs     []xmltext.Attr
	text      strings.Builder
	kids      []*node
	seg       string // the last step of the XPath: name[k]
	path      string
	line, col int
}

// attr returns the value of the unqualified attribute local, "" when absent.
func (n *node) attr(local string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// all returns the CDA children named local.
func (n *node) all(local string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name.Space == NS && k.name.Local == local {
			out = append(out, k)
		}
	}
	return out
}

// get follows a path of CDA child names, taking the first child at each
// step; nil when one is missing.
func (n *node) get(locals ...string) *node {
	for _, l := range locals {
		if n == nil {
			return nil
		}
		var next *node
		for _, k := range n.kids {
			if k.name.Space == NS && k.name.Local == l {
				next = k
				break
			}
		}
		n = next
	}
	return n
}

// value returns the trimmed text of n, "" for nil.
func (n *node) value() string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.text.String())
}

// Read reads the header of the CDA R2 document r. It reads r only up to
// the start of the body (the component child of ClinicalDocument), by reads
// that double from 32 KiB, and never more than MaxHeader+1 bytes, so a
// large body is neither read nor held. file names the document in positions. The
// error is an *xmltext.Error (file:line:col) for a document that is not
// well-formed, wraps ErrNotCDA when the root is not
// {urn:hl7-org:v3}ClinicalDocument.
func Read(r io.Reader, file string) (*Header, error) {
	if file == "" {
		file = "<cda>"
	}
	data, err := headerBytes(r, file)
	if err != nil {
		return nil, err
	}
	h := &Header{file: file}
	if err := h.parse(data); err != nil {
		return nil, err
	}
	h.survey()
	return h, nil
}

// headerBytes reads r up to the body and returns the header, closed by an
// end tag of the root so that it is a well-formed document with the same
// lines and columns as the original.
func headerBytes(r io.Reader, file string) ([]byte, error) {
	var buf []byte
	var c cutter
	want := firstRead
	tooLarge := fmt.Errorf("%s: the header exceeds %d bytes before the body (ClinicalDocument/component) starts: not a CDA document, or its header is too large", file, MaxHeader)
	for {
		want = min(want, MaxHeader+1-len(buf))
		if want <= 0 {
			return nil, tooLarge
		}
		if cap(buf)-len(buf) < want {
			nb := make([]byte, len(buf), len(buf)+want)
			copy(nb, buf)
			buf = nb
		}
		n, err := io.ReadFull(r, buf[len(buf):len(buf)+want])
		buf = buf[:len(buf)+n]
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return nil, fmt.Errorf("%s: reading the CDA header: %w", file, err)
		}
		if len(buf) >= 2 && (buf[0] == 0xFE && buf[1] == 0xFF || buf[0] == 0xFF && buf[1] == 0xFE) {
			return nil, fmt.Errorf("%s:1:1: the CDA document is UTF-16: convert it to UTF-8", file)
		}
		if c.scan(buf, eof) {
			if c.end > MaxHeader {
				return nil, tooLarge
			}
			if c.closed {
				return buf[:c.end], nil
			}
			out := make([]byte, 0, c.end+len(c.root)+3)
			out = append(out, buf[:c.end]...)
			out = append(out, "</"...)
			out = append(out, c.root...)
			return append(out, '>'), nil
		}
		if eof {
			return buf, nil // truncated or not XML: the decoder says where
		}
		want *= 2
	}
}

// cutter finds, without decoding, where the body of a CDA document starts:
// the first start tag whose local name is component directly under the
// root (CDA R2 orders it last, so nothing of the header follows it). It skips comments, processing instructions, CDATA
// sections and quoted attribute values. A construct cut by the end of the
// buffer is scanned again after the next read.
type cutter struct {
	i      int    // where scanning resumes
	depth  int    // element nesting at i
	root   []byte // the root's qualified name
	end    int    // the cut: the body's start tag, or the end of the root
	closed bool   // the root ended before any body
}

// scan scans b from where it stopped; it reports whether the cut is found.
// At eof a construct that is still open ends the scan without a cut.
func (c *cutter) scan(b []byte, eof bool) bool {
	for {
		j := bytes.IndexByte(b[c.i:], '<')
		if j < 0 {
			c.i = len(b)
			return false
		}
		i := c.i + j
		rest := b[i:]
		var next int // offset after the construct, -1 when incomplete
		switch {
		case len(rest) < 9 && !eof:
			next = -1 // too short to tell the construct: read more
		case bytes.HasPrefix(rest, []byte("<!--")):
			next = after(b, i+4, "-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			next = after(b, i+9, "]]>")
		case bytes.HasPrefix(rest, []byte("<?")):
			next = after(b, i+2, "?>")
		case bytes.HasPrefix(rest, []byte("<!")):
			// A DOCTYPE: the decoder refuses it.
			c.end, c.closed = len(b), true
			return true
		case bytes.HasPrefix(rest, []byte("</")):
			next = after(b, i+2, ">")
			if next >= 0 {
				c.depth--
				if c.depth == 0 {
					c.end, c.closed = next, true
					return true
				}
			}
		default:
			next = tagEnd(b, i+1)
			if next < 0 {
				break
			}
			name := tagName(b[i+1 : next])
			self := b[next-2] == '/'
			switch {
			case c.depth == 0:
				c.root = append([]byte(nil), name...)
			case c.depth == 1 && bytes.Equal(localName(name), []byte("component")):
				c.end = i
				return true
			}
			if !self {
				c.depth++
			} else if c.depth == 0 {
				c.end, c.closed = next, true
				return true
			}
		}
		if next < 0 {
			c.i = i
			return false
		}
		c.i = next
	}
}

// localName returns a qualified name without its prefix.
func localName(q []byte) []byte {
	if k := bytes.IndexByte(q, ':'); k >= 0 {
		return q[k+1:]
	}
	return q
}

// after returns the offset after the first sep at or after from, -1 when
// there is none.
func after(b []byte, from int, sep string) int {
	k := bytes.Index(b[from:], []byte(sep))
	if k < 0 {
		return -1
	}
	return from + k + len(sep)
}

// tagEnd returns the offset after the '>' closing the tag whose name starts
// at from, skipping quoted attribute values; -1 when the tag is incomplete.
func tagEnd(b []byte, from int) int {
	for k := from; k < len(b); k++ {
		switch b[k] {
		case '"', '\'':
			q := bytes.IndexByte(b[k+1:], b[k])
			if q < 0 {
				return -1
			}
			k += q + 1
		case '>':
			return k + 1
		}
	}
	return -1
}

// tagName returns the qualified name at the start of a tag's content.
func tagName(t []byte) []byte {
	for k, ch := range t {
		if ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '/' || ch == '>' {
			return t[:k]
		}
	}
	return t
}

// parse decodes the header into h.root.
func (h *Header) parse(data []byte) error {
	d := xmltext.NewDecoder(data, xmltext.Options{File: h.file})
	var stack []*node
	counts := []map[string]int{{}}
	for {
		t, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t.Kind {
		case xmltext.StartElement:
			line, col := d.Position(t.Offset)
			n := &node{name: t.Name, attrs: append([]xmltext.Attr(nil), t.Attrs...), line: line, col: col}
			if len(stack) == 0 {
				if t.Name != (xmltext.Name{Space: NS, Local: "ClinicalDocument"}) {
					return fmt.Errorf("%s:%d:%d: root element %s: %w (want {%s}ClinicalDocument)", h.file, line, col, t.Name, ErrNotCDA, NS)
				}
				n.seg = "ClinicalDocument"
				h.root = n
			} else {
				p := stack[len(stack)-1]
				key := t.Name.String()
				counts[len(counts)-1][key]++
				n.seg = displayName(t.Name) + "[" + strconv.Itoa(counts[len(counts)-1][key]) + "]"
				p.kids = append(p.kids, n)
			}
			stack = append(stack, n)
			counts = append(counts, map[string]int{})
		case xmltext.EndElement:
			stack = stack[:len(stack)-1]
			counts = counts[:len(counts)-1]
		case xmltext.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t.Text)
			}
		}
	}
	if h.root == nil {
		return fmt.Errorf("%s:1:1: no root element: %w", h.file, ErrNotCDA)
	}
	h.root.setPaths("")
	return nil
}

// displayName is an element's name in an XPath: the local name for CDA
// elements, {namespace}local for others.
func displayName(n xmltext.Name) string {
	if n.Space == NS {
		return n.Local
	}
	return n.String()
}

// setPaths sets the XPath of n under its parent's path p and of its
// descendants; "[1]" is dropped for an element that is the only one of its
// name under its parent.
func (n *node) setPaths(p string) {
	n.path = p + "/" + n.seg
	seen := map[xmltext.Name]int{}
	for _, k := range n.kids {
		seen[k.name]++
	}
	for _, k := range n.kids {
		if seen[k.name] == 1 {
			k.seg = strings.TrimSuffix(k.seg, "[1]")
		}
		k.setPaths(n.path)
	}
}
