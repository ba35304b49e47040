package dmp_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/testdmp"
)

// TestFlowAgainstTestDMP runs publish → search → retrieve → archive →
// delete through the API against the embedded test DMP, over HTTPS with
// client certificates, every request carrying a signed VIHF that the DMP
// verifies.
func TestFlowAgainstTestDMP(t *testing.T) {
	c := testDMPClient(t, dmp.Options{})

	doc := []byte("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>Note</title></ClinicalDocument>\n")
	p := examplePublication(t, doc)
	p.Patient = examplePatient
	p.Submission.UniqueID = ""
	p.Documents[0].Entry.UniqueID = "1.2.250.1.999.1.1.7898.3.42"
	p.Documents[0].Entry.SourcePatientID = examplePatient.Format()
	p.Sign = nil
	// The test DMP keeps the entryUUIDs it receives (a registry assigns
	// UUIDs to symbolic ids): send a UUID, as ITI-41 allows.
	p.Documents[0].Entry.EntryUUID = "urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e"
	pub, err := c.Publish(ctx, p)
	if err != nil {
		t.Fatalf("TD2.1: %v", err)
	}
	if len(pub.Documents) != 1 {
		t.Fatalf("published %d entries", len(pub.Documents))
	}

	found, err := c.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: examplePatient})
	if err != nil {
		t.Fatalf("TD3.1: %v", err)
	}
	var entry *xds.DocumentEntry
	for _, e := range found.Documents() {
		if e.UniqueID == "1.2.250.1.999.1.1.7898.3.42" {
			entry = e
		}
	}
	if entry == nil {
		t.Fatalf("TD3.1: the published document was not found among %d", len(found.Documents()))
	}
	if entry.Hash != pub.Documents[0].Hash || entry.Size != pub.Documents[0].Size {
		t.Errorf("registry hash/size %s/%s, sent %s/%s", entry.Hash, entry.Size, pub.Documents[0].Hash, pub.Documents[0].Size)
	}

	var got []byte
	err = c.Retrieve(ctx, []dmp.DocumentRef{dmp.RefOf(entry)}, func(d dmp.RetrievedDocument, r io.Reader) error {
		got, err = io.ReadAll(r)
		return err
	})
	if err != nil {
		t.Fatalf("TD3.2: %v", err)
	}
	if !bytes.Equal(got, doc) {
		t.Errorf("TD3.2: retrieved %q, published %q", got, doc)
	}

	upd := dmp.StatusUpdate{Patient: examplePatient, Submission: exampleSubmission(""), EntryUUID: entry.EntryUUID}
	if err := c.Archive(ctx, upd); err != nil {
		t.Fatalf("TD3.3d: %v", err)
	}
	archived, err := c.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: examplePatient, Statuses: []string{xds.StatusArchived}})
	if err != nil {
		t.Fatalf("TD3.1 archived: %v", err)
	}
	if n := len(archived.Documents()); n != 1 {
		t.Errorf("%d archived documents, want 1", n)
	}
	if err := c.Delete(ctx, upd); err != nil {
		t.Fatalf("TD3.3c: %v", err)
	}
	// Deleting again fails: the entry is no longer Archived.
	if err := c.Delete(ctx, upd); err == nil {
		t.Error("TD3.3c twice succeeded")
	}
}

// testDMPClient serves an empty test DMP over HTTPS with client
// certificates and returns a client for it whose requests carry a VIHF
// signed with a CPS certificate of the same PKI, which the DMP verifies.
func testDMPClient(t *testing.T, o dmp.Options) *dmp.Client {
	t.Helper()
	// The fixtures replay the kit's TD2.1, whose typeCode left JDV_J66
	// (docs/kit-defects.md#outdated-typecode).
	return testDMPClientWith(t, o, testdmp.Options{LaxMetadata: true}, nil)
}

// testDMPClientWith is testDMPClient with the test DMP's options and a
// wrapper of its HTTP handler (nil: none).
func testDMPClientWith(t *testing.T, o dmp.Options, dopts testdmp.Options, wrap func(http.Handler) http.Handler) *dmp.Client {
	t.Helper()
	pki, err := soaptest.NewPKI()
	if err != nil {
		t.Fatal(err)
	}
	serverCert, err := pki.Loopback()
	if err != nil {
		t.Fatal(err)
	}
	clientCert, err := pki.Leaf("LPS DMPGEN TEST")
	if err != nil {
		t.Fatal(err)
	}
	cps, err := pki.Leaf("899900063480") // CN: the national identifier of the card holder, the VIHF's NameID
	if err != nil {
		t.Fatal(err)
	}
	_, srv := testdmp.NewServer(&xmldsig.Verifier{Roots: pki.Pool}, 5*time.Minute, dopts)
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(srv)
	}
	ts := httptest.NewUnstartedServer(h)
	ts.TLS = soap.ServerTLS(serverCert, pki.Pool)
	ts.StartTLS()
	t.Cleanup(ts.Close)

	provider := &wssec.Provider{
		Signer: xmldsig.Signer{Key: cps.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{cps.Leaf}},
		Claims: func(context.Context, string) (vihf.Claims, error) {
			return vihf.Claims{
				Mode: vihf.Directe, Version: vihf.V3, SubjectID: "899900063480", StructureID: "499900063480001",
				SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
				Roles: []vihf.Code{
					{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7", DisplayName: "Médecin"},
					{Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5", DisplayName: "Qualifié en Médecine Générale (SM)"},
				},
				SubjectName: "MAX LIBRE", Patient: examplePatient,
				LPSName: "DMPGEN", LPSVersion: "1", LPSHomologation: "NumAutorisation",
			}, nil
		},
	}
	hc := soap.NewHTTPClient(soap.ClientTLS(clientCert, pki.Pool))
	if o.Locale == nil {
		loc := dmp.DefaultLocale
		o.Locale = &loc
	}
	// The fixtures replay the kit's TD2.1, whose typeCode left JDV_J66
	// (docs/kit-defects.md#outdated-typecode).
	o.NoValueSets = true
	return dmp.New(allEndpoints(ts.URL), hc, provider, o)
}
