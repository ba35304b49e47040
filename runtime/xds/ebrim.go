package xds

// This file mirrors the parts of ebRIM 3.0 that XDS metadata is made of,
// without any XDS meaning: the mapping packages fill these from the
// generated bindings, Lift interprets them and Lower produces them. Optional
// attributes are pointers so that an attribute present with an empty value
// (home="", nodeRepresentation="") survives a round trip.

// Kind names the ebRIM element of a RegistryObject.
type Kind uint8

// The ebRIM elements a RegistryObjectList may hold in XDS metadata.
const (
	KindExtrinsicObject Kind = iota + 1
	KindRegistryPackage
	KindAssociation
	KindClassification
	KindExternalIdentifier
	KindObjectRef
)

func (k Kind) String() string {
	switch k {
	case KindExtrinsicObject:
		return "ExtrinsicObject"
	case KindRegistryPackage:
		return "RegistryPackage"
	case KindAssociation:
		return "Association"
	case KindClassification:
		return "Classification"
	case KindExternalIdentifier:
		return "ExternalIdentifier"
	case KindObjectRef:
		return "ObjectRef"
	}
	return "Kind(?)"
}

// LocalizedString is a rim:LocalizedString.
type LocalizedString struct {
	Value   string
	Lang    *string // xml:lang
	Charset *string
}

// Text is a rim:InternationalString (Name, Description): nil when the
// element is absent, empty and non-nil when it is present without strings.
type Text []LocalizedString

// NewText returns a Text of one LocalizedString with no xml:lang or charset.
func NewText(value string) Text { return Text{{Value: value}} }

// String returns the value of the first LocalizedString, "" when none.
func (t Text) String() string {
	if len(t) == 0 {
		return ""
	}
	return t[0].Value
}

// VersionInfo is a rim:VersionInfo (VersionInfo or ContentVersionInfo).
type VersionInfo struct {
	VersionName *string
	Comment     *string
}

// Slot is a rim:Slot. A slot whose values a decoder moved into a typed
// field keeps its place in the object's slot list with Lifted set and no
// values: it records where the slot was, for a lossless re-encoding.
type Slot struct {
	Name   string
	Type   *string // slotType
	Values []string
	Lifted bool
}

// Parts is what every ebRIM RegistryObject carries: its identity, the
// optional attributes of rim:RegistryObjectType and its child elements.
type Parts struct {
	ID                  string
	Home                *string
	LogicalID           *string // lid
	ObjectType          *string
	Status              *string
	Slots               []Slot
	Name                Text
	Description         Text
	VersionInfo         *VersionInfo
	Classifications     []*Classification
	ExternalIdentifiers []*ExternalIdentifier
}

// Classification is a rim:Classification. When Lifted is set, a typed
// field (a Code or an Author) holds its XDS content and points at it; the
// Classification then keeps only what that field does not express (id,
// lang and charset of its Name, unknown slots, ...) and its position.
type Classification struct {
	Parts
	Scheme             *string // classificationScheme
	ClassifiedObject   string
	Node               *string // classificationNode
	NodeRepresentation *string
	Lifted             bool
}

// SchemeValue returns the classificationScheme, "" when absent.
func (c *Classification) SchemeValue() string { return deref(c.Scheme) }

// ExternalIdentifier is a rim:ExternalIdentifier. Lifted has the meaning it
// has on a Classification: a typed field (patientId, uniqueId, sourceId)
// holds its value.
type ExternalIdentifier struct {
	Parts
	RegistryObject string
	Scheme         string // identificationScheme
	Value          string
	Lifted         bool
}

// RegistryObject is one child of a rim:RegistryObjectList. The fields used
// depend on Kind: MimeType, IsOpaque and ContentVersionInfo belong to an
// ExtrinsicObject, AssociationType/SourceObject/TargetObject to an
// Association, CreateReplica to an ObjectRef (which has only ID, Home and
// Slots); a top-level Classification or ExternalIdentifier is held in the
// field of that name and the other fields are empty.
type RegistryObject struct {
	Parts
	Kind               Kind
	MimeType           *string
	IsOpaque           *bool
	AssociationType    string
	SourceObject       string
	TargetObject       string
	CreateReplica      *bool
	ContentVersionInfo *VersionInfo
	Classification     *Classification
	ExternalIdentifier *ExternalIdentifier
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
