package gen

import (
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/ir"
)

// tableDriven reports whether struct t is described to xmlbind (a
// xmlbind.Struct table walked by the runtime) instead of getting per-field
// methods: an element type whose content is a sequence of child elements
// of struct types (in choices or not), mixed text or mixed content kept
// verbatim, plus attributes of any simple type, with or without xsi:type
// derivation. The others (simple content, typed mixed content, groups,
// wildcards, xs:all, identity constraints) keep their generated methods.
func tableDriven(t *ir.Type) bool {
	if t.Item != ir.NotItem || t.Value != nil || t.MixedTyped ||
		t.MixedNodes && len(t.Content) > 0 || t.AllGroup || t.OrderField != "" || t.AnyAttr != nil ||
		len(t.Identity) > 0 {
		return false
	}
	for _, m := range t.Content {
		if m.Kind != ir.ElemMember || m.Struct == nil || m.AnyType ||
			len(m.Identity) > 0 || !(m.Pointer || m.Slice) {
			return false
		}
	}
	return true
}

// stringKind reports whether values of t are Go strings (or string-based
// named types) holding the lexical form as it is.
func stringKind(t ir.GoType) bool {
	if t.List != nil {
		return false
	}
	switch t.Builtin {
	case "boolean", "float", "double", "long", "int", "short", "byte",
		"unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
		"decimal", "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
		"dateTime", "date", "time", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay", "duration",
		"base64Binary", "hexBinary", "QName":
		return false
	}
	return true
}

// tableMethods prints the one-line methods of a table-driven struct and
// its table.
func (g *generator) tableMethods(t *ir.Type) {
	xb := g.file.use(xmlbindPkg)
	g.file.fixed("unsafe", "unsafe")
	tab := "tab_" + t.Name
	g.P("// XSDType returns the schema type name (zero for an anonymous type).")
	if t.XMLName.Local != "" {
		g.P("func (*", t.Name, ") XSDType() ", xName, " { return ", g.name(t.XMLName), " }")
	} else {
		g.P("func (*", t.Name, ") XSDType() ", xName, " { return ", xName, "{} }")
	}
	g.P("")
	g.P("// UnmarshalXMLText decodes the element that start opens.")
	g.P("func (v *", t.Name, ") UnmarshalXMLText(d *", xDecoder, ", start *", xToken, ") error {")
	g.P("return ", tab, ".Decode(d, start, unsafe.Pointer(v))")
	g.P("}")
	g.P("")
	g.P("// MarshalXMLText encodes v as the element name.")
	g.P("func (v *", t.Name, ") MarshalXMLText(e *", xEncoder, ", name ", xName, ") error {")
	g.P("return ", tab, ".Encode(e, name, unsafe.Pointer(v), false)")
	g.P("}")
	g.P("")
	if t.ForeignBase || g.derived[t] {
		g.P("// MarshalXMLTextTyped encodes v as the element name with its xsi:type: the")
		g.P("// encoding of a base type whose Derived field holds v.")
		g.P("func (v *", t.Name, ") MarshalXMLTextTyped(e *", xEncoder, ", name ", xName, ") error {")
		g.P("return ", tab, ".Encode(e, name, unsafe.Pointer(v), true)")
		g.P("}")
		g.P("")
	}
	g.P("// Validate checks v against its schema type and returns every violation.")
	g.P("func (v *", t.Name, ") Validate() error { return ", xb, ".Report(v) }")
	g.P("")
	g.P("// ValidateXSD records every schema violation of v in r.")
	g.P("func (v *", t.Name, ") ValidateXSD(r *", xReport, ") { ", tab, ".Validate(r, unsafe.Pointer(v)) }")
	g.P("")
	g.P("// ", tab, " describes ", t.Name, " to ", xb, ", which decodes, encodes and validates it.")
	g.P("var ", tab, " = ", xb, ".Struct{")
	if t.XMLName.Local != "" {
		g.P("Type: ", g.nameLit(t.XMLName), ",")
	}
	g.P("Label: ", strconv.Quote(declName(t)), ",")
	if len(t.Attrs) > 0 {
		g.P("Attrs: []", xb, ".AttrField{")
		for _, a := range t.Attrs {
			g.P("{", g.attrField(t, a), "},")
		}
		g.P("},")
	}
	if len(t.Content) > 0 {
		// Choices numbered in the order of their first alternative.
		choice := map[int]int{}
		var choices []string
		g.P("Elems: []", xb, ".ElemField{")
		for _, m := range t.Content {
			f := g.elemField(t, m)
			if m.ChoiceID > 0 {
				if choice[m.ChoiceID] == 0 {
					choices = append(choices, "")
					choice[m.ChoiceID] = len(choices)
				}
				c := choice[m.ChoiceID]
				f += ", Choice: " + strconv.Itoa(c)
				if choices[c-1] != "" {
					choices[c-1] += ", "
				} else {
					choices[c-1] = "Min: " + strconv.Itoa(m.ChoiceMin) + ", Names: \""
				}
				choices[c-1] += m.XMLName.Local
			}
			g.P("{", f, "},")
		}
		g.P("},")
		if len(choices) > 0 {
			g.P("Choices: []", xb, ".Choice{")
			for _, c := range choices {
				g.P("{", c, "\"},")
			}
			g.P("},")
		}
	}
	off := func(f string) string { return "unsafe.Offsetof(" + t.Name + "{}." + f + ")" }
	// One key a line: gofmt aligns those, not lines of several keys.
	for _, f := range []string{"XSINil", "XSIType", "Unknown"} {
		g.P(f, ": ", off(f), ",")
	}
	if t.MixedNodes {
		g.P("Mixed: true,")
		g.P("Content: ", off("Content"), ",")
	}
	if t.MixedText {
		g.P("MixedText: true,")
		g.P("Text: ", off("Text"), ",")
	}
	if t.Abstract {
		g.P("Abstract: true,")
	}
	if len(t.Derived)+len(t.ForeignDerived) > 0 {
		if len(t.Derived) > 0 {
			g.P("Derived: []", xb, ".DerivedType{")
			for _, dt := range t.Derived {
				g.P("{Name: ", g.nameLit(dt.XMLName), ", New: ", g.derivedNew(dt), ", Is: ", g.derivedIs(dt), "},")
			}
			g.P("},")
		}
		if len(t.ForeignDerived) > 0 {
			g.P("Foreign: []", xb, ".ForeignType{")
			for _, f := range t.ForeignDerived {
				g.P("{Name: ", g.nameLit(f.XMLName), ", Pkg: ", strconv.Quote(f.Ident.ImportPath), "},")
			}
			g.P("},")
		}
		g.P("DerivedOff: ", off("Derived"), ",")
		g.P("GoName: ", strconv.Quote(t.Name), ",")
	}
	g.P("}")
	g.P("")
}

