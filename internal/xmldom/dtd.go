package xmldom

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/dmpgen/dmpgen/internal/diag"
)

// parseWithDTD parses a document that has a DOCTYPE with encoding/xml, which
// skips the DTD. Columns are counted in bytes.
func parseWithDTD(file string, data []byte) (*Document, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	p := &parser{file: file}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = charsetReader
	p.dec = d
	root, err := p.parse()
	if err != nil {
		return nil, err
	}
	return &Document{File: file, Root: root}, nil
}

type parser struct {
	file string
	dec  *xml.Decoder
}

func (p *parser) pos() diag.Pos {
	line, col := p.dec.InputPos()
	return diag.Pos{File: p.file, Line: line, Col: col}
}

func (p *parser) errorf(pos diag.Pos, format string, args ...any) error {
	return diag.Errorf(pos, "not well-formed: "+format, args...)
}

func (p *parser) parse() (*Element, error) {
	var (
		root  *Element
		cur   *Element
		scope *Scope
	)
	for {
		pos := p.pos()
		tok, err := p.dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, p.syntaxError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if cur == nil && root != nil {
				return nil, p.errorf(pos, "content after the root element")
			}
			parentScope := scope
			if cur != nil {
				parentScope = cur.Scope
			}
			e, err := p.startElement(t, pos, parentScope)
			if err != nil {
				return nil, err
			}
			if cur != nil {
				e.Parent = cur
				cur.Children = append(cur.Children, e)
			} else {
				root = e
			}
			cur = e
		case xml.EndElement:
			if cur == nil {
				return nil, p.errorf(pos, "unexpected end tag </%s>", rawName(t.Name))
			}
			if rawName(t.Name) != cur.Name() {
				return nil, p.errorf(pos, "end tag </%s> does not match start tag <%s> at line %d", rawName(t.Name), cur.Name(), cur.Pos.Line)
			}
			cur = cur.Parent
		case xml.CharData:
			if cur == nil {
				if len(bytes.TrimSpace(t)) != 0 {
					return nil, p.errorf(pos, "character data outside the root element")
				}
				continue
			}
			cur.texts = append(cur.texts, text{after: len(cur.Children), s: string(t)})
		case xml.Directive:
			if cur != nil || root != nil {
				return nil, p.errorf(pos, "<!%s> not allowed here", firstWord(t))
			}
		case xml.ProcInst, xml.Comment:
		}
	}
	if cur != nil {
		return nil, p.errorf(p.pos(), "unexpected end of file: element <%s> at line %d is not closed", cur.Name(), cur.Pos.Line)
	}
	if root == nil {
		return nil, p.errorf(p.pos(), "no root element")
	}
	return root, nil
}

func (p *parser) startElement(t xml.StartElement, pos diag.Pos, parent *Scope) (*Element, error) {
	e := &Element{Local: t.Name.Local, Prefix: t.Name.Space, Pos: pos, Scope: parent}
	var decls []binding
	nattr := 0
	for _, a := range t.Attr {
		switch {
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			decls = append(decls, binding{"", a.Value})
		case a.Name.Space == "xmlns":
			if a.Value == "" {
				return nil, p.errorf(pos, "namespace prefix %q bound to the empty string", a.Name.Local)
			}
			if (a.Name.Local == "xml") != (a.Value == XMLNS) || a.Name.Local == "xmlns" || a.Value == XMLNSNS {
				return nil, p.errorf(pos, "reserved namespace binding xmlns:%s=%q", a.Name.Local, a.Value)
			}
			if a.Name.Local != "xml" { // always bound; not listed (as with xmltext)
				decls = append(decls, binding{a.Name.Local, a.Value})
			}
		default:
			nattr++
		}
	}
	for i := range decls {
		for j := i + 1; j < len(decls); j++ {
			if decls[i].prefix == decls[j].prefix {
				return nil, p.errorf(pos, "duplicate namespace declaration for prefix %q", decls[i].prefix)
			}
		}
	}
	if len(decls) > 0 {
		e.Scope = &Scope{parent: parent, decls: decls}
	}
	uri, ok := e.Scope.Lookup(e.Prefix)
	if !ok {
		return nil, p.errorf(pos, "undeclared namespace prefix %q in element <%s>", e.Prefix, e.Name())
	}
	e.Space = uri
	if nattr > 0 {
		e.Attrs = make([]Attr, 0, nattr)
	}
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		at := Attr{Local: a.Name.Local, Value: a.Value}
		if a.Name.Space != "" {
			u, ok := e.Scope.Lookup(a.Name.Space)
			if !ok {
				return nil, p.errorf(pos, "undeclared namespace prefix %q in attribute %s", a.Name.Space, rawName(a.Name))
			}
			at.Space = u
		}
		for _, prev := range e.Attrs {
			if prev.Local == at.Local && prev.Space == at.Space {
				return nil, p.errorf(pos, "duplicate attribute %s on <%s>", rawName(a.Name), e.Name())
			}
		}
		e.Attrs = append(e.Attrs, at)
	}
	return e, nil
}

func rawName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func firstWord(b []byte) string {
	s := string(b)
	if i := strings.IndexAny(s, " \t\r\n["); i >= 0 {
		s = s[:i]
	}
	return s
}

// syntaxError converts an encoding/xml error into a positioned error.
func (p *parser) syntaxError(err error) error {
	pos := p.pos()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if se.Line != pos.Line {
			pos.Line, pos.Col = se.Line, 0
		}
		return p.errorf(pos, "%s", se.Msg)
	}
	return p.errorf(pos, "%v", err)
}

// charsetReader decodes the single-byte encodings seen in schema files; UTF-8
// needs no reader.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8":
		return in, nil
	case "us-ascii", "ascii":
		return asciiReader{in}, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1":
		return &latin1Reader{r: in}, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q (supported: UTF-8, US-ASCII, ISO-8859-1)", label)
}

type asciiReader struct{ r io.Reader }

func (a asciiReader) Read(b []byte) (int, error) {
	n, err := a.r.Read(b)
	for _, c := range b[:n] {
		if c >= 0x80 {
			return 0, fmt.Errorf("byte 0x%02X is not US-ASCII", c)
		}
	}
	return n, err
}

// latin1Reader converts ISO-8859-1 bytes to UTF-8.
type latin1Reader struct {
	r   io.Reader
	buf []byte // pending UTF-8 output
}

func (l *latin1Reader) Read(b []byte) (int, error) {
	if len(l.buf) == 0 {
		in := make([]byte, (len(b)+1)/2)
		n, err := l.r.Read(in)
		for _, c := range in[:n] {
			l.buf = utf8.AppendRune(l.buf, rune(c))
		}
		if n == 0 {
			return 0, err
		}
	}
	n := copy(b, l.buf)
	l.buf = l.buf[n:]
	return n, nil
}
