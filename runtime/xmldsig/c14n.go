package xmldsig

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/beevik/etree"
)

// NamespaceXML is the namespace bound to the reserved prefix "xml".
const NamespaceXML = "http://www.w3.org/XML/1998/namespace"

// C14NOptions configures exclusive canonicalisation.
type C14NOptions struct {
	// PrefixList is the InclusiveNamespaces PrefixList: prefixes handled as in
	// inclusive c14n (rendered when in scope, even if not visibly utilised).
	// "#default" names the default namespace.
	PrefixList []string
	// WithComments keeps comments (the #WithComments variant).
	WithComments bool
	// Exclude, when non-nil, is omitted with its subtree (the enveloped-signature
	// transform applied to the Signature being verified or produced).
	Exclude *etree.Element
}

// Canonicalize returns the exclusive XML canonicalisation (W3C exc-c14n 1.0) of
// the subtree rooted at el. Namespaces declared on ancestors of el are in scope,
// which matters for prefixes named in the PrefixList. An undeclared prefix is an
// error.
func Canonicalize(el *etree.Element, opts C14NOptions) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(4096)
	if err := CanonicalizeTo(&buf, el, opts); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CanonicalizeTo writes the exclusive canonicalisation of el to buf.
func CanonicalizeTo(buf *bytes.Buffer, el *etree.Element, opts C14NOptions) error {
	_, err := canonicalize(buf, el, opts)
	return err
}

// canonicalize writes the canonical form of el and returns the work done
// (scope lookups and undo steps), which is linear in the subtree's size.
func canonicalize(buf *bytes.Buffer, el *etree.Element, opts C14NOptions) (int64, error) {
	c := canon{buf: buf, opts: opts, scope: newScope(), rendered: newScope()}
	for _, p := range opts.PrefixList {
		if p == "#default" {
			p = ""
		}
		if c.inclusiveSet == nil {
			c.inclusiveSet = map[string]bool{}
		}
		if !c.inclusiveSet[p] {
			c.inclusiveSet[p] = true
			c.inclusive = append(c.inclusive, p)
		}
	}
	// In-scope namespaces from the ancestors, outermost first.
	c.scope.pushAncestors(el)
	err := c.element(el, 0)
	return c.scope.work + c.rendered.work, err
}

func isNSDecl(a *etree.Attr) bool {
	return a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns")
}

// maxC14NDepth bounds recursion on hostile input (etree already caps parsing depth).
const maxC14NDepth = 2048

type canon struct {
	buf          *bytes.Buffer
	opts         C14NOptions
	inclusive    []string
	inclusiveSet map[string]bool
	scope        *scope // in-scope namespaces
	rendered     *scope // namespaces rendered by output ancestors
}

type outAttr struct {
	uri, local, qname, value string
}

