package xsd

// builtinDef describes one XSD 1.0 built-in simple type (XML Schema Part 2, §3).
type builtinDef struct {
	name string
	base string // base type local name (in NS)
	item string // list item type, for the built-in list types
	ws   string // whiteSpace facet
	// other defining facets
	pattern        string
	minInc, maxInc string
	minLength      int
	fractionZero   bool
}

// builtinDefs lists anySimpleType, the 19 primitive and the 25 derived
// built-in simple types, each after its base.
var builtinDefs = [...]builtinDef{
	{name: "anySimpleType", base: "anyType"},
	// primitives
	{name: "string", base: "anySimpleType", ws: "preserve"},
	{name: "boolean", base: "anySimpleType", ws: "collapse"},
	{name: "decimal", base: "anySimpleType", ws: "collapse"},
	{name: "float", base: "anySimpleType", ws: "collapse"},
	{name: "double", base: "anySimpleType", ws: "collapse"},
	{name: "duration", base: "anySimpleType", ws: "collapse"},
	{name: "dateTime", base: "anySimpleType", ws: "collapse"},
	{name: "time", base: "anySimpleType", ws: "collapse"},
	{name: "date", base: "anySimpleType", ws: "collapse"},
	{name: "gYearMonth", base: "anySimpleType", ws: "collapse"},
	{name: "gYear", base: "anySimpleType", ws: "collapse"},
	{name: "gMonthDay", base: "anySimpleType", ws: "collapse"},
	{name: "gDay", base: "anySimpleType", ws: "collapse"},
	{name: "gMonth", base: "anySimpleType", ws: "collapse"},
	{name: "hexBinary", base: "anySimpleType", ws: "collapse"},
	{name: "base64Binary", base: "anySimpleType", ws: "collapse"},
	{name: "anyURI", base: "anySimpleType", ws: "collapse"},
	{name: "QName", base: "anySimpleType", ws: "collapse"},
	{name: "NOTATION", base: "anySimpleType", ws: "collapse"},
	// derived from string
	{name: "normalizedString", base: "string", ws: "replace"},
	{name: "token", base: "normalizedString", ws: "collapse"},
	{name: "language", base: "token", ws: "collapse", pattern: `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`},
	{name: "NMTOKEN", base: "token", ws: "collapse", pattern: `\c+`},
	{name: "NMTOKENS", base: "anySimpleType", item: "NMTOKEN", ws: "collapse", minLength: 1},
	{name: "Name", base: "token", ws: "collapse", pattern: `\i\c*`},
	{name: "NCName", base: "Name", ws: "collapse", pattern: `[\i-[:]][\c-[:]]*`},
	{name: "ID", base: "NCName", ws: "collapse"},
	{name: "IDREF", base: "NCName", ws: "collapse"},
	{name: "IDREFS", base: "anySimpleType", item: "IDREF", ws: "collapse", minLength: 1},
	{name: "ENTITY", base: "NCName", ws: "collapse"},
	{name: "ENTITIES", base: "anySimpleType", item: "ENTITY", ws: "collapse", minLength: 1},
	// derived from decimal
	{name: "integer", base: "decimal", ws: "collapse", pattern: `[\-+]?[0-9]+`, fractionZero: true},
	{name: "nonPositiveInteger", base: "integer", ws: "collapse", maxInc: "0"},
	{name: "negativeInteger", base: "nonPositiveInteger", ws: "collapse", maxInc: "-1"},
	{name: "long", base: "integer", ws: "collapse", minInc: "-9223372036854775808", maxInc: "9223372036854775807"},
	{name: "int", base: "long", ws: "collapse", minInc: "-2147483648", maxInc: "2147483647"},
	{name: "short", base: "int", ws: "collapse", minInc: "-32768", maxInc: "32767"},
	{name: "byte", base: "short", ws: "collapse", minInc: "-128", maxInc: "127"},
	{name: "nonNegativeInteger", base: "integer", ws: "collapse", minInc: "0"},
	{name: "unsignedLong", base: "nonNegativeInteger", ws: "collapse", maxInc: "18446744073709551615"},
	{name: "unsignedInt", base: "unsignedLong", ws: "collapse", maxInc: "4294967295"},
	{name: "unsignedShort", base: "unsignedInt", ws: "collapse", maxInc: "65535"},
	{name: "unsignedByte", base: "unsignedShort", ws: "collapse", maxInc: "255"},
	{name: "positiveInteger", base: "nonNegativeInteger", ws: "collapse", minInc: "1"},
}

// IsBuiltin reports whether q names an XSD 1.0 built-in type (xs:anyType,
// xs:anySimpleType or one of the 44 primitive and derived simple types).
func IsBuiltin(q QName) bool {
	if q.Space != NS {
		return false
	}
	if q.Local == "anyType" {
		return true
	}
	for i := range builtinDefs {
		if builtinDefs[i].name == q.Local {
			return true
		}
	}
	return false
}

// builtinTypes returns fresh definitions of all built-in types, keyed by name.
// xs:anyType is a ComplexType (mixed, any content, any attributes, no base);
// every other built-in is a SimpleType with Builtin set, its Base (or, for the
// list types, ItemType) and the facets that define it in XML Schema Part 2.
func builtinTypes() map[QName]Type {
	m := make(map[QName]Type, len(builtinDefs)+1)
	anyType := QName{NS, "anyType"}
	m[anyType] = &ComplexType{
		Name:    anyType,
		Builtin: true,
		Mixed:   true,
		Content: ComplexContent,
		Particle: &ModelGroup{
			Occurrence: Occurrence{1, 1},
			Kind:       Sequence,
			Particles: []Particle{&Wildcard{
				Occurrence:      Occurrence{0, Unbounded},
				Namespace:       "##any",
				ProcessContents: "lax",
			}},
		},
		AnyAttribute: &Wildcard{Namespace: "##any", ProcessContents: "lax"},
	}
	for _, d := range builtinDefs {
		st := &SimpleType{Name: QName{NS, d.name}, Builtin: true, Variety: Atomic, Base: QName{NS, d.base}}
		st.Facets.WhiteSpace = d.ws
		if d.item != "" {
			st.Variety = List
			st.ItemType = QName{NS, d.item}
		}
		if d.pattern != "" {
			st.Facets.Pattern = []string{d.pattern}
		}
		if d.minInc != "" {
			v := d.minInc
			st.Facets.MinInclusive = &v
		}
		if d.maxInc != "" {
			v := d.maxInc
			st.Facets.MaxInclusive = &v
		}
		if d.minLength > 0 {
			v := d.minLength
			st.Facets.MinLength = &v
		}
		if d.fractionZero {
			v := 0
			st.Facets.FractionDigits = &v
		}
		m[st.Name] = st
	}
	return m
}
