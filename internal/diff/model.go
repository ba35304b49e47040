package diff

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/wsdl"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// Kind is the kind of a compared component.
type Kind string

// Component kinds. Roots are namespaces, services, messages, global
// elements and named types; the others live under a root.
const (
	KindNamespace    Kind = "namespace"
	KindService      Kind = "service"
	KindOperation    Kind = "operation"
	KindMessage      Kind = "message"
	KindElement      Kind = "element"   // a global element declaration
	KindType         Kind = "type"      // a named type
	KindField        Kind = "field"     // an element of a content model
	KindAttribute    Kind = "attribute" // an attribute of a complex type
	KindGroup        Kind = "group"     // a repeating or nested group (a Go item struct)
	KindAny          Kind = "any"       // an element wildcard
	KindAnyAttribute Kind = "anyAttribute"
	KindEnum         Kind = "enumeration" // one enumeration value
)

// Seg is one step of a component's identity: its kind and XML name.
// Groups and wildcards, which have no XML name, use their Go field name as
// Local and no namespace; enumeration values use the value as Local.
type Seg struct {
	Kind Kind
	Name ir.Name
}

// Node is one compared component of a kit: its identity (Path), where it
// is declared, the Go identifier a user sees, its documentation and the
// properties that the wire or the Go API depend on.
type Node struct {
	Path []Seg
	Pos  diag.Pos
	// Go is the affected Go identifier, short form (pkg.Type.Field). GoPkg
	// is its package's import path and GoName the rest (Type.Field): what
	// is compared, the package apart since it moves with the namespace.
	Go, GoPkg, GoName string
	Doc               string
	// Props are the compared properties by name ("occurs", "type", "pattern", …).
	Props map[string]string
	// Shape is the field's Go type with named types written as their XML
	// identity: "*string", "[]type {ns}T". Empty for non-fields.
	Shape string
	// All is set on a content holder whose elements are an xs:all group.
	All bool
	// Pin is the Go name the configuration pins for a type or element ("" = none).
	Pin string
	// Children in declaration order.
	Children []*Node
	// choice is set on members of a choice: the choice's number within its holder.
	choice int
	// holder is the Go name of the struct holding the node's children.
	holder string
	key    string
}

// Kind returns the node's own kind.
func (n *Node) Kind() Kind { return n.Path[len(n.Path)-1].Kind }

// Key is the node's unique identity within its model.
func (n *Node) Key() string {
	if n.key == "" {
		n.key = pathKey(n.Path)
	}
	return n.key
}

func pathKey(p []Seg) string {
	var b strings.Builder
	for i, s := range p {
		if i > 0 {
			b.WriteString(" / ")
		}
		b.WriteString(string(s.Kind))
		b.WriteByte(' ')
		b.WriteString(s.Name.String())
	}
	return b.String()
}

// Display is a short readable name: the root's expanded name, then each
// step's local name ("@" for attributes, "(…)" for groups and wildcards,
// ="…" for enumeration values); a step in another namespace than the root
// shows its namespace.
func (n *Node) Display() string { return displayPath(n.Path) }

func displayPath(p []Seg) string {
	var b strings.Builder
	root := p[0].Name
	switch p[0].Kind {
	case KindNamespace:
		b.WriteString(root.Space)
	default:
		b.WriteString(root.String())
	}
	for _, s := range p[1:] {
		local := s.Name.Local
		if s.Name.Space != "" && s.Name.Space != root.Space {
			local = s.Name.String()
		}
		switch s.Kind {
		case KindEnum:
			b.WriteString("=" + strconv.Quote(s.Name.Local))
			continue
		case KindAttribute:
			local = "@" + local
		case KindGroup, KindAny, KindAnyAttribute:
			local = "(" + local + ")"
		}
		b.WriteString("/" + local)
	}
	return b.String()
}

// Model is the comparable surface of one kit target: every node by key.
type Model struct {
	Nodes map[string]*Node
	// Roots in key order.
	Roots []*Node
}

