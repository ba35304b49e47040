//go:build dmpgen_template

package dmp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/dmpgen/dmpgen/dmp/xdsrim"
	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// Stored query ids (IHE ITI TF-2a 3.18.4.1.2.3.7).
const (
	QueryFindDocuments = xds.QueryFindDocuments
	QueryGetDocuments  = xds.QueryGetDocuments
)

// ReturnType is the returnType of a stored query.
type ReturnType string

// Return types.
const (
	LeafClass ReturnType = "LeafClass"
	ObjectRef ReturnType = "ObjectRef"
)

// FindDocumentsQuery is the TD3.1 (ITI-18 FindDocuments) query. Patient is
// required; Statuses defaults to Approved; every other criterion is optional
// (nil or zero: not sent). Times are sent as XDS DTM in UTC to the second.
type FindDocumentsQuery struct {
	Patient  hl7v2.CX
	Statuses []string // availability statuses (xds.StatusApproved, xds.StatusArchived...)

	ClassCodes                  []xds.Code
	TypeCodes                   []xds.Code
	PracticeSettingCodes        []xds.Code
	HealthcareFacilityTypeCodes []xds.Code
	EventCodes                  []xds.Code
	ConfidentialityCodes        []xds.Code
	FormatCodes                 []xds.Code
	AuthorPersons               []string // XCN, '%' and '_' wildcards allowed

	CreationTimeFrom, CreationTimeTo         time.Time
	ServiceStartTimeFrom, ServiceStartTimeTo time.Time
	ServiceStopTimeFrom, ServiceStopTimeTo   time.Time

	ReturnType ReturnType // LeafClass when ""
}

// GetDocumentsQuery is the ITI-18 GetDocuments query: exactly one of
// EntryUUIDs and UniqueIDs.
type GetDocumentsQuery struct {
	EntryUUIDs []string
	UniqueIDs  []string
	ReturnType ReturnType // LeafClass when ""
}

// QueryResult is the result of a stored query: the XDS metadata returned
// (DocumentEntries for LeafClass, ObjectRefs for ObjectRef).
type QueryResult struct {
	Metadata *xds.Metadata
}

// Documents returns the DocumentEntries of the result.
func (r *QueryResult) Documents() []*xds.DocumentEntry { return r.Metadata.DocumentEntries() }

// FindDocuments runs TD3.1: the DocumentEntries of a patient that match q.
// A PartialSuccess response gives both its results and an *Error holding
// the *soap.RegistryError with the registry's warnings and errors.
func (c *Client) FindDocuments(ctx context.Context, q FindDocumentsQuery) (*QueryResult, error) {
	const td = "TD3.1"
	if q.Patient.ID == "" {
		return nil, &Error{Transaction: td, Err: errors.New("FindDocuments: no patient id")}
	}
	statuses := q.Statuses
	if len(statuses) == 0 {
		statuses = []string{xds.StatusApproved}
	}
	slots := []rim.SlotType1{slot("$XDSDocumentEntryPatientId", quote(q.Patient.Format()))}
	add := func(name string, values []string) {
		if len(values) > 0 {
			slots = append(slots, slot(name, list(values)))
		}
	}
	addTime := func(name string, t time.Time) {
		if !t.IsZero() {
			slots = append(slots, slot(name, dtm(t)))
		}
	}
	add("$XDSDocumentEntryStatus", statuses)
	add("$XDSDocumentEntryClassCode", codes(q.ClassCodes))
	add("$XDSDocumentEntryTypeCode", codes(q.TypeCodes))
	add("$XDSDocumentEntryPracticeSettingCode", codes(q.PracticeSettingCodes))
	addTime("$XDSDocumentEntryCreationTimeFrom", q.CreationTimeFrom)
	addTime("$XDSDocumentEntryCreationTimeTo", q.CreationTimeTo)
	addTime("$XDSDocumentEntryServiceStartTimeFrom", q.ServiceStartTimeFrom)
	addTime("$XDSDocumentEntryServiceStartTimeTo", q.ServiceStartTimeTo)
	addTime("$XDSDocumentEntryServiceStopTimeFrom", q.ServiceStopTimeFrom)
	addTime("$XDSDocumentEntryServiceStopTimeTo", q.ServiceStopTimeTo)
	add("$XDSDocumentEntryHealthcareFacilityTypeCode", codes(q.HealthcareFacilityTypeCodes))
	add("$XDSDocumentEntryEventCodeList", codes(q.EventCodes))
	add("$XDSDocumentEntryConfidentialityCode", codes(q.ConfidentialityCodes))
	add("$XDSDocumentEntryAuthorPerson", q.AuthorPersons)
	add("$XDSDocumentEntryFormatCode", codes(q.FormatCodes))
	return c.storedQuery(ctx, td, QueryFindDocuments, q.ReturnType, slots)
}

