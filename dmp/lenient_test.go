package dmp_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// extendedXDS answers stored queries with the kit's TD3.1 response and,
// beyond the schema, an attribute and an identity element with its OID (a
// newer registry's extension): the server writes what the value keeps in
// its Unknown field.
type extendedXDS struct{ *kitXDS }

func (x extendedXDS) RegistryStoredQuery(ctx context.Context, req *query.AdhocQueryRequest) (*query.AdhocQueryResponse, error) {
	resp, err := x.kitXDS.RegistryStoredQuery(ctx, req)
	if err != nil {
		return nil, err
	}
	resp.Unknown = &xmlbind.Unknown{
		Attrs: []xmltext.Attr{{Name: xmltext.Name{Space: "urn:x", Local: "flag"}, Value: "on"}},
		Elements: []*xmltext.Element{{Name: xmltext.Name{Space: "urn:x", Local: "id"},
			Attrs: []xmltext.Attr{{Name: xmltext.Name{Local: "root"}, Value: "1.2.250.1.213.1.4.8"}}}},
	}
	return resp, nil
}

// TestLenientWarnings: a strict client refuses a response with content
// beyond the schema; a lenient one (Options.SOAP) returns the results, and
// the warnings reach the caller through soap.CollectWarnings in the context.
func TestLenientWarnings(t *testing.T) {
	k := &kitXDS{t: t}
	srv := soap.NewServer()
	xdsb.RegisterDocumentRegistry(srv, extendedXDS{k})
	xdsb.RegisterDocumentRepository(srv, k)
	q := dmp.FindDocumentsQuery{Patient: examplePatient}

	strict, _ := testServer(t, srv)
	if _, err := strict.FindDocuments(ctx, q); err == nil || !strings.Contains(err.Error(), "unexpected attribute {urn:x}flag") {
		t.Errorf("strict client: %v", err)
	}

	o := fixedOptions()
	o.SOAP = []soap.Option{soap.WithLenientDecoding(true)}
	lenient, _ := testServerWith(t, srv, o)
	var warnings []string
	res, err := lenient.FindDocuments(soap.WithCallOptions(ctx, soap.CollectWarnings(&warnings)), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents()) == 0 {
		t.Error("no documents")
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], "kept unexpected attribute {urn:x}flag") ||
		!strings.Contains(warnings[1], "kept unexpected element {urn:x}id") {
		t.Errorf("warnings %q", warnings)
	}
}