// Build makes the model of one lowered target. set and defs are what the
// program was lowered from (for enumeration positions, messages and WSDL
// documentation).
func Build(set *xsd.Set, defs []*wsdl.Definitions, prog *ir.Program) *Model {
	b := &builder{
		set:      set,
		m:        &Model{Nodes: map[string]*Node{}},
		byIdent:  map[ir.Ident]*ir.Type{},
		identOf:  map[*ir.Type]ir.Ident{},
		pkgName:  map[string]string{},
		elemType: map[*ir.Type]ir.Name{},
		stack:    map[*ir.Type]bool{},
	}
	for _, p := range prog.Packages {
		b.pkgName[p.ImportPath] = p.Name
		for _, f := range p.Files {
			for _, t := range f.Types {
				id := ir.Ident{ImportPath: p.ImportPath, Name: t.Name}
				b.byIdent[id] = t
				b.identOf[t] = id
			}
		}
	}
	for _, p := range prog.Packages {
		for _, e := range p.Elements {
			if e.Struct == nil {
				continue
			}
			if t := b.byIdent[*e.Struct]; t != nil && t.XMLName == (ir.Name{}) && t.Item == ir.NotItem {
				b.elemType[t] = e.XMLName
			}
		}
	}
	for _, p := range prog.Packages {
		b.namespaces(p)
		for _, f := range p.Files {
			for _, t := range f.Types {
				if t.XMLName != (ir.Name{}) && !t.NilValue {
					b.namedType(p, t)
				}
			}
			for _, s := range f.Services {
				b.service(p, s, defs)
			}
		}
	}
	b.elements(prog)
	b.messages(defs)
	for _, n := range b.m.Nodes {
		if len(n.Path) == 1 {
			b.m.Roots = append(b.m.Roots, n)
		}
	}
	sort.Slice(b.m.Roots, func(i, j int) bool { return b.m.Roots[i].Key() < b.m.Roots[j].Key() })
	return b.m
}

type builder struct {
	set      *xsd.Set
	m        *Model
	byIdent  map[ir.Ident]*ir.Type
	identOf  map[*ir.Type]ir.Ident
	pkgName  map[string]string    // import path → package name
	elemType map[*ir.Type]ir.Name // anonymous types of global elements
	stack    map[*ir.Type]bool    // anonymous types being expanded (cycle guard)
}

// add registers a node; a second node with the same key (two WSDLs
// declaring one message) keeps the first.
func (b *builder) add(parent *Node, seg Seg, pos diag.Pos) *Node {
	var p []Seg
	if parent != nil {
		p = append(append(p, parent.Path...), seg)
	} else {
		p = []Seg{seg}
	}
	n := &Node{Path: p, Pos: pos, Props: map[string]string{}}
	if old := b.m.Nodes[n.Key()]; old != nil {
		return old
	}
	b.m.Nodes[n.Key()] = n
	if parent != nil {
		parent.Children = append(parent.Children, n)
	}
	return n
}

func (b *builder) setGo(n *Node, id ir.Ident, field ...string) {
	name := strings.Join(append([]string{id.Name}, field...), ".")
	n.Go, n.GoPkg, n.GoName = b.short(ir.Ident{ImportPath: id.ImportPath, Name: name}), id.ImportPath, name
}

func (b *builder) short(id ir.Ident) string {
	if id.ImportPath == "" {
		return id.Name
	}
	name := b.pkgName[id.ImportPath]
	if name == "" {
		name = path.Base(id.ImportPath)
	}
	return name + "." + id.Name
}

func (b *builder) namespaces(p *ir.Package) {
	pref := map[string]string{}
	for _, x := range p.Prefixes {
		pref[x.URI] = x.Prefix
	}
	for _, ns := range p.Namespaces {
		n := b.add(nil, Seg{KindNamespace, ir.Name{Space: ns}}, diag.Pos{})
		n.Props["package"] = p.ImportPath
		n.Props["prefix"] = pref[ns]
		n.Go = p.Name // the import path is compared as the package property
	}
}