// GetDocuments runs ITI-18 GetDocuments: the DocumentEntries of the given
// entryUUIDs or uniqueIds. A PartialSuccess response gives both its results
// and an *Error, as FindDocuments.
func (c *Client) GetDocuments(ctx context.Context, q GetDocumentsQuery) (*QueryResult, error) {
	const td = "TD3.1"
	var s rim.SlotType1
	switch {
	case len(q.EntryUUIDs) > 0 && len(q.UniqueIDs) > 0:
		return nil, &Error{Transaction: td, Err: errors.New("GetDocuments: both entryUUIDs and uniqueIds given")}
	case len(q.EntryUUIDs) > 0:
		s = slot("$XDSDocumentEntryEntryUUID", list(q.EntryUUIDs))
	case len(q.UniqueIDs) > 0:
		s = slot("$XDSDocumentEntryUniqueId", list(q.UniqueIDs))
	default:
		return nil, &Error{Transaction: td, Err: errors.New("GetDocuments: no entryUUID or uniqueId")}
	}
	return c.storedQuery(ctx, td, QueryGetDocuments, q.ReturnType, []rim.SlotType1{s})
}

func (c *Client) storedQuery(ctx context.Context, td, id string, rt ReturnType, slots []rim.SlotType1) (*QueryResult, error) {
	if c.registry == nil {
		return nil, &Error{Transaction: td, Err: fmt.Errorf("%w: Registry", ErrNoEndpoint)}
	}
	if rt == "" {
		rt = LeafClass
	}
	if rt != LeafClass && rt != ObjectRef {
		return nil, &Error{Transaction: td, Err: fmt.Errorf("unknown returnType %q", rt)}
	}
	rts, composed := string(rt), true
	req := &query.AdhocQueryRequest{
		ResponseOption: &query.ResponseOptionType{ReturnComposedObjects: &composed, ReturnType: &rts},
		AdhocQuery:     &rim.AdhocQueryType{Id: id, Slot: slots},
	}
	if !c.opts.NoRequestChecks {
		if v := xds.ValidateQuery(xdsrim.Query(req), xds.QueryOptions{Profile: hl7v2.DMP}); len(v) > 0 {
			return nil, &Error{Transaction: td, Err: fmt.Errorf("invalid ITI-18 request, not sent: %w", &xds.Error{Violations: v})}
		}
	}
	resp, callErr := c.registry.RegistryStoredQuery(ctx, req)
	if callErr != nil {
		// A PartialSuccess response carries results and errors: the
		// generated client returns no response with the error, the
		// RegistryError holds it.
		var re *soap.RegistryError
		if !errors.As(callErr, &re) || !re.PartialSuccess() {
			return nil, wrap(td, callErr)
		}
		partial, ok := re.Response.(*query.AdhocQueryResponse)
		if !ok || partial == nil {
			return nil, wrap(td, callErr)
		}
		resp = partial
	}
	md, err := xdsrim.Decode(resp.RegistryObjectList)
	if err != nil {
		return nil, &Error{Transaction: td, Err: fmt.Errorf("query response: %w", err)}
	}
	return &QueryResult{Metadata: md}, wrap(td, callErr)
}

func slot(name, value string) rim.SlotType1 {
	return rim.SlotType1{Name: name, ValueList: &rim.ValueListType{Sequence: []rim.ValueListTypeSequence{{Value: &value}}}}
}

// quote writes a stored-query string parameter: 'v' with ' doubled.
func quote(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }

// list writes a stored-query list parameter: ('a','b').
func list(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = quote(v)
	}
	return "(" + strings.Join(q, ",") + ")"
}

// codes writes coded values as stored-query parameters: code^^scheme.
func codes(cs []xds.Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code + "^^" + c.Scheme
	}
	return out
}

// dtm writes an XDS time: UTC, to the second.
func dtm(t time.Time) string { return t.UTC().Format("20060102150405") }

