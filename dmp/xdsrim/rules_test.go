package xdsrim_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/dmp/xdsrim"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// base is a valid metadata set and the transaction it is valid for.
type base struct {
	name  string
	build func() *xds.Metadata
	tr    xds.Transaction
}

var (
	bSubmission = base{"ITI-41 submission", golden, xds.ITI41}
	bFolder     = base{"ITI-41 submission with a folder", goldenFolder, xds.ITI41}
	bResponse   = base{"ITI-18 response", goldenResponse, xds.ITI18}
	bStatus     = base{"ITI-57 availability status update", goldenUpdate, xds.ITI57}
	bUpdate     = base{"ITI-57 metadata update", goldenMetadataUpdate, xds.ITI57}
	bases       = []base{bSubmission, bFolder, bResponse, bStatus, bUpdate}
)

func options(tr xds.Transaction) xds.Options {
	return xds.Options{Transaction: tr, Profile: hl7v2.DMP, ValueSets: xdsrim.DMPValueSets()}
}

// mutation breaks one rule of a valid base: in the typed model (typed), in
// the ebRIM objects (raw, between Lower and Lift, as IPF's tests edit the
// ebXML), in the options, or in the documents of an ITI-41 request.
type mutation struct {
	code  xds.RuleCode
	base  base
	typed func(m *xds.Metadata)
	raw   func(objs []*xds.RegistryObject)
	opts  func(o *xds.Options)
	docs  func(docs []xds.Document) []xds.Document
	// also lists the codes the mutation may report besides code (its
	// consequences); any other code is a false positive.
	also []xds.RuleCode
	// where, when set, is the object and attribute the violation names.
	where string
	// resp, when set, breaks a valid registry response instead.
	resp func(r *xds.Response)
	// query and retrieve, when set, break a valid ITI-18 or ITI-43 request
	// instead (request_test.go).
	query    func(r *query.AdhocQueryRequest)
	retrieve func(r *xdsb.RetrieveDocumentSetRequestType)
}

func doc(m *xds.Metadata) *xds.DocumentEntry { return m.DocumentEntries()[0] }
func sig(m *xds.Metadata) *xds.DocumentEntry { return m.DocumentEntries()[1] }
func set(m *xds.Metadata) *xds.SubmissionSet { return m.SubmissionSets()[0] }
func fol(m *xds.Metadata) *xds.Folder        { return m.Folders()[0] }
func assoc(m *xds.Metadata, id string) *xds.Association {
	for _, a := range m.Associations() {
		if a.EntryUUID == id {
			return a
		}
	}
	panic("no association " + id)
}

func object(objs []*xds.RegistryObject, id string) *xds.RegistryObject {
	for _, o := range objs {
		if o.ID == id {
			return o
		}
	}
	panic("no object " + id)
}

func classification(o *xds.RegistryObject, scheme string) *xds.Classification {
	for _, c := range o.Classifications {
		if c.SchemeValue() == scheme {
			return c
		}
	}
	panic("no classification " + scheme)
}

func identifier(o *xds.RegistryObject, scheme string) *xds.ExternalIdentifier {
	for _, e := range o.ExternalIdentifiers {
		if e.Scheme == scheme {
			return e
		}
	}
	panic("no identifier " + scheme)
}

func slot(o *xds.RegistryObject, name string) *xds.Slot {
	for i := range o.Slots {
		if o.Slots[i].Name == name {
			return &o.Slots[i]
		}
	}
	panic("no slot " + name)
}

func addSlot(id string, s xds.Slot) func([]*xds.RegistryObject) {
	return func(objs []*xds.RegistryObject) {
		o := object(objs, id)
		o.Slots = append(o.Slots, s)
	}
}

func setCreationTime(v string) func(m *xds.Metadata) {
	return func(m *xds.Metadata) { doc(m).CreationTime = v }
}

func sourcePatientID(v string) func(m *xds.Metadata) {
	return func(m *xds.Metadata) { doc(m).SourcePatientID = v }
}

func legalAuthenticator(v string) func(m *xds.Metadata) {
	return func(m *xds.Metadata) { doc(m).LegalAuthenticator = v }
}

func referenceID(v string) func(m *xds.Metadata) {
	return func(m *xds.Metadata) { doc(m).ReferenceIDList = []string{v} }
}

func specialty(v string) func(m *xds.Metadata) {
	return func(m *xds.Metadata) { doc(m).Authors[0].Specialties = []string{v} }
}

