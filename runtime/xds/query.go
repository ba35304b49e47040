package xds

import (
	"strings"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
)

// Stored query ids (IHE ITI TF-2a 3.18.4.1.2.3.7).
const (
	QueryFindDocuments               = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"
	QueryFindSubmissionSets          = "urn:uuid:f26abbcb-ac74-4422-8a30-edb644bbc1a9"
	QueryFindFolders                 = "urn:uuid:958f3006-baad-4929-a4de-ff1114824431"
	QueryGetAll                      = "urn:uuid:10b545ea-725c-446d-9b95-8aeb444eddf3"
	QueryGetDocuments                = "urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4"
	QueryGetFolders                  = "urn:uuid:5737b14c-8a1a-4539-b659-e03a34a5e1e4"
	QueryGetAssociations             = "urn:uuid:a7ae438b-4bc2-4642-93e9-be891f7bb155"
	QueryGetDocumentsAndAssociations = "urn:uuid:bab9529a-4a10-40b3-a01f-f68a615d247a"
	QueryGetSubmissionSets           = "urn:uuid:51224314-5390-4169-9b91-b1980040715a"
	QueryGetSubmissionSetAndContents = "urn:uuid:e8e3cb2c-e39c-46b9-99e4-c12f57260b83"
	QueryGetFolderAndContents        = "urn:uuid:b909a503-523d-4517-8acf-8e5834dfc4c7"
	QueryGetFoldersForDocument       = "urn:uuid:10cae35a-c7f9-4cf5-b61e-fc3278ffb578"
	QueryGetRelatedDocuments         = "urn:uuid:d90e5407-b356-4d91-a89f-873917b4b0e6"
)

// Return types of a stored query (ebRS query:ResponseOption/@returnType as
// ITI-18 allows it).
const (
	ReturnLeafClass = "LeafClass"
	ReturnObjectRef = "ObjectRef"
)

// Query is an ITI-18 Registry Stored Query request (query:AdhocQueryRequest)
// as the request rules see it: dmp/xdsrim.Query builds it from the
// generated bindings.
type Query struct {
	// ID is AdhocQuery/@id, the stored query id.
	ID string
	// ReturnType is ResponseOption/@returnType, "" when absent.
	ReturnType string
	// Params are the AdhocQuery slots, in document order.
	Params []QueryParam
}

// QueryParam is one AdhocQuery slot: its name ("$XDSDocumentEntryPatientId")
// and its Value elements, as written ("'a'", "('a','b')", "20240101").
type QueryParam struct {
	Name   string
	Values []string
}

// Param returns the values of the first parameter of that name and whether
// it is present.
func (q Query) Param(name string) ([]string, bool) {
	for _, p := range q.Params {
		if p.Name == name {
			return p.Values, true
		}
	}
	return nil, false
}

// paramKind is the value syntax of a stored query parameter (ITI TF-2a
// 3.18.4.1.2.3.5): numbers (times, $MetadataLevel) are unquoted, strings
// are quoted, multi-valued parameters are parenthesized lists of strings.
type paramKind uint8

const (
	kindPatient     paramKind = iota + 1 // 'CX'
	kindTime                             // DTM, unquoted
	kindLevel                            // $MetadataLevel: 1 or 2, unquoted
	kindString                           // 'string'
	kindUUID                             // 'urn:uuid:…'
	kindHome                             // 'urn:oid:…'
	kindStatuses                         // ('status URN', …)
	kindCodes                            // ('code^^codingScheme', …)
	kindUUIDs                            // ('urn:uuid:…', …)
	kindStrings                          // ('string', …)
	kindObjectTypes                      // ('urn:uuid:…' of a DocumentEntry type, …)
	kindAssocTypes                       // ('association type URN', …)
)

// single reports whether a parameter of the kind takes one value.
func (k paramKind) single() bool { return k <= kindHome }

type paramSpec struct {
	name     string
	kind     paramKind
	required bool
	// andOr: the parameter may be given in several slots, ANDed (ITI TF-2a
	// 3.18.4.1.2.3.6: eventCodeList, confidentialityCode, the folder
	// codeList); the values of one slot are ORed.
	andOr bool
}

