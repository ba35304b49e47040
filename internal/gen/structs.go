package gen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/ir"
)

// fieldType returns the Go type of a content member.
func (g *generator) fieldType(m *ir.Member) string {
	var base string
	switch m.Kind {
	case ir.ElemMember:
		switch {
		case m.AnyType:
			return g.mult(m, "*"+g.file.qual(xElement), true)
		case m.Struct != nil:
			base = g.file.qual(*m.Struct)
		default:
			base = g.goType(m.Simple, true)
		}
	case ir.GroupMember:
		base = g.file.qual(ir.Ident{ImportPath: g.file.pkg.ImportPath, Name: m.Item.Name})
	case ir.AnyMember:
		return "[]*" + g.file.qual(xElement)
	}
	return g.mult(m, base, false)
}

func (g *generator) mult(m *ir.Member, base string, ptrBase bool) string {
	switch {
	case m.Slice:
		return "[]" + base
	case ptrBase:
		return base
	case m.Pointer:
		return "*" + base
	}
	return base
}

func (g *generator) structType(t *ir.Type) error {
	if t.Doc != "" {
		g.P(comment("", t.Doc))
	} else if t.XMLName.Local != "" {
		g.P("// ", t.Name, " is the schema type ", t.XMLName.Local, " (", t.XMLName.Space, ").")
	} else {
		g.P("// ", t.Name, " is an anonymous schema type.")
	}
	g.P("type ", t.Name, " struct {")
	for _, a := range t.Attrs {
		if a.Doc != "" {
			g.P(comment("\t", a.Doc))
		}
		typ := g.goType(&a.Value, false)
		if a.Pointer {
			typ = "*" + typ
		}
		g.P(a.Name, " ", typ, " // attribute ", a.XMLName.Local)
	}
	if t.AnyAttr != nil {
		g.P("// AnyAttrs holds the attributes matched by the attribute wildcard.")
		g.P("AnyAttrs []", xAttr)
	}
	if t.Value != nil {
		g.P("// Value is the simple content.")
		g.P("Value ", g.goType(t.Value, true))
	}
	if t.MixedText {
		g.P("// Text is the character data of the mixed content.")
		g.P("Text string")
	}
	if t.MixedNodes {
		g.P("// Content is the mixed content, kept verbatim (text and elements in order).")
		g.P("Content []", xNode)
	}
	if t.MixedTyped {
		g.P("// Texts are the runs of character data of the mixed content, each at its")
		g.P("// place among the child elements.")
		g.P("Texts []", ir.Ident{ImportPath: xmlbindPkg, Name: "TextRun"})
	}
	for _, m := range t.Content {
		if m.Doc != "" {
			g.P(comment("\t", m.Doc))
		}
		g.P(m.Name, " ", g.fieldType(m), " // ", memberDesc(m))
	}
	if t.OrderField != "" {
		g.P("// ", t.OrderField, " is the document order of the xs:all children of a decoded value, as")
		g.P("// indexes of the content fields above (0 is ", t.Content[0].Name, "); encoding follows it, then")
		g.P("// writes the children it does not list in schema order. nil: schema order.")
		g.P(t.OrderField, " []int")
	}
	if len(t.Derived)+len(t.ForeignDerived) > 0 {
		g.P("// Derived holds the value when xsi:type names a type derived from ", t.Name, "; the other fields are then empty.")
		g.P("Derived ", xValue)
	}
	if t.Item == ir.NotItem {
		g.P("// XSINil is set when the element carries xsi:nil=\"true\".")
		g.P("XSINil bool")
		g.P("// XSIType is set when the element names its own type with xsi:type.")
		g.P("XSIType bool")
		g.P("// Unknown is what a lenient decoder kept unbound, and the element's")
		g.P("// xsi:schemaLocation and xsi:noNamespaceSchemaLocation (XSIHints).")
		g.P("Unknown *", xUnknown)
	}
	g.P("}")
	g.P("")
	if t.Item == ir.NotItem && tableDriven(t) {
		g.tableMethods(t)
		g.getters(t)
		return nil
	}
	if t.Item != ir.NotItem {
		g.itemMethods(t)
	} else {
		g.elementMethods(t)
	}
	g.takeMethods(t)
	g.marshalContent(t)
	g.validate(t)
	g.getters(t)
	return nil
}

// declName is how an xsi:type error names the declared type.
func declName(t *ir.Type) string {
	if t.XMLName.Local != "" {
		return t.XMLName.Local
	}
	return "the anonymous type of " + t.Name
}

