package testdmp

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/generated/gdp/gdp"
	hl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

var (
	name201308  = xmltext.Name{Space: nsHL7, Local: "PRPA_IN201308UV02"}
	name201311R = xmltext.Name{Space: "asip:ci-sis:gdp:2010", Local: "PRPA_IN201311UV02_Response"}
	name201314R = xmltext.Name{Space: "asip:ci-sis:gdp:2010", Local: "PRPA_IN201314UV02_Response"}
)

// patientAddRequest builds a dossier creation request (no official example
// exists) from official data: the wrapper and author of the TD1.4 request,
// the patient of the TD1.3a response (rich demographics), the provider
// organization of the TD1.4 author.
func patientAddRequest(t testing.TB) *hl7.PRPAIN201311UV02 {
	t.Helper()
	var closeReq hl7.PRPAIN201314UV02
	kitBody(t, "TD1.4_Fermer_requete.xml", &closeReq)
	var consult hl7.PRPAIN201308UV02
	kitBody(t, "TD1.3a_Consultation_reponse.xml", &consult)
	pt := new(hl7.PRPAMT201301UV02Patient)
	if err := convert(pt, consult.ControlActProcess.Subject[0].RegistrationEvent.Subject1.Patient, "patient"); err != nil {
		t.Fatal(err)
	}
	rr := closeReq.ControlActProcess.Subject.RegistrationRequest
	pt.ProviderOrganization = rr.Author.AssignedEntity.RepresentedOrganization
	req := &hl7.PRPAIN201311UV02{
		ITSVersion: "XML_1.0", Id: closeReq.Id, CreationTime: closeReq.CreationTime,
		InteractionId: ptr(gII(oidInteraction, "PRPA_IN201311UV02")), ProcessingCode: closeReq.ProcessingCode,
		ProcessingModeCode: closeReq.ProcessingModeCode, AcceptAckCode: closeReq.AcceptAckCode,
		Receiver: closeReq.Receiver, Sender: closeReq.Sender,
		ControlActProcess: &hl7.PRPAIN201311UV02MFMIMT700721UV01ControlActProcess{
			ClassCode: hl7.ActClassControlAct_CACT, MoodCode: hl7.XActMoodIntentEvent_EVN,
			Subject: &hl7.PRPAIN201311UV02MFMIMT700721UV01Subject1{TypeCode: hl7.ActRelationshipHasSubject_SUBJ, ContextConductionInd: ptr(false),
				RegistrationRequest: &hl7.PRPAIN201311UV02MFMIMT700721UV01RegistrationRequest{
					ClassCode: hl7.ActClassRegistration_REG, MoodCode: hl7.ActMoodRequest_RQO, StatusCode: gCS("active"),
					Subject1: &hl7.PRPAIN201311UV02MFMIMT700721UV01Subject2{TypeCode: hl7.ParticipationTargetSubject_SBJ, Patient: pt},
					Author:   rr.Author,
				}},
		},
	}
	if err := req.Validate(); err != nil {
		t.Fatalf("the built PRPA_IN201311UV02 does not validate: %v", err)
	}
	return req
}

// demographics runs a GetDemographics request (TD0.2 or TD1.3a) and checks
// its wrapper; it returns the response.
func demographics(t *testing.T, g gdpService, file, wantAck, wantQuery string) *hl7.PRPAIN201308UV02 {
	t.Helper()
	var req hl7.PRPAIN201307UV02
	kitBody(t, file, &req)
	resp, err := g.PatientGetDemographicsPRPAIN201307UV02(context.Background(), &req)
	if err != nil {
		t.Fatal(err)
	}
	checkResponse(t, resp, name201308)
	if got := string(resp.Acknowledgement[0].TypeCode); got != wantAck {
		t.Fatalf("%s: acknowledgement %s, want %s", file, got, wantAck)
	}
	if got := *resp.ControlActProcess.QueryAck.QueryResponseCode.Code; got != wantQuery {
		t.Fatalf("%s: queryResponseCode %s, want %s", file, got, wantQuery)
	}
	if *resp.Acknowledgement[0].TargetMessage.Id.Extension != *req.Id.Extension ||
		*resp.ControlActProcess.QueryAck.QueryId.Extension != *req.ControlActProcess.QueryByParameter.QueryId.Extension {
		t.Fatal("the response does not acknowledge the request's message and query ids")
	}
	if *resp.InteractionId.Extension != "PRPA_IN201308UV02" || *resp.Sender.Device.Id[0].Root != oidDMP ||
		*resp.Receiver[0].Device.Id[0].Root != *req.Sender.Device.Id[0].Root {
		t.Fatal("wrong interaction id, sender or receiver")
	}
	return resp
}

