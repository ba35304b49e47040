package lower

import (
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// attrItems lowers attribute uses, expanding attribute group references.
// It returns the attributes, the names declared prohibited, and the wildcard.
func (l *lowerer) attrItems(items []xsd.AttrItem, any *xsd.Wildcard) ([]*ir.Attr, map[ir.Name]bool, *ir.Wildcard) {
	var attrs []*ir.Attr
	prohibited := map[ir.Name]bool{}
	var wc *ir.Wildcard
	if any != nil {
		wc = wildcard(any)
	}
	seenGroups := map[xsd.QName]bool{}
	var walk func(items []xsd.AttrItem)
	walk = func(items []xsd.AttrItem) {
		for _, it := range items {
			switch a := it.(type) {
			case *xsd.AttributeGroupRef:
				g, ok := l.set.LookupAttributeGroup(a.Ref)
				if !ok {
					l.errs.Add(a.Pos, "unresolved attribute group %s", a.Ref)
					continue
				}
				if seenGroups[a.Ref] {
					continue
				}
				seenGroups[a.Ref] = true
				walk(g.Attributes)
				if g.AnyAttribute != nil && wc == nil {
					wc = wildcard(g.AnyAttribute)
				}
			case *xsd.AttributeUse:
				name, typeQ, typeDef, def, fixed, doc := a.Name, a.Type, a.TypeDef, a.Default, a.Fixed, a.Doc
				if !a.Ref.IsZero() {
					g, ok := l.set.LookupAttribute(a.Ref)
					if !ok {
						l.errs.Add(a.Pos, "unresolved attribute %s", a.Ref)
						continue
					}
					name, typeQ, typeDef = g.Name, g.Type, g.TypeDef
					if def == nil && fixed == nil {
						def, fixed = g.Default, g.Fixed
					}
					if doc == "" {
						doc = g.Doc
					}
				}
				if a.Use == "prohibited" {
					prohibited[irName(name)] = true
					continue
				}
				var v ir.Value
				switch {
				case typeDef != nil:
					v = l.valueOf(typeDef, a.Pos)
				case typeQ.IsZero():
					v = l.builtinValue("anySimpleType")
				default:
					t, ok := l.set.LookupType(typeQ)
					st, simple := t.(*xsd.SimpleType)
					if !ok || !simple {
						l.errs.Add(a.Pos, "attribute %s: %s is not a simple type", name.Local, typeQ)
						continue
					}
					v = l.valueOf(st, a.Pos)
				}
				at := &ir.Attr{Name: goName(name.Local), Doc: doc, XMLName: irName(name), Value: v,
					Required: a.Use == "required", Default: def, Fixed: fixed, Pos: a.Pos}
				at.Pointer = !at.Required
				attrs = append(attrs, at)
			}
		}
	}
	walk(items)
	return attrs, prohibited, wc
}

// builtinOf returns the name of the nearest built-in ancestor of a simple type.
func (l *lowerer) builtinOf(st *xsd.SimpleType) string {
	for i := 0; st != nil && i < 64; i++ {
		if st.Builtin {
			return st.Name.Local
		}
		switch st.Variety {
		case xsd.List:
			return "list"
		case xsd.Union:
			return "union"
		}
		if st.BaseType != nil {
			st = st.BaseType
			continue
		}
		t, ok := l.set.LookupType(st.Base)
		if !ok {
			return "string"
		}
		st, _ = t.(*xsd.SimpleType)
	}
	return "string"
}

func (l *lowerer) builtinValue(name string) ir.Value {
	g, ok := builtinGo[name]
	if !ok {
		g = builtinGo["string"]
	}
	g.Builtin = name
	v := ir.Value{Type: g}
	if f, ok := builtinFacets[name]; ok {
		f := f
		v.Facets = &f
	}
	if g.List != nil {
		item := ir.Value{Type: *g.List}
		v.Item = &item
	}
	return v
}

// valueOf returns the Go value representation of a simple type.
func (l *lowerer) valueOf(st *xsd.SimpleType, pos diag.Pos) ir.Value {
	if st.Builtin {
		return l.builtinValue(st.Name.Local)
	}
	if !st.Name.IsZero() {
		it := l.types[st]
		if it == nil {
			l.errs.Add(pos, "simple type %s was not lowered", st.Name)
			return l.builtinValue("string")
		}
		v := l.structure(st, pos)
		v.Facets = nil
		v.Union, v.Item = nil, nil
		v.Check = l.ident(it)
		if it.Kind == ir.Enum {
			id := l.ident(it)
			v.Enum = &id
			v.Type.Ident = id
		}
		return v
	}
	return l.structure(st, pos)
}

// structure lowers an anonymous simple type (or the body of a named one):
// the value of its base with its own facets added.
func (l *lowerer) structure(st *xsd.SimpleType, pos diag.Pos) ir.Value {
	switch st.Variety {
	case xsd.List:
		var item ir.Value
		switch {
		case st.Item != nil:
			item = l.valueOf(st.Item, pos)
		default:
			var ok bool
			if item, ok = l.simpleRef(st.ItemType, "list item type", st.Pos, pos); !ok {
				return l.builtinValue("string")
			}
		}
		return ir.Value{Type: ir.GoType{List: &item.Type, Builtin: "list"}, Item: &item, Facets: facets(st.Facets)}
	case xsd.Union:
		v := ir.Value{Type: ir.GoType{Ident: ir.Ident{Name: "string"}, Builtin: "string"}}
		for _, q := range st.MemberTypes {
			if mv, ok := l.simpleRef(q, "union member", st.Pos, pos); ok {
				v.Union = append(v.Union, &mv)
			}
		}
		for _, m := range st.Members {
			mv := l.valueOf(m, pos)
			v.Union = append(v.Union, &mv)
		}
		return v
	}
	// Atomic restriction.
	var base ir.Value
	switch {
	case st.BaseType != nil:
		base = l.valueOf(st.BaseType, pos)
	default:
		var ok bool
		if base, ok = l.simpleRef(st.Base, "base", st.Pos, pos); !ok {
			return l.builtinValue("string")
		}
	}
	return l.restrictValue(base, st)
}

// simpleRef returns the value of the simple type named q, or records a
// positioned error (at errPos) when q names no simple type.
func (l *lowerer) simpleRef(q xsd.QName, what string, errPos, pos diag.Pos) (ir.Value, bool) {
	t, ok := l.set.LookupType(q)
	st, simple := t.(*xsd.SimpleType)
	if !ok || !simple {
		l.errs.Add(errPos, "%s %s is not a simple type", what, q)
		return ir.Value{}, false
	}
	return l.valueOf(st, pos), true
}

// restrictValue adds the facets of a restriction step to a value.
func (l *lowerer) restrictValue(base ir.Value, st *xsd.SimpleType) ir.Value {
	own := facets(st.Facets)
	if st.BaseType != nil && st.Variety == xsd.Atomic && !st.Builtin {
		// simpleContent restriction with a nested anonymous base.
		base = l.structure(st.BaseType, st.Pos)
	}
	v := base
	if own == nil {
		return v
	}
	if own.WhiteSpace == "" {
		// A named base keeps its facets in its own check function: its
		// whiteSpace still applies to this step's facets.
		own.WhiteSpace = l.inheritedWhiteSpace(st)
	}
	if v.Facets == nil {
		v.Facets = own
		return v
	}
	merged := *v.Facets
	merged.Patterns = append(append([][]string(nil), merged.Patterns...), own.Patterns...)
	if len(own.Enumeration) > 0 {
		merged.Enumeration = own.Enumeration
	}
	for _, p := range []struct{ dst, src **int }{{&merged.Length, &own.Length}, {&merged.MinLength, &own.MinLength}, {&merged.MaxLength, &own.MaxLength}, {&merged.TotalDigits, &own.TotalDigits}, {&merged.FractionDigits, &own.FractionDigits}} {
		if *p.src != nil {
			*p.dst = *p.src
		}
	}
	for _, p := range []struct{ dst, src **string }{{&merged.MinInclusive, &own.MinInclusive}, {&merged.MaxInclusive, &own.MaxInclusive}, {&merged.MinExclusive, &own.MinExclusive}, {&merged.MaxExclusive, &own.MaxExclusive}} {
		if *p.src != nil {
			*p.dst = *p.src
		}
	}
	if own.WhiteSpace != "" {
		merged.WhiteSpace = own.WhiteSpace
	}
	v.Facets = &merged
	return v
}

// inheritedWhiteSpace returns the whiteSpace facet st inherits from its
// user-defined ancestors, "" when none sets one (the built-in's applies).
func (l *lowerer) inheritedWhiteSpace(st *xsd.SimpleType) string {
	for i := 0; st != nil && !st.Builtin && st.Variety == xsd.Atomic && i < 64; i++ {
		next := st.BaseType
		if next == nil {
			t, ok := l.set.LookupType(st.Base)
			if !ok {
				return ""
			}
			next, _ = t.(*xsd.SimpleType)
		}
		if next == nil || next.Builtin {
			return ""
		}
		if next.Facets.WhiteSpace != "" {
			return next.Facets.WhiteSpace
		}
		st = next
	}
	return ""
}

// facets converts one restriction step's facets; nil when there are none.
func facets(f xsd.Facets) *ir.Facets {
	out := &ir.Facets{
		Length: f.Length, MinLength: f.MinLength, MaxLength: f.MaxLength,
		MinInclusive: f.MinInclusive, MaxInclusive: f.MaxInclusive,
		MinExclusive: f.MinExclusive, MaxExclusive: f.MaxExclusive,
		TotalDigits: f.TotalDigits, FractionDigits: f.FractionDigits, WhiteSpace: f.WhiteSpace,
	}
	if len(f.Pattern) > 0 {
		out.Patterns = [][]string{f.Pattern}
	}
	seen := map[string]bool{}
	for _, e := range f.Enumeration {
		v := e.Value
		if e.NS != nil {
			v = expandQName(v, e.NS)
		}
		if !seen[v] {
			seen[v] = true
			out.Enumeration = append(out.Enumeration, v)
		}
	}
	if len(out.Patterns) == 0 && len(out.Enumeration) == 0 && out.Length == nil && out.MinLength == nil &&
		out.MaxLength == nil && out.MinInclusive == nil && out.MaxInclusive == nil && out.MinExclusive == nil &&
		out.MaxExclusive == nil && out.TotalDigits == nil && out.FractionDigits == nil {
		return nil
	}
	return out
}

// expandQName writes an enumerated QName value as the generated code
// compares it, {namespace}local (xmltext.Name.String), resolving its prefix
// with the bindings in scope at the enumeration facet; a prefix they do not
// bind leaves the value as written (the loader reports it).
func expandQName(v string, ns map[string]string) string {
	v = strings.TrimSpace(v)
	prefix, local, ok := strings.Cut(v, ":")
	if !ok {
		prefix, local = "", v
	}
	uri, bound := ns[prefix]
	switch {
	case !bound && prefix != "":
		return v
	case uri == "":
		return local
	}
	return "{" + uri + "}" + local
}

// simpleBody fills a named simple type's own value (base check + own facets).
func (l *lowerer) simpleBody(t *ir.Type) {
	st := l.simpleOf(t)
	if st == nil {
		return
	}
	v := l.structure(st, st.Pos)
	if t.Kind == ir.Enum {
		v.Facets = facetsWithout(v.Facets)
	}
	t.Simple = &v
}

func facetsWithout(f *ir.Facets) *ir.Facets {
	if f == nil {
		return nil
	}
	c := *f
	c.Enumeration = nil
	return &c
}

func (l *lowerer) simpleOf(t *ir.Type) *xsd.SimpleType { return l.simpleDefs[t] }

// enumConsts claims a constant name per enumeration value.
func (l *lowerer) enumConsts(p *pkg, t *ir.Type) {
	st := l.simpleOf(t)
	seen := map[string]bool{}
	for _, e := range st.Facets.Enumeration {
		// XSD allows a value to be listed twice; it is one constant.
		if seen[e.Value] {
			continue
		}
		seen[e.Value] = true
		ev := &ir.EnumValue{Value: e.Value, Doc: e.Doc}
		t.Enums = append(t.Enums, ev)
		l.claims[p] = append(l.claims[p], &claim{want: t.Name + constSuffix(e.Value), priority: prioConst,
			key: t.XMLName.String() + " " + e.Value, set: func(s string) { ev.Name = s }})
	}
}

// constSuffix turns an enumeration value into an identifier suffix. For URNs
// and URLs only the last segment is used ("urn:…:StatusType:Approved" →
// "Approved"); an empty result becomes "Empty".
func constSuffix(v string) string {
	s := v
	if i := strings.LastIndexAny(s, ":/#"); i >= 0 && i < len(s)-1 && (strings.HasPrefix(s, "urn:") || strings.Contains(s, "://")) {
		s = s[i+1:]
	}
	n := goName(s)
	if strings.TrimFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) == "" {
		return "Empty"
	}
	if n[0] == 'X' && len(s) > 0 && s[0] >= '0' && s[0] <= '9' {
		n = n[1:]
	}
	return "_" + strings.TrimPrefix(n, "_")
}
