package xsd

import (
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/xmldom"
)

// XMIMENS is the namespace of xmime:expectedContentTypes.
const XMIMENS = "http://www.w3.org/2005/05/xmlmime"

// docCtx reads the components of one schema document for one effective namespace.
type docCtx struct {
	l         *Loader
	schema    *Schema
	tns       string
	chameleon bool
	elemQual  bool
	attrQual  bool
	blockDef  []string
	finalDef  []string
}

func newDocCtx(l *Loader, s *Schema, root *xmldom.Element) *docCtx {
	c := &docCtx{l: l, schema: s, tns: s.TargetNamespace, chameleon: s.Chameleon}
	c.checkAttrs(root, "id", "targetNamespace", "version", "elementFormDefault", "attributeFormDefault", "blockDefault", "finalDefault")
	c.elemQual = c.form(root, "elementFormDefault", false)
	c.attrQual = c.form(root, "attributeFormDefault", false)
	s.ElementFormQualified, s.AttributeFormQualified = c.elemQual, c.attrQual
	c.blockDef = c.derivations(root, "blockDefault", nil, "extension", "restriction", "substitution")
	c.finalDef = c.derivations(root, "finalDefault", nil, "extension", "restriction", "list", "union")
	return c
}

// xsdElements lists the element names of XML Schema 1.0; other names in the
// XSD namespace are reported as unsupported constructs.
var xsdElements = map[string]bool{
	"all": true, "annotation": true, "any": true, "anyAttribute": true, "appinfo": true,
	"attribute": true, "attributeGroup": true, "choice": true, "complexContent": true,
	"complexType": true, "documentation": true, "element": true, "enumeration": true,
	"extension": true, "field": true, "fractionDigits": true, "group": true, "import": true,
	"include": true, "key": true, "keyref": true, "length": true, "list": true,
	"maxExclusive": true, "maxInclusive": true, "maxLength": true, "minExclusive": true,
	"minInclusive": true, "minLength": true, "notation": true, "pattern": true,
	"redefine": true, "restriction": true, "schema": true, "selector": true,
	"sequence": true, "simpleContent": true, "simpleType": true, "totalDigits": true,
	"union": true, "unique": true, "whiteSpace": true,
}

// unexpected reports an XSD element that is not allowed where it is.
func (c *docCtx) unexpected(e *xmldom.Element, parent *xmldom.Element) {
	if !xsdElements[e.Local] {
		c.l.errs.Add(e.Pos, "unsupported construct xs:%s", e.Local)
		return
	}
	c.l.errs.Add(e.Pos, "xs:%s is not allowed in xs:%s", e.Local, parent.Local)
}

// xsdChildren returns the children of e in the XSD namespace; elements of
// other namespaces (extensions such as jaxb:*) are ignored.
func xsdChildren(e *xmldom.Element) []*xmldom.Element {
	n := 0
	for _, ch := range e.Children {
		if ch.Space == NS {
			n++
		}
	}
	if n == len(e.Children) {
		return e.Children
	}
	out := make([]*xmldom.Element, 0, n)
	for _, ch := range e.Children {
		if ch.Space == NS {
			out = append(out, ch)
		}
	}
	return out
}

// checkAttrs reports attributes without namespace that XSD 1.0 does not
// define on e; attributes in other namespaces are extensions and allowed.
func (c *docCtx) checkAttrs(e *xmldom.Element, allowed ...string) {
next:
	for _, a := range e.Attrs {
		if a.Space != "" {
			continue
		}
		for _, n := range allowed {
			if a.Local == n {
				continue next
			}
		}
		c.l.errs.Add(e.Pos, "unsupported attribute %s on xs:%s", a.Local, e.Local)
	}
}

// info returns the Info of a component declared by e.
func (c *docCtx) info(e *xmldom.Element) Info {
	return Info{Pos: e.Pos, Doc: docText(e), Schema: c.schema}
}

// name reads the required NCName attribute name.
func (c *docCtx) name(e *xmldom.Element) (string, bool) {
	v, ok := e.Attr("name")
	if !ok {
		c.l.errs.Add(e.Pos, "xs:%s requires a name attribute", e.Local)
		return "", false
	}
	v = strings.TrimSpace(v)
	if !xmldom.IsNCName(v) {
		c.l.errs.Add(e.Pos, "invalid name %q on xs:%s", v, e.Local)
		return "", false
	}
	return v, true
}

