// Package ir is the Go-ready intermediate representation between the schema
// model and the emitter.
//
// Every decision is made before emission: Go names, packages and import paths,
// field order, XML names and qualification, Go types, occurrences, facets and
// service operations. The emitter only prints. The IR is plain data and
// imports nothing else from this repository except diag for positions.
package ir

import "github.com/dmpgen/dmpgen/internal/diag"

// Name is an expanded XML name.
type Name struct{ Space, Local string }

func (n Name) String() string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// Program is everything one generation target produces.
type Program struct {
	Packages []*Package // sorted by ImportPath
}

// Package is one Go package: one or more XML namespaces.
type Package struct {
	ImportPath string
	Name       string
	Dir        string   // slash-separated, relative to the output root
	Namespaces []string // sorted
	// Prefixes suggests a readable prefix for each namespace the package writes.
	Prefixes []Prefix
	Files    []*File // sorted by Name
	// Elements are the package's global elements with a struct type, sorted
	// by XML name: NewElement maps a name to a new value of its type.
	Elements []*Element
	// DerivedTypes are the package's named, non-abstract types derived
	// from a type of another package, sorted by XML name: NewType maps a
	// type name to a new value, for the xsi:type resolver of a decoder.
	DerivedTypes []*Element
}

// Prefix is a preferred namespace prefix.
type Prefix struct{ URI, Prefix string }

// File is one generated file, produced from one source schema or WSDL.
type File struct {
	Name   string // e.g. "rim.go"
	Source string // source path relative to the kit root, for the header
	Types  []*Type
	// Elements are the global element declarations of the source.
	Elements []*Element
	Services []*Service
}

// Ident is a qualified Go identifier.
type Ident struct{ ImportPath, Name string }

// GoType is how a value is represented in Go.
type GoType struct {
	// Ident is the named Go type; ImportPath "" for predeclared types
	// (string, bool, int32, …) and for slices of bytes.
	Ident Ident
	// Builtin is the XSD built-in the value's lexical space comes from
	// ("string", "decimal", "dateTime", "base64Binary", "QName", …), after
	// resolving named simple types. It selects parse and format code.
	Builtin string
	// List is set for xs:list values: Go slice of Item.
	List *GoType
	// Bits is the size of bounded integers and floats.
	Bits int
	// Unsigned bounded integer.
	Unsigned bool
}

// TypeKind tells the shape of a generated type.
type TypeKind int

// Type kinds.
const (
	// Struct is a complex type, a global element's anonymous type, or the
	// item of a repeating group.
	Struct TypeKind = iota + 1
	// Enum is a named simple type with enumeration facets: a defined Go type
	// with one constant per value.
	Enum
	// Simple is a named simple type without enumerations: no Go type of its
	// own (values use GoType), only a validation function.
	Simple
)

// Type is a generated Go type.
type Type struct {
	Kind TypeKind
	Name string // Go name
	Doc  string
	Pos  diag.Pos
	// XMLName is the schema type's name (zero for anonymous and group items).
	XMLName Name

	// Struct content.
	Abstract bool
	Attrs    []*Attr
	Content  []*Member
	// AnyAttr is the attribute wildcard, nil if none.
	AnyAttr *Wildcard
	// Value is the simple content (simpleContent types), nil otherwise.
	Value *Value
	// NilValue marks the struct of a nillable element of simple type: Value
	// is the element's value, XSINil its xsi:nil; XMLName is the simple
	// type's name.
	NilValue bool
	// MixedText keeps the character data of mixed content without child
	// elements; MixedNodes keeps mixed content with elements verbatim.
	MixedText  bool
	MixedNodes bool
	// MixedTyped: mixed content with elements bound as the typed members
	// of Content plus the text runs at their place (the Texts field;
	// config mixed: typed).
	MixedTyped bool
	// AllGroup: the content is xs:all, children come in any order.
	AllGroup bool
	// OrderField names the field keeping the document order of the
	// children of an xs:all with more than one member ("" otherwise).
	OrderField string
	// Derived lists the types derived from this one (for xsi:type), sorted.
	Derived []*Type
	// ForeignDerived lists the types derived from this one that are
	// generated in other packages, sorted by XML name: the decoder's type
	// resolver (xmltext.Options.Types) creates them.
	ForeignDerived []*Foreign
	// ForeignBase: the type derives from a type of another package, which
	// encodes it through its exported MarshalXMLTextTyped method.
	ForeignBase bool
	// Identity are the identity constraints of the global element whose
	// anonymous type this is (IdentityElem), checked by ValidateXSD.
	Identity     []*Identity
	IdentityElem Name
	// Item is set for the item struct of a repeating group: Choice (one
	// member set per item) or Sequence.
	Item ItemKind

	// Simple/Enum content.
	Simple *Value
	Enums  []*EnumValue
}

