package gen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/ir"
)

// parse returns Go statements that parse the string expression s into a new
// variable dst of the value's Go type and, when parsing can fail, handle the
// error err with onErr (a statement). Parsing that cannot fail (strings and
// string-based enumerations) has no error variable at all.
// QName values need the decoder d.
func (g *generator) parse(v *ir.Value, dst, s, onErr string) string {
	code, fallible := g.parseGo(v.Type, dst, s)
	if fallible {
		code += "\nif err != nil { " + onErr + " }"
	}
	return code
}

// parseGo returns the statements declaring dst from s and whether they
// assign a possibly non-nil error to a new variable err.
func (g *generator) parseGo(t ir.GoType, dst, s string) (string, bool) {
	xsdt := g.file.use(xsdtPkg)
	typ := g.goTypeOf(t, false)
	if t.List != nil {
		item, fallible := g.parseGo(*t.List, "y", "it")
		if !fallible {
			return fmt.Sprintf(`%[1]s := func() %[2]s {
	var out %[2]s
	for _, it := range %[3]s.ParseList(%[4]s) {
		%[5]s
		out = append(out, y)
	}
	return out
}()`, dst, typ, xsdt, s, item), false
		}
		return fmt.Sprintf(`%[1]s, err := func() (%[2]s, error) {
	var out %[2]s
	for _, it := range %[3]s.ParseList(%[4]s) {
		%[5]s
		if err != nil { return nil, err }
		out = append(out, y)
	}
	return out, nil
}()`, dst, typ, xsdt, s, item), true
	}
	conv := func(expr string) string {
		if t.Ident.ImportPath != "" && t.Ident.ImportPath != xsdtPkg && t.Ident.ImportPath != xmltextPkg {
			return typ + "(" + expr + ")" // enum type over string
		}
		return expr
	}
	switch t.Builtin {
	case "boolean":
		return fmt.Sprintf("%s, err := %s.ParseBoolean(%s)", dst, xsdt, s), true
	case "float", "double":
		return fmt.Sprintf("f, err := %s.ParseDouble(%s, %d)\n%s := %s(f)", xsdt, s, t.Bits, dst, typ), true
	case "long", "int", "short", "byte":
		return fmt.Sprintf("i, err := %s.ParseInt(%s, %d)\n%s := %s(i)", xsdt, s, t.Bits, dst, typ), true
	case "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte":
		return fmt.Sprintf("i, err := %s.ParseUint(%s, %d)\n%s := %s(i)", xsdt, s, t.Bits, dst, typ), true
	case "decimal":
		return fmt.Sprintf("%s, err := %s.ParseDecimal(%s)", dst, xsdt, s), true
	case "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger":
		return fmt.Sprintf("%s, err := %s.ParseInteger(%s)", dst, xsdt, s), true
	case "dateTime", "date", "time", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay", "duration":
		fn := strings.ToUpper(t.Builtin[:1]) + t.Builtin[1:]
		if t.Builtin[0] == 'g' {
			fn = "G" + strings.ToUpper(t.Builtin[1:2]) + t.Builtin[2:]
		}
		return fmt.Sprintf("%s, err := %s.Parse%s(%s)", dst, xsdt, fn, s), true
	case "base64Binary":
		return fmt.Sprintf("%s, err := %s.ParseBase64(%s)", dst, xsdt, s), true
	case "hexBinary":
		return fmt.Sprintf("%s, err := %s.ParseHex(%s)", dst, xsdt, s), true
	case "QName":
		if g.noDecoder {
			// Outside decoding (union member checks, defaults) a QName's
			// lexical form is checked, its prefix cannot be resolved.
			return fmt.Sprintf("%[1]s := %[2]s.Collapse(%[3]s)\nvar err error\nif !%[2]s.IsQName(%[1]s) { err = %[4]s.Errorf(\"%%q is not a QName\", %[1]s) }", dst, xsdt, s, g.file.use("fmt")), true
		}
		return fmt.Sprintf("%s, err := d.ResolveQName(%s.Collapse(%s))", dst, xsdt, s), true
	}
	return fmt.Sprintf("%s := %s", dst, conv(s)), false
}

