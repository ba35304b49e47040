package dmp_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"time"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/testdmp"
)

// Example publishes a document (TD2.1), finds it (TD3.1) and retrieves it
// (TD3.2) through dmp.Client, against the embedded test DMP served over
// HTTPS with client certificates; every request carries a VIHF signed with
// a CPS-like certificate, which the test DMP verifies.
func Example() {
	ctx := context.Background()

	// A test PKI: the DMP's certificate, the software's (TLS) and the
	// card holder's, whose CN is the national identifier the VIHF names.
	pki, err := soaptest.NewPKI()
	if err != nil {
		log.Fatal(err)
	}
	serverCert, _ := pki.Loopback()
	clientCert, _ := pki.Leaf("LPS DMPGEN EXAMPLE")
	cps, err := pki.Leaf("899900063480")
	if err != nil {
		log.Fatal(err)
	}
	_, srv := testdmp.NewServer(&xmldsig.Verifier{Roots: pki.Pool}, 5*time.Minute, testdmp.Options{})
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = soap.ServerTLS(serverCert, pki.Pool)
	ts.StartTLS()
	defer ts.Close()

	patient := hl7v2.CX{ID: "207058575627097", AssigningAuthority: hl7v2.HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"}
	vihfProvider := &wssec.Provider{
		Signer: xmldsig.Signer{Key: cps.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{cps.Leaf}},
		Claims: func(context.Context, string) (vihf.Claims, error) {
			return vihf.Claims{
				Mode: vihf.Directe, Version: vihf.V3, SubjectID: "899900063480", StructureID: "499900063480001",
				SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
				Roles: []vihf.Code{
					{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7", DisplayName: "Médecin"},
					{Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5", DisplayName: "Qualifié en Médecine Générale (SM)"},
				},
				SubjectName: "MAX LIBRE", Patient: patient,
				LPSName: "DMPGEN", LPSVersion: "1", LPSHomologation: "NumAutorisation",
			}, nil
		},
	}
	u := ts.URL
	c := dmp.New(dmp.Endpoints{Registry: u, Repository: u}, soap.NewHTTPClient(soap.ClientTLS(clientCert, pki.Pool)), vihfProvider, dmp.Options{})

	// TD2.1: the document is streamed as an MTOM attachment; Publish
	// computes its hash and size.
	doc := []byte(`<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Note de consultation</title></ClinicalDocument>`)
	author := xds.Author{
		Person:       "899900063480^LIBRE^MAX^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS",
		Institutions: []string{"CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001"},
	}
	pub, err := c.Publish(ctx, dmp.Publication{
		Patient: patient,
		Submission: dmp.Submission{
			Title: "Note de consultation", Authors: []xds.Author{author}, SourceID: "1.2.250.1.999.1.1.7898",
			ContentType: xds.Code{Code: "04", Scheme: "1.2.250.1.213.2.2", Display: "Hospitalisation de jour"},
		},
		Documents: []dmp.PublishDocument{{Content: bytes.NewReader(doc), Entry: xds.DocumentEntry{
			Base:     xds.Base{EntryUUID: "urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e", Title: xds.NewText("Note de consultation")},
			UniqueID: "1.2.250.1.999.1.1.7898.3.42", MimeType: "text/xml", LanguageCode: "fr-FR",
			CreationTime: "20261124100000", SourcePatientID: patient.Format(), Authors: []xds.Author{author},
			ClassCode:                  xds.Code{Code: "10", Scheme: "1.2.250.1.213.1.1.4.1", Display: "Compte rendu"},
			TypeCode:                   xds.Code{Code: "11488-4", Scheme: "2.16.840.1.113883.6.1", Display: "Note de consultation"},
			FormatCode:                 xds.Code{Code: "urn:ihe:iti:xds-sd:text:2008", Scheme: "1.3.6.1.4.1.19376.1.2.3", Display: "Document à corps non structuré en texte"},
			HealthcareFacilityTypeCode: xds.Code{Code: "SA07", Scheme: "1.2.250.1.71.4.2.4", Display: "Cabinet individuel"},
			PracticeSettingCode:        xds.Code{Code: "ETABLISSEMENT", Scheme: "1.2.250.1.213.1.1.4.9", Display: "Etablissement de santé"},
			ConfidentialityCodes:       []xds.Code{{Code: "N", Scheme: "2.16.840.1.113883.5.25", Display: "Normal"}},
		}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("TD2.1 published %s: %s bytes, SHA-1 %s\n", pub.Documents[0].UniqueID, pub.Documents[0].Size, pub.Documents[0].Hash)

	// TD3.1: the patient's documents.
	found, err := c.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: patient})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range found.Documents() {
		fmt.Printf("TD3.1 found %s %q, %s\n", e.UniqueID, e.Title.String(), e.AvailabilityStatus)
	}

	// TD3.2: the document comes back as an MTOM attachment, streamed to f.
	err = c.Retrieve(ctx, []dmp.DocumentRef{dmp.RefOf(found.Documents()[0])}, func(d dmp.RetrievedDocument, r io.Reader) error {
		b, err := io.ReadAll(r)
		fmt.Printf("TD3.2 retrieved %s (%s): %d bytes, identical: %t\n", d.DocumentUniqueID, d.MimeType, len(b), bytes.Equal(b, doc))
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// TD2.1 published 1.2.250.1.999.1.1.7898.3.42: 95 bytes, SHA-1 536e49e2acf8454b5918508ff1b29bf7cbfe3973
	// TD3.1 found 1.2.250.1.999.1.1.7898.3.42 "Note de consultation", urn:oasis:names:tc:ebxml-regrep:StatusType:Approved
	// TD3.2 retrieved 1.2.250.1.999.1.1.7898.3.42 (text/xml): 95 bytes, identical: true
}