// qname resolves the QName value of attribute attr of e into *dst using the
// namespace bindings in scope at e, and records the reference for Finish.
func (c *docCtx) qname(e *xmldom.Element, attr string, kind refKind, dst *QName) bool {
	v, ok := e.Attr(attr)
	if !ok {
		return false
	}
	q, ok := c.resolveQName(e, attr, v)
	if !ok {
		return false
	}
	*dst = q
	c.l.refs = append(c.l.refs, &ref{kind: kind, q: dst, pos: e.Pos, attr: attr, raw: v})
	return true
}

// resolveQName expands a QName written in attribute attr of e. In a chameleon
// document, names without namespace take the effective target namespace.
func (c *docCtx) resolveQName(e *xmldom.Element, attr, v string) (QName, bool) {
	ns, local, err := e.ResolveQName(v)
	if err != nil {
		c.l.errs.Add(e.Pos, "%v in %s=%q", err, attr, v)
		return QName{}, false
	}
	if ns == "" && c.chameleon {
		ns = c.tns
	}
	return QName{ns, local}, true
}

// boolean reads an xs:boolean attribute (false when absent).
func (c *docCtx) boolean(e *xmldom.Element, attr string) bool {
	v, ok := e.Attr(attr)
	if !ok {
		return false
	}
	switch strings.TrimSpace(v) {
	case "true", "1":
		return true
	case "false", "0":
		return false
	}
	c.l.errs.Add(e.Pos, "invalid boolean %s=%q", attr, v)
	return false
}

// form reads a "qualified"/"unqualified" attribute.
func (c *docCtx) form(e *xmldom.Element, attr string, def bool) bool {
	v, ok := e.Attr(attr)
	if !ok {
		return def
	}
	switch strings.TrimSpace(v) {
	case "qualified":
		return true
	case "unqualified":
		return false
	}
	c.l.errs.Add(e.Pos, "invalid %s=%q (want qualified or unqualified)", attr, v)
	return def
}

// derivations reads a block/final style list ("#all" or tokens among allowed);
// def is returned when the attribute is absent.
func (c *docCtx) derivations(e *xmldom.Element, attr string, def []string, allowed ...string) []string {
	v, ok := e.Attr(attr)
	if !ok {
		return def
	}
	toks := strings.Fields(v)
	for _, t := range toks {
		good := t == "#all" && len(toks) == 1
		for _, a := range allowed {
			good = good || t == a
		}
		if !good {
			c.l.errs.Add(e.Pos, "invalid %s=%q", attr, v)
			return def
		}
	}
	if len(toks) == 0 {
		return nil
	}
	return toks
}

// optString reads an optional attribute as a pointer (value constraints).
func optString(e *xmldom.Element, attr string) *string {
	v, ok := e.Attr(attr)
	if !ok {
		return nil
	}
	return &v
}

// occurrence reads minOccurs/maxOccurs.
func (c *docCtx) occurrence(e *xmldom.Element) Occurrence {
	o := Occurrence{1, 1}
	if v, ok := e.Attr("minOccurs"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			c.l.errs.Add(e.Pos, "invalid minOccurs=%q", v)
		} else {
			o.Min = n
		}
	}
	if v, ok := e.Attr("maxOccurs"); ok {
		v = strings.TrimSpace(v)
		if v == "unbounded" {
			o.Max = Unbounded
		} else if n, err := strconv.Atoi(v); err != nil || n < 0 {
			c.l.errs.Add(e.Pos, "invalid maxOccurs=%q", v)
		} else {
			o.Max = n
		}
	}
	if o.Max != Unbounded && o.Max < o.Min {
		c.l.errs.Add(e.Pos, "maxOccurs=%d is less than minOccurs=%d", o.Max, o.Min)
	}
	return o
}

// schemaChildren reads the top level of a schema document.
func (c *docCtx) schemaChildren(root *xmldom.Element) {
	var docs []string
	for _, e := range xsdChildren(root) {
		switch e.Local {
		case "include", "import", "redefine":
			c.schemaRef(e)
		case "annotation":
			if d := annotationText(e); d != "" {
				docs = append(docs, d)
			}
		case "element":
			c.globalElement(e)
		case "attribute":
			c.globalAttribute(e)
		case "complexType", "simpleType", "group", "attributeGroup":
			if d := c.globalDef(e); d != nil {
				c.l.define(d.kind, d.name, e.Pos, d.comp, d.store)
			}
		case "notation":
			c.checkAttrs(e, "id", "name", "public", "system")
			c.name(e)
		default:
			c.unexpected(e, root)
		}
	}
	c.schema.Doc = strings.Join(docs, "\n\n")
}

