package dmp_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/runtime/soap"
)

// kitHab answers the Habilitations operations with the body of the kit's
// response examples, after edit (when set) changes the TD0.3 one.
type kitHab struct {
	t    *testing.T
	edit func(*habilitations.SetAuthorizationResponse)
}

func (k *kitHab) SetAuthorization(ctx context.Context, req *habilitations.SetAuthorization) (*habilitations.SetAuthorizationResponse, error) {
	resp := new(habilitations.SetAuthorizationResponse)
	decodeBody(k.t, "TD0.3_Mise-a-jour-de-lautorisation_reponse.xml", resp)
	if k.edit != nil {
		k.edit(resp)
	}
	return resp, nil
}

func (k *kitHab) ListAuthorizationByPatient(ctx context.Context, req *habilitations.ListAuthorizationByPatient) (*habilitations.ListAuthorizationByPatientResponse, error) {
	resp := new(habilitations.ListAuthorizationByPatientResponse)
	decodeBody(k.t, "TD1.6_Liste-des-PS-autorises-ou-bloques_reponse.xml", resp)
	return resp, nil
}

func habServer(t *testing.T, k *kitHab) (*dmp.Client, *recorder) {
	k.t = t
	srv := soap.NewServer()
	habilitations.RegisterHabilitations(srv, k)
	return testServer(t, srv)
}

// TestTD03SetAuthorizationMatchesKit builds the TD0.3 request through
// SetAuthorization (AJOUT, no role) and compares its body with the
// official example: no difference is allowed. The official response
// decodes into DMPOk with its context; another status is a *dmp.Error
// carrying it.
func TestTD03SetAuthorizationMatchesKit(t *testing.T) {
	c, rec := habServer(t, &kitHab{})
	res, err := c.SetAuthorization(ctx, dmp.AuthorizationAdd, dmp.RoleNone)
	if err != nil {
		t.Fatal(err)
	}
	env, _ := rec.envelope(t)
	compare(t, "TD0.3_Mise-a-jour-de-lautorisation_requete.xml", env)
	if res.Status != dmp.StatusOK || res.Context != "Autorisation déjà présente aucune action effectuée" {
		t.Errorf("result %+v, want the example's DMPOk and context", res)
	}

	denied, _ := habServer(t, &kitHab{edit: func(r *habilitations.SetAuthorizationResponse) {
		r.Output.Status = ptr("DMPAccessDenied")
	}})
	_, err = denied.SetAuthorization(ctx, dmp.AuthorizationRemove, dmp.RoleAttendingPhysician)
	var de *dmp.Error
	if !errors.As(err, &de) || !errors.Is(err, dmp.ErrRejected) || fmt.Sprint(de.Codes()) != "[DMPAccessDenied]" || de.Transaction != "TD0.3" {
		t.Errorf("status DMPAccessDenied: error %v, want a TD0.3 *dmp.Error rejecting with DMPAccessDenied", err)
	}
	nostatus, _ := habServer(t, &kitHab{edit: func(r *habilitations.SetAuthorizationResponse) { r.Output.Status = nil }})
	if _, err := nostatus.SetAuthorization(ctx, dmp.AuthorizationAdd, dmp.RoleNone); !errors.As(err, &de) {
		t.Errorf("answer without status: error %v, want a *dmp.Error", err)
	}
	if _, err := c.SetAuthorization(ctx, "MODIFICATION", dmp.RoleNone); err == nil {
		t.Error("SetAuthorization with action MODIFICATION succeeded")
	}
	if _, err := c.SetAuthorization(ctx, dmp.AuthorizationAdd, "PHARMACIEN"); err == nil {
		t.Error("SetAuthorization with role PHARMACIEN succeeded")
	}
}

// TestTD03AgainstTestDMP runs TD0.3 against the embedded test DMP over
// HTTPS with a signed VIHF naming a patient without DMP: the DMP refuses
// with DMPPatientNotFound, a *dmp.Error.
func TestTD03AgainstTestDMP(t *testing.T) {
	c := testDMPClient(t, dmp.Options{})
	_, err := c.SetAuthorization(ctx, dmp.AuthorizationAdd, dmp.RoleAttendingPhysician)
	var de *dmp.Error
	if !errors.As(err, &de) || fmt.Sprint(de.Codes()) != "[DMPPatientNotFound]" {
		t.Errorf("TD0.3 on a patient without DMP: %v, want DMPPatientNotFound", err)
	}
}

// TestTD16ListAuthorizationsMatchesKit builds the TD1.6 request through
// ListAuthorizations (mode TOUTE) and compares its body with the official
// example: no difference is allowed. The official response decodes into
// its one active professional.
func TestTD16ListAuthorizationsMatchesKit(t *testing.T) {
	c, rec := habServer(t, &kitHab{})
	list, err := c.ListAuthorizations(ctx, dmp.ModeAll)
	if err != nil {
		t.Fatal(err)
	}
	env, _ := rec.envelope(t)
	compare(t, "TD1.6_Liste-des-PS-autorises-ou-bloques_requete.xml", env)
	want := []dmp.Authorization{{
		NationalID: "899900063480", NationalIDType: "1.2.250.1.71.4.2.1", FirstName: "MAX", LastName: "LIBRE",
		Specialities: []string{"G15_10/SM26"}, SpecialityLabels: []string{"Médecin - Qualifié en Médecine générale (SM)"},
		Start: "20210601135804", LastAction: "20210601140606", Mode: dmp.ModeActive,
	}}
	if fmt.Sprintf("%+v", list) != fmt.Sprintf("%+v", want) {
		t.Errorf("list %+v, want %+v", list, want)
	}
	if _, err := c.ListAuthorizations(ctx, "AUCUNE"); err == nil {
		t.Error("ListAuthorizations with mode AUCUNE succeeded")
	}
}

// TestTD16AgainstTestDMP runs TD1.6 against the embedded test DMP over
// HTTPS with a signed VIHF naming a patient without DMP: DMPPatientNotFound.
func TestTD16AgainstTestDMP(t *testing.T) {
	c := testDMPClient(t, dmp.Options{})
	_, err := c.ListAuthorizations(ctx, dmp.ModeActive)
	var de *dmp.Error
	if !errors.As(err, &de) || fmt.Sprint(de.Codes()) != "[DMPPatientNotFound]" || de.Transaction != "TD1.6" {
		t.Errorf("TD1.6 on a patient without DMP: %v, want DMPPatientNotFound", err)
	}
}
