// Command dmpflow runs the DMP document life cycle against the embedded test
// DMP, over HTTPS on loopback with client certificates, each request
// carrying a signed VIHF: publish a CDA document (TD2.1, MTOM), find it
// (TD3.1), retrieve it (TD3.2) and archive it (TD3.3d), printing each step.
//
//	go run ./examples/dmpflow
package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strconv"
	"time"

	"github.com/dmpgen/dmpgen/dmp/xdsrim"
	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/testdmp"
)

const (
	patientINS = "207058575627097"
	insRoot    = "1.2.250.1.213.1.4.10"
	statusType = "urn:oasis:names:tc:ebxml-regrep:StatusType:"
)

// cda is a small CDA document written for this example.
const cda = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3"><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
<id root="1.2.250.1.213.1.1.9.1.42"/><code code="11488-4" codeSystem="2.16.840.1.113883.6.1" displayName="Note de consultation"/>
<title>Note de consultation</title><effectiveTime value="20261124100000+0100"/>
<confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/></ClinicalDocument>
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
	dmp := testdmp.New(testdmp.Options{Attachments: attachment})
	verifier := &xmldsig.Verifier{Roots: pki.Pool}
	srv := soap.NewServer(soap.WithHeaderHook(func(ctx context.Context, r *soap.Request) (context.Context, error) {
		for _, h := range r.Header {
			if h.Name.Space == wssec.NamespaceWSSE && h.Name.Local == "Security" {
				if _, _, err := wssec.Verify(r.Envelope, verifier, time.Now(), 5*time.Minute); err != nil {
					return ctx, soap.SenderFault("VIHF rejected: " + err.Error())
				}
				return ctx, nil
			}
		}
		return ctx, soap.SenderFault("no VIHF in the request")
	}), soap.WithUnderstoodHeaders(soapSecurity))
	dmp.Register(srv)
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = soap.ServerTLS(serverCert, pki.Pool)
	ts.StartTLS()
	defer ts.Close()
	fmt.Fprintf(out, "test DMP listening on %s (TLS, client certificate required)\n", ts.URL)

	provider := &wssec.Provider{
		Signer: xmldsig.Signer{Key: cps.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{cps.Leaf}},
		Claims: claims,
	}
	c := soap.NewClient(ts.URL, soap.WithHTTPClient(soap.NewHTTPClient(soap.ClientTLS(clientCert, pki.Pool))), soap.WithHeader(provider))
	repository := xdsb.NewDocumentRepositoryClient(c)
	registry := xdsb.NewDocumentRegistryClient(c)

	// TD2.1: publish, the document streamed as an MTOM attachment.
	doc := []byte(cda)
	sum := sha1.Sum(doc)
	uniqueID := "1.2.250.1.213.1.1.9.1.42"
	md := submission(uniqueID, hex.EncodeToString(sum[:]), len(doc))
	req := &xdsb.ProvideAndRegisterDocumentSetRequestType{
		SubmitObjectsRequest: &lcm.SubmitObjectsRequest{RegistryObjectList: xdsrim.ToRIM(md.Lower())},
		Document:             []xdsb.ProvideAndRegisterDocumentSetRequestTypeDocument{{Id: "Document01", Value: xmlbind.Binary{Include: "document01@dmpgen.example"}}},
	}
	resp, err := repository.ProvideAndRegisterDocumentSetB(ctx, req,
		soap.WithAttachments(soap.Attachment{ContentID: "document01@dmpgen.example", ContentType: "text/xml", Body: bytes.NewReader(doc)}))
	if err != nil {
		return fmt.Errorf("TD2.1 publish: %w", err)
	}
	fmt.Fprintf(out, "TD2.1  published %s (%d bytes, MTOM): %s\n", uniqueID, len(doc), resp.Status)

	// TD3.1: FindDocuments for the patient.
	patient := patientID()
	found, err := registry.RegistryStoredQuery(ctx, findDocuments(patient))
	if err != nil {
		return fmt.Errorf("TD3.1 search: %w", err)
	}
	var entry *rim.ExtrinsicObjectType
	for _, it := range found.RegistryObjectList.Identifiable {
		if it.ExtrinsicObject != nil {
			entry = it.ExtrinsicObject
		}
	}
	if entry == nil {
		return errors.New("TD3.1 search: the published document was not found")
	}
	fmt.Fprintf(out, "TD3.1  found %d document(s); entryUUID %s, status %s\n", len(found.RegistryObjectList.Identifiable), entry.Id, deref(entry.Status))

	// TD3.2: retrieve it.
	// The response carries the document as an MTOM attachment (ITI-43);
	// each part streams to the callback, here kept in memory.
	repo, uid := testdmp.RepositoryUniqueID, uniqueID
	parts := map[string][]byte{}
	got, err := repository.RetrieveDocumentSet(ctx, &xdsb.RetrieveDocumentSetRequestType{
		DocumentRequest: []xdsb.RetrieveDocumentSetRequestTypeDocumentRequest{{RepositoryUniqueId: &repo, DocumentUniqueId: &uid}},
	}, soap.OnAttachment(func(p *mtom.Part) error {
		b, err := io.ReadAll(p.Body)
		parts[p.ContentID] = b
		return err
	}))
	if err != nil {
		return fmt.Errorf("TD3.2 retrieve: %w", err)
	}
	if len(got.DocumentResponse) != 1 {
		return fmt.Errorf("TD3.2 retrieve: %d documents, want 1", len(got.DocumentResponse))
	}
	content := got.DocumentResponse[0].Document.Data
	how := "inline"
	if id := got.DocumentResponse[0].Document.Include; id != "" {
		content, how = parts[id], "MTOM"
	}
	if !bytes.Equal(content, doc) {
		return errors.New("TD3.2 retrieve: the document differs from the one published")
	}
	fmt.Fprintf(out, "TD3.2  retrieved %d bytes (%s), identical to the published document\n", len(content), how)

	// TD3.3d: archive (ITI-57 UpdateAvailabilityStatus Approved → Archived).
	upd := &xds.Metadata{Items: []xds.Item{
		&xds.SubmissionSet{Base: xds.Base{EntryUUID: "SubmissionSet01"}, PatientID: patient, SourceID: "1.2.250.1.213.1.1.9", SubmissionTime: time.Now().UTC().Format("20060102150405")},
		&xds.Association{Base: xds.Base{EntryUUID: "Association01"}, Type: "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus",
			Source: "SubmissionSet01", Target: entry.Id, OriginalStatus: statusType + "Approved", NewStatus: testdmp.StatusArchived},
	}}
	ar, err := registry.UpdateDocumentSet(ctx, &lcm.SubmitObjectsRequest{RegistryObjectList: xdsrim.ToRIM(upd.Lower())})
	if err != nil {
		return fmt.Errorf("TD3.3d archive: %w", err)
	}
	fmt.Fprintf(out, "TD3.3d archived %s: %s\n", entry.Id, ar.Status)
	return nil
}