func institution(v string) func(m *xds.Metadata) {
	return func(m *xds.Metadata) { doc(m).Authors[0].Institutions = []string{v} }
}

func telecom(v string) func(m *xds.Metadata) {
	return func(m *xds.Metadata) { doc(m).Authors[0].Telecoms = []string{v} }
}

var mutations = []mutation{
	{code: xds.CodeExactlyOneSubmissionSet, base: bSubmission, typed: func(m *xds.Metadata) {
		s := *set(m)
		s.EntryUUID = "SubmissionSet02"
		m.Items = append(m.Items, &s)
	}, also: []xds.RuleCode{xds.CodeUniqueIDNotUnique}},
	{code: xds.CodeUUIDNotUnique, base: bSubmission, typed: func(m *xds.Metadata) { assoc(m, "assoc3").EntryUUID = "assoc1" },
		also: []xds.RuleCode{xds.CodeDocEntryNotInSubmissionSet}}, // the checker indexes associations by id
	{code: xds.CodeUniqueIDMissing, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).UniqueID = "" }},
	{code: xds.CodeUniqueIDTooLong, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).UniqueID = long(129) }},
	{code: xds.CodeUniqueIDNotUnique, base: bSubmission, typed: func(m *xds.Metadata) { sig(m).UniqueID = doc(m).UniqueID }},
	{code: xds.CodeDocEntryPatientIDWrong, base: bSubmission, typed: func(m *xds.Metadata) {
		doc(m).PatientID = "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH"
	}},
	{code: xds.CodeFolderPatientIDWrong, base: bFolder, typed: func(m *xds.Metadata) {
		fol(m).PatientID = "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH"
	}},
	{code: xds.CodeSubmissionSetInvalidStatus, base: bSubmission, typed: func(m *xds.Metadata) { set(m).AvailabilityStatus = xds.StatusDeprecated }},
	{code: xds.CodeFolderInvalidStatus, base: bFolder, typed: func(m *xds.Metadata) { fol(m).AvailabilityStatus = xds.StatusDeprecated }},
	{code: xds.CodeDocEntryInvalidStatus, base: bResponse, typed: func(m *xds.Metadata) { doc(m).AvailabilityStatus = xds.StatusSubmitted },
		also: []xds.RuleCode{xds.CodeCodeNotInValueSet}}, // not in JDV_J52
	{code: xds.CodeInvalidAvailabilityStatus, base: bStatus, typed: func(m *xds.Metadata) {
		assoc(m, "association1").NewStatus = "urn:asip:ci-sis:2010:StatusType:Hidden"
	}},
	{code: xds.CodeInvalidTitleEncoding, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).Title[0].Charset = ptr("ISO-8859-1") }},
	{code: xds.CodeTitleTooLong, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).Title = xds.NewText(long(129)) }},
	{code: xds.CodeMissingFolderName, base: bFolder, typed: func(m *xds.Metadata) { fol(m).Title = nil }},
	{code: xds.CodeLimitedMetadataProhibited, base: bSubmission, raw: func(objs []*xds.RegistryObject) {
		o := object(objs, "Document01")
		o.Classifications = append(o.Classifications, &xds.Classification{Parts: xds.Parts{ID: "lm"},
			Scheme: ptr(xds.SchemeDocLimitedMetadata), ClassifiedObject: "Document01"})
	}},
	{code: xds.CodeWrongDocumentEntryType, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).ObjectType = xds.ObjectTypeOnDemand }},
	{code: xds.CodeMimeTypeMustBeSpecified, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).MimeType = "" }},
	{code: xds.CodeMimeTypeFormat, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).MimeType = "textxml" }},
	{code: xds.CodeMissingDocumentForDocEntry, base: bSubmission, docs: func(d []xds.Document) []xds.Document {
		return d[1:]
	}},
	{code: xds.CodeMissingDocEntryForDocument, base: bSubmission, docs: func(d []xds.Document) []xds.Document {
		d[0].ID = "documentME2" // as in the official TD2.1 capture
		return d
	}, also: []xds.RuleCode{xds.CodeMissingDocumentForDocEntry}},
	{code: xds.CodeIncorrectHash, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).Hash = strings.Repeat("ab", 20) }, docs: keep},
	{code: xds.CodeIncorrectSize, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).Size = "1" }, docs: keep},
	{code: xds.CodeLogicalIDSame, base: bSubmission, typed: func(m *xds.Metadata) {
		doc(m).LogicalID = "urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e"
		sig(m).LogicalID = "urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e"
	}},
	{code: xds.CodeLogicalIDMissing, base: bUpdate, typed: func(m *xds.Metadata) { doc(m).LogicalID = "" }},
	{code: xds.CodeLogicalIDEqualsEntryUUID, base: bUpdate, typed: func(m *xds.Metadata) { doc(m).LogicalID = doc(m).EntryUUID }},
	{code: xds.CodeMissingHasMemberAssociation, base: bUpdate, typed: func(m *xds.Metadata) {
		assoc(m, "association1").Source = "urn:uuid:0b7d36c5-2a4c-4a8e-9b6a-2f3b4c5d6e7f"
	}, also: []xds.RuleCode{xds.CodeDocEntryNotInSubmissionSet}},
	{code: xds.CodeMissingPreviousVersion, base: bUpdate, typed: func(m *xds.Metadata) { assoc(m, "association1").PreviousVersion = "" }},
	{code: xds.CodeInvalidPreviousVersion, base: bUpdate, typed: func(m *xds.Metadata) { assoc(m, "association1").PreviousVersion = "05" },
		where: "association1 PreviousVersion"},
	{code: xds.CodeInvalidAssociationType, base: bSubmission, typed: func(m *xds.Metadata) { assoc(m, "assoc3").Type = "urn:ihe:iti:2007:AssociationType:signed" }},
	{code: xds.CodeDocCodeNotAllowedOnHasMember, base: bSubmission, typed: func(m *xds.Metadata) {
		assoc(m, "assoc1").Documentation = xds.Code{Code: "docCode1", Scheme: "docScheme1", Display: "docCode1"}
	}},
	{code: xds.CodeSubmissionSetStatusMandatory, base: bSubmission, typed: func(m *xds.Metadata) { assoc(m, "assoc1").SubmissionSetStatus = "" }},
	{code: xds.CodeTooManySubmissionSetStates, base: bSubmission, raw: func(objs []*xds.RegistryObject) {
		s := slot(object(objs, "assoc1"), xds.SlotSubmissionSetStatus)
		s.Values = append(s.Values, "Reference")
	}},
	{code: xds.CodeInvalidSubmissionSetStatus, base: bSubmission, typed: func(m *xds.Metadata) { assoc(m, "assoc1").SubmissionSetStatus = "Copy" }},
	{code: xds.CodeMissingOriginal, base: bSubmission, typed: func(m *xds.Metadata) {
		assoc(m, "assoc1").Target = "urn:uuid:0b7d36c5-2a4c-4a8e-9b6a-2f3b4c5d6e7f"
	}, also: []xds.RuleCode{xds.CodeDocEntryNotInSubmissionSet}},
	{code: xds.CodeSourceUUIDNotFound, base: bSubmission, typed: func(m *xds.Metadata) {
		assoc(m, "assoc3").Source = "urn:uuid:0b7d36c5-2a4c-4a8e-9b6a-2f3b4c5d6e7f"
	}},
	{code: xds.CodeMissingSnapshotAssociation, base: bSubmission, typed: func(m *xds.Metadata) {
		m.Items = append(m.Items, &xds.Association{Base: xds.Base{EntryUUID: "snap"}, Type: xds.AssocIsSnapshotOf,
			Source: "SubmissionSet01", Target: "urn:uuid:0b7d36c5-2a4c-4a8e-9b6a-2f3b4c5d6e7f"})
	}},
	{code: xds.CodeMissingSubmissionSet, base: bStatus, typed: func(m *xds.Metadata) {
		assoc(m, "association1").Source = "urn:uuid:0b7d36c5-2a4c-4a8e-9b6a-2f3b4c5d6e7f"
	}},
	{code: xds.CodeMissingAssociation, base: bSubmission, typed: func(m *xds.Metadata) {
		m.Items = append(m.Items, &xds.Association{Base: xds.Base{EntryUUID: "submit"}, Type: xds.AssocSubmitAssociation,
			Source: "SubmissionSet01", Target: "urn:uuid:0b7d36c5-2a4c-4a8e-9b6a-2f3b4c5d6e7f"})
	}},
	{code: xds.CodeMissingOriginalStatus, base: bStatus, typed: func(m *xds.Metadata) { assoc(m, "association1").OriginalStatus = "" }},
	{code: xds.CodeMissingNewStatus, base: bStatus, typed: func(m *xds.Metadata) { assoc(m, "association1").NewStatus = "" }},
	{code: xds.CodeUnresolvedReference, base: bSubmission, typed: func(m *xds.Metadata) { assoc(m, "assoc3").Target = "SubmissionSet1" }},
	{code: xds.CodeWrongNumberOfClassifications, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).FormatCode = xds.Code{} }},
	{code: xds.CodeNoClassifiedObj, base: bSubmission, raw: func(objs []*xds.RegistryObject) {
		classification(object(objs, "Document01"), xds.SchemeDocClassCode).ClassifiedObject = ""
	}},
	{code: xds.CodeWrongClassifiedObj, base: bSubmission, raw: func(objs []*xds.RegistryObject) {
		classification(object(objs, "Document01"), xds.SchemeDocClassCode).ClassifiedObject = "Signature01"
	}},
	{code: xds.CodeNodeRepresentationMissing, base: bSubmission, raw: func(objs []*xds.RegistryObject) {
		classification(object(objs, "Document01"), xds.SchemeDocTypeCode).NodeRepresentation = nil
	}},
	{code: xds.CodeNodeRepresentationProhibited, base: bSubmission, raw: func(objs []*xds.RegistryObject) {
		classification(object(objs, "Document01"), xds.SchemeDocAuthor).NodeRepresentation = ptr("abcd")
	}},
	{code: xds.CodeNoClassificationNameObj, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).ClassCode.Display = "" },
		opts: func(o *xds.Options) { o.RequireDisplayNames = true }},
	{code: xds.CodeAuthorIncomplete, base: bSubmission, typed: func(m *xds.Metadata) {
		doc(m).Authors = append(doc(m).Authors, xds.Author{Specialties: []string{goldenSpecialty}})
	}},
	{code: xds.CodeMissingExternalIdentifier, base: bSubmission, typed: func(m *xds.Metadata) { set(m).SourceID = "" }},
	{code: xds.CodeMissingSlotName, base: bSubmission, raw: addSlot("Document01", xds.Slot{Values: []string{"x"}})},
	{code: xds.CodeDuplicateSlotName, base: bSubmission, raw: addSlot("Document01", xds.Slot{Name: xds.SlotCreationTime, Values: []string{"20210604"}})},
	{code: xds.CodeSlotValueTooLong, base: bSubmission, typed: func(m *xds.Metadata) {
		doc(m).SourcePatientInfo = append(doc(m).SourcePatientInfo, "PID-11|"+long(257))
	}},
	{code: xds.CodeWrongNumberOfSlotValues, base: bSubmission, raw: func(objs []*xds.RegistryObject) {
		s := slot(object(objs, "Document01"), xds.SlotCreationTime)
		s.Values = append(s.Values, "20210605")
	}, where: "Document01 creationTime"},
	{code: xds.CodeEmptySlotValue, base: bSubmission, raw: func(objs []*xds.RegistryObject) {
		slot(object(objs, "Document01"), xds.SlotLanguageCode).Values = []string{""}
	}},
	{code: xds.CodeInvalidUUID, base: bResponse, typed: func(m *xds.Metadata) { doc(m).EntryUUID = "Document01" }},
	{code: xds.CodeInvalidIdentifier, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).UniqueID = "1.2.3 4" }},
	{code: xds.CodeInvalidOID, base: bSubmission, typed: func(m *xds.Metadata) { set(m).SourceID = "lol" }},
	{code: xds.CodeOIDTooLong, base: bSubmission, typed: func(m *xds.Metadata) { set(m).SourceID = "1." + long(63) }},
	{code: xds.CodeInvalidHashCode, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).Hash = "lol" }},
	{code: xds.CodeInvalidLanguageCode, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).LanguageCode = "123lol" }},
	{code: xds.CodeInvalidNumberFormat, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).Size = "lol" }},
	{code: xds.CodeInvalidTime, base: bSubmission, typed: setCreationTime("2021-06-04")},
	{code: xds.CodeTimePrecisionTooLow, base: bFolder, typed: func(m *xds.Metadata) { fol(m).LastUpdateTime = "20210604" }},
	{code: xds.CodeTimeWrongChronology, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).ServiceStartTime = "20210605" }},
	{code: xds.CodeEmptyURI, base: bSubmission, raw: addSlot("Document01", xds.Slot{Name: xds.SlotURI, Values: []string{""}})},
	{code: xds.CodeInvalidURI, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).URI = ":no-scheme" }},
	{code: xds.CodeInvalidPID, base: bSubmission, typed: func(m *xds.Metadata) {
		doc(m).SourcePatientInfo = append(doc(m).SourcePatientInfo, "PID-lol|lol")
	}},
	{code: xds.CodeUnsupportedPID, base: bSubmission, typed: func(m *xds.Metadata) {
		doc(m).SourcePatientInfo = append(doc(m).SourcePatientInfo, "PID-2|lol")
	}, where: "Document01 sourcePatientInfo[4]"},
	{code: xds.CodeRecipientEmpty, base: bSubmission, typed: func(m *xds.Metadata) { set(m).IntendedRecipients = []string{""} }},
	{code: xds.CodeInvalidRecipient, base: bSubmission, typed: func(m *xds.Metadata) { set(m).IntendedRecipients = []string{"a|b|c|d"} }},
	{code: xds.CodeInvalidDocumentAvailability, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).DocumentAvailability = "Online" }},
	{code: code(hl7v2.CodeCXNeedsID), base: bSubmission, typed: sourcePatientID("^^^&1.2.250.1.999.1.1.7898.2&ISO^PI")},
	{code: code(hl7v2.CodeCXTooManyComponents), base: bSubmission, typed: sourcePatientID("rotfl^^^&1.2.3&ISO^^^^^^lol")},
	{code: code(hl7v2.CodeCXiNeedsIDTypeCode), base: bSubmission, typed: referenceID("123^^^&1.2.3&ISO")},
	{code: code(hl7v2.CodeCXiTooManyComponents), base: bSubmission, typed: referenceID("123^4^^&1.2.3&ISO^urn:ihe:iti:xds:2013:accession")},
	{code: code(hl7v2.CodeCXiIncompleteAssigningAuth), base: bSubmission, typed: referenceID("123^^^&1.2.3^urn:ihe:iti:xds:2013:accession")},
	{code: code(hl7v2.CodeHDMustNotHaveNamespaceID), base: bSubmission, typed: sourcePatientID("12^^^lol&1.2.3&ISO")},
	{code: code(hl7v2.CodeHDNeedsUniversalID), base: bSubmission, typed: sourcePatientID("12^^^&&ISO")},
	{code: code(hl7v2.CodeUniversalIDTypeMustBeISO), base: bSubmission, typed: sourcePatientID("12^^^&1.2.3&LOL")},
	{code: code(hl7v2.CodePersonMissingNameAndID), base: bSubmission, typed: legalAuthenticator("^^LIBRE")},
	{code: code(hl7v2.CodePersonHDMissing), base: bSubmission, typed: legalAuthenticator("899900063480^MAX^LIBRE")},
	{code: code(hl7v2.CodeOrganizationNameMissing), base: bSubmission, typed: institution("^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001")},
	{code: code(hl7v2.CodeOrganizationTooManyComponents), base: bSubmission, typed: institution("CABINET^L")},
	{code: code(hl7v2.CodeWrongTelecomUse), base: bSubmission, typed: telecom("^WPN^Internet^max.libre@example.org")},
	{code: code(hl7v2.CodeWrongTelecomType), base: bSubmission, typed: telecom("^PRN^FX^^33^1^23456789")},
	{code: code(hl7v2.CodeMissingTelecomParam), base: bSubmission, typed: telecom("^NET^Internet")},
	{code: code(hl7v2.CodeInconsistentTelecomParam), base: bSubmission, typed: telecom("^NET^Internet^max.libre@example.org^33^1^23456789")},
	{code: code(hl7v2.CodeCWENeedsIdentifier), base: bSubmission, typed: specialty("^Médecin^1.2.250.1.213.1.1.4.5")},
	{code: code(hl7v2.CodeCWENeedsText), base: bSubmission, typed: specialty("G15_10/SM26^^1.2.250.1.213.1.1.4.5")},
	{code: code(hl7v2.CodeCWENeedsCodingSystem), base: bSubmission, typed: specialty("G15_10/SM26^Médecin"),
		where: "Document01 author[1].authorSpecialty[1]"},
	{code: code(hl7v2.CodeTooManyComponents), base: bSubmission, typed: sourcePatientID("1^2^3^4^5^6^7^8^9^10^11")},
	{code: code(hl7v2.CodeTooManySubcomponents), base: bSubmission, typed: sourcePatientID("12^^^&1.2.3&ISO&x^PI")},
	{code: code(hl7v2.CodeInvalidEscape), base: bSubmission, typed: legalAuthenticator(`899900063480\Q\^MAX`)},
	{code: code(hl7v2.CodeUnescapedDelimiter), base: bSubmission, typed: legalAuthenticator("899900063480~1^MAX")},
	{code: xds.CodeInvalidStatusInResponse, base: bSubmission, resp: func(r *xds.Response) { r.Status = "Success" }},
	{code: xds.CodeInvalidErrorCodeInResponse, base: bSubmission, resp: func(r *xds.Response) { r.Errors[0].ErrorCode = "" }},
	{code: xds.CodeInvalidSeverityInResponse, base: bSubmission, resp: func(r *xds.Response) { r.Errors[0].Severity = "Error" },
		also: []xds.RuleCode{xds.CodeInvalidErrorInfoInResponse}},
	{code: xds.CodeInvalidErrorInfoInResponse, base: bSubmission, resp: func(r *xds.Response) { r.Errors = nil }},
	{code: xds.CodeEntryUUIDMissing, base: bSubmission, typed: func(m *xds.Metadata) { sig(m).EntryUUID = "" },
		also: []xds.RuleCode{xds.CodeDocEntryNotInSubmissionSet, xds.CodeUnresolvedReference, xds.CodeMissingOriginal,
			xds.CodeSourceUUIDNotFound, xds.CodeWrongClassifiedObj, xds.CodeWrongRegistryObject}},
	{code: xds.CodeUnknownSlotName, base: bSubmission, raw: addSlot("Document01", xds.Slot{Name: "authorSpeciality", Values: []string{"x"}})},
	{code: xds.CodeUnknownClassificationScheme, base: bSubmission, raw: func(objs []*xds.RegistryObject) {
		classification(object(objs, "SubmissionSet01"), xds.SchemeSetContentTypeCode).Scheme = ptr("urn:uuid:aa543740-bdda-424e-8c96- df4873be8500")
	}, also: []xds.RuleCode{xds.CodeWrongNumberOfClassifications}}, // IPF's sample: a space in the UUID
	{code: xds.CodeUnknownIdentificationScheme, base: bSubmission, raw: func(objs []*xds.RegistryObject) {
		identifier(object(objs, "Document01"), xds.IDSchemeDocPatientID).Scheme = "urn:uuid:58a6f841-87b3-4a3e-92fd- a8ffeff98427"
	}, also: []xds.RuleCode{xds.CodeMissingExternalIdentifier, xds.CodeDocEntryPatientIDWrong}},
	{code: xds.CodeDuplicateExternalIdentifier, base: bSubmission, raw: func(objs []*xds.RegistryObject) {
		o := object(objs, "Document01")
		e := *identifier(o, xds.IDSchemeDocPatientID)
		e.ID = "ei-dup"
		o.ExternalIdentifiers = append(o.ExternalIdentifiers, &e)
	}, also: []xds.RuleCode{xds.CodeDocEntryPatientIDWrong}},
	{code: xds.CodeWrongRegistryObject, base: bSubmission, raw: func(objs []*xds.RegistryObject) {
		identifier(object(objs, "SubmissionSet01"), xds.IDSchemeSetSourceID).RegistryObject = "" // as in TD3.3c
	}},
	{code: xds.CodeDocEntryNotInSubmissionSet, base: bSubmission, typed: func(m *xds.Metadata) { assoc(m, "assoc2").Source = "Document01" }},
	{code: xds.CodeFolderNotInSubmissionSet, base: bFolder, typed: func(m *xds.Metadata) { assoc(m, "assoc4").Source = "Document01" }},
	{code: xds.CodeReferenceTargetInSubmission, base: bSubmission, typed: func(m *xds.Metadata) {
		assoc(m, "assoc1").SubmissionSetStatus = xds.SubmissionSetStatusReference
	}},
	{code: xds.CodeCodeNotInValueSet, base: bSubmission, typed: func(m *xds.Metadata) { doc(m).TypeCode.Code = "27899-4" /* TD2.1's */ },
		where: "Document01 typeCode"},
}

