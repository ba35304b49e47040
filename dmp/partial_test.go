package dmp_test

import (
	"context"
	"errors"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rs"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/soap"
)

// partialXDS answers stored queries with the kit's TD3.1 response turned
// into a PartialSuccess with one warning.
type partialXDS struct{ *kitXDS }

func (p partialXDS) RegistryStoredQuery(ctx context.Context, req *query.AdhocQueryRequest) (*query.AdhocQueryResponse, error) {
	resp, err := p.kitXDS.RegistryStoredQuery(ctx, req)
	if err != nil {
		return nil, err
	}
	resp.Status = soap.StatusPartialSuccess
	resp.RegistryErrorList = &rs.RegistryErrorList{RegistryError: []rs.RegistryError{{
		ErrorCode: "XDSRegistryOutOfResources", CodeContext: "une partie des résultats seulement", Severity: ptr(soap.SeverityWarning),
	}}}
	return resp, nil
}

// TestPartialSuccessKeepsResults: FindDocuments and GetDocuments return the
// entries of a PartialSuccess response and an error holding the registry's
// warning, both at once.
func TestPartialSuccessKeepsResults(t *testing.T) {
	k := &kitXDS{t: t}
	srv := soap.NewServer()
	xdsb.RegisterDocumentRegistry(srv, partialXDS{k})
	xdsb.RegisterDocumentRepository(srv, k)
	c, _ := testServer(t, srv)
	for name, call := range map[string]func() (*dmp.QueryResult, error){
		"FindDocuments": func() (*dmp.QueryResult, error) {
			return c.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: examplePatient})
		},
		"GetDocuments": func() (*dmp.QueryResult, error) {
			return c.GetDocuments(ctx, dmp.GetDocumentsQuery{UniqueIDs: []string{"1.2.3"}})
		},
	} {
		res, err := call()
		var de *dmp.Error
		var re *soap.RegistryError
		if !errors.As(err, &de) || !errors.As(err, &re) || !re.PartialSuccess() {
			t.Fatalf("%s: error %T %v, want a *dmp.Error with a PartialSuccess *soap.RegistryError", name, err, err)
		}
		if de.Transaction != "TD3.1" || len(de.Details) != 1 || de.Details[0].Code != "XDSRegistryOutOfResources" {
			t.Errorf("%s: details %+v", name, de.Details)
		}
		if res == nil || len(res.Documents()) == 0 {
			t.Fatalf("%s: the results of the PartialSuccess response are lost: %+v", name, res)
		}
	}
}
