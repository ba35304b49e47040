package xmltext

import "strings"

// Node is a DOM node: *Element, Text, CommentNode or ProcInstNode.
type Node interface{ isNode() }

// Element is a DOM element, used for wildcard content (xs:any, xs:anyType,
// mixed content kept verbatim).
type Element struct {
	Name     Name
	Prefix   string   // prefix as written, reused on output when possible
	NS       []NSDecl // declarations to re-emit on this element (for a captured root: also every in-scope binding its subtree may use)
	Attrs    []Attr
	Children []Node // *Element, Text, CommentNode, ProcInstNode
}

// Text is character data.
type Text string

// CommentNode is a comment's content. (The contract's name Comment is taken
// by the token Kind constant of the same name.)
type CommentNode string

// ProcInstNode is a processing instruction. (The contract's name ProcInst is
// taken by the token Kind constant of the same name.)
type ProcInstNode struct{ Target, Inst string }

func (*Element) isNode()     {}
func (Text) isNode()         {}
func (CommentNode) isNode()  {}
func (ProcInstNode) isNode() {}

// Attr returns the value of the attribute named n and whether it is present.
func (e *Element) Attr(n Name) (string, bool) {
	for _, a := range e.Attrs {
		if a.Name == n {
			return a.Value, true
		}
	}
	return "", false
}

// Text returns the concatenated character data of e's direct children.
func (e *Element) Text() string {
	var b strings.Builder
	for _, c := range e.Children {
		if t, ok := c.(Text); ok {
			b.WriteString(string(t))
		}
	}
	return b.String()
}

// Elements returns e's child elements.
func (e *Element) Elements() []*Element {
	var out []*Element
	for _, c := range e.Children {
		if el, ok := c.(*Element); ok {
			out = append(out, el)
		}
	}
	return out
}

// ReadElement reads the element whose StartElement was the last token
// (start) into a DOM, through its matching EndElement. The returned root's NS
// holds its own declarations followed by the in-scope bindings its subtree
// may use: those of namespaces its names use, those whose prefix appears
// followed by ':' in an attribute value or in text (QName values such as
// xsi:type, XPath expressions), and a non-empty default namespace.
func (d *Decoder) ReadElement(start Token) (*Element, error) {
	if d.err != nil {
		return nil, d.err
	}
	if d.lastKind != StartElement || d.popDue {
		return nil, errNoStart
	}
	f := d.stack[len(d.stack)-1]
	root := newElement(start)
	outer := inScope(d.ns[:f.nsMark])
	stack := []*Element{root}
	for len(stack) > 0 {
		tok, err := d.Next()
		if err != nil {
			return nil, err
		}
		top := stack[len(stack)-1]
		switch tok.Kind {
		case StartElement:
			el := newElement(tok)
			top.Children = append(top.Children, el)
			stack = append(stack, el)
		case EndElement:
			stack = stack[:len(stack)-1]
		case CharData:
			s := d.tokenString(tok.Text)
			if n := len(top.Children); n > 0 {
				if t, ok := top.Children[n-1].(Text); ok {
					top.Children[n-1] = t + Text(s)
					continue
				}
			}
			top.Children = append(top.Children, Text(s))
		case Comment:
			top.Children = append(top.Children, CommentNode(d.tokenString(tok.Text)))
		case ProcInst:
			top.Children = append(top.Children, ProcInstNode{Target: tok.Name.Local, Inst: string(tok.Text)})
		}
	}
	for _, b := range outer {
		if hasPrefix(root.NS, b.Prefix) {
			continue
		}
		if b.Prefix == "" && b.URI != "" || b.Prefix != "" && uses(root, b) {
			root.NS = append(root.NS, b)
		}
	}
	return root, nil
}

func newElement(t Token) *Element {
	el := &Element{Name: t.Name, Prefix: t.Prefix}
	if len(t.NS) > 0 {
		el.NS = append([]NSDecl(nil), t.NS...)
	}
	if len(t.Attrs) > 0 {
		el.Attrs = append([]Attr(nil), t.Attrs...)
	}
	return el
}

// uses reports whether the subtree of e may need binding b: a name in b's
// namespace, or "prefix:" in an attribute value or text.
func uses(e *Element, b NSDecl) bool {
	pfx := b.Prefix + ":"
	if e.Name.Space == b.URI {
		return true
	}
	for _, a := range e.Attrs {
		if a.Name.Space == b.URI || strings.Contains(a.Value, pfx) {
			return true
		}
	}
	for _, c := range e.Children {
		switch c := c.(type) {
		case *Element:
			if uses(c, b) {
				return true
			}
		case Text:
			if strings.Contains(string(c), pfx) {
				return true
			}
		}
	}
	return false
}
