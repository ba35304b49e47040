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

// refBuf holds the refs of one object at a time, so that listing them
// allocates nothing.
type refBuf struct {
	slots [16]slotRef
	codes [8]codeRef
	ids   [4]idRef
}

// typedObject is what Lift, Lower and the rules need from an XDS object.
// The refs methods fill the buffer's arrays and return slices of them.
type typedObject interface {
	Item
	base() *Base
	slotRefs(*refBuf) []slotRef
	codeRefs(*refBuf) []codeRef
	authorRef() (scheme string, authors *[]Author)
	idRefs(*refBuf) []idRef
}

func (b *Base) base() *Base { return b }

func (d *DocumentEntry) slotRefs(b *refBuf) []slotRef {
	return append(b.slots[:0],
		slotRef{name: SlotCreationTime, one: &d.CreationTime},
		slotRef{name: SlotHash, one: &d.Hash},
		slotRef{name: SlotLanguageCode, one: &d.LanguageCode},
		slotRef{name: SlotLegalAuthenticator, one: &d.LegalAuthenticator},
		slotRef{name: SlotRepositoryUniqueID, one: &d.RepositoryUniqueID},
		slotRef{name: SlotServiceStartTime, one: &d.ServiceStartTime},
		slotRef{name: SlotServiceStopTime, one: &d.ServiceStopTime},
		slotRef{name: SlotSize, one: &d.Size},
		slotRef{name: SlotSourcePatientID, one: &d.SourcePatientID},
		slotRef{name: SlotSourcePatientInfo, many: &d.SourcePatientInfo},
		slotRef{name: SlotURI, one: &d.URI},
		slotRef{name: SlotReferenceIDList, many: &d.ReferenceIDList},
		slotRef{name: SlotDocumentAvailability, one: &d.DocumentAvailability},
	)
}

func (d *DocumentEntry) codeRefs(b *refBuf) []codeRef {
	return append(b.codes[:0],
		codeRef{attr: "classCode", scheme: SchemeDocClassCode, one: &d.ClassCode},
		codeRef{attr: "confidentialityCode", scheme: SchemeDocConfidentialityCode, many: &d.ConfidentialityCodes},
		codeRef{attr: "eventCodeList", scheme: SchemeDocEventCode, many: &d.EventCodes},
		codeRef{attr: "formatCode", scheme: SchemeDocFormatCode, one: &d.FormatCode},
		codeRef{attr: "healthcareFacilityTypeCode", scheme: SchemeDocHealthcareFacilityTypeCode, one: &d.HealthcareFacilityTypeCode},
		codeRef{attr: "practiceSettingCode", scheme: SchemeDocPracticeSettingCode, one: &d.PracticeSettingCode},
		codeRef{attr: "typeCode", scheme: SchemeDocTypeCode, one: &d.TypeCode},
	)
}

func (d *DocumentEntry) authorRef() (string, *[]Author) { return SchemeDocAuthor, &d.Authors }

func (d *DocumentEntry) idRefs(b *refBuf) []idRef {
	return append(b.ids[:0],
		idRef{attr: "patientId", scheme: IDSchemeDocPatientID, name: NameDocPatientID, value: &d.PatientID},
		idRef{attr: "uniqueId", scheme: IDSchemeDocUniqueID, name: NameDocUniqueID, value: &d.UniqueID},
	)
}

func (s *SubmissionSet) slotRefs(b *refBuf) []slotRef {
	return append(b.slots[:0],
		slotRef{name: SlotSubmissionTime, one: &s.SubmissionTime},
		slotRef{name: SlotIntendedRecipient, many: &s.IntendedRecipients},
	)
}

func (s *SubmissionSet) codeRefs(b *refBuf) []codeRef {
	return append(b.codes[:0], codeRef{attr: "contentTypeCode", scheme: SchemeSetContentTypeCode, one: &s.ContentTypeCode})
}

func (s *SubmissionSet) authorRef() (string, *[]Author) { return SchemeSetAuthor, &s.Authors }

func (s *SubmissionSet) idRefs(b *refBuf) []idRef {
	return append(b.ids[:0],
		idRef{attr: "patientId", scheme: IDSchemeSetPatientID, name: NameSetPatientID, value: &s.PatientID},
		idRef{attr: "sourceId", scheme: IDSchemeSetSourceID, name: NameSetSourceID, value: &s.SourceID},
		idRef{attr: "uniqueId", scheme: IDSchemeSetUniqueID, name: NameSetUniqueID, value: &s.UniqueID},
	)
}

func (f *Folder) slotRefs(b *refBuf) []slotRef {
	return append(b.slots[:0], slotRef{name: SlotLastUpdateTime, one: &f.LastUpdateTime})
}

func (f *Folder) codeRefs(b *refBuf) []codeRef {
	return append(b.codes[:0], codeRef{attr: "codeList", scheme: SchemeFolderCodeList, many: &f.Codes})
}

func (f *Folder) authorRef() (string, *[]Author) { return "", nil }

func (f *Folder) idRefs(b *refBuf) []idRef {
	return append(b.ids[:0],
		idRef{attr: "patientId", scheme: IDSchemeFolderPatientID, name: NameFolderPatientID, value: &f.PatientID},
		idRef{attr: "uniqueId", scheme: IDSchemeFolderUniqueID, name: NameFolderUniqueID, value: &f.UniqueID},
	)
}

func (a *Association) slotRefs(b *refBuf) []slotRef {
	return append(b.slots[:0],
		slotRef{name: SlotSubmissionSetStatus, one: &a.SubmissionSetStatus},
		slotRef{name: SlotPreviousVersion, one: &a.PreviousVersion},
		slotRef{name: SlotOriginalStatus, one: &a.OriginalStatus},
		slotRef{name: SlotNewStatus, one: &a.NewStatus},
		slotRef{name: SlotAssociationPropagation, one: &a.AssociationPropagation},
	)
}

func (a *Association) codeRefs(b *refBuf) []codeRef {
	return append(b.codes[:0], codeRef{attr: "associationDocumentation", scheme: SchemeAssociationDocument, one: &a.Documentation})
}

func (a *Association) authorRef() (string, *[]Author) { return "", nil }

func (a *Association) idRefs(*refBuf) []idRef { return nil }

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