// attention returns the TD0.2 attention lines: AUTORISATION and STATUT_MT.
func attention(t *testing.T, resp *hl7.PRPAIN201308UV02) (string, bool) {
	t.Helper()
	if len(resp.AttentionLine) != 2 {
		t.Fatalf("%d attention lines, want 2", len(resp.AttentionLine))
	}
	cv, ok1 := resp.AttentionLine[0].Value.Derived.(*hl7.CV)
	bl, ok2 := resp.AttentionLine[1].Value.Derived.(*hl7.BL)
	if !ok1 || !ok2 || *resp.AttentionLine[0].KeyWordText.Code != "AUTORISATION" || *resp.AttentionLine[1].KeyWordText.Code != "STATUT_MT" {
		t.Fatalf("unexpected attention lines %+v", resp.AttentionLine)
	}
	return *cv.Code, *bl.Value
}

func patientOf(resp *hl7.PRPAIN201308UV02) *hl7.PRPAMT201303UV02Patient {
	return resp.ControlActProcess.Subject[0].RegistrationEvent.Subject1.Patient
}

// opposition returns the value of an administrative observation.
func opposition(t *testing.T, p *hl7.PRPAMT201303UV02Patient, code string) bool {
	t.Helper()
	for _, s := range p.SubjectOf {
		if o := s.AdministrativeObservation; *o.Code.Code == code {
			return *o.Value.Derived.(*hl7.BL).Value
		}
	}
	t.Fatalf("no observation %s", code)
	return false
}

