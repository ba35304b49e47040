//go:build dmpgen_template

package dmp

import (
	"context"
	"errors"
	"fmt"

	hl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
)

// ErrNotFound reports a transaction on a patient who has no DMP.
var ErrNotFound = errors.New("no DMP for the patient")

// Existence is the answer of TD0.2: whether the patient has a DMP and, when
// the DMP says so in its attention lines, the caller's authorization on it.
type Existence struct {
	State DossierState
	// Authorization is the value of the AUTORISATION attention line
	// (VALIDE in the official example), "" when the DMP sent none.
	Authorization string
	// AttendingPhysician is the STATUT_MT attention line: whether the
	// caller is the patient's médecin traitant; nil when not sent.
	AttendingPhysician *bool
	// AttentionLines are every attention line of the response, as
	// received (including AUTORISATION and STATUT_MT).
	AttentionLines []AttentionLine
	// Dossier is what the response shows of the dossier; nil when State
	// is DossierNotFound.
	Dossier *Dossier
}

// Dossier is the dossier data of a Get Demographics response (TD0.2,
// TD1.3a).
type Dossier struct {
	State DossierState
	// IDs are the patient's identifiers (INS, DMP internal id...).
	IDs []PatientID
	// Observations are the administrative observations: oppositions
	// (OPPOSITION_BRIS_DE_GLACE, OPPOSITION_ACCES_URGENCE), internet
	// account (COMPTE_INTERNET_OUVERT), ENS link (RATTACHEMENT_ENS)...
	Observations []Observation
	// Person is the patientPerson as received (name, telecom, gender,
	// birth time, address).
	Person *hl7.PRPAMT201303UV02Person
}

// Observation returns the boolean value of the administrative observation
// coded code (e.g. "OPPOSITION_BRIS_DE_GLACE") and whether the dossier
// carries it.
func (d *Dossier) Observation(code string) (value, ok bool) { return boolOf(d.Observations, code) }

// Reason codes of the GDP transactions (code system OIDReasonCode).
var (
	reasonTestExists = hl7.CE{Code: ptr("TEST_EXST"), CodeSystem: ptr(OIDReasonCode), DisplayName: ptr("Test d'existence de dossier")}
	reasonConsult    = hl7.CE{Code: ptr("CNSLT_DATA"), CodeSystem: ptr(OIDReasonCode), DisplayName: ptr("Consultation des données de gestion de dossier")}
)

// TestExistence runs TD0.2: whether patient (its INS) has a DMP, and the
// caller's authorization status as the DMP reports it. A patient without
// DMP is State DossierNotFound, not an error; a refusal (acknowledgement
// AE, queryResponseCode QE/AE) is an *Error with ErrRejected and the DMP's
// codes.
func (c *Client) TestExistence(ctx context.Context, patient hl7v2.CX) (Existence, error) {
	const td = "TD0.2"
	resp, d, err := c.getDemographics(ctx, td, reasonTestExists, PatientIDOf(patient))
	if err != nil {
		return Existence{}, err
	}
	ex := Existence{Dossier: d}
	if d != nil {
		ex.State = d.State
	}
	for i, l := range resp.AttentionLine {
		if l.XSINil {
			continue
		}
		al := AttentionLine{}
		if l.KeyWordText != nil {
			al.Keyword, al.KeywordSystem = deref(l.KeyWordText.Code), deref(l.KeyWordText.CodeSystem)
		}
		v, err := value(l.Value)
		if err != nil {
			return Existence{}, &Error{Transaction: td, Err: fmt.Errorf("attentionLine[%d] %s: %w", i, al.Keyword, err)}
		}
		al.Value = v
		ex.AttentionLines = append(ex.AttentionLines, al)
		switch {
		case al.Keyword == "AUTORISATION" && al.KeywordSystem == OIDAttentionAuthorization:
			ex.Authorization = v.Code
		case al.Keyword == "STATUT_MT" && al.KeywordSystem == OIDAttentionMT:
			ex.AttendingPhysician = v.Bool
		}
	}
	return ex, nil
}

// ReadDMP runs TD1.3a: the dossier management data of patient (ids,
// state, demographics, oppositions and other administrative
// observations). A patient without DMP is an *Error with ErrNotFound.
func (c *Client) ReadDMP(ctx context.Context, patient hl7v2.CX) (*Dossier, error) {
	const td = "TD1.3a"
	_, d, err := c.getDemographics(ctx, td, reasonConsult, PatientIDOf(patient))
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, &Error{Transaction: td, Err: fmt.Errorf("%w %s@%s", ErrNotFound, patient.ID, patient.AssigningAuthority.UniversalID)}
	}
	return d, nil
}