func memberDesc(m *ir.Member) string {
	occ := fmt.Sprintf("%d..%s", m.Min, maxStr(m.Max))
	switch m.Kind {
	case ir.ElemMember:
		s := "element " + m.XMLName.Local + " " + occ
		if m.ChoiceID > 0 {
			s += fmt.Sprintf(", choice %d", m.ChoiceID)
		}
		return s
	case ir.GroupMember:
		return "group " + occ
	}
	return "wildcard " + occ
}

func maxStr(n int) string {
	if n < 0 {
		return "*"
	}
	return strconv.Itoa(n)
}

// elementMethods prints the methods of a struct bound to an element.
func (g *generator) elementMethods(t *ir.Type) {
	xb := g.file.use(xmlbindPkg)
	// XSDType.
	g.P("// XSDType returns the schema type name (zero for an anonymous type).")
	if t.XMLName.Local != "" {
		g.P("func (*", t.Name, ") XSDType() ", xName, " { return ", g.name(t.XMLName), " }")
	} else {
		g.P("func (*", t.Name, ") XSDType() ", xName, " { return ", xName, "{} }")
	}
	g.P("")
	// Unmarshal.
	g.P("// UnmarshalXMLText decodes the element that start opens.")
	g.P("func (v *", t.Name, ") UnmarshalXMLText(d *", xDecoder, ", start *", xToken, ") error {")
	if h := listHead(t); h != nil {
		g.P("// A table's New allocates v with room for the first item (its")
		g.P("// ", h.Name, " is then empty, not nil): an empty list is left nil.")
		g.P("defer func() {")
		g.P("if len(v.", h.Name, ") == 0 { v.", h.Name, " = nil }")
		g.P("}()")
	}
	g.P("xt, hasType, err := ", xb, ".XSIType(d, start)")
	g.P("if err != nil { return err }")
	g.P("v.XSIType = hasType && xt == v.XSDType() && xt.Local != \"\"")
	g.P("if hasType && xt != v.XSDType() {")
	if len(t.Derived)+len(t.ForeignDerived) > 0 {
		g.P("var x ", xValue)
		g.P("switch xt {")
		for _, dt := range t.Derived {
			g.P("case ", g.name(dt.XMLName), ":")
			g.P("x = new(", dt.Name, ")")
		}
		for _, f := range t.ForeignDerived {
			g.P("case ", g.name(f.XMLName), ":")
			g.P("if x, err = ", xb, ".NewDerived(d, start, xt, ", strconv.Quote(f.Ident.ImportPath), "); err != nil { return err }")
		}
		g.P("}")
		g.P("if x != nil {")
		g.P("if err := x.UnmarshalXMLText(d, start); err != nil { return err }")
		g.P("v.Derived = x")
		g.P("return nil")
		g.P("}")
	}
	g.P("if err := ", xb, ".KeepXSIType(d, &v.Unknown, start, xt, ", strconv.Quote(declName(t)), "); err != nil { return err }")
	g.P("}")
	// Attributes.
	var required []*ir.Attr
	for i, a := range t.Attrs {
		if a.Required {
			required = append(required, a)
			g.P("seen", i, " := false")
		}
	}
	g.P("for _, a := range start.Attrs {")
	g.P("switch a.Name {")
	for i, a := range t.Attrs {
		g.P("case ", g.name(a.XMLName), ":")
		g.P(g.parse(&a.Value, "x", "a.Value", "return d.Errorf(start.Offset, \"attribute "+a.XMLName.Local+": %v\", err)"))
		if a.Pointer {
			g.P("v.", a.Name, " = &x")
		} else {
			g.P("v.", a.Name, " = x")
		}
		if a.Required {
			g.P("seen", i, " = true")
		}
	}
	g.P("default:")
	g.P("if ", xb, ".IsXSI(a.Name) { continue }")
	g.P("if ", xb, ".IsXSIHint(a.Name) { ", xb, ".KeepXSIHint(&v.Unknown, a); continue }")
	if t.AnyAttr != nil {
		g.P("if ", g.wildcardVar(t.AnyAttr), ".Allows(a.Name.Space) && a.Name.Space != \"\" { v.AnyAttrs = append(v.AnyAttrs, a); continue }")
	}
	g.P("if err := ", xb, ".KeepAttr(d, &v.Unknown, start, a); err != nil { return err }")
	g.P("}")
	g.P("}")
	for i, a := range t.Attrs {
		if a.Required {
			g.P("if !seen", i, " {")
			g.P("if err := ", xb, ".MissingAttr(d, &v.Unknown, start, ", g.name(a.XMLName), "); err != nil { return err }")
			g.P("}")
		}
	}
	g.P("if ", xb, ".IsNil(start) {")
	g.P("v.XSINil = true")
	g.P("return ", xb, ".DecodeNil(d, start)")
	g.P("}")
	switch {
	case t.Value != nil:
		if t.Value.Type.Builtin == "base64Binary" && t.Value.Type.List == nil {
			g.P("b, err := ", xb, ".DecodeBinary(d, start)")
			g.P("if err != nil { return err }")
			g.P("v.Value = b")
		} else {
			g.P("s, err := d.ReadElementText(start)")
			g.P("if err != nil { return err }")
			g.P(g.parse(t.Value, "x", "s", "return d.Errorf(start.Offset, \"%s: %v\", start.Name, err)"))
			g.P("v.Value = x")
		}
		g.P("return nil")
	case t.MixedNodes:
		g.P("el, err := d.ReadElement(*start)")
		g.P("if err != nil { return err }")
		g.P("v.Content = el.Children")
		g.P("return nil")
	default:
		g.P("n := 0 // known children so far")
		// One token for the whole loop: take and KeepElement get its
		// address, which a variable of each iteration would make escape
		// once per child element.
		g.P("var tok ", xToken)
		g.P("for {")
		g.P("var err error")
		if t.MixedTyped {
			g.P("tok, err = ", xb, ".NextContent(d)")
		} else {
			g.P("err = d.NextElementOrEndInto(&tok)")
		}
		g.P("if err != nil { return err }")
		g.P("switch tok.Kind {")
		g.P("case ", ir.Ident{ImportPath: xmltextPkg, Name: "EndElement"}, ":")
		g.P("return nil")
		g.P("case ", ir.Ident{ImportPath: xmltextPkg, Name: "CharData"}, ":")
		switch {
		case t.MixedText:
			g.P("v.Text += string(tok.Text)")
		case t.MixedTyped:
			g.P("v.Texts = ", xb, ".AddText(v.Texts, n+v.Unknown.Len(), tok.Text)")
		default:
			g.P("return d.Errorf(tok.Offset, \"unexpected character data in %s\", start.Name)")
		}
		g.P("case ", ir.Ident{ImportPath: xmltextPkg, Name: "StartElement"}, ":")
		g.P("ok, err := v.take(d, &tok)")
		g.P("if err != nil { return err }")
		g.P("if ok {")
		g.P("n++")
		g.P("} else if err := ", xb, ".KeepElement(d, &v.Unknown, start.Name, &tok, n); err != nil {")
		g.P("return err")
		g.P("}")
		g.P("}")
		g.P("}")
	}
	g.P("}")
	g.P("")
	// Marshal.
	g.P("// MarshalXMLText encodes v as the element name.")
	g.P("func (v *", t.Name, ") MarshalXMLText(e *", xEncoder, ", name ", xName, ") error {")
	g.P("return v.marshalXML(e, name, false)")
	g.P("}")
	g.P("")
	if t.ForeignBase || g.derived[t] {
		g.P("// MarshalXMLTextTyped encodes v as the element name with its xsi:type: the")
		g.P("// encoding of a base type whose Derived field holds v.")
		g.P("func (v *", t.Name, ") MarshalXMLTextTyped(e *", xEncoder, ", name ", xName, ") error {")
		g.P("return v.marshalXML(e, name, true)")
		g.P("}")
		g.P("")
	}
	g.P("func (v *", t.Name, ") marshalXML(e *", xEncoder, ", name ", xName, ", typed bool) error {")
	if len(t.Derived)+len(t.ForeignDerived) > 0 {
		g.P("switch x := v.Derived.(type) {")
		g.P("case nil:")
		for _, dt := range t.Derived {
			g.P("case *", dt.Name, ":")
			g.P("return x.MarshalXMLTextTyped(e, name)")
		}
		g.P("default:")
		if len(t.ForeignDerived) > 0 {
			args := []string{"e", "name", "x", strconv.Quote(t.Name)}
			for _, f := range t.ForeignDerived {
				args = append(args, g.name(f.XMLName))
			}
			g.P("return ", xb, ".MarshalForeign(", strings.Join(args, ", "), ")")
		} else {
			g.P("return fmt.Errorf(\"%s: Derived holds %T, which is not derived from ", t.Name, "\", name.Local, x)")
			g.file.fixed("fmt", "fmt")
		}
		g.P("}")
	}
	g.P("e.Start(name)")
	g.P("if typed || v.XSIType { e.Attr(", xb, ".XSITypeName, e.QName(v.XSDType())) }")
	g.P("if v.XSINil { e.Attr(", xb, ".XSINilName, \"true\") }")
	g.P("v.Unknown.WriteXSIHints(e)")
	for _, a := range t.Attrs {
		x := "v." + a.Name
		if a.Pointer {
			g.P("if v.", a.Name, " != nil {")
			x = "(*v." + a.Name + ")"
		}
		f := g.formatExpr(a.Value.Type, x)
		g.needs(f)
		if a.Required {
			// Absent from the decoded element and left unset: not written.
			g.P("if !v.Unknown.Omits(", g.name(a.XMLName), ") || !", xb, ".IsZero(v.", a.Name, ") {")
		}
		g.P("e.Attr(", g.name(a.XMLName), ", ", f, ")")
		if a.Pointer || a.Required {
			g.P("}")
		}
	}
	if t.AnyAttr != nil {
		g.P("for _, a := range v.AnyAttrs { e.Attr(a.Name, a.Value) }")
	}
	g.P("v.Unknown.WriteAttrs(e)")
	switch {
	case t.Value != nil:
		// A nil element has no content; a value set anyway is written
		// (and reported by Validate), not dropped.
		g.P("if !v.XSINil || !", xb, ".IsZero(v.Value) {")
		if t.Value.Type.Builtin == "base64Binary" && t.Value.Type.List == nil {
			g.P(xb, ".EncodeBinary(e, &v.Value)")
		} else {
			f := g.formatExpr(t.Value.Type, "v.Value")
			g.needs(f)
			g.P("e.Text(", f, ")")
		}
		g.P("}")
	case t.MixedNodes:
		g.P(xb, ".WriteNodes(e, v.Content)")
	case t.MixedText:
		g.P("e.Text(v.Text)")
		g.P("if err := v.Unknown.WriteContent(e, v.marshalContent); err != nil { return err }")
	case t.MixedTyped:
		g.P("if err := ", xb, ".WriteMixed(e, v.Texts, v.Unknown, v.marshalContent); err != nil { return err }")
	default:
		g.P("if err := v.Unknown.WriteContent(e, v.marshalContent); err != nil { return err }")
	}
	g.P("e.End()")
	g.P("return e.Err()")
	g.P("}")
	g.P("")
	g.P("// Validate checks v against its schema type and returns every violation.")
	g.P("func (v *", t.Name, ") Validate() error {")
	g.P("r := ", ir.Ident{ImportPath: xsdtPkg, Name: "NewReport"}, "(\"\")")
	g.P("v.ValidateXSD(r)")
	g.P("return r.Err()")
	g.P("}")
	g.P("")
}

