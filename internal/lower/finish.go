package lower

import (
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// reservedFields are the names of generated methods and fields.
var reservedFields = map[string]bool{
	"Validate": true, "ValidateXSD": true, "MarshalXMLText": true, "MarshalXMLTextTyped": true, "UnmarshalXMLText": true, "XSDType": true,
	"Derived": true, "XSINil": true, "XSIHints": true, "XSIType": true, "AnyAttrs": true, "Unknown": true, "Value": false, "Text": false, "Content": false,
}

// fieldNames resolves the Go field names of one struct: elements first, then
// attributes ("Attr" suffix on a clash), generated names get "Field".
func (l *lowerer) fieldNames(t *ir.Type) {
	used := map[string]bool{}
	for k, v := range reservedFields {
		if v {
			used[k] = true
		}
	}
	if t.Value != nil {
		used["Value"] = true
	}
	if t.MixedText {
		used["Text"] = true
	}
	if t.MixedNodes {
		used["Content"] = true
	}
	if t.MixedTyped {
		used["Texts"] = true
	}
	if t.AllGroup && len(t.Content) > 1 {
		t.OrderField = "ChildOrder"
		used[t.OrderField] = true
	}
	pick := func(want, suffix string) string {
		if reservedFields[want] {
			want += "Field"
		}
		name := want
		if used[name] && suffix != "" {
			name = want + suffix
		}
		for i := 2; used[name]; i++ {
			name = want + itoa(i)
		}
		used[name] = true
		return name
	}
	for _, m := range t.Content {
		m.Name = pick(m.Name, "")
	}
	for _, a := range t.Attrs {
		a.Name = pick(a.Name, "Attr")
	}
	// Getters share the method set with the fields: they come last.
	for _, a := range t.Attrs {
		if a.Default != nil && a.Pointer && a.Value.Type.Builtin != "QName" {
			a.Getter = pick("Get"+a.Name, "")
		}
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// derivations records, for every named complex type, the named types derived
// from it (the xsi:type candidates): in the same package, Derived; in
// another, ForeignDerived, the derived type then being ForeignBase.
func (l *lowerer) derivations() {
	for _, q := range l.set.TypeNames() {
		ct, ok := l.lookupComplex(q)
		if !ok || q.Space == xsd.NS {
			continue
		}
		dt := l.types[ct]
		seen := map[xsd.QName]bool{}
		for b := ct.Base; !b.IsZero() && b != anyTypeQ && !seen[b]; {
			seen[b] = true
			bct, ok := l.lookupComplex(b)
			if !ok {
				break
			}
			bt := l.types[bct]
			switch {
			case bt == nil || dt == nil:
			case l.typePkg[bt] == l.typePkg[dt]:
				bt.Derived = append(bt.Derived, dt)
			default:
				bt.ForeignDerived = append(bt.ForeignDerived, &ir.Foreign{XMLName: irName(q), Ident: l.identRef(dt)})
				dt.ForeignBase = true
			}
			b = bct.Base
		}
	}
	for _, t := range l.types {
		sort.Slice(t.Derived, func(i, j int) bool { return t.Derived[i].Name < t.Derived[j].Name })
		sort.Slice(t.ForeignDerived, func(i, j int) bool {
			return t.ForeignDerived[i].XMLName.String() < t.ForeignDerived[j].XMLName.String()
		})
	}
}

// finish completes pending identifiers, sorts files and builds the program.
func (l *lowerer) finish() {
	for _, p := range l.idents {
		p.id.Name = p.t.Name
	}
	l.elements()
	l.derivedTypes()
	l.prog = &ir.Program{}
	for _, p := range l.pkgs {
		if len(p.ir.Files) == 0 {
			continue
		}
		sort.Slice(p.ir.Files, func(i, j int) bool { return p.ir.Files[i].Name < p.ir.Files[j].Name })
		for _, f := range p.ir.Files {
			// Declaration order within a file follows the schema; items and
			// anonymous types come right after the type that declares them.
			sort.SliceStable(f.Types, func(i, j int) bool { return typeKey(f.Types[i]) < typeKey(f.Types[j]) })
		}
		l.prog.Packages = append(l.prog.Packages, p.ir)
	}
}

// typeKey orders types by source position, then name.
func typeKey(t *ir.Type) string {
	return strings.Join([]string{pad(t.Pos.Line), pad(t.Pos.Col), t.Name}, "|")
}

func pad(i int) string {
	s := itoa(i)
	return strings.Repeat("0", 8-len(s)) + s
}

// derivedTypes lists, per package, the named types NewType creates: those
// derived from a type of another package (xsi:type across packages).
func (l *lowerer) derivedTypes() {
	for _, q := range l.set.TypeNames() {
		ct, ok := l.lookupComplex(q)
		if !ok || ct.Abstract {
			continue
		}
		t := l.types[ct]
		if t == nil || !t.ForeignBase {
			continue
		}
		p := l.typePkg[t]
		id := l.ident(t)
		p.ir.DerivedTypes = append(p.ir.DerivedTypes, &ir.Element{GoName: t.Name, XMLName: irName(q), Doc: ct.Doc, Struct: &id})
	}
}

// elements lists, per package, the global elements whose type is a struct.
func (l *lowerer) elements() {
	for _, q := range l.set.ElementNames() {
		e, _ := l.set.LookupElement(q)
		if e.Abstract {
			continue
		}
		it := l.elementStruct(e)
		if it == nil {
			continue
		}
		p := l.pkgFor(q.Space)
		id := l.ident(it)
		p.ir.Elements = append(p.ir.Elements, &ir.Element{GoName: it.Name, XMLName: irName(q), Doc: e.Doc, Struct: &id})
	}
}

// elementStruct returns the struct type of a global element (its anonymous
// type or its named complex type), or nil when its type is not a struct.
func (l *lowerer) elementStruct(e *xsd.Element) *ir.Type {
	it := l.elemTypes[e]
	if it == nil && !e.Type.IsZero() {
		if ct, ok := l.lookupComplex(e.Type); ok {
			it = l.types[ct]
		}
	}
	if it == nil || it.Kind != ir.Struct {
		return nil
	}
	return it
}
