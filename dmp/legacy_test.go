package dmp_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// legacyResponses are the official TD1.5 response examples by request
// wsa:Action.
var legacyResponses = map[string]string{
	"urn:si-dmp-patients:PatientSpecificEndPoint:createPatientAccess": "TD1.5a_Creation-du-compte-internet-patient_reponse.xml",
	"urn:si-dmp-patients:PatientSpecificEndPoint:patientOTPUpdate":    "TD1.5b_Ajout-dun-canal-OTP_reponse.xml",
	"urn:si-dmp-patients:PatientSpecificEndPoint:updatePatientAccess": "TD1.5d_Maj-des-information-du-compte-internet_reponse.xml",
}

// kitLegacy answers each TD1.5 request with the official response example
// as it is in the kit, headers included (wsa:Action too), with one edit:
// its wsa:RelatesTo is set to the request's wsa:MessageID. edit, when
// set, changes the response text further.
type kitLegacy struct {
	t    *testing.T
	edit func(string) string
}

func (k *kitLegacy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	root, err := xmlcmp.Parse(b)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var action, id string
	xmlcmp.Walk(root, func(el *xmltext.Element) {
		switch el.Name.Local {
		case "Action":
			action = el.Text()
		case "MessageID":
			id = el.Text()
		}
	})
	name, ok := legacyResponses[action]
	if !ok || id == "" {
		http.Error(w, fmt.Sprintf("no example for action %q (MessageID %q)", action, id), http.StatusBadRequest)
		return
	}
	resp := string(readKit(k.t, name))
	i := strings.Index(resp, "<RelatesTo ")
	j := strings.Index(resp, "</RelatesTo>")
	if i < 0 || j < i {
		http.Error(w, name+" without RelatesTo", http.StatusInternalServerError)
		return
	}
	resp = resp[:i] + `<RelatesTo xmlns="http://www.w3.org/2005/08/addressing">` + id + resp[j:]
	if k.edit != nil {
		resp = k.edit(resp)
	}
	w.Header().Set("Content-Type", "application/soap+xml; charset=UTF-8")
	io.WriteString(w, resp)
}

// legacyServer serves the official TD1.5 responses over HTTPS and returns
// a strict dmp.Client, a lenient one (Options.SOAP with
// soap.WithLenientDecoding) and the
// recorder of the requests.
func legacyServer(t *testing.T, edit func(string) string) (strict, lenient *dmp.Client, rec *recorder) {
	t.Helper()
	testenv.Kit(t) // the handler reads the kit and cannot skip the test
	rec = &recorder{next: &kitLegacy{t: t, edit: edit}}
	env := soaptest.NewEnv(t, rec)
	strict = dmp.New(allEndpoints(env.URL()), env.Client, nil, fixedOptions())
	o := fixedOptions()
	o.SOAP = []soap.Option{soap.WithLenientDecoding(true)}
	lenient = dmp.New(allEndpoints(env.URL()), env.Client, nil, o)
	return strict, lenient, rec
}

