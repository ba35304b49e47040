// Package xsd loads W3C XML Schema 1.0 documents into a resolved component model.
//
// The loader works offline only: schema locations are resolved relative to the
// including document, through an OASIS XML catalog, or not at all (a positioned
// error). Every schema document reachable from the inputs is read once per
// effective target namespace (chameleon includes get their includer's
// namespace); all documents of one namespace are merged into one symbol space,
// so that two files contributing to urn:ihe:iti:xds-b:2007 both count
// ("first import wins" is wrong). Redefinitions are applied before lookup.
//
// The model keeps references as QNames; Loader.Finish checks that every one
// resolves (reporting the others at the position of the referencing
// element) and Set offers the lookups. Every component carries the position
// of its declaration and its xs:documentation text.
//
// Entry points: NewLoader, Loader.AddSchemaFile / AddEmbedded, Loader.Finish.
package xsd

import "github.com/dmpgen/dmpgen/internal/diag"

// NS is the XML Schema namespace.
const NS = "http://www.w3.org/2001/XMLSchema"

// QName is an expanded name.
type QName struct{ Space, Local string }

// IsZero reports whether q is the zero QName.
func (q QName) IsZero() bool { return q.Space == "" && q.Local == "" }

// Less orders QNames by namespace, then local name.
func (q QName) Less(r QName) bool {
	if q.Space != r.Space {
		return q.Space < r.Space
	}
	return q.Local < r.Local
}

// String formats q as {namespace}local, or local when q has no namespace.
func (q QName) String() string {
	if q.Space == "" {
		return q.Local
	}
	return "{" + q.Space + "}" + q.Local
}

// Unbounded is the MaxOccurs value of maxOccurs="unbounded".
const Unbounded = -1

// Info is embedded in every component: where it is declared and its
// documentation. Built-in types have a zero Info.
type Info struct {
	Pos diag.Pos
	// Doc is the text of the xs:annotation/xs:documentation children, whitespace
	// trimmed, paragraphs joined by a blank line.
	Doc string
	// Schema is the schema document that declares the component.
	Schema *Schema
}

// Schema is one schema document as read for one effective target namespace.
type Schema struct {
	Pos diag.Pos // position of the xs:schema element
	// File is the absolute path of the document. An XSD embedded in a WSDL has
	// the WSDL's path and its own Pos.
	File            string
	TargetNamespace string // effective (a chameleon include takes the includer's)
	Chameleon       bool   // included without a targetNamespace of its own
	// ElementFormQualified and AttributeFormQualified are elementFormDefault
	// and attributeFormDefault == "qualified".
	ElementFormQualified   bool
	AttributeFormQualified bool
	// Prefixes maps the prefixes declared on xs:schema (and its ancestors for
	// embedded schemas) to namespace URIs; used to choose readable prefixes.
	// The map may be shared with other schemas: do not modify it.
	Prefixes map[string]string
	Doc      string
}

// Set is a resolved schema set: the global components of every namespace.
// Maps are keyed by expanded name; iterate over the sorted key slices
// (ElementNames, …) for deterministic order.
type Set struct {
	// Schemas lists every document read, sorted by File then TargetNamespace.
	Schemas []*Schema

	Elements map[QName]*Element
	// Types holds *ComplexType and *SimpleType values, the 46 XSD built-in
	// types included (xs:anyType with ComplexType.Builtin, the others with
	// SimpleType.Builtin), so that derivation chains can be walked to the root.
	Types           map[QName]Type
	Attributes      map[QName]*Attribute
	Groups          map[QName]*Group
	AttributeGroups map[QName]*AttributeGroup

	// Substitutes maps a head element to the global elements that name it in
	// substitutionGroup, directly, sorted by name. Use SubstitutionMembers for
	// the transitive closure.
	Substitutes map[QName][]*Element
}

// Type is *ComplexType or *SimpleType.
type Type interface {
	TypeName() QName // zero for an anonymous type
	info() *Info
}

// Derivation is extension or restriction.
type Derivation int

// Derivation methods.
const (
	Restriction Derivation = iota + 1
	Extension
)

// ContentKind says which content a complex type has.
type ContentKind int

