package gen

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/ir"
)

// validate prints ValidateXSD (element structs) or validate (items).
func (g *generator) validate(t *ir.Type) {
	g.noEncoder, g.noDecoder = true, true
	defer func() { g.noEncoder, g.noDecoder = false, false }()
	if t.Item != ir.NotItem {
		g.P("func (v *", t.Name, ") validate(r *", xReport, ") {")
	} else {
		g.P("// ValidateXSD records every schema violation of v in r.")
		g.P("func (v *", t.Name, ") ValidateXSD(r *", xReport, ") {")
		g.checkIdentity("v", t.IdentityElem, t.Identity)
		if len(t.Derived)+len(t.ForeignDerived) > 0 {
			g.P("if v.Derived != nil { v.Derived.ValidateXSD(r); return }")
		}
		if t.Abstract {
			g.P("r.Add(\"abstract\", \"", t.XMLName.Local, " is abstract: use xsi:type with a derived type\")")
		}
	}
	for _, a := range t.Attrs {
		x := "v." + a.Name
		if a.Pointer {
			g.P("if v.", a.Name, " != nil {")
			x = "(*v." + a.Name + ")"
		}
		checks := g.checkStmts(&a.Value, x)
		if a.Fixed != nil {
			f := g.formatExpr(a.Value.Type, x)
			if strings.Contains(f, "e.QName") {
				f = "" // QName fixed values are compared by the decoder, not here
			}
			if f != "" {
				g.needs(f)
				checks += fmt.Sprintf("if s := %s; s != %q { r.Add(\"fixed\", \"%%q, want fixed %%q\", s, %q) }\n", f, *a.Fixed, *a.Fixed)
			}
		}
		if strings.TrimSpace(checks) == "" {
			checks = ""
		} else {
			checks = "r.Push(\"@" + a.XMLName.Local + "\")\n" + checks + "\nr.Pop()"
		}
		if a.Required && t.Item == ir.NotItem {
			// Absent from the decoded element (lenient) and left unset:
			// missing, and the zero value is not checked.
			g.P("if v.Unknown.Omits(", g.name(a.XMLName), ") && ", g.file.use(xmlbindPkg), ".IsZero(v.", a.Name, ") {")
			g.P("r.Push(\"@", a.XMLName.Local, "\")")
			g.P("r.Add(\"required\", \"required attribute ", a.XMLName.Local, " missing\")")
			g.P("r.Pop()")
			if checks != "" {
				g.P("} else {")
				g.P(checks)
			}
			g.P("}")
		} else if checks != "" {
			g.P(checks)
		}
		if a.Pointer {
			g.P("}")
		}
	}
	if t.Item == ir.NotItem {
		g.nilContent(t)
	}
	if t.Value != nil && !(t.Value.Type.Builtin == "base64Binary" && t.Value.Type.List == nil) {
		if c := g.checkStmts(t.Value, "v.Value"); strings.TrimSpace(c) != "" {
			g.P(c)
		}
	}
	choices := map[int][]*ir.Member{}
	var order []int
	for _, m := range t.Content {
		seg := segName(m)
		if m.ChoiceID > 0 {
			if choices[m.ChoiceID] == nil {
				order = append(order, m.ChoiceID)
			}
			choices[m.ChoiceID] = append(choices[m.ChoiceID], m)
		}
		count := "0"
		switch {
		case m.Slice || m.Kind == ir.AnyMember:
			count = "len(v." + m.Name + ")"
		default:
			count = "b2i(v." + m.Name + " != nil)"
		}
		min := m.Min
		if m.ChoiceID > 0 || t.Item == ir.ChoiceItem {
			min = 0
		}
		if min > 0 || m.Max > 1 || (m.Max == 1 && m.Slice) {
			g.P("r.Occurs(", strconv.Quote(seg), ", ", count, ", ", min, ", ", m.Max, ")")
		}
		switch m.Kind {
		case ir.ElemMember:
			switch {
			case m.AnyType:
			case m.Struct != nil:
				if m.Slice {
					g.P("for i := range v.", m.Name, " {")
					g.P("r.PushIndex(", strconv.Quote(seg), ", i)")
					g.P("v.", m.Name, "[i].ValidateXSD(r)")
					g.checkIdentity("&v."+m.Name+"[i]", m.XMLName, m.Identity)
					g.P("r.Pop()")
					g.P("}")
				} else {
					g.P("if v.", m.Name, " != nil {")
					g.P("r.Push(", strconv.Quote(seg), ")")
					g.P("v.", m.Name, ".ValidateXSD(r)")
					g.checkIdentity("v."+m.Name, m.XMLName, m.Identity)
					g.P("r.Pop()")
					g.P("}")
				}
			default:
				if m.Simple.Type.Builtin == "base64Binary" && m.Simple.Type.List == nil {
					continue
				}
				if m.Slice {
					c := g.checkStmts(m.Simple, "v."+m.Name+"[i]")
					if strings.TrimSpace(c) != "" {
						g.P("for i := range v.", m.Name, " {")
						g.P("r.PushIndex(", strconv.Quote(seg), ", i)")
						g.P(c)
						g.P("r.Pop()")
						g.P("}")
					}
				} else {
					c := g.checkStmts(m.Simple, "(*v."+m.Name+")")
					if strings.TrimSpace(c) != "" {
						g.P("if v.", m.Name, " != nil {")
						g.P("r.Push(", strconv.Quote(seg), ")")
						g.P(c)
						g.P("r.Pop()")
						g.P("}")
					}
				}
			}
		case ir.GroupMember:
			if m.Slice {
				g.P("for i := range v.", m.Name, " { v.", m.Name, "[i].validate(r) }")
			} else {
				g.P("if v.", m.Name, " != nil { v.", m.Name, ".validate(r) }")
			}
		}
	}
	for _, id := range order {
		ms := choices[id]
		var cnt, names []string
		for _, m := range ms {
			if m.Slice || m.Kind == ir.AnyMember {
				cnt = append(cnt, "b2i(len(v."+m.Name+") > 0)")
			} else {
				cnt = append(cnt, "b2i(v."+m.Name+" != nil)")
			}
			names = append(names, segName(m))
		}
		if ms[0].ChoiceMin > 0 {
			g.P("if n := ", strings.Join(cnt, " + "), "; n > 1 || n < ", ms[0].ChoiceMin, " {")
		} else {
			g.P("if n := ", strings.Join(cnt, " + "), "; n > 1 {")
		}
		g.P("r.Add(\"choice\", \"%d of the alternatives ", strings.Join(names, ", "), " are present, want ", choiceWant(ms[0].ChoiceMin), "\", n)")
		g.P("}")
	}
	if t.Item == ir.ChoiceItem && len(t.Content) > 0 {
		var cnt, names []string
		for _, m := range t.Content {
			cnt = append(cnt, "b2i("+present(m)+")")
			names = append(names, segName(m))
		}
		g.P("if n := ", strings.Join(cnt, " + "), "; n != 1 {")
		g.P("r.Add(\"choice\", \"%d of the alternatives ", strings.Join(names, ", "), " are present, want exactly one\", n)")
		g.P("}")
	}
	g.P("}")
	g.P("")
	g.needB2I()
}

