package xds

// The IHE XDS vocabulary (IHE ITI TF-3 §4.2.5, Table 4.2.5-1) and the DMP
// additions, in one table: every UUID, slot name and status the model and the
// rules use is named here.

// Object types and classification nodes.
const (
	// ObjectTypeStable is the objectType of a stable DocumentEntry.
	ObjectTypeStable = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1"
	// ObjectTypeOnDemand is the objectType of an on-demand DocumentEntry.
	ObjectTypeOnDemand = "urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248"
	// NodeSubmissionSet classifies a RegistryPackage as a SubmissionSet.
	NodeSubmissionSet = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd"
	// NodeFolder classifies a RegistryPackage as a Folder.
	NodeFolder = "urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2"
	// ObjectTypeAssociation is the ebRIM objectType of an Association, as
	// the DMP ITI-57 messages write it.
	ObjectTypeAssociation = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association"
)

// Classification schemes of the DocumentEntry.
const (
	SchemeDocAuthor                     = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d"
	SchemeDocClassCode                  = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a"
	SchemeDocConfidentialityCode        = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f"
	SchemeDocEventCode                  = "urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4"
	SchemeDocFormatCode                 = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d"
	SchemeDocHealthcareFacilityTypeCode = "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1"
	SchemeDocPracticeSettingCode        = "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead"
	SchemeDocTypeCode                   = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
	SchemeDocLimitedMetadata            = "urn:uuid:ab9b591b-83ab-4d03-8f5d-f93b1fb92e85"
)

// Classification schemes of the SubmissionSet, the Folder and the Association.
const (
	SchemeSetAuthor           = "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d"
	SchemeSetContentTypeCode  = "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500"
	SchemeSetLimitedMetadata  = "urn:uuid:5003a9db-8d8d-49e6-bf0c-990e34ac7707"
	SchemeFolderCodeList      = "urn:uuid:1ba97051-7806-41a8-a48b-8fce7af683c5"
	SchemeFolderLimited       = "urn:uuid:2c144a76-29a9-4b7c-af54-b25409fe7d03"
	SchemeAssociationDocument = "urn:uuid:abd807a3-4432-4053-87b4-fd82c643d1f3"
)

// External identifier schemes.
const (
	IDSchemeDocPatientID    = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"
	IDSchemeDocUniqueID     = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
	IDSchemeSetPatientID    = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446"
	IDSchemeSetSourceID     = "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832"
	IDSchemeSetUniqueID     = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8"
	IDSchemeFolderPatientID = "urn:uuid:f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a"
	IDSchemeFolderUniqueID  = "urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a"
)

// Slot names.
const (
	SlotCreationTime           = "creationTime"
	SlotServiceStartTime       = "serviceStartTime"
	SlotServiceStopTime        = "serviceStopTime"
	SlotHash                   = "hash"
	SlotSize                   = "size"
	SlotLanguageCode           = "languageCode"
	SlotLegalAuthenticator     = "legalAuthenticator"
	SlotSourcePatientID        = "sourcePatientId"
	SlotSourcePatientInfo      = "sourcePatientInfo"
	SlotRepositoryUniqueID     = "repositoryUniqueId"
	SlotURI                    = "URI"
	SlotReferenceIDList        = "urn:ihe:iti:xds:2013:referenceIdList"
	SlotDocumentAvailability   = "documentAvailability"
	SlotSubmissionTime         = "submissionTime"
	SlotIntendedRecipient      = "intendedRecipient"
	SlotLastUpdateTime         = "lastUpdateTime"
	SlotCodingScheme           = "codingScheme"
	SlotAuthorPerson           = "authorPerson"
	SlotAuthorInstitution      = "authorInstitution"
	SlotAuthorRole             = "authorRole"
	SlotAuthorSpecialty        = "authorSpecialty"
	SlotAuthorTelecom          = "authorTelecommunication"
	SlotSubmissionSetStatus    = "SubmissionSetStatus"
	SlotPreviousVersion        = "PreviousVersion"
	SlotOriginalStatus         = "OriginalStatus"
	SlotNewStatus              = "NewStatus"
	SlotAssociationPropagation = "AssociationPropagation"
)

// Association types.
const (
	AssocHasMember                = "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember"
	AssocReplace                  = "urn:ihe:iti:2007:AssociationType:RPLC"
	AssocTransform                = "urn:ihe:iti:2007:AssociationType:XFRM"
	AssocAppend                   = "urn:ihe:iti:2007:AssociationType:APND"
	AssocTransformReplace         = "urn:ihe:iti:2007:AssociationType:XFRM_RPLC"
	AssocSigns                    = "urn:ihe:iti:2007:AssociationType:signs"
	AssocIsSnapshotOf             = "urn:ihe:iti:2010:AssociationType:IsSnapshotOf"
	AssocUpdateAvailabilityStatus = "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus"
	AssocSubmitAssociation        = "urn:ihe:iti:2010:AssociationType:SubmitAssociation"
)

// SubmissionSetStatus values of a HasMember association.
const (
	SubmissionSetStatusOriginal  = "Original"
	SubmissionSetStatusReference = "Reference"
)

// Availability statuses: the ebRS ones and the two the DMP adds (JDV_J52).
const (
	StatusApproved   = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"
	StatusDeprecated = "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated"
	StatusSubmitted  = "urn:oasis:names:tc:ebxml-regrep:StatusType:Submitted"
	StatusArchived   = "urn:asip:ci-sis:2010:StatusType:Archived"
	StatusDeleted    = "urn:asip:ci-sis:2010:StatusType:Deleted"
)

// Document availability values (documentAvailability slot).
const (
	AvailabilityOnline  = "urn:ihe:iti:2010:DocumentAvailability:Online"
	AvailabilityOffline = "urn:ihe:iti:2010:DocumentAvailability:Offline"
)

// Names of the patientId, sourceId and uniqueId external identifiers
// (their LocalizedString value).
const (
	NameDocPatientID    = "XDSDocumentEntry.patientId"
	NameDocUniqueID     = "XDSDocumentEntry.uniqueId"
	NameSetPatientID    = "XDSSubmissionSet.patientId"
	NameSetSourceID     = "XDSSubmissionSet.sourceId"
	NameSetUniqueID     = "XDSSubmissionSet.uniqueId"
	NameFolderPatientID = "XDSFolder.patientId"
	NameFolderUniqueID  = "XDSFolder.uniqueId"
)