// attrField returns the fields of the xmlbind.AttrField literal of a.
func (g *generator) attrField(t *ir.Type, a *ir.Attr) string {
	parts := []string{"Name: " + g.nameLit(a.XMLName), "Off: unsafe.Offsetof(" + t.Name + "{}." + a.Name + ")"}
	if a.Pointer {
		parts = append(parts, "Ptr: true")
	}
	if a.Required {
		parts = append(parts, "Required: true", "Size: unsafe.Sizeof("+t.Name+"{}."+a.Name+")")
	}
	typ := g.goType(&a.Value, false)
	if !stringKind(a.Value.Type) {
		code := g.parse(&a.Value, "x", "s", "return err")
		store := "*(*" + typ + ")(p) = x"
		if a.Pointer {
			store = "*(**" + typ + ")(p) = &x"
		}
		lit := "func(d *" + g.file.qual(xDecoder) + ", s string, p unsafe.Pointer) error {\n" + code + "\n" + store + "\nreturn nil\n}"
		parts = append(parts, "Parse: "+g.file.pkgFunc("parse", shortHash(lit), lit))
		f := g.formatExpr(a.Value.Type, "(*(*"+typ+")(p))")
		g.needs(f)
		lit = "func(e *" + g.file.qual(xEncoder) + ", p unsafe.Pointer) string {\nreturn " + f + "\n}"
		parts = append(parts, "Format: "+g.file.pkgFunc("format", shortHash(lit), lit))
	}
	if c := g.attrCheck(a, typ); c != "" {
		parts = append(parts, "Check: "+c)
	}
	return strings.Join(parts, ", ")
}

// attrCheck returns the xmlbind.AttrField.Check function of a ("" when
// nothing can be invalid), as the checks of the per-field ValidateXSD.
func (g *generator) attrCheck(a *ir.Attr, typ string) string {
	g.noEncoder, g.noDecoder = true, true
	defer func() { g.noEncoder, g.noDecoder = false, false }()
	checks := g.checkStmts(&a.Value, "x")
	if a.Fixed != nil {
		if f := g.formatExpr(a.Value.Type, "x"); !strings.Contains(f, "e.QName") {
			g.needs(f)
			checks += "if s := " + f + "; s != " + strconv.Quote(*a.Fixed) + " { r.Add(\"fixed\", \"%q, want fixed %q\", s, " + strconv.Quote(*a.Fixed) + ") }\n"
		}
	}
	if strings.TrimSpace(checks) == "" {
		return ""
	}
	lit := "func(p unsafe.Pointer, r *" + g.file.qual(xReport) + ") {\nx := *(*" + typ + ")(p)\n" + checks + "}"
	return g.file.pkgFunc("check", shortHash(lit), lit)
}

