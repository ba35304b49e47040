// Package xmldom is a small, read-only, namespace-aware XML tree with a source
// position on every element.
//
// It is built for reading schema and WSDL documents: each Element keeps its
// resolved expanded name, its attributes with resolved namespaces, the
// namespace bindings in scope (needed to resolve QName-valued attributes such
// as type="tns:Foo") and its character data. Parse reports the first
// well-formedness error as a positioned *diag.Error.
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

// XMLNS is the namespace bound to the reserved prefix "xml".
const XMLNS = "http://www.w3.org/XML/1998/namespace"

// XMLNSNS is the namespace of xmlns attributes.
const XMLNSNS = "http://www.w3.org/2000/xmlns/"

// Document is a parsed XML document.
type Document struct {
	File string // as given to Parse (the loaders pass absolute paths)
	Root *Element
}

// Attr is an attribute with its namespace resolved. Unprefixed attributes are
// in no namespace (Space == ""). Namespace declarations are not attributes:
// they are in the element's Scope.
type Attr struct {
	Space, Local string
	Prefix       string // as written
	Value        string
}

// Element is an element node.
type Element struct {
	Space, Local string // resolved expanded name
	Prefix       string // as written
	Attrs        []Attr
	Children     []*Element
	Parent       *Element // nil for the root
	// Scope holds the namespace bindings in scope at this element.
	Scope *Scope
	Pos   diag.Pos // position of the '<' of the start tag

	texts []text // character data, with where it sits among Children
}

// text is a run of character data preceded by `after` child elements.
type text struct {
	after int
	s     string
}

// Attr returns the value of the unqualified attribute local and whether it is present.
func (e *Element) Attr(local string) (string, bool) {
	return e.AttrNS("", local)
}

// AttrNS returns the value of the attribute {space}local and whether it is present.
func (e *Element) AttrNS(space, local string) (string, bool) {
	for i := range e.Attrs {
		if e.Attrs[i].Local == local && e.Attrs[i].Space == space {
			return e.Attrs[i].Value, true
		}
	}
	return "", false
}

// Is reports whether e is {space}local.
func (e *Element) Is(space, local string) bool { return e.Local == local && e.Space == space }

// Text returns the character data directly inside e (not inside child elements).
func (e *Element) Text() string {
	if len(e.texts) == 1 {
		return e.texts[0].s
	}
	var b strings.Builder
	for _, t := range e.texts {
		b.WriteString(t.s)
	}
	return b.String()
}

// InnerText returns all character data inside e, descendants included, in
// document order (the markup is dropped).
func (e *Element) InnerText() string {
	if len(e.Children) == 0 {
		return e.Text()
	}
	var b strings.Builder
	e.innerText(&b)
	return b.String()
}

func (e *Element) innerText(b *strings.Builder) {
	ti := 0
	for ci := 0; ci <= len(e.Children); ci++ {
		for ti < len(e.texts) && e.texts[ti].after == ci {
			b.WriteString(e.texts[ti].s)
			ti++
		}
		if ci < len(e.Children) {
			e.Children[ci].innerText(b)
		}
	}
}

// Name returns the element name as written (prefix:local or local).
func (e *Element) Name() string {
	if e.Prefix == "" {
		return e.Local
	}
	return e.Prefix + ":" + e.Local
}

// Scope is a set of in-scope namespace bindings. Elements that declare no
// namespace share their parent's Scope.
type Scope struct {
	parent *Scope
	decls  []binding // declared on one element
	all    map[string]string
}

type binding struct{ prefix, uri string }

// Lookup returns the namespace bound to prefix ("" = the default namespace).
// The default namespace may be bound to "" (no namespace); ok is then true.
// The prefix "xml" is always bound.
func (s *Scope) Lookup(prefix string) (uri string, ok bool) {
	for sc := s; sc != nil; sc = sc.parent {
		for i := len(sc.decls) - 1; i >= 0; i-- {
			if sc.decls[i].prefix == prefix {
				return sc.decls[i].uri, true
			}
		}
	}
	switch prefix {
	case "xml":
		return XMLNS, true
	case "":
		return "", true
	}
	return "", false
}

// Bindings returns the in-scope bindings as a map from prefix to namespace
// ("" is the default namespace; present only when declared non-empty). The
// map is computed once per Scope and shared: callers must not modify it.
func (s *Scope) Bindings() map[string]string {
	if s == nil {
		return map[string]string{}
	}
	if s.all != nil {
		return s.all
	}
	m := make(map[string]string)
	for k, v := range s.parent.Bindings() {
		m[k] = v
	}
	for _, d := range s.decls {
		if d.uri == "" {
			delete(m, d.prefix)
		} else {
			m[d.prefix] = d.uri
		}
	}
	s.all = m
	return m
}

// NewScope returns a scope holding the given bindings (prefix → namespace) on
// top of parent (which may be nil). It lets callers build elements' scopes in tests.
func NewScope(parent *Scope, bindings map[string]string) *Scope {
	s := &Scope{parent: parent}
	for p, u := range bindings {
		s.decls = append(s.decls, binding{p, u})
	}
	return s
}

// Parse parses data, read from file, into a Document. The error, if any, is a
// *diag.Error positioned in file.
func Parse(file string, data []byte) (*Document, error) {
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
			decls = append(decls, binding{a.Name.Local, a.Value})
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
		at := Attr{Local: a.Name.Local, Prefix: a.Name.Space, Value: a.Value}
		if at.Prefix != "" {
			u, ok := e.Scope.Lookup(at.Prefix)
			if !ok {
				return nil, p.errorf(pos, "undeclared namespace prefix %q in attribute %s:%s", at.Prefix, at.Prefix, at.Local)
			}
			at.Space = u
		}
		for _, prev := range e.Attrs {
			if prev.Local == at.Local && prev.Space == at.Space {
				return nil, p.errorf(pos, "duplicate attribute %s on <%s>", attrName(at), e.Name())
			}
		}
		e.Attrs = append(e.Attrs, at)
	}
	return e, nil
}

func attrName(a Attr) string {
	if a.Prefix == "" {
		return a.Local
	}
	return a.Prefix + ":" + a.Local
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
