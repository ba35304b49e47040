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
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
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
// *diag.Error positioned in file (line, and column counted in characters).
//
// Documents are tokenized by runtime/xmltext, which checks XML 1.0 and
// Namespaces well-formedness and reads UTF-8, UTF-16 (with a byte order
// mark), ISO-8859-1, windows-1252 and US-ASCII. A document with a DOCTYPE
// (which xmltext refuses) is read with encoding/xml instead: the DTD is
// skipped, so entities it declares are errors where used and attribute
// defaults it declares are not applied.
func Parse(file string, data []byte) (*Document, error) {
	root, err := parseText(file, data)
	if err != nil {
		var xe *xmltext.Error
		if errors.As(err, &xe) {
			if xe.Msg == "DTD not allowed" {
				return parseWithDTD(file, data)
			}
			return nil, diag.Errorf(diag.Pos{File: file, Line: xe.Line, Col: xe.Col}, "not well-formed: %s", xe.Msg)
		}
		return nil, err
	}
	return &Document{File: file, Root: root}, nil
}

// parseText builds the tree from xmltext tokens.
func parseText(file string, data []byte) (*Element, error) {
	d := xmltext.NewDecoder(data, xmltext.Options{File: file, MaxDepth: 1 << 16})
	var (
		root *Element
		cur  *Element
	)
	blanks := map[string]string{}
	for {
		tok, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok.Kind {
		case xmltext.StartElement:
			line, col := d.Position(tok.Offset)
			e := &Element{Space: tok.Name.Space, Local: tok.Name.Local, Prefix: tok.Prefix, Pos: diag.Pos{File: file, Line: line, Col: col}, Parent: cur}
			if cur != nil {
				e.Scope = cur.Scope
				cur.Children = append(cur.Children, e)
			} else {
				root = e
			}
			if len(tok.NS) > 0 {
				sc := &Scope{parent: e.Scope, decls: make([]binding, len(tok.NS))}
				for i, ns := range tok.NS {
					sc.decls[i] = binding{ns.Prefix, ns.URI}
				}
				e.Scope = sc
			}
			if len(tok.Attrs) > 0 {
				e.Attrs = make([]Attr, len(tok.Attrs))
				for i, a := range tok.Attrs {
					e.Attrs[i] = Attr{Space: a.Name.Space, Local: a.Name.Local, Value: a.Value}
				}
			}
			cur = e
		case xmltext.EndElement:
			cur = cur.Parent
		case xmltext.CharData:
			if cur == nil {
				continue
			}
			var s string
			if isBlank(tok.Text) {
				// Indentation repeats: share one string per distinct run.
				if s = blanks[string(tok.Text)]; s == "" {
					s = string(tok.Text)
					blanks[s] = s
				}
			} else {
				s = string(tok.Text)
			}
			cur.texts = append(cur.texts, text{after: len(cur.Children), s: s})
		}
	}
	return root, nil
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// ResolveQName expands the QName value v (prefix:local or local, surrounding
// whitespace ignored) with the namespace bindings in scope at e; an
// unprefixed name takes the default namespace.
func (e *Element) ResolveQName(v string) (space, local string, err error) {
	s := strings.TrimSpace(v)
	prefix, local, found := strings.Cut(s, ":")
	if !found {
		prefix, local = "", s
	}
	if (found && !IsNCName(prefix)) || !IsNCName(local) {
		return "", "", fmt.Errorf("invalid QName %q", v)
	}
	space, ok := e.Scope.Lookup(prefix)
	if !ok {
		return "", "", fmt.Errorf("undeclared namespace prefix %q", prefix)
	}
	return space, local, nil
}

// IsNCName reports whether s is a non-colonized XML name (the XML 1.0
// fifth-edition name characters without ':', approximating the non-ASCII
// ranges by "any letter-like rune from U+00C0").
func IsNCName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0xC0 && r != 0xD7 && r != 0xF7:
		case i > 0 && (r == '-' || r == '.' || r >= '0' && r <= '9' || r == 0xB7):
		default:
			return false
		}
	}
	return true
}
