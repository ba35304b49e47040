package dmp_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/generated/pdq/hl7v3"
	"github.com/dmpgen/dmpgen/generated/pdq/pdqv3"
	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// kitPDQ answers FindCandidates with the official TD0.5 response after
// edit (when set) changes it.
type kitPDQ struct {
	t    *testing.T
	edit func(*hl7v3.PRPAIN201306UV02)
}

func (k *kitPDQ) FindCandidatesQuery(ctx context.Context, req *hl7v3.PRPAIN201305UV02) (*hl7v3.PRPAIN201306UV02, error) {
	resp := new(hl7v3.PRPAIN201306UV02)
	decodeFixed(k.t, "TD0.5_Recherche-dun-patient-sans-INS_reponse.xml", resp, td05ResponseFixes...)
	if k.edit != nil {
		k.edit(resp)
	}
	return resp, nil
}

// td05ResponseFixes repair the NE2008 defects of the official TD0.5
// response (docs/kit-defects.md#td05-response) so that the strict decoder reads it: the
// controlActProcess code (a CS in NE2008) carries a codeSystem, subjectOf2
// lacks its typeCode (SBJ) and administrativeObservation its classCode
// (OBS).
var td05ResponseFixes = []xmlcmp.Normalizer{childAttrRemoved("controlActProcess", "code", "codeSystem"),
	attrAdded("subjectOf2", "typeCode", "SBJ"), attrAdded("administrativeObservation", "classCode", "OBS")}

// attrAdded gives the elements named elem the attribute local="v" (no
// namespace) when they lack it.
func attrAdded(elem, local, v string) xmlcmp.Normalizer {
	return func(root *xmltext.Element) {
		xmlcmp.Walk(root, func(el *xmltext.Element) {
			if _, ok := el.Attr(xmltext.Name{Local: local}); el.Name.Local == elem && !ok {
				el.Attrs = append(el.Attrs, xmltext.Attr{Name: xmltext.Name{Local: local}, Value: v})
			}
		})
	}
}

// childAttrRemoved removes the attribute local (no namespace) of the child
// elements named child of the elements named parent.
func childAttrRemoved(parent, child, local string) xmlcmp.Normalizer {
	return func(root *xmltext.Element) {
		xmlcmp.Walk(root, func(el *xmltext.Element) {
			if el.Name.Local == parent {
				for _, c := range el.Elements() {
					if c.Name.Local == child {
						removeAttr(child, local)(c)
					}
				}
			}
		})
	}
}