func code(c hl7v2.Code) xds.RuleCode { return xds.RuleCode(c) }

func keep(d []xds.Document) []xds.Document { return d }

// run applies a mutation to a fresh base and validates the result.
func (mu *mutation) run(t *testing.T) xds.Violations {
	t.Helper()
	if mu.query != nil || mu.retrieve != nil {
		return mu.runRequest(t)
	}
	m := mu.base.build()
	if mu.typed != nil {
		mu.typed(m)
	}
	if mu.raw != nil {
		objs := m.Lower()
		mu.raw(objs)
		var err error
		if m, err = xds.Lift(objs); err != nil {
			t.Fatal(err)
		}
	}
	o := options(mu.base.tr)
	if mu.opts != nil {
		mu.opts(&o)
	}
	if mu.docs != nil {
		return xds.ValidateDocuments(m, mu.docs(goldenDocuments()))
	}
	if mu.resp != nil {
		r := xds.Response{Status: xds.ResponseFailure, Errors: []xds.RegistryError{{
			ErrorCode: "XDSRegistryError", CodeContext: "DMP indisponible", Severity: xds.SeverityError}}}
		if vs := xds.ValidateResponse(r); len(vs) > 0 {
			t.Fatalf("base response: %v", vs)
		}
		mu.resp(&r)
		return xds.ValidateResponse(r)
	}
	return xds.Validate(m, o)
}

