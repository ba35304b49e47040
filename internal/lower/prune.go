package lower

import "github.com/dmpgen/dmpgen/internal/ir"

// prune keeps, for a target whose config keeps only the reachable types,
// the types that the bound operations' messages (requests, responses,
// faults) reach, and drops the others with the files and packages left
// empty.
//
// It runs on the finished IR, after every name is resolved: the kept types
// are named from the same claimants as without pruning, so their Go names
// do not depend on it. Reachability follows what the emitted code refers
// to: element and group-item fields, attribute and simple values (check
// functions, enumerations, list items, union members), and the types
// derived from a reachable type (xsi:type candidates, decoded through its
// Derived field). Substitution group members are reached through the
// choice fields of their heads. Global elements (NewElement) are kept when
// their struct is.
func (l *lowerer) prune() {
	if !l.in.Target.KeepReachableOnly() {
		return
	}
	byIdent := map[ir.Ident]*ir.Type{}
	for _, p := range l.prog.Packages {
		for _, f := range p.Files {
			for _, t := range f.Types {
				byIdent[ir.Ident{ImportPath: p.ImportPath, Name: t.Name}] = t
			}
		}
	}
	keep := map[*ir.Type]bool{}
	var work []*ir.Type
	mark := func(t *ir.Type) {
		if t != nil && !keep[t] {
			keep[t] = true
			work = append(work, t)
		}
	}
	markID := func(id *ir.Ident) {
		if id != nil {
			mark(byIdent[*id])
		}
	}
	var value func(v *ir.Value)
	value = func(v *ir.Value) {
		if v == nil {
			return
		}
		markID(&v.Check)
		for g := &v.Type; g != nil; g = g.List {
			markID(&g.Ident)
		}
		markID(v.Enum)
		value(v.Item)
		for _, u := range v.Union {
			value(u)
		}
	}
	for _, p := range l.prog.Packages {
		for _, f := range p.Files {
			for _, s := range f.Services {
				for _, op := range s.Operations {
					for _, m := range []*ir.MessageRef{op.Input, op.Output} {
						if m != nil {
							markID(&m.Type)
						}
					}
					for _, fr := range op.Faults {
						markID(&fr.Type)
					}
					for _, hs := range [][]*ir.HeaderRef{op.InputHeaders, op.OutputHeaders, op.HeaderFaults} {
						for _, h := range hs {
							markID(&h.Type)
						}
					}
				}
			}
		}
	}
	for len(work) > 0 {
		t := work[len(work)-1]
		work = work[:len(work)-1]
		for _, a := range t.Attrs {
			value(&a.Value)
		}
		for _, m := range t.Content {
			markID(m.Struct)
			value(m.Simple)
			mark(m.Item)
		}
		value(t.Value)
		value(t.Simple)
		for _, d := range t.Derived {
			mark(d)
		}
		for _, d := range t.ForeignDerived {
			markID(d.Ident)
		}
	}

	pkgs := l.prog.Packages[:0]
	for _, p := range l.prog.Packages {
		files := p.Files[:0]
		for _, f := range p.Files {
			types := f.Types[:0]
			for _, t := range f.Types {
				if keep[t] {
					types = append(types, t)
				}
			}
			f.Types = types
			if len(f.Types) > 0 || len(f.Services) > 0 {
				files = append(files, f)
			}
		}
		p.Files = files
		elems := p.Elements[:0]
		for _, e := range p.Elements {
			if e.Struct == nil || keep[byIdent[*e.Struct]] {
				elems = append(elems, e)
			}
		}
		p.Elements = elems
		derived := p.DerivedTypes[:0]
		for _, e := range p.DerivedTypes {
			if keep[byIdent[*e.Struct]] {
				derived = append(derived, e)
			}
		}
		p.DerivedTypes = derived
		if len(p.Files) > 0 {
			pkgs = append(pkgs, p)
		}
	}
	l.prog.Packages = pkgs
}
