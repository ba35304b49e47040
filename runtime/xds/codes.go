package xds

import "github.com/dmpgen/dmpgen/runtime/hl7v2"

// Rule codes. The names are Open eHealth IPF's ValidationMessage names
// where IPF has the rule; the others are marked dmpgen.
const (
	// Submission structure and objects (IPF ObjectContainerValidator).
	CodeExactlyOneSubmissionSet     RuleCode = "EXACTLY_ONE_SUBMISSION_SET_MUST_EXIST"
	CodeUUIDNotUnique               RuleCode = "UUID_NOT_UNIQUE"
	CodeUniqueIDMissing             RuleCode = "UNIQUE_ID_MISSING"
	CodeUniqueIDTooLong             RuleCode = "UNIQUE_ID_TOO_LONG"
	CodeUniqueIDNotUnique           RuleCode = "UNIQUE_ID_NOT_UNIQUE"
	CodeDocEntryPatientIDWrong      RuleCode = "DOC_ENTRY_PATIENT_ID_WRONG"
	CodeFolderPatientIDWrong        RuleCode = "FOLDER_PATIENT_ID_WRONG"
	CodeSubmissionSetInvalidStatus  RuleCode = "SUBMISSION_SET_INVALID_AVAILABILITY_STATUS"
	CodeFolderInvalidStatus         RuleCode = "FOLDER_INVALID_AVAILABILITY_STATUS"
	CodeDocEntryInvalidStatus       RuleCode = "DOC_ENTRY_INVALID_AVAILABILITY_STATUS"
	CodeInvalidAvailabilityStatus   RuleCode = "INVALID_AVAILABILITY_STATUS"
	CodeInvalidTitleEncoding        RuleCode = "INVALID_TITLE_ENCODING"
	CodeTitleTooLong                RuleCode = "TITLE_TOO_LONG"
	CodeMissingFolderName           RuleCode = "MISSING_FOLDER_NAME"
	CodeLimitedMetadataProhibited   RuleCode = "LIMITED_METADATA_PROHIBITED"
	CodeWrongDocumentEntryType      RuleCode = "WRONG_DOCUMENT_ENTRY_TYPE"
	CodeMimeTypeMustBeSpecified     RuleCode = "MIME_TYPE_MUST_BE_SPECIFIED"
	CodeMimeTypeFormat              RuleCode = "MIME_TYPE_FORMAT"
	CodeMissingDocumentForDocEntry  RuleCode = "MISSING_DOCUMENT_FOR_DOC_ENTRY"
	CodeMissingDocEntryForDocument  RuleCode = "MISSING_DOC_ENTRY_FOR_DOCUMENT"
	CodeLogicalIDSame               RuleCode = "LOGICAL_ID_SAME"
	CodeLogicalIDMissing            RuleCode = "LOGICAL_ID_MISSING"
	CodeLogicalIDEqualsEntryUUID    RuleCode = "LOGICAL_ID_EQUALS_ENTRY_UUID"
	CodeMissingHasMemberAssociation RuleCode = "MISSING_HAS_MEMBER_ASSOCIATION"
	CodeMissingPreviousVersion      RuleCode = "MISSING_PREVIOUS_VERSION"
	CodeInvalidPreviousVersion      RuleCode = "INVALID_PREVIOUS_VERSION" // dmpgen

	// Associations.
	CodeInvalidAssociationType       RuleCode = "INVALID_ASSOCIATION_TYPE"
	CodeDocCodeNotAllowedOnHasMember RuleCode = "DOC_CODE_NOT_ALLOWED_ON_HAS_MEMBER"
	CodeSubmissionSetStatusMandatory RuleCode = "SUBMISSION_SET_STATUS_MANDATORY"
	CodeTooManySubmissionSetStates   RuleCode = "TOO_MANY_SUBMISSION_SET_STATES"
	CodeInvalidSubmissionSetStatus   RuleCode = "INVALID_SUBMISSION_SET_STATUS"
	CodeMissingOriginal              RuleCode = "MISSING_ORIGINAL"
	CodeSourceUUIDNotFound           RuleCode = "SOURCE_UUID_NOT_FOUND"
	CodeMissingSnapshotAssociation   RuleCode = "MISSING_SNAPSHOT_ASSOCIATION"
	CodeMissingSubmissionSet         RuleCode = "MISSING_SUBMISSION_SET"
	CodeMissingAssociation           RuleCode = "MISSING_ASSOCIATION"
	CodeMissingOriginalStatus        RuleCode = "MISSING_ORIGINAL_STATUS"
	CodeMissingNewStatus             RuleCode = "MISSING_NEW_STATUS"
	CodeUnresolvedReference          RuleCode = "UNRESOLVED_REFERENCE"

	// Classifications and external identifiers.
	CodeWrongNumberOfClassifications RuleCode = "WRONG_NUMBER_OF_CLASSIFICATIONS"
	CodeNoClassifiedObj              RuleCode = "NO_CLASSIFIED_OBJ"
	CodeWrongClassifiedObj           RuleCode = "WRONG_CLASSIFIED_OBJ"
	CodeNodeRepresentationMissing    RuleCode = "NODE_REPRESENTATION_MISSING"
	CodeNodeRepresentationProhibited RuleCode = "NODE_REPRESENTATION_PROHIBITED"
	CodeNoClassificationNameObj      RuleCode = "NO_CLASSIFICATION_NAME_OBJ"
	CodeAuthorIncomplete             RuleCode = "AUTHOR_INCOMPLETE"
	CodeMissingExternalIdentifier    RuleCode = "MISSING_EXTERNAL_IDENTIFIER"

	// Slots.
	CodeMissingSlotName         RuleCode = "MISSING_SLOT_NAME"
	CodeDuplicateSlotName       RuleCode = "DUPLICATE_SLOT_NAME"
	CodeSlotValueTooLong        RuleCode = "SLOT_VALUE_TOO_LONG"
	CodeWrongNumberOfSlotValues RuleCode = "WRONG_NUMBER_OF_SLOT_VALUES"
	CodeEmptySlotValue          RuleCode = "EMPTY_SLOT_VALUE"

	// Datatypes checked here (the HL7 v2 ones come from runtime/hl7v2 with
	// their own codes, see Rules).
	CodeInvalidUUID                 RuleCode = "INVALID_UUID"
	CodeInvalidIdentifier           RuleCode = "INVALID_IDENTIFIER"
	CodeInvalidOID                  RuleCode = "INVALID_OID"
	CodeOIDTooLong                  RuleCode = "OID_TOO_LONG"
	CodeInvalidHashCode             RuleCode = "INVALID_HASH_CODE"
	CodeInvalidLanguageCode         RuleCode = "INVALID_LANGUAGE_CODE"
	CodeInvalidNumberFormat         RuleCode = "INVALID_NUMBER_FORMAT"
	CodeInvalidTime                 RuleCode = "INVALID_TIME"
	CodeTimePrecisionTooLow         RuleCode = "TIME_PRECISION_TOO_LOW"
	CodeTimeWrongChronology         RuleCode = "TIME_WRONG_CHRONOLOGY"
	CodeEmptyURI                    RuleCode = "EMPTY_URI"
	CodeInvalidURI                  RuleCode = "INVALID_URI"
	CodeInvalidPID                  RuleCode = "INVALID_PID"
	CodeUnsupportedPID              RuleCode = "UNSUPPORTED_PID"
	CodeRecipientEmpty              RuleCode = "RECIPIENT_EMPTY"
	CodeInvalidRecipient            RuleCode = "INVALID_RECIPIENT"
	CodeInvalidDocumentAvailability RuleCode = "INVALID_DOCUMENT_AVAILABILITY"

	// Registry responses (IPF RegistryResponseValidator).
	CodeInvalidStatusInResponse    RuleCode = "INVALID_STATUS_IN_RESPONSE"
	CodeInvalidErrorInfoInResponse RuleCode = "INVALID_ERROR_INFO_IN_RESPONSE"
	CodeInvalidErrorCodeInResponse RuleCode = "INVALID_ERROR_CODE_IN_RESPONSE"
	CodeInvalidSeverityInResponse  RuleCode = "INVALID_SEVERITY_IN_RESPONSE"

	// Documents attached to an ITI-41 request (IPF raises these on the
	// repository side).
	CodeIncorrectHash RuleCode = "INCORRECT_HASH"
	CodeIncorrectSize RuleCode = "INCORRECT_SIZE"

	// dmpgen: the checks IPF lacks (docs/xds.md#rule-codes).
	CodeEntryUUIDMissing            RuleCode = "ENTRY_UUID_MISSING"
	CodeUnknownSlotName             RuleCode = "UNKNOWN_SLOT_NAME"
	CodeUnknownClassificationScheme RuleCode = "UNKNOWN_CLASSIFICATION_SCHEME"
	CodeUnknownIdentificationScheme RuleCode = "UNKNOWN_IDENTIFICATION_SCHEME"
	CodeDuplicateExternalIdentifier RuleCode = "DUPLICATE_EXTERNAL_IDENTIFIER"
	CodeWrongRegistryObject         RuleCode = "WRONG_REGISTRY_OBJECT"
	CodeDocEntryNotInSubmissionSet  RuleCode = "DOC_ENTRY_NOT_IN_SUBMISSION_SET"
	CodeFolderNotInSubmissionSet    RuleCode = "FOLDER_NOT_IN_SUBMISSION_SET"
	CodeReferenceTargetInSubmission RuleCode = "REFERENCE_TARGET_IN_SUBMISSION"
	CodeCodeNotInValueSet           RuleCode = "CODE_NOT_IN_VALUE_SET"
	CodeInvalidOptions              RuleCode = "INVALID_OPTIONS"
	CodeInvalidValue                RuleCode = "INVALID_VALUE"

	// ITI-18 stored query requests (IPF AdhocQueryRequestValidator) and
	// ITI-43 retrieve requests (IPF RetrieveDocumentSetRequestValidator):
	// ValidateQuery, ValidateRetrieve.
	CodeUnknownQueryType                   RuleCode = "UNKNOWN_QUERY_TYPE"
	CodeUnknownReturnType                  RuleCode = "UNKNOWN_RETURN_TYPE"
	CodeWrongQuerySlotName                 RuleCode = "WRONG_QUERY_SLOT_NAME"
	CodeUnknownQueryParameter              RuleCode = "UNKNOWN_QUERY_PARAMETER" // dmpgen
	CodeMissingRequiredQueryParameter      RuleCode = "MISSING_REQUIRED_QUERY_PARAMETER"
	CodeQueryParametersCannotBeSetTogether RuleCode = "QUERY_PARAMETERS_CANNOT_BE_SET_TOGETHER"
	CodeTooManyValuesForQueryParameter     RuleCode = "TOO_MANY_VALUES_FOR_QUERY_PARAMETER"
	CodeParameterValueNotString            RuleCode = "PARAMETER_VALUE_NOT_STRING"
	CodeParameterValueNotStringList        RuleCode = "PARAMETER_VALUE_NOT_STRING_LIST"
	CodeEmptyReferenceList                 RuleCode = "EMPTY_REFERENCE_LIST"
	CodeInvalidQueryParameterValue         RuleCode = "INVALID_QUERY_PARAMETER_VALUE"
	CodeInvalidHomeCommunityID             RuleCode = "INVALID_HOME_COMMUNITY_ID" // dmpgen
	CodeNoDocumentRequest                  RuleCode = "NO_DOCUMENT_REQUEST"       // dmpgen
	CodeRepoIDMustBeSpecified              RuleCode = "REPO_ID_MUST_BE_SPECIFIED"
	CodeDocIDMustBeSpecified               RuleCode = "DOC_ID_MUST_BE_SPECIFIED"
	CodeDuplicateDocumentRequest           RuleCode = "DUPLICATE_DOCUMENT_REQUEST" // dmpgen
)