// nilContent prints the check of an element with xsi:nil="true": it must
// have no content, and its content is not checked further (attributes are).
func (g *generator) nilContent(t *ir.Type) {
	var conds []string
	if t.Value != nil {
		conds = append(conds, "!"+g.file.use(xmlbindPkg)+".IsZero(v.Value)")
	}
	if t.MixedText {
		conds = append(conds, `v.Text != ""`)
	}
	if t.MixedNodes {
		conds = append(conds, "len(v.Content) > 0")
	}
	if t.MixedTyped {
		conds = append(conds, "len(v.Texts) > 0")
	}
	for _, m := range t.Content {
		if c := present(m); c != "true" {
			conds = append(conds, c)
		}
	}
	if len(conds) == 0 {
		return
	}
	g.P("if v.XSINil {")
	g.P("if ", strings.Join(conds, " || "), " {")
	g.P(`r.Add("nil", "the element has xsi:nil=\"true\" and content")`)
	g.P("}")
	g.P("return")
	g.P("}")
}

func choiceWant(min int) string {
	if min > 0 {
		return "exactly one"
	}
	return "at most one"
}

func segName(m *ir.Member) string {
	switch m.Kind {
	case ir.ElemMember:
		return m.XMLName.Local
	case ir.GroupMember:
		return "(" + m.Name + ")"
	}
	return "(any)"
}

// needB2I is a no-op marker: b2i is declared once per package in doc.go.
func (g *generator) needB2I() {}

