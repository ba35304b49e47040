package render

import (
	"sort"

	"github.com/dmpgen/dmpgen/internal/ir"
)

// components maps each generated Go identifier of a lowered program that
// stands for an XML component to that component. Keys are
// "importpath Name" or "importpath Type.Member"; values read like
// "{ns}AdhocQueryType/ResponseOption". Identifiers of the generated API
// that no schema names (Prefixes, Validate, Value, …) are absent.
func components(p *ir.Program) map[string]string {
	out := map[string]string{}
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
	for t, comp := range typeComp {
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
	return out
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