// Origin says where a rule comes from.
type Origin string

// Origins of the rules.
const (
	OriginIPF    Origin = "IPF"    // Open eHealth IPF ObjectContainerValidator and friends
	OriginHL7v2  Origin = "HL7v2"  // runtime/hl7v2 datatype rules (IPF's CX/XCN/XON/XTN validators)
	OriginNIST   Origin = "NIST"   // NIST XDS toolkit checks that IPF lacks
	OriginCISIS  Origin = "CI-SIS" // value sets of the CI-SIS / DMP
	OriginDMPGen Origin = "dmpgen" // completeness checks of this package
)

// Rule describes a rule of Validate or ValidateDocuments.
type Rule struct {
	Code    RuleCode
	Origin  Origin
	Summary string
}

// Rules returns the rules Validate, ValidateDocuments, ValidateResponse,
// ValidateQuery and ValidateRetrieve apply, with the HL7 v2 datatype codes
// they report through runtime/hl7v2 (a new slice). The request rules come
// last; they also report some metadata codes (MISSING_SLOT_NAME,
// DUPLICATE_SLOT_NAME, EMPTY_SLOT_VALUE, INVALID_UUID, INVALID_OID,
// OID_TOO_LONG, UNIQUE_ID_TOO_LONG, INVALID_IDENTIFIER, the CX codes).
func Rules() []Rule {
	return append(metadataRules(), requestRules()...)
}