// querySpec is the parameter table of a stored query (ITI TF-2a
// 3.18.4.1.2.3.7.x). oneOf lists the groups of which exactly one
// parameter is given ("either $XDSDocumentEntryEntryUUID or
// $XDSDocumentEntryUniqueId").
type querySpec struct {
	name   string
	params []paramSpec
	oneOf  [][]string
}

// Parameters several stored queries share.
var (
	paramHome          = paramSpec{"$homeCommunityId", kindHome, false, false}
	paramMetadataLevel = paramSpec{"$MetadataLevel", kindLevel, false, false}
	paramDocType       = paramSpec{"$XDSDocumentEntryType", kindObjectTypes, false, false}
	paramDocFormat     = paramSpec{"$XDSDocumentEntryFormatCode", kindCodes, false, false}
	paramDocConf       = paramSpec{"$XDSDocumentEntryConfidentialityCode", kindCodes, false, true}
)

// storedQueries returns the parameter tables of the stored queries, by id.
func storedQueries() map[string]querySpec {
	// docByID are the parameters naming DocumentEntries: lists, or single
	// values when one entry is named.
	docByID := func(list bool) []paramSpec {
		if list {
			return []paramSpec{{"$XDSDocumentEntryEntryUUID", kindUUIDs, false, false}, {"$XDSDocumentEntryUniqueId", kindStrings, false, false}}
		}
		return []paramSpec{{"$XDSDocumentEntryEntryUUID", kindUUID, false, false}, {"$XDSDocumentEntryUniqueId", kindString, false, false}}
	}
	uuidOrUID := [][]string{{"$XDSDocumentEntryEntryUUID", "$XDSDocumentEntryUniqueId"}}
	return map[string]querySpec{
		QueryFindDocuments: {name: "FindDocuments", params: []paramSpec{
			{"$XDSDocumentEntryPatientId", kindPatient, true, false},
			{"$XDSDocumentEntryClassCode", kindCodes, false, false},
			{"$XDSDocumentEntryTypeCode", kindCodes, false, false},
			{"$XDSDocumentEntryPracticeSettingCode", kindCodes, false, false},
			{"$XDSDocumentEntryCreationTimeFrom", kindTime, false, false},
			{"$XDSDocumentEntryCreationTimeTo", kindTime, false, false},
			{"$XDSDocumentEntryServiceStartTimeFrom", kindTime, false, false},
			{"$XDSDocumentEntryServiceStartTimeTo", kindTime, false, false},
			{"$XDSDocumentEntryServiceStopTimeFrom", kindTime, false, false},
			{"$XDSDocumentEntryServiceStopTimeTo", kindTime, false, false},
			{"$XDSDocumentEntryHealthcareFacilityTypeCode", kindCodes, false, false},
			{"$XDSDocumentEntryEventCodeList", kindCodes, false, true},
			paramDocConf,
			{"$XDSDocumentEntryAuthorPerson", kindStrings, false, false},
			paramDocFormat,
			{"$XDSDocumentEntryStatus", kindStatuses, true, false},
			paramDocType,
			paramMetadataLevel,
		}},
		QueryFindSubmissionSets: {name: "FindSubmissionSets", params: []paramSpec{
			{"$XDSSubmissionSetPatientId", kindPatient, true, false},
			{"$XDSSubmissionSetSourceId", kindStrings, false, false},
			{"$XDSSubmissionSetSubmissionTimeFrom", kindTime, false, false},
			{"$XDSSubmissionSetSubmissionTimeTo", kindTime, false, false},
			{"$XDSSubmissionSetAuthorPerson", kindString, false, false},
			{"$XDSSubmissionSetContentType", kindCodes, false, false},
			{"$XDSSubmissionSetStatus", kindStatuses, true, false},
			paramMetadataLevel,
		}},
		QueryFindFolders: {name: "FindFolders", params: []paramSpec{
			{"$XDSFolderPatientId", kindPatient, true, false},
			{"$XDSFolderLastUpdateTimeFrom", kindTime, false, false},
			{"$XDSFolderLastUpdateTimeTo", kindTime, false, false},
			{"$XDSFolderCodeList", kindCodes, false, true},
			{"$XDSFolderStatus", kindStatuses, true, false},
			paramMetadataLevel,
		}},
		QueryGetAll: {name: "GetAll", params: []paramSpec{
			{"$patientId", kindPatient, true, false},
			{"$XDSDocumentEntryStatus", kindStatuses, true, false},
			{"$XDSSubmissionSetStatus", kindStatuses, true, false},
			{"$XDSFolderStatus", kindStatuses, true, false},
			paramDocFormat, paramDocConf, paramDocType, paramMetadataLevel,
		}},
		QueryGetDocuments: {name: "GetDocuments", params: append(docByID(true),
			paramSpec{"$XDSDocumentEntryLogicalID", kindUUIDs, false, false}, paramHome, paramMetadataLevel),
			oneOf: [][]string{{"$XDSDocumentEntryEntryUUID", "$XDSDocumentEntryUniqueId", "$XDSDocumentEntryLogicalID"}}},
		QueryGetFolders: {name: "GetFolders", params: []paramSpec{
			{"$XDSFolderEntryUUID", kindUUIDs, false, false}, {"$XDSFolderUniqueId", kindStrings, false, false},
			{"$XDSFolderLogicalID", kindUUIDs, false, false}, paramHome, paramMetadataLevel},
			oneOf: [][]string{{"$XDSFolderEntryUUID", "$XDSFolderUniqueId", "$XDSFolderLogicalID"}}},
		QueryGetAssociations: {name: "GetAssociations", params: []paramSpec{
			{"$uuid", kindUUIDs, true, false}, paramHome, paramMetadataLevel}},
		QueryGetDocumentsAndAssociations: {name: "GetDocumentsAndAssociations",
			params: append(docByID(true), paramHome, paramMetadataLevel), oneOf: uuidOrUID},
		QueryGetSubmissionSets: {name: "GetSubmissionSets", params: []paramSpec{
			{"$uuid", kindUUIDs, true, false}, paramHome, paramMetadataLevel}},
		QueryGetSubmissionSetAndContents: {name: "GetSubmissionSetAndContents", params: []paramSpec{
			{"$XDSSubmissionSetEntryUUID", kindUUID, false, false}, {"$XDSSubmissionSetUniqueId", kindString, false, false},
			paramDocFormat, paramDocConf, paramDocType, paramHome, paramMetadataLevel},
			oneOf: [][]string{{"$XDSSubmissionSetEntryUUID", "$XDSSubmissionSetUniqueId"}}},
		QueryGetFolderAndContents: {name: "GetFolderAndContents", params: []paramSpec{
			{"$XDSFolderEntryUUID", kindUUID, false, false}, {"$XDSFolderUniqueId", kindString, false, false},
			paramDocFormat, paramDocConf, paramDocType, paramHome, paramMetadataLevel},
			oneOf: [][]string{{"$XDSFolderEntryUUID", "$XDSFolderUniqueId"}}},
		QueryGetFoldersForDocument: {name: "GetFoldersForDocument",
			params: append(docByID(false), paramHome, paramMetadataLevel), oneOf: uuidOrUID},
		QueryGetRelatedDocuments: {name: "GetRelatedDocuments",
			params: append(docByID(false), paramSpec{"$AssociationTypes", kindAssocTypes, true, false}, paramDocType, paramHome, paramMetadataLevel),
			oneOf:  uuidOrUID},
	}
}

// StoredQueryName returns the name of a stored query id ("FindDocuments"),
// "" for an id ITI-18 does not define.
func StoredQueryName(id string) string { return storedQueries()[strings.ToLower(id)].name }

// QueryOptions configure ValidateQuery.
type QueryOptions struct {
	// Profile selects the HL7 v2 rules of patient ids and the statuses
	// accepted (hl7v2.DMP adds Archived and Deleted).
	Profile hl7v2.Profile
}