func (b *builder) namedType(p *ir.Package, t *ir.Type) {
	n := b.add(nil, Seg{KindType, t.XMLName}, t.Pos)
	n.Doc = t.Doc
	b.setGo(n, ir.Ident{ImportPath: p.ImportPath, Name: t.Name})
	switch t.Kind {
	case ir.Struct:
		n.Props["kind"] = "complex type"
		n.Props["abstract"] = yes(t.Abstract)
		b.structProps(n, t)
		if xt, ok := b.set.LookupType(xsd.QName(t.XMLName)); ok {
			if ct, ok := xt.(*xsd.ComplexType); ok && !ct.Base.IsZero() && ct.Base.Space != xsd.NS {
				n.Props["base"] = "type " + ct.Base.String()
			}
		}
		b.content(n, t)
	case ir.Enum, ir.Simple:
		n.Props["kind"] = "simple type"
		if t.Kind == ir.Enum {
			n.Props["kind"] = "enumerated simple type"
		}
		if t.Simple != nil {
			b.valueProps(n, "", *t.Simple)
		}
		if ws := b.whiteSpace(t.XMLName); ws != "" && n.Props["whiteSpace"] == "" {
			n.Props["whiteSpace"] = ws
		}
		n.holder = t.Name
		pos := b.enumPositions(t.XMLName)
		if len(t.Enums) > 0 {
			for _, e := range t.Enums {
				c := b.add(n, Seg{KindEnum, ir.Name{Local: e.Value}}, pos[e.Value])
				c.Doc = e.Doc
				b.setGo(c, ir.Ident{ImportPath: p.ImportPath, Name: e.Name})
			}
		}
	}
}

// whiteSpace returns the effective whiteSpace facet of a named simple type:
// its own, else its nearest base's (built-ins included).
func (b *builder) whiteSpace(q ir.Name) string {
	xt, ok := b.set.LookupType(xsd.QName(q))
	for ok {
		st, simple := xt.(*xsd.SimpleType)
		if !simple || st.Variety != xsd.Atomic {
			return ""
		}
		if st.Facets.WhiteSpace != "" {
			return st.Facets.WhiteSpace
		}
		if st.BaseType != nil {
			xt, ok = st.BaseType, true
			continue
		}
		if st.Base.IsZero() {
			return ""
		}
		xt, ok = b.set.LookupType(st.Base)
	}
	return ""
}

// enumPositions finds where each enumeration value of a named simple type
// is written (its own restriction step first, then its bases').
func (b *builder) enumPositions(q ir.Name) map[string]diag.Pos {
	out := map[string]diag.Pos{}
	xt, ok := b.set.LookupType(xsd.QName(q))
	for ok {
		st, simple := xt.(*xsd.SimpleType)
		if !simple || st.Builtin {
			break
		}
		for _, e := range st.Facets.Enumeration {
			if _, seen := out[e.Value]; !seen {
				out[e.Value] = e.Pos
			}
		}
		if st.Base.IsZero() {
			break
		}
		xt, ok = b.set.LookupType(st.Base)
	}
	return out
}

func (b *builder) structProps(n *Node, t *ir.Type) {
	switch {
	case t.MixedNodes:
		n.Props["mixed"] = "elements and text"
	case t.MixedText:
		n.Props["mixed"] = "text"
	}
	n.All = t.AllGroup
}