// Identity is an xs:unique, xs:key or xs:keyref, its XPaths parsed.
type Identity struct {
	Kind     string // "unique", "key", "keyref"
	Name     string // local name
	Refer    string // keyref: the local name of the key or unique of the same element
	Selector []XPath
	Fields   [][]XPath
	// SelectorText and FieldTexts are the XPaths as written.
	SelectorText string
	FieldTexts   []string
}

// XPath is a path of the XSD 1.0 selector/field subset.
type XPath struct {
	Descendant bool
	Steps      []NameTest
	Attr       *NameTest
}

// NameTest is a step's test.
type NameTest struct {
	Name               Name
	AnyLocal, AnySpace bool
	Self               bool
}

// Foreign is a type generated in another package.
type Foreign struct {
	XMLName Name
	Ident   *Ident
}

// ItemKind is the kind of group an item struct stands for.
type ItemKind int

// Item kinds.
const (
	NotItem ItemKind = iota
	ChoiceItem
	SequenceItem
)

// EnumValue is one typed constant.
type EnumValue struct {
	Name  string // Go constant name
	Value string
	Doc   string
}

// Value is a simple value: its Go type and the facets that apply to it.
type Value struct {
	Type GoType
	// Check names the generated validation function of a named simple type
	// ("" when the value has no facets beyond its built-in's lexical space).
	Check Ident
	// Facets that apply directly (for anonymous simple types); named simple
	// types keep theirs in their own Type and are reached through Check.
	Facets *Facets
	// Item is the item value of an xs:list.
	Item *Value
	// Union lists the member values of an xs:union: a value is valid when
	// it parses and checks as one of them. The Go value keeps the lexical form.
	Union []*Value
	// Enum is the enum type when values are typed constants.
	Enum *Ident
}

// Facets are the combined facets of a restriction chain.
type Facets struct {
	// Patterns: one entry per derivation step; the value must match one
	// pattern of every step.
	Patterns                   [][]string
	Enumeration                []string // values (open: checked by Validate only)
	Length, MinLength          *int
	MaxLength                  *int
	MinInclusive, MaxInclusive *string
	MinExclusive, MaxExclusive *string
	TotalDigits                *int
	FractionDigits             *int
	WhiteSpace                 string
}

// Attr is an attribute field.
type Attr struct {
	Name     string // Go field name
	Doc      string
	XMLName  Name
	Value    Value
	Required bool
	// Pointer: optional without default, represented as a pointer.
	Pointer        bool
	Default, Fixed *string
	Pos            diag.Pos
	// Getter names the method returning the value or its default, "" for
	// none (attributes without a default, or of type QName).
	Getter string
}

// MemberKind is the kind of a content member.
type MemberKind int

// Member kinds.
const (
	// ElemMember: one element declaration.
	ElemMember MemberKind = iota + 1
	// GroupMember: a repeating (or optional, nested) group: slice of Item structs.
	GroupMember
	// AnyMember: an element wildcard, kept as DOM elements.
	AnyMember
)

