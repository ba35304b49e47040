// Package xmlcmp compares XML documents canonically, for round-trip tests.
//
// Two documents are equal when they have the same elements (expanded names)
// in the same order, the same attributes (as a set, by expanded name and
// value; namespace declarations excluded; xsi:type compared as a resolved
// QName) and the same character data. Prefixes, namespace declarations,
// comments, processing instructions and whitespace-only text are ignored, as exclusive canonicalisation without comments would.
package xmlcmp

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

const xsiNS = "http://www.w3.org/2001/XMLSchema-instance"

// Normalizer edits a parsed element before comparison; tests use it to name
// the normalisation a documented quirk needs.
type Normalizer func(*xmltext.Element)

// Diff returns "" when a and b are canonically equal, else a description of
// the first difference with its element path. Normalizers apply to both.
func Diff(a, b []byte, norm ...Normalizer) (string, error) {
	return diffDocs(a, b, norm, norm)
}

// DiffNormalized is Diff with the normalizers applied to a only: b is what
// the code under test produced and must match the normalised original.
func DiffNormalized(a, b []byte, norm ...Normalizer) (string, error) {
	return diffDocs(a, b, norm, nil)
}

func diffDocs(a, b []byte, na, nb []Normalizer) (string, error) {
	ea, err := parse(a)
	if err != nil {
		return "", fmt.Errorf("first document: %w", err)
	}
	eb, err := parse(b)
	if err != nil {
		return "", fmt.Errorf("second document: %w", err)
	}
	for _, n := range na {
		n(ea)
	}
	for _, n := range nb {
		n(eb)
	}
	return diff("", ea, eb, nil, nil), nil
}

// Parse reads a document into a DOM.
func Parse(data []byte) (*xmltext.Element, error) { return parse(data) }

func parse(data []byte) (*xmltext.Element, error) {
	d := xmltext.NewDecoder(data, xmltext.Options{Lenient: true})
	for {
		tok, err := d.Next()
		if err != nil {
			return nil, err
		}
		if tok.Kind == xmltext.StartElement {
			return d.ReadElement(tok)
		}
	}
}

// Walk calls f on el and every descendant element, depth first.
func Walk(el *xmltext.Element, f func(*xmltext.Element)) {
	f(el)
	for _, c := range el.Children {
		if ce, ok := c.(*xmltext.Element); ok {
			Walk(ce, f)
		}
	}
}

func scope(parent []xmltext.NSDecl, el *xmltext.Element) []xmltext.NSDecl {
	return append(append([]xmltext.NSDecl(nil), parent...), el.NS...)
}

func resolve(ns []xmltext.NSDecl, prefix string) string {
	for i := len(ns) - 1; i >= 0; i-- {
		if ns[i].Prefix == prefix {
			return ns[i].URI
		}
	}
	return ""
}

func attrs(el *xmltext.Element, ns []xmltext.NSDecl) []string {
	var out []string
	for _, a := range el.Attrs {
		v := a.Value
		if a.Name.Space == xsiNS && a.Name.Local == "type" {
			p, local, ok := strings.Cut(strings.TrimSpace(v), ":")
			if !ok {
				p, local = "", p
			}
			v = "{" + resolve(ns, p) + "}" + local
		}
		out = append(out, a.Name.String()+"="+v)
	}
	sort.Strings(out)
	return out
}

// content returns the children to compare: elements, and text runs merged,
// dropping whitespace-only runs (insignificant in element-only content; the
// comparator does not know content types, so it ignores them everywhere).
func content(el *xmltext.Element) []xmltext.Node {
	var out []xmltext.Node
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			s := text.String()
			if strings.TrimSpace(s) != "" {
				out = append(out, xmltext.Text(s))
			}
			text.Reset()
		}
	}
	for _, c := range el.Children {
		switch c := c.(type) {
		case xmltext.Text:
			text.WriteString(string(c))
		case *xmltext.Element:
			flush()
			out = append(out, c)
		}
	}
	flush()
	return out
}

func diff(path string, a, b *xmltext.Element, nsa, nsb []xmltext.NSDecl) string {
	path += "/" + a.Name.Local
	if a.Name != b.Name {
		return fmt.Sprintf("%s: element %s vs %s", path, a.Name, b.Name)
	}
	nsa, nsb = scope(nsa, a), scope(nsb, b)
	aa, ab := attrs(a, nsa), attrs(b, nsb)
	if strings.Join(aa, "\n") != strings.Join(ab, "\n") {
		return fmt.Sprintf("%s: attributes\n  %v\nvs\n  %v", path, aa, ab)
	}
	ca, cb := content(a), content(b)
	for i := 0; i < len(ca) || i < len(cb); i++ {
		if i >= len(ca) || i >= len(cb) {
			return fmt.Sprintf("%s: %d vs %d children", path, len(ca), len(cb))
		}
		switch x := ca[i].(type) {
		case xmltext.Text:
			y, ok := cb[i].(xmltext.Text)
			if !ok || x != y {
				return fmt.Sprintf("%s: child %d: %q vs %v", path, i, x, cb[i])
			}
		case *xmltext.Element:
			y, ok := cb[i].(*xmltext.Element)
			if !ok {
				return fmt.Sprintf("%s: child %d: element %s vs text %v", path, i, x.Name, cb[i])
			}
			if d := diff(fmt.Sprintf("%s[%d]", path, i), x, y, nsa, nsb); d != "" {
				return d
			}
		}
	}
	return ""
}