// elemField returns the fields of the xmlbind.ElemField literal of m.
func (g *generator) elemField(t *ir.Type, m *ir.Member) string {
	typ := g.file.qual(*m.Struct)
	parts := []string{"Name: " + g.nameLit(m.XMLName), "Off: unsafe.Offsetof(" + t.Name + "{}." + m.Name + ")"}
	if m.Min != 0 {
		parts = append(parts, "Min: "+strconv.Itoa(m.Min))
	}
	parts = append(parts, "Max: "+strconv.Itoa(m.Max))
	// Accessors are small functions of this file, not instances of
	// xmlbind's generic New, Add and Ref: each instance costs the compiler
	// a dictionary, which made them the larger part of a table's cost.
	hint := strings.ReplaceAll(typ, ".", "_")
	if m.Slice {
		add := "func(p unsafe.Pointer) unsafe.Pointer {\ns := (*[]" + typ + ")(p)\n*s = append(*s, " + typ + "{})\nreturn unsafe.Pointer(&(*s)[len(*s)-1])\n}"
		move := "func(dst, src unsafe.Pointer) {\nd, s := (*[]" + typ + ")(dst), (*[]" + typ + ")(src)\n*d = append(*d, *s...)\nclear(*s)\n*s = (*s)[:0]\n}"
		parts = append(parts, "Many: true", "Size: unsafe.Sizeof("+typ+"{})", "Add: "+g.file.pkgFunc("add", hint, add), "Move: "+g.file.pkgFunc("move", hint, move))
	} else {
		parts = append(parts, "New: "+g.file.pkgFunc("new", hint, g.newFunc(*m.Struct, typ)))
	}
	ref := "func(p unsafe.Pointer) " + g.file.qual(xValue) + " { return (*" + typ + ")(p) }"
	parts = append(parts, "Ref: "+g.file.pkgFunc("ref", hint, ref))
	return strings.Join(parts, ", ")
}

// newFunc returns the xmlbind.ElemField.New function of the struct type
// id (typ in this file). A list type (listHead) is allocated with room for
// its first item, in the same object: most lists of a message hold one
// item (an ebRIM ValueList, an InternationalString), which then costs one
// allocation instead of two, and the garbage collector one small object
// less to mark. Its UnmarshalXMLText leaves an empty list nil.
func (g *generator) newFunc(id ir.Ident, typ string) string {
	if id.ImportPath == "" || id.ImportPath == g.file.pkg.ImportPath {
		if h := listHead(g.local[id.Name]); h != nil {
			return "func() unsafe.Pointer {\nx := new(struct {\nv " + typ + "\nfirst [1]" + g.listItem(h) + "\n})\n" +
				"x.v." + h.Name + " = x.first[:0:1]\nreturn unsafe.Pointer(&x.v)\n}"
		}
	}
	return "func() unsafe.Pointer { return unsafe.Pointer(new(" + typ + ")) }"
}

// listHead returns the member of t when t is a list: a type with per-field
// methods whose content is one repeated member of struct items.
func listHead(t *ir.Type) *ir.Member {
	if t == nil || t.Item != ir.NotItem || tableDriven(t) || t.Value != nil || t.MixedTyped || t.MixedNodes || len(t.Content) != 1 {
		return nil
	}
	m := t.Content[0]
	if !m.Slice || !(m.Kind == ir.GroupMember && m.Item != nil || m.Kind == ir.ElemMember && m.Struct != nil && !m.AnyType) {
		return nil
	}
	return m
}

// listItem returns the Go type of the items of list member m.
func (g *generator) listItem(m *ir.Member) string {
	if m.Kind == ir.GroupMember {
		return m.Item.Name
	}
	return g.file.qual(*m.Struct)
}

// nameLit is an XML name as a composite literal: tables hold their names by
// value, not copied from the name variables, so that the compiler lays them
// out statically (a copy from another variable can become init code).
func (g *generator) nameLit(n ir.Name) string {
	if n.Space == "" {
		return g.file.qual(xName) + "{Local: " + strconv.Quote(n.Local) + "}"
	}
	return g.file.qual(xName) + "{Space: " + strconv.Quote(n.Space) + ", Local: " + strconv.Quote(n.Local) + "}"
}

// derivedNew returns the function allocating a value of derived type dt.
func (g *generator) derivedNew(dt *ir.Type) string {
	return g.file.pkgFunc("derive", dt.Name, "func() "+g.file.qual(xValue)+" { return new("+dt.Name+") }")
}

// derivedIs returns the function reporting whether a value is a *dt. A
// type assertion, not a call of dt's methods: a table referring to methods
// would make an initialization cycle with the methods referring to it.
func (g *generator) derivedIs(dt *ir.Type) string {
	lit := "func(x " + g.file.qual(xValue) + ") bool {\n_, ok := x.(*" + dt.Name + ")\nreturn ok\n}"
	return g.file.pkgFunc("is", dt.Name, lit)
}
