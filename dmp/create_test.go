package dmp_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
)

// TestCreateAgainstTestDMP runs the dossier's life against the embedded
// test DMP over HTTPS with a signed VIHF: CreateDMP (the TD1.3b example's
// patient data, oppositions false), TestExistence reports an open dossier
// with the oppositions, a second creation is rejected
// (DMPPatientAlreadyExists), UpdateDMP sets both oppositions and ReadDMP shows them,
// CloseDMP closes it and TestExistence then reports it closed.
func TestCreateAgainstTestDMP(t *testing.T) {
	c := testDMPClient(t, dmp.Options{Sender: dmp.Device{Root: "1.2.250.1.999.1", Name: "DMPGEN"}})
	d, a := exampleUpdate()
	r, err := c.CreateDMP(ctx, d, a)
	if err != nil {
		t.Fatalf("creation: %v", err)
	}
	if r.State != dmp.DossierOpen || len(r.IDs) == 0 || r.IDs[0] != dmp.PatientIDOf(d.Patient.INS) {
		t.Errorf("creation: %+v, want an open dossier with the INS", r)
	}
	ex, err := c.TestExistence(ctx, d.Patient.INS)
	if err != nil {
		t.Fatalf("TD0.2 after creation: %v", err)
	}
	if ex.State != dmp.DossierOpen || ex.Dossier == nil {
		t.Fatalf("TD0.2 after creation: %+v, want an open dossier", ex)
	}
	_, err = c.CreateDMP(ctx, d, a)
	var de *dmp.Error
	if !errors.As(err, &de) || !errors.Is(err, dmp.ErrRejected) || fmt.Sprint(de.Codes()) != "[DMPPatientAlreadyExists]" || de.Transaction != "PatientAdd" {
		t.Errorf("second creation: %v, want a PatientAdd DMPPatientAlreadyExists rejection", err)
	}

	d.Oppositions = []dmp.OppositionSetting{{Opposition: dmp.OppositionBreakGlass, Opposed: true}, {Opposition: dmp.OppositionEmergencyAccess, Opposed: true}}
	if r, err := c.UpdateDMP(ctx, d, a); err != nil || r.State != dmp.DossierOpen {
		t.Fatalf("TD1.3b: %+v %v, want an open dossier", r, err)
	}
	read, err := c.ReadDMP(ctx, d.Patient.INS)
	if err != nil {
		t.Fatalf("TD1.3a after TD1.3b: %v", err)
	}
	for _, o := range d.Oppositions {
		if v, ok := read.Observation(string(o.Opposition)); !ok || !v {
			t.Errorf("%s after TD1.3b: %v %v, want true", o.Opposition, v, ok)
		}
	}

	cl, err := c.CloseDMP(ctx, d.Patient, a, dmp.CloseOnPatientRequest)
	if err != nil || cl.State != dmp.DossierClosed {
		t.Fatalf("TD1.4: %+v %v, want a closed dossier", cl, err)
	}
	ex, err = c.TestExistence(ctx, d.Patient.INS)
	if err != nil || ex.State != dmp.DossierClosed {
		t.Errorf("TD0.2 after closing: %+v %v, want closed", ex, err)
	}
	_, err = c.UpdateDMP(ctx, d, a)
	if !errors.As(err, &de) || fmt.Sprint(de.Codes()) != "[DMPClosed]" {
		t.Errorf("TD1.3b on a closed dossier: %v, want DMPClosed", err)
	}
}

// TestCreateRefusesBadInput checks CreateDMP's validation before sending.
func TestCreateRefusesBadInput(t *testing.T) {
	c := testDMPClient(t, dmp.Options{Sender: dmp.Device{Root: "1.2.250.1.999.1", Name: "DMPGEN"}})
	for name, f := range map[string]func(*dmp.DossierData, *dmp.Professional){
		"no patient name":    func(d *dmp.DossierData, _ *dmp.Professional) { d.Patient.Name = dmp.PersonName{} },
		"no organization":    func(_ *dmp.DossierData, a *dmp.Professional) { a.Organization.ID = dmp.PatientID{} },
		"unknown opposition": func(d *dmp.DossierData, _ *dmp.Professional) { d.Oppositions[1].Opposition = "X" },
		"bad gender":         func(d *dmp.DossierData, _ *dmp.Professional) { d.Demographics.Gender = "W" },
	} {
		d, a := exampleUpdate()
		f(&d, &a)
		if _, err := c.CreateDMP(ctx, d, a); err == nil {
			t.Errorf("%s: CreateDMP succeeded", name)
		}
	}
	if _, err := dmp.New(dmp.Endpoints{}, nil, nil, dmp.Options{}).CreateDMP(ctx, dmp.DossierData{Patient: dmp.DossierPatient{INS: examplePatient, Name: dmp.PersonName{Family: "X"}}},
		dmp.Professional{ID: dmp.PatientID{Root: "1", Extension: "2"}, Name: dmp.PersonName{Family: "Y"}, Organization: dmp.Organization{ID: dmp.PatientID{Root: "3"}}}); !errors.Is(err, dmp.ErrNoEndpoint) {
		t.Errorf("CreateDMP without a GDP endpoint: %v", err)
	}
}
