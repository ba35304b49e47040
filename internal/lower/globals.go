package lower

import (
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// globals creates a Go type for every named complex type, named simple type
// and global element with an anonymous complex type, and resolves their names.
func (l *lowerer) globals() {
	l.claims = map[*pkg][]*claim{}
	for _, q := range l.set.TypeNames() {
		if q.Space == xsd.NS {
			continue
		}
		t, _ := l.set.LookupType(q)
		p := l.pkgFor(q.Space)
		switch t := t.(type) {
		case *xsd.ComplexType:
			it := &ir.Type{Kind: ir.Struct, Doc: t.Doc, Pos: t.Pos, XMLName: irName(q), Abstract: t.Abstract}
			l.types[t] = it
			l.addStruct(it, t, p, l.fileFor(p, t.Schema.File), q.String())
			l.claim(p, it, q, prioComplexType, "")
		case *xsd.SimpleType:
			if t.Builtin {
				continue
			}
			it := &ir.Type{Kind: ir.Simple, Doc: t.Doc, Pos: t.Pos, XMLName: irName(q)}
			prio := prioSimpleCheck
			if len(t.Facets.Enumeration) > 0 && t.Variety == xsd.Atomic && stringLike(l.builtinOf(t)) {
				it.Kind = ir.Enum
				prio = prioEnumType
			}
			l.types[t] = it
			l.simpleDefs[it] = t
			l.typePkg[it] = p
			f := l.fileFor(p, t.Schema.File)
			f.Types = append(f.Types, it)
			if it.Kind == ir.Simple {
				// A named simple type without enumerations is a check function.
				l.claims[p] = append(l.claims[p], &claim{
					want: "Check" + goName(q.Local), priority: prio, key: q.String(),
					set: func(s string) { it.Name = s },
				})
				continue
			}
			l.claim(p, it, q, prio, "")
		}
	}
	for _, q := range l.set.ElementNames() {
		e, _ := l.set.LookupElement(q)
		ct, ok := e.TypeDef.(*xsd.ComplexType)
		if !ok {
			continue
		}
		p := l.pkgFor(q.Space)
		it := &ir.Type{Kind: ir.Struct, Doc: e.Doc, Pos: e.Pos, Abstract: ct.Abstract}
		if it.Doc == "" {
			it.Doc = ct.Doc
		}
		l.types[ct] = it
		l.elemTypes[e] = it
		l.addStruct(it, ct, p, l.fileFor(p, e.Schema.File), q.String())
		l.claim(p, it, q, prioElementType, "Elem")
	}
	l.resolveClaims()
}

// addStruct registers a struct for content lowering and places it in its file.
func (l *lowerer) addStruct(t *ir.Type, ct *xsd.ComplexType, p *pkg, f *ir.File, key string) *structWork {
	f.Types = append(f.Types, t)
	l.typePkg[t] = p
	w := &structWork{t: t, ct: ct, pkg: p, file: f, key: key}
	l.structs = append(l.structs, w)
	l.works[ct] = w
	return w
}

func (l *lowerer) claim(p *pkg, t *ir.Type, q xsd.QName, prio int, suffix string) {
	want, pin := goName(q.Local), ""
	if n := l.in.Target.Names[q.String()]; n != "" {
		want, prio, pin = n, prioPin, q.String()
	}
	l.claims[p] = append(l.claims[p], &claim{
		want: want, priority: prio, key: q.String(), suffix: suffix, pin: pin,
		set: func(s string) { t.Name = s },
	})
}

// resolveClaims resolves the pending claims of every package against the names already used there.
func (l *lowerer) resolveClaims() {
	for _, p := range l.pkgs {
		cs := l.claims[p]
		if len(cs) == 0 {
			continue
		}
		for _, c := range resolve(cs, p.used) {
			why := "another type of package " + p.ir.Name + " has it (pinned too, or named so)"
			for _, r := range reservedPkg() {
				if r == c.want {
					why = "dmpgen declares " + r + " in every package"
				}
			}
			l.errs.Add(l.in.Target.PosOf("names", c.pin), "names: pin %s for %s cannot be honoured: %s; pin another name", c.want, c.pin, why)
		}
		for _, f := range p.ir.Files {
			for _, t := range f.Types {
				if t.Name != "" {
					p.used[t.Name] = true
				}
				for _, e := range t.Enums {
					if e.Name != "" {
						p.used[e.Name] = true
					}
				}
			}
		}
	}
	l.claims = map[*pkg][]*claim{}
}

// reservedUsed returns a package's used names, with the reserved ones.
func reservedUsed() map[string]bool {
	used := map[string]bool{}
	for _, n := range reservedPkg() {
		used[n] = true
	}
	return used
}

func irName(q xsd.QName) ir.Name { return ir.Name{Space: q.Space, Local: q.Local} }