func (c *canon) element(el *etree.Element, depth int) error {
	if depth > maxC14NDepth {
		return fmt.Errorf("c14n: element nesting deeper than %d", maxC14NDepth)
	}
	scopeMark, renderedMark := c.scope.mark(), c.rendered.mark()
	c.scope.pushDecls(el)
	defer func() { c.scope.popTo(scopeMark); c.rendered.popTo(renderedMark) }()

	// Namespaces visibly utilised by the element and its attributes, plus the
	// inclusive prefixes in scope.
	var want []string
	want = append(want, el.Space)
	var attrs []outAttr
	for i := range el.Attr {
		a := &el.Attr[i]
		if isNSDecl(a) {
			continue
		}
		oa := outAttr{local: a.Key, value: a.Value, qname: a.Key}
		if a.Space != "" {
			oa.qname = a.Space + ":" + a.Key
			if a.Space == "xml" {
				oa.uri = NamespaceXML
			} else {
				uri, ok := c.scope.lookup(a.Space)
				if !ok || uri == "" {
					return fmt.Errorf("c14n: attribute %s on <%s>: undeclared namespace prefix %q", oa.qname, el.FullTag(), a.Space)
				}
				oa.uri = uri
				want = append(want, a.Space)
			}
		}
		attrs = append(attrs, oa)
	}
	// An inclusive prefix the element does not redeclare was rendered (or
	// found needless) on its output parent already: below the top, only the
	// element's own declarations need a look, whatever the list's length.
	addInclusive := func(p string) {
		if p == "" {
			want = append(want, p)
		} else if _, ok := c.scope.lookup(p); ok {
			want = append(want, p)
		}
	}
	if depth == 0 {
		for _, p := range c.inclusive {
			addInclusive(p)
		}
	} else if len(c.inclusive) > 0 {
		for i := range el.Attr {
			if a := &el.Attr[i]; isNSDecl(a) {
				p := a.Key
				if a.Space == "" {
					p = ""
				}
				if c.inclusiveSet[p] {
					addInclusive(p)
				}
			}
		}
	}
	sort.Strings(want)

	var decls []binding
	for i, p := range want {
		if i > 0 && want[i-1] == p {
			continue
		}
		if p == "xml" {
			continue
		}
		uri, ok := c.scope.lookup(p)
		if p != "" && (!ok || uri == "") {
			if p == el.Space {
				return fmt.Errorf("c14n: element <%s>: undeclared namespace prefix %q", el.FullTag(), p)
			}
			continue
		}
		prev, had := c.rendered.lookup(p)
		if p == "" {
			// xmlns="" is only output to undo a rendered non-empty default.
			if uri == prev || (!had && uri == "") {
				continue
			}
		} else if had && prev == uri {
			continue
		}
		decls = append(decls, binding{p, uri})
		c.rendered.push(binding{p, uri})
	}

	b := c.buf
	b.WriteByte('<')
	writeQName(b, el.Space, el.Tag)
	for _, d := range decls {
		if d.prefix == "" {
			b.WriteString(` xmlns="`)
		} else {
			b.WriteString(` xmlns:`)
			b.WriteString(d.prefix)
			b.WriteString(`="`)
		}
		escapeAttr(b, d.uri)
		b.WriteByte('"')
	}
	if len(attrs) > 1 {
		sort.Slice(attrs, func(i, j int) bool {
			if attrs[i].uri != attrs[j].uri {
				return attrs[i].uri < attrs[j].uri
			}
			return attrs[i].local < attrs[j].local
		})
		for i := 1; i < len(attrs); i++ {
			if attrs[i].uri == attrs[i-1].uri && attrs[i].local == attrs[i-1].local {
				return fmt.Errorf("c14n: element <%s>: duplicate attribute {%s}%s", el.FullTag(), attrs[i].uri, attrs[i].local)
			}
		}
	}
	for _, a := range attrs {
		b.WriteByte(' ')
		b.WriteString(a.qname)
		b.WriteString(`="`)
		escapeAttr(b, a.value)
		b.WriteByte('"')
	}
	b.WriteByte('>')

	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.Element:
			if t == c.opts.Exclude {
				continue
			}
			if err := c.element(t, depth+1); err != nil {
				return err
			}
		case *etree.CharData:
			escapeText(b, t.Data)
		case *etree.Comment:
			if c.opts.WithComments {
				b.WriteString("<!--")
				b.WriteString(t.Data)
				b.WriteString("-->")
			}
		case *etree.ProcInst:
			b.WriteString("<?")
			b.WriteString(t.Target)
			if t.Inst != "" {
				b.WriteByte(' ')
				b.WriteString(t.Inst)
			}
			b.WriteString("?>")
		case *etree.Directive:
			return fmt.Errorf("c14n: directive <!%s> inside <%s>", truncate(t.Data, 40), el.FullTag())
		}
	}
	b.WriteString("</")
	writeQName(b, el.Space, el.Tag)
	b.WriteByte('>')
	return nil
}

func writeQName(b *bytes.Buffer, prefix, local string) {
	if prefix != "" {
		b.WriteString(prefix)
		b.WriteByte(':')
	}
	b.WriteString(local)
}

// charRefs are the c14n replacements of the special characters.
var charRefs = [256]string{'&': "&amp;", '<': "&lt;", '>': "&gt;", '"': "&quot;", '\t': "&#x9;", '\n': "&#xA;", '\r': "&#xD;"}

const (
	textSpecials = "&<>\r"      // c14n text nodes
	attrSpecials = "&<\"\t\n\r" // c14n attribute values
)

func escapeText(b *bytes.Buffer, s string) { escape(b, s, textSpecials) }

func escapeAttr(b *bytes.Buffer, s string) { escape(b, s, attrSpecials) }

func escape(b *bytes.Buffer, s, specials string) {
	if !strings.ContainsAny(s, specials) {
		b.WriteString(s)
		return
	}
	for i := 0; i < len(s); i++ {
		if ch := s[i]; strings.IndexByte(specials, ch) >= 0 {
			b.WriteString(charRefs[ch])
		} else {
			b.WriteByte(ch)
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