// TestTD15aCreatePatientAccessMatchesKit: the TD1.5a request built for an
// SMS channel matches the kit example with no difference; the official
// response, as received, decodes into its login and password.
func TestTD15aCreatePatientAccessMatchesKit(t *testing.T) {
	c, _, rec := legacyServer(t, nil)
	acc, err := c.CreatePatientAccess(ctx, dmp.OTPSMS, "0606060606")
	if err != nil {
		t.Fatal(err)
	}
	env, _ := rec.envelope(t)
	compare(t, "TD1.5a_Creation-du-compte-internet-patient_requete.xml", env)
	if want := (dmp.PatientAccess{Login: "mtef3603", Password: "cbC!bqf3"}); acc != want {
		t.Errorf("account %+v, want %+v", acc, want)
	}
	for name, f := range map[string]func() error{
		"unknown channel": func() error { _, err := c.CreatePatientAccess(ctx, "FAX", "0101010101"); return err },
		"empty address":   func() error { _, err := c.CreatePatientAccess(ctx, dmp.OTPEmail, ""); return err },
	} {
		if f() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	noPassword, _, _ := legacyServer(t, func(s string) string { return strings.Replace(s, "<ns1:password>cbC!bqf3</ns1:password>", "", 1) })
	if _, err := noPassword.CreatePatientAccess(ctx, dmp.OTPSMS, "0606060606"); err == nil {
		t.Error("DMPOk without a password accepted")
	}
	denied, _, _ := legacyServer(t, func(s string) string { return strings.Replace(s, "DMPOk", "DMPAccessDenied", 1) })
	var de *dmp.Error
	if _, err := denied.CreatePatientAccess(ctx, dmp.OTPSMS, "0606060606"); !errors.As(err, &de) || !errors.Is(err, dmp.ErrRejected) || fmt.Sprint(de.Codes()) != "[DMPAccessDenied]" {
		t.Errorf("status DMPAccessDenied: %v", err)
	}
}

// TestTD15bUpdatePatientOTPMatchesKit: the TD1.5b request adding an
// e-mail channel matches the kit example with no difference; the official
// response decodes into its context text.
func TestTD15bUpdatePatientOTPMatchesKit(t *testing.T) {
	c, _, rec := legacyServer(t, nil)
	text, err := c.UpdatePatientOTP(ctx, dmp.OTPEmail, "mon.email@mail.fr", dmp.OTPAdd)
	if err != nil {
		t.Fatal(err)
	}
	env, _ := rec.envelope(t)
	compare(t, "TD1.5b_Ajout-dun-canal-OTP_requete.xml", env)
	if text != "OTP mis à jour" {
		t.Errorf("context %q, want the example's %q", text, "OTP mis à jour")
	}
	if _, err := c.UpdatePatientOTP(ctx, dmp.OTPEmail, "mon.email@mail.fr", "AJOUTER"); err == nil {
		t.Error("unknown action accepted")
	}
	denied, _, _ := legacyServer(t, func(s string) string { return strings.Replace(s, "DMPOk", "DMPParameterError", 1) })
	if _, err := denied.UpdatePatientOTP(ctx, dmp.OTPSMS, "0606060606", dmp.OTPRemove); !errors.Is(err, dmp.ErrRejected) {
		t.Errorf("status DMPParameterError: %v", err)
	}
}

// TestTD15dUpdatePatientAccessMatchesKit: the TD1.5d request (an empty
// updatePatientAccess) matches the kit example. The official response
// carries the mislabelled wsa:Action
// urn:si-dmp-patients:PatientSpecificEndPoint:updatePatientAccess:Fault:SoapFault
// (docs/kit-defects.md#td15d-response): a strict client refuses it as a WS-Addressing
// mismatch, a client on a soap.Client WithLenientDecoding decodes its
// login and password.
func TestTD15dUpdatePatientAccessMatchesKit(t *testing.T) {
	strict, lenient, rec := legacyServer(t, nil)
	_, err := strict.UpdatePatientAccess(ctx)
	if !errors.Is(err, soap.ErrAddressing) || !strings.Contains(err.Error(), "Fault:SoapFault") {
		t.Errorf("strict client on the mislabelled wsa:Action: %v; want a WS-Addressing mismatch", err)
	}
	acc, err := lenient.UpdatePatientAccess(ctx)
	if err != nil {
		t.Fatal(err)
	}
	env, _ := rec.envelope(t)
	compare(t, "TD1.5d_Maj-des-information-du-compte-internet_requete.xml", env)
	if want := (dmp.PatientAccess{Login: "judj7573", Password: "d=R#B9xi"}); acc != want {
		t.Errorf("account %+v, want %+v", acc, want)
	}
}

// TestTD15NeedsLegacyEndpoint: without Endpoints.LegacyPatients, TD1.5
// fails with ErrNoEndpoint (the current Patients endpoint is not used).
func TestTD15NeedsLegacyEndpoint(t *testing.T) {
	c := dmp.New(dmp.Endpoints{Patients: "https://127.0.0.1:1/Patients"}, nil, nil, dmp.Options{})
	if _, err := c.UpdatePatientAccess(ctx); !errors.Is(err, dmp.ErrNoEndpoint) {
		t.Errorf("TD1.5d without a legacy endpoint: %v", err)
	}
}
