package dmp_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/generated/gdp/gdp"
	hl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
)

// exampleClosing is the patient and author of the official TD1.4 example.
func exampleClosing() (dmp.DossierPatient, dmp.Professional) {
	return dmp.DossierPatient{INS: examplePatient, Name: dmp.PersonName{Prefix: "M", Family: "patb-quatre", Given: "LAURENCE"}},
		dmp.Professional{
			ID:        dmp.PatientID{Root: "1.2.250.1.71.4.2.1", Extension: "899900063480"},
			Specialty: &dmp.Code{Code: "1.2.250.1.71.4.2.5", DisplayName: "Qualifié en Médecine Générale (SM)"},
			Name:      dmp.PersonName{Family: "MAX", Given: "LIBRE"},
			Organization: dmp.Organization{ID: dmp.PatientID{Root: "1.2.250.1.71.4.2.2", Extension: "499900063480001"},
				Name: "CABINET DR LIBRE"},
		}
}

// TestTD14CloseDMPMatchesKit builds the TD1.4 request through CloseDMP
// (FERMETURE_DEMANDE_PATIENT, the example's patient and author) and
// compares its body with the official example: no difference is allowed
// (ids and time are injected). The official response, which is
// NE2009-invalid (the patient has no id, docs/kit-defects.md#td13b-and-td14-responses), decodes
// into a closed dossier.
func TestTD14CloseDMPMatchesKit(t *testing.T) {
	c, rec := gdpServer(t, &kitGDP{reviseFile: "TD1.4_Fermer_reponse.xml"})
	p, a := exampleClosing()
	cl, err := c.CloseDMP(ctx, p, a, dmp.CloseOnPatientRequest)
	if err != nil {
		t.Fatal(err)
	}
	env, _ := rec.envelope(t)
	compare(t, "TD1.4_Fermer_requete.xml", env)
	if cl.State != dmp.DossierClosed {
		t.Errorf("closure %+v, want a closed dossier", cl)
	}

	for name, f := range map[string]func(*dmp.DossierPatient, *dmp.Professional){
		"no INS root":     func(p *dmp.DossierPatient, _ *dmp.Professional) { p.INS.AssigningAuthority.UniversalID = "" },
		"no patient name": func(p *dmp.DossierPatient, _ *dmp.Professional) { p.Name = dmp.PersonName{} },
		"no author id":    func(_ *dmp.DossierPatient, a *dmp.Professional) { a.ID.Extension = "" },
		"no organization": func(_ *dmp.DossierPatient, a *dmp.Professional) { a.Organization.ID = dmp.PatientID{} },
	} {
		p, a := exampleClosing()
		f(&p, &a)
		if _, err := c.CloseDMP(ctx, p, a, dmp.CloseOnPatientRequest); err == nil {
			t.Errorf("%s: CloseDMP succeeded", name)
		}
	}
}

// reviseServer serves the official TD1.4 response after edit changes it.
func reviseServer(t *testing.T, edit func(*gdp.PRPAIN201314UV02ResponseType)) (*dmp.Client, *recorder) {
	return gdpServer(t, &kitGDP{reviseFile: "TD1.4_Fermer_reponse.xml", reviseEdit: edit})
}

// TestTD14Rejected decodes rejections of TD1.4: a PRPA_IN201316UV02 with
// acknowledgement AE is a *dmp.Error with the DMP's code and ErrRejected;
// so is one with AA, and an answer with neither choice is an error.
func TestTD14Rejected(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*gdp.PRPAIN201314UV02ResponseType)
		codes string
	}{
		{name: "AE", codes: "[DMPClosed]", edit: func(r *gdp.PRPAIN201314UV02ResponseType) {
			r.PRPAIN201316UV02 = reject(r.PRPAIN201315UV02, hl7.AcknowledgementType_AE, "DMPClosed")
			r.PRPAIN201315UV02 = nil
		}},
		{name: "AA", codes: "[]", edit: func(r *gdp.PRPAIN201314UV02ResponseType) {
			r.PRPAIN201316UV02 = reject(r.PRPAIN201315UV02, hl7.AcknowledgementType_AA, "")
			r.PRPAIN201315UV02 = nil
		}},
		{name: "accepted but AE", codes: "[DMPAccessDenied]", edit: func(r *gdp.PRPAIN201314UV02ResponseType) {
			r.PRPAIN201315UV02.Acknowledgement[0].TypeCode = hl7.AcknowledgementType_AE
			r.PRPAIN201315UV02.Acknowledgement[0].AcknowledgementDetail = []hl7.MCCIMT000300UV01AcknowledgementDetail{{Code: &hl7.CE{Code: ptr("DMPAccessDenied")}}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := reviseServer(t, tc.edit)
			p, a := exampleClosing()
			_, err := c.CloseDMP(ctx, p, a, dmp.CloseOnPatientRequest)
			var de *dmp.Error
			if !errors.As(err, &de) || !errors.Is(err, dmp.ErrRejected) || fmt.Sprint(de.Codes()) != tc.codes || de.Transaction != "TD1.4" {
				t.Errorf("error %v, want a TD1.4 rejection with codes %s", err, tc.codes)
			}
		})
	}
	c, _ := reviseServer(t, func(r *gdp.PRPAIN201314UV02ResponseType) { r.PRPAIN201315UV02 = nil })
	p, a := exampleClosing()
	if _, err := c.CloseDMP(ctx, p, a, dmp.CloseOnPatientRequest); err == nil {
		t.Error("an empty PRPA_IN201314UV02_Response was accepted")
	}
}

// reject turns the accepted example into a PRPA_IN201316UV02 with the
// acknowledgement typ and detail code.
func reject(acc *hl7.PRPAIN201315UV02, typ hl7.AcknowledgementType, code string) *hl7.PRPAIN201316UV02 {
	ack := acc.Acknowledgement
	ack[0].TypeCode = typ
	if code != "" {
		ack[0].AcknowledgementDetail = []hl7.MCCIMT000300UV01AcknowledgementDetail{{TypeCode: ptr(hl7.AcknowledgementDetailType_E), Code: &hl7.CE{Code: ptr(code)}}}
	}
	return &hl7.PRPAIN201316UV02{ITSVersion: acc.ITSVersion, Id: acc.Id, CreationTime: acc.CreationTime, InteractionId: ptr(hl7.II{Root: ptr("2.16.840.1.113883.1.6"), Extension: ptr("PRPA_IN201316UV02")}),
		ProcessingCode: acc.ProcessingCode, ProcessingModeCode: acc.ProcessingModeCode, AcceptAckCode: acc.AcceptAckCode,
		Receiver: acc.Receiver, Sender: acc.Sender, Acknowledgement: ack}
}

// TestTD14AgainstTestDMP runs TD1.4 against the embedded test DMP over
// HTTPS with a signed VIHF: closing the dossier of a patient without DMP
// is rejected (PRPA_IN201316UV02) as a *dmp.Error.
func TestTD14AgainstTestDMP(t *testing.T) {
	c := testDMPClient(t, dmp.Options{Sender: dmp.Device{Root: "1.2.250.1.999.1", Name: "DMPGEN"}})
	p, a := exampleClosing()
	_, err := c.CloseDMP(ctx, p, a, dmp.CloseOnPatientRequest)
	var de *dmp.Error
	if !errors.As(err, &de) || !errors.Is(err, dmp.ErrRejected) || fmt.Sprint(de.Codes()) != "[DMPPatientNotFound]" {
		t.Errorf("TD1.4 on a patient without DMP: %v, want a DMPPatientNotFound rejection", err)
	}
}