// decodeFixed decodes the body of a kit message into v after the named
// repairs norms.
func decodeFixed(t *testing.T, name string, v xmltext.Unmarshaler, norms ...xmlcmp.Normalizer) {
	t.Helper()
	el, err := xmlcmp.Parse(body(t, readKit(t, name)))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range norms {
		n(el)
	}
	e := xmltext.NewEncoder(nil)
	e.WriteElement(el)
	if err := e.Finish(); err != nil {
		t.Fatal(err)
	}
	if _, err := xmltext.Unmarshal(e.Bytes(), v, xmltext.Options{}); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// pdqServer serves k with the TD0.5 example's clock and ids.
func pdqServer(t *testing.T, k *kitPDQ) (*dmp.Client, *recorder) {
	k.t = t
	srv := soap.NewServer()
	pdqv3.RegisterPDQSupplier(srv, k)
	return testServerWith(t, srv, exampleOptions(time.Date(2019, 4, 4, 10, 7, 38, 0, time.UTC),
		"1633a409-3d61-4869-aed8-74d92ae20272", "4cf69f11-f58c-4a49-8dd3-2cca7c342e40"))
}

// TestTD05SearchPatientsMatchesKit builds the TD0.5 request through
// SearchPatients (family name DECHAINE) and compares its body with the
// official example: no difference is allowed. The official response
// (NE2008-invalid, docs/kit-defects.md#td05-response) decodes into its patient with the
// opposition.
func TestTD05SearchPatientsMatchesKit(t *testing.T) {
	c, rec := pdqServer(t, &kitPDQ{})
	ms, err := c.SearchPatients(ctx, dmp.PatientQuery{Family: "DECHAINE"})
	if err != nil {
		t.Fatal(err)
	}
	env, _ := rec.envelope(t)
	compare(t, "TD0.5_Recherche-dun-patient-sans-INS_requete.xml", env)
	if len(ms) != 1 || ms[0].State != dmp.DossierOpen || len(ms[0].IDs) != 2 || ms[0].IDs[0].Extension != "157069329642881" || ms[0].Person == nil {
		t.Fatalf("matches %+v, want the example's patient", ms)
	}
	if v, ok := ms[0].Observation("OPPOSITION_ACCES_URGENCE"); !ok || v {
		t.Errorf("OPPOSITION_ACCES_URGENCE %v %v, want false", v, ok)
	}
	for _, q := range []dmp.PatientQuery{{}, {Gender: "X"}, {IDs: []dmp.PatientID{{Root: "1.2"}}}} {
		if _, err := c.SearchPatients(ctx, q); err == nil {
			t.Errorf("query %+v accepted", q)
		}
	}
}

// TestTD05Answers decodes the other answers of TD0.5: NF is no match, QE
// with acknowledgement AE is a *dmp.Error with the DMP's code, an unknown
// queryResponseCode and a non-boolean observation are errors.
func TestTD05Answers(t *testing.T) {
	nf, _ := pdqServer(t, &kitPDQ{edit: func(r *hl7v3.PRPAIN201306UV02) {
		r.ControlActProcess.Subject = nil
		r.ControlActProcess.QueryAck.QueryResponseCode.Code = ptr("NF")
	}})
	if ms, err := nf.SearchPatients(ctx, dmp.PatientQuery{Family: "DECHAINE"}); err != nil || len(ms) != 0 {
		t.Errorf("NF: %v %v, want no match", ms, err)
	}
	qe, _ := pdqServer(t, &kitPDQ{edit: func(r *hl7v3.PRPAIN201306UV02) {
		r.Acknowledgement[0].TypeCode.Code = ptr("AE")
		r.Acknowledgement[0].AcknowledgementDetail = []hl7v3.MCCIMT000300UV01AcknowledgementDetail{{Code: &hl7v3.CE{Code: ptr("DMPInvalidData")}}}
		r.ControlActProcess.QueryAck.QueryResponseCode.Code = ptr("QE")
	}})
	_, err := qe.SearchPatients(ctx, dmp.PatientQuery{Family: "DECHAINE"})
	var de *dmp.Error
	if !errors.As(err, &de) || !errors.Is(err, dmp.ErrRejected) || fmt.Sprint(de.Codes()) != "[DMPInvalidData]" || de.Transaction != "TD0.5" {
		t.Errorf("QE: %v, want a TD0.5 rejection with DMPInvalidData", err)
	}
	for name, edit := range map[string]func(*hl7v3.PRPAIN201306UV02){
		"unknown queryResponseCode": func(r *hl7v3.PRPAIN201306UV02) { r.ControlActProcess.QueryAck.QueryResponseCode.Code = ptr("ZZ") },
		"QE with AA":                func(r *hl7v3.PRPAIN201306UV02) { r.ControlActProcess.QueryAck.QueryResponseCode.Code = ptr("QE") },
		"non-boolean observation": func(r *hl7v3.PRPAIN201306UV02) {
			r.ControlActProcess.Subject[0].RegistrationEvent.Subject1.Patient.SubjectOf2[0].AdministrativeObservation.Value = &hl7v3.ANY{Derived: &hl7v3.CE{Code: ptr("X")}}
		},
		"no patient": func(r *hl7v3.PRPAIN201306UV02) { r.ControlActProcess.Subject[0].RegistrationEvent.Subject1 = nil },
	} {
		c, _ := pdqServer(t, &kitPDQ{edit: edit})
		if _, err := c.SearchPatients(ctx, dmp.PatientQuery{Family: "DECHAINE"}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestTD05AgainstTestDMP searches the embedded test DMP over HTTPS: no
// match before creation, the created patient (by name, by birth date and
// gender, by INS) after it.
func TestTD05AgainstTestDMP(t *testing.T) {
	c := testDMPClient(t, dmp.Options{Sender: dmp.Device{Root: "1.2.250.1.999.1", Name: "DMPGEN"}})
	d, a := exampleUpdate()
	if ms, err := c.SearchPatients(ctx, dmp.PatientQuery{Family: "patb-quatre"}); err != nil || len(ms) != 0 {
		t.Fatalf("before creation: %v %v, want no match", ms, err)
	}
	if _, err := c.CreateDMP(ctx, d, a); err != nil {
		t.Fatal(err)
	}
	ins := dmp.PatientIDOf(d.Patient.INS)
	for _, q := range []dmp.PatientQuery{{Family: "PATB-QUATRE", Given: "laurence"}, {BirthDate: "19790328", Gender: "F"}, {IDs: []dmp.PatientID{ins}}} {
		ms, err := c.SearchPatients(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		if len(ms) != 1 || ms[0].State != dmp.DossierOpen || len(ms[0].IDs) == 0 || ms[0].IDs[0] != ins {
			t.Errorf("%+v: %+v, want the created patient", q, ms)
		}
		if v, ok := ms[0].Observation(string(dmp.OppositionBreakGlass)); !ok || v {
			t.Errorf("%+v: %s %v %v, want false", q, dmp.OppositionBreakGlass, v, ok)
		}
	}
	if ms, err := c.SearchPatients(ctx, dmp.PatientQuery{Family: "patb-quatre", Gender: "M"}); err != nil || len(ms) != 0 {
		t.Errorf("wrong gender: %v %v, want no match", ms, err)
	}
}