func revise(t *testing.T, g gdpService, req *hl7.PRPAIN201314UV02) *gdp.PRPAIN201314UV02ResponseType {
	t.Helper()
	resp, err := g.PatientRevisePRPAIN201314UV02(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkResponse(t, resp, name201314R)
	return resp
}

func rejectionCode(t *testing.T, acks []hl7.MCCIMT000300UV01Acknowledgement) string {
	t.Helper()
	if len(acks) != 1 || acks[0].TypeCode != hl7.AcknowledgementType_AE || len(acks[0].AcknowledgementDetail) != 1 {
		t.Fatalf("want one AE acknowledgement with a detail, got %+v", acks)
	}
	return *acks[0].AcknowledgementDetail[0].Code.Code
}

// TestDossierLifeCycle runs the GDP transactions on the official requests:
// existence test of an unknown patient (NF), creation, existence test and
// consultation (OK), access of another professional, modification of the
// oppositions (TD1.3b), closure (TD1.4).
func TestDossierLifeCycle(t *testing.T) {
	d, who := newTestDMP(t)
	g := gdpService{d.st}
	const td02, td13a = "TD0.2_Test-dexistence_requete.xml", "TD1.3a_Consultation_requete.xml"

	resp := demographics(t, g, td02, "AA", "NF")
	if len(resp.ControlActProcess.Subject) != 0 || len(resp.AttentionLine) != 0 {
		t.Fatal("an unknown patient's response must not carry a subject")
	}

	add := patientAddRequest(t)
	created, err := g.PatientAddPRPAIN201311UV02(context.Background(), add)
	if err != nil {
		t.Fatal(err)
	}
	checkResponse(t, created, name201311R)
	if created.PRPAIN201312UV02 == nil || created.PRPAIN201312UV02.Acknowledgement[0].TypeCode != hl7.AcknowledgementType_AA {
		t.Fatalf("creation not accepted: %+v", created.PRPAIN201313UV02)
	}
	again, err := g.PatientAddPRPAIN201311UV02(context.Background(), add)
	if err != nil {
		t.Fatal(err)
	}
	checkResponse(t, again, name201311R)
	if again.PRPAIN201313UV02 == nil || rejectionCode(t, again.PRPAIN201313UV02.Acknowledgement) != StatusPatientExists {
		t.Fatal("creating an existing dossier must be rejected (PRPA_IN201313UV02)")
	}

	resp = demographics(t, g, td02, "AA", "OK")
	if auth, mt := attention(t, resp); auth != authValid || mt {
		t.Fatalf("creator: AUTORISATION %s STATUT_MT %v, want VALIDE false", auth, mt)
	}
	p := patientOf(resp)
	if *p.StatusCode.Code != "active" || len(p.Id) != 2 {
		t.Fatalf("patient status %s, %d ids", *p.StatusCode.Code, len(p.Id))
	}
	// The stored demographics are the creation request's, whole.
	sent := add.ControlActProcess.Subject.RegistrationRequest.Subject1.Patient.PatientPerson
	if a, b := encode(t, sent, name201308), encode(t, p.PatientPerson, name201308); !bytes.Equal(a, b) {
		t.Fatalf("stored demographics differ from the creation request:\n%s\n%s", a, b)
	}
	resp = demographics(t, g, td13a, "AA", "OK")
	if opposition(t, patientOf(resp), "OPPOSITION_BRIS_DE_GLACE") {
		t.Fatal("no opposition expected yet")
	}

	who.c.PS = otherPS
	resp = demographics(t, g, td02, "AA", "OK")
	if auth, _ := attention(t, resp); auth != authMissing {
		t.Fatalf("another professional: AUTORISATION %s, want %s", auth, authMissing)
	}
	resp = demographics(t, g, td13a, "AE", "AE")
	if rejectionCode(t, resp.Acknowledgement) != StatusAccessDenied || len(resp.ControlActProcess.Subject) != 0 {
		t.Fatal("consultation by an unauthorized professional must be refused without data")
	}
	var modify hl7.PRPAIN201314UV02
	kitBody(t, "TD1.3b_Modification_requete.xml", &modify)
	if r := revise(t, g, &modify); r.PRPAIN201316UV02 == nil || rejectionCode(t, r.PRPAIN201316UV02.Acknowledgement) != StatusAccessDenied {
		t.Fatal("modification by an unauthorized professional must be rejected")
	}
	who.c.PS = examplePS

	// TD1.3b with the opposition to "bris de glace" set.
	mp := modify.ControlActProcess.Subject.RegistrationRequest.Subject1.Patient
	mp.SubjectOf[0].AdministrativeObservation.Value.Derived.(*hl7.BL).Value = ptr(true)
	r := revise(t, g, &modify)
	if r.PRPAIN201315UV02 == nil {
		t.Fatalf("modification rejected: %+v", r.PRPAIN201316UV02.Acknowledgement)
	}
	if *r.PRPAIN201315UV02.ControlActProcess.ReasonCode[0].Code != reasonModify {
		t.Fatal("the response must carry the request's reasonCode")
	}
	resp = demographics(t, g, td13a, "AA", "OK")
	p = patientOf(resp)
	if !opposition(t, p, "OPPOSITION_BRIS_DE_GLACE") || opposition(t, p, "OPPOSITION_ACCES_URGENCE") {
		t.Fatal("the oppositions were not updated")
	}
	if *p.PatientPerson.BirthTime.Value != "19790328" {
		t.Fatal("the demographics were not updated")
	}

	var closeReq hl7.PRPAIN201314UV02
	kitBody(t, "TD1.4_Fermer_requete.xml", &closeReq)
	r = revise(t, g, &closeReq)
	if r.PRPAIN201315UV02 == nil {
		t.Fatalf("closure rejected: %+v", r.PRPAIN201316UV02.Acknowledgement)
	}
	closed := r.PRPAIN201315UV02.ControlActProcess.Subject[0].RegistrationEvent.Subject1.Patient
	if *closed.StatusCode.Code != "terminated" {
		t.Fatalf("closed patient status %s", *closed.StatusCode.Code)
	}
	d.st.mu.Lock()
	why := d.st.patients[0].closeReason
	d.st.mu.Unlock()
	if why != "FERMETURE_DEMANDE_PATIENT" {
		t.Fatalf("closure reason %q", why)
	}
	r = revise(t, g, &closeReq)
	if r.PRPAIN201316UV02 == nil || rejectionCode(t, r.PRPAIN201316UV02.Acknowledgement) != StatusClosed {
		t.Fatal("a closed dossier cannot be modified")
	}
	resp = demographics(t, g, td02, "AA", "OK")
	if *patientOf(resp).StatusCode.Code != "terminated" {
		t.Fatal("the existence test must show the dossier closed")
	}
}

// TestReviseUnknownPatient rejects a modification of a dossier that does
// not exist, echoing the request.
func TestReviseUnknownPatient(t *testing.T) {
	d, _ := newTestDMP(t)
	var req hl7.PRPAIN201314UV02
	kitBody(t, "TD1.4_Fermer_requete.xml", &req)
	r := revise(t, gdpService{d.st}, &req)
	if r.PRPAIN201316UV02 == nil || rejectionCode(t, r.PRPAIN201316UV02.Acknowledgement) != StatusPatientNotFound {
		t.Fatal("want a PRPA_IN201316UV02 rejection")
	}
	echo := r.PRPAIN201316UV02.ControlActProcess.Subject.RegistrationRequest.Subject1.Patient
	if *echo.Id[0].Extension != "207058575627097" {
		t.Fatal("the rejection must echo the registration request")
	}
}

// TestNoClaims: without a VIHF source, operations fail loudly.
func TestNoClaims(t *testing.T) {
	d := New(Options{})
	var req hl7.PRPAIN201307UV02
	kitBody(t, "TD0.2_Test-dexistence_requete.xml", &req)
	if _, err := (gdpService{d.st}).PatientGetDemographicsPRPAIN201307UV02(context.Background(), &req); err == nil || !strings.Contains(err.Error(), "Claims") {
		t.Fatalf("want an error naming Options.Claims, got %v", err)
	}
}