func metadataRules() []Rule {
	return []Rule{
		{CodeExactlyOneSubmissionSet, OriginIPF, "a submission has exactly one SubmissionSet"},
		{CodeUUIDNotUnique, OriginIPF, "entryUUIDs (and classification and identifier ids) are unique in a submission"},
		{CodeUniqueIDMissing, OriginIPF, "DocumentEntry, SubmissionSet and Folder have a uniqueId"},
		{CodeUniqueIDTooLong, OriginIPF, "a uniqueId has at most 128 characters"},
		{CodeUniqueIDNotUnique, OriginIPF, "uniqueIds are unique in a submission"},
		{CodeDocEntryPatientIDWrong, OriginIPF, "every DocumentEntry has the SubmissionSet's patientId"},
		{CodeFolderPatientIDWrong, OriginIPF, "every Folder has the SubmissionSet's patientId"},
		{CodeSubmissionSetInvalidStatus, OriginIPF, "a SubmissionSet's status, when present (always in a query response), is Approved"},
		{CodeFolderInvalidStatus, OriginIPF, "a Folder's status, when present (always in a query response), is Approved"},
		{CodeDocEntryInvalidStatus, OriginIPF, "a DocumentEntry of a query response is Approved or Deprecated (DMP: also Archived, Deleted)"},
		{CodeInvalidAvailabilityStatus, OriginIPF, "UpdateAvailabilityStatus statuses are known availability statuses"},
		{CodeInvalidTitleEncoding, OriginIPF, "a DocumentEntry title's charset is UTF-8 (or UTF8)"},
		{CodeTitleTooLong, OriginIPF, "a DocumentEntry title has at most 128 characters"},
		{CodeMissingFolderName, OriginIPF, "a Folder has a title"},
		{CodeLimitedMetadataProhibited, OriginIPF, "limited metadata is only for XDR/XDM"},
		{CodeWrongDocumentEntryType, OriginIPF, "a DocumentEntry is stable (on-demand only in a query response)"},
		{CodeMimeTypeMustBeSpecified, OriginIPF, "a DocumentEntry has a mimeType"},
		{CodeMimeTypeFormat, OriginIPF, "a mimeType is type/subtype"},
		{CodeMissingDocumentForDocEntry, OriginIPF, "ITI-41: every DocumentEntry has its document"},
		{CodeMissingDocEntryForDocument, OriginIPF, "ITI-41: every document has its DocumentEntry"},
		{CodeLogicalIDSame, OriginIPF, "logical ids are unique among objects of a kind in a submission"},
		{CodeLogicalIDMissing, OriginIPF, "ITI-57: an updated object has a lid"},
		{CodeLogicalIDEqualsEntryUUID, OriginIPF, "ITI-57: an updated object's lid differs from its entryUUID"},
		{CodeMissingHasMemberAssociation, OriginIPF, "ITI-57: an updated object is a member of the SubmissionSet"},
		{CodeMissingPreviousVersion, OriginIPF, "ITI-57: the HasMember of an updated object has a PreviousVersion"},
		{CodeInvalidPreviousVersion, OriginDMPGen, "ITI-57: a PreviousVersion is a version number (a positive decimal integer)"},
		{CodeInvalidAssociationType, OriginIPF, "an association type is an IHE one"},
		{CodeDocCodeNotAllowedOnHasMember, OriginIPF, "a HasMember association has no associationDocumentation"},
		{CodeSubmissionSetStatusMandatory, OriginIPF, "a SubmissionSet-to-DocumentEntry HasMember has a SubmissionSetStatus"},
		{CodeTooManySubmissionSetStates, OriginIPF, "SubmissionSetStatus has one value"},
		{CodeInvalidSubmissionSetStatus, OriginIPF, "SubmissionSetStatus is Original or Reference"},
		{CodeMissingOriginal, OriginIPF, "an Original member is in the submission"},
		{CodeSourceUUIDNotFound, OriginIPF, "the source of a document relationship is a DocumentEntry of the submission"},
		{CodeMissingSnapshotAssociation, OriginIPF, "the source of IsSnapshotOf is a stable DocumentEntry of the submission"},
		{CodeMissingSubmissionSet, OriginIPF, "the source of UpdateAvailabilityStatus and SubmitAssociation is the SubmissionSet"},
		{CodeMissingAssociation, OriginIPF, "the target of SubmitAssociation is an association of the submission"},
		{CodeMissingOriginalStatus, OriginIPF, "UpdateAvailabilityStatus has an OriginalStatus"},
		{CodeMissingNewStatus, OriginIPF, "UpdateAvailabilityStatus has a NewStatus"},
		{CodeUnresolvedReference, OriginNIST, "a symbolic id an association uses names an object of the submission"},
		{CodeWrongNumberOfClassifications, OriginIPF, "each coded attribute occurs as often as IHE allows"},
		{CodeNoClassifiedObj, OriginIPF, "a classification has a classifiedObject"},
		{CodeWrongClassifiedObj, OriginIPF, "a classification classifies the object that holds it"},
		{CodeNodeRepresentationMissing, OriginIPF, "a coded classification has a nodeRepresentation (the code)"},
		{CodeNodeRepresentationProhibited, OriginIPF, "an author classification has an empty nodeRepresentation"},
		{CodeNoClassificationNameObj, OriginIPF, "a coded classification has a display name (Options.RequireDisplayNames)"},
		{CodeAuthorIncomplete, OriginIPF, "an author has an authorPerson, authorInstitution or authorTelecommunication"},
		{CodeMissingExternalIdentifier, OriginIPF, "patientId and sourceId are present"},
		{CodeMissingSlotName, OriginIPF, "a slot has a name"},
		{CodeDuplicateSlotName, OriginIPF, "slot names are unique in an object"},
		{CodeSlotValueTooLong, OriginIPF, "a slot value has at most 256 characters"},
		{CodeWrongNumberOfSlotValues, OriginIPF, "each slot has as many values as IHE allows (and the required ones are present)"},
		{CodeEmptySlotValue, OriginIPF, "a single-valued slot's value is not empty"},
		{CodeInvalidUUID, OriginIPF, "ids that must be UUIDs are urn:uuid URNs"},
		{CodeInvalidIdentifier, OriginIPF, "a DocumentEntry uniqueId is printable ASCII"},
		{CodeInvalidOID, OriginIPF, "OIDs are dotted decimal"},
		{CodeOIDTooLong, OriginIPF, "OIDs have at most 64 characters"},
		{CodeInvalidHashCode, OriginIPF, "hash is 40 hexadecimal characters (SHA-1)"},
		{CodeInvalidLanguageCode, OriginIPF, "languageCode is an RFC 3066 tag"},
		{CodeInvalidNumberFormat, OriginIPF, "size is a decimal number"},
		{CodeInvalidTime, OriginHL7v2, "times are YYYY[MM[DD[hh[mm[ss]]]]]"},
		{CodeTimePrecisionTooLow, OriginIPF, "a Folder's lastUpdateTime is given to the second"},
		{CodeTimeWrongChronology, OriginIPF, "serviceStartTime is not after serviceStopTime"},
		{CodeEmptyURI, OriginIPF, "the URI slot is not empty"},
		{CodeInvalidURI, OriginIPF, "the URI slot is a URI"},
		{CodeInvalidPID, OriginIPF, "sourcePatientInfo values are PID-n|value"},
		{CodeUnsupportedPID, OriginIPF, "sourcePatientInfo has no PID-2, PID-4, PID-12, PID-19 or PID field above 39"},
		{CodeRecipientEmpty, OriginIPF, "an intendedRecipient value is not empty"},
		{CodeInvalidRecipient, OriginIPF, "an intendedRecipient is XON|XCN|XTN"},
		{CodeInvalidDocumentAvailability, OriginIPF, "documentAvailability is Online or Offline"},
		{CodeInvalidStatusInResponse, OriginIPF, "a response status is Success, PartialSuccess or Failure"},
		{CodeInvalidErrorInfoInResponse, OriginDMPGen, "Failure and PartialSuccess carry an Error, Success none"},
		{CodeInvalidErrorCodeInResponse, OriginIPF, "a RegistryError has an errorCode"},
		{CodeInvalidSeverityInResponse, OriginIPF, "a RegistryError severity is Error or Warning"},
		{CodeIncorrectHash, OriginIPF, "ITI-41: hash, when given, is the document's SHA-1"},
		{CodeIncorrectSize, OriginIPF, "ITI-41: size, when given, is the document's size"},
		{RuleCode(hl7v2.CodeCXNeedsID), OriginHL7v2, "a CX has an id (CX.1)"},
		{RuleCode(hl7v2.CodeCXTooManyComponents), OriginHL7v2, "a CX has only the components IHE allows"},
		{RuleCode(hl7v2.CodeCXiNeedsIDTypeCode), OriginHL7v2, "a referenceIdList value has an identifier type (CX.5)"},
		{RuleCode(hl7v2.CodeHDMustNotHaveNamespaceID), OriginHL7v2, "an assigning authority has no namespace id"},
		{RuleCode(hl7v2.CodeHDNeedsUniversalID), OriginHL7v2, "an assigning authority has an OID"},
		{RuleCode(hl7v2.CodeUniversalIDTypeMustBeISO), OriginHL7v2, "an assigning authority's universal id type is ISO"},
		{RuleCode(hl7v2.CodePersonMissingNameAndID), OriginHL7v2, "a person (XCN) has an id or a family name"},
		{RuleCode(hl7v2.CodeOrganizationNameMissing), OriginHL7v2, "an organization (XON) has a name"},
		{RuleCode(hl7v2.CodeOrganizationTooManyComponents), OriginHL7v2, "an organization has only XON.1, 3, 6, 10 (DMP: and 7)"},
		{RuleCode(hl7v2.CodeWrongTelecomType), OriginHL7v2, "a telecom (XTN) is Internet, PH or CP"},
		{RuleCode(hl7v2.CodeMissingTelecomParam), OriginHL7v2, "an Internet telecom has an e-mail address"},
		{RuleCode(hl7v2.CodeCWENeedsCodingSystem), OriginHL7v2, "DMP: an authorSpecialty/authorRole has a coding scheme"},
		{RuleCode(hl7v2.CodeTooManyComponents), OriginHL7v2, "an HL7 v2 value has no more components than its datatype"},
		{RuleCode(hl7v2.CodeTooManySubcomponents), OriginHL7v2, "an HL7 v2 component has no more subcomponents than its datatype"},
		{RuleCode(hl7v2.CodeInvalidEscape), OriginHL7v2, "HL7 v2 escapes are \\F\\ \\S\\ \\T\\ \\R\\ \\E\\"},
		{RuleCode(hl7v2.CodeUnescapedDelimiter), OriginHL7v2, "an HL7 v2 value has no raw field or repetition separator"},
		{RuleCode(hl7v2.CodeCXiTooManyComponents), OriginHL7v2, "a referenceIdList value has only CX.1, 4, 5, 6"},
		{RuleCode(hl7v2.CodeCXiIncompleteAssigningAuth), OriginHL7v2, "a referenceIdList assigning authority with an OID has its type"},
		{RuleCode(hl7v2.CodePersonHDMissing), OriginHL7v2, "a person with an id has its assigning authority (XCN.9)"},
		{RuleCode(hl7v2.CodeWrongTelecomUse), OriginHL7v2, "an Internet telecom has use NET"},
		{RuleCode(hl7v2.CodeInconsistentTelecomParam), OriginHL7v2, "a telecom has the parts its type needs and no others"},
		{RuleCode(hl7v2.CodeCWENeedsIdentifier), OriginHL7v2, "an authorSpecialty/authorRole has a code"},
		{RuleCode(hl7v2.CodeCWENeedsText), OriginHL7v2, "DMP: an authorSpecialty/authorRole has a display name"},
		{CodeEntryUUIDMissing, OriginDMPGen, "every object has an entryUUID"},
		{CodeUnknownSlotName, OriginNIST, "a slot name is an IHE one or extra metadata (urn:, not urn:ihe:)"},
		{CodeUnknownClassificationScheme, OriginNIST, "a classification scheme is one IHE defines for the object"},
		{CodeUnknownIdentificationScheme, OriginNIST, "an identification scheme is one IHE defines for the object"},
		{CodeDuplicateExternalIdentifier, OriginDMPGen, "patientId, sourceId and uniqueId occur once"},
		{CodeWrongRegistryObject, OriginDMPGen, "an external identifier's registryObject is the object that holds it"},
		{CodeDocEntryNotInSubmissionSet, OriginNIST, "every DocumentEntry is a HasMember of the SubmissionSet"},
		{CodeFolderNotInSubmissionSet, OriginNIST, "every Folder is a HasMember of the SubmissionSet"},
		{CodeReferenceTargetInSubmission, OriginNIST, "the target of a Reference HasMember is not in the submission"},
		{CodeCodeNotInValueSet, OriginCISIS, "coded attributes are in their CI-SIS/DMP value set"},
	}
}