// formatExpr returns a string expression for value expression x. QName
// values need the encoder e (called before content is written).
func (g *generator) formatExpr(t ir.GoType, x string) string {
	xsdt := g.file.use(xsdtPkg)
	if t.List != nil {
		// Laid out as gofmt prints it (a range header loses its parentheses).
		return fmt.Sprintf("func() string {\ns := make([]string, len(%[1]s))\nfor i, it := range %[3]s {\ns[i] = %[2]s\n}\nreturn strings.Join(s, \" \")\n}()", x, g.formatExpr(*t.List, "it"), unparen(x))
	}
	switch t.Builtin {
	case "boolean":
		return "strconv.FormatBool(" + x + ")"
	case "float", "double":
		return fmt.Sprintf("%s.FormatDouble(float64(%s), %d)", xsdt, x, t.Bits)
	case "long", "int", "short", "byte":
		return "strconv.FormatInt(int64(" + x + "), 10)"
	case "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte":
		return "strconv.FormatUint(uint64(" + x + "), 10)"
	case "decimal", "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
		"dateTime", "date", "time", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay", "duration":
		return x + ".String()"
	case "base64Binary":
		return xsdt + ".FormatBase64(" + x + ")"
	case "hexBinary":
		return xsdt + ".FormatHex(" + x + ")"
	case "QName":
		if g.noEncoder {
			return x + ".String()"
		}
		return "e.QName(" + x + ")"
	}
	if t.Ident.ImportPath != "" {
		return "string(" + x + ")"
	}
	return x
}

// needs records the standard imports a formatted expression uses.
func (g *generator) needs(expr string) {
	if strings.Contains(expr, "strconv.") {
		g.file.fixed("strconv", "strconv")
	}
	if strings.Contains(expr, "strings.") {
		g.file.fixed("strings", "strings")
	}
}

// checkStmts returns statements validating value expression x (of the
// value's Go type) into report r.
func (g *generator) checkStmts(v *ir.Value, x string) string {
	var b strings.Builder
	t := v.Type
	switch {
	case v.Check.Name != "" && (v.Enum == nil || v.Check != *v.Enum):
		// A named restriction of an enumerated type: its check function
		// calls ValidateXSD and adds its own facets.
		fmt.Fprintf(&b, "%s(r, %s)\n", g.file.qual(v.Check), x)
	case v.Enum != nil:
		fmt.Fprintf(&b, "%s.ValidateXSD(r)\n", x)
	}
	if t.List == nil && v.Check.Name == "" && v.Enum == nil {
		if fn := lexicalCheck(t.Builtin); fn != "" {
			fmt.Fprintf(&b, "if !%s.%s(%s) { r.Add(\"lexical\", \"%%q is not a valid xs:%s\", %s) }\n", g.file.use(xsdtPkg), fn, x, t.Builtin, x)
		}
	}
	if v.Item != nil && t.List != nil {
		inner := g.checkStmts(v.Item, "it")
		if strings.TrimSpace(inner) != "" {
			fmt.Fprintf(&b, "for i, it := range %s {\nr.PushIndex(\"item\", i)\n%sr.Pop()\n}\n", unparen(x), inner)
		}
	}
	if len(v.Union) > 0 {
		var alts []string
		for _, m := range v.Union {
			alts = append(alts, g.unionMember(m, x))
		}
		fmt.Fprintf(&b, "if !(%s) {\nr.Add(\"union\", \"%%q matches no member type of the union\", %s)\n}\n", strings.Join(alts, " || "), x)
	}
	if v.Facets != nil {
		b.WriteString(g.facetStmts(v.Facets, t, x))
	}
	return b.String()
}

