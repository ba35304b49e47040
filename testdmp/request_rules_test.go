package testdmp

import (
	"context"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
)

// TestQueryRefusals: the registry refuses a stored query that breaks the
// ITI-18 rules with the registry error code of each violation, answers a
// known stored query it does not implement with XDSRegistryError, and
// with LaxRequests runs the query as sent.
func TestQueryRefusals(t *testing.T) {
	const patient = "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH"
	noStatus := findDocumentsRequest(patient, StatusApproved)
	noStatus.AdhocQuery.Slot = noStatus.AdhocQuery.Slot[:1]
	twoPatients := findDocumentsRequest(patient, StatusApproved)
	twoPatients.AdhocQuery.Slot[0] = slot("$XDSDocumentEntryPatientId", "('"+patient+"','"+patient+"')")
	leaf := "LeafClass"
	getAll := &query.AdhocQueryRequest{ResponseOption: &query.ResponseOptionType{ReturnType: &leaf},
		AdhocQuery: &rim.AdhocQueryType{Id: "urn:uuid:10b545ea-725c-446d-9b95-8aeb444eddf3", Slot: []rim.SlotType1{
			slot("$patientId", "'"+patient+"'"), slot("$XDSDocumentEntryStatus", "('"+StatusApproved+"')"),
			slot("$XDSSubmissionSetStatus", "('"+StatusApproved+"')"), slot("$XDSFolderStatus", "('"+StatusApproved+"')"),
		}}}
	for _, tc := range []struct {
		name, code, rule string
		req              *query.AdhocQueryRequest
	}{
		{"missing status", "XDSStoredQueryMissingParam", "MISSING_REQUIRED_QUERY_PARAMETER", noStatus},
		{"two patients", "XDSStoredQueryParamNumber", "TOO_MANY_VALUES_FOR_QUERY_PARAMETER", twoPatients},
		{"GetAll", "XDSRegistryError", "does not implement the stored query GetAll", getAll},
	} {
		resp, err := newRegistry().RegistryStoredQuery(context.Background(), tc.req)
		if err != nil || resp.Status != responseFailure || resp.RegistryErrorList == nil || len(resp.RegistryErrorList.RegistryError) != 1 {
			t.Errorf("%s: %v %+v", tc.name, err, resp)
			continue
		}
		e := resp.RegistryErrorList.RegistryError[0]
		if e.ErrorCode != tc.code || !strings.Contains(e.CodeContext, tc.rule) {
			t.Errorf("%s: %s %q, want %s naming %s", tc.name, e.ErrorCode, e.CodeContext, tc.code, tc.rule)
		}
	}
	lax := newRegistry()
	lax.laxRequests = true
	badStatus := findDocumentsRequest(patient, "Approved")
	if resp, err := newRegistry().RegistryStoredQuery(context.Background(), badStatus); err != nil || resp.Status != responseFailure {
		t.Errorf("status Approved: %v %+v", err, resp)
	}
	if resp, err := lax.RegistryStoredQuery(context.Background(), badStatus); err != nil || resp.Status != responseSuccess {
		t.Errorf("LaxRequests: %v %+v", err, resp)
	}
}

// TestRetrieveRefusals: the repository refuses a retrieve that breaks the
// ITI-43 rules (a Failure, no document) with the registry error code of the
// rule.
func TestRetrieveRefusals(t *testing.T) {
	repo, doc := RepositoryUniqueID, "1.2.250.1.999.1.1.7898.1.995657292"
	req := &xdsb.RetrieveDocumentSetRequestType{DocumentRequest: []xdsb.RetrieveDocumentSetRequestTypeDocumentRequest{{DocumentUniqueId: &doc}}}
	resp, err := newRegistry().RetrieveDocumentSet(context.Background(), req)
	if err != nil || resp.RegistryResponse.Status != responseFailure || len(resp.DocumentResponse) != 0 ||
		len(resp.RegistryResponse.RegistryErrorList.RegistryError) != 1 || resp.RegistryResponse.RegistryErrorList.RegistryError[0].ErrorCode != "XDSUnknownRepositoryId" {
		t.Fatalf("no repository: %v %+v", err, resp.RegistryResponse)
	}
	req.DocumentRequest[0].RepositoryUniqueId = &repo
	lax := newRegistry()
	lax.laxRequests = true
	resp, err = lax.RetrieveDocumentSet(context.Background(), &xdsb.RetrieveDocumentSetRequestType{
		DocumentRequest: append(req.DocumentRequest, req.DocumentRequest[0])})
	if err != nil || resp.RegistryResponse.RegistryErrorList.RegistryError[0].ErrorCode != "XDSDocumentUniqueIdError" {
		t.Fatalf("LaxRequests: the unknown document is looked up: %v %+v", err, resp.RegistryResponse)
	}
}
