package xsd

import (
	"fmt"
	"strings"

	"github.com/dmpgen/dmpgen/internal/xmldom"
)

// Identity is an identity constraint (xs:unique, xs:key, xs:keyref) of an
// element declaration, its XPaths parsed (XSD 1.0 §3.11.6 subset).
type Identity struct {
	Info
	Kind     string // "unique", "key" or "keyref"
	Name     QName
	Refer    QName // keyref: the key or unique it refers to
	Selector []XPath
	// Fields has one entry per xs:field, each a union of paths.
	Fields [][]XPath
	// SelectorText and FieldTexts are the XPaths as written, for messages.
	SelectorText string
	FieldTexts   []string
}

// XPath is one path of the restricted XPath of selectors and fields:
// optionally from any descendant-or-self (".//"), child steps, and for a
// field an optional final attribute step.
type XPath struct {
	Descendant bool
	Steps      []NameTest // child steps; a Self step is "."
	Attr       *NameTest  // fields only: the final @name step
}

// NameTest is a step's test: a name, "*" (AnyLocal and AnySpace), "p:*"
// (AnyLocal in Space), or "." (Self).
type NameTest struct {
	Space, Local       string
	AnyLocal, AnySpace bool
	Self               bool
}

// identityConstraint reads xs:key, xs:keyref or xs:unique; an XPath outside
// the subset XSD 1.0 allows is a positioned error.
func (c *docCtx) identityConstraint(e *xmldom.Element) *Identity {
	if e.Local == "keyref" {
		c.checkAttrs(e, "id", "name", "refer")
	} else {
		c.checkAttrs(e, "id", "name")
	}
	id := &Identity{Info: c.info(e), Kind: e.Local}
	name, ok := c.name(e)
	if !ok {
		return nil
	}
	id.Name = QName{c.tns, name}
	if e.Local == "keyref" {
		v, ok := e.Attr("refer")
		if !ok {
			c.l.errs.Add(e.Pos, "xs:keyref %s has no refer attribute", name)
			return nil
		}
		q, ok := c.resolveQName(e, "refer", v)
		if !ok {
			return nil
		}
		id.Refer = q
	}
	selectors := 0
	for _, ch := range xsdChildren(e) {
		switch ch.Local {
		case "annotation":
		case "selector", "field":
			c.checkAttrs(ch, "id", "xpath")
			x, _ := ch.Attr("xpath")
			paths, err := parseXPath(ch, x, ch.Local == "field")
			if err != nil {
				c.l.errs.Add(ch.Pos, "xs:%s xpath=%q: %v (XSD 1.0 §3.11.6 allows child steps, \".//\" at the start, \"*\", \"p:*\", \".\", a final @attribute in a field, and \"|\")", ch.Local, x, err)
				return nil
			}
			if ch.Local == "selector" {
				selectors++
				id.Selector, id.SelectorText = paths, strings.TrimSpace(x)
			} else {
				id.Fields = append(id.Fields, paths)
				id.FieldTexts = append(id.FieldTexts, strings.TrimSpace(x))
			}
		default:
			c.unexpected(ch, e)
		}
	}
	if selectors != 1 || len(id.Fields) == 0 {
		c.l.errs.Add(e.Pos, "xs:%s %s: want one xs:selector and at least one xs:field", e.Local, name)
		return nil
	}
	return id
}

// parseXPath parses a selector or field XPath; prefixes resolve against the
// bindings in scope at e; an unprefixed name is in no namespace (XPath 1.0).
func parseXPath(e *xmldom.Element, s string, field bool) ([]XPath, error) {
	var out []XPath
	for _, alt := range strings.Split(s, "|") {
		alt = strings.TrimSpace(alt)
		if alt == "" {
			return nil, fmt.Errorf("empty path")
		}
		var p XPath
		if rest, ok := strings.CutPrefix(alt, ".//"); ok {
			p.Descendant, alt = true, rest
		}
		steps := strings.Split(alt, "/")
		for i, st := range steps {
			st = strings.TrimSpace(st)
			last := i == len(steps)-1
			if rest, ok := strings.CutPrefix(st, "attribute::"); ok {
				st = "@" + strings.TrimSpace(rest)
			}
			if rest, ok := strings.CutPrefix(st, "@"); ok {
				if !field || !last {
					return nil, fmt.Errorf("attribute step %q not at the end of a field", st)
				}
				t, err := nameTest(e, strings.TrimSpace(rest))
				if err != nil {
					return nil, err
				}
				p.Attr = &t
				continue
			}
			st = strings.TrimSpace(strings.TrimPrefix(st, "child::"))
			if st == "." {
				p.Steps = append(p.Steps, NameTest{Self: true})
				continue
			}
			t, err := nameTest(e, st)
			if err != nil {
				return nil, err
			}
			p.Steps = append(p.Steps, t)
		}
		out = append(out, p)
	}
	return out, nil
}

func nameTest(e *xmldom.Element, s string) (NameTest, error) {
	if s == "*" {
		return NameTest{AnyLocal: true, AnySpace: true}, nil
	}
	prefix, local, found := strings.Cut(s, ":")
	if !found {
		if !xmldom.IsNCName(s) {
			return NameTest{}, fmt.Errorf("unsupported step %q", s)
		}
		return NameTest{Local: s}, nil
	}
	if !xmldom.IsNCName(prefix) || (local != "*" && !xmldom.IsNCName(local)) {
		return NameTest{}, fmt.Errorf("unsupported step %q", s)
	}
	space, ok := e.Scope.Lookup(prefix)
	if !ok {
		return NameTest{}, fmt.Errorf("undeclared namespace prefix %q", prefix)
	}
	if local == "*" {
		return NameTest{Space: space, AnyLocal: true}, nil
	}
	return NameTest{Space: space, Local: local}, nil
}
