package testdmp

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/generated/dmp/patients"
	"github.com/dmpgen/dmpgen/generated/gdp/gdp"
	gdphl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	pdqhl7 "github.com/dmpgen/dmpgen/generated/pdq/hl7v3"
	"github.com/dmpgen/dmpgen/generated/pdq/pdqv3"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// vihfClaims are DIRECTE VIHF claims of professional ps about the official
// examples' patient.
func vihfClaims(ps string) vihf.Claims {
	return vihf.Claims{
		Mode: vihf.Directe, Version: vihf.V3, SubjectID: ps,
		SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
		Roles: []vihf.Code{
			{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7", DisplayName: "Médecin"},
			{Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5", DisplayName: "Qualifié en Médecine Générale (SM)"},
		},
		SubjectName: "MAX LIBRE",
		Patient:     hl7v2.CX{ID: "207058575627097", AssigningAuthority: hl7v2.HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"},
		LPSID:       "01.01.01.01", LPSName: "DMPGEN", LPSVersion: "1", LPSHomologation: "NumAutorisation",
	}
}

// clients are the generated clients of the DMP's seven WSDLs.
type clients struct {
	gdp  *gdp.GDPClient
	pdq  *pdqv3.PDQSupplierClient
	hab  *habilitations.HabilitationsClient
	list *patients.PatientSpecificClient
	cert *patients.PatientCertificationClient
	reg  *xdsb.DocumentRegistryClient
	repo *xdsb.DocumentRepositoryClient
}

func newClients(c *soap.Client) clients {
	return clients{gdp.NewGDPClient(c), pdqv3.NewPDQSupplierClient(c), habilitations.NewHabilitationsClient(c),
		patients.NewPatientSpecificClient(c), patients.NewPatientCertificationClient(c),
		xdsb.NewDocumentRegistryClient(c), xdsb.NewDocumentRepositoryClient(c)}
}

// TestHTTPSEveryClientMethod serves the test DMP over HTTPS on loopback,
// client certificates required, and calls every method of the generated
// clients of the seven DMP WSDLs, each request carrying a VIHF signed with
// the client's key that the server verifies.
func TestHTTPSEveryClientMethod(t *testing.T) {
	ctx := context.Background()
	verifier := &xmldsig.Verifier{}
	// The kit's TD2.1 request is published as it is: its typeCode left
	// the DMP value set since (docs/kit-defects.md#outdated-typecode).
	_, srv := NewServer(verifier, time.Minute, Options{LaxMetadata: true}, soap.WithLogf(t.Logf))
	env := soaptest.NewEnv(t, srv)
	verifier.Roots = env.PKI.Pool // the CA of the client certificates signs the VIHF's too

	signer := xmldsig.Signer{Key: env.ClientCert.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{env.ClientCert.Leaf}}
	claims := vihfClaims(examplePS)
	provider := &wssec.Provider{Signer: signer, Claims: func(context.Context, string) (vihf.Claims, error) { return claims, nil }}
	c := newClients(soap.NewClient(env.URL()+"/si-dmp-server/v2/services", soap.WithHTTPClient(env.Client), soap.WithHeader(provider)))

	// A request without VIHF is refused by the header hook.
	anon := newClients(soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client)))
	var td02 gdphl7.PRPAIN201307UV02
	kitBody(t, "TD0.2_Test-dexistence_requete.xml", &td02)
	var fe *soap.FaultError
	if _, err := anon.gdp.PatientGetDemographicsPRPAIN201307UV02(ctx, &td02); !errors.As(err, &fe) || len(fe.Subcodes) == 0 || fe.Subcodes[0] != faultInvalidToken {
		t.Fatalf("a request without VIHF: want a wsse:InvalidSecurityToken fault, got %v", err)
	}

	// A VIHF signed by a key the server does not trust is refused too.
	other, err := soaptest.NewPKI()
	if err != nil {
		t.Fatal(err)
	}
	rogue, err := other.Leaf("899900063480 ROGUE")
	if err != nil {
		t.Fatal(err)
	}
	forged := &wssec.Provider{Signer: xmldsig.Signer{Key: rogue.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{rogue.Leaf}},
		Claims: provider.Claims}
	forger := newClients(soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithHeader(forged)))
	if _, err := forger.gdp.PatientGetDemographicsPRPAIN201307UV02(ctx, &td02); !errors.As(err, &fe) || len(fe.Subcodes) == 0 || fe.Subcodes[0] != faultInvalidToken {
		t.Fatalf("a VIHF signed by an untrusted key: want a wsse:InvalidSecurityToken fault, got %v", err)
	}

	// GDP: existence test, creation, search.
	r08, err := c.gdp.PatientGetDemographicsPRPAIN201307UV02(ctx, &td02)
	if err != nil || *r08.ControlActProcess.QueryAck.QueryResponseCode.Code != "NF" {
		t.Fatalf("TD0.2 before creation: %v", err)
	}
	created, err := c.gdp.PatientAddPRPAIN201311UV02(ctx, patientAddRequest(t))
	if err != nil || created.PRPAIN201312UV02 == nil {
		t.Fatalf("PatientAdd: %v", err)
	}
	if r08, err = c.gdp.PatientGetDemographicsPRPAIN201307UV02(ctx, &td02); err != nil || *r08.ControlActProcess.QueryAck.QueryResponseCode.Code != "OK" {
		t.Fatalf("TD0.2 after creation: %v", err)
	}
	if auth, _ := attention(t, r08); auth != authValid {
		t.Fatalf("the VIHF's professional is not the creator: AUTORISATION %s", auth)
	}
	var td05 pdqhl7.PRPAIN201305UV02
	kitBody(t, "TD0.5_Recherche-dun-patient-sans-INS_requete.xml", &td05)
	family := xmltext.Element{Name: xmltext.Name{Space: nsHL7, Local: "family"}, Children: textNodes("PATB-QUATRE")}
	td05.ControlActProcess.QueryByParameter.ParameterList.LivingSubjectName[0].Value[0].Content = []xmltext.Node{&family}
	r06, err := c.pdq.FindCandidatesQuery(ctx, &td05)
	if err != nil || len(r06.ControlActProcess.Subject) != 1 {
		t.Fatalf("PDQ: %v", err)
	}

	// Authorizations.
	var td03 habilitations.SetAuthorization
	kitBody(t, "TD0.3_Mise-a-jour-de-lautorisation_requete.xml", &td03)
	if r, err := c.hab.SetAuthorization(ctx, &td03); err != nil || *r.Output.Status != StatusOK {
		t.Fatalf("setAuthorization: %v", err)
	}
	var td16 habilitations.ListAuthorizationByPatient
	kitBody(t, "TD1.6_Liste-des-PS-autorises-ou-bloques_requete.xml", &td16)
	if r, err := c.hab.ListAuthorizationByPatient(ctx, &td16); err != nil || len(r.Output.ListOfAuthorizationByPatient) != 1 ||
		*r.Output.ListOfAuthorizationByPatient[0].NationalId != examplePS {
		t.Fatalf("listAuthorizationByPatient: %v", err)
	}

	// XDS: publish (MTOM request), search, retrieve (MTOM response), archive.
	pnr, atts := td21Repaired(t)
	var parts []soap.Attachment
	for _, doc := range pnr.Document {
		parts = append(parts, soap.Attachment{ContentID: doc.Value.Include, ContentType: "text/xml", Body: bytes.NewReader(atts[doc.Value.Include])})
	}
	if r, err := c.repo.ProvideAndRegisterDocumentSetB(ctx, pnr, soap.WithAttachments(parts...)); err != nil || r.Status != responseSuccess {
		t.Fatalf("ITI-41: %v", err)
	}
	found, err := c.reg.RegistryStoredQuery(ctx, findDocumentsRequest(examplePatient, StatusApproved))
	if err != nil || len(found.RegistryObjectList.Identifiable) != 2 {
		t.Fatalf("ITI-18: %v", err)
	}
	cda := found.RegistryObjectList.Identifiable[0].ExtrinsicObject
	uid, repoID := externalID(cda, schemeDocUniqueID), RepositoryUniqueID
	got := map[string][]byte{}
	ret, err := c.repo.RetrieveDocumentSet(ctx, &xdsb.RetrieveDocumentSetRequestType{
		DocumentRequest: []xdsb.RetrieveDocumentSetRequestTypeDocumentRequest{{RepositoryUniqueId: &repoID, DocumentUniqueId: &uid}},
	}, soap.OnAttachment(func(p *mtom.Part) error {
		b, err := io.ReadAll(p.Body)
		got[p.ContentID] = b
		return err
	}))
	if err != nil || len(ret.DocumentResponse) != 1 {
		t.Fatalf("ITI-43: %v", err)
	}
	sent := atts[submitted(t, pnr, uid).Include]
	if inc := ret.DocumentResponse[0].Document.Include; inc == "" || !bytes.Equal(got[inc], sent) {
		t.Fatal("ITI-43 did not return the published document as an MTOM attachment")
	}
	if r, err := c.reg.UpdateDocumentSet(ctx, updateStatusRequest(cda.Id, StatusApproved, StatusArchived)); err != nil || r.Status != responseSuccess {
		t.Fatalf("ITI-57: %v", err)
	}

	// Patient list and identity certification.
	var td04 patients.PatientList
	kitBody(t, "TD0.4_Liste-des-DMP-autorises_requete.xml", &td04)
	if r, err := c.list.PatientList(ctx, &td04); err != nil || len(r.Output.PatientlistData) != 1 || r.Output.PatientlistData[0].LastAddDate == nil {
		t.Fatalf("patientList: %v", err)
	}
	cert := patients.IdentityCertification{NirIndividu: ptr("207058575627097"), DateNaissance: ptr("19070525"), RangNaissance: ptr(int32(1))}
	if r, err := c.cert.IdentityCertification(ctx, &cert); err != nil || *r.Output.Status != StatusOK || *r.Output.Prenom != "LAURENCE" {
		t.Fatalf("identityCertification: %v", err)
	}

	// GDP: modification and closure; another professional is refused.
	var td13b, td14 gdphl7.PRPAIN201314UV02
	kitBody(t, "TD1.3b_Modification_requete.xml", &td13b)
	kitBody(t, "TD1.4_Fermer_requete.xml", &td14)
	claims = vihfClaims(otherPS)
	claims.Mode, claims.StructureID = vihf.Indirecte, "499900063480001" // a structure signs for them (DIRECTE binds NameID to the card)
	if r, err := c.gdp.PatientRevisePRPAIN201314UV02(ctx, &td13b); err != nil || r.PRPAIN201316UV02 == nil {
		t.Fatalf("TD1.3b by an unauthorized professional: %v", err)
	}
	claims = vihfClaims(examplePS)
	if r, err := c.gdp.PatientRevisePRPAIN201314UV02(ctx, &td13b); err != nil || r.PRPAIN201315UV02 == nil {
		t.Fatalf("TD1.3b: %v", err)
	}
	r15, err := c.gdp.PatientRevisePRPAIN201314UV02(ctx, &td14)
	if err != nil || r15.PRPAIN201315UV02 == nil ||
		*r15.PRPAIN201315UV02.ControlActProcess.Subject[0].RegistrationEvent.Subject1.Patient.StatusCode.Code != "terminated" {
		t.Fatalf("TD1.4: %v", err)
	}
}