// DocumentRef identifies a document to retrieve (TD3.2).
type DocumentRef struct {
	RepositoryUniqueID string
	DocumentUniqueID   string
	HomeCommunityID    string // optional
}

// RefOf returns the reference of a DocumentEntry found by TD3.1.
func RefOf(e *xds.DocumentEntry) DocumentRef {
	return DocumentRef{RepositoryUniqueID: e.RepositoryUniqueID, DocumentUniqueID: e.UniqueID, HomeCommunityID: e.Home}
}

// RetrievedDocument is one document of a TD3.2 response.
type RetrievedDocument struct {
	DocumentRef
	MimeType string
}

// Retrieve runs TD3.2 (ITI-43) and streams each document returned to f,
// in message order (MTOM attachments as they arrive, inline documents
// after them). content is valid until f returns. Treat what f wrote as
// provisional until Retrieve returns nil: the message is checked to its
// end. A document requested and not returned, or returned and not
// requested, is an error.
func (c *Client) Retrieve(ctx context.Context, refs []DocumentRef, f func(doc RetrievedDocument, content io.Reader) error) error {
	const td = "TD3.2"
	s, err := c.soapClient("Repository", td)
	if err != nil {
		return err
	}
	if len(refs) == 0 {
		return &Error{Transaction: td, Err: errors.New("Retrieve: no document requested")}
	}
	req := new(xdsb.RetrieveDocumentSetRequestType)
	for _, r := range refs {
		if r.RepositoryUniqueID == "" || r.DocumentUniqueID == "" {
			return &Error{Transaction: td, Err: fmt.Errorf("Retrieve: document %+v lacks its repository or document uniqueId", r)}
		}
		dr := xdsb.RetrieveDocumentSetRequestTypeDocumentRequest{RepositoryUniqueId: ptr(r.RepositoryUniqueID), DocumentUniqueId: ptr(r.DocumentUniqueID)}
		if r.HomeCommunityID != "" {
			dr.HomeCommunityId = ptr(r.HomeCommunityID)
		}
		req.DocumentRequest = append(req.DocumentRequest, dr)
	}
	if !c.opts.NoRequestChecks {
		if v := xds.ValidateRetrieve(xdsrim.Retrieve(req)); len(v) > 0 {
			return &Error{Transaction: td, Err: fmt.Errorf("invalid ITI-43 request, not sent: %w", &xds.Error{Violations: v})}
		}
	}
	resp := new(xdsb.RetrieveDocumentSetResponseType)
	delivered := map[int]bool{}
	onPart := func(p *mtom.Part) error {
		for i, d := range resp.DocumentResponse {
			if d.Document != nil && d.Document.Include == p.ContentID && !delivered[i] {
				delivered[i] = true
				return f(retrieved(d), p.Body)
			}
		}
		return fmt.Errorf("attachment <%s> is no document of the response", p.ContentID)
	}
	callErr := s.Call(ctx, opRetrieve, req, resp, soap.OnAttachment(onPart))
	if callErr != nil {
		var re *soap.RegistryError
		if !errors.As(callErr, &re) || !re.PartialSuccess() {
			return wrap(td, callErr)
		}
	}
	for i, d := range resp.DocumentResponse {
		if d.Document == nil {
			return &Error{Transaction: td, Err: fmt.Errorf("document response %d has no Document", i+1)}
		}
		if d.Document.Include == "" && !delivered[i] {
			if err := f(retrieved(d), strings.NewReader(string(d.Document.Data))); err != nil {
				return err
			}
			delivered[i] = true
		}
		if !delivered[i] {
			return &Error{Transaction: td, Err: fmt.Errorf("document %s: attachment <%s> missing", deref(d.DocumentUniqueId), d.Document.Include)}
		}
	}
	if callErr == nil && len(resp.DocumentResponse) != len(refs) {
		return &Error{Transaction: td, Err: fmt.Errorf("%d documents requested, %d returned", len(refs), len(resp.DocumentResponse))}
	}
	return wrap(td, callErr)
}

func retrieved(d xdsb.RetrieveDocumentSetResponseTypeDocumentResponse) RetrievedDocument {
	return RetrievedDocument{
		DocumentRef: DocumentRef{RepositoryUniqueID: deref(d.RepositoryUniqueId), DocumentUniqueID: deref(d.DocumentUniqueId), HomeCommunityID: deref(d.HomeCommunityId)},
		MimeType:    deref(d.MimeType),
	}
}

