package testdmp

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dmpgen/dmpgen/dmp/xdsrim"
	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/generated/xds/rs"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
)

// IHE XDS.b identifiers used by the registry.
const (
	schemeDocUniqueID  = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
	schemeDocPatientID = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"
	queryFindDocuments = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"
	queryGetDocuments  = "urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4"
	assocUpdateStatus  = "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus"
	assocHasMember     = "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember"

	StatusApproved = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"
	StatusArchived = "urn:asip:ci-sis:2010:StatusType:Archived"
	StatusDeleted  = "urn:asip:ci-sis:2010:StatusType:Deleted"
	// StatusDeprecated is the status of a version replaced by an ITI-57
	// metadata update.
	StatusDeprecated = "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated"
	responseSuccess  = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
	responseFailure  = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"
	severityError    = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"

	// RepositoryUniqueID is the DMP repository's OID (docs/transactions.md#identifiers-of-the-dmp).
	RepositoryUniqueID = "1.2.250.1.213.4.1.1.1.2"
)

// registry is the XDS state: documents and their entries, in submission order.
type registry struct {
	mu       sync.Mutex
	entries  []*entry
	byUnique map[string]*entry
	byUUID   map[string]*entry
	// Attachments resolves an xop:Include Content-ID of the current request.
	attachments func(ctx context.Context, contentID string) ([]byte, error)
	// now dates submissions (the patient list's lastAddDate).
	now func() time.Time
	// lax turns the metadata rules off (Options.LaxMetadata).
	lax bool
	// laxRequests turns the request rules off (Options.LaxRequests).
	laxRequests bool
}

type entry struct {
	eo        *rim.ExtrinsicObjectType
	uniqueID  string
	patientID string
	status    string
	data      []byte
	added     time.Time
	// lid is the logical id of the entry's lineage (the id of its first
	// version), version its XDS version (1, then one more per metadata
	// update).
	lid     string
	version int
}

func newRegistry() *registry {
	return &registry{byUnique: map[string]*entry{}, byUUID: map[string]*entry{}, now: time.Now}
}

func externalID(eo *rim.ExtrinsicObjectType, scheme string) string {
	for _, x := range eo.ExternalIdentifier {
		if x.IdentificationScheme == scheme {
			return x.Value
		}
	}
	return ""
}

func slotValues(slots []rim.SlotType1, name string) []string {
	var out []string
	for _, s := range slots {
		if s.Name != name || s.ValueList == nil {
			continue
		}
		for _, v := range s.ValueList.Sequence {
			if v.Value != nil {
				out = append(out, *v.Value)
			}
		}
	}
	return out
}

func setSlot(eo *rim.ExtrinsicObjectType, name, value string) {
	for i := range eo.Slot {
		if eo.Slot[i].Name == name {
			eo.Slot[i].ValueList = &rim.ValueListType{Sequence: []rim.ValueListTypeSequence{{Value: &value}}}
			return
		}
	}
	eo.Slot = append(eo.Slot, rim.SlotType1{Name: name, ValueList: &rim.ValueListType{Sequence: []rim.ValueListTypeSequence{{Value: &value}}}})
}

func failure(code, context string) *rs.RegistryResponseType {
	sev := severityError
	return &rs.RegistryResponseType{Status: responseFailure, RegistryErrorList: &rs.RegistryErrorList{
		RegistryError: []rs.RegistryError{{ErrorCode: code, CodeContext: context, Severity: &sev}},
	}}
}

// checkMetadata applies the IHE rules of transaction t and the DMP value
// sets (dmp/xdsrim.DMPValueSets) to submitted metadata, as the DMP does
// before it registers anything: a Failure listing every violation, each
// with its registry error code, or nil.
func (r *registry) checkMetadata(list *rim.RegistryObjectListType, t xds.Transaction) *rs.RegistryResponseType {
	if r.lax {
		return nil
	}
	md, err := xdsrim.Decode(list)
	if err != nil {
		return failure("XDSRegistryMetadataError", err.Error())
	}
	v := xds.Validate(md, xds.Options{Transaction: t, Profile: hl7v2.DMP, ValueSets: xdsrim.DMPValueSets()})
	if len(v) == 0 {
		return nil
	}
	sev := severityError
	resp := &rs.RegistryResponseType{Status: responseFailure, RegistryErrorList: &rs.RegistryErrorList{}}
	for _, x := range v {
		resp.RegistryErrorList.RegistryError = append(resp.RegistryErrorList.RegistryError, rs.RegistryError{
			ErrorCode: registryErrorCode(x.Code), CodeContext: x.String(), Severity: &sev, Location: strPtr(x.Object)})
	}
	return resp
}