// content adds the attributes, simple value and members of a struct under n.
func (b *builder) content(n *Node, t *ir.Type) {
	goType := b.identOf[t]
	n.holder = goType.Name
	if t.Value != nil {
		b.valueProps(n, "value ", *t.Value)
		n.Props["content"] = "simple"
	}
	for _, a := range t.Attrs {
		c := b.add(n, Seg{KindAttribute, a.XMLName}, a.Pos)
		c.Doc = a.Doc
		b.setGo(c, goType, a.Name)
		c.Props["use"] = "optional"
		if a.Required {
			c.Props["use"] = "required"
		}
		setPtr(c.Props, "default", a.Default)
		setPtr(c.Props, "fixed", a.Fixed)
		b.valueProps(c, "", a.Value)
		c.Shape = ptr(a.Pointer) + b.goTypeShape(a.Value.Type)
	}
	if t.AnyAttr != nil {
		c := b.add(n, Seg{KindAnyAttribute, ir.Name{Local: "anyAttribute"}}, t.Pos)
		b.setGo(c, goType, "AnyAttrs")
		wildcardProps(c, t.AnyAttr)
	}
	for _, m := range t.Content {
		var c *Node
		switch m.Kind {
		case ir.ElemMember:
			c = b.add(n, Seg{KindField, m.XMLName}, m.Pos)
			c.Props["nillable"] = yes(m.Nillable)
			setPtr(c.Props, "default", m.Default)
			setPtr(c.Props, "fixed", m.Fixed)
			var base string
			switch {
			case m.AnyType:
				c.Props["type"] = "xs:anyType"
				base = "any element"
			case m.Struct != nil && b.byIdent[*m.Struct] != nil && b.byIdent[*m.Struct].NilValue:
				// A nillable element of simple type: described by its
				// value, as any simple element (nillable is a property);
				// its Go type is a struct holding the value and XSINil.
				v := b.byIdent[*m.Struct].Value
				b.valueProps(c, "", *v)
				base = "nillable " + b.goTypeShape(v.Type)
			case m.Struct != nil:
				base = b.structRef(c, *m.Struct)
			case m.Simple != nil:
				b.valueProps(c, "", *m.Simple)
				base = b.goTypeShape(m.Simple.Type)
			}
			c.Shape = shape(m.Pointer, m.Slice) + base
		case ir.GroupMember:
			c = b.add(n, Seg{KindGroup, ir.Name{Local: m.Name}}, m.Pos)
			c.Props["group"] = "sequence"
			if m.Item.Item == ir.ChoiceItem {
				c.Props["group"] = "choice"
			}
			c.Shape = shape(m.Pointer, m.Slice) + "group"
			b.expand(c, m.Item)
		case ir.AnyMember:
			c = b.add(n, Seg{KindAny, ir.Name{Local: m.Name}}, m.Pos)
			wildcardProps(c, m.Any)
			c.Shape = "[]any element"
		}
		c.Doc = m.Doc
		b.setGo(c, goType, m.Name)
		c.Props["minOccurs"] = strconv.Itoa(m.Min)
		c.Props["maxOccurs"] = maxOccurs(m.Max)
		if m.ChoiceID > 0 {
			c.choice = m.ChoiceID
			c.Props["choice"] = "optional choice"
			if m.ChoiceMin > 0 {
				c.Props["choice"] = "required choice"
			}
		}
	}
}

// structRef describes a member's struct type: a named type or a global
// element's type by reference, an anonymous type expanded in place.
func (b *builder) structRef(c *Node, id ir.Ident) string {
	t := b.byIdent[id]
	switch {
	case t == nil:
		c.Props["type"] = "go " + id.ImportPath + "." + id.Name
		return c.Props["type"]
	case t.XMLName != (ir.Name{}):
		c.Props["type"] = "type " + t.XMLName.String()
	case b.elemType[t] != (ir.Name{}):
		c.Props["type"] = "element " + b.elemType[t].String()
	default:
		c.Props["type"] = "anonymous complex type"
		b.structProps(c, t)
		b.expand(c, t)
	}
	return c.Props["type"]
}

// expand adds the content of an anonymous struct under n, guarding cycles.
func (b *builder) expand(n *Node, t *ir.Type) {
	if b.stack[t] {
		return
	}
	b.stack[t] = true
	b.content(n, t)
	delete(b.stack, t)
}

// valueProps records a simple value: its type and its own facets, and the
// enumeration values written inline as children.
func (b *builder) valueProps(n *Node, prefix string, v ir.Value) {
	n.Props[prefix+"type"] = b.valueType(v)
	if v.Item != nil && v.Item.Facets != nil {
		facetProps(n.Props, prefix+"item ", v.Item.Facets)
	}
	if v.Facets == nil {
		return
	}
	facetProps(n.Props, prefix, v.Facets)
	for _, e := range v.Facets.Enumeration {
		b.add(n, Seg{KindEnum, ir.Name{Local: e}}, n.Pos)
	}
}

// valueType names a value's type: the named simple type, else its built-in.
func (b *builder) valueType(v ir.Value) string {
	if v.Check.Name != "" {
		if t := b.byIdent[v.Check]; t != nil && t.XMLName != (ir.Name{}) {
			return "type " + t.XMLName.String()
		}
	}
	switch {
	case v.Item != nil:
		return "list of " + b.valueType(*v.Item)
	case len(v.Union) > 0:
		var ms []string
		for _, u := range v.Union {
			ms = append(ms, b.valueType(*u))
		}
		return "union of " + strings.Join(ms, " | ")
	}
	return "xs:" + v.Type.Builtin
}

