//go:build dmpgen_template

package dmp

import (
	"context"
	"fmt"

	gdphl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	hl7 "github.com/dmpgen/dmpgen/generated/pdq/hl7v3"
	"github.com/dmpgen/dmpgen/generated/pdq/pdqv3"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// PatientQuery is a TD0.5 search (PDQ v3 parameters); empty fields are
// left out, at least one must be set.
type PatientQuery struct {
	// Family and Given are a livingSubjectName value.
	Family, Given string
	// BirthDate is the livingSubjectBirthTime, an HL7 TS (e.g. "19570628").
	BirthDate string
	// Gender is the livingSubjectAdministrativeGender: M, F or U.
	Gender string
	// IDs are livingSubjectId values (root and extension).
	IDs []PatientID
}

// PatientMatch is a patient found by TD0.5.
type PatientMatch struct {
	// IDs are the patient's identifiers (INS, DMP internal id...).
	IDs []PatientID
	// State is the state of the patient's dossier.
	State DossierState
	// Observations are the administrative observations (oppositions...);
	// only boolean values are decoded, any other is an error.
	Observations []Observation
	// Person is the patientPerson as received (names, gender, birth
	// time, address).
	Person *hl7.PRPAMT201310UV02Person
}

// Observation returns the boolean value of the administrative observation
// coded code and whether the match carries it.
func (m *PatientMatch) Observation(code string) (value, ok bool) { return boolOf(m.Observations, code) }

// SearchPatients runs TD0.5: a PDQ v3 FindCandidates query
// (PRPA_IN201305UV02) for the patients meeting q. No patient found
// (queryResponseCode NF) is an empty result; a refusal (acknowledgement
// other than AA, a queryResponseCode other than OK and NF) is an *Error with ErrRejected
// and the DMP's codes.
func (c *Client) SearchPatients(ctx context.Context, q PatientQuery) ([]PatientMatch, error) {
	const td = "TD0.5"
	s, err := c.soapClient("PDQ", td)
	if err != nil {
		return nil, err
	}
	pl, err := q.parameters()
	if err != nil {
		return nil, &Error{Transaction: td, Err: err}
	}
	h, err := c.newHeader("PRPA_IN201305UV02")
	if err != nil {
		return nil, &Error{Transaction: td, Err: err}
	}
	qid, err := c.newUUID()
	if err != nil {
		return nil, &Error{Transaction: td, Err: err}
	}
	req := &hl7.PRPAIN201305UV02{
		ITSVersion: "XML_1.0", Id: pdqII(h.id), CreationTime: &hl7.TS{Value: h.creation.Value}, InteractionId: pdqII(h.interaction),
		ProcessingCode: pdqCS(h.processing), ProcessingModeCode: pdqCS(h.processingMode), AcceptAckCode: pdqCS(h.ackCode),
		Receiver: []hl7.MCCIMT000100UV01Receiver{{TypeCode: hl7.CommunicationFunctionType_RCV, Device: pdqDevice(DMPDevice)}},
		Sender:   &hl7.MCCIMT000100UV01Sender{TypeCode: hl7.CommunicationFunctionType_SND, Device: pdqDevice(c.opts.Sender)},
		ControlActProcess: &hl7.PRPAIN201305UV02QUQIMT021001UV01ControlActProcess{
			ClassCode: hl7.ActClassControlAct_CACT, MoodCode: hl7.XActMoodIntentEvent_EVN,
			Code: &hl7.CD{Code: ptr("PRPA_TE201305UV02"), CodeSystem: ptr(oidInteraction)},
			QueryByParameter: &hl7.PRPAMT201306UV02QueryByParameter{
				QueryId: &hl7.II{Root: ptr(c.queryIDRoot()), Extension: ptr(qid)}, StatusCode: &hl7.CS{Code: ptr("new")},
				ParameterList: pl,
			},
		},
	}
	resp, err := pdqv3.NewPDQSupplierClient(s).FindCandidatesQuery(ctx, req)
	if err != nil {
		return nil, wrap(td, err)
	}
	return pdqMatches(td, resp)
}

// parameters returns the parameterList of q.
func (q PatientQuery) parameters() (*hl7.PRPAMT201306UV02ParameterList, error) {
	pl := new(hl7.PRPAMT201306UV02ParameterList)
	st := func(s string) *hl7.ST { return &hl7.ST{Content: text(s)} }
	if q.Family != "" || q.Given != "" {
		pl.LivingSubjectName = []hl7.PRPAMT201306UV02LivingSubjectName{{
			Value: []hl7.EN{{Content: PersonName{Family: q.Family, Given: q.Given}.nodes(false)}}, SemanticsText: st("LivingSubject.name")}}
	}
	if q.BirthDate != "" {
		pl.LivingSubjectBirthTime = []hl7.PRPAMT201306UV02LivingSubjectBirthTime{{
			Value: []hl7.IVLTS{{Value: ptr(q.BirthDate)}}, SemanticsText: st("LivingSubject.birthTime")}}
	}
	switch q.Gender {
	case "":
	case "M", "F", "U":
		pl.LivingSubjectAdministrativeGender = []hl7.PRPAMT201306UV02LivingSubjectAdministrativeGender{{
			Value: []hl7.CE{{Code: ptr(q.Gender)}}, SemanticsText: st("LivingSubject.administrativeGender")}}
	default:
		return nil, fmt.Errorf("gender %q: want M, F or U", q.Gender)
	}
	for _, id := range q.IDs {
		if id.Root == "" || id.Extension == "" {
			return nil, fmt.Errorf("patient id %+v: root and extension are required", id)
		}
		pl.LivingSubjectId = append(pl.LivingSubjectId, hl7.PRPAMT201306UV02LivingSubjectId{
			Value: []hl7.II{{Root: ptr(id.Root), Extension: ptr(id.Extension)}}, SemanticsText: st("LivingSubject.id")})
	}
	if len(pl.LivingSubjectName)+len(pl.LivingSubjectBirthTime)+len(pl.LivingSubjectAdministrativeGender)+len(pl.LivingSubjectId) == 0 {
		return nil, fmt.Errorf("empty query: a name, birth date, gender or id is required")
	}
	return pl, nil
}

// pdqMatches decodes a PRPA_IN201306UV02.
func pdqMatches(td string, resp *hl7.PRPAIN201306UV02) ([]PatientMatch, error) {
	fail := func(format string, args ...any) error {
		return &Error{Transaction: td, Err: fmt.Errorf("PRPA_IN201306UV02: "+format, args...)}
	}
	for _, a := range resp.Acknowledgement {
		typ := ""
		if a.TypeCode != nil {
			typ = deref(a.TypeCode.Code)
		}
		if typ == "AA" || typ == "CA" {
			continue
		}
		e := &Error{Transaction: td, Err: fmt.Errorf("%w: acknowledgement %q", ErrRejected, typ)}
		for _, d := range a.AcknowledgementDetail {
			det := Detail{}
			if d.Code != nil {
				det.Code = deref(d.Code.Code)
			}
			if d.Text != nil {
				det.Text = nodesText(d.Text.Content)
			}
			if d.TypeCode != nil {
				det.Severity = string(*d.TypeCode)
			}
			e.Details = append(e.Details, det)
		}
		return nil, e
	}
	cap := resp.ControlActProcess
	if cap == nil || cap.QueryAck == nil || cap.QueryAck.QueryResponseCode == nil {
		return nil, fail("no controlActProcess/queryAck/queryResponseCode")
	}
	if found, err := queryFound(td, deref(cap.QueryAck.QueryResponseCode.Code), len(cap.Subject), fail); !found {
		return nil, err
	}
	out := make([]PatientMatch, 0, len(cap.Subject))
	for i, s := range cap.Subject {
		if s.RegistrationEvent == nil || s.RegistrationEvent.Subject1 == nil || s.RegistrationEvent.Subject1.Patient == nil {
			return nil, fail("subject[%d]: no registrationEvent/subject1/patient", i)
		}
		p := s.RegistrationEvent.Subject1.Patient
		var status *gdphl7.CS
		if p.StatusCode != nil {
			status = &gdphl7.CS{Code: p.StatusCode.Code}
		}
		st, err := dossierState(status)
		if err != nil {
			return nil, fail("subject[%d]: %v", i, err)
		}
		m := PatientMatch{State: st, Person: p.PatientPerson}
		for _, id := range p.Id {
			m.IDs = append(m.IDs, PatientID{Root: deref(id.Root), Extension: deref(id.Extension)})
		}
		if len(m.IDs) == 0 {
			return nil, fail("subject[%d]: patient without id", i)
		}
		for j, so := range p.SubjectOf2 {
			o := so.AdministrativeObservation
			if o == nil || o.Code == nil {
				return nil, fail("subject[%d] subjectOf2[%d]: administrativeObservation without code", i, j)
			}
			bl, ok := valueDerived(o.Value).(*hl7.BL)
			if !ok || bl.Value == nil {
				return nil, fail("subject[%d] %s: value is not a BL with a value", i, deref(o.Code.Code))
			}
			m.Observations = append(m.Observations, Observation{Code: deref(o.Code.Code), CodeSystem: deref(o.Code.CodeSystem),
				DisplayName: deref(o.Code.DisplayName), Value: Value{Type: "BL", Bool: ptr(*bl.Value)}})
		}
		out = append(out, m)
	}
	return out, nil
}

func valueDerived(v *hl7.ANY) any {
	if v == nil {
		return nil
	}
	return v.Derived
}

func pdqII(id *gdphl7.II) *hl7.II { return &hl7.II{Root: id.Root, Extension: id.Extension} }

func pdqCS(c *gdphl7.CS) *hl7.CS { return &hl7.CS{Code: c.Code} }

func pdqDevice(d Device) *hl7.MCCIMT000100UV01Device {
	return &hl7.MCCIMT000100UV01Device{ClassCode: hl7.EntityClassDevice_DEV, DeterminerCode: "INSTANCE",
		Id: []hl7.II{{Root: ptr(d.Root)}}, SoftwareName: &hl7.SC{Content: []xmltext.Node{xmltext.Text(d.Name)}}}
}