// TestSameValueTwice checks that a bad value found in two objects is
// reported for each (Validate checks each distinct value once).
func TestSameValueTwice(t *testing.T) {
	m := golden()
	doc(m).LegalAuthenticator = "^^LIBRE"
	sig(m).LegalAuthenticator = "^^LIBRE"
	var where []string
	for _, v := range xds.Validate(m, options(xds.ITI41)) {
		if v.Code == code(hl7v2.CodePersonMissingNameAndID) {
			where = append(where, v.Object+" "+v.Attr)
		}
	}
	if want := []string{"Document01 legalAuthenticator", "Signature01 legalAuthenticator"}; !slices.Equal(where, want) {
		t.Fatalf("got %q, want %q", where, want)
	}
}

// TestBasesValid checks that every base the mutations start from is valid,
// through the ebRIM mapping and back, with the DMP value sets.
func TestBasesValid(t *testing.T) {
	for _, b := range bases {
		m := b.build()
		if vs := xds.Validate(m, options(b.tr)); len(vs) > 0 {
			t.Errorf("%s: %v", b.name, vs.Err())
		}
		back, err := xdsrim.Decode(xdsrim.Encode(m))
		if err != nil {
			t.Fatal(err)
		}
		if vs := xds.Validate(back, options(b.tr)); len(vs) > 0 {
			t.Errorf("%s after ebRIM round trip: %v", b.name, vs.Err())
		}
	}
	if vs := xds.ValidateDocuments(golden(), goldenDocuments()); len(vs) > 0 {
		t.Errorf("golden documents: %v", vs.Err())
	}
}

