package xds

// The typed fields of each object, by slot name, classification scheme and
// identification scheme: the single table Lift, Lower and the rules share.

type slotRef struct {
	name string
	one  *string   // single-valued slot
	many *[]string // multi-valued slot
}

type codeRef struct {
	attr   string // attribute name, as in Violation.Attr
	scheme string
	one    *Code
	many   *[]Code
}

type idRef struct {
	attr   string
	scheme string
	name   string // LocalizedString of the identifier's Name
	value  *string
}

// typedObject is what Lift, Lower and the rules need from an XDS object.
type typedObject interface {
	Item
	base() *Base
	slotRefs() []slotRef
	codeRefs() []codeRef
	authorRef() (scheme string, authors *[]Author)
	idRefs() []idRef
}

func (b *Base) base() *Base { return b }

func (d *DocumentEntry) slotRefs() []slotRef {
	return []slotRef{
		{name: SlotCreationTime, one: &d.CreationTime},
		{name: SlotHash, one: &d.Hash},
		{name: SlotLanguageCode, one: &d.LanguageCode},
		{name: SlotLegalAuthenticator, one: &d.LegalAuthenticator},
		{name: SlotRepositoryUniqueID, one: &d.RepositoryUniqueID},
		{name: SlotServiceStartTime, one: &d.ServiceStartTime},
		{name: SlotServiceStopTime, one: &d.ServiceStopTime},
		{name: SlotSize, one: &d.Size},
		{name: SlotSourcePatientID, one: &d.SourcePatientID},
		{name: SlotSourcePatientInfo, many: &d.SourcePatientInfo},
		{name: SlotURI, one: &d.URI},
		{name: SlotReferenceIDList, many: &d.ReferenceIDList},
		{name: SlotDocumentAvailability, one: &d.DocumentAvailability},
	}
}

func (d *DocumentEntry) codeRefs() []codeRef {
	return []codeRef{
		{attr: "classCode", scheme: SchemeDocClassCode, one: &d.ClassCode},
		{attr: "confidentialityCode", scheme: SchemeDocConfidentialityCode, many: &d.ConfidentialityCodes},
		{attr: "eventCodeList", scheme: SchemeDocEventCode, many: &d.EventCodes},
		{attr: "formatCode", scheme: SchemeDocFormatCode, one: &d.FormatCode},
		{attr: "healthcareFacilityTypeCode", scheme: SchemeDocHealthcareFacilityTypeCode, one: &d.HealthcareFacilityTypeCode},
		{attr: "practiceSettingCode", scheme: SchemeDocPracticeSettingCode, one: &d.PracticeSettingCode},
		{attr: "typeCode", scheme: SchemeDocTypeCode, one: &d.TypeCode},
	}
}

func (d *DocumentEntry) authorRef() (string, *[]Author) { return SchemeDocAuthor, &d.Authors }

func (d *DocumentEntry) idRefs() []idRef {
	return []idRef{
		{attr: "patientId", scheme: IDSchemeDocPatientID, name: NameDocPatientID, value: &d.PatientID},
		{attr: "uniqueId", scheme: IDSchemeDocUniqueID, name: NameDocUniqueID, value: &d.UniqueID},
	}
}

func (s *SubmissionSet) slotRefs() []slotRef {
	return []slotRef{
		{name: SlotSubmissionTime, one: &s.SubmissionTime},
		{name: SlotIntendedRecipient, many: &s.IntendedRecipients},
	}
}

func (s *SubmissionSet) codeRefs() []codeRef {
	return []codeRef{{attr: "contentTypeCode", scheme: SchemeSetContentTypeCode, one: &s.ContentTypeCode}}
}

func (s *SubmissionSet) authorRef() (string, *[]Author) { return SchemeSetAuthor, &s.Authors }

func (s *SubmissionSet) idRefs() []idRef {
	return []idRef{
		{attr: "patientId", scheme: IDSchemeSetPatientID, name: NameSetPatientID, value: &s.PatientID},
		{attr: "sourceId", scheme: IDSchemeSetSourceID, name: NameSetSourceID, value: &s.SourceID},
		{attr: "uniqueId", scheme: IDSchemeSetUniqueID, name: NameSetUniqueID, value: &s.UniqueID},
	}
}

func (f *Folder) slotRefs() []slotRef {
	return []slotRef{{name: SlotLastUpdateTime, one: &f.LastUpdateTime}}
}

func (f *Folder) codeRefs() []codeRef {
	return []codeRef{{attr: "codeList", scheme: SchemeFolderCodeList, many: &f.Codes}}
}

func (f *Folder) authorRef() (string, *[]Author) { return "", nil }

func (f *Folder) idRefs() []idRef {
	return []idRef{
		{attr: "patientId", scheme: IDSchemeFolderPatientID, name: NameFolderPatientID, value: &f.PatientID},
		{attr: "uniqueId", scheme: IDSchemeFolderUniqueID, name: NameFolderUniqueID, value: &f.UniqueID},
	}
}

func (a *Association) slotRefs() []slotRef {
	return []slotRef{
		{name: SlotSubmissionSetStatus, one: &a.SubmissionSetStatus},
		{name: SlotPreviousVersion, one: &a.PreviousVersion},
		{name: SlotOriginalStatus, one: &a.OriginalStatus},
		{name: SlotNewStatus, one: &a.NewStatus},
		{name: SlotAssociationPropagation, one: &a.AssociationPropagation},
	}
}

func (a *Association) codeRefs() []codeRef {
	return []codeRef{{attr: "associationDocumentation", scheme: SchemeAssociationDocument, one: &a.Documentation}}
}

func (a *Association) authorRef() (string, *[]Author) { return "", nil }

func (a *Association) idRefs() []idRef { return nil }

// authorSlots are the slots of an author Classification; only authorPerson
// is single-valued.
var authorSlots = [...]string{SlotAuthorPerson, SlotAuthorInstitution, SlotAuthorRole, SlotAuthorSpecialty, SlotAuthorTelecom}

func (a *Author) slotRefs() [5]slotRef {
	return [5]slotRef{
		{name: SlotAuthorPerson, one: &a.Person},
		{name: SlotAuthorInstitution, many: &a.Institutions},
		{name: SlotAuthorRole, many: &a.Roles},
		{name: SlotAuthorSpecialty, many: &a.Specialties},
		{name: SlotAuthorTelecom, many: &a.Telecoms},
	}
}