// registryErrorCode is the ITI error code a registry answers for a
// violated rule (ITI TF-3 4.2.4.1; IPF's mapping): most rules are metadata
// errors.
func registryErrorCode(c xds.RuleCode) string {
	switch c {
	case xds.CodeUUIDNotUnique:
		return "XDSRegistryDuplicateUniqueIdInMessage"
	case xds.CodeDocEntryPatientIDWrong, xds.CodeFolderPatientIDWrong:
		return "XDSPatientIdDoesNotMatch"
	}
	return "XDSRegistryMetadataError"
}

// requestFailure is the Failure a registry or repository answers for a
// request that breaks the ITI-18 or ITI-43 rules: one RegistryError per
// violation, with its registry error code (xds.RequestErrorCode), the
// rule in the context and the parameter or element as location.
func requestFailure(vs xds.Violations) *rs.RegistryResponseType {
	sev := severityError
	resp := &rs.RegistryResponseType{Status: responseFailure, RegistryErrorList: &rs.RegistryErrorList{}}
	for _, v := range vs {
		loc := v.Attr
		if loc == "" {
			loc = v.Object
		}
		resp.RegistryErrorList.RegistryError = append(resp.RegistryErrorList.RegistryError, rs.RegistryError{
			ErrorCode: xds.RequestErrorCode(v.Code), CodeContext: v.String(), Severity: &sev, Location: strPtr(loc)})
	}
	return resp
}

