package xds

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dmpgen/dmpgen/runtime/dochash"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/uuid"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// isMimeType reports whether s matches ^\w+/[-+.\w]+$ (type/subtype, the
// shape IPF checks), without a regular expression: it runs for every
// document entry.
func isMimeType(s string) bool {
	slash := strings.IndexByte(s, '/')
	if slash <= 0 || slash == len(s)-1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		word := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
		if !word && (i < slash || i == slash && c != '/' || i > slash && c != '-' && c != '+' && c != '.') {
			return false
		}
	}
	return true
}

// maxUniqueID and maxTitle are IPF's limits (characters).
const (
	maxUniqueID = 128
	maxTitle    = 128
)

// submission checks the rules on the metadata as a whole.
func (c *checker) submission() {
	for _, it := range c.m.Items {
		if t, ok := it.(typedObject); ok && t.base().EntryUUID == "" {
			c.add(CodeEntryUUIDMissing, "", p("entryUUID"), "%T without an entryUUID", it)
		}
	}
	if c.o.Transaction.isQuery() {
		return
	}
	if len(c.sets) != 1 {
		c.add(CodeExactlyOneSubmissionSet, "", p(""), "%d SubmissionSets", len(c.sets))
	}
	c.uniqueIDs()
	c.logicalIDs()
	if c.ss != nil {
		c.samePatient()
		c.membership()
	}
}

// uniqueIDs checks that entryUUIDs, classification and identifier ids, and
// uniqueIds are unique in the submission.
func (c *checker) uniqueIDs() {
	seen := make(map[string]int, 16*len(c.m.Items))
	dup := func(id, what string) {
		if id == "" {
			return
		}
		seen[id]++
		if seen[id] == 2 {
			c.add(CodeUUIDNotUnique, id, p("entryUUID"), "%s id used more than once", what)
		}
	}
	for _, it := range c.m.Items {
		dup(it.EntryID(), "object")
		if t, ok := it.(typedObject); ok {
			for _, cl := range t.base().Extra.Classifications {
				dup(cl.ID, "classification")
			}
			for _, e := range t.base().Extra.ExternalIdentifiers {
				dup(e.ID, "external identifier")
			}
		}
	}
	uids := make(map[string]bool)
	for _, it := range c.m.Items {
		var uid string
		switch x := it.(type) {
		case *DocumentEntry:
			uid = x.UniqueID
		case *SubmissionSet:
			uid = x.UniqueID
		case *Folder:
			uid = x.UniqueID
		}
		if uid == "" {
			continue
		}
		if uids[uid] {
			c.add(CodeUniqueIDNotUnique, it.EntryID(), p("uniqueId"), "uniqueId %q used by another object of the submission", uid)
		}
		uids[uid] = true
	}
}

// logicalIDs checks that lids are unique among the objects of a kind.
func (c *checker) logicalIDs() {
	seen := make(map[string]bool)
	for _, it := range c.m.Items {
		t, ok := it.(typedObject)
		if !ok || t.base().LogicalID == "" {
			continue
		}
		key := strconv.Itoa(kindOf(it)) + t.base().LogicalID
		if seen[key] {
			c.add(CodeLogicalIDSame, it.EntryID(), p("lid"), "lid %q used by another object of this kind", t.base().LogicalID)
		}
		seen[key] = true
	}
}

func kindOf(it Item) int {
	switch it.(type) {
	case *DocumentEntry:
		return 1
	case *Folder:
		return 2
	case *Association:
		return 3
	}
	return 4
}

func (c *checker) samePatient() {
	pid := c.ss.PatientID
	for _, d := range c.docs {
		if d.PatientID != pid {
			c.add(CodeDocEntryPatientIDWrong, d.EntryUUID, p("patientId"), "%q differs from the SubmissionSet's %q", d.PatientID, pid)
		}
	}
	for _, f := range c.folders {
		if f.PatientID != pid {
			c.add(CodeFolderPatientIDWrong, f.EntryUUID, p("patientId"), "%q differs from the SubmissionSet's %q", f.PatientID, pid)
		}
	}
}

