package dmp_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/generated/dmp/patients"
	"github.com/dmpgen/dmpgen/runtime/soap"
)

// kitPatients answers patientList with the body of the kit's TD0.4
// response example, after edit (when set) changes it.
type kitPatients struct {
	t    *testing.T
	edit func(*patients.PatientListResponse)
}

func (k *kitPatients) PatientList(ctx context.Context, req *patients.PatientList) (*patients.PatientListResponse, error) {
	resp := new(patients.PatientListResponse)
	decodeBody(k.t, "TD0.4_Liste-des-DMP-autorises_reponse.xml", resp)
	if k.edit != nil {
		k.edit(resp)
	}
	return resp, nil
}

func patientsServer(t *testing.T, k *kitPatients) (*dmp.Client, *recorder) {
	k.t = t
	srv := soap.NewServer()
	patients.RegisterPatientSpecific(srv, k)
	return testServer(t, srv)
}

// TestTD04ListAuthorizedPatientsMatchesKit builds the TD0.4 request
// through ListAuthorizedPatients with the example's filter (documents
// since 2010-10-10 20:20:10) and compares its body with the official
// example: no difference is allowed. The official response decodes into
// its two dossiers.
func TestTD04ListAuthorizedPatientsMatchesKit(t *testing.T) {
	c, rec := patientsServer(t, &kitPatients{})
	list, err := c.ListAuthorizedPatients(ctx, dmp.PatientFilter{
		Since: time.Date(2010, 10, 10, 20, 20, 10, 0, time.UTC), DateType: dmp.DateLastDocument,
	})
	if err != nil {
		t.Fatal(err)
	}
	env, _ := rec.envelope(t)
	compare(t, "TD0.4_Liste-des-DMP-autorises_requete.xml", env)
	if len(list) != 2 {
		t.Fatalf("%d dossiers, want the example's 2", len(list))
	}
	want := dmp.AuthorizedPatient{
		IDs:      []dmp.PatientID{{Root: "1.2.250.1.213.1.4.2", Extension: "1197854176879056415520"}, {Root: "1.2.250.1.213.1.4.10", Extension: "207058575627097"}},
		LastName: "patb-quatre", FirstName: "LAURENCE", BirthDate: "19070525", AttendingPhysician: true,
		LastAccess: "20210521101631", LastUpdate: "20210506124503", LastAdd: "20210521101631",
	}
	if fmt.Sprintf("%+v", list[1]) != fmt.Sprintf("%+v", want) {
		t.Errorf("second dossier %+v, want %+v", list[1], want)
	}
	if list[0].AttendingPhysician || list[0].LastName != "PAT-TROIS" {
		t.Errorf("first dossier %+v, want PAT-TROIS without MT", list[0])
	}

	for name, f := range map[string]dmp.PatientFilter{
		"dateType without date": {DateType: dmp.DateLastDocument},
		"date without dateType": {Since: time.Now()},
	} {
		if _, err := c.ListAuthorizedPatients(ctx, f); err == nil {
			t.Errorf("%s: succeeded", name)
		}
	}
	noMT, _ := patientsServer(t, &kitPatients{edit: func(r *patients.PatientListResponse) { r.Output.PatientlistData[0].MT = nil }})
	if _, err := noMT.ListAuthorizedPatients(ctx, dmp.PatientFilter{}); err == nil {
		t.Error("an entry without MT decoded")
	}
	denied, _ := patientsServer(t, &kitPatients{edit: func(r *patients.PatientListResponse) { r.Output.Status = ptr("DMPAccessDenied") }})
	var de *dmp.Error
	if _, err := denied.ListAuthorizedPatients(ctx, dmp.PatientFilter{}); !errors.As(err, &de) || fmt.Sprint(de.Codes()) != "[DMPAccessDenied]" {
		t.Errorf("status DMPAccessDenied: %v", err)
	}
}

// TestTD04AgainstTestDMP runs TD0.4 against the embedded test DMP over
// HTTPS with a signed VIHF: a professional authorized on no dossier gets
// DMPOk and an empty list, with or without a filter.
func TestTD04AgainstTestDMP(t *testing.T) {
	c := testDMPClient(t, dmp.Options{})
	for _, f := range []dmp.PatientFilter{{}, {Since: time.Date(2010, 10, 10, 20, 20, 10, 0, time.UTC), DateType: dmp.DateLastAuthorization}} {
		list, err := c.ListAuthorizedPatients(ctx, f)
		if err != nil || len(list) != 0 {
			t.Errorf("TD0.4 %+v: %v, %+v; want an empty list", f, err, list)
		}
	}
}
