package xmlbind

import (
	"fmt"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// Identity is an identity constraint of an element declaration (xs:unique,
// xs:key, xs:keyref), with its selector and fields parsed by the generator
// into the XPath subset of XSD 1.0 §3.11.6.
type Identity struct {
	Kind  string // "unique", "key" or "keyref"
	Name  string
	Refer string // keyref: the key or unique, among the same element's constraints
	// Selector selects the nodes of the element that the constraint is about.
	Selector []XPath
	// Fields: per field, the union of paths whose node gives its value.
	Fields       [][]XPath
	SelectorText string
	FieldTexts   []string
}

// XPath is one path: from the context node, or from any descendant-or-self
// (Descendant, ".//"), child steps, then in a field an attribute (Attr).
type XPath struct {
	Descendant bool
	Steps      []NameTest
	Attr       *NameTest
}

// NameTest is the test of a step: a name, "*" (AnyLocal and AnySpace),
// "p:*" (AnyLocal in Space) or "." (Self).
type NameTest struct {
	Space, Local       string
	AnyLocal, AnySpace bool
	Self               bool
}

func (t *NameTest) matches(n xmltext.Name) bool {
	return (t.AnySpace || n.Space == t.Space) && (t.AnyLocal || n.Local == t.Local)
}

// inode is an element of the tree a constraint is checked on, with its path
// relative to the constrained element.
type inode struct {
	el   *xmltext.Element
	path []pathStep
}

type pathStep struct {
	name  string
	index int // 0-based among same-named siblings; -1 when it has none
}

// CheckIdentity checks the identity constraints ids of the element name
// whose value is v, and records each violation in r at the path of the node
// at fault (relative to the current path). The value is encoded and read
// back as a tree to evaluate the XPaths; fields are compared by their text
// as written, not by typed value ("1" and "01" differ even as xs:int).
func CheckIdentity(r *xsdt.Report, v Value, name xmltext.Name, ids []*Identity) {
	root, err := identityTree(v, name)
	if err != nil {
		r.Add("identity", "identity constraints not checked: %v", err)
		return
	}
	tables := map[string]map[string]bool{}
	for _, id := range ids {
		if id.Kind != "keyref" {
			tables[id.Name] = checkKey(r, root, id)
		}
	}
	for _, id := range ids {
		if id.Kind == "keyref" {
			checkKeyref(r, root, id, tables[id.Refer])
		}
	}
}

func identityTree(v Value, name xmltext.Name) (*inode, error) {
	e := xmltext.NewEncoder(nil)
	if err := v.MarshalXMLText(e, name); err != nil {
		return nil, err
	}
	if err := e.Finish(); err != nil {
		return nil, err
	}
	d := xmltext.NewDecoder(e.Bytes(), xmltext.Options{})
	for {
		tok, err := d.Next()
		if err != nil {
			return nil, err
		}
		if tok.Kind == xmltext.StartElement {
			el, err := d.ReadElement(tok)
			if err != nil {
				return nil, err
			}
			return &inode{el: el}, nil
		}
	}
}

// children returns the child elements of n with their paths.
func (n *inode) children() []*inode {
	count := map[xmltext.Name]int{}
	for _, c := range n.el.Children {
		if c, ok := c.(*xmltext.Element); ok {
			count[c.Name]++
		}
	}
	seen := map[xmltext.Name]int{}
	var out []*inode
	for _, c := range n.el.Children {
		c, ok := c.(*xmltext.Element)
		if !ok {
			continue
		}
		idx := -1
		if count[c.Name] > 1 {
			idx = seen[c.Name]
		}
		seen[c.Name]++
		p := append(append([]pathStep(nil), n.path...), pathStep{c.Name.Local, idx})
		out = append(out, &inode{el: c, path: p})
	}
	return out
}

// selfAndDescendants returns n and its descendant elements in document order.
func (n *inode) selfAndDescendants() []*inode {
	out := []*inode{n}
	for _, c := range n.children() {
		out = append(out, c.selfAndDescendants()...)
	}
	return out
}

// eval returns the elements a path selects from n (without its Attr step),
// in document order.
func (p *XPath) eval(n *inode) []*inode {
	set := []*inode{n}
	if p.Descendant {
		set = n.selfAndDescendants()
	}
	for i := range p.Steps {
		st := &p.Steps[i]
		if st.Self {
			continue
		}
		var next []*inode
		for _, m := range set {
			for _, c := range m.children() {
				if st.matches(c.el.Name) {
					next = append(next, c)
				}
			}
		}
		set = next
	}
	return set
}

// selectNodes evaluates a union of paths, each element once, in document order
// of the paths' results.
func selectNodes(paths []XPath, n *inode) []*inode {
	var out []*inode
	seen := map[*xmltext.Element]bool{}
	for i := range paths {
		for _, m := range paths[i].eval(n) {
			if !seen[m.el] {
				seen[m.el] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// fieldValue evaluates one field on a selected node: the value and whether
// the field selected a node; a field selecting more than one node, or an
// element with element children, is an error.
func fieldValue(paths []XPath, n *inode) (string, bool, error) {
	var vals []string
	seen := map[*xmltext.Element]bool{}
	for i := range paths {
		p := &paths[i]
		for _, m := range p.eval(n) {
			if p.Attr == nil {
				if seen[m.el] {
					continue
				}
				seen[m.el] = true
				var text strings.Builder
				for _, c := range m.el.Children {
					switch c := c.(type) {
					case *xmltext.Element:
						return "", false, fmt.Errorf("selects element %s, which has element content", m.el.Name.Local)
					case xmltext.Text:
						text.WriteString(string(c))
					}
				}
				vals = append(vals, text.String())
				continue
			}
			for _, a := range m.el.Attrs {
				if p.Attr.matches(a.Name) {
					vals = append(vals, a.Value)
				}
			}
		}
	}
	switch len(vals) {
	case 0:
		return "", false, nil
	case 1:
		return vals[0], true, nil
	}
	return "", false, fmt.Errorf("selects %d nodes, at most one allowed", len(vals))
}

// tuple evaluates the fields of id on n: the key as a string, and whether
// every field selected a value. Field errors are recorded.
func tuple(r *xsdt.Report, id *Identity, n *inode) (string, []string, bool) {
	var vals []string
	complete := true
	for i, f := range id.Fields {
		v, ok, err := fieldValue(f, n)
		if err != nil {
			report(r, n, id.Kind, "%s %s: field %q %v", id.Kind, id.Name, id.FieldTexts[i], err)
			return "", nil, false
		}
		if !ok {
			complete = false
			if id.Kind == "key" {
				report(r, n, id.Kind, "key %s: field %q selects nothing", id.Name, id.FieldTexts[i])
			}
			continue
		}
		vals = append(vals, v)
	}
	if !complete {
		return "", nil, false
	}
	return strings.Join(vals, "\x00"), vals, true
}

func checkKey(r *xsdt.Report, root *inode, id *Identity) map[string]bool {
	table := map[string]bool{}
	first := map[string]*inode{}
	for _, n := range selectNodes(id.Selector, root) {
		k, vals, ok := tuple(r, id, n)
		if !ok {
			continue
		}
		if f := first[k]; f != nil {
			report(r, n, id.Kind, "%s %s: duplicate value %s, first at %s", id.Kind, id.Name, quoteAll(vals), relPath(f))
			continue
		}
		first[k] = n
		table[k] = true
	}
	return table
}

func checkKeyref(r *xsdt.Report, root *inode, id *Identity, table map[string]bool) {
	for _, n := range selectNodes(id.Selector, root) {
		k, vals, ok := tuple(r, id, n)
		if ok && !table[k] {
			report(r, n, "keyref", "keyref %s: value %s matches no %s", id.Name, quoteAll(vals), id.Refer)
		}
	}
}

// report records a violation at the path of n.
func report(r *xsdt.Report, n *inode, code, format string, args ...any) {
	for _, s := range n.path {
		if s.index >= 0 {
			r.PushIndex(s.name, s.index)
		} else {
			r.Push(s.name)
		}
	}
	r.Add(code, format, args...)
	for range n.path {
		r.Pop()
	}
}

func relPath(n *inode) string {
	if len(n.path) == 0 {
		return "."
	}
	var b strings.Builder
	for i, s := range n.path {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(s.name)
		if s.index >= 0 {
			fmt.Fprintf(&b, "[%d]", s.index+1)
		}
	}
	return b.String()
}

func quoteAll(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
