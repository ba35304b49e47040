package xsd

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/xmldom"
)

// defKind is a symbol space of global components.
type defKind int

const (
	defType defKind = iota + 1
	defElement
	defAttribute
	defGroup
	defAttributeGroup
)

func (k defKind) String() string {
	return [...]string{defType: "type", defElement: "element", defAttribute: "attribute", defGroup: "group", defAttributeGroup: "attribute group"}[k]
}

type defKey struct {
	kind defKind
	name QName
}

// define registers a global component comp; store puts it into the Set.
// settleDefinitions decides between duplicates.
func (l *Loader) define(kind defKind, name QName, pos diag.Pos, comp any, store func()) {
	k := defKey{kind, name}
	l.defs[k] = append(l.defs[k], definition{pos, comp, store})
}

// definition is one global definition, before duplicates are settled.
type definition struct {
	pos   diag.Pos
	comp  any
	store func()
}

// settleDefinitions stores every global component. A name defined more than
// once is an error at each later definition naming the first one (by
// position), which is kept: the result does not depend on the input order.
// Definitions that are the same component (equal apart from positions and
// documentation, as in two copies of xml.xsd) are merged silently.
func (l *Loader) settleDefinitions() {
	for k, defs := range l.defs {
		sort.Slice(defs, func(i, j int) bool { return defs[i].pos.Less(defs[j].pos) })
		for _, d := range defs[1:] {
			if !sameComponent(reflect.ValueOf(defs[0].comp), reflect.ValueOf(d.comp)) {
				e := diag.Errorf(d.pos, "duplicate %s %s: also defined at %s", k.kind, k.name, defs[0].pos)
				l.errs = append(l.errs, e)
				l.dups = append(l.dups, Duplicate{Kind: k.kind.String(), Name: k.name, Pos: d.pos, First: defs[0].pos, Err: e})
			}
		}
		l.defPos[k] = defs[0].pos
		defs[0].store()
	}
}

