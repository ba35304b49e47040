package lower

import "github.com/dmpgen/dmpgen/internal/xsd"

// nsDeps computes which namespaces reference which, from every QName
// reference in the schema set. An edge into a namespace whose components end
// up referenced from Go code creates an import; cycles are merged.
func (l *lowerer) nsDeps() map[string]map[string]bool {
	deps := map[string]map[string]bool{}
	add := func(from string, q xsd.QName) {
		if q.IsZero() || q.Space == from || q.Space == xsd.NS {
			return
		}
		if deps[from] == nil {
			deps[from] = map[string]bool{}
		}
		deps[from][q.Space] = true
	}
	var typ func(ns string, t xsd.Type)
	var particle func(ns string, p xsd.Particle)
	attrs := func(ns string, items []xsd.AttrItem) {
		for _, it := range items {
			switch a := it.(type) {
			case *xsd.AttributeUse:
				add(ns, a.Ref)
				add(ns, a.Type)
				if a.TypeDef != nil {
					typ(ns, a.TypeDef)
				}
			case *xsd.AttributeGroupRef:
				add(ns, a.Ref)
			}
		}
	}
	typ = func(ns string, t xsd.Type) {
		switch t := t.(type) {
		case *xsd.ComplexType:
			add(ns, t.Base)
			if t.Particle != nil {
				particle(ns, t.Particle)
			}
			attrs(ns, t.Attributes)
			if t.SimpleType != nil {
				typ(ns, t.SimpleType)
			}
		case *xsd.SimpleType:
			add(ns, t.Base)
			add(ns, t.ItemType)
			for _, m := range t.MemberTypes {
				add(ns, m)
			}
			if t.BaseType != nil {
				typ(ns, t.BaseType)
			}
			if t.Item != nil {
				typ(ns, t.Item)
			}
			for _, m := range t.Members {
				typ(ns, m)
			}
		}
	}
	particle = func(ns string, p xsd.Particle) {
		switch p := p.(type) {
		case *xsd.ElementDecl:
			add(ns, p.Ref)
			add(ns, p.Type)
			if p.TypeDef != nil {
				typ(ns, p.TypeDef)
			}
			// A reference to a substitution group head pulls in its members.
			if !p.Ref.IsZero() {
				for _, m := range l.set.SubstitutionMembers(p.Ref) {
					add(ns, m.Name)
				}
			}
		case *xsd.ModelGroup:
			for _, c := range p.Particles {
				particle(ns, c)
			}
		case *xsd.GroupRef:
			add(ns, p.Ref)
		}
	}
	for _, q := range l.set.TypeNames() {
		t, _ := l.set.LookupType(q)
		if st, ok := t.(*xsd.SimpleType); ok && st.Builtin {
			continue
		}
		typ(q.Space, t)
	}
	for _, q := range l.set.ElementNames() {
		e, _ := l.set.LookupElement(q)
		add(q.Space, e.Type)
		add(q.Space, e.SubstitutionGroup)
		if e.TypeDef != nil {
			typ(q.Space, e.TypeDef)
		}
	}
	for _, q := range l.set.GroupNames() {
		g, _ := l.set.LookupGroup(q)
		particle(q.Space, g.Model)
	}
	for _, q := range l.set.AttributeGroupNames() {
		g, _ := l.set.LookupAttributeGroup(q)
		attrs(q.Space, g.Attributes)
	}
	for _, q := range l.set.AttributeNames() {
		a, _ := l.set.LookupAttribute(q)
		add(q.Space, a.Type)
	}
	// Services live in their WSDL's namespace and reference message elements.
	for _, d := range l.in.Defs {
		for _, m := range d.Messages {
			for _, p := range m.Parts {
				add(d.TargetNamespace, p.Element)
				add(d.TargetNamespace, p.Type)
			}
		}
	}
	// A type derived in another namespace than its base is created by the
	// decoder's type resolver (xsi:type), not imported by the base's package:
	// no edge back.
	return deps
}

func (l *lowerer) lookupComplex(q xsd.QName) (*xsd.ComplexType, bool) {
	t, ok := l.set.LookupType(q)
	if !ok {
		return nil, false
	}
	ct, ok := t.(*xsd.ComplexType)
	return ct, ok
}