// Content kinds.
const (
	// ElementOnly (or mixed when ComplexType.Mixed) content with a particle;
	// Particle may be nil for empty content.
	ComplexContent ContentKind = iota + 1
	// SimpleContent: character data of SimpleBase/SimpleType plus attributes.
	SimpleContent
)

// ComplexType is a complex type definition, named or anonymous.
type ComplexType struct {
	Info
	Name QName // zero when anonymous
	// Builtin is set only for xs:anyType, the root of the type hierarchy
	// (zero Base and Method).
	Builtin  bool
	Abstract bool
	Mixed    bool // effective mixed flag (complexContent/@mixed overrides)
	Content  ContentKind
	// Base is the base type QName when the type derives by Method from a named
	// type ({xs}anyType for the shorthand form without simpleContent/complexContent).
	Base   QName
	Method Derivation
	// Particle is the content model written in this definition (for an
	// extension: only the part this definition adds; the lowering appends it
	// after the base's). Nil when empty.
	Particle Particle
	// Attributes written in this definition, in document order: *AttributeUse and *AttributeGroupRef.
	Attributes []AttrItem
	// AnyAttribute is the attribute wildcard written in this definition.
	AnyAttribute *Wildcard
	// SimpleType holds, for simpleContent restriction, the anonymous simple
	// type that restricts the base's content: its Facets, and BaseType when
	// the restriction nests an xs:simpleType; its Base is zero (the content
	// type comes from the complex type's Base). Nil otherwise.
	SimpleType *SimpleType
	// Final and Block are the derivations listed in @final/@block (the
	// schema's finalDefault/blockDefault when absent), e.g. ["#all"].
	Final, Block []string
}

// TypeName implements Type.
func (t *ComplexType) TypeName() QName { return t.Name }
func (t *ComplexType) info() *Info     { return &t.Info }

// Variety is the variety of a simple type.
type Variety int

// Simple type varieties.
const (
	Atomic Variety = iota + 1
	List
	Union
)

// SimpleType is a simple type definition, named or anonymous. Built-in types
// are SimpleTypes with Builtin set, their Base (xs:int → xs:long →
// xs:integer → xs:decimal → xs:anySimpleType → xs:anyType) and the facets that
// define them in XML Schema Part 2 (whiteSpace, ranges, patterns written with
// the XSD \i and \c escapes); the built-in list types NMTOKENS, IDREFS and
// ENTITIES have Variety List and ItemType.
type SimpleType struct {
	Info
	Name    QName
	Variety Variety
	Builtin bool
	// Atomic restriction: Base (a QName) or BaseType (anonymous), plus Facets.
	Base     QName
	BaseType *SimpleType
	Facets   Facets
	// List: ItemType (QName) or Item (anonymous).
	ItemType QName
	Item     *SimpleType
	// Union: MemberTypes (QNames from @memberTypes) then Members (anonymous), in document order.
	MemberTypes []QName
	Members     []*SimpleType
	Final       []string
}

// TypeName implements Type.
func (t *SimpleType) TypeName() QName { return t.Name }
func (t *SimpleType) info() *Info     { return &t.Info }

// Facets are the constraining facets written on one restriction step.
type Facets struct {
	Enumeration []Enum
	// Pattern lists the patterns of this step (alternatives: a value must match one).
	Pattern        []string
	Length         *int
	MinLength      *int
	MaxLength      *int
	MinInclusive   *string
	MaxInclusive   *string
	MinExclusive   *string
	MaxExclusive   *string
	TotalDigits    *int
	FractionDigits *int
	WhiteSpace     string // "", "preserve", "replace", "collapse"
	// Pos of each facet by name ("pattern", "maxLength", …) for error messages.
	Pos map[string]diag.Pos
}

// Enum is one enumeration value.
type Enum struct {
	Value string
	Doc   string
	Pos   diag.Pos
	// NS holds the in-scope namespace bindings ("" = default namespace) of
	// enumerations whose type derives from xs:QName or xs:NOTATION; nil for
	// the others. The map may be shared: do not modify it.
	NS map[string]string
}

// Particle is *ElementDecl (a local declaration or a reference), *ModelGroup,
// *GroupRef or *Wildcard (xs:any).
type Particle interface {
	Occurs() (min, max int)
	pos() diag.Pos
}

