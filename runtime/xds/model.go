package xds

// Item is one entry of Metadata: *SubmissionSet, *DocumentEntry, *Folder,
// *Association, or, for the ebRIM objects XDS does not interpret, *ObjectRef
// and a top-level *Classification or *ExternalIdentifier.
type Item interface {
	// EntryID returns the ebRIM id of the item.
	EntryID() string
}

// Metadata is the content of a rim:RegistryObjectList read as XDS metadata
// (ITI-41/42 SubmitObjectsRequest, ITI-18 AdhocQueryResponse, ITI-57
// update), in document order.
type Metadata struct {
	Items []Item
}

// SubmissionSets returns the SubmissionSets, in document order.
func (m *Metadata) SubmissionSets() []*SubmissionSet { return itemsOf[*SubmissionSet](m) }

// DocumentEntries returns the DocumentEntries, in document order.
func (m *Metadata) DocumentEntries() []*DocumentEntry { return itemsOf[*DocumentEntry](m) }

// Folders returns the Folders, in document order.
func (m *Metadata) Folders() []*Folder { return itemsOf[*Folder](m) }

// Associations returns the Associations, in document order.
func (m *Metadata) Associations() []*Association { return itemsOf[*Association](m) }

func itemsOf[T Item](m *Metadata) []T {
	var out []T
	for _, it := range m.Items {
		if x, ok := it.(T); ok {
			out = append(out, x)
		}
	}
	return out
}

// Base holds the ebRIM attributes every XDS object has. An empty string
// stands for an absent attribute (see Extra.EmptyAttrs for the exception).
type Base struct {
	EntryUUID          string       // @id: a urn:uuid, or a symbolic id in a submission
	LogicalID          string       // @lid
	Home               string       // @home (homeCommunityId)
	ObjectType         string       // @objectType
	AvailabilityStatus string       // @status
	Title              Text         // rim:Name
	Comments           Text         // rim:Description
	Version            *VersionInfo // rim:VersionInfo (@versionName is the XDS version)
	Extra              Extra
}

// EntryID returns the entryUUID.
func (b *Base) EntryID() string { return b.EntryUUID }

// Extra is what an object carries beyond its typed attributes, and the
// order its parts were read in. Slots, Classifications and
// ExternalIdentifiers list every part in document order: the Lifted ones
// stand for typed fields (their content is in the typed field, they keep
// the position and the ebRIM details), the others are kept as read (extra
// metadata slots, unknown classifications, and parts the typed fields
// cannot hold, such as a second classCode). Objects built in Go leave Extra
// empty; Lower then writes every part in the IHE order.
type Extra struct {
	Slots               []Slot
	Classifications     []*Classification
	ExternalIdentifiers []*ExternalIdentifier
	IsOpaque            *bool        // ExtrinsicObject @isOpaque
	ContentVersionInfo  *VersionInfo // ExtrinsicObject rim:ContentVersionInfo
	// EmptyAttrs names the attributes read with an empty value
	// ("home", "lid", "objectType", "status", "mimeType") whose typed field,
	// being "", would otherwise mean "absent".
	EmptyAttrs []string
}

// Code is a coded attribute (classCode, typeCode, confidentialityCode, ...):
// a Classification whose nodeRepresentation is the code, whose codingScheme
// slot is the scheme and whose Name is the display name.
type Code struct {
	Code    string
	Scheme  string // codingScheme: an OID, or "ASTM"/"URN" in CI-SIS
	Display string
	// Class is the Classification the code was read from (its id, the
	// lang and charset of its Name, unknown slots...), nil for a code built
	// in Go. It belongs to the object it was read from: clear it when
	// moving the code to another object.
	Class *Classification
}

// IsZero reports whether the code is absent.
func (c Code) IsZero() bool {
	return c.Code == "" && c.Scheme == "" && c.Display == "" && c.Class == nil
}

// Author is an author Classification. Values are HL7 v2 fields as they
// appear in the slots (see runtime/hl7v2): XCN, XON, CWE, XTN.
type Author struct {
	Person       string   // authorPerson (XCN), 0..1
	Institutions []string // authorInstitution (XON)
	Roles        []string // authorRole (CWE in CI-SIS)
	Specialties  []string // authorSpecialty (CWE in CI-SIS)
	Telecoms     []string // authorTelecommunication (XTN)
	// Class is the Classification the author was read from, as for Code.
	Class *Classification
}

// DocumentEntry is an XDSDocumentEntry (rim:ExtrinsicObject). Values of
// the HL7 v2 typed slots are kept as written (see runtime/hl7v2 to parse and
// format them): times are DTM, patient ids CX, persons XCN.
type DocumentEntry struct {
	Base
	MimeType string // @mimeType

	CreationTime         string   // DTM
	ServiceStartTime     string   // DTM
	ServiceStopTime      string   // DTM
	Hash                 string   // SHA-1, 40 hex characters
	Size                 string   // decimal
	LanguageCode         string   // RFC 3066
	LegalAuthenticator   string   // XCN
	SourcePatientID      string   // CX
	SourcePatientInfo    []string // "PID-n|value"
	RepositoryUniqueID   string   // OID
	URI                  string
	ReferenceIDList      []string // CXi
	DocumentAvailability string

	Authors                    []Author
	ClassCode                  Code
	TypeCode                   Code
	FormatCode                 Code
	HealthcareFacilityTypeCode Code
	PracticeSettingCode        Code
	ConfidentialityCodes       []Code
	EventCodes                 []Code

	PatientID string // CX
	UniqueID  string
}

// SubmissionSet is an XDSSubmissionSet (rim:RegistryPackage classified by
// NodeSubmissionSet).
type SubmissionSet struct {
	Base
	SubmissionTime     string   // DTM
	IntendedRecipients []string // "XON|XCN|XTN"
	Authors            []Author
	ContentTypeCode    Code
	PatientID          string // CX
	SourceID           string // OID
	UniqueID           string // OID
}

// Folder is an XDSFolder (rim:RegistryPackage classified by NodeFolder).
type Folder struct {
	Base
	LastUpdateTime string // DTM
	Codes          []Code // codeList
	PatientID      string // CX
	UniqueID       string // OID
}

// Association is a rim:Association between XDS objects.
type Association struct {
	Base
	Type                   string // associationType
	Source                 string // sourceObject
	Target                 string // targetObject
	SubmissionSetStatus    string // "Original" or "Reference" (HasMember from a SubmissionSet)
	PreviousVersion        string // ITI-57 metadata update
	OriginalStatus         string // ITI-57 UpdateAvailabilityStatus
	NewStatus              string // ITI-57 UpdateAvailabilityStatus
	AssociationPropagation string // ITI-57: "yes" or "no"
	Documentation          Code   // associationDocumentation (not allowed on HasMember)
}

// ObjectRef is a rim:ObjectRef (ITI-18 ObjectRef results, references).
type ObjectRef struct {
	ID            string
	Home          *string
	CreateReplica *bool
	Slots         []Slot
}

// EntryID returns the id.
func (o *ObjectRef) EntryID() string { return o.ID }

// EntryID returns the id of a top-level Classification.
func (c *Classification) EntryID() string { return c.ID }

// EntryID returns the id of a top-level ExternalIdentifier.
func (e *ExternalIdentifier) EntryID() string { return e.ID }
