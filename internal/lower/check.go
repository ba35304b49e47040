package lower

import (
	"go/token"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/ir"
)

// check is the last pass before emission: it refuses a program whose Go
// code would not compile because two declarations of one scope share a
// name (package-level identifiers, the fields and methods of a type, the
// operations of a service, the files of a package), or a name is not a Go
// identifier. The resolver is meant to prevent all of these; a clash that
// reaches this pass is reported at the schema component, with what to do,
// instead of producing code that does not build.
func (l *lowerer) check() {
	for _, p := range l.prog.Packages {
		pkgScope := map[string]diag.Pos{}
		for _, n := range reservedPkg() {
			pkgScope[n] = diag.Pos{}
		}
		declare := func(scope map[string]diag.Pos, in, name string, pos diag.Pos, what string) {
			if !token.IsIdentifier(name) || token.IsKeyword(name) {
				l.errs.Add(pos, "%s: %q is not a Go identifier; pin another name with names: in the config", what, name)
				return
			}
			if prev, dup := scope[name]; dup {
				where := "a name dmpgen declares"
				if prev.IsValid() {
					where = "another declaration at " + prev.String()
				}
				l.errs.Add(pos, "%s: Go name %s in %s is also %s; pin another name with names: in the config", what, name, in, where)
				return
			}
			scope[name] = pos
		}
		files := map[string]bool{"doc.go": true}
		for _, f := range p.Files {
			if files[f.Name] {
				l.errs.Add(diag.Pos{File: f.Source}, "generated file %s/%s is also written for another document; rename the document", p.Dir, f.Name)
			}
			files[f.Name] = true
			for _, t := range f.Types {
				what := "type " + t.Name
				if t.XMLName.Local != "" {
					what = "type " + t.XMLName.String()
				}
				declare(pkgScope, "package "+p.Name, t.Name, t.Pos, what)
				for _, e := range t.Enums {
					declare(pkgScope, "package "+p.Name, e.Name, t.Pos, "enumeration value "+e.Value+" of "+what)
				}
				if t.Kind == ir.Struct {
					l.checkMembers(t, what, func(scope map[string]diag.Pos, name string, pos diag.Pos, what string) {
						declare(scope, "the fields and methods of "+t.Name, name, pos, what)
					})
				}
			}
			for _, s := range f.Services {
				for _, n := range serviceDecls(s.Name, s.Operations) {
					declare(pkgScope, "package "+p.Name, n, s.Pos, "binding "+s.Binding.String())
				}
				ops := map[string]diag.Pos{}
				for _, op := range s.Operations {
					declare(ops, "service "+s.Name, op.Name, op.Pos, "operation "+op.WSDLName)
				}
			}
		}
	}
}

// checkMembers checks the fields and methods of one struct.
func (l *lowerer) checkMembers(t *ir.Type, what string, declare func(map[string]diag.Pos, string, diag.Pos, string)) {
	scope := map[string]diag.Pos{}
	// Methods and fields the emitter declares (see gen's structType).
	for _, n := range []string{"Validate", "ValidateXSD", "MarshalXMLText", "UnmarshalXMLText", "XSDType"} {
		scope[n] = diag.Pos{}
	}
	if t.Item == ir.NotItem {
		for _, n := range []string{"XSINil", "XSIType", "XSIHints", "Unknown"} {
			scope[n] = diag.Pos{}
		}
	}
	if t.AnyAttr != nil {
		scope["AnyAttrs"] = diag.Pos{}
	}
	if t.Value != nil {
		scope["Value"] = diag.Pos{}
	}
	if t.MixedText {
		scope["Text"] = diag.Pos{}
	}
	if t.MixedNodes {
		scope["Content"] = diag.Pos{}
	}
	if t.MixedTyped {
		scope["Texts"] = diag.Pos{}
	}
	if len(t.Derived)+len(t.ForeignDerived) > 0 {
		scope["Derived"] = diag.Pos{}
	}
	if t.OrderField != "" {
		scope[t.OrderField] = diag.Pos{}
	}
	for _, a := range t.Attrs {
		declare(scope, a.Name, a.Pos, "attribute "+a.XMLName.String()+" of "+what)
	}
	for _, m := range t.Content {
		declare(scope, m.Name, m.Pos, "member "+m.Name+" of "+what)
	}
	for _, a := range t.Attrs {
		if a.Getter != "" {
			declare(scope, a.Getter, a.Pos, "getter of attribute "+a.XMLName.String()+" of "+what)
		}
	}
}
