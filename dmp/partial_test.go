package dmp_test

import (
	"context"
	"errors"
	"strings"
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

// TestPublishChecksValueSets: by default Publish checks the submitted codes
// against the DMP value sets and refuses the kit's outdated TD2.1 typeCode
// before anything is sent; NoValueSets sends it.
func TestPublishChecksValueSets(t *testing.T) {
	doc := readKit(t, "TD2.1-DocumentME2.xml")
	opts := fixedOptions()
	opts.NoValueSets = false
	c, rec := xdsServerWith(t, &kitXDS{}, opts)
	_, err := c.Publish(ctx, examplePublication(t, doc))
	if err == nil || !strings.Contains(err.Error(), "CODE_NOT_IN_VALUE_SET") || !strings.Contains(err.Error(), "JDV_J66-TypeCode-DMP") {
		t.Fatalf("outdated typeCode: %v", err)
	}
	if rec.body != nil {
		t.Fatal("the request was sent although its metadata break a value set")
	}
	opts.NoValueSets = true
	c, _ = xdsServerWith(t, &kitXDS{}, opts)
	if _, err := c.Publish(ctx, examplePublication(t, doc)); err != nil {
		t.Fatalf("NoValueSets: %v", err)
	}
}
