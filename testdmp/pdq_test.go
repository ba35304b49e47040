package testdmp

import (
	"context"
	"testing"

	gdphl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	"github.com/dmpgen/dmpgen/generated/pdq/hl7v3"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

var name201306 = xmltext.Name{Space: nsHL7, Local: "PRPA_IN201306UV02"}

func findCandidates(t *testing.T, s pdqService, req *hl7v3.PRPAIN201305UV02, wantAck, wantQuery string) *hl7v3.PRPAIN201306UV02 {
	t.Helper()
	resp, err := s.FindCandidatesQuery(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkResponse(t, resp, name201306)
	if got := *resp.Acknowledgement[0].TypeCode.Code; got != wantAck {
		t.Fatalf("acknowledgement %s, want %s", got, wantAck)
	}
	if got := *resp.ControlActProcess.QueryAck.QueryResponseCode.Code; got != wantQuery {
		t.Fatalf("queryResponseCode %s, want %s", got, wantQuery)
	}
	if *resp.ControlActProcess.QueryAck.QueryId.Extension != *req.ControlActProcess.QueryByParameter.QueryId.Extension ||
		*resp.Acknowledgement[0].TargetMessage.Id.Extension != *req.Id.Extension {
		t.Fatal("the response does not acknowledge the request's message and query ids")
	}
	return resp
}

// TestPatientSearch runs the official TD0.5 request (family name DECHAINE)
// before and after the creation of the official TD0.5 response's patient.
func TestPatientSearch(t *testing.T) {
	d, _ := newTestDMP(t)
	s := pdqService{d.st}
	var req hl7v3.PRPAIN201305UV02
	kitBody(t, "TD0.5_Recherche-dun-patient-sans-INS_requete.xml", &req)
	findCandidates(t, s, &req, "AA", "NF")

	// Two dossiers: the TD1.3a patient, and the TD0.5 response's patient
	// (birth name DECHAINE).
	createDossier(t, d)
	var found hl7v3.PRPAIN201306UV02
	kitBody(t, "TD0.5_Recherche-dun-patient-sans-INS_reponse.xml", &found)
	src := found.ControlActProcess.Subject[0].RegistrationEvent.Subject1.Patient
	add := patientAddRequest(t)
	pt := add.ControlActProcess.Subject.RegistrationRequest.Subject1.Patient
	pt.Id = nil
	for _, id := range src.Id {
		pt.Id = append(pt.Id, gII(*id.Root, *id.Extension))
	}
	pt.PatientPerson = new(gdphl7.PRPAMT201301UV02Person)
	if err := convert(pt.PatientPerson, src.PatientPerson, "patientPerson"); err != nil {
		t.Fatal(err)
	}
	pt.SubjectOf = pt.SubjectOf[1:] // OPPOSITION_ACCES_URGENCE only, as in the TD0.5 response
	if r, err := (gdpService{d.st}).PatientAddPRPAIN201311UV02(context.Background(), add); err != nil || r.PRPAIN201312UV02 == nil {
		t.Fatalf("creation: %v %+v", err, r)
	}

	resp := findCandidates(t, s, &req, "AA", "OK")
	if len(resp.ControlActProcess.Subject) != 1 {
		t.Fatalf("%d candidates, want 1", len(resp.ControlActProcess.Subject))
	}
	got := resp.ControlActProcess.Subject[0].RegistrationEvent.Subject1.Patient
	if *got.Id[0].Extension != "157069329642881" || len(got.SubjectOf1) != 1 || len(got.SubjectOf2) != 1 ||
		*got.SubjectOf2[0].AdministrativeObservation.Code.Code != "OPPOSITION_ACCES_URGENCE" {
		t.Fatalf("unexpected candidate %+v", got)
	}
	if a, b := encode(t, src.PatientPerson, name201306), encode(t, got.PatientPerson, name201306); string(a) != string(b) {
		t.Fatalf("candidate demographics differ from the stored ones:\n%s\n%s", a, b)
	}
	if n, _ := resp.ControlActProcess.QueryAck.ResultTotalQuantity.Value.Int64(); n != 1 {
		t.Fatalf("resultTotalQuantity %d", n)
	}

	// Given name and gender narrow the search; an unsupported parameter is
	// a query error, not ignored.
	pl := req.ControlActProcess.QueryByParameter.ParameterList
	pl.LivingSubjectAdministrativeGender = []hl7v3.PRPAMT201306UV02LivingSubjectAdministrativeGender{{Value: []hl7v3.CE{{Code: ptr("M")}},
		SemanticsText: &hl7v3.ST{Content: textNodes("LivingSubject.administrativeGender")}}}
	findCandidates(t, s, &req, "AA", "NF")
	pl.LivingSubjectAdministrativeGender[0].Value[0].Code = ptr("F")
	findCandidates(t, s, &req, "AA", "OK")
	pl.PatientTelecom = []hl7v3.PRPAMT201306UV02PatientTelecom{{Value: []hl7v3.TEL{{Value: ptr("tel:0102030405")}},
		SemanticsText: &hl7v3.ST{Content: textNodes("Patient.telecom")}}}
	resp = findCandidates(t, s, &req, "AE", "QE")
	if len(resp.ControlActProcess.Subject) != 0 {
		t.Fatal("a query error must not return candidates")
	}
}