// itemMethods: group items have no element of their own.
func (g *generator) itemMethods(t *ir.Type) {
	g.P("// accepts reports whether an element of this name can appear in a ", t.Name, ".")
	g.P("func (*", t.Name, ") accepts(n ", xName, ") bool {")
	for _, m := range t.Content {
		g.P("if ", g.matchExpr(m, "n"), " { return true }")
	}
	g.P("return false")
	g.P("}")
	g.P("")
}

func (g *generator) wildcardVar(w *ir.Wildcard) string {
	var list []string
	for _, s := range w.List {
		list = append(list, strconv.Quote(s))
	}
	expr := fmt.Sprintf("&%s{Any: %t, Other: %t, TargetNamespace: %q, List: []string{%s}}", g.file.qual(xWildcard), w.Any, w.Other, w.TargetNamespace, strings.Join(list, ", "))
	return g.file.pkgVar("wildcard", shortHash(expr), expr)
}

// matchExpr is a boolean expression: element name n can start member m.
func (g *generator) matchExpr(m *ir.Member, n string) string {
	switch m.Kind {
	case ir.ElemMember:
		return n + " == " + g.name(m.XMLName)
	case ir.GroupMember:
		return "(*" + m.Item.Name + ")(nil).accepts(" + n + ")"
	}
	return g.wildcardVar(m.Any) + ".Allows(" + n + ".Space)"
}