// namedDef is a named type, group or attribute group definition.
type namedDef struct {
	kind  defKind
	name  QName
	comp  any // *ComplexType, *SimpleType, *Group or *AttributeGroup
	store func()
}

// globalDef reads a top-level (or redefining) xs:complexType, xs:simpleType,
// xs:group or xs:attributeGroup; nil after an error.
func (c *docCtx) globalDef(e *xmldom.Element) *namedDef {
	set := c.l.set
	switch e.Local {
	case "complexType":
		if t := c.complexType(e, true); t != nil {
			return &namedDef{defType, t.Name, t, func() { set.Types[t.Name] = t }}
		}
	case "simpleType":
		if t := c.simpleType(e, true); t != nil {
			return &namedDef{defType, t.Name, t, func() { set.Types[t.Name] = t }}
		}
	case "group":
		if g := c.groupDef(e); g != nil {
			return &namedDef{defGroup, g.Name, g, func() { set.Groups[g.Name] = g }}
		}
	case "attributeGroup":
		if g := c.attributeGroupDef(e); g != nil {
			return &namedDef{defAttributeGroup, g.Name, g, func() { set.AttributeGroups[g.Name] = g }}
		}
	}
	return nil
}

// globalElement reads a top-level xs:element.
func (c *docCtx) globalElement(e *xmldom.Element) {
	c.checkAttrs(e, "id", "name", "type", "substitutionGroup", "default", "fixed", "nillable", "abstract", "block", "final")
	name, ok := c.name(e)
	if !ok {
		return
	}
	el := &Element{Info: c.info(e), Name: QName{c.tns, name}}
	c.qname(e, "type", refType, &el.Type)
	c.qname(e, "substitutionGroup", refElement, &el.SubstitutionGroup)
	el.Nillable = c.boolean(e, "nillable")
	el.Abstract = c.boolean(e, "abstract")
	el.Default, el.Fixed = c.valueConstraint(e)
	el.Block = c.derivations(e, "block", c.blockDef, "extension", "restriction", "substitution")
	el.Final = c.derivations(e, "final", filter(c.finalDef, "extension", "restriction"), "extension", "restriction")
	el.ExpectedContentTypes, _ = e.AttrNS(XMIMENS, "expectedContentTypes")
	el.TypeDef, el.Identity = c.elementContent(e, !el.Type.IsZero())
	c.l.define(defElement, el.Name, el.Pos, el, func() { c.l.set.Elements[el.Name] = el })
}