// getDemographics sends PRPA_IN201307UV02 with the reason code, as the
// official TD0.2 example does, and reads the PRPA_IN201308UV02 answer: the
// dossier, nil when the DMP found none (queryResponseCode NF).
func (c *Client) getDemographics(ctx context.Context, td string, reason hl7.CE, patient PatientID) (*hl7.PRPAIN201308UV02, *Dossier, error) {
	if err := patient.check(); err != nil {
		return nil, nil, &Error{Transaction: td, Err: err}
	}
	if _, err := c.soapClient("GDP", td); err != nil {
		return nil, nil, err
	}
	h, err := c.newHeader("PRPA_IN201307UV02")
	if err != nil {
		return nil, nil, &Error{Transaction: td, Err: err}
	}
	qid, err := c.newUUID()
	if err != nil {
		return nil, nil, &Error{Transaction: td, Err: err}
	}
	req := &hl7.PRPAIN201307UV02{
		ITSVersion: "XML_1.0", Id: h.id, CreationTime: h.creation, InteractionId: h.interaction,
		ProcessingCode: h.processing, ProcessingModeCode: h.processingMode, AcceptAckCode: h.ackCode,
		Receiver: h.receiver, Sender: h.sender, AttentionLine: nilAttentionLine(),
		ControlActProcess: &hl7.PRPAIN201307UV02QUQIMT021001UV01ControlActProcess{
			ClassCode: hl7.ActClassControlAct_CACT, MoodCode: hl7.XActMoodIntentEvent_EVN,
			ReasonCode: []hl7.CE{reason},
			QueryByParameter: &hl7.PRPAMT201307UV02QueryByParameter{
				QueryId: ptr(ii(c.queryIDRoot(), qid)), StatusCode: cs("new"),
				ParameterList: &hl7.PRPAMT201307UV02ParameterList{
					DataSource: []hl7.PRPAMT201307UV02DataSource{{XSINil: true}},
					PatientIdentifier: []hl7.PRPAMT201307UV02PatientIdentifier{{
						Value: []hl7.II{patient.ii()}, SemanticsText: &hl7.ST{Content: text("Patient.id")},
					}},
				},
			},
		},
	}
	resp, err := c.gdp.PatientGetDemographicsPRPAIN201307UV02(ctx, req)
	if err != nil {
		return nil, nil, wrap(td, err)
	}
	d, err := readDemographics(td, resp)
	return resp, d, err
}

// queryFound interprets the queryResponseCode of a query response with n
// subjects: OK is found, NF (with no subject) is not found without error,
// anything else is an *Error with ErrRejected; fail reports a malformed
// response.
func queryFound(td, code string, n int, fail func(string, ...any) error) (bool, error) {
	switch code {
	case "OK":
		return true, nil
	case "NF":
		if n > 0 {
			return false, fail("queryResponseCode NF with %d subjects", n)
		}
		return false, nil
	default:
		return false, &Error{Transaction: td, Err: fmt.Errorf("%w: queryResponseCode %q", ErrRejected, code)}
	}
}

// readDemographics reads a PRPA_IN201308UV02.
func readDemographics(td string, resp *hl7.PRPAIN201308UV02) (*Dossier, error) {
	if err := acknowledged(td, resp.Acknowledgement); err != nil {
		return nil, err
	}
	fail := func(format string, args ...any) error {
		return &Error{Transaction: td, Err: fmt.Errorf("PRPA_IN201308UV02: "+format, args...)}
	}
	cap := resp.ControlActProcess
	if cap == nil || cap.QueryAck == nil || cap.QueryAck.QueryResponseCode == nil {
		return nil, fail("no controlActProcess/queryAck/queryResponseCode")
	}
	if found, err := queryFound(td, deref(cap.QueryAck.QueryResponseCode.Code), len(cap.Subject), fail); !found {
		return nil, err
	}
	if len(cap.Subject) != 1 {
		return nil, fail("queryResponseCode OK with %d subjects, want 1", len(cap.Subject))
	}
	ev := cap.Subject[0].RegistrationEvent
	if ev == nil || ev.Subject1 == nil || ev.Subject1.Patient == nil {
		return nil, fail("no subject/registrationEvent/subject1/patient")
	}
	p := ev.Subject1.Patient
	st, err := dossierState(p.StatusCode)
	if err != nil {
		return nil, fail("%v", err)
	}
	obs, err := observationsOf(p.SubjectOf)
	if err != nil {
		return nil, fail("%v", err)
	}
	return &Dossier{State: st, IDs: idsOf(p.Id), Observations: obs, Person: p.PatientPerson}, nil
}