// Member is one field of a content model, in schema order.
type Member struct {
	Kind MemberKind
	Name string // Go field name
	Doc  string
	Pos  diag.Pos
	Min  int
	Max  int // -1 unbounded
	// Choice groups: members that belong to the same flattened xs:choice
	// share a ChoiceID (> 0); Validate checks that at most one (exactly one
	// when ChoiceMin > 0) is present.
	ChoiceID  int
	ChoiceMin int

	// ElemMember.
	XMLName Name
	// Elem is the element's value: Struct (a generated struct type) or Simple.
	Struct   *Ident
	Simple   *Value
	Nillable bool
	// AnyType: the element is xs:anyType, kept as a DOM element.
	AnyType bool
	// Pointer: a single struct, or an optional single simple value; Slice: max > 1.
	Pointer, Slice bool
	Default, Fixed *string

	// Identity are the identity constraints of the element declaration
	// (local, or global with a named type), checked on each value.
	Identity []*Identity

	// GroupMember: the item struct (Slice when Max > 1, else Pointer).
	Item *Type

	// AnyMember.
	Any *Wildcard
}

// Wildcard is xs:any or xs:anyAttribute.
type Wildcard struct {
	// Namespaces allowed: Any (##any), Other (##other, relative to
	// TargetNamespace), or the explicit list (## tokens resolved: "" for
	// ##local, the target namespace for ##targetNamespace).
	Any             bool
	Other           bool
	TargetNamespace string
	List            []string
	ProcessContents string
}

// Element is a global element declaration.
type Element struct {
	GoName  string // name of the generated Name variable/func suffix
	XMLName Name
	Doc     string
	// Type is the element's Go type (a struct in this or another package) or a simple value.
	Struct *Ident
	Simple *Value
}

// Service is a WSDL binding turned into a client and a server.
type Service struct {
	Name       string // Go name of the client type (…Client) stem
	Doc        string
	Binding    Name
	PortType   Name
	SOAP       int // 11 or 12
	Endpoint   string
	Operations []*Operation
	Pos        diag.Pos // the binding
}

// Operation is one bound operation, emitted as data for the runtime.
type Operation struct {
	Name       string // Go method name
	WSDLName   string
	Doc        string
	SOAPAction string
	// Action and ResponseAction are the WS-Addressing actions.
	Action         string
	ResponseAction string
	Input          *MessageRef
	Output         *MessageRef // nil for one-way
	Faults         []*FaultRef
	// InputHeaders and OutputHeaders are the header blocks bound by
	// soap:header, in binding order (grouped in the Go structs
	// <service><operation>RequestHeaders and …ResponseHeaders);
	// HeaderFaults those of their soap:headerfault children.
	InputHeaders, OutputHeaders, HeaderFaults []*HeaderRef
	MTOMRequest                               bool
	MTOMResponse                              bool
	// Endpoint overrides the service's endpoint for this operation ("" = the service's).
	Endpoint string
	Pos      diag.Pos
}

// MessageRef is the body element of a message.
type MessageRef struct {
	Element Name  // zero for a part typed xs:anyType: any element
	Type    Ident // Go struct type of the body element (xmlbind.Raw when Raw)
	// Raw: the body is kept as a DOM (a part typed xs:anyType, an element
	// of type xs:anyType, of a simple type or without a type).
	Raw bool
}

// HeaderRef is a header block bound by soap:header or soap:headerfault.
type HeaderRef struct {
	Name    string // Go field name in the operation's header struct
	Part    string // wsdl:part name
	Element Name
	Type    Ident // Go struct type of the block (xmlbind.Raw when Raw)
	Raw     bool  // the element has no complex type: kept as a DOM
	Pos     diag.Pos
}

// FaultRef is a declared fault.
type FaultRef struct {
	Name    string
	Element Name
	Type    Ident
	Action  string
}
