package lower

import (
	"fmt"
	"github.com/dmpgen/dmpgen/internal/config"
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

var anyTypeQ = xsd.QName{Space: xsd.NS, Local: "anyType"}

// effective is the content of a complex type with its derivation applied:
// inherited attributes and members come first, in schema order.
type effective struct {
	attrs   []*ir.Attr
	members []*ir.Member
	anyAttr *ir.Wildcard
	value   *ir.Value
	mixed   bool
	all     bool
	busy    bool
}

// contents lowers the content of every struct, round by round: lowering a
// struct may create anonymous types and group items whose own content is
// lowered in the next round, once their names are resolved.
func (l *lowerer) contents() {
	// Enum constants are named once the enum types have their names.
	for _, p := range l.pkgs {
		for _, f := range p.ir.Files {
			for _, t := range f.Types {
				if t.Kind == ir.Enum {
					l.enumConsts(p, t)
				}
			}
		}
	}
	l.resolveClaims()
	for done := 0; done < len(l.structs); {
		end := len(l.structs)
		for _, w := range l.structs[done:end] {
			l.lowerStruct(w)
		}
		done = end
		l.resolveClaims()
	}
	for _, w := range l.structs {
		l.fieldNames(w.t)
	}
	l.derivations()
	// The identity constraints of a global element with an anonymous type
	// are checked by that type.
	for _, q := range l.set.ElementNames() {
		e, _ := l.set.LookupElement(q)
		if it := l.elemTypes[e]; it != nil && len(e.Identity) > 0 {
			it.Identity, it.IdentityElem = l.identities(e.Identity), irName(q)
		}
	}
	for _, p := range l.pkgs {
		for _, f := range p.ir.Files {
			for _, t := range f.Types {
				if t.Kind == ir.Simple || t.Kind == ir.Enum {
					l.simpleBody(t)
				}
			}
		}
	}
}

func (l *lowerer) lowerStruct(w *structWork) {
	if w.ct == nil { // group item
		ctx := &pctx{w: w}
		for _, p := range w.item {
			mn, mx := p.Occurs()
			if w.t.Item == ir.ChoiceItem {
				mn, mx = 0, 1
			}
			l.particle(ctx, p, mn, mx, &w.t.Content)
		}
		if w.t.Item == ir.ChoiceItem {
			for _, m := range w.t.Content {
				m.ChoiceID, m.ChoiceMin = 1, 1
			}
		}
		return
	}
	e := l.effectiveOf(w.ct, w)
	t := w.t
	t.Attrs = e.attrs
	t.Content = e.members
	t.AnyAttr = e.anyAttr
	t.Value = e.value
	t.AllGroup = e.all
	if e.mixed {
		hasElems := len(e.members) > 0
		typed := l.in.Target.Mixed == config.MixedTyped
		t.MixedText = !hasElems
		t.MixedNodes = hasElems && !typed
		t.MixedTyped = hasElems && typed
		if t.MixedNodes {
			t.Content = nil
		}
	}
}

// effectiveOf computes (and caches) the effective content of a complex type.
func (l *lowerer) effectiveOf(ct *xsd.ComplexType, w *structWork) *effective {
	if e := l.effCache[ct]; e != nil {
		if e.busy {
			l.errs.Add(ct.Pos, "complex type %s derives from itself", ct.Name)
			return &effective{}
		}
		return e
	}
	e := &effective{busy: true}
	l.effCache[ct] = e
	defer func() { e.busy = false }()

	var base *effective
	var baseSimple *ir.Value
	if !ct.Base.IsZero() && ct.Base != anyTypeQ {
		bt, ok := l.set.LookupType(ct.Base)
		switch {
		case !ok:
			l.errs.Add(ct.Pos, "unresolved base type %s", ct.Base)
		default:
			switch bt := bt.(type) {
			case *xsd.ComplexType:
				base = l.effectiveOf(bt, l.workOf(bt))
			case *xsd.SimpleType:
				v := l.valueOf(bt, ct.Pos)
				baseSimple = &v
			}
		}
	}
	own := &pctx{w: w}
	ownAttrs, ownProhibited, ownAny := l.attrItems(ct.Attributes, ct.AnyAttribute)
	switch {
	case ct.Content == xsd.SimpleContent:
		switch {
		case baseSimple != nil:
			e.value = baseSimple
		case base != nil && base.value != nil:
			v := *base.value
			e.value = &v
		case base != nil && base.mixed && ct.Method == xsd.Restriction && ct.SimpleType != nil:
			// XSD 1.0 §3.4.2: a simpleContent restriction of a mixed type whose
			// content is emptiable; the nested simple type gives the value.
			v := l.builtinValue("anySimpleType")
			e.value = &v
		case base != nil:
			l.errs.Add(ct.Pos, "simpleContent type derives from %s, which has no simple content", ct.Base)
		}
		if ct.Method == xsd.Restriction && ct.SimpleType != nil && e.value != nil {
			v := l.restrictValue(*e.value, ct.SimpleType)
			e.value = &v
		}
	default:
		if base != nil && ct.Method == xsd.Extension {
			e.members = append(e.members, copyMembers(base.members)...)
			e.all = base.all
		}
		if ct.Particle != nil {
			mn, mx := ct.Particle.Occurs()
			l.particle(own, ct.Particle, mn, mx, &e.members)
			if g, ok := ct.Particle.(*xsd.ModelGroup); ok && g.Kind == xsd.All {
				e.all = true
			}
		}
		if baseSimple != nil {
			l.errs.Add(ct.Pos, "complexContent type derives from simple type %s", ct.Base)
		}
	}
	e.mixed = ct.Mixed
	if base != nil && ct.Method == xsd.Extension && base.mixed {
		e.mixed = true
	}
	// Attributes: inherited ones first; a restriction may override or prohibit.
	if base != nil {
		e.attrs = copyAttrs(base.attrs)
		e.anyAttr = base.anyAttr
	}
	for _, a := range ownAttrs {
		replaced := false
		for i, b := range e.attrs {
			if b.XMLName == a.XMLName {
				e.attrs[i], replaced = a, true
			}
		}
		if !replaced {
			e.attrs = append(e.attrs, a)
		}
	}
	out := e.attrs[:0]
	for _, a := range e.attrs {
		if !ownProhibited[a.XMLName] {
			out = append(out, a)
		}
	}
	e.attrs = out
	if ownAny != nil {
		e.anyAttr = ownAny
	} else if ct.Method == xsd.Restriction && base != nil {
		e.anyAttr = nil // a restriction keeps the wildcard only if it restates it
	}
	return e
}

// workOf returns the struct work of a complex type (the owner of the
// anonymous types and items its content creates).
func (l *lowerer) workOf(ct *xsd.ComplexType) *structWork {
	if w := l.works[ct]; w != nil {
		return w
	}
	return &structWork{ct: ct, t: &ir.Type{}}
}

func copyMembers(ms []*ir.Member) []*ir.Member {
	out := make([]*ir.Member, len(ms))
	for i, m := range ms {
		c := *m
		out[i] = &c
	}
	return out
}

func copyAttrs(as []*ir.Attr) []*ir.Attr {
	out := make([]*ir.Attr, len(as))
	for i, a := range as {
		c := *a
		out[i] = &c
	}
	return out
}

// pctx is the state of particle lowering within one struct.
type pctx struct {
	w       *structWork
	choices int
	// choice is the id of the flattened choice being lowered (0 = none).
	choice, choiceMin int
}

// particle lowers p, whose effective occurrence is min..max, into out.
func (l *lowerer) particle(c *pctx, p xsd.Particle, min, max int, out *[]*ir.Member) {
	switch p := p.(type) {
	case *xsd.ElementDecl:
		l.elementParticle(c, p, min, max, out)
	case *xsd.ModelGroup:
		l.group(c, p, p.Particles, p.Kind, min, max, nil, out)
	case *xsd.GroupRef:
		g, ok := l.set.LookupGroup(p.Ref)
		if !ok {
			l.errs.Add(p.Pos, "unresolved group %s", p.Ref)
			return
		}
		l.group(c, p, g.Model.Particles, g.Model.Kind, min, max, g, out)
	case *xsd.Wildcard:
		m := &ir.Member{Kind: ir.AnyMember, Name: "Any", Doc: p.Doc, Pos: p.Pos, Min: min, Max: max, Any: wildcard(p)}
		m.ChoiceID, m.ChoiceMin = c.choice, c.choiceMin
		*out = append(*out, m)
	default:
		l.errs.Add(diag.Pos{}, "unsupported particle %T", p)
	}
}

func mul(a, b int) int {
	if a == xsd.Unbounded || b == xsd.Unbounded {
		return xsd.Unbounded
	}
	return a * b
}

// group lowers a model group (written in place or referenced by name).
func (l *lowerer) group(c *pctx, at xsd.Particle, parts []xsd.Particle, kind xsd.GroupKind, min, max int, named *xsd.Group, out *[]*ir.Member) {
	if len(parts) == 0 {
		return
	}
	repeating := max != 1
	// A multi-particle sequence that is one alternative of a flattened
	// choice must stay together: it becomes an item.
	seqInChoice := c.choice != 0 && kind != xsd.Choice && len(parts) > 1
	if !repeating && !seqInChoice {
		if kind == xsd.Choice {
			saved := *c
			if c.choice == 0 {
				c.choices++
				// A choice with an emptiable alternative is satisfied by
				// nothing: then at most one alternative may be present.
				cmin := min
				for _, q := range parts {
					if emptiable(l.set, q) {
						cmin = 0
					}
				}
				c.choice, c.choiceMin = c.choices, cmin
			}
			for _, q := range parts {
				_, qmax := q.Occurs()
				l.particle(c, q, 0, qmax, out)
			}
			c.choice, c.choiceMin = saved.choice, saved.choiceMin
			if saved.choices > c.choices {
				c.choices = saved.choices
			}
			return
		}
		for _, q := range parts {
			qmin, qmax := q.Occurs()
			l.particle(c, q, min*qmin, qmax, out)
		}
		return
	}
	// An item struct: shared for named groups, local otherwise.
	itemKind := ir.SequenceItem
	if kind == xsd.Choice {
		itemKind = ir.ChoiceItem
	}
	var key any = at
	field := "Sequence"
	if kind == xsd.Choice {
		field = "Choice"
	}
	want := c.w.t.Name + field
	if named != nil {
		// One item per group and package: its methods are unexported, so a
		// type of another namespace's package gets its own copy.
		key = namedItem{named, c.w.pkg}
		field = goName(named.Name.Local)
		want = field + "Group"
	}
	item := l.items[key]
	if item == nil {
		item = &ir.Type{Kind: ir.Struct, Item: itemKind, Pos: posOf(at)}
		if named != nil {
			item.Doc = named.Doc
		}
		l.items[key] = item
		p := c.w.pkg
		src := c.w.file
		if named != nil && l.pkgFor(named.Name.Space) == p {
			src = l.fileFor(p, named.Schema.File)
		}
		src.Types = append(src.Types, item)
		l.typePkg[item] = p
		l.structs = append(l.structs, &structWork{t: item, pkg: p, file: src, item: parts, key: fmt.Sprintf("%s/%s", c.w.key, field)})
		k := fmt.Sprintf("%s#%d:%d", c.w.key, posOf(at).Line, posOf(at).Col)
		if named != nil {
			k = named.Name.String()
		}
		l.claims[p] = append(l.claims[p], &claim{want: want, priority: prioAnonymous, key: k, set: func(s string) { item.Name = s }})
	}
	m := &ir.Member{Kind: ir.GroupMember, Name: field, Pos: posOf(at), Min: min, Max: max, Item: item}
	m.Slice = max != 1
	m.Pointer = max == 1
	m.ChoiceID, m.ChoiceMin = c.choice, c.choiceMin
	*out = append(*out, m)
}

// namedItem keys the item struct of a named group in one package.
type namedItem struct {
	group *xsd.Group
	pkg   *pkg
}

// headItem keys the choice item of a substitution group head in one package.
type headItem struct {
	head xsd.QName
	pkg  *pkg
}

func posOf(p xsd.Particle) diag.Pos {
	switch p := p.(type) {
	case *xsd.ElementDecl:
		return p.Pos
	case *xsd.ModelGroup:
		return p.Pos
	case *xsd.GroupRef:
		return p.Pos
	case *xsd.Wildcard:
		return p.Pos
	}
	return diag.Pos{}
}

func wildcard(w *xsd.Wildcard) *ir.Wildcard {
	out := &ir.Wildcard{TargetNamespace: w.TargetNamespace, ProcessContents: w.ProcessContents}
	ns := w.Namespace
	if ns == "" {
		ns = "##any"
	}
	switch ns {
	case "##any":
		out.Any = true
	case "##other":
		out.Other = true
	default:
		seen := map[string]bool{}
		for _, tok := range strings.Fields(ns) {
			switch tok {
			case "##local":
				tok = ""
			case "##targetNamespace":
				tok = w.TargetNamespace
			}
			if !seen[tok] {
				seen[tok] = true
				out.List = append(out.List, tok)
			}
		}
		sort.Strings(out.List)
	}
	return out
}

// elementParticle lowers an element declaration or reference.
func (l *lowerer) elementParticle(c *pctx, p *xsd.ElementDecl, min, max int, out *[]*ir.Member) {
	name, typeQ, typeDef := p.Name, p.Type, p.TypeDef
	nillable, def, fixed, doc := p.Nillable, p.Default, p.Fixed, p.Doc
	var global *xsd.Element
	if !p.Ref.IsZero() {
		e, ok := l.set.LookupElement(p.Ref)
		if !ok {
			l.errs.Add(p.Pos, "unresolved element %s", p.Ref)
			return
		}
		global = e
		name, typeQ, typeDef = e.Name, e.Type, e.TypeDef
		nillable, def, fixed = e.Nillable, e.Default, e.Fixed
		if doc == "" {
			doc = e.Doc
		}
		members := l.set.SubstitutionMembers(e.Name)
		if (len(members) > 0 || e.Abstract) && !l.alternative[p] {
			l.substitution(c, p, e, members, min, max, out)
			return
		}
	}
	m := &ir.Member{Kind: ir.ElemMember, Name: goName(name.Local), Doc: doc, Pos: p.Pos, Min: min, Max: max,
		XMLName: irName(name), Nillable: nillable, Default: def, Fixed: fixed}
	m.ChoiceID, m.ChoiceMin = c.choice, c.choiceMin
	l.elementValue(c, m, global, typeQ, typeDef, p.Pos)
	if global == nil {
		m.Identity = l.identities(p.Identity)
	} else {
		m.Identity = l.globalIdentity(global)
	}
	if len(m.Identity) > 0 && m.Struct == nil {
		l.errs.Add(p.Pos, "identity constraints on element %s, whose value is not a complex type: unsupported", name.Local)
	}
	*out = append(*out, m)
}

// globalIdentity returns the identity constraints a reference to a global
// element checks: those of an element with a named type (an anonymous type
// checks its own, IdentityElem).
func (l *lowerer) globalIdentity(e *xsd.Element) []*ir.Identity {
	if _, ok := e.TypeDef.(*xsd.ComplexType); ok {
		return nil
	}
	return l.identities(e.Identity)
}

// substitution lowers a reference to a substitution group head: a choice of
// the head (unless abstract) and its members.
func (l *lowerer) substitution(c *pctx, p *xsd.ElementDecl, head *xsd.Element, members []*xsd.Element, min, max int, out *[]*ir.Member) {
	alts := []*xsd.Element{}
	if !head.Abstract {
		alts = append(alts, head)
	}
	seen := map[xsd.QName]bool{head.Name: true}
	for _, m := range members {
		// The closure reaches a member through every intermediate head
		// (Identifiable → RegistryObject → ExtrinsicObject): one alternative each.
		if !m.Abstract && !seen[m.Name] {
			alts = append(alts, m)
		}
		seen[m.Name] = true
	}
	if len(alts) == 0 {
		// No element can stand for an abstract head without concrete
		// members: the particle matches nothing. It must then be optional.
		if min > 0 && c.choice == 0 {
			l.errs.Add(p.Pos, "element %s is required but abstract and has no concrete substitution member", head.Name)
		}
		return
	}
	if max == 1 {
		saved := *c
		if c.choice == 0 {
			c.choices++
			c.choice, c.choiceMin = c.choices, min
		}
		for _, a := range alts {
			m := &ir.Member{Kind: ir.ElemMember, Name: goName(a.Name.Local), Doc: a.Doc, Pos: p.Pos, Min: 0, Max: 1,
				XMLName: irName(a.Name), Nillable: a.Nillable, Default: a.Default, Fixed: a.Fixed}
			m.ChoiceID, m.ChoiceMin = c.choice, c.choiceMin
			l.elementValue(c, m, a, a.Type, a.TypeDef, p.Pos)
			m.Identity = l.globalIdentity(a)
			*out = append(*out, m)
		}
		c.choice, c.choiceMin = saved.choice, saved.choiceMin
		if saved.choices > c.choices {
			c.choices = saved.choices
		}
		return
	}
	// One item per head and package, as for named groups.
	hkey := headItem{head.Name, c.w.pkg}
	item := l.items[hkey]
	hp := c.w.pkg
	if item == nil {
		item = &ir.Type{Kind: ir.Struct, Item: ir.ChoiceItem, Pos: head.Pos,
			Doc: fmt.Sprintf("%s holds one element of the %s substitution group.", goName(head.Name.Local)+"Choice", head.Name.Local)}
		l.items[hkey] = item
		f := c.w.file
		if l.pkgFor(head.Name.Space) == hp {
			f = l.fileFor(hp, head.Schema.File)
		}
		f.Types = append(f.Types, item)
		var parts []xsd.Particle
		for _, a := range alts {
			alt := &xsd.ElementDecl{Info: a.Info, Occurrence: xsd.Occurrence{Min: 1, Max: 1}, Ref: a.Name}
			// An alternative is that element itself: the closure already
			// lists its own substitutes, it must not expand again.
			l.alternative[alt] = true
			parts = append(parts, alt)
		}
		l.typePkg[item] = hp
		l.structs = append(l.structs, &structWork{t: item, pkg: hp, file: f, item: parts, key: head.Name.String() + "/choice"})
		l.claims[hp] = append(l.claims[hp], &claim{want: goName(head.Name.Local) + "Choice", priority: prioAnonymous,
			key: head.Name.String(), set: func(s string) { item.Name = s }})
	}
	m := &ir.Member{Kind: ir.GroupMember, Name: goName(head.Name.Local), Doc: head.Doc, Pos: p.Pos, Min: min, Max: max, Item: item, Slice: true}
	m.ChoiceID, m.ChoiceMin = c.choice, c.choiceMin
	*out = append(*out, m)
}

// elementValue sets the Go representation of an element member from its type.
func (l *lowerer) elementValue(c *pctx, m *ir.Member, global *xsd.Element, typeQ xsd.QName, typeDef xsd.Type, pos diag.Pos) {
	m.Slice = m.Max != 1
	var t xsd.Type
	switch {
	case typeDef != nil:
		t = typeDef
	case !typeQ.IsZero():
		var ok bool
		if t, ok = l.set.LookupType(typeQ); !ok {
			l.errs.Add(pos, "unresolved type %s", typeQ)
			return
		}
	case global != nil && !global.SubstitutionGroup.IsZero():
		// A member without a type has its head's type.
		h, ok := l.set.LookupElement(global.SubstitutionGroup)
		for ok && h.Type.IsZero() && h.TypeDef == nil && !h.SubstitutionGroup.IsZero() {
			h, ok = l.set.LookupElement(h.SubstitutionGroup)
		}
		if ok {
			l.elementValue(c, m, nil, h.Type, h.TypeDef, pos)
			return
		}
	}
	if t == nil || t.TypeName() == anyTypeQ {
		m.AnyType = true
		m.Pointer = !m.Slice
		return
	}
	switch t := t.(type) {
	case *xsd.SimpleType:
		v := l.valueOf(t, pos)
		// Single simple elements are pointers so that presence is explicit:
		// decode→encode never invents or drops an element.
		m.Pointer = !m.Slice
		if m.Nillable {
			m.Struct = l.identRef(l.nillableStruct(c, m, t, v, global, pos))
			return
		}
		m.Simple = &v
	case *xsd.ComplexType:
		var it *ir.Type
		switch {
		case global != nil && l.elemTypes[global] != nil:
			it = l.elemTypes[global]
		case l.types[t] != nil:
			it = l.types[t]
		default:
			// A local anonymous complex type: a struct named after its owner and element.
			it = &ir.Type{Kind: ir.Struct, Doc: t.Doc, Pos: t.Pos, Abstract: t.Abstract}
			l.types[t] = it
			l.addStruct(it, t, c.w.pkg, c.w.file, c.w.key+"/"+m.XMLName.String())
			l.claims[c.w.pkg] = append(l.claims[c.w.pkg], &claim{want: c.w.t.Name + m.Name, priority: prioAnonymous,
				key: c.w.key + "/" + m.XMLName.String(), set: func(s string) { it.Name = s }})
		}
		m.Struct = l.identRef(it)
		m.Pointer = !m.Slice
	}
}

// nillableStruct returns the struct of a nillable element of simple type:
// its value, or XSINil when the element carries xsi:nil="true" (with no
// content, as XML Schema wants). Like the struct of a simpleContent type,
// it carries the element's XSI attributes; XSDType is the simple type's
// name, so that an xsi:type naming it is kept. One struct serves every
// reference to a global element.
func (l *lowerer) nillableStruct(c *pctx, m *ir.Member, st *xsd.SimpleType, v ir.Value, global *xsd.Element, pos diag.Pos) *ir.Type {
	p, f := c.w.pkg, c.w.file
	key, want := c.w.key+"/"+m.XMLName.String(), c.w.t.Name+m.Name
	if global != nil {
		p = l.pkgFor(global.Name.Space)
		f = l.fileFor(p, global.Schema.File)
		key, want = global.Name.String(), goName(global.Name.Local)+"Elem"
	}
	key += "/nillable"
	if it := l.nillables[key]; it != nil {
		return it
	}
	it := &ir.Type{Kind: ir.Struct, Pos: pos, XMLName: irName(st.Name), Value: &v, NilValue: true}
	f.Types = append(f.Types, it)
	l.typePkg[it] = p
	l.nillables[key] = it
	doc := " is the content of the nillable element " + m.XMLName.Local + ": its value, or XSINil."
	l.claims[p] = append(l.claims[p], &claim{want: want, priority: prioAnonymous, key: key, set: func(s string) {
		it.Name, it.Doc = s, s+doc
	}})
	return it
}

// emptiable reports whether a particle can match nothing.
func emptiable(set *xsd.Set, p xsd.Particle) bool {
	min, _ := p.Occurs()
	if min == 0 {
		return true
	}
	var kind xsd.GroupKind
	var parts []xsd.Particle
	switch p := p.(type) {
	case *xsd.ModelGroup:
		kind, parts = p.Kind, p.Particles
	case *xsd.GroupRef:
		g, ok := set.LookupGroup(p.Ref)
		if !ok {
			return false
		}
		kind, parts = g.Model.Kind, g.Model.Particles
	default:
		return false
	}
	if kind == xsd.Choice {
		for _, q := range parts {
			if emptiable(set, q) {
				return true
			}
		}
		return len(parts) == 0
	}
	for _, q := range parts {
		if !emptiable(set, q) {
			return false
		}
	}
	return true
}