// getters prints defaulting getters for optional attributes with a default.
func (g *generator) getters(t *ir.Type) {
	g.noDecoder = true
	defer func() { g.noDecoder = false }()
	for _, a := range t.Attrs {
		if a.Getter == "" {
			continue
		}
		typ := g.goType(&a.Value, false)
		g.P("// ", a.Getter, " returns the ", a.XMLName.Local, " attribute, or its default ", strconv.Quote(*a.Default), " when absent.")
		g.P("func (v *", t.Name, ") ", a.Getter, "() ", typ, " {")
		g.P("if v.", a.Name, " != nil { return *v.", a.Name, " }")
		code, fallible := g.parseGo(a.Value.Type, "x", strconv.Quote(*a.Default))
		g.P(code)
		if fallible {
			g.P("_ = err // the default is a schema literal of the attribute's type")
		}
		g.P("return x")
		g.P("}")
		g.P("")
	}
}

// enumType prints an enumerated simple type with its constants.
func (g *generator) enumType(t *ir.Type) error {
	g.noEncoder, g.noDecoder = true, true
	defer func() { g.noEncoder, g.noDecoder = false, false }()
	if t.Doc != "" {
		g.P(comment("", t.Doc))
	} else {
		g.P("// ", t.Name, " is the enumerated schema type ", t.XMLName.Local, ". Values outside the constants decode; Validate reports them.")
	}
	base := "string"
	if t.Simple != nil {
		base = g.goTypeOf(t.Simple.Type, false)
		if base == t.Name {
			base = "string"
		}
	}
	g.P("type ", t.Name, " ", base)
	g.P("")
	if len(t.Enums) > 0 {
		g.P("const (")
		for _, e := range t.Enums {
			if e.Doc != "" {
				g.P(comment("\t", e.Doc))
			}
			g.P(e.Name, " ", t.Name, " = ", strconv.Quote(e.Value))
		}
		g.P(")")
		g.P("")
	}
	g.P("// ValidateXSD records a violation when v is not one of the enumerated values or breaks a facet.")
	g.P("func (v ", t.Name, ") ValidateXSD(r *", xReport, ") {")
	if t.Simple != nil {
		base := *t.Simple
		base.Enum = nil
		if c := g.checkStmts(&base, base.Type.Ident.Name+"(v)"); strings.TrimSpace(c) != "" && base.Type.Ident.Name == "string" {
			g.P(c)
		}
	}
	stringBased := t.Simple == nil || t.Simple.Type.List == nil && t.Simple.Type.Ident.Name == "string"
	if len(t.Enums) > 0 && stringBased {
		// A lookup in a sorted table of the values: a switch over them
		// costs the compiler far more, for as fast a check.
		key := "string(v)"
		if t.Simple != nil {
			// Enumerated values are compared after whiteSpace normalization.
			if fn := normalizer(t.Simple.Facets, t.Simple.Type.Builtin); fn != "" {
				key = g.file.use(xsdtPkg) + "." + fn + "(string(v))"
			}
		}
		vals := make([]string, 0, len(t.Enums))
		for _, e := range t.Enums {
			vals = append(vals, e.Value)
		}
		slices.Sort(vals)
		g.P("r.Enum(", key, ", string(v), ", strconv.Quote(t.XMLName.Local), ", enum_", t.Name, ")")
		g.P("}")
		g.P("")
		// One value a line: a new value adds one line to the diff.
		g.P("// enum_", t.Name, " holds the values of ", t.Name, ", sorted.")
		g.P("var enum_", t.Name, " = []string{")
		for _, v := range vals {
			g.P(strconv.Quote(v), ",")
		}
		g.P("}")
		g.P("")
		return nil
	} else if len(t.Enums) > 0 {
		var qs []string
		for _, e := range t.Enums {
			qs = append(qs, e.Name)
		}
		sw := "v"
		g.P("switch ", sw, " {")
		g.P("case ", strings.Join(qs, ", "), ":")
		g.P("default:")
		g.P("r.Add(\"enumeration\", \"%q is not a value of ", t.XMLName.Local, "\", string(v))")
		g.P("}")
	}
	g.P("}")
	g.P("")
	return nil
}

// simpleCheck prints the check function of a named simple type.
func (g *generator) simpleCheck(t *ir.Type) error {
	g.noEncoder, g.noDecoder = true, true
	defer func() { g.noEncoder, g.noDecoder = false, false }()
	if t.Simple == nil {
		return fmt.Errorf("simple type %s has no value", t.XMLName)
	}
	g.P("// ", t.Name, " checks a value of the schema type ", t.XMLName.Local, ".")
	if t.Doc != "" {
		g.P("//")
		g.P(comment("", t.Doc))
	}
	g.P("func ", t.Name, "(r *", xReport, ", v ", g.goTypeOf(t.Simple.Type, false), ") {")
	c := g.checkStmts(t.Simple, "v")
	if strings.TrimSpace(c) == "" {
		g.P("_ = v")
	}
	g.P(c)
	g.P("}")
	g.P("")
	return nil
}