// membership checks that every DocumentEntry and Folder of the submission
// is a HasMember of the SubmissionSet (NIST all_docs_linked_to_ss,
// all_fols_linked_to_ss).
func (c *checker) membership() {
	members := make(map[string]bool)
	for _, a := range c.assocs {
		if a.Type == AssocHasMember && a.Source == c.ss.EntryUUID {
			members[a.Target] = true
		}
	}
	for _, it := range c.m.Items {
		switch x := it.(type) {
		case *DocumentEntry:
			if !members[x.EntryUUID] {
				c.add(CodeDocEntryNotInSubmissionSet, x.EntryUUID, p(""), "no HasMember association from the SubmissionSet")
			}
		case *Folder:
			if !members[x.EntryUUID] {
				c.add(CodeFolderNotInSubmissionSet, x.EntryUUID, p(""), "no HasMember association from the SubmissionSet")
			}
		}
	}
}

// statusOK reports whether a status is one a query may return or an
// update may set: Approved and Deprecated (IHE), Submitted (ebRS), and
// the DMP's Archived and Deleted under the DMP profile.
func (c *checker) statusOK(s string, submitted bool) bool {
	switch s {
	case StatusApproved, StatusDeprecated:
		return true
	case StatusSubmitted:
		return submitted
	case StatusArchived, StatusDeleted:
		return c.o.Profile == hl7v2.DMP
	}
	return false
}

func (c *checker) entryUUID(b *Base) {
	if b.EntryUUID == "" {
		return
	}
	if c.o.Transaction.isQuery() || uuid.IsURN(b.EntryUUID) {
		if _, err := uuid.ParseURN(b.EntryUUID); err != nil {
			c.add(CodeInvalidUUID, b.EntryUUID, p("entryUUID"), "%v", err)
		}
	}
}