var opRetrieve = operation(xdsb.DocumentRepositoryOperations(), "DocumentRepository_RetrieveDocumentSet")

func operation(ops []*soap.Operation, name string) *soap.Operation {
	for _, op := range ops {
		if op.Name == name {
			return op
		}
	}
	panic("dmp: the generated bindings have no operation " + name)
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Submission describes the XDS SubmissionSet of a TD2.1 or TD3.3 request.
type Submission struct {
	Title       string       // Name
	Comments    string       // Description (optional)
	Authors     []xds.Author // at least one
	ContentType xds.Code     // contentTypeCode (JDV_J59)
	SourceID    string       // OID of the submitting software or structure
	UniqueID    string       // generated with Options.NewUniqueID when ""
}

// submissionSet builds the SubmissionSet "SubmissionSet01" of a request.
func (c *Client) submissionSet(s Submission, patient hl7v2.CX) (*xds.SubmissionSet, error) {
	if s.SourceID == "" {
		return nil, errors.New("submission: no sourceId")
	}
	if len(s.Authors) == 0 {
		return nil, errors.New("submission: no author")
	}
	uid := s.UniqueID
	if uid == "" {
		var err error
		if uid, err = c.opts.NewUniqueID(); err != nil {
			return nil, fmt.Errorf("submission uniqueId: %w", err)
		}
	}
	ss := &xds.SubmissionSet{
		Base:           xds.Base{EntryUUID: submissionSetID, Title: c.text(s.Title), Comments: c.text(s.Comments)},
		SubmissionTime: dtm(c.opts.Now()),
		Authors:        s.Authors, ContentTypeCode: s.ContentType,
		PatientID: patient.Format(), SourceID: s.SourceID, UniqueID: uid,
	}
	return ss, nil
}

const submissionSetID = "SubmissionSet01"

func (c *Client) text(s string) xds.Text {
	if s == "" {
		return nil
	}
	return xds.NewText(s)
}

// lower writes metadata built here as a RegistryObjectList, with the
// client's locale on every LocalizedString that has none, and the parts
// built in Go in the order of the DMP examples (any order is valid ebRIM);
// the parts of an object read from the registry (a new version copied by
// xds.DocumentEntry.NewVersion) keep the order they were read in.
func (c *Client) lower(m *xds.Metadata) *rim.RegistryObjectListType {
	objs := m.Lower()
	for i, o := range objs {
		if loc := c.opts.Locale; loc != nil {
			localize(&o.Parts, loc)
		}
		if len(objs) == len(m.Items) && readOrder(m.Items[i]) {
			continue
		}
		for _, cl := range o.Classifications {
			if cl.SchemeValue() == xds.SchemeDocAuthor || cl.SchemeValue() == xds.SchemeSetAuthor {
				sortAuthorSlots(cl.Slots)
			}
		}
		if o.Kind == xds.KindExtrinsicObject {
			rank := func(cl *xds.Classification) int {
				if r, ok := entryClassificationOrder[cl.SchemeValue()]; ok {
					return r
				}
				return len(entryClassificationOrder) + 1
			}
			sort.SliceStable(o.Classifications, func(i, j int) bool { return rank(o.Classifications[i]) < rank(o.Classifications[j]) })
		}
	}
	return xdsrim.ToRIM(objs)
}

// readOrder reports whether an item was read from ebRIM (Lift keeps the
// place of every part in Extra), so that its parts keep their order.
func readOrder(it xds.Item) bool {
	var x *xds.Extra
	switch v := it.(type) {
	case *xds.DocumentEntry:
		x = &v.Extra
	case *xds.SubmissionSet:
		x = &v.Extra
	case *xds.Folder:
		x = &v.Extra
	default:
		return false
	}
	return len(x.Classifications) > 0 || len(x.Slots) > 0 || len(x.ExternalIdentifiers) > 0
}

// entryClassificationOrder is the order of the DocumentEntry
// classifications in the TD2.1 example.
var entryClassificationOrder = map[string]int{
	xds.SchemeDocAuthor: 1, xds.SchemeDocClassCode: 2, xds.SchemeDocTypeCode: 3, xds.SchemeDocConfidentialityCode: 4,
	xds.SchemeDocFormatCode: 5, xds.SchemeDocHealthcareFacilityTypeCode: 6, xds.SchemeDocPracticeSettingCode: 7, xds.SchemeDocEventCode: 8,
}

// authorSlotOrder is the order of the author slots in the DMP examples
// (TD2.1, TD3.3): person, specialty, institution; IHE lists no order.
var authorSlotOrder = map[string]int{xds.SlotAuthorPerson: 1, xds.SlotAuthorSpecialty: 2, xds.SlotAuthorInstitution: 3, xds.SlotAuthorRole: 4, xds.SlotAuthorTelecom: 5}

// sortAuthorSlots puts the slots of an author Classification built here in
// the DMP order (stable: unknown slots keep their place after the known
// ones).
func sortAuthorSlots(slots []xds.Slot) {
	rank := func(s xds.Slot) int {
		if r, ok := authorSlotOrder[s.Name]; ok {
			return r
		}
		return len(authorSlotOrder) + 1
	}
	sort.SliceStable(slots, func(i, j int) bool { return rank(slots[i]) < rank(slots[j]) })
}

func localize(p *xds.Parts, loc *Locale) {
	for _, t := range []xds.Text{p.Name, p.Description} {
		for i := range t {
			if t[i].Lang == nil {
				t[i].Lang = &loc.Lang
			}
			if t[i].Charset == nil {
				t[i].Charset = &loc.Charset
			}
		}
	}
	for _, cl := range p.Classifications {
		localize(&cl.Parts, loc)
	}
	for _, ei := range p.ExternalIdentifiers {
		localize(&ei.Parts, loc)
	}
}

// StatusUpdate is a TD3.3 availability-status change (ITI-57
// UpdateAvailabilityStatus) of one DocumentEntry.
type StatusUpdate struct {
	Patient    hl7v2.CX
	Submission Submission
	EntryUUID  string // the DocumentEntry (urn:uuid:…)
}

// Archive runs TD3.3d: the DocumentEntry goes from Approved to Archived.
func (c *Client) Archive(ctx context.Context, u StatusUpdate) error {
	return c.updateStatus(ctx, "TD3.3d", u, xds.StatusApproved, xds.StatusArchived)
}

// Delete runs TD3.3c: the archived DocumentEntry goes from Archived to
// Deleted.
func (c *Client) Delete(ctx context.Context, u StatusUpdate) error {
	return c.updateStatus(ctx, "TD3.3c", u, xds.StatusArchived, xds.StatusDeleted)
}

// UpdateStatus runs an ITI-57 UpdateAvailabilityStatus from one status to
// another (the DMP accepts Approved → Archived and Archived → Deleted).
func (c *Client) UpdateStatus(ctx context.Context, u StatusUpdate, from, to string) error {
	return c.updateStatus(ctx, "TD3.3", u, from, to)
}

func (c *Client) updateStatus(ctx context.Context, td string, u StatusUpdate, from, to string) error {
	if c.registry == nil {
		return &Error{Transaction: td, Err: fmt.Errorf("%w: Registry", ErrNoEndpoint)}
	}
	if u.EntryUUID == "" {
		return &Error{Transaction: td, Err: errors.New("no entryUUID")}
	}
	ss, err := c.submissionSet(u.Submission, u.Patient)
	if err != nil {
		return &Error{Transaction: td, Err: err}
	}
	md := &xds.Metadata{Items: []xds.Item{ss, &xds.Association{
		Base: xds.Base{EntryUUID: "association1", ObjectType: xds.ObjectTypeAssociation},
		Type: xds.AssocUpdateAvailabilityStatus, Source: ss.EntryUUID, Target: u.EntryUUID,
		OriginalStatus: from, NewStatus: to,
	}}}
	if err := c.validate(md, xds.ITI57); err != nil {
		return &Error{Transaction: td, Err: err}
	}
	_, err = c.registry.UpdateDocumentSet(ctx, &lcm.SubmitObjectsRequest{RegistryObjectList: c.lower(md)})
	return wrap(td, err)
}

// validate checks metadata built here before it is sent.
func (c *Client) validate(md *xds.Metadata, t xds.Transaction) error {
	o := xds.Options{Transaction: t, Profile: hl7v2.DMP}
	if !c.opts.NoValueSets {
		o.ValueSets = xdsrim.DMPValueSets()
	}
	if v := xds.Validate(md, o); len(v) > 0 {
		return fmt.Errorf("invalid %s metadata: %w", t, &xds.Error{Violations: v})
	}
	return nil
}