// present is a boolean expression: member m has a value.
func present(m *ir.Member) string {
	if m.Slice || m.Kind == ir.AnyMember {
		return "len(v." + m.Name + ") > 0"
	}
	if m.Pointer || m.AnyType || m.Kind == ir.GroupMember {
		return "v." + m.Name + " != nil"
	}
	return "true"
}

// takeMethods prints take (decode one child element if the content model
// accepts it here) and after (is a member after k already present).
func (g *generator) takeMethods(t *ir.Type) {
	if t.Value != nil || t.MixedNodes {
		return
	}
	// after(k) is needed only for members followed by others, in order.
	ordered := !t.AllGroup && len(t.Content) > 1
	if ordered {
		g.P("// after reports whether a member after position k already has a value.")
		g.P("func (v *", t.Name, ") after(k int) bool {")
		for i := len(t.Content) - 1; i >= 1; i-- {
			g.P("if k < ", i, " && ", present(t.Content[i]), " { return true }")
		}
		g.P("return false")
		g.P("}")
		g.P("")
	}
	g.P("// take decodes the child element tok when the content model accepts it here.")
	g.P("func (v *", t.Name, ") take(d *", xDecoder, ", tok *", xToken, ") (bool, error) {")
	if t.Item == ir.ChoiceItem {
		var ps []string
		for _, m := range t.Content {
			ps = append(ps, present(m))
		}
		if len(ps) > 0 {
			g.P("if ", strings.Join(ps, " || "), " { return false, nil }")
		}
	}
	for i, m := range t.Content {
		cond := g.matchExpr(m, "tok.Name")
		if ordered && i < len(t.Content)-1 {
			cond += " && !v.after(" + strconv.Itoa(i) + ")"
		}
		if t.Item == ir.SequenceItem && m.ChoiceID > 0 {
			// An item of a repeated sequence holds one alternative of
			// each of its choices: another one starts the next item.
			var others []string
			for _, o := range t.Content {
				if o != m && o.ChoiceID == m.ChoiceID {
					others = append(others, present(o))
				}
			}
			if len(others) > 0 {
				cond += " && !(" + strings.Join(others, " || ") + ")"
			}
		}
		g.P("if ", cond, " {")
		rec := ""
		if t.OrderField != "" {
			rec = fmt.Sprintf("v.%s = append(v.%s, %d)", t.OrderField, t.OrderField, i)
		}
		g.takeMember(m, rec)
		g.P("}")
	}
	g.P("return false, nil")
	g.P("}")
	g.P("")
}