func (c *checker) documentEntry(d *DocumentEntry) {
	obj := d.EntryUUID
	c.entryUUID(&d.Base)
	// IPF: on-demand rules apply to on-demand entries of a query response
	// (ITI-61 is not a DMP transaction); elsewhere the type is wrong.
	onDemand := d.ObjectType == ObjectTypeOnDemand && c.o.Transaction.isQuery()
	switch {
	case d.ObjectType == ObjectTypeStable, onDemand:
	default:
		c.add(CodeWrongDocumentEntryType, obj, p("objectType"), "objectType %q; want the stable DocumentEntry type %s", d.ObjectType, ObjectTypeStable)
	}
	if c.o.Transaction.isQuery() && !c.statusOK(d.AvailabilityStatus, false) {
		c.add(CodeDocEntryInvalidStatus, obj, p("status"), "status %q", d.AvailabilityStatus)
	}
	if d.AvailabilityStatus != "" {
		c.inValueSet(obj, p("availabilityStatus"), d.AvailabilityStatus, "")
	}
	switch {
	case d.MimeType == "":
		c.add(CodeMimeTypeMustBeSpecified, obj, p("mimeType"), "no mimeType")
	case !isMimeType(d.MimeType):
		c.add(CodeMimeTypeFormat, obj, p("mimeType"), "%q is not type/subtype", d.MimeType)
	}
	for _, ls := range d.Title {
		if ls.Charset != nil && !strings.EqualFold(*ls.Charset, "UTF-8") && !strings.EqualFold(*ls.Charset, "UTF8") {
			c.add(CodeInvalidTitleEncoding, obj, p("title"), "charset %q", *ls.Charset)
		}
		if n := utf8.RuneCountInString(ls.Value); n > maxTitle {
			c.add(CodeTitleTooLong, obj, p("title"), "%d characters, more than %d", n, maxTitle)
		}
	}

	limited := c.limited(d)
	needHash := !onDemand && (c.o.Transaction == ITI42 || c.o.Transaction.isQuery())
	c.slots(obj, d.Extra.Slots, d.slotRefs(&c.buf), func(name string) (int, int) {
		switch name {
		case SlotCreationTime:
			if onDemand {
				return 0, 0
			}
			return b2i(!limited), 1
		case SlotHash, SlotSize:
			if onDemand {
				return 0, 0
			}
			return b2i(needHash), 1
		case SlotLanguageCode:
			return b2i(!limited), 1
		case SlotSourcePatientID:
			return b2i(!limited), 1
		case SlotRepositoryUniqueID:
			return b2i(c.o.Transaction == ITI42 || (c.o.Transaction.isQuery() && !onDemand)), 1
		case SlotSourcePatientInfo, SlotReferenceIDList:
			return 0, many
		}
		return 0, 1
	})
	start := c.dtm(obj, p(SlotServiceStartTime), d.ServiceStartTime)
	stop := c.dtm(obj, p(SlotServiceStopTime), d.ServiceStopTime)
	if !start.IsZero() && !stop.IsZero() && start.Time().After(stop.Time()) {
		c.add(CodeTimeWrongChronology, obj, p(SlotServiceStartTime), "serviceStartTime %s is after serviceStopTime %s", d.ServiceStartTime, d.ServiceStopTime)
	}
	c.dtm(obj, p(SlotCreationTime), d.CreationTime)
	if d.Hash != "" && !dochash.ValidHash(d.Hash) {
		c.add(CodeInvalidHashCode, obj, p(SlotHash), "%q is not 40 hexadecimal characters", d.Hash)
	}
	if d.Size != "" && !isDigits(d.Size) {
		c.add(CodeInvalidNumberFormat, obj, p(SlotSize), "%q is not a decimal number", d.Size)
	}
	if d.LanguageCode != "" && !xsdt.LanguageShape(d.LanguageCode) {
		c.add(CodeInvalidLanguageCode, obj, p(SlotLanguageCode), "%q is not an RFC 3066 language tag", d.LanguageCode)
	}
	c.xcn(obj, p(SlotLegalAuthenticator), d.LegalAuthenticator)
	c.cx(obj, p(SlotSourcePatientID), d.SourcePatientID)
	for i, v := range d.SourcePatientInfo {
		c.pid(obj, at(SlotSourcePatientInfo, i), v)
	}
	c.oidValue(obj, p(SlotRepositoryUniqueID), d.RepositoryUniqueID)
	if d.URI != "" {
		if _, err := url.Parse(d.URI); err != nil {
			c.add(CodeInvalidURI, obj, p(SlotURI), "%v", err)
		}
	}
	for i, v := range d.ReferenceIDList {
		c.cxi(obj, at("referenceIdList", i), v)
	}
	if v := d.DocumentAvailability; v != "" && v != AvailabilityOnline && v != AvailabilityOffline {
		c.add(CodeInvalidDocumentAvailability, obj, p(SlotDocumentAvailability), "%q", v)
	}

	c.classifications(d, classificationSpec{authorScheme: SchemeDocAuthor, limited: SchemeDocLimitedMetadata,
		count: func(scheme string) (int, int) {
			switch scheme {
			case SchemeDocEventCode:
				return 0, many
			case SchemeDocConfidentialityCode:
				return b2i(!limited), many
			}
			return b2i(!limited), 1
		}})
	c.identifiers(d)
	c.cx(obj, p("patientId"), d.PatientID)
	if n := utf8.RuneCountInString(d.UniqueID); n > maxUniqueID {
		c.add(CodeUniqueIDTooLong, obj, p("uniqueId"), "%d characters, more than %d", n, maxUniqueID)
	}
	for i := 0; i < len(d.UniqueID); i++ {
		if b := d.UniqueID[i]; b < 0x21 || b > 0x7e {
			c.add(CodeInvalidIdentifier, obj, p("uniqueId"), "byte %#x at %d is not printable ASCII", b, i)
			break
		}
	}
	if c.o.Transaction == ITI57 {
		c.updateObject(&d.Base)
	}
}