// filter keeps the tokens of list that are among allowed ("#all" always).
func filter(list []string, allowed ...string) []string {
	var out []string
	for _, t := range list {
		for _, a := range allowed {
			if t == a || t == "#all" {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// valueConstraint reads default/fixed (mutually exclusive).
func (c *docCtx) valueConstraint(e *xmldom.Element) (def, fixed *string) {
	def, fixed = optString(e, "default"), optString(e, "fixed")
	if def != nil && fixed != nil {
		c.l.errs.Add(e.Pos, "xs:%s has both default and fixed", e.Local)
	}
	return def, fixed
}

// elementContent reads the children of an element declaration: an optional
// anonymous type and the identity constraints.
func (c *docCtx) elementContent(e *xmldom.Element, hasType bool) (Type, []*Identity) {
	var td Type
	var ids []*Identity
	for _, ch := range xsdChildren(e) {
		switch ch.Local {
		case "annotation":
		case "complexType", "simpleType":
			if td != nil || hasType {
				c.l.errs.Add(ch.Pos, "xs:element has more than one type definition")
				continue
			}
			if ch.Local == "complexType" {
				if t := c.complexType(ch, false); t != nil {
					td = t
				}
			} else if t := c.simpleType(ch, false); t != nil {
				td = t
			}
		case "key", "keyref", "unique":
			if id := c.identityConstraint(ch); id != nil {
				ids = append(ids, id)
			}
		default:
			c.unexpected(ch, e)
		}
	}
	return td, ids
}

// localElement reads an xs:element particle.
func (c *docCtx) localElement(e *xmldom.Element) *ElementDecl {
	d := &ElementDecl{Info: c.info(e), Occurrence: c.occurrence(e)}
	if _, isRef := e.Attr("ref"); isRef {
		c.checkAttrs(e, "id", "ref", "minOccurs", "maxOccurs")
		c.qname(e, "ref", refElement, &d.Ref)
		for _, ch := range xsdChildren(e) {
			if ch.Local != "annotation" {
				c.l.errs.Add(ch.Pos, "xs:element with ref cannot contain xs:%s", ch.Local)
			}
		}
		return d
	}
	c.checkAttrs(e, "id", "name", "type", "form", "minOccurs", "maxOccurs", "default", "fixed", "nillable", "block")
	name, ok := c.name(e)
	if !ok {
		return nil
	}
	d.Qualified = c.form(e, "form", c.elemQual)
	d.Name = QName{Local: name}
	if d.Qualified {
		d.Name.Space = c.tns
	}
	c.qname(e, "type", refType, &d.Type)
	d.Nillable = c.boolean(e, "nillable")
	d.Default, d.Fixed = c.valueConstraint(e)
	d.ExpectedContentTypes, _ = e.AttrNS(XMIMENS, "expectedContentTypes")
	c.derivations(e, "block", nil, "extension", "restriction", "substitution")
	d.TypeDef, d.Identity = c.elementContent(e, !d.Type.IsZero())
	return d
}

// globalAttribute reads a top-level xs:attribute.
func (c *docCtx) globalAttribute(e *xmldom.Element) {
	c.checkAttrs(e, "id", "name", "type", "default", "fixed")
	name, ok := c.name(e)
	if !ok {
		return
	}
	a := &Attribute{Info: c.info(e), Name: QName{c.tns, name}}
	c.qname(e, "type", refSimpleType, &a.Type)
	a.Default, a.Fixed = c.valueConstraint(e)
	a.TypeDef = c.attributeType(e, !a.Type.IsZero())
	c.l.define(defAttribute, a.Name, a.Pos, a, func() { c.l.set.Attributes[a.Name] = a })
}

// attributeType reads the optional anonymous simple type of an attribute declaration.
func (c *docCtx) attributeType(e *xmldom.Element, hasType bool) *SimpleType {
	var td *SimpleType
	for _, ch := range xsdChildren(e) {
		switch ch.Local {
		case "annotation":
		case "simpleType":
			if td != nil || hasType {
				c.l.errs.Add(ch.Pos, "xs:attribute has more than one type definition")
				continue
			}
			td = c.simpleType(ch, false)
		default:
			c.unexpected(ch, e)
		}
	}
	return td
}

// attributeUse reads a local xs:attribute.
func (c *docCtx) attributeUse(e *xmldom.Element) *AttributeUse {
	u := &AttributeUse{Info: c.info(e), Use: "optional"}
	if v, ok := e.Attr("use"); ok {
		switch v = strings.TrimSpace(v); v {
		case "optional", "required", "prohibited":
			u.Use = v
		default:
			c.l.errs.Add(e.Pos, "invalid use=%q", v)
		}
	}
	u.Default, u.Fixed = c.valueConstraint(e)
	if u.Default != nil && u.Use != "optional" {
		c.l.errs.Add(e.Pos, "an attribute with a default must have use=\"optional\"")
	}
	if _, isRef := e.Attr("ref"); isRef {
		c.checkAttrs(e, "id", "ref", "use", "default", "fixed")
		c.qname(e, "ref", refAttribute, &u.Ref)
		c.attributeType(e, true)
		return u
	}
	c.checkAttrs(e, "id", "name", "type", "form", "use", "default", "fixed")
	name, ok := c.name(e)
	if !ok {
		return nil
	}
	u.Qualified = c.form(e, "form", c.attrQual)
	u.Name = QName{Local: name}
	if u.Qualified {
		u.Name.Space = c.tns
	}
	c.qname(e, "type", refSimpleType, &u.Type)
	u.TypeDef = c.attributeType(e, !u.Type.IsZero())
	return u
}

// attrItem reads xs:attribute, xs:attributeGroup (a reference) or
// xs:anyAttribute into the lists of a type or attribute group. It reports
// whether e was one of them.
func (c *docCtx) attrItem(e *xmldom.Element, items *[]AttrItem, any **Wildcard) bool {
	switch e.Local {
	case "attribute":
		if *any != nil {
			c.l.errs.Add(e.Pos, "xs:attribute after xs:anyAttribute")
		}
		if u := c.attributeUse(e); u != nil {
			*items = append(*items, u)
		}
	case "attributeGroup":
		if *any != nil {
			c.l.errs.Add(e.Pos, "xs:attributeGroup after xs:anyAttribute")
		}
		c.checkAttrs(e, "id", "ref")
		r := &AttributeGroupRef{Info: c.info(e)}
		if !c.qname(e, "ref", refAttributeGroup, &r.Ref) {
			if _, ok := e.Attr("ref"); !ok {
				c.l.errs.Add(e.Pos, "xs:attributeGroup reference requires a ref attribute")
			}
			return true
		}
		*items = append(*items, r)
	case "anyAttribute":
		if *any != nil {
			c.l.errs.Add(e.Pos, "more than one xs:anyAttribute")
		}
		*any = c.wildcard(e, false)
	default:
		return false
	}
	return true
}

// wildcard reads xs:any (particle) or xs:anyAttribute.
func (c *docCtx) wildcard(e *xmldom.Element, particle bool) *Wildcard {
	w := &Wildcard{Info: c.info(e), Namespace: "##any", TargetNamespace: c.tns, ProcessContents: "strict"}
	if particle {
		c.checkAttrs(e, "id", "minOccurs", "maxOccurs", "namespace", "processContents")
		w.Occurrence = c.occurrence(e)
	} else {
		c.checkAttrs(e, "id", "namespace", "processContents")
	}
	if v, ok := e.Attr("namespace"); ok {
		w.Namespace = v
		for _, t := range strings.Fields(v) {
			if strings.HasPrefix(t, "##") && t != "##any" && t != "##other" && t != "##targetNamespace" && t != "##local" {
				c.l.errs.Add(e.Pos, "invalid namespace=%q on xs:%s", v, e.Local)
			}
		}
	}
	if v, ok := e.Attr("processContents"); ok {
		switch v = strings.TrimSpace(v); v {
		case "strict", "lax", "skip":
			w.ProcessContents = v
		default:
			c.l.errs.Add(e.Pos, "invalid processContents=%q", v)
		}
	}
	for _, ch := range xsdChildren(e) {
		if ch.Local != "annotation" {
			c.unexpected(ch, e)
		}
	}
	return w
}

// complexType reads xs:complexType (named when global, anonymous otherwise).
func (c *docCtx) complexType(e *xmldom.Element, global bool) *ComplexType {
	t := &ComplexType{Info: c.info(e)}
	if global {
		c.checkAttrs(e, "id", "name", "abstract", "block", "final", "mixed")
		name, ok := c.name(e)
		if !ok {
			return nil
		}
		t.Name = QName{c.tns, name}
		t.Abstract = c.boolean(e, "abstract")
		t.Block = c.derivations(e, "block", filter(c.blockDef, "extension", "restriction"), "extension", "restriction")
		t.Final = c.derivations(e, "final", filter(c.finalDef, "extension", "restriction"), "extension", "restriction")
	} else {
		c.checkAttrs(e, "id", "mixed")
	}
	t.Mixed = c.boolean(e, "mixed")
	var content *xmldom.Element
	var other bool
	for _, ch := range xsdChildren(e) {
		switch ch.Local {
		case "annotation":
		case "simpleContent", "complexContent":
			if content != nil || other {
				c.l.errs.Add(ch.Pos, "xs:%s must be the only content of xs:complexType", ch.Local)
				continue
			}
			content = ch
		default:
			if content != nil {
				c.l.errs.Add(ch.Pos, "xs:%s is not allowed together with xs:%s", ch.Local, content.Local)
				continue
			}
			other = true
		}
	}
	switch {
	case content == nil:
		// Shorthand: a restriction of xs:anyType.
		t.Content, t.Base, t.Method = ComplexContent, QName{NS, "anyType"}, Restriction
		t.Particle, t.Attributes, t.AnyAttribute = c.contentModel(e, true)
	case content.Local == "complexContent":
		c.complexContent(content, t)
	default:
		c.simpleContent(content, t)
	}
	return t
}

// derivation finds the single xs:restriction or xs:extension child of a
// simpleContent/complexContent element.
func (c *docCtx) derivation(e *xmldom.Element, t *ComplexType) *xmldom.Element {
	var d *xmldom.Element
	for _, ch := range xsdChildren(e) {
		switch ch.Local {
		case "annotation":
		case "restriction", "extension":
			if d != nil {
				c.l.errs.Add(ch.Pos, "xs:%s has more than one derivation", e.Local)
				continue
			}
			d = ch
		default:
			c.unexpected(ch, e)
		}
	}
	if d == nil {
		c.l.errs.Add(e.Pos, "xs:%s requires xs:restriction or xs:extension", e.Local)
		return nil
	}
	t.Method = Restriction
	if d.Local == "extension" {
		t.Method = Extension
	}
	c.checkAttrs(d, "id", "base")
	if !c.qname(d, "base", refType, &t.Base) {
		if _, ok := d.Attr("base"); !ok {
			c.l.errs.Add(d.Pos, "xs:%s requires a base attribute", d.Local)
		}
	}
	return d
}

// complexContent reads xs:complexContent into t.
func (c *docCtx) complexContent(e *xmldom.Element, t *ComplexType) {
	c.checkAttrs(e, "id", "mixed")
	t.Content = ComplexContent
	if _, ok := e.Attr("mixed"); ok {
		t.Mixed = c.boolean(e, "mixed")
	}
	if d := c.derivation(e, t); d != nil {
		t.Particle, t.Attributes, t.AnyAttribute = c.contentModel(d, true)
	}
}

// simpleContent reads xs:simpleContent into t.
func (c *docCtx) simpleContent(e *xmldom.Element, t *ComplexType) {
	c.checkAttrs(e, "id")
	t.Content = SimpleContent
	d := c.derivation(e, t)
	if d == nil {
		return
	}
	if t.Method == Extension {
		t.Particle, t.Attributes, t.AnyAttribute = c.contentModel(d, false)
		return
	}
	// Restriction: an optional nested simpleType, facets, then attributes.
	st := &SimpleType{Info: Info{Pos: d.Pos, Schema: c.schema}, Variety: Atomic}
	t.SimpleType = st
	c.l.simpleContent[st] = t
	for _, ch := range xsdChildren(d) {
		switch {
		case ch.Local == "annotation":
		case ch.Local == "simpleType":
			if st.BaseType != nil || len(t.Attributes) > 0 || t.AnyAttribute != nil {
				c.unexpected(ch, d)
				continue
			}
			st.BaseType = c.simpleType(ch, false)
		case c.facet(ch, st):
		case c.attrItem(ch, &t.Attributes, &t.AnyAttribute):
		default:
			c.unexpected(ch, d)
		}
	}
}

// contentModel reads the particle (when allowed) and the attributes of a
// complex type or derivation element e.
func (c *docCtx) contentModel(e *xmldom.Element, particleOK bool) (Particle, []AttrItem, *Wildcard) {
	var (
		p     Particle
		attrs []AttrItem
		any   *Wildcard
	)
	for _, ch := range xsdChildren(e) {
		switch ch.Local {
		case "annotation":
		case "sequence", "choice", "all", "group":
			if !particleOK || p != nil || len(attrs) > 0 || any != nil {
				c.unexpected(ch, e)
				continue
			}
			p = c.particle(ch)
		default:
			if !c.attrItem(ch, &attrs, &any) {
				c.unexpected(ch, e)
			}
		}
	}
	return p, attrs, any
}

// particle reads xs:sequence, xs:choice, xs:all, xs:group (a reference),
// xs:element or xs:any. It returns nil after reporting an error.
func (c *docCtx) particle(e *xmldom.Element) Particle {
	switch e.Local {
	case "sequence", "choice", "all":
		g := c.modelGroup(e)
		g.Occurrence = c.occurrence(e)
		c.checkAttrs(e, "id", "minOccurs", "maxOccurs")
		return g
	case "group":
		c.checkAttrs(e, "id", "ref", "minOccurs", "maxOccurs")
		r := &GroupRef{Info: c.info(e), Occurrence: c.occurrence(e)}
		if !c.qname(e, "ref", refGroup, &r.Ref) {
			if _, ok := e.Attr("ref"); !ok {
				c.l.errs.Add(e.Pos, "xs:group reference requires a ref attribute")
			}
			return nil
		}
		for _, ch := range xsdChildren(e) {
			if ch.Local != "annotation" {
				c.unexpected(ch, e)
			}
		}
		return r
	case "element":
		if d := c.localElement(e); d != nil {
			return d
		}
		return nil
	case "any":
		return c.wildcard(e, true)
	}
	return nil
}

// modelGroup reads the particles of xs:sequence, xs:choice or xs:all
// (occurrence excluded).
func (c *docCtx) modelGroup(e *xmldom.Element) *ModelGroup {
	g := &ModelGroup{Info: c.info(e), Occurrence: Occurrence{1, 1}}
	switch e.Local {
	case "sequence":
		g.Kind = Sequence
	case "choice":
		g.Kind = Choice
	case "all":
		g.Kind = All
	}
	for _, ch := range xsdChildren(e) {
		switch ch.Local {
		case "annotation":
			continue
		case "element":
		case "sequence", "choice", "group", "any":
			if g.Kind == All {
				c.unexpected(ch, e)
				continue
			}
		default:
			c.unexpected(ch, e)
			continue
		}
		if p := c.particle(ch); p != nil {
			g.Particles = append(g.Particles, p)
		}
	}
	return g
}

// groupDef reads a top-level xs:group.
func (c *docCtx) groupDef(e *xmldom.Element) *Group {
	c.checkAttrs(e, "id", "name")
	name, ok := c.name(e)
	if !ok {
		return nil
	}
	g := &Group{Info: c.info(e), Name: QName{c.tns, name}}
	for _, ch := range xsdChildren(e) {
		switch ch.Local {
		case "annotation":
		case "sequence", "choice", "all":
			if g.Model != nil {
				c.l.errs.Add(ch.Pos, "xs:group has more than one model group")
				continue
			}
			c.checkAttrs(ch, "id")
			g.Model = c.modelGroup(ch)
		default:
			c.unexpected(ch, e)
		}
	}
	if g.Model == nil {
		c.l.errs.Add(e.Pos, "xs:group %s has no xs:sequence, xs:choice or xs:all", name)
		return nil
	}
	return g
}

// attributeGroupDef reads a top-level xs:attributeGroup.
func (c *docCtx) attributeGroupDef(e *xmldom.Element) *AttributeGroup {
	c.checkAttrs(e, "id", "name")
	name, ok := c.name(e)
	if !ok {
		return nil
	}
	g := &AttributeGroup{Info: c.info(e), Name: QName{c.tns, name}}
	for _, ch := range xsdChildren(e) {
		if ch.Local != "annotation" && !c.attrItem(ch, &g.Attributes, &g.AnyAttribute) {
			c.unexpected(ch, e)
		}
	}
	return g
}

// simpleType reads xs:simpleType (named when global).
func (c *docCtx) simpleType(e *xmldom.Element, global bool) *SimpleType {
	t := &SimpleType{Info: c.info(e)}
	if global {
		c.checkAttrs(e, "id", "name", "final")
		name, ok := c.name(e)
		if !ok {
			return nil
		}
		t.Name = QName{c.tns, name}
		t.Final = c.derivations(e, "final", filter(c.finalDef, "restriction", "list", "union"), "restriction", "list", "union")
	} else {
		c.checkAttrs(e, "id")
	}
	var d *xmldom.Element
	for _, ch := range xsdChildren(e) {
		switch ch.Local {
		case "annotation":
		case "restriction", "list", "union":
			if d != nil {
				c.l.errs.Add(ch.Pos, "xs:simpleType has more than one of xs:restriction, xs:list, xs:union")
				continue
			}
			d = ch
		default:
			c.unexpected(ch, e)
		}
	}
	if d == nil {
		c.l.errs.Add(e.Pos, "xs:simpleType requires xs:restriction, xs:list or xs:union")
		return t
	}
	switch d.Local {
	case "restriction":
		t.Variety = Atomic
		c.checkAttrs(d, "id", "base")
		hasBase := c.qname(d, "base", refSimpleType, &t.Base)
		_, baseAttr := d.Attr("base")
		for _, ch := range xsdChildren(d) {
			switch {
			case ch.Local == "annotation":
			case ch.Local == "simpleType" && !baseAttr && t.BaseType == nil:
				t.BaseType = c.simpleType(ch, false)
			case c.facet(ch, t):
			default:
				c.unexpected(ch, d)
			}
		}
		if !hasBase && !baseAttr && t.BaseType == nil {
			c.l.errs.Add(d.Pos, "xs:restriction requires a base attribute or an xs:simpleType")
		}
	case "list":
		t.Variety = List
		c.checkAttrs(d, "id", "itemType")
		_, itemAttr := d.Attr("itemType")
		c.qname(d, "itemType", refSimpleType, &t.ItemType)
		for _, ch := range xsdChildren(d) {
			switch {
			case ch.Local == "annotation":
			case ch.Local == "simpleType" && !itemAttr && t.Item == nil:
				t.Item = c.simpleType(ch, false)
			default:
				c.unexpected(ch, d)
			}
		}
		if !itemAttr && t.Item == nil {
			c.l.errs.Add(d.Pos, "xs:list requires an itemType attribute or an xs:simpleType")
		}
	case "union":
		t.Variety = Union
		c.checkAttrs(d, "id", "memberTypes")
		if v, ok := d.Attr("memberTypes"); ok {
			fields := strings.Fields(v)
			t.MemberTypes = make([]QName, 0, len(fields))
			for _, f := range fields {
				if q, ok := c.resolveQName(d, "memberTypes", f); ok {
					t.MemberTypes = append(t.MemberTypes, q)
				}
			}
			for i := range t.MemberTypes {
				c.l.refs = append(c.l.refs, &ref{kind: refSimpleType, q: &t.MemberTypes[i], pos: d.Pos, attr: "memberTypes", raw: fields[i]})
			}
		}
		for _, ch := range xsdChildren(d) {
			switch ch.Local {
			case "annotation":
			case "simpleType":
				if m := c.simpleType(ch, false); m != nil {
					t.Members = append(t.Members, m)
				}
			default:
				c.unexpected(ch, d)
			}
		}
		if len(t.MemberTypes) == 0 && len(t.Members) == 0 {
			c.l.errs.Add(d.Pos, "xs:union has no member types")
		}
	}
	return t
}

// facet reads a constraining facet into t.Facets; it reports whether e is one.
func (c *docCtx) facet(e *xmldom.Element, t *SimpleType) bool {
	f := &t.Facets
	name := e.Local
	intFacet := func(dst **int) {
		v, _ := e.Attr("value")
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			c.l.errs.Add(e.Pos, "invalid xs:%s value %q (want a non-negative integer)", name, v)
			return
		}
		if *dst != nil {
			c.l.errs.Add(e.Pos, "duplicate xs:%s facet", name)
			return
		}
		*dst = &n
	}
	strFacet := func(dst **string) {
		v, _ := e.Attr("value")
		if *dst != nil {
			c.l.errs.Add(e.Pos, "duplicate xs:%s facet", name)
			return
		}
		*dst = &v
	}
	switch name {
	case "enumeration", "pattern", "length", "minLength", "maxLength", "minInclusive", "maxInclusive",
		"minExclusive", "maxExclusive", "totalDigits", "fractionDigits", "whiteSpace":
	default:
		return false
	}
	c.checkAttrs(e, "id", "value", "fixed")
	for _, ch := range xsdChildren(e) {
		if ch.Local != "annotation" {
			c.unexpected(ch, e)
		}
	}
	v, ok := e.Attr("value")
	if !ok {
		c.l.errs.Add(e.Pos, "xs:%s requires a value attribute", name)
		return true
	}
	if f.Pos == nil {
		f.Pos = map[string]diag.Pos{}
	}
	if _, seen := f.Pos[name]; !seen {
		f.Pos[name] = e.Pos
	}
	switch name {
	case "enumeration":
		f.Enumeration = append(f.Enumeration, Enum{Value: v, Doc: docText(e), Pos: e.Pos})
		c.l.enums = append(c.l.enums, enumSite{t: t, i: len(f.Enumeration) - 1, scope: e.Scope})
	case "pattern":
		f.Pattern = append(f.Pattern, v)
	case "length":
		intFacet(&f.Length)
	case "minLength":
		intFacet(&f.MinLength)
	case "maxLength":
		intFacet(&f.MaxLength)
	case "totalDigits":
		intFacet(&f.TotalDigits)
	case "fractionDigits":
		intFacet(&f.FractionDigits)
	case "minInclusive":
		strFacet(&f.MinInclusive)
	case "maxInclusive":
		strFacet(&f.MaxInclusive)
	case "minExclusive":
		strFacet(&f.MinExclusive)
	case "maxExclusive":
		strFacet(&f.MaxExclusive)
	case "whiteSpace":
		switch v = strings.TrimSpace(v); {
		case f.WhiteSpace != "":
			c.l.errs.Add(e.Pos, "duplicate xs:whiteSpace facet")
		case v == "preserve" || v == "replace" || v == "collapse":
			f.WhiteSpace = v
		default:
			c.l.errs.Add(e.Pos, "invalid xs:whiteSpace value %q", v)
		}
	}
	return true
}