// TestMutations breaks one rule at a time and checks that Validate reports
// it with its code; every rule of xds.Rules must be covered.
func TestMutations(t *testing.T) {
	covered := make(map[xds.RuleCode]bool)
	for _, mu := range append(mutations[:len(mutations):len(mutations)], requestMutations...) {
		t.Run(string(mu.code), func(t *testing.T) {
			vs := mu.run(t)
			if !vs.Has(mu.code) {
				t.Fatalf("%s not reported; got %v", mu.code, vs)
			}
			for _, v := range vs {
				if v.Detail == "" {
					t.Errorf("%s without detail", v.Code)
				}
				if v.Code != mu.code && !slices.Contains(mu.also, v.Code) {
					t.Errorf("unexpected %s", v)
				}
				if v.Code == mu.code && mu.where != "" && v.Object+" "+v.Attr != mu.where {
					t.Errorf("%s names %q, want %q", v.Code, v.Object+" "+v.Attr, mu.where)
				}
			}
			covered[mu.code] = true
		})
	}
	var missing []string
	listed := make(map[xds.RuleCode]bool)
	for _, r := range xds.Rules() {
		listed[r.Code] = true
		if !covered[r.Code] {
			missing = append(missing, string(r.Code))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("rules without a mutation test: %s", strings.Join(missing, ", "))
	}
	for c := range covered {
		if !listed[c] {
			t.Errorf("%s is tested but not listed in xds.Rules", c)
		}
	}
	fmt.Printf("xds rules: %d rule codes covered by mutations of a valid golden submission (%d rules listed)\n",
		len(covered), len(xds.Rules()))
}