func (c *checker) submissionSet(s *SubmissionSet) {
	obj := s.EntryUUID
	c.entryUUID(&s.Base)
	if (c.o.Transaction.isQuery() || s.AvailabilityStatus != "") && s.AvailabilityStatus != StatusApproved {
		c.add(CodeSubmissionSetInvalidStatus, obj, p("status"), "status %q, want Approved", s.AvailabilityStatus)
	}
	c.slots(obj, s.Extra.Slots, s.slotRefs(&c.buf), func(name string) (int, int) {
		if name == SlotSubmissionTime {
			return 1, 1
		}
		return 0, many
	})
	c.dtm(obj, p(SlotSubmissionTime), s.SubmissionTime)
	for i, r := range s.IntendedRecipients {
		c.recipient(obj, at(SlotIntendedRecipient, i), r)
	}
	limited := c.limited(s)
	c.classifications(s, classificationSpec{authorScheme: SchemeSetAuthor, limited: SchemeSetLimitedMetadata,
		count: func(string) (int, int) { return b2i(!limited), 1 }})
	c.identifiers(s)
	c.cx(obj, p("patientId"), s.PatientID)
	c.oidValue(obj, p("sourceId"), s.SourceID)
	if n := utf8.RuneCountInString(s.UniqueID); n > maxUniqueID {
		c.add(CodeUniqueIDTooLong, obj, p("uniqueId"), "%d characters, more than %d", n, maxUniqueID)
	} else {
		c.oidValue(obj, p("uniqueId"), s.UniqueID)
	}
}

func (c *checker) folder(f *Folder) {
	obj := f.EntryUUID
	c.entryUUID(&f.Base)
	if (c.o.Transaction.isQuery() || f.AvailabilityStatus != "") && f.AvailabilityStatus != StatusApproved {
		c.add(CodeFolderInvalidStatus, obj, p("status"), "status %q, want Approved", f.AvailabilityStatus)
	}
	limited := c.limited(f)
	if !limited && f.Title.String() == "" {
		c.add(CodeMissingFolderName, obj, p("title"), "no title")
	}
	c.slots(obj, f.Extra.Slots, f.slotRefs(&c.buf), func(string) (int, int) { return 0, 1 })
	if t := c.dtm(obj, p(SlotLastUpdateTime), f.LastUpdateTime); !t.IsZero() && t.Precision() < hl7v2.Second {
		c.add(CodeTimePrecisionTooLow, obj, p(SlotLastUpdateTime), "%q is not given to the second", f.LastUpdateTime)
	}
	c.classifications(f, classificationSpec{limited: SchemeFolderLimited,
		count: func(string) (int, int) { return b2i(!limited), many }})
	c.identifiers(f)
	c.cx(obj, p("patientId"), f.PatientID)
	if n := utf8.RuneCountInString(f.UniqueID); n > maxUniqueID {
		c.add(CodeUniqueIDTooLong, obj, p("uniqueId"), "%d characters, more than %d", n, maxUniqueID)
	} else {
		c.oidValue(obj, p("uniqueId"), f.UniqueID)
	}
	if c.o.Transaction == ITI57 {
		c.updateObject(&f.Base)
	}
}

// updateObject checks an object an ITI-57 request updates (IPF
// validateUpdateObject): a lid that is a UUID other than the entryUUID, and
// a HasMember from the SubmissionSet with a PreviousVersion.
func (c *checker) updateObject(b *Base) {
	obj := b.EntryUUID
	switch {
	case b.LogicalID == "":
		c.add(CodeLogicalIDMissing, obj, p("lid"), "no lid")
	case b.LogicalID == b.EntryUUID:
		c.add(CodeLogicalIDEqualsEntryUUID, obj, p("lid"), "lid equals the entryUUID")
	default:
		if _, err := uuid.ParseURN(b.LogicalID); err != nil {
			c.add(CodeInvalidUUID, obj, p("lid"), "%v", err)
		}
	}
	found := false
	for _, a := range c.m.Associations() {
		if a.Type == AssocHasMember && a.Target == obj && c.setIDs[a.Source] {
			found = true
			if a.PreviousVersion == "" {
				c.add(CodeMissingPreviousVersion, a.EntryUUID, p(SlotPreviousVersion), "the HasMember of updated object %q has no PreviousVersion", obj)
			}
		}
	}
	if !found {
		c.add(CodeMissingHasMemberAssociation, obj, p(""), "updated object without a HasMember association from the SubmissionSet")
	}
}