// goTypeShape writes a Go value type with generated types as XML identities.
func (b *builder) goTypeShape(g ir.GoType) string {
	if g.List != nil {
		return "[]" + b.goTypeShape(*g.List)
	}
	if t := b.byIdent[g.Ident]; t != nil && t.XMLName != (ir.Name{}) {
		return "type " + t.XMLName.String()
	}
	if g.Ident.ImportPath == "" {
		return g.Ident.Name
	}
	return path.Base(g.Ident.ImportPath) + "." + g.Ident.Name
}

func facetProps(p map[string]string, prefix string, f *ir.Facets) {
	var steps []string
	for _, alts := range f.Patterns {
		steps = append(steps, strings.Join(alts, " | "))
	}
	if len(steps) > 0 {
		p[prefix+"pattern"] = strings.Join(steps, " & ")
	}
	for _, x := range []struct {
		name string
		v    *int
	}{{"length", f.Length}, {"minLength", f.MinLength}, {"maxLength", f.MaxLength}, {"totalDigits", f.TotalDigits}, {"fractionDigits", f.FractionDigits}} {
		if x.v != nil {
			p[prefix+x.name] = strconv.Itoa(*x.v)
		}
	}
	for _, x := range []struct {
		name string
		v    *string
	}{{"minInclusive", f.MinInclusive}, {"maxInclusive", f.MaxInclusive}, {"minExclusive", f.MinExclusive}, {"maxExclusive", f.MaxExclusive}} {
		setPtr(p, prefix+x.name, x.v)
	}
	if f.WhiteSpace != "" {
		p[prefix+"whiteSpace"] = f.WhiteSpace
	}
}

func wildcardProps(n *Node, w *ir.Wildcard) {
	switch {
	case w.Any:
		n.Props["namespaces"] = "##any"
	case w.Other:
		n.Props["namespaces"] = "##other (not " + w.TargetNamespace + ")"
	default:
		var l []string
		for _, ns := range w.List {
			if ns == "" {
				ns = "##local"
			}
			l = append(l, ns)
		}
		n.Props["namespaces"] = strings.Join(l, " ")
	}
	pc := w.ProcessContents
	if pc == "" {
		pc = "strict"
	}
	n.Props["processContents"] = pc
}

// elements adds every global element of the schema set.
func (b *builder) elements(prog *ir.Program) {
	goOf := map[ir.Name]ir.Ident{}
	for _, p := range prog.Packages {
		for _, e := range p.Elements {
			if e.Struct != nil {
				goOf[e.XMLName] = *e.Struct
			}
		}
	}
	for _, q := range b.set.ElementNames() {
		e, _ := b.set.LookupElement(q)
		name := ir.Name(q)
		n := b.add(nil, Seg{KindElement, name}, e.Pos)
		n.Doc = e.Doc
		n.Props["nillable"] = yes(e.Nillable)
		n.Props["abstract"] = yes(e.Abstract)
		setPtr(n.Props, "default", e.Default)
		setPtr(n.Props, "fixed", e.Fixed)
		if !e.SubstitutionGroup.IsZero() {
			n.Props["substitutionGroup"] = "element " + e.SubstitutionGroup.String()
		}
		id, hasGo := goOf[name]
		if hasGo {
			b.setGo(n, id)
			if !e.Type.IsZero() {
				n.GoName = "" // the named type's identifier, compared on the type
			}
		}
		switch {
		case !e.Type.IsZero():
			if e.Type.Space == xsd.NS {
				n.Props["type"] = "xs:" + e.Type.Local
			} else {
				n.Props["type"] = "type " + e.Type.String()
			}
		case e.TypeDef == nil:
			n.Props["type"] = "xs:anyType"
		case hasGo && b.byIdent[id] != nil:
			t := b.byIdent[id]
			n.Props["type"] = "anonymous complex type"
			b.structProps(n, t)
			b.expand(n, t)
		default:
			n.Props["type"] = "anonymous " + typeKindName(e.TypeDef)
			if st, ok := e.TypeDef.(*xsd.SimpleType); ok {
				b.xsdSimple(n, st)
			}
		}
	}
}

func typeKindName(t xsd.Type) string {
	if _, ok := t.(*xsd.SimpleType); ok {
		return "simple type"
	}
	return "complex type"
}

