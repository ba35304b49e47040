package render

import (
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/ir"
)

// shaper computes the shape of a field's Go type: "[]" for a slice, "*"
// for a pointer, then the XML component of its struct or enumeration type,
// or its built-in type, as "[]{ns}SlotType1" or "*string". It names types
// by component, not by Go name, so that a renamed type is not reported
// again for each field of that type. A kit change that repeats an optional
// element, or changes its type, changes the shape.
type shaper struct {
	types    map[ir.Ident]*ir.Type
	typeComp map[*ir.Type]string
}

func (s shaper) add(out map[string]string, importPath string, t *ir.Type) {
	key := importPath + " " + t.Name + "."
	for _, a := range t.Attrs {
		out[key+a.Name] = card(a.Pointer, false) + s.value(&a.Value)
	}
	for _, m := range t.Content {
		switch m.Kind {
		case ir.ElemMember:
			v := "any"
			switch {
			case m.Struct != nil:
				v = s.ref(*m.Struct)
			case m.Simple != nil:
				v = s.value(m.Simple)
			}
			out[key+m.Name] = card(m.Pointer, m.Slice) + v
		case ir.GroupMember:
			if m.Item != nil {
				out[key+m.Name] = card(m.Max == 1, m.Max != 1) + s.typeComp[m.Item]
			}
		}
	}
}

func (s shaper) ref(id ir.Ident) string {
	if t := s.types[id]; t != nil && s.typeComp[t] != "" {
		return s.typeComp[t]
	}
	return id.Name
}

func (s shaper) value(v *ir.Value) string {
	switch {
	case v.Enum != nil:
		return s.ref(*v.Enum)
	case v.Type.List != nil:
		return "[]" + v.Type.List.Builtin
	case v.Type.Ident.Name != "":
		return v.Type.Ident.Name
	}
	return v.Type.Builtin
}

func card(pointer, slice bool) string {
	switch {
	case slice:
		return "[]"
	case pointer:
		return "*"
	}
	return ""
}

// shortShape drops the namespaces of a shape, for messages.
func shortShape(shape string) string {
	var b strings.Builder
	depth := 0
	for _, r := range shape {
		switch {
		case r == '{':
			depth++
		case r == '}':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// components maps each generated Go identifier of a lowered program that
// stands for an XML component to that component. Keys are
// "importpath Name" or "importpath Type.Member"; values read like
// "{ns}AdhocQueryType/ResponseOption". Identifiers of the generated API
// that no schema names (Prefixes, Validate, Value, …) are absent. shapes
// maps the fields, by the same keys, to the shapes of their types (shaper).
func components(p *ir.Program) (comps, shapes map[string]string) {
	out := map[string]string{}
	shapes = map[string]string{}
	types := map[ir.Ident]*ir.Type{}
	for _, pkg := range p.Packages {
		for _, f := range pkg.Files {
			for _, t := range f.Types {
				types[ir.Ident{ImportPath: pkg.ImportPath, Name: t.Name}] = t
			}
		}
	}
	typeComp := map[*ir.Type]string{}
	pkgOf := map[*ir.Type]string{}
	for id, t := range types {
		pkgOf[t] = id.ImportPath
		switch {
		case t.Kind == ir.Simple:
		case t.NilValue:
			typeComp[t] = "nillable " + t.XMLName.String()
		case t.XMLName.Local != "":
			typeComp[t] = t.XMLName.String()
		}
	}
	for _, pkg := range p.Packages {
		for _, e := range pkg.Elements {
			if t := types[*e.Struct]; t != nil && typeComp[t] == "" && t.Kind == ir.Struct {
				typeComp[t] = "element " + e.XMLName.String()
			}
		}
	}
	// Anonymous local types and group items take their parent's component;
	// walk until no new type is named.
	var visit func(t *ir.Type, comp string)
	visit = func(t *ir.Type, comp string) {
		for _, m := range t.Content {
			switch m.Kind {
			case ir.ElemMember:
				if m.Struct == nil {
					continue
				}
				if c := types[*m.Struct]; c != nil && typeComp[c] == "" {
					typeComp[c] = comp + "/" + m.XMLName.Local + " (anonymous type)"
					visit(c, typeComp[c])
				}
			case ir.GroupMember:
				if m.Item != nil && typeComp[m.Item] == "" {
					typeComp[m.Item] = comp + "/(" + m.Name + " group item)"
					pkgOf[m.Item] = pkgOf[t]
					visit(m.Item, typeComp[m.Item])
				}
			}
		}
	}
	named := make([]*ir.Type, 0, len(typeComp))
	for t := range typeComp {
		named = append(named, t)
	}
	for _, t := range named {
		visit(t, typeComp[t])
	}
	sh := shaper{types: types, typeComp: typeComp}
	for t, comp := range typeComp {
		sh.add(shapes, pkgOf[t], t)
		key := pkgOf[t] + " " + t.Name
		out[key] = comp
		for _, a := range t.Attrs {
			out[key+"."+a.Name] = comp + "/@" + a.XMLName.Local
		}
		for _, m := range t.Content {
			switch m.Kind {
			case ir.ElemMember:
				out[key+"."+m.Name] = comp + "/" + m.XMLName.Local
			case ir.GroupMember:
				out[key+"."+m.Name] = comp + "/(" + m.Name + " group)"
			case ir.AnyMember:
				out[key+"."+m.Name] = comp + "/(any)"
			}
		}
		for _, v := range t.Enums {
			out[pkgOf[t]+" "+v.Name] = comp + "=" + v.Value
		}
	}
	for _, pkg := range p.Packages {
		for _, f := range pkg.Files {
			for _, s := range f.Services {
				b := "binding " + s.Binding.String()
				for _, n := range []string{s.Name + "Client", "New" + s.Name + "Client", s.Name + "Handler", "Register" + s.Name, s.Name + "Operations"} {
					out[pkg.ImportPath+" "+n] = b
				}
				for _, op := range s.Operations {
					c := "operation " + s.Binding.String() + "/" + op.WSDLName
					out[pkg.ImportPath+" "+s.Name+"Client."+op.Name] = c
					out[pkg.ImportPath+" "+s.Name+"Handler."+op.Name] = c
				}
			}
		}
	}
	return out, shapes
}

// invert maps each component to the Go identifiers ("Type.Member") that
// stand for it, sorted, per import path.
func invert(comps map[string]string) map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for key, comp := range comps {
		pkg, name := splitKey(key)
		if out[pkg] == nil {
			out[pkg] = map[string][]string{}
		}
		out[pkg][comp] = append(out[pkg][comp], name)
	}
	for _, m := range out {
		for _, names := range m {
			sort.Strings(names)
		}
	}
	return out
}

func splitKey(key string) (pkg, name string) {
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == ' ' {
			return key[:i], key[i+1:]
		}
	}
	return "", key
}
