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

	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/generated/xds/rs"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
)

// IHE XDS.b identifiers used by the registry.
const (
	schemeDocUniqueID  = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
	schemeDocPatientID = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"
	queryFindDocuments = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"
	queryGetDocuments  = "urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4"
	assocUpdateStatus  = "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus"

	StatusApproved  = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"
	StatusArchived  = "urn:asip:ci-sis:2010:StatusType:Archived"
	StatusDeleted   = "urn:asip:ci-sis:2010:StatusType:Deleted"
	responseSuccess = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
	responseFailure = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"
	severityError   = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"

	// RepositoryUniqueID is the DMP repository's OID (DOMAIN.md §3).
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
}

type entry struct {
	eo        *rim.ExtrinsicObjectType
	uniqueID  string
	patientID string
	status    string
	data      []byte
	added     time.Time
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

// ProvideAndRegisterDocumentSetB stores the submitted documents (ITI-41).
func (r *registry) ProvideAndRegisterDocumentSetB(ctx context.Context, req *xdsb.ProvideAndRegisterDocumentSetRequestType) (*rs.RegistryResponseType, error) {
	if req.SubmitObjectsRequest == nil || req.SubmitObjectsRequest.RegistryObjectList == nil {
		return failure("XDSRegistryMetadataError", "SubmitObjectsRequest has no RegistryObjectList"), nil
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
		eo := it.ExtrinsicObject
		if eo == nil {
			continue
		}
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
		add = append(add, e)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range add {
		if _, dup := r.byUnique[e.uniqueID]; dup {
			return failure("XDSNonIdenticalHash", "uniqueId "+e.uniqueID+" already registered"), nil
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
		uuids, uids := param("$XDSDocumentEntryEntryUUID"), param("$XDSDocumentEntryUniqueId")
		for _, e := range r.entries {
			if contains(uuids, e.eo.Id) || contains(uids, e.uniqueID) {
				match = append(match, e)
			}
		}
	default:
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

// UpdateDocumentSet applies availability status changes (ITI-57: the DMP
// archives with Approved→Archived and deletes with Archived→Deleted).
func (r *registry) UpdateDocumentSet(ctx context.Context, req *lcm.SubmitObjectsRequest) (*rs.RegistryResponseType, error) {
	if req.RegistryObjectList == nil {
		return failure("XDSRegistryMetadataError", "no RegistryObjectList"), nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	type change struct {
		e        *entry
		from, to string
	}
	var changes []change
	for _, it := range req.RegistryObjectList.Identifiable {
		a := it.Association
		if a == nil || a.AssociationType != assocUpdateStatus {
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
	if len(changes) == 0 {
		return failure("XDSRegistryMetadataError", "no UpdateAvailabilityStatus association"), nil
	}
	for _, c := range changes {
		c.e.status = c.to
	}
	return &rs.RegistryResponseType{Status: responseSuccess}, nil
}

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