// xsdSimple records an anonymous simple type that has no Go value of its
// own (a global element of simple type): its base and the facets of its step.
func (b *builder) xsdSimple(n *Node, st *xsd.SimpleType) {
	switch {
	case !st.Base.IsZero() && st.Base.Space == xsd.NS:
		n.Props["base"] = "xs:" + st.Base.Local
	case !st.Base.IsZero():
		n.Props["base"] = "type " + st.Base.String()
	}
	f := st.Facets
	x := &ir.Facets{Length: f.Length, MinLength: f.MinLength, MaxLength: f.MaxLength,
		MinInclusive: f.MinInclusive, MaxInclusive: f.MaxInclusive, MinExclusive: f.MinExclusive,
		MaxExclusive: f.MaxExclusive, TotalDigits: f.TotalDigits, FractionDigits: f.FractionDigits,
		WhiteSpace: f.WhiteSpace}
	if len(f.Pattern) > 0 {
		x.Patterns = [][]string{f.Pattern}
	}
	facetProps(n.Props, "", x)
	for _, e := range f.Enumeration {
		b.add(n, Seg{KindEnum, ir.Name{Local: e.Value}}, e.Pos)
	}
}

// service adds a SOAP binding and its operations.
func (b *builder) service(p *ir.Package, s *ir.Service, defs []*wsdl.Definitions) {
	n := b.add(nil, Seg{KindService, s.Binding}, bindingPos(defs, s.Binding))
	n.Doc = s.Doc
	b.setGo(n, ir.Ident{ImportPath: p.ImportPath, Name: s.Name + "Client"})
	n.holder = s.Name + "Client"
	n.Props["portType"] = s.PortType.String()
	n.Props["soap"] = strconv.Itoa(s.SOAP/10) + "." + strconv.Itoa(s.SOAP%10)
	n.Props["endpoint"] = s.Endpoint
	for _, op := range s.Operations {
		c := b.add(n, Seg{KindOperation, ir.Name{Local: op.WSDLName}}, op.Pos)
		c.Doc = op.Doc
		b.setGo(c, ir.Ident{ImportPath: p.ImportPath, Name: s.Name + "Client"}, op.Name)
		c.Props["soapAction"] = op.SOAPAction
		c.Props["action"] = op.Action
		c.Props["responseAction"] = op.ResponseAction
		c.Props["input"] = "element " + op.Input.Element.String()
		c.Props["output"] = "none (one-way)"
		if op.Output != nil {
			c.Props["output"] = "element " + op.Output.Element.String()
		}
		var faults []string
		for _, f := range op.Faults {
			faults = append(faults, f.Name+"=element "+f.Element.String())
		}
		sort.Strings(faults)
		c.Props["faults"] = strings.Join(faults, ", ")
		c.Props["mtomRequest"] = yes(op.MTOMRequest)
		c.Props["mtomResponse"] = yes(op.MTOMResponse)
		c.Props["endpoint"] = op.Endpoint // a config override; "" = the service's
	}
}

func bindingPos(defs []*wsdl.Definitions, q ir.Name) diag.Pos {
	for _, d := range defs {
		for _, b := range d.Bindings {
			if ir.Name(b.Name) == q {
				return b.Pos
			}
		}
	}
	return diag.Pos{}
}

// messages adds the WSDL messages with their parts.
func (b *builder) messages(defs []*wsdl.Definitions) {
	for _, d := range defs {
		for _, m := range d.Messages {
			n := b.add(nil, Seg{KindMessage, ir.Name(m.Name)}, m.Pos)
			n.Doc = m.Doc
			var parts []string
			for _, p := range m.Parts {
				switch {
				case !p.Element.IsZero():
					parts = append(parts, p.Name+"=element "+p.Element.String())
				default:
					parts = append(parts, p.Name+"=type "+p.Type.String())
				}
			}
			n.Props["parts"] = strings.Join(parts, ", ")
		}
	}
}

func maxOccurs(max int) string {
	if max < 0 {
		return "unbounded"
	}
	return strconv.Itoa(max)
}

func shape(pointer, slice bool) string {
	switch {
	case slice:
		return "[]"
	case pointer:
		return "*"
	}
	return ""
}

func ptr(p bool) string {
	if p {
		return "*"
	}
	return ""
}

func yes(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}

func setPtr(p map[string]string, k string, v *string) {
	if v != nil {
		p[k] = strconv.Quote(*v)
	}
}