// unionMember returns a boolean expression: lexical s parses and checks as member m.
func (g *generator) unionMember(m *ir.Value, s string) string {
	saved := g.noDecoder
	g.noDecoder = true
	defer func() { g.noDecoder = saved }()
	if m.Type.Builtin == "QName" || m.Type.List != nil && m.Type.List.Builtin == "QName" {
		return g.file.use(xmlbindPkg) + ".IsQName(" + s + ")"
	}
	checks := g.checkStmts(m, "v")
	if strings.TrimSpace(checks) == "" {
		checks = "_ = v\n"
	}
	return fmt.Sprintf(`func() bool {
	r := %s.NewReport("")
	%s
	%s
	return r.Len() == 0
}()`, g.file.use(xsdtPkg), g.parse(m, "v", s, "return false"), checks)
}

func lexicalCheck(builtin string) string {
	switch builtin {
	case "NCName", "ID", "IDREF", "ENTITY":
		return "IsNCName"
	case "Name":
		return "IsName"
	case "NMTOKEN":
		return "IsNMTOKEN"
	case "language":
		return "IsLanguage"
	case "anyURI":
		return "IsAnyURI"
	}
	return ""
}

// facetStmts returns the checks of a facet set on value x of Go type t.
func (g *generator) facetStmts(f *ir.Facets, t ir.GoType, x string) string {
	var b strings.Builder
	xsdt := g.file.use(xsdtPkg)
	str := x
	isString := t.List == nil && (t.Ident.Name == "string" || (t.Ident.ImportPath != "" && t.Ident.ImportPath != xsdtPkg && t.Ident.ImportPath != xmltextPkg))
	if !isString && t.List == nil {
		str = g.formatExpr(t, x)
		g.needs(str)
	}
	if t.Ident.ImportPath != "" && isString && t.Ident.Name != "string" {
		str = "string(" + x + ")"
	}
	// XSD checks the facets on the value after whiteSpace normalization; the
	// Go value keeps its exact lexical form.
	raw, norm := str, ""
	if isString {
		norm = normalizer(f, t.Builtin)
	}
	block := norm != ""
	if block {
		str = "ws"
	}
	for _, step := range f.Patterns {
		var pats []string
		for _, p := range step {
			pats = append(pats, g.file.pkgVar("pattern", shortHash(p), fmt.Sprintf("%s.MustPattern(%s)", xsdt, strconv.Quote(p))))
		}
		if len(pats) == 1 {
			fmt.Fprintf(&b, "r.Pattern(%s, %s)\n", str, pats[0])
		} else {
			var conds []string
			for _, p := range pats {
				conds = append(conds, p+".MatchString(s)")
			}
			fmt.Fprintf(&b, "if s := %s; !(%s) { r.Add(\"pattern\", \"%%q matches none of the patterns\", s) }\n", str, strings.Join(conds, " || "))
		}
	}
	lengthOf := ""
	switch {
	case t.List != nil:
		lengthOf = "len(" + x + ")"
	case t.Builtin == "base64Binary" || t.Builtin == "hexBinary":
		lengthOf = "len(" + x + ")"
	case isString:
		lengthOf = "utf8.RuneCountInString(" + str + ")"
	}
	if lengthOf != "" && (f.Length != nil || f.MinLength != nil || f.MaxLength != nil) && strings.Contains(lengthOf, "utf8.") {
		g.file.fixed("unicode/utf8", "utf8")
	}
	for _, l := range []struct {
		v    *int
		code string
		op   string
	}{{f.Length, "length", "!="}, {f.MinLength, "minLength", "<"}, {f.MaxLength, "maxLength", ">"}} {
		if l.v == nil {
			continue
		}
		if lengthOf == "" {
			continue // length facets on non-string types are ignored by XSD 1.0 (QName, NOTATION)
		}
		check := fmt.Sprintf("if n := %s; n %s %d { r.Add(%q, \"length %%d, want %s %d\", n) }\n", lengthOf, l.op, *l.v, l.code, map[string]string{"length": "exactly", "minLength": "at least", "maxLength": "at most"}[l.code], *l.v)
		if l.code == "maxLength" && strings.HasPrefix(lengthOf, "utf8.") {
			// A string no longer in bytes than the limit is not longer in
			// characters: count them only when it is.
			check = fmt.Sprintf("if len(%s) > %d {\n%s}\n", str, *l.v, check)
		}
		b.WriteString(check)
	}
	if len(f.Enumeration) > 0 {
		var qs []string
		for _, e := range f.Enumeration {
			qs = append(qs, strconv.Quote(e))
		}
		fmt.Fprintf(&b, "switch %s {\ncase %s:\ndefault:\nr.Add(\"enumeration\", \"%%q is not one of the enumerated values\", %s)\n}\n", unparen(str), strings.Join(qs, ", "), str)
	}
	for _, rg := range []struct {
		v    *string
		code string
		op   string
	}{{f.MinInclusive, "minInclusive", "<"}, {f.MaxInclusive, "maxInclusive", ">"}, {f.MinExclusive, "minExclusive", "<="}, {f.MaxExclusive, "maxExclusive", ">="}} {
		if rg.v == nil {
			continue
		}
		switch t.Builtin {
		case "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "float", "double":
			fmt.Fprintf(&b, "if %s %s %s { r.Add(%q, \"%%v is out of range (%s %s)\", %s) }\n", x, rg.op, *rg.v, rg.code, rg.code, *rg.v, x)
		case "decimal", "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger":
			xb := g.file.use(xmlbindPkg)
			lim := g.file.pkgVar("limit", strings.NewReplacer("-", "m", "+", "p", ".", "_").Replace(*rg.v), fmt.Sprintf("%s.MustDecimal(%q)", xb, *rg.v))
			fmt.Fprintf(&b, "if %s.MustDecimal(%s.String()).Cmp(%s) %s 0 { r.Add(%q, \"%%s is out of range (%s %s)\", %s.String()) }\n", xb, x, lim, rg.op, rg.code, rg.code, *rg.v, x)
		default:
			fmt.Fprintf(&b, "// %s %s on xs:%s is not checked by generated code\n", rg.code, *rg.v, t.Builtin)
		}
	}
	if f.TotalDigits != nil || f.FractionDigits != nil {
		tot, frac := -1, -1
		if f.TotalDigits != nil {
			tot = *f.TotalDigits
		}
		if f.FractionDigits != nil {
			frac = *f.FractionDigits
		}
		switch t.Builtin {
		case "decimal":
			fmt.Fprintf(&b, "r.Digits(%s, %d, %d)\n", x, tot, frac)
		default:
			fmt.Fprintf(&b, "r.Digits(%s.MustDecimal(%s), %d, %d)\n", g.file.use(xmlbindPkg), str, tot, frac)
		}
	}
	if body := b.String(); block && strings.Contains(body, "ws") {
		return fmt.Sprintf("{\nws := %s.%s(%s)\n%s}\n", xsdt, norm, raw, body)
	}
	return b.String()
}

// normalizer returns the xsdt function applying the effective whiteSpace
// facet of a string value (its own or inherited facet, else the one of its
// built-in: string preserves, normalizedString replaces, the types derived
// from token collapse), or "" when the value is kept as is.
func normalizer(f *ir.Facets, builtin string) string {
	ws := ""
	if f != nil {
		ws = f.WhiteSpace
	}
	if ws == "" {
		switch builtin {
		case "", "string", "anySimpleType":
			ws = "preserve"
		case "normalizedString":
			ws = "replace"
		default:
			ws = "collapse"
		}
	}
	switch ws {
	case "collapse":
		return "Collapse"
	case "replace":
		return "Replace"
	}
	return ""
}

// unparen removes the parentheses enclosing all of x, if any.
func unparen(x string) string {
	if len(x) < 2 || x[0] != '(' || x[len(x)-1] != ')' {
		return x
	}
	level := 0
	for i := 0; i < len(x)-1; i++ {
		switch x[i] {
		case '(':
			level++
		case ')':
			level--
		}
		if level == 0 {
			return x // the first parenthesis closes before the end
		}
	}
	return x[1 : len(x)-1]
}