var soapSecurity = xmltext.Name{Space: wssec.NamespaceWSSE, Local: "Security"}

// attachment reads one attachment of the request being served.
func attachment(ctx context.Context, contentID string) ([]byte, error) {
	atts := soap.RequestAttachments(ctx)
	for {
		p, err := atts.Next()
		if err != nil {
			return nil, fmt.Errorf("attachment <%s>: %w", contentID, err)
		}
		if p.ContentID == contentID {
			return io.ReadAll(p.Body)
		}
	}
}

func patientID() string {
	return hl7v2.CX{ID: patientINS, AssigningAuthority: hl7v2.HD{UniversalID: insRoot, UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"}.Format()
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
		Patient:         hl7v2.CX{ID: patientINS, AssigningAuthority: hl7v2.HD{UniversalID: insRoot, UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"},
		LPSName:         "DMPGEN",
		LPSVersion:      "1",
		LPSHomologation: "NumAutorisation",
	}, nil
}

// submission is the metadata of a one-document TD2.1 submission, with the
// codes of the official example (docs/valuesets.md#what-they-constrain).
func submission(uniqueID, hash string, size int) *xds.Metadata {
	patient := patientID()
	now := time.Now().UTC().Format("20060102150405")
	author := xds.Author{
		Person:       "899900063480^LIBRE^MAX^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS",
		Institutions: []string{"CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001"},
		Specialties:  []string{"G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5"},
	}
	return &xds.Metadata{Items: []xds.Item{
		&xds.SubmissionSet{
			Base:           xds.Base{EntryUUID: "SubmissionSet01", Title: xds.NewText("Note de consultation")},
			SubmissionTime: now, Authors: []xds.Author{author}, PatientID: patient,
			ContentTypeCode: xds.Code{Code: "04", Scheme: "1.2.250.1.213.2.2", Display: "Hospitalisation de jour"},
			SourceID:        "1.2.250.1.213.1.1.9", UniqueID: "1.2.250.1.213.1.1.9.2.42",
		},
		&xds.DocumentEntry{
			Base:     xds.Base{EntryUUID: "Document01", Title: xds.NewText("Note de consultation")},
			MimeType: "text/xml", CreationTime: now, Hash: hash, Size: strconv.Itoa(size), LanguageCode: "fr-FR",
			SourcePatientID: patient, PatientID: patient, UniqueID: uniqueID,
			Authors:                    []xds.Author{author},
			ClassCode:                  xds.Code{Code: "10", Scheme: "1.2.250.1.213.1.1.4.1", Display: "Compte rendu"},
			TypeCode:                   xds.Code{Code: "11488-4", Scheme: "2.16.840.1.113883.6.1", Display: "Note de consultation"},
			FormatCode:                 xds.Code{Code: "urn:ihe:iti:xds-sd:text:2008", Scheme: "1.3.6.1.4.1.19376.1.2.3", Display: "Document à corps non structuré en texte"},
			HealthcareFacilityTypeCode: xds.Code{Code: "SA07", Scheme: "1.2.250.1.71.4.2.4", Display: "Cabinet individuel"},
			PracticeSettingCode:        xds.Code{Code: "ETABLISSEMENT", Scheme: "1.2.250.1.213.1.1.4.9", Display: "Etablissement de santé"},
			ConfidentialityCodes:       []xds.Code{{Code: "N", Scheme: "2.16.840.1.113883.5.25", Display: "Normal"}},
		},
		&xds.Association{Base: xds.Base{EntryUUID: "Association01"}, Type: "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember",
			Source: "SubmissionSet01", Target: "Document01", SubmissionSetStatus: "Original"},
	}}
}

func findDocuments(patient string) *query.AdhocQueryRequest {
	slot := func(name, v string) rim.SlotType1 {
		return rim.SlotType1{Name: name, ValueList: &rim.ValueListType{Sequence: []rim.ValueListTypeSequence{{Value: &v}}}}
	}
	leaf := "LeafClass"
	return &query.AdhocQueryRequest{
		ResponseOption: &query.ResponseOptionType{ReturnType: &leaf},
		AdhocQuery: &rim.AdhocQueryType{Id: "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d", Slot: []rim.SlotType1{
			slot("$XDSDocumentEntryPatientId", "'"+patient+"'"),
			slot("$XDSDocumentEntryStatus", "('"+statusType+"Approved')"),
		}},
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