// sameComponent compares two model values, ignoring where they are declared
// (Info, Pos fields) and their documentation (Doc fields).
func sameComponent(a, b reflect.Value) bool {
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case reflect.Interface, reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Kind() == reflect.Interface && a.Elem().Type() != b.Elem().Type() {
			return false
		}
		return sameComponent(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			switch a.Type().Field(i).Name {
			case "Info", "Pos", "Doc":
				continue
			}
			if !sameComponent(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !sameComponent(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			if v := b.MapIndex(k); !v.IsValid() || !sameComponent(a.MapIndex(k), v) {
				return false
			}
		}
		return true
	}
	return a.Equal(b)
}

// refKind is the kind of component a QName reference must resolve to.
type refKind int

const (
	refType refKind = iota + 1
	refSimpleType
	refElement
	refAttribute
	refGroup
	refAttributeGroup
)

func (k refKind) String() string {
	return [...]string{refType: "type", refSimpleType: "simple type", refElement: "element", refAttribute: "attribute", refGroup: "group", refAttributeGroup: "attribute group"}[k]
}

// ref is one QName reference; q points into the model so that redefinitions
// can retarget it before resolution.
type ref struct {
	kind refKind
	q    *QName
	pos  diag.Pos
	attr string // attribute name, for messages
	raw  string // the QName as written
}

// redefineSite is one xs:redefine element.
type redefineSite struct {
	pos    diag.Pos
	loc    string
	target *Schema // the redefined document once read
}

// redefinition is one component inside xs:redefine.
type redefinition struct {
	namedDef
	site *redefineSite
	pos  diag.Pos
}

// enumSite is an enumeration facet, kept to fill Enum.NS of QName-typed enumerations.
type enumSite struct {
	t     *SimpleType
	i     int
	scope *xmldom.Scope
}

// redefine reads the children of xs:redefine; they replace the redefined
// document's components when Finish applies them.
func (c *docCtx) redefine(e *xmldom.Element) *redefineSite {
	loc, _ := e.Attr("schemaLocation")
	site := &redefineSite{pos: e.Pos, loc: loc}
	for _, ch := range xsdChildren(e) {
		switch ch.Local {
		case "annotation":
			continue
		case "simpleType", "complexType", "group", "attributeGroup":
		default:
			c.unexpected(ch, e)
			continue
		}
		d := c.globalDef(ch)
		if d == nil {
			continue
		}
		switch t := d.comp.(type) {
		case *SimpleType:
			if t.Variety != Atomic || t.Base != t.Name {
				c.l.errs.Add(ch.Pos, "the redefinition of simple type %s must restrict %s itself", t.Name, t.Name.Local)
				continue
			}
		case *ComplexType:
			if t.Base != t.Name {
				c.l.errs.Add(ch.Pos, "the redefinition of complex type %s must derive from %s itself", t.Name, t.Name.Local)
				continue
			}
		}
		c.l.redefs = append(c.l.redefs, &redefinition{namedDef: *d, site: site, pos: ch.Pos})
	}
	return site
}

// Finish reads every document reachable from the inputs, applies
// redefinitions, resolves every QName reference and returns the Set with all
// problems found, sorted by position. The Set is usable (with the broken parts
// left unresolved) even when errors are returned. Finish may be called once;
// later calls return the same results.
func (l *Loader) Finish() (*Set, diag.List) {
	if l.done {
		return l.result, l.resErrs
	}
	l.done = true
	l.drain()
	l.settleDefinitions()
	sort.Slice(l.dups, func(i, j int) bool {
		if l.dups[i].Pos != l.dups[j].Pos {
			return l.dups[i].Pos.Less(l.dups[j].Pos)
		}
		return l.dups[i].Name.String() < l.dups[j].Name.String()
	})
	l.applyRedefinitions()
	l.resolveRefs()
	l.checkCycles()
	l.substitutions()
	l.fillEnumNS()
	s := l.set
	for _, sc := range l.schemas {
		s.Schemas = append(s.Schemas, sc)
	}
	sort.Slice(s.Schemas, func(i, j int) bool {
		a, b := s.Schemas[i], s.Schemas[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos != b.Pos {
			return a.Pos.Less(b.Pos)
		}
		return a.TargetNamespace < b.TargetNamespace
	})
	l.errs.Sort()
	l.result, l.resErrs = s, l.errs
	return s, l.errs
}

// applyRedefinitions replaces each redefined component by its redefinition.
// The original stays in the Set under the name Local+"#original" (then
// "#original2", … when redefined again), and the redefinition's reference to
// itself (its base type, or its group or attribute group reference to its
// own name) is retargeted to the original.
func (l *Loader) applyRedefinitions() {
	sort.SliceStable(l.redefs, func(i, j int) bool { return l.redefs[i].pos.Less(l.redefs[j].pos) })
	for _, r := range l.redefs {
		if r.site.target == nil {
			continue // the redefined document was not read: already reported
		}
		k := defKey{r.kind, r.name}
		if _, ok := l.defPos[k]; !ok {
			l.errs.Add(r.pos, "xs:redefine: %s has no %s %s to redefine", r.site.target.File, r.kind, r.name)
			continue
		}
		orig := QName{r.name.Space, r.name.Local + "#original"}
		for n := 2; ; n++ {
			if _, taken := l.defPos[defKey{r.kind, orig}]; !taken {
				break
			}
			orig.Local = fmt.Sprintf("%s#original%d", r.name.Local, n)
		}
		l.defPos[defKey{r.kind, orig}] = l.defPos[k]
		l.defPos[k] = r.pos
		self := 0
		switch c := r.comp.(type) {
		case *SimpleType:
			t := l.set.Types[r.name]
			setTypeName(t, orig)
			l.set.Types[orig] = t
			c.Base = orig
			self = 1
		case *ComplexType:
			t := l.set.Types[r.name]
			setTypeName(t, orig)
			l.set.Types[orig] = t
			c.Base = orig
			self = 1
		case *Group:
			g := l.set.Groups[r.name]
			g.Name = orig
			l.set.Groups[orig] = g
			walkParticle(c.Model, func(p Particle) {
				if gr, ok := p.(*GroupRef); ok && gr.Ref == r.name {
					gr.Ref = orig
					self++
				}
			})
		case *AttributeGroup:
			g := l.set.AttributeGroups[r.name]
			g.Name = orig
			l.set.AttributeGroups[orig] = g
			for _, it := range c.Attributes {
				if gr, ok := it.(*AttributeGroupRef); ok && gr.Ref == r.name {
					gr.Ref = orig
					self++
				}
			}
		}
		if self > 1 {
			l.errs.Add(r.pos, "the redefinition of %s %s refers to itself %d times (at most once)", r.kind, r.name, self)
		}
		r.store()
	}
}

func setTypeName(t Type, q QName) {
	switch t := t.(type) {
	case *SimpleType:
		t.Name = q
	case *ComplexType:
		t.Name = q
	}
}

// walkParticle calls f on p and every particle nested in model groups (not
// inside referenced groups or types).
func walkParticle(p Particle, f func(Particle)) {
	if p == nil {
		return
	}
	f(p)
	if g, ok := p.(*ModelGroup); ok {
		for _, c := range g.Particles {
			walkParticle(c, f)
		}
	}
}

// resolveRefs checks that every reference names a component of the right kind.
func (l *Loader) resolveRefs() {
	s := l.set
	for _, r := range l.refs {
		q := *r.q
		var found, wrongKind bool
		switch r.kind {
		case refType:
			_, found = s.Types[q]
		case refSimpleType:
			var t Type
			t, found = s.Types[q]
			_, isComplex := t.(*ComplexType)
			wrongKind = found && isComplex
		case refElement:
			_, found = s.Elements[q]
		case refAttribute:
			_, found = s.Attributes[q]
		case refGroup:
			_, found = s.Groups[q]
		case refAttributeGroup:
			_, found = s.AttributeGroups[q]
		}
		switch {
		case wrongKind:
			l.errs.Add(r.pos, "%s=%q: %s is a complex type; a simple type is required here", r.attr, r.raw, q)
		case !found:
			kind := r.kind
			if kind == refSimpleType {
				kind = refType
			}
			l.errs.Add(r.pos, "unresolved %s %s in %s=%q%s", kind, q, r.attr, r.raw, l.missingHint(q.Space))
		}
	}
}

// missingHint explains why a namespace may have no components.
func (l *Loader) missingHint(ns string) string {
	if ns == NS {
		return " (not an XML Schema built-in type)"
	}
	if l.nsDocs[ns] {
		return ""
	}
	if p, ok := l.noLoc[ns]; ok {
		return fmt.Sprintf(": no schema document for namespace %q was loaded (xs:import at %s has no schemaLocation)", ns, p)
	}
	switch ns {
	case "http://www.w3.org/1999/XMLSchema", "http://www.w3.org/2000/10/XMLSchema":
		return fmt.Sprintf(": %q is a draft of XML Schema, which dmpgen does not read; declare the prefix as %q", ns, NS)
	case "http://www.w3.org/XML/1998/namespace":
		return fmt.Sprintf(": no schema document for namespace %q was loaded; import the W3C schema of the XML namespace (<xs:import namespace=%q schemaLocation=\"xml.xsd\"/>, with a copy of http://www.w3.org/2001/xml.xsd)", ns, ns)
	}
	return fmt.Sprintf(": no schema document for namespace %s was loaded", nsText(ns))
}

// checkCycles reports circular type derivations, substitution groups and
// group or attribute group references, which would make any walker loop.
func (l *Loader) checkCycles() {
	s := l.set
	typeNext := func(q QName) []QName {
		switch t := s.Types[q].(type) {
		case *ComplexType:
			if !t.Base.IsZero() {
				return []QName{t.Base}
			}
		case *SimpleType:
			var out []QName
			if !t.Base.IsZero() && !t.Builtin {
				out = append(out, t.Base)
			}
			if !t.ItemType.IsZero() && !t.Builtin {
				out = append(out, t.ItemType)
			}
			out = append(out, t.MemberTypes...)
			return out
		}
		return nil
	}
	l.cycles("type derivation", sortedKeys(s.Types), typeNext, func(q QName) diag.Pos { return s.Types[q].info().Pos })
	l.cycles("substitution group", sortedKeys(s.Elements), func(q QName) []QName {
		if e := s.Elements[q]; e != nil && !e.SubstitutionGroup.IsZero() {
			return []QName{e.SubstitutionGroup}
		}
		return nil
	}, func(q QName) diag.Pos { return s.Elements[q].Pos })
	l.cycles("group reference", sortedKeys(s.Groups), func(q QName) []QName {
		var out []QName
		if g := s.Groups[q]; g != nil {
			walkParticle(g.Model, func(p Particle) {
				if r, ok := p.(*GroupRef); ok {
					out = append(out, r.Ref)
				}
			})
		}
		return out
	}, func(q QName) diag.Pos { return s.Groups[q].Pos })
	l.cycles("attribute group reference", sortedKeys(s.AttributeGroups), func(q QName) []QName {
		var out []QName
		if g := s.AttributeGroups[q]; g != nil {
			for _, it := range g.Attributes {
				if r, ok := it.(*AttributeGroupRef); ok {
					out = append(out, r.Ref)
				}
			}
		}
		return out
	}, func(q QName) diag.Pos { return s.AttributeGroups[q].Pos })
}

// cycles finds cycles in the graph given by next over nodes (sorted) and
// reports each once, at the position of the node that closes it.
func (l *Loader) cycles(what string, nodes []QName, next func(QName) []QName, pos func(QName) diag.Pos) {
	const (
		unseen = iota
		active
		finished
	)
	state := make(map[QName]int, len(nodes))
	for _, q := range nodes {
		state[q] = unseen
	}
	var stack []QName
	var visit func(q QName)
	visit = func(q QName) {
		state[q] = active
		stack = append(stack, q)
		for _, n := range next(q) {
			st, known := state[n]
			switch {
			case !known:
				// unresolved: reported by resolveRefs
			case st == unseen:
				visit(n)
			case st == active:
				i := slices.Index(stack, n)
				names := make([]string, 0, len(stack)-i+1)
				for _, c := range stack[i:] {
					names = append(names, c.String())
				}
				names = append(names, n.String())
				l.errs.Add(pos(n), "circular %s: %s", what, strings.Join(names, " -> "))
			}
		}
		stack = stack[:len(stack)-1]
		state[q] = finished
	}
	for _, q := range nodes {
		if state[q] == unseen {
			visit(q)
		}
	}
}

// substitutions fills Set.Substitutes.
func (l *Loader) substitutions() {
	s := l.set
	for _, q := range sortedKeys(s.Elements) {
		e := s.Elements[q]
		if !e.SubstitutionGroup.IsZero() {
			s.Substitutes[e.SubstitutionGroup] = append(s.Substitutes[e.SubstitutionGroup], e)
		}
	}
}

// fillEnumNS records the namespace bindings of enumerations whose type
// derives from xs:QName or xs:NOTATION.
func (l *Loader) fillEnumNS() {
	memo := map[*SimpleType]bool{}
	for _, site := range l.enums {
		if l.qnameValued(site.t, memo, 0) {
			site.t.Facets.Enumeration[site.i].NS = site.scope.Bindings()
		}
	}
}

// qnameValued reports whether the atomic type t derives from xs:QName or xs:NOTATION.
func (l *Loader) qnameValued(t *SimpleType, memo map[*SimpleType]bool, depth int) bool {
	if t == nil || depth > 64 {
		return false
	}
	if v, ok := memo[t]; ok {
		return v
	}
	var v bool
	switch {
	case t.Builtin:
		v = t.Name.Local == "QName" || t.Name.Local == "NOTATION"
	case t.Variety != Atomic:
	case t.BaseType != nil:
		v = l.qnameValued(t.BaseType, memo, depth+1)
	case !t.Base.IsZero():
		v = l.qnameValued(l.contentType(l.set.Types[t.Base], depth), memo, depth+1)
	case l.simpleContent[t] != nil:
		// The facets of a simpleContent restriction restrict the base's content.
		ct := l.simpleContent[t]
		v = l.qnameValued(l.contentType(l.set.Types[ct.Base], depth), memo, depth+1)
	}
	memo[t] = v
	return v
}

// contentType returns the simple type of t's character data: t itself when
// simple, the content type of a complex type with simple content, else nil.
func (l *Loader) contentType(t Type, depth int) *SimpleType {
	for ; depth < 64; depth++ {
		switch x := t.(type) {
		case *SimpleType:
			return x
		case *ComplexType:
			if x.Content != SimpleContent {
				return nil
			}
			if x.Method == Restriction && x.SimpleType != nil {
				return x.SimpleType
			}
			t = l.set.Types[x.Base]
		default:
			return nil
		}
	}
	return nil
}
