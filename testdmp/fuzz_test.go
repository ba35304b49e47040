package testdmp

import (
	"bytes"
	"context"
	"testing"

	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/generated/dmp/patients"
	gdphl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	pdqhl7 "github.com/dmpgen/dmpgen/generated/pdq/hl7v3"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// operation is one handler of the test DMP with the type of its request.
type operation struct {
	newReq   func() xmlbind.Value
	response xmltext.Name
	call     func(d *DMP, req xmlbind.Value) (xmlbind.Value, error)
}

// operations are the non-XDS handlers by request element (local name).
var operations = map[string]operation{
	"PRPA_IN201307UV02": {func() xmlbind.Value { return new(gdphl7.PRPAIN201307UV02) }, name201308, func(d *DMP, r xmlbind.Value) (xmlbind.Value, error) {
		return gdpService{d.st}.PatientGetDemographicsPRPAIN201307UV02(context.Background(), r.(*gdphl7.PRPAIN201307UV02))
	}},
	"PRPA_IN201311UV02": {func() xmlbind.Value { return new(gdphl7.PRPAIN201311UV02) }, name201311R, func(d *DMP, r xmlbind.Value) (xmlbind.Value, error) {
		return gdpService{d.st}.PatientAddPRPAIN201311UV02(context.Background(), r.(*gdphl7.PRPAIN201311UV02))
	}},
	"PRPA_IN201314UV02": {func() xmlbind.Value { return new(gdphl7.PRPAIN201314UV02) }, name201314R, func(d *DMP, r xmlbind.Value) (xmlbind.Value, error) {
		return gdpService{d.st}.PatientRevisePRPAIN201314UV02(context.Background(), r.(*gdphl7.PRPAIN201314UV02))
	}},
	"PRPA_IN201305UV02": {func() xmlbind.Value { return new(pdqhl7.PRPAIN201305UV02) }, name201306, func(d *DMP, r xmlbind.Value) (xmlbind.Value, error) {
		return pdqService{d.st}.FindCandidatesQuery(context.Background(), r.(*pdqhl7.PRPAIN201305UV02))
	}},
	"setAuthorization": {func() xmlbind.Value { return new(habilitations.SetAuthorization) }, nameSetAuthR, func(d *DMP, r xmlbind.Value) (xmlbind.Value, error) {
		return habService{d.st}.SetAuthorization(context.Background(), r.(*habilitations.SetAuthorization))
	}},
	"listAuthorizationByPatient": {func() xmlbind.Value { return new(habilitations.ListAuthorizationByPatient) }, nameListAuthR, func(d *DMP, r xmlbind.Value) (xmlbind.Value, error) {
		return habService{d.st}.ListAuthorizationByPatient(context.Background(), r.(*habilitations.ListAuthorizationByPatient))
	}},
	"patientList": {func() xmlbind.Value { return new(patients.PatientList) }, namePatListR, func(d *DMP, r xmlbind.Value) (xmlbind.Value, error) {
		return patientListService{d.st}.PatientList(context.Background(), r.(*patients.PatientList))
	}},
	"identityCertification": {func() xmlbind.Value { return new(patients.IdentityCertification) }, nameCertifR, func(d *DMP, r xmlbind.Value) (xmlbind.Value, error) {
		return certService{d.st}.IdentityCertification(context.Background(), r.(*patients.IdentityCertification))
	}},
}

// FuzzHandlers decodes arbitrary requests and runs them on a DMP holding
// one dossier: a handler may refuse a request, but must not panic, and
// what it answers must encode. Seeds: the official requests.
func FuzzHandlers(f *testing.F) {
	add := patientAddRequest(f)
	seeds := []struct {
		file string
		v    xmlbind.Value
		name xmltext.Name
	}{
		{"TD0.2_Test-dexistence_requete.xml", new(gdphl7.PRPAIN201307UV02), xmltext.Name{Space: nsHL7, Local: "PRPA_IN201307UV02"}},
		{"TD1.3a_Consultation_requete.xml", new(gdphl7.PRPAIN201307UV02), xmltext.Name{Space: nsHL7, Local: "PRPA_IN201307UV02"}},
		{"TD1.3b_Modification_requete.xml", new(gdphl7.PRPAIN201314UV02), xmltext.Name{Space: nsHL7, Local: "PRPA_IN201314UV02"}},
		{"TD1.4_Fermer_requete.xml", new(gdphl7.PRPAIN201314UV02), xmltext.Name{Space: nsHL7, Local: "PRPA_IN201314UV02"}},
		{"TD0.5_Recherche-dun-patient-sans-INS_requete.xml", new(pdqhl7.PRPAIN201305UV02), xmltext.Name{Space: nsHL7, Local: "PRPA_IN201305UV02"}},
		{"TD0.3_Mise-a-jour-de-lautorisation_requete.xml", new(habilitations.SetAuthorization), xmltext.Name{Space: "urn:si-dmp-habilitations", Local: "setAuthorization"}},
		{"TD1.6_Liste-des-PS-autorises-ou-bloques_requete.xml", new(habilitations.ListAuthorizationByPatient), xmltext.Name{Space: "urn:si-dmp-habilitations", Local: "listAuthorizationByPatient"}},
		{"TD0.4_Liste-des-DMP-autorises_requete.xml", new(patients.PatientList), xmltext.Name{Space: "urn:si-dmp-patients", Local: "patientList"}},
	}
	for _, s := range seeds {
		kitBody(f, s.file, s.v)
		f.Add(encode(f, s.v, s.name))
	}
	f.Add(encode(f, add, xmltext.Name{Space: nsHL7, Local: "PRPA_IN201311UV02"}))
	f.Add([]byte(`<identityCertification xmlns="urn:si-dmp-patients"><nirOD>207058575627097</nirOD><dateNaissance>1907-05-25</dateNaissance><rangNaissance>1</rangNaissance></identityCertification>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := xmltext.NewDecoder(data, xmltext.Options{File: "fuzz"})
		tok, err := d.Next()
		for err == nil && tok.Kind != xmltext.StartElement {
			tok, err = d.Next()
		}
		if err != nil {
			return
		}
		op, ok := operations[tok.Name.Local]
		if !ok {
			return
		}
		req := op.newReq()
		if err := req.UnmarshalXMLText(d, &tok); err != nil {
			return
		}
		dmp, _ := newTestDMP(t)
		if r, err := (gdpService{dmp.st}).PatientAddPRPAIN201311UV02(context.Background(), add); err != nil || r.PRPAIN201312UV02 == nil {
			t.Fatalf("creation: %v", err)
		}
		resp, err := op.call(dmp, req)
		if err != nil {
			return // a refusal (SOAP fault)
		}
		var buf bytes.Buffer
		e := xmltext.NewEncoder(&buf)
		if err := resp.MarshalXMLText(e, op.response); err != nil {
			t.Fatalf("encoding the response to %s: %v", tok.Name.Local, err)
		}
		if err := e.Flush(); err != nil {
			t.Fatal(err)
		}
	})
}