// takeMember prints the decoding of member m; rec, if not empty, is printed
// once the member has taken the element.
func (g *generator) takeMember(m *ir.Member, rec string) {
	xb := g.file.use(xmlbindPkg)
	taken := func() {
		if rec != "" {
			g.P(rec)
		}
		g.P("return true, nil")
	}
	single := !m.Slice
	switch m.Kind {
	case ir.ElemMember:
		if single {
			g.P("if v.", m.Name, " != nil { return false, nil }")
		}
		switch {
		case m.AnyType:
			g.P("el, err := d.ReadElement(*tok)")
			g.P("if err != nil { return true, err }")
			g.assign(m, "el")
		case m.Struct != nil:
			g.P("x := new(", *m.Struct, ")")
			g.P("if err := x.UnmarshalXMLText(d, tok); err != nil { return true, err }")
			if m.Slice {
				g.P("v.", m.Name, " = append(v.", m.Name, ", *x)")
			} else {
				g.P("v.", m.Name, " = x")
			}
		default:
			g.P("if ok, err := ", xb, ".SimpleAttrs(d, tok); !ok { return err != nil, err }")
			if m.Simple.Type.Builtin == "base64Binary" && m.Simple.Type.List == nil {
				g.P("x, err := ", xb, ".DecodeBinary(d, tok)")
				g.P("if err != nil { return true, err }")
			} else {
				g.P("s, err := d.ReadElementText(tok)")
				g.P("if err != nil { return true, err }")
				g.P("{")
				g.P(g.parse(m.Simple, "y", "s", "return true, d.Errorf(tok.Offset, \"%s: %v\", tok.Name, err)"))
				if m.Pointer && !m.Slice && !m.AnyType && g.goTypeOf(m.Simple.Type, false) == "string" {
					// Strings share blocks of variables (one allocation
					// per 32 optional values instead of one each).
					g.P("v.", m.Name, " = d.StringPtr(y)")
				} else {
					g.P("x := y")
					g.assign(m, "x")
				}
				taken()
				g.P("}")
				return
			}
			g.assign(m, "x")
		}
		taken()
	case ir.GroupMember:
		if m.Slice {
			g.P("if n := len(v.", m.Name, "); n > 0 {")
			g.P("if ok, err := v.", m.Name, "[n-1].take(d, tok); ok || err != nil { return ok, err }")
			g.P("}")
			g.P("var it ", m.Item.Name)
			g.P("if ok, err := it.take(d, tok); !ok || err != nil { return ok, err }")
			g.P("v.", m.Name, " = append(v.", m.Name, ", it)")
		} else {
			g.P("if v.", m.Name, " != nil { return v.", m.Name, ".take(d, tok) }")
			g.P("it := new(", m.Item.Name, ")")
			g.P("if ok, err := it.take(d, tok); !ok || err != nil { return ok, err }")
			g.P("v.", m.Name, " = it")
		}
		taken()
	case ir.AnyMember:
		g.P("el, err := d.ReadElement(*tok)")
		g.P("if err != nil { return true, err }")
		g.P("v.", m.Name, " = append(v.", m.Name, ", el)")
		taken()
	}
}

