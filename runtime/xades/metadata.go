package xades

// Code is a coded XDS metadata value (Classification nodeRepresentation,
// codingScheme slot, display name).
type Code struct {
	Code        string
	Scheme      string
	DisplayName string
}

// Metadata is the XDS metadata of the signature document, as the TD2.1
// example registers it ("Signature01"). The values of the other coded
// attributes (confidentialityCode, healthcareFacilityTypeCode,
// practiceSettingCode, author, patientId) are those of the submission and
// are the XDS layer's to fill.
type Metadata struct {
	MimeType     string
	LanguageCode string
	ClassCode    Code
	TypeCode     Code
	FormatCode   Code
	EventCodes   []Code
	// SignsAssociationType links the signature DocumentEntry (sourceObject)
	// to the SubmissionSet it signs (targetObject); the signature entry is
	// also a HasMember of the SubmissionSet, like any document.
	SignsAssociationType string
}

// SignatureMetadata returns the XDS metadata values of a DSG signature
// document (the official TD2.1 example, IHE DSG).
func SignatureMetadata() Metadata {
	return Metadata{
		MimeType:             "text/xml",
		LanguageCode:         "art",
		ClassCode:            Code{Code: "urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1", Scheme: "URN", DisplayName: "Digital Signature"},
		TypeCode:             Code{Code: "E1762", Scheme: "ASTM", DisplayName: "Full Document"},
		FormatCode:           Code{Code: "http://www.w3.org/2000/09/xmldsig#", Scheme: "URN", DisplayName: "Default Signature Style"},
		EventCodes:           []Code{{Code: PurposeSource, Scheme: "1.2.840.10065.1.12", DisplayName: "Source"}},
		SignsAssociationType: "urn:ihe:iti:2007:AssociationType:signs",
	}
}
