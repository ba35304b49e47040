package dmp_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/testdmp"
)

// counted returns a handler wrapper that counts the requests it passes on.
func counted(n *atomic.Int32) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			h.ServeHTTP(w, r)
		})
	}
}

// badRequests are requests that break one ITI-18 or ITI-43 rule, with the
// rule and the registry error code the test DMP answers for it.
var badRequests = []struct {
	name    string
	rule    xds.RuleCode
	errCode string
	call    func(c *dmp.Client) error
}{
	{"FindDocuments status", xds.CodeInvalidQueryParameterValue, "XDSRegistryError", func(c *dmp.Client) error {
		_, err := c.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: examplePatient, Statuses: []string{"Approved"}})
		return err
	}},
	{"FindDocuments class code", xds.CodeInvalidQueryParameterValue, "XDSRegistryError", func(c *dmp.Client) error {
		_, err := c.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: examplePatient, ClassCodes: []xds.Code{{Code: "10"}}})
		return err
	}},
	{"GetDocuments entryUUID", xds.CodeInvalidUUID, "XDSRegistryError", func(c *dmp.Client) error {
		_, err := c.GetDocuments(ctx, dmp.GetDocumentsQuery{EntryUUIDs: []string{"9a4b37f6-7f0e-4a57-9d49-3c2b8e6d1f01"}})
		return err
	}},
	{"Retrieve repository", xds.CodeInvalidOID, "XDSUnknownRepositoryId", func(c *dmp.Client) error {
		return c.Retrieve(ctx, []dmp.DocumentRef{{RepositoryUniqueID: "urn:oid:" + testdmp.RepositoryUniqueID, DocumentUniqueID: "1.2.3"}},
			func(dmp.RetrievedDocument, io.Reader) error { return nil })
	}},
	{"Retrieve twice", xds.CodeDuplicateDocumentRequest, "XDSRegistryError", func(c *dmp.Client) error {
		ref := dmp.DocumentRef{RepositoryUniqueID: testdmp.RepositoryUniqueID, DocumentUniqueID: "1.2.3"}
		return c.Retrieve(ctx, []dmp.DocumentRef{ref, ref}, func(dmp.RetrievedDocument, io.Reader) error { return nil })
	}},
}

// TestRequestRulesClientSide: dmp.Client refuses a request that breaks the
// ITI-18/ITI-43 rules before sending anything, with the rule.
func TestRequestRulesClientSide(t *testing.T) {
	var sent atomic.Int32
	c := testDMPClientWith(t, dmp.Options{}, testdmp.Options{LaxMetadata: true}, counted(&sent))
	for _, tc := range badRequests {
		err := tc.call(c)
		var de *dmp.Error
		var xe *xds.Error
		if !errors.As(err, &de) || !errors.As(err, &xe) || len(xe.Violations) != 1 || xe.Violations[0].Code != tc.rule {
			t.Errorf("%s: got %v, want a *dmp.Error holding an *xds.Error %s", tc.name, err, tc.rule)
		}
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// TestRequestRulesServerSide: with the client checks off, the test DMP
// refuses the same requests with the registry error code of the rule; with
// Options.LaxRequests it answers them.
func TestRequestRulesServerSide(t *testing.T) {
	var sent atomic.Int32
	c := testDMPClientWith(t, dmp.Options{NoRequestChecks: true}, testdmp.Options{LaxMetadata: true}, counted(&sent))
	for _, tc := range badRequests {
		err := tc.call(c)
		var de *dmp.Error
		if !errors.As(err, &de) || len(de.Details) != 1 || de.Details[0].Code != tc.errCode || !strings.Contains(de.Details[0].Text, string(tc.rule)) {
			t.Errorf("%s: got %v, want the DMP's %s naming %s", tc.name, err, tc.errCode, tc.rule)
		}
	}
	if n := sent.Load(); int(n) != len(badRequests) {
		t.Errorf("%d requests sent, want %d", n, len(badRequests))
	}
	lax := testDMPClientWith(t, dmp.Options{NoRequestChecks: true}, testdmp.Options{LaxMetadata: true, LaxRequests: true}, nil)
	for _, tc := range badRequests[:3] {
		if err := tc.call(lax); err != nil {
			t.Errorf("%s with LaxRequests: %v", tc.name, err)
		}
	}
}