// author checks a typed author.
func (c *checker) author(obj string, attr path, a *Author) {
	if cl := a.Class; cl != nil {
		if cl.NodeRepresentation != nil && *cl.NodeRepresentation != "" {
			c.add(CodeNodeRepresentationProhibited, obj, attr, "author classification with nodeRepresentation %q", *cl.NodeRepresentation)
		}
		for i, s := range cl.Slots {
			if !s.Lifted && s.Name != "" && !isExtraMetadata(s.Name) && firstNamed(cl.Slots, s.Name) == i {
				c.add(CodeUnknownSlotName, obj, attr.dot(s.Name, 0), "%q is not an author slot", s.Name)
			}
		}
	}
	if a.Person == "" && len(a.Institutions) == 0 && len(a.Telecoms) == 0 {
		c.add(CodeAuthorIncomplete, obj, attr, "no authorPerson, authorInstitution nor authorTelecommunication")
	}
	refs := a.slotRefs()
	for k := range refs {
		c.slotValues(obj, attr.dot(refs[k].name, 0), refs[k].values())
	}
	c.xcn(obj, attr.dot(SlotAuthorPerson, 0), a.Person)
	for i, v := range a.Institutions {
		c.xon(obj, attr.dot(SlotAuthorInstitution, i+1), v)
	}
	for i, v := range a.Roles {
		c.cwe(obj, attr.dot(SlotAuthorRole, i+1), "authorRole", v)
	}
	for i, v := range a.Specialties {
		c.cwe(obj, attr.dot(SlotAuthorSpecialty, i+1), "authorSpecialty", v)
	}
	for i, v := range a.Telecoms {
		c.xtn(obj, attr.dot(SlotAuthorTelecom, i+1), v)
	}
}

// rawAuthor explains why an author classification could not be read.
func (c *checker) rawAuthor(obj string, cl *Classification) {
	attr := p("author " + cl.ID)
	complete := false
	for _, name := range authorSlots {
		n := 0
		var values []string
		for _, s := range cl.Slots {
			if s.Name == name {
				n++
				values = s.Values
			}
		}
		if n > 0 && name != SlotAuthorRole && name != SlotAuthorSpecialty {
			complete = true
		}
		switch {
		case n > 1:
			c.add(CodeDuplicateSlotName, obj, attr.dot(name, 0), "slot occurs %d times", n)
		case n == 1 && name == SlotAuthorPerson && len(values) != 1:
			c.add(CodeWrongNumberOfSlotValues, obj, attr.dot(name, 0), "%d values, want 1", len(values))
		case n == 1 && name == SlotAuthorPerson && values[0] == "":
			c.add(CodeEmptySlotValue, obj, attr.dot(name, 0), "empty value")
		}
	}
	if !complete {
		c.add(CodeAuthorIncomplete, obj, attr, "no authorPerson, authorInstitution nor authorTelecommunication")
	}
}

// inValueSet checks a code against the value set bound to the attribute.
func (c *checker) inValueSet(obj string, attr path, code, scheme string) {
	b, ok := c.o.ValueSets[attr.name]
	if !ok || b.Set == nil {
		return
	}
	if !b.Set.Contains(code, scheme) {
		if scheme == "" {
			c.add(CodeCodeNotInValueSet, obj, attr, "%q is not in %s", code, b.Name)
		} else {
			c.add(CodeCodeNotInValueSet, obj, attr, "%q (coding scheme %s) is not in %s", code, scheme, b.Name)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
