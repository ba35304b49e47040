// Command dmpflow runs the DMP document life cycle through dmp.Client, the
// typed DMP API, against the embedded test DMP over HTTPS on loopback with
// client certificates, each request carrying a signed VIHF: publish a CDA
// document (TD2.1, MTOM), find it (TD3.1), retrieve it (TD3.2, MTOM) and
// archive it (TD3.3d), printing each step.
//
//	go run ./examples/dmpflow
package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
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

const (
	patientINS = "207058575627097"
	insRoot    = "1.2.250.1.213.1.4.10"
)

// cda is a small CDA document written for this example.
const cda = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3"><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
<id root="1.2.250.1.213.1.1.9.1.42"/><code code="11488-4" codeSystem="2.16.840.1.113883.6.1" displayName="Note de consultation"/>
<title>Note de consultation</title><effectiveTime value="20261124100000+0100"/>
<confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/><languageCode code="fr-FR"/>
<recordTarget><patientRole><id root="1.2.250.1.213.1.4.10" extension="207058575627097"/>
<patient><name><given>LAURENCE</given><family>PATB-QUATRE</family></name></patient></patientRole></recordTarget>
<author><time value="20261124100000+0100"/><assignedAuthor><id root="1.2.250.1.71.4.2.1" extension="899900063480"/>
<assignedPerson><name><given>MAX</given><family>LIBRE</family></name></assignedPerson></assignedAuthor></author>
<custodian><assignedCustodian><representedCustodianOrganization><id root="1.2.250.1.213.4.1" extension="DMP"/>
</representedCustodianOrganization></assignedCustodian></custodian></ClinicalDocument>
`

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dmpflow:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	// A test PKI: the DMP's server certificate, the software's client
	// certificate (TLS), and a CPS-like certificate that signs the VIHF.
	pki, err := soaptest.NewPKI()
	if err != nil {
		return err
	}
	serverCert, err := pki.Loopback()
	if err != nil {
		return err
	}
	clientCert, err := pki.Leaf("LPS DMPGEN EXAMPLE")
	if err != nil {
		return err
	}
	cps, err := pki.Leaf("899900063480") // CN: the national identifier of the card holder, the VIHF's NameID
	if err != nil {
		return err
	}

	// The test DMP verifies the VIHF of every request.
	_, srv := testdmp.NewServer(&xmldsig.Verifier{Roots: pki.Pool}, 5*time.Minute, testdmp.Options{})
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = soap.ServerTLS(serverCert, pki.Pool)
	ts.StartTLS()
	defer ts.Close()
	fmt.Fprintf(out, "test DMP listening on %s (TLS, client certificate required)\n", ts.URL)

	provider := &wssec.Provider{
		Signer: xmldsig.Signer{Key: cps.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{cps.Leaf}},
		Claims: claims,
	}
	// The test DMP serves every service at one URL; the real DMP has one
	// per service.
	u := ts.URL
	loc := dmp.DefaultLocale
	c := dmp.New(dmp.Endpoints{Registry: u, Repository: u, GDP: u, PDQ: u, Habilitations: u, Patients: u},
		soap.NewHTTPClient(soap.ClientTLS(clientCert, pki.Pool)), provider,
		dmp.Options{Locale: &loc, Sender: dmp.Device{Root: "1.2.250.1.213.1.1.9", Name: "DMPGEN EXAMPLE"}})
	return flow(ctx, c, out)
}

// flow runs the life cycle through c, whichever DMP it talks to.
func flow(ctx context.Context, c *dmp.Client, out io.Writer) error {
	// TD2.1: publish; Publish computes the hash and size, then streams the
	// document as an MTOM attachment.
	doc := []byte(cda)
	pub, err := c.Publish(ctx, publication(doc))
	if err != nil {
		return fmt.Errorf("TD2.1 publish: %w", err)
	}
	e := pub.Documents[0]
	fmt.Fprintf(out, "TD2.1  published %s (%s bytes, MTOM, SHA-1 %s)\n", e.UniqueID, e.Size, e.Hash)

	// TD3.1: FindDocuments for the patient (Approved entries by default).
	found, err := c.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: patient()})
	if err != nil {
		return fmt.Errorf("TD3.1 search: %w", err)
	}
	var entry *xds.DocumentEntry
	for _, d := range found.Documents() {
		if d.UniqueID == e.UniqueID {
			entry = d
		}
	}
	if entry == nil {
		return errors.New("TD3.1 search: the published document was not found")
	}
	fmt.Fprintf(out, "TD3.1  found %d document(s); %s %q, status %s\n", len(found.Documents()), entry.EntryUUID, entry.Title.String(), entry.AvailabilityStatus)

	// TD3.2: retrieve it; each document streams to the callback (here kept
	// in memory).
	var content []byte
	var mime string
	err = c.Retrieve(ctx, []dmp.DocumentRef{dmp.RefOf(entry)}, func(d dmp.RetrievedDocument, r io.Reader) error {
		mime = d.MimeType
		content, err = io.ReadAll(r)
		return err
	})
	if err != nil {
		return fmt.Errorf("TD3.2 retrieve: %w", err)
	}
	if !bytes.Equal(content, doc) {
		return errors.New("TD3.2 retrieve: the document differs from the one published")
	}
	fmt.Fprintf(out, "TD3.2  retrieved %d bytes (%s), identical to the published document\n", len(content), mime)

	// TD3.3d: archive (ITI-57 UpdateAvailabilityStatus Approved → Archived).
	upd := dmp.StatusUpdate{Patient: patient(), Submission: submission(), EntryUUID: entry.EntryUUID}
	if err := c.Archive(ctx, upd); err != nil {
		return fmt.Errorf("TD3.3d archive: %w", err)
	}
	archived, err := c.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: patient(), Statuses: []string{xds.StatusArchived}})
	if err != nil {
		return fmt.Errorf("TD3.1 archived: %w", err)
	}
	fmt.Fprintf(out, "TD3.3d archived %s; TD3.1 finds %d archived document(s)\n", entry.EntryUUID, len(archived.Documents()))
	return nil
}

func patient() hl7v2.CX {
	return hl7v2.CX{ID: patientINS, AssigningAuthority: hl7v2.HD{UniversalID: insRoot, UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"}
}

func claims(context.Context, string) (vihf.Claims, error) {
	return vihf.Claims{
		Mode: vihf.Directe, Version: vihf.V3,
		SubjectID:       "899900063480",
		StructureID:     "499900063480001",
		SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
		Roles: []vihf.Code{
			{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7", DisplayName: "Médecin"},
			{Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5", DisplayName: "Qualifié en Médecine Générale (SM)"},
		},
		SubjectName:     "MAX LIBRE",
		Patient:         patient(),
		LPSName:         "DMPGEN",
		LPSVersion:      "1",
		LPSHomologation: "NumAutorisation",
	}, nil
}

var author = xds.Author{
	Person:       "899900063480^LIBRE^MAX^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS",
	Institutions: []string{"CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001"},
	Specialties:  []string{"G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5"},
}

// submission is the SubmissionSet of each request: its uniqueId is
// generated by the client (Options.NewUniqueID).
func submission() dmp.Submission {
	return dmp.Submission{
		Title: "Note de consultation", Authors: []xds.Author{author}, SourceID: "1.2.250.1.213.1.1.9",
		ContentType: xds.Code{Code: "04", Scheme: "1.2.250.1.213.2.2", Display: "Hospitalisation de jour"},
	}
}

// publication is a one-document TD2.1 submission, with the codes of the
// official example (docs/valuesets.md#what-they-constrain).
func publication(doc []byte) dmp.Publication {
	return dmp.Publication{
		Patient:    patient(),
		Submission: submission(),
		Documents: []dmp.PublishDocument{{Content: bytes.NewReader(doc), Entry: xds.DocumentEntry{
			// The test DMP keeps the entryUUIDs it receives: send a UUID,
			// as ITI-41 allows, rather than a symbolic id.
			Base:     xds.Base{EntryUUID: "urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e", Title: xds.NewText("Note de consultation")},
			UniqueID: "1.2.250.1.213.1.1.9.1.42", MimeType: "text/xml", LanguageCode: "fr-FR",
			CreationTime: "20261124090000", SourcePatientID: patient().Format(), Authors: []xds.Author{author},
			ClassCode:                  xds.Code{Code: "10", Scheme: "1.2.250.1.213.1.1.4.1", Display: "Compte rendu"},
			TypeCode:                   xds.Code{Code: "11488-4", Scheme: "2.16.840.1.113883.6.1", Display: "Note de consultation"},
			FormatCode:                 xds.Code{Code: "urn:ihe:iti:xds-sd:text:2008", Scheme: "1.3.6.1.4.1.19376.1.2.3", Display: "Document à corps non structuré en texte"},
			HealthcareFacilityTypeCode: xds.Code{Code: "SA07", Scheme: "1.2.250.1.71.4.2.4", Display: "Cabinet individuel"},
			PracticeSettingCode:        xds.Code{Code: "ETABLISSEMENT", Scheme: "1.2.250.1.213.1.1.4.9", Display: "Etablissement de santé"},
			ConfidentialityCodes:       []xds.Code{{Code: "N", Scheme: "2.16.840.1.113883.5.25", Display: "Normal"}},
		}}},
	}
}