// Occurrence holds minOccurs/maxOccurs; Max is Unbounded for "unbounded".
type Occurrence struct{ Min, Max int }

// Occurs implements Particle.
func (o Occurrence) Occurs() (int, int) { return o.Min, o.Max }

// Element is a global element declaration.
type Element struct {
	Info
	Name QName
	// Type is the named type; TypeDef the anonymous one. Both zero means
	// xs:anyType (or the head's type when SubstitutionGroup is set, per XSD).
	Type              QName
	TypeDef           Type
	Nillable          bool
	Abstract          bool
	Default, Fixed    *string
	SubstitutionGroup QName
	// Final and Block as written, else the schema's finalDefault/blockDefault.
	Final, Block []string
	// ExpectedContentTypes is the xmime:expectedContentTypes attribute
	// (MTOM/XOP content types of a base64Binary element), "" when absent.
	ExpectedContentTypes string
	// Identity are the element's xs:unique, xs:key and xs:keyref.
	Identity []*Identity
}

// ElementDecl is an element particle: a local declaration, or a reference
// (Ref set) to a global element.
type ElementDecl struct {
	Info
	Occurrence
	Ref QName // set for ref="…"; the other fields are then empty
	// Name is qualified per @form / elementFormDefault: Space is the target
	// namespace when qualified, "" otherwise.
	Name           QName
	Qualified      bool
	Type           QName
	TypeDef        Type
	Nillable       bool
	Default, Fixed *string
	// ExpectedContentTypes is the xmime:expectedContentTypes attribute, "" when absent.
	ExpectedContentTypes string
	// Identity are the element's xs:unique, xs:key and xs:keyref.
	Identity []*Identity
}

func (e *ElementDecl) pos() diag.Pos { return e.Pos }

// GroupKind is sequence, choice or all.
type GroupKind int

// Model group kinds.
const (
	Sequence GroupKind = iota + 1
	Choice
	All
)

func (k GroupKind) String() string {
	switch k {
	case Sequence:
		return "sequence"
	case Choice:
		return "choice"
	case All:
		return "all"
	}
	return "?"
}

// ModelGroup is xs:sequence, xs:choice or xs:all.
type ModelGroup struct {
	Info
	Occurrence
	Kind      GroupKind
	Particles []Particle
}

func (g *ModelGroup) pos() diag.Pos { return g.Pos }

// GroupRef is a reference to a named model group.
type GroupRef struct {
	Info
	Occurrence
	Ref QName
}

func (g *GroupRef) pos() diag.Pos { return g.Pos }

// Group is a named model group definition.
type Group struct {
	Info
	Name  QName
	Model *ModelGroup // its Occurrence is 1..1
}

// Wildcard is xs:any (as a particle) or xs:anyAttribute.
type Wildcard struct {
	Info
	Occurrence // xs:any only
	// Namespace is the @namespace value as written ("##any" when absent).
	Namespace string
	// TargetNamespace is the declaring schema's target namespace (to resolve
	// ##targetNamespace and ##other).
	TargetNamespace string
	// ProcessContents is "strict" (default), "lax" or "skip".
	ProcessContents string
}

func (w *Wildcard) pos() diag.Pos { return w.Pos }

// AttrItem is *AttributeUse or *AttributeGroupRef.
type AttrItem interface{ attrItem() }

// Attribute is a global attribute declaration.
type Attribute struct {
	Info
	Name           QName
	Type           QName
	TypeDef        *SimpleType
	Default, Fixed *string
}

// AttributeUse is a local attribute declaration or a reference.
type AttributeUse struct {
	Info
	Ref QName // set for ref="…"
	// Name is qualified per @form / attributeFormDefault.
	Name           QName
	Qualified      bool
	Type           QName
	TypeDef        *SimpleType
	Use            string // "optional" (default), "required", "prohibited"
	Default, Fixed *string
}

func (*AttributeUse) attrItem() {}

// AttributeGroupRef references a named attribute group.
type AttributeGroupRef struct {
	Info
	Ref QName
}

func (*AttributeGroupRef) attrItem() {}

// AttributeGroup is a named attribute group definition.
type AttributeGroup struct {
	Info
	Name         QName
	Attributes   []AttrItem
	AnyAttribute *Wildcard
}
