package xmltext

import (
	"slices"
	"strings"
)

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
//
// Its cost is linear in the subtree's size plus the number of bindings
// returned, whatever the number of bindings in scope.
func (d *Decoder) ReadElement(start Token) (*Element, error) {
	if d.err != nil {
		return nil, d.err
	}
	if d.lastKind != StartElement || d.popDue {
		return nil, errNoStart
	}
	mark := d.stack[len(d.stack)-1].nsMark
	root := newElement(start)
	u := used{d: d, mark: int32(mark), spaces: map[string]bool{}}
	u.name(start.Name.Space)
	u.attrs(start.Attrs)
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
			u.name(tok.Name.Space)
			u.attrs(tok.Attrs)
			top.Children = append(top.Children, el)
			stack = append(stack, el)
		case EndElement:
			stack = stack[:len(stack)-1]
		case CharData:
			u.text(str(tok.Text))
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
	// The scope is back to the root's: the outer bindings still live are
	// those the root does not redeclare.
	if i := d.sc.index(""); i >= 0 && i < u.mark && d.sc.decls[i].URI != "" {
		u.add(i)
	}
	for uri := range u.spaces {
		d.sc.live(uri, func(i int32) bool {
			if i < u.mark {
				u.add(i)
			}
			return true
		})
	}
	slices.Sort(u.out)
	for _, i := range u.out {
		root.NS = append(root.NS, d.sc.decls[i])
	}
	return root, nil
}

// used collects the outer bindings (below mark) a subtree may use.
type used struct {
	d      *Decoder
	mark   int32
	spaces map[string]bool // namespaces of the subtree's names
	seen   map[int32]bool
	out    []int32
}

func (u *used) name(space string) {
	if space != "" {
		u.spaces[space] = true
	}
}

func (u *used) attrs(as []Attr) {
	for i := range as {
		u.name(as[i].Name.Space)
		u.text(as[i].Value)
	}
}

func (u *used) add(i int32) {
	if u.seen == nil {
		u.seen = map[int32]bool{}
	}
	if !u.seen[i] {
		u.seen[i] = true
		u.out = append(u.out, i)
	}
}

// text records the outer bindings whose prefix appears followed by ':' in
// b: from each ':' it walks back through the reversed trie of the declared
// prefixes, so each byte is visited at most once per ':' that follows it
// without another ':' in between.
func (u *used) text(b string) {
	sc := &u.d.sc
	for c := strings.IndexByte(b, ':'); c >= 0; {
		u.d.prefixes.suffixes(b[:c], &sc.work, func(prefix string) {
			if i := sc.index(prefix); i >= 0 && i < u.mark {
				u.add(i)
			}
		})
		next := strings.IndexByte(b[c+1:], ':')
		if next < 0 {
			break
		}
		c += 1 + next
	}
}

// revTrie holds strings reversed, to find those that end a text.
type revTrie struct {
	next  map[uint64]int32 // node<<8 | byte -> child node
	words map[int32]string // node -> the string it ends
	n     int32            // nodes allocated (0 is the root)
}

// add inserts s (if not already present).
func (t *revTrie) add(s string, work *int64) {
	if t.next == nil {
		t.next, t.words, t.n = map[uint64]int32{}, map[int32]string{}, 1
	}
	node := int32(0)
	for i := len(s) - 1; i >= 0; i-- {
		*work++
		k := uint64(node)<<8 | uint64(s[i])
		c, ok := t.next[k]
		if !ok {
			c = t.n
			t.n++
			t.next[k] = c
		}
		node = c
	}
	t.words[node] = s
}

// suffixes calls f with each string of t that is a suffix of b.
func (t *revTrie) suffixes(b string, work *int64, f func(string)) {
	if t.next == nil {
		return
	}
	node := int32(0)
	for i := len(b) - 1; i >= 0; i-- {
		*work++
		c, ok := t.next[uint64(node)<<8|uint64(b[i])]
		if !ok {
			return
		}
		node = c
		if w, ok := t.words[node]; ok {
			f(w)
		}
	}
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