func (g *generator) assign(m *ir.Member, x string) {
	switch {
	case m.Slice:
		g.P("v.", m.Name, " = append(v.", m.Name, ", ", x, ")")
	case m.Pointer && !m.AnyType:
		g.P("v.", m.Name, " = &", x)
	default:
		g.P("v.", m.Name, " = ", x)
	}
}

// marshalContent prints the encoding of the content members, in order.
func (g *generator) marshalContent(t *ir.Type) {
	if t.Value != nil || t.MixedNodes {
		return
	}
	xb := g.file.use(xmlbindPkg)
	g.P("func (v *", t.Name, ") marshalContent(e *", xEncoder, ") error {")
	if t.OrderField != "" {
		// xs:all: the recorded document order, then the rest in schema order.
		g.P("for _, k := range ", xb, ".ChildOrder(v.", t.OrderField, ", ", len(t.Content), ") {")
		g.P("switch k {")
		for i, m := range t.Content {
			g.P("case ", i, ":")
			g.marshalMember(m)
		}
		g.P("}")
		g.P("}")
	} else {
		for _, m := range t.Content {
			g.marshalMember(m)
		}
	}
	g.P("return nil")
	g.P("}")
	g.P("")
}

// marshalMember prints the encoding of one content member.
func (g *generator) marshalMember(m *ir.Member) {
	xb := g.file.use(xmlbindPkg)
	{
		switch m.Kind {
		case ir.ElemMember:
			elem := "v." + m.Name
			if m.Slice {
				g.P("for i := range v.", m.Name, " {")
				elem = "v." + m.Name + "[i]"
			} else {
				g.P("if v.", m.Name, " != nil {")
			}
			switch {
			case m.AnyType:
				g.P("e.WriteElement(", elem, ")")
			case m.Struct != nil:
				if m.Slice {
					elem = "(&" + elem + ")"
				}
				g.P("if err := ", elem, ".MarshalXMLText(e, ", g.name(m.XMLName), "); err != nil { return err }")
			default:
				val := elem
				if !m.Slice && m.Pointer {
					val = "(*" + elem + ")"
				}
				g.P("e.Start(", g.name(m.XMLName), ")")
				if m.Simple.Type.Builtin == "base64Binary" && m.Simple.Type.List == nil {
					if m.Slice {
						g.P(xb, ".EncodeBinary(e, &", elem, ")")
					} else {
						g.P(xb, ".EncodeBinary(e, ", elem, ")")
					}
				} else {
					f := g.formatExpr(m.Simple.Type, val)
					g.needs(f)
					g.P("e.Text(", f, ")")
				}
				g.P("e.End()")
			}
			g.P("}")
		case ir.GroupMember:
			if m.Slice {
				g.P("for i := range v.", m.Name, " {")
				g.P("if err := v.", m.Name, "[i].marshalContent(e); err != nil { return err }")
			} else {
				g.P("if v.", m.Name, " != nil {")
				g.P("if err := v.", m.Name, ".marshalContent(e); err != nil { return err }")
			}
			g.P("}")
		case ir.AnyMember:
			g.P("for _, el := range v.", m.Name, " { e.WriteElement(el) }")
		}
	}
}