// ProvideAndRegisterDocumentSetB stores the submitted documents (ITI-41).
func (r *registry) ProvideAndRegisterDocumentSetB(ctx context.Context, req *xdsb.ProvideAndRegisterDocumentSetRequestType) (*rs.RegistryResponseType, error) {
	if req.SubmitObjectsRequest == nil || req.SubmitObjectsRequest.RegistryObjectList == nil {
		return failure("XDSRegistryMetadataError", "SubmitObjectsRequest has no RegistryObjectList"), nil
	}
	if refused := r.checkMetadata(req.SubmitObjectsRequest.RegistryObjectList, xds.ITI41); refused != nil {
		return refused, nil
	}
	docs := map[string]*xmlbind.Binary{}
	for i := range req.Document {
		docs[req.Document[i].Id] = &req.Document[i].Value
	}
	resolve := r.attachments
	if resolve == nil {
		resolve = requestAttachments(ctx)
	}
	var add []*entry
	for _, it := range req.SubmitObjectsRequest.RegistryObjectList.Identifiable {
		if it.ExtrinsicObject == nil {
			continue
		}
		eo := own(it.ExtrinsicObject)
		doc, ok := docs[eo.Id]
		if !ok {
			return failure("XDSMissingDocument", "no Document for ExtrinsicObject "+eo.Id), nil
		}
		data := doc.Data
		if doc.Include != "" {
			if resolve == nil {
				return failure("XDSRepositoryError", "document "+eo.Id+" is an XOP reference but no attachments were received"), nil
			}
			b, err := resolve(ctx, doc.Include)
			if err != nil {
				return failure("XDSRepositoryError", "document "+eo.Id+": "+err.Error()), nil
			}
			data = b
		}
		e := &entry{eo: eo, data: data, status: StatusApproved,
			uniqueID: externalID(eo, schemeDocUniqueID), patientID: externalID(eo, schemeDocPatientID)}
		if e.uniqueID == "" {
			return failure("XDSRegistryMetadataError", "ExtrinsicObject "+eo.Id+" has no uniqueId"), nil
		}
		// The repository computes hash, size and its own id (ITI-41).
		sum := sha1.Sum(data)
		setSlot(eo, "hash", hex.EncodeToString(sum[:]))
		setSlot(eo, "size", strconv.Itoa(len(data)))
		setSlot(eo, "repositoryUniqueId", RepositoryUniqueID)
		status := StatusApproved
		eo.Status = &status
		// Stored under UUIDs; a first version: its lid is its id, its
		// version 1 (ITI-42).
		assignUUIDs(eo)
		e.lid, e.version = eo.Id, 1
		eo.Lid = strPtr(eo.Id)
		eo.VersionInfo = &rim.VersionInfoType{VersionName: strPtr("1")}
		add = append(add, e)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range add {
		if _, dup := r.byUnique[e.uniqueID]; dup {
			return failure("XDSNonIdenticalHash", "uniqueId "+e.uniqueID+" already registered"), nil
		}
		if _, dup := r.byUUID[e.eo.Id]; dup {
			return failure("XDSRegistryDuplicateUniqueIdInMessage", "entryUUID "+e.eo.Id+" already registered"), nil
		}
	}
	now := r.now()
	for _, e := range add {
		e.added = now
		r.entries = append(r.entries, e)
		r.byUnique[e.uniqueID] = e
		r.byUUID[e.eo.Id] = e
	}
	return &rs.RegistryResponseType{Status: responseSuccess}, nil
}

// RetrieveDocumentSet returns stored documents (ITI-43), as MTOM
// attachments when served by a SOAP server, inline otherwise.
func (r *registry) RetrieveDocumentSet(ctx context.Context, req *xdsb.RetrieveDocumentSetRequestType) (*xdsb.RetrieveDocumentSetResponseType, error) {
	if !r.laxRequests {
		if v := xds.ValidateRetrieve(xdsrim.Retrieve(req)); len(v) > 0 {
			return &xdsb.RetrieveDocumentSetResponseType{RegistryResponse: requestFailure(v)}, nil
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	resp := &xdsb.RetrieveDocumentSetResponseType{RegistryResponse: &rs.RegistryResponseType{Status: responseSuccess}}
	_, served := soap.RequestFromContext(ctx)
	var missing []string
	for _, dr := range req.DocumentRequest {
		uid := deref(dr.DocumentUniqueId)
		e := r.byUnique[uid]
		if e == nil || deref(dr.RepositoryUniqueId) != RepositoryUniqueID || e.status == StatusDeleted {
			missing = append(missing, uid)
			continue
		}
		repo, doc := RepositoryUniqueID, uid
		content := &xmlbind.Binary{Data: e.data}
		if served {
			// As the DMP does (TD3.2): the document is an MTOM attachment.
			cid := newID() + "@testdmp.dmpgen"
			if err := soap.AttachResponse(ctx, soap.Attachment{ContentID: cid, ContentType: deref(e.eo.MimeType), Body: bytes.NewReader(e.data)}); err != nil {
				return nil, fmt.Errorf("testdmp: attaching document %s: %w", uid, err)
			}
			content = &xmlbind.Binary{Include: cid}
		}
		resp.DocumentResponse = append(resp.DocumentResponse, xdsb.RetrieveDocumentSetResponseTypeDocumentResponse{
			RepositoryUniqueId: &repo, DocumentUniqueId: &doc, MimeType: e.eo.MimeType, Document: content,
		})
	}
	if len(missing) > 0 {
		sev := severityError
		list := &rs.RegistryErrorList{}
		for _, m := range missing {
			list.RegistryError = append(list.RegistryError, rs.RegistryError{ErrorCode: "XDSDocumentUniqueIdError", CodeContext: "unknown document " + m, Severity: &sev, Location: strPtr(m)})
		}
		resp.RegistryResponse.RegistryErrorList = list
		resp.RegistryResponse.Status = responseFailure
		if len(resp.DocumentResponse) > 0 {
			resp.RegistryResponse.Status = "urn:ihe:iti:2007:ResponseStatusType:PartialSuccess"
		}
	}
	return resp, nil
}

// RegistryStoredQuery answers FindDocuments and GetDocuments (ITI-18).
func (r *registry) RegistryStoredQuery(ctx context.Context, req *query.AdhocQueryRequest) (*query.AdhocQueryResponse, error) {
	if !r.laxRequests {
		if v := xds.ValidateQuery(xdsrim.Query(req), xds.QueryOptions{Profile: hl7v2.DMP}); len(v) > 0 {
			f := requestFailure(v)
			return &query.AdhocQueryResponse{Status: f.Status, RegistryErrorList: f.RegistryErrorList, RegistryObjectList: &rim.RegistryObjectListType{}}, nil
		}
	}
	if req.AdhocQuery == nil {
		return &query.AdhocQueryResponse{Status: responseFailure}, nil
	}
	q := req.AdhocQuery
	param := func(name string) []string {
		var out []string
		for _, v := range slotValues(q.Slot, name) {
			out = append(out, parseList(v)...)
		}
		return out
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var match []*entry
	switch q.Id {
	case queryFindDocuments:
		pid := param("$XDSDocumentEntryPatientId")
		if len(pid) != 1 {
			return queryFailure("XDSStoredQueryMissingParam", "$XDSDocumentEntryPatientId is required"), nil
		}
		statuses := param("$XDSDocumentEntryStatus")
		if len(statuses) == 0 {
			return queryFailure("XDSStoredQueryMissingParam", "$XDSDocumentEntryStatus is required"), nil
		}
		for _, e := range r.entries {
			if samePatient(e.patientID, pid[0]) && contains(statuses, e.status) {
				match = append(match, e)
			}
		}
	case queryGetDocuments:
		// By entryUUID, the versions asked for; by uniqueId, the versions
		// a metadata update has not replaced.
		uuids, uids := param("$XDSDocumentEntryEntryUUID"), param("$XDSDocumentEntryUniqueId")
		for _, e := range r.entries {
			if contains(uuids, e.eo.Id) || (contains(uids, e.uniqueID) && e.status != StatusDeprecated) {
				match = append(match, e)
			}
		}
	default:
		if name := xds.StoredQueryName(q.Id); name != "" {
			return queryFailure("XDSRegistryError", "the test DMP does not implement the stored query "+name), nil
		}
		return queryFailure("XDSUnknownStoredQuery", "unknown stored query "+q.Id), nil
	}
	list := &rim.RegistryObjectListType{}
	objectRefs := req.ResponseOption != nil && req.ResponseOption.ReturnType != nil && *req.ResponseOption.ReturnType == "ObjectRef"
	for _, e := range match {
		if objectRefs {
			list.Identifiable = append(list.Identifiable, rim.IdentifiableChoice{ObjectRef: &rim.ObjectRefType{Id: e.eo.Id}})
			continue
		}
		eo := *e.eo
		status := e.status
		eo.Status = &status
		list.Identifiable = append(list.Identifiable, rim.IdentifiableChoice{ExtrinsicObject: &eo})
	}
	return &query.AdhocQueryResponse{Status: responseSuccess, RegistryObjectList: list}, nil
}

func queryFailure(code, context string) *query.AdhocQueryResponse {
	f := failure(code, context)
	return &query.AdhocQueryResponse{Status: f.Status, RegistryErrorList: f.RegistryErrorList, RegistryObjectList: &rim.RegistryObjectListType{}}
}

// UpdateDocumentSet applies an ITI-57 Update Document Set: availability
// status changes (the DMP archives with Approved→Archived and deletes with
// Archived→Deleted) and metadata updates (the DMP's masking and unmasking:
// a new version of an entry, see metadataUpdate). The request is checked
// whole before any change is made.
func (r *registry) UpdateDocumentSet(ctx context.Context, req *lcm.SubmitObjectsRequest) (*rs.RegistryResponseType, error) {
	if req.RegistryObjectList == nil {
		return failure("XDSRegistryMetadataError", "no RegistryObjectList"), nil
	}
	if refused := r.checkMetadata(req.RegistryObjectList, xds.ITI57); refused != nil {
		return refused, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	type change struct {
		e        *entry
		from, to string
	}
	var changes []change
	submitted := map[string]*rim.ExtrinsicObjectType{}
	var order []string
	for _, it := range req.RegistryObjectList.Identifiable {
		if eo := it.ExtrinsicObject; eo != nil {
			submitted[eo.Id] = eo
			order = append(order, eo.Id)
		}
	}
	versioned := map[string]bool{}
	var updates []*versionUpdate
	for _, it := range req.RegistryObjectList.Identifiable {
		a := it.Association
		if a == nil {
			continue
		}
		if pv := slotValues(a.Slot, "PreviousVersion"); a.AssociationType == assocHasMember && len(pv) > 0 {
			u, fail := r.metadataUpdate(a, pv, submitted[a.TargetObject])
			if fail != nil {
				return fail, nil
			}
			updates = append(updates, u)
			versioned[a.TargetObject] = true
			continue
		}
		if a.AssociationType != assocUpdateStatus {
			continue
		}
		e := r.byUUID[a.TargetObject]
		if e == nil {
			return failure("XDSUnresolvedReferenceException", "unknown document entry "+a.TargetObject), nil
		}
		from, to := slotValues(a.Slot, "OriginalStatus"), slotValues(a.Slot, "NewStatus")
		if len(from) != 1 || len(to) != 1 {
			return failure("XDSRegistryMetadataError", "UpdateAvailabilityStatus needs one OriginalStatus and one NewStatus"), nil
		}
		if from[0] != e.status {
			return failure("XDSMetadataUpdateError", fmt.Sprintf("entry %s has status %s, not %s", a.TargetObject, e.status, from[0])), nil
		}
		changes = append(changes, change{e, from[0], to[0]})
	}
	for _, id := range order {
		if versioned[id] {
			continue
		}
		return failure("XDSRegistryMetadataError", "ExtrinsicObject "+id+" is no new version: no HasMember association with a PreviousVersion names it"), nil
	}
	if len(changes) == 0 && len(updates) == 0 {
		return failure("XDSRegistryMetadataError", "no UpdateAvailabilityStatus association and no metadata update"), nil
	}
	lineages := map[string]bool{}
	for _, u := range updates {
		if lineages[u.prev.lid] {
			return failure("XDSMetadataUpdateError", "two new versions of the lineage "+u.prev.lid), nil
		}
		lineages[u.prev.lid] = true
	}
	for _, c := range changes {
		c.e.status = c.to
	}
	for _, u := range updates {
		r.store(u)
	}
	return &rs.RegistryResponseType{Status: responseSuccess}, nil
}

// versionUpdate is a new version of an entry that an ITI-57 metadata
// update submits.
type versionUpdate struct {
	prev *entry
	eo   *rim.ExtrinsicObjectType
}

// metadataUpdate checks a new version of an entry (IHE ITI TF-2b
// 3.57.4.1.3.3.1): its HasMember has one PreviousVersion, which is the
// version of the lineage's current entry (XDSMetadataVersionError
// otherwise); the lid names a lineage whose current version is Approved;
// the patient and the uniqueId are those of the current version. The
// registry keeps the lineage: the new version gets the next version
// number, and the current one becomes Deprecated (store). The test DMP
// stores the confidentialityCodes as sent and returns them: it applies no
// visibility rule to a document masked to professionals (MASQUE_PS).
func (r *registry) metadataUpdate(a *rim.AssociationType1, pv []string, eo *rim.ExtrinsicObjectType) (*versionUpdate, *rs.RegistryResponseType) {
	if eo == nil {
		return nil, failure("XDSRegistryMetadataError", "HasMember "+a.Id+" with a PreviousVersion names "+a.TargetObject+", no ExtrinsicObject of the request")
	}
	if len(pv) != 1 {
		return nil, failure("XDSRegistryMetadataError", fmt.Sprintf("HasMember %s: %d PreviousVersion values", a.Id, len(pv)))
	}
	lid := deref(eo.Lid)
	if lid == "" || lid == eo.Id {
		return nil, failure("XDSMetadataUpdateError", fmt.Sprintf("new version %s: lid %q does not name an existing lineage", eo.Id, lid))
	}
	prev := r.current(lid)
	if prev == nil {
		return nil, failure("XDSMetadataUpdateError", "no document entry has the lid "+lid)
	}
	if pv[0] != strconv.Itoa(prev.version) {
		return nil, failure("XDSMetadataVersionError", fmt.Sprintf("PreviousVersion %s, but the current version of %s is %d", pv[0], lid, prev.version))
	}
	if prev.status != StatusApproved {
		return nil, failure("XDSMetadataUpdateError", fmt.Sprintf("the current version of %s has status %s, not Approved", lid, prev.status))
	}
	if pid := externalID(eo, schemeDocPatientID); !samePatient(pid, prev.patientID) {
		return nil, failure("XDSPatientIDReconciliationError", fmt.Sprintf("new version of %s: patientId %q, the document's is %q", lid, pid, prev.patientID))
	}
	if uid := externalID(eo, schemeDocUniqueID); uid != prev.uniqueID {
		return nil, failure("XDSMetadataUpdateError", fmt.Sprintf("new version of %s: uniqueId %q, the document's is %q", lid, uid, prev.uniqueID))
	}
	if isUUID(eo.Id) && r.byUUID[eo.Id] != nil {
		return nil, failure("XDSRegistryMetadataError", "entryUUID "+eo.Id+" is already registered")
	}
	return &versionUpdate{prev: prev, eo: eo}, nil
}

// current returns the version of a lineage that no update has replaced
// (nil when there is none); r.mu must be held.
func (r *registry) current(lid string) *entry {
	var cur *entry
	for _, e := range r.entries {
		if e.lid == lid && e.status != StatusDeprecated && (cur == nil || e.version > cur.version) {
			cur = e
		}
	}
	return cur
}

// store registers a checked new version: UUIDs for its symbolic ids, the
// document, hash, size and repository of the version it replaces, the next
// version number, Approved; the replaced version becomes Deprecated.
// r.mu must be held.
func (r *registry) store(u *versionUpdate) {
	eo, prev := own(u.eo), u.prev
	assignUUIDs(eo)
	for _, name := range []string{"hash", "size", "repositoryUniqueId"} {
		if v := slotValues(prev.eo.Slot, name); len(v) == 1 {
			setSlot(eo, name, v[0])
		}
	}
	status := StatusApproved
	eo.Status = &status
	version := prev.version + 1
	eo.VersionInfo = &rim.VersionInfoType{VersionName: strPtr(strconv.Itoa(version))}
	e := &entry{eo: eo, uniqueID: prev.uniqueID, patientID: prev.patientID, status: StatusApproved,
		data: prev.data, added: prev.added, lid: prev.lid, version: version}
	prev.status = StatusDeprecated
	r.entries = append(r.entries, e)
	r.byUUID[eo.Id] = e
	r.byUnique[e.uniqueID] = e
}

// own returns a copy of eo whose slots, classifications and external
// identifiers the registry can change without touching the request.
func own(eo *rim.ExtrinsicObjectType) *rim.ExtrinsicObjectType {
	c := *eo
	c.Slot = append([]rim.SlotType1(nil), eo.Slot...)
	c.Classification = append([]rim.ClassificationType(nil), eo.Classification...)
	c.ExternalIdentifier = append([]rim.ExternalIdentifierType(nil), eo.ExternalIdentifier...)
	return &c
}

// assignUUIDs gives the symbolic ids of an entry and of its parts UUIDs,
// as a registry does when it stores a submission (ITI-42): references to
// them follow.
func assignUUIDs(eo *rim.ExtrinsicObjectType) {
	ids := map[string]string{}
	assign := func(id string) string {
		if isUUID(id) {
			return id
		}
		if ids[id] == "" {
			ids[id] = "urn:uuid:" + newID()
		}
		return ids[id]
	}
	eo.Id = assign(eo.Id)
	for i := range eo.Classification {
		c := &eo.Classification[i]
		c.Id, c.ClassifiedObject = assign(c.Id), assign(c.ClassifiedObject)
	}
	for i := range eo.ExternalIdentifier {
		x := &eo.ExternalIdentifier[i]
		x.Id, x.RegistryObject = assign(x.Id), assign(x.RegistryObject)
	}
}

// isUUID reports whether an id is a urn:uuid (not a symbolic id).
func isUUID(id string) bool { return strings.HasPrefix(strings.ToLower(id), "urn:uuid:") }

// lastAdded returns when the last document of the patient with one of ids
// was submitted (zero when none was).
func (r *registry) lastAdded(ids []idKey) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	var last time.Time
	for _, e := range r.entries {
		for _, k := range ids {
			if samePatient(e.patientID, k.ext+"^^^&"+k.root+"&ISO") && e.added.After(last) {
				last = e.added
			}
		}
	}
	return last
}

// samePatient compares two CX patient identifiers by identifier and
// assigning authority (CX.1 and CX.4): the DMP examples add CX.5 and CX.7
// to the stored identifier ("…^NH^^20100907") but not to queries.
func samePatient(a, b string) bool {
	ca, errA := hl7v2.ParseCX(a)
	cb, errB := hl7v2.ParseCX(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return ca.ID == cb.ID && ca.AssigningAuthority.UniversalID == cb.AssigningAuthority.UniversalID
}

// parseList splits a stored-query parameter value: ('a','b') or 'a' or a.
func parseList(v string) []string {
	v = strings.TrimSpace(v)
	v = strings.TrimSuffix(strings.TrimPrefix(v, "("), ")")
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.Trim(strings.TrimSpace(p), "'")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func strPtr(s string) *string { return &s }
