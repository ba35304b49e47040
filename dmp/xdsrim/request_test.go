package xdsrim_test

import (
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/dmp/xdsrim"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

func rimSlot(name string, values ...string) rim.SlotType1 {
	s := rim.SlotType1{Name: name, ValueList: &rim.ValueListType{}}
	for _, v := range values {
		s.ValueList.Sequence = append(s.ValueList.Sequence, rim.ValueListTypeSequence{Value: &v})
	}
	return s
}

// goldenQuery is the TD3.1 request of the kit (FindDocuments of the
// patient's Approved documents) as the generated bindings hold it.
func goldenQuery() *query.AdhocQueryRequest {
	rt, composed := "LeafClass", true
	return &query.AdhocQueryRequest{
		ResponseOption: &query.ResponseOptionType{ReturnComposedObjects: &composed, ReturnType: &rt},
		AdhocQuery: &rim.AdhocQueryType{Id: xds.QueryFindDocuments, Slot: []rim.SlotType1{
			rimSlot("$XDSDocumentEntryPatientId", "'207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH'"),
			rimSlot("$XDSDocumentEntryStatus", "('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')"),
		}},
	}
}

// goldenRetrieve is the TD3.2 request of the kit.
func goldenRetrieve() *xdsb.RetrieveDocumentSetRequestType {
	repo, doc := "1.2.250.1.213.4.1.1.1.2", "1.2.250.1.999.1.1.7898.1.995657292"
	return &xdsb.RetrieveDocumentSetRequestType{DocumentRequest: []xdsb.RetrieveDocumentSetRequestTypeDocumentRequest{
		{RepositoryUniqueId: &repo, DocumentUniqueId: &doc}}}
}

func querySlot(r *query.AdhocQueryRequest, name string) *rim.SlotType1 {
	for i := range r.AdhocQuery.Slot {
		if r.AdhocQuery.Slot[i].Name == name {
			return &r.AdhocQuery.Slot[i]
		}
	}
	r.AdhocQuery.Slot = append(r.AdhocQuery.Slot, rim.SlotType1{Name: name})
	return &r.AdhocQuery.Slot[len(r.AdhocQuery.Slot)-1]
}

func setValues(r *query.AdhocQueryRequest, name string, values ...string) {
	*querySlot(r, name) = rimSlot(name, values...)
}

// requestMutations break the ITI-18 and ITI-43 request rules on the
// generated request types, read back by xdsrim.Query and xdsrim.Retrieve.
var requestMutations = []mutation{
	{code: xds.CodeUnknownQueryType, query: func(r *query.AdhocQueryRequest) { r.AdhocQuery.Id = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0e" }},
	{code: xds.CodeUnknownReturnType, query: func(r *query.AdhocQueryRequest) { r.ResponseOption.ReturnType = nil }},
	{code: xds.CodeWrongQuerySlotName, query: func(r *query.AdhocQueryRequest) {
		setValues(r, "XDSDocumentEntryClassCode", "('10^^1.2.250.1.213.1.1.4.1')")
	}},
	{code: xds.CodeUnknownQueryParameter, query: func(r *query.AdhocQueryRequest) { setValues(r, "$XDSFolderCodeList", "('10^^1.2.250.1.213.1.1.4.1')") }},
	{code: xds.CodeMissingRequiredQueryParameter, query: func(r *query.AdhocQueryRequest) { r.AdhocQuery.Slot = r.AdhocQuery.Slot[:1] },
		where: xds.QueryFindDocuments + " $XDSDocumentEntryStatus"},
	{code: xds.CodeQueryParametersCannotBeSetTogether, query: func(r *query.AdhocQueryRequest) {
		r.AdhocQuery.Id = xds.QueryGetDocuments
		r.AdhocQuery.Slot = []rim.SlotType1{rimSlot("$XDSDocumentEntryUniqueId", "('1.2.3')"), rimSlot("$XDSDocumentEntryLogicalID", "('urn:uuid:7953af1a-ba1c-11eb-816f-0050569e422e')")}
	}},
	{code: xds.CodeTooManyValuesForQueryParameter, query: func(r *query.AdhocQueryRequest) {
		setValues(r, "$XDSDocumentEntryPatientId", "('207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH','1^^^&1.2.250.1.213.1.4.10&ISO^NH')")
	}},
	{code: xds.CodeParameterValueNotString, query: func(r *query.AdhocQueryRequest) {
		setValues(r, "$XDSDocumentEntryPatientId", "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH")
	}},
	{code: xds.CodeParameterValueNotStringList, query: func(r *query.AdhocQueryRequest) {
		setValues(r, "$XDSDocumentEntryStatus", "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved")
	}},
	{code: xds.CodeEmptyReferenceList, query: func(r *query.AdhocQueryRequest) { setValues(r, "$XDSDocumentEntryStatus", "()") }},
	{code: xds.CodeInvalidQueryParameterValue, query: func(r *query.AdhocQueryRequest) { setValues(r, "$XDSDocumentEntryCreationTimeTo", "2024-01-01") }},
	{code: xds.CodeInvalidHomeCommunityID, retrieve: func(r *xdsb.RetrieveDocumentSetRequestType) {
		h := "urn:oid:1.2.250.1.213.4.1."
		r.DocumentRequest[0].HomeCommunityId = &h
	}},
	{code: xds.CodeNoDocumentRequest, retrieve: func(r *xdsb.RetrieveDocumentSetRequestType) { r.DocumentRequest = nil }},
	{code: xds.CodeRepoIDMustBeSpecified, retrieve: func(r *xdsb.RetrieveDocumentSetRequestType) { r.DocumentRequest[0].RepositoryUniqueId = nil }},
	{code: xds.CodeDocIDMustBeSpecified, retrieve: func(r *xdsb.RetrieveDocumentSetRequestType) { r.DocumentRequest[0].DocumentUniqueId = nil }},
	{code: xds.CodeDuplicateDocumentRequest, retrieve: func(r *xdsb.RetrieveDocumentSetRequestType) {
		r.DocumentRequest = append(r.DocumentRequest, r.DocumentRequest[0])
	}},
}

// runRequest applies a request mutation to a fresh golden request.
func (mu *mutation) runRequest(t *testing.T) xds.Violations {
	t.Helper()
	if mu.query != nil {
		r := goldenQuery()
		mu.query(r)
		return xds.ValidateQuery(xdsrim.Query(r), xds.QueryOptions{Profile: hl7v2.DMP})
	}
	r := goldenRetrieve()
	mu.retrieve(r)
	return xds.ValidateRetrieve(xdsrim.Retrieve(r))
}

func TestGoldenRequests(t *testing.T) {
	if vs := xds.ValidateQuery(xdsrim.Query(goldenQuery()), xds.QueryOptions{Profile: hl7v2.DMP}); len(vs) > 0 {
		t.Errorf("TD3.1 request: %v", vs)
	}
	if vs := xds.ValidateRetrieve(xdsrim.Retrieve(goldenRetrieve())); len(vs) > 0 {
		t.Errorf("TD3.2 request: %v", vs)
	}
	// A request without its AdhocQuery reads as an unknown query.
	vs := xds.ValidateQuery(xdsrim.Query(&query.AdhocQueryRequest{}), xds.QueryOptions{Profile: hl7v2.DMP})
	if !vs.Has(xds.CodeUnknownQueryType) || !strings.Contains(vs.Err().Error(), "returnType") {
		t.Errorf("empty request: %v", vs)
	}
}
