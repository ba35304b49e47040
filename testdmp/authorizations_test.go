package testdmp

import (
	"context"
	"testing"

	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/generated/dmp/patients"
	hl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

var (
	nameSetAuthR  = xmltext.Name{Space: "urn:si-dmp-habilitations", Local: "setAuthorizationResponse"}
	nameListAuthR = xmltext.Name{Space: "urn:si-dmp-habilitations", Local: "listAuthorizationByPatientResponse"}
	namePatListR  = xmltext.Name{Space: "urn:si-dmp-patients", Local: "patientListResponse"}
	nameCertifR   = xmltext.Name{Space: "urn:si-dmp-patients", Local: "identityCertificationResponse"}
)

// createDossier creates the official examples' patient with the caller's
// professional.
func createDossier(t *testing.T, d *DMP) {
	t.Helper()
	r, err := (gdpService{d.st}).PatientAddPRPAIN201311UV02(context.Background(), patientAddRequest(t))
	if err != nil || r.PRPAIN201312UV02 == nil {
		t.Fatalf("creation: %v %+v", err, r)
	}
}

func setAuth(t *testing.T, h habService, req *habilitations.SetAuthorization) (string, string) {
	t.Helper()
	resp, err := h.SetAuthorization(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkResponse(t, resp, nameSetAuthR)
	return *resp.Output.Status, *resp.Output.Context
}

// listAuth runs the official TD1.6 request (mode TOUTE) and returns the
// status and the authorizations by professional.
func listAuth(t *testing.T, h habService) (string, map[string]habilitations.AuthorizationByPatient) {
	t.Helper()
	var req habilitations.ListAuthorizationByPatient
	kitBody(t, "TD1.6_Liste-des-PS-autorises-ou-bloques_requete.xml", &req)
	resp, err := h.ListAuthorizationByPatient(context.Background(), &req)
	if err != nil {
		t.Fatal(err)
	}
	checkResponse(t, resp, nameListAuthR)
	out := map[string]habilitations.AuthorizationByPatient{}
	for _, a := range resp.Output.ListOfAuthorizationByPatient {
		out[*a.NationalId] = a
	}
	return *resp.Output.Status, out
}

// patientList runs the official TD0.4 request (documents since 2010).
func patientList(t *testing.T, l patientListService) []patients.PatientListData {
	t.Helper()
	var req patients.PatientList
	kitBody(t, "TD0.4_Liste-des-DMP-autorises_requete.xml", &req)
	resp, err := l.PatientList(context.Background(), &req)
	if err != nil {
		t.Fatal(err)
	}
	checkResponse(t, resp, namePatListR)
	if *resp.Output.Status != StatusOK {
		t.Fatalf("patient list status %s", *resp.Output.Status)
	}
	return resp.Output.PatientlistData
}

// TestAuthorizations runs TD0.3 (setAuthorization), TD1.6
// (listAuthorizationByPatient) and TD0.4 (patientList) on the official
// requests, with the TD2.1 documents published for the patient.
func TestAuthorizations(t *testing.T) {
	d, who := newTestDMP(t)
	h, l := habService{d.st}, patientListService{d.st}
	var ajout habilitations.SetAuthorization
	kitBody(t, "TD0.3_Mise-a-jour-de-lautorisation_requete.xml", &ajout)
	if st, _ := setAuth(t, h, &ajout); st != StatusPatientNotFound {
		t.Fatalf("no dossier yet: status %s", st)
	}
	createDossier(t, d)
	publishTD21(t, d.xds)

	st, list := listAuth(t, h)
	if st != StatusOK || len(list) != 1 || *list[examplePS].Mode != habilitations.ModeType_ACTIVE {
		t.Fatalf("after creation: %s %+v", st, list)
	}
	if st, ctx := setAuth(t, h, &ajout); st != StatusOK || ctx != "Autorisation déjà présente aucune action effectuée" {
		t.Fatalf("creator's AJOUT: %s %q", st, ctx)
	}
	if rows := patientList(t, l); len(rows) != 1 || *rows[0].MT || rows[0].LastAddDate == nil || *rows[0].LastName != "patb-quatre" {
		t.Fatalf("creator's patient list: %+v", rows)
	}

	who.c.PS = otherPS
	if st, _ := listAuth(t, h); st != StatusAccessDenied {
		t.Fatalf("an unauthorized professional lists the authorizations: %s", st)
	}
	if rows := patientList(t, l); len(rows) != 0 {
		t.Fatalf("an unauthorized professional's list has %d patients", len(rows))
	}
	mt := habilitations.SetAuthorization{Action: ptr(habilitations.ActionType_AJOUT), Role: ptr(habilitations.RoleType_MEDECINTRAITANT)}
	if st, _ := setAuth(t, h, &mt); st != StatusOK {
		t.Fatalf("AJOUT MEDECIN_TRAITANT: %s", st)
	}
	_, list = listAuth(t, h)
	if a, ok := list[otherPS]; !ok || len(a.SpecificRight) != 1 || a.SpecificRight[0] != habilitations.RoleType_MEDECINTRAITANT {
		t.Fatalf("the médecin traitant is not listed as such: %+v", list)
	}
	rows := patientList(t, l)
	if len(rows) != 1 || !*rows[0].MT || len(rows[0].PatientIdentifier) != 2 {
		t.Fatalf("médecin traitant's patient list: %+v", rows)
	}
	var td02 hl7.PRPAIN201307UV02
	kitBody(t, "TD0.2_Test-dexistence_requete.xml", &td02)
	resp, err := (gdpService{d.st}).PatientGetDemographicsPRPAIN201307UV02(context.Background(), &td02)
	if err != nil {
		t.Fatal(err)
	}
	if auth, isMT := attention(t, resp); auth != authValid || !isMT {
		t.Fatalf("TD0.2 for the médecin traitant: %s %v", auth, isMT)
	}

	suppr := habilitations.SetAuthorization{Action: ptr(habilitations.ActionType_SUPPRESSION)}
	if st, _ := setAuth(t, h, &suppr); st != StatusOK {
		t.Fatalf("SUPPRESSION: %s", st)
	}
	if st, ctx := setAuth(t, h, &suppr); st != StatusOK || ctx != "Autorisation absente aucune action effectuée" {
		t.Fatalf("second SUPPRESSION: %s %q", st, ctx)
	}
	if rows := patientList(t, l); len(rows) != 0 {
		t.Fatal("a removed authorization still lists the patient")
	}
	who.c.PS = examplePS
	if _, list := listAuth(t, h); len(list) != 1 || list[otherPS].NationalId != nil {
		t.Fatalf("SUPPRESSION did not remove the authorization: %+v", list)
	}
	// A start date after the last document filters the dossier out.
	late := patients.PatientList{StartDate: ptr("20300101"), DateType: ptr(patients.DateTypeEnum_LASTDOC)}
	if resp, err := l.PatientList(context.Background(), &late); err != nil || len(resp.Output.PatientlistData) != 0 {
		t.Fatalf("startDate filter: %v %+v", err, resp)
	}
	bad := patients.PatientList{StartDate: ptr("2030-01-01"), DateType: ptr(patients.DateTypeEnum_LASTDOC)}
	if resp, err := l.PatientList(context.Background(), &bad); err != nil || *resp.Output.Status != StatusInvalidData {
		t.Fatalf("malformed startDate: %v %+v", err, resp)
	}
}

// TestIdentityCertification finds the dossier's patient by NIR, birth date
// and rank.
func TestIdentityCertification(t *testing.T) {
	d, _ := newTestDMP(t)
	createDossier(t, d)
	c := certService{d.st}
	for _, tc := range []struct {
		req  patients.IdentityCertification
		want string
	}{
		{patients.IdentityCertification{NirIndividu: ptr("207058575627097"), DateNaissance: ptr("1907-05-25"), RangNaissance: ptr(int32(1))}, StatusOK},
		{patients.IdentityCertification{NirOD: ptr("207058575627097"), DateNaissance: ptr("19070525"), RangNaissance: ptr(int32(1))}, StatusOK},
		{patients.IdentityCertification{NirIndividu: ptr("207058575627097"), DateNaissance: ptr("19070525"), RangNaissance: ptr(int32(2))}, StatusPatientNotFound},
		{patients.IdentityCertification{NirIndividu: ptr("207058575627097"), DateNaissance: ptr("19070526"), RangNaissance: ptr(int32(1))}, StatusPatientNotFound},
		{patients.IdentityCertification{DateNaissance: ptr("19070525"), RangNaissance: ptr(int32(1))}, StatusInvalidData},
	} {
		resp, err := c.IdentityCertification(context.Background(), &tc.req)
		if err != nil {
			t.Fatal(err)
		}
		checkResponse(t, resp, nameCertifR)
		o := resp.Output
		if *o.Status != tc.want {
			t.Fatalf("%+v: status %s, want %s", tc.req, *o.Status, tc.want)
		}
		if tc.want == StatusOK && (*o.NirIndividu != "207058575627097" || *o.Prenom != "LAURENCE" || *o.NomUsuel != "patb-quatre" || *o.DateNaissance != "19070525") {
			t.Fatalf("certified identity %+v", o)
		}
	}
}
