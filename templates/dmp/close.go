//go:build dmpgen_template

package dmp

import (
	"context"
	"fmt"

	hl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// CloseReason is why a dossier is closed (TD1.4 detectedIssueEvent code,
// code system OIDCloseReason).
type CloseReason string

// CloseOnPatientRequest closes a dossier at the patient's request.
const CloseOnPatientRequest CloseReason = "FERMETURE_DEMANDE_PATIENT"

// reasonClose is the GDP reason code of TD1.4.
var reasonClose = hl7.CE{Code: ptr("FERM"), CodeSystem: ptr(OIDReasonCode), DisplayName: ptr("Fermeture de dossier")}

// PersonName is a person's name as the GDP requests send it: prefix,
// family (the usual name, qualifier SP, for a patient) and given name;
// empty parts are left out.
type PersonName struct {
	Prefix, Family, Given string
}

// Code is an HL7 v3 coded value (CE).
type Code struct {
	Code, CodeSystem, DisplayName string
}

// DossierPatient is the patient of a GDP revision (TD1.3b, TD1.4): the INS
// and the name the dossier holds.
type DossierPatient struct {
	INS  hl7v2.CX
	Name PersonName
}

// Professional is the author of a GDP revision: the professional's
// national id (root OID and extension), speciality code, name and
// organization, as in the official TD1.4 example.
type Professional struct {
	ID        PatientID // root 1.2.250.1.71.4.2.1 for an RPPS/ADELI national id
	Specialty *Code     // assignedEntity/code, nil to leave out
	Name      PersonName
	// Organization is the representedOrganization: its id (root 1.2.250.1.71.4.2.2
	// for a FINESS/SIRET structure id) and name.
	Organization Organization
}

// Organization is a healthcare organization.
type Organization struct {
	ID   PatientID
	Name string
}

// Closure is the DMP's acceptance of TD1.4 (PRPA_IN201315UV02).
type Closure struct {
	// State is the dossier's state the DMP reports (DossierClosed).
	State DossierState
	// IDs are the patient identifiers the answer carries (none in the
	// official example).
	IDs []PatientID
}

// CloseDMP runs TD1.4: it closes the dossier of patient for reason,
// author being the professional who asks. A rejection
// (PRPA_IN201316UV02, or an acknowledgement other than AA) is an *Error
// with ErrRejected and the DMP's acknowledgement codes.
func (c *Client) CloseDMP(ctx context.Context, patient DossierPatient, author Professional, reason CloseReason) (Closure, error) {
	const td = "TD1.4"
	if err := checkRevision(patient, author); err != nil {
		return Closure{}, &Error{Transaction: td, Err: err}
	}
	if reason == "" {
		return Closure{}, &Error{Transaction: td, Err: fmt.Errorf("no close reason")}
	}
	pt := patient.revisedPatient("terminated")
	req, err := c.reviseRequest(td, reasonClose, pt, author.assignedEntity(false))
	if err != nil {
		return Closure{}, err
	}
	req.AttentionLine = nilAttentionLine()
	req.ControlActProcess.ReasonOf = []hl7.MFMIMT700721UV01Reason{{TypeCode: hl7.ActRelationshipReason_RSON,
		DetectedIssueEvent: &hl7.MCAIMT900001UV01DetectedIssueEvent{ClassCode: hl7.ActClassDetectedIssue_ALRT, MoodCode: hl7.ActMoodEventOccurrence_EVN,
			Code: &hl7.CD{Code: ptr(string(reason)), CodeSystem: ptr(OIDCloseReason)}, Text: &hl7.ED{Content: text(string(reason))}}}}
	st, ids, err := c.revise(ctx, td, req)
	if err != nil {
		return Closure{}, err
	}
	if st != DossierClosed {
		return Closure{}, &Error{Transaction: td, Err: fmt.Errorf("PRPA_IN201315UV02: the dossier is %v after closing", st)}
	}
	return Closure{State: st, IDs: ids}, nil
}

// checkRevision checks what every GDP revision (TD1.3b, TD1.4) requires
// of the patient and the author.
func checkRevision(patient DossierPatient, author Professional) error {
	if err := PatientIDOf(patient.INS).check(); err != nil {
		return err
	}
	switch {
	case author.ID.Root == "" || author.ID.Extension == "":
		return fmt.Errorf("author: national id root and extension are required")
	case author.Organization.ID.Root == "":
		return fmt.Errorf("author: organization id is required")
	case patient.Name == (PersonName{}) || author.Name == (PersonName{}):
		return fmt.Errorf("the patient's and the author's names are required")
	}
	return nil
}

// assignedEntity returns the author as the assignedEntity of a GDP
// request; typedName writes its name with xsi:type="PN" (as the TD1.3b
// example does, the TD1.4 one does not).
func (author Professional) assignedEntity(typedName bool) *hl7.COCTMT090003UV01AssignedEntity {
	name := hl7.EN{Content: author.Name.nodes(false)}
	if typedName {
		name = hl7.EN{Derived: &hl7.PN{Content: author.Name.nodes(false)}}
	}
	ae := &hl7.COCTMT090003UV01AssignedEntity{
		ClassCode: hl7.RoleClassAssignedEntity_ASSIGNED, Id: []hl7.II{author.ID.ii()},
		AssignedPerson: &hl7.COCTMT090003UV01Person{ClassCode: hl7.EntityClassPerson_PSN, DeterminerCode: hl7.EntityDeterminerSpecific_INSTANCE,
			Name: []hl7.EN{name}},
		RepresentedOrganization: &hl7.COCTMT150003UV03Organization{
			ClassCode: hl7.EntityClassOrganization_ORG, DeterminerCode: hl7.EntityDeterminerSpecific_INSTANCE,
			Id: []hl7.II{author.Organization.ID.ii()}, ContactParty: []hl7.COCTMT150003UV03ContactParty{{ClassCode: hl7.RoleClassContact_CON}},
		},
	}
	if author.Specialty != nil {
		ae.Code = &hl7.CE{Code: opt(author.Specialty.Code), CodeSystem: opt(author.Specialty.CodeSystem), DisplayName: opt(author.Specialty.DisplayName)}
	}
	if author.Organization.Name != "" {
		ae.RepresentedOrganization.Name = []hl7.ON{{Content: text(author.Organization.Name)}}
	}
	return ae
}

// revisedPatient returns the patient of a PatientRevise with the dossier
// status (active, terminated), its INS and name.
func (patient DossierPatient) revisedPatient(status string) *hl7.PRPAMT201302UV02Patient {
	pid := PatientIDOf(patient.INS)
	return &hl7.PRPAMT201302UV02Patient{
		ClassCode:  hl7.RoleClassPatient_PAT,
		Id:         []hl7.PRPAMT201302UV02PatientId{{Root: ptr(pid.Root), Extension: ptr(pid.Extension)}},
		StatusCode: &hl7.PRPAMT201302UV02PatientStatusCode{Code: ptr(status)},
		PatientPerson: &hl7.PRPAMT201302UV02Person{ClassCode: ptr(hl7.EntityClass_PSN), DeterminerCode: ptr(hl7.EntityDeterminer_INSTANCE),
			Name: []hl7.PN{{Content: patient.Name.nodes(true)}}},
	}
}

// reviseRequest returns a PatientRevise of patient pt by author for
// reason, with a new message header.
func (c *Client) reviseRequest(td string, reason hl7.CE, pt *hl7.PRPAMT201302UV02Patient, author *hl7.COCTMT090003UV01AssignedEntity) (*hl7.PRPAIN201314UV02, error) {
	if _, err := c.soapClient("GDP", td); err != nil {
		return nil, err
	}
	h, err := c.newHeader("PRPA_IN201314UV02")
	if err != nil {
		return nil, &Error{Transaction: td, Err: err}
	}
	return &hl7.PRPAIN201314UV02{
		ITSVersion: "XML_1.0", Id: h.id, CreationTime: h.creation, InteractionId: h.interaction,
		ProcessingCode: h.processing, ProcessingModeCode: h.processingMode, AcceptAckCode: h.ackCode,
		Receiver: h.receiver, Sender: h.sender,
		ControlActProcess: &hl7.PRPAIN201314UV02MFMIMT700721UV01ControlActProcess{
			ClassCode: hl7.ActClassControlAct_CACT, MoodCode: hl7.XActMoodIntentEvent_EVN,
			ReasonCode: []hl7.CE{reason},
			Subject: &hl7.PRPAIN201314UV02MFMIMT700721UV01Subject1{
				TypeCode: hl7.ActRelationshipHasSubject_SUBJ, ContextConductionInd: ptr(false),
				RegistrationRequest: &hl7.PRPAIN201314UV02MFMIMT700721UV01RegistrationRequest{
					ClassCode: hl7.ActClassRegistration_REG, MoodCode: hl7.ActMoodRequest_RQO, StatusCode: cs("active"),
					Subject1: &hl7.PRPAIN201314UV02MFMIMT700721UV01Subject2{TypeCode: hl7.ParticipationTargetSubject_SBJ, Patient: pt},
					Author:   &hl7.MFMIMT700721UV01Author2{TypeCode: hl7.ParticipationAuthorOriginator_AUT, AssignedEntity: author},
				},
			},
		},
	}, nil
}

// revise sends a PatientRevise (TD1.3b, TD1.4) and returns the dossier
// state and patient ids of the acceptance (PRPA_IN201315UV02). A
// rejection (PRPA_IN201316UV02, or an acknowledgement other than AA) is an
// *Error with ErrRejected and the DMP's acknowledgement codes.
func (c *Client) revise(ctx context.Context, td string, req *hl7.PRPAIN201314UV02) (DossierState, []PatientID, error) {
	resp, err := c.gdp.PatientRevisePRPAIN201314UV02(ctx, req)
	if err != nil {
		return 0, nil, wrap(td, err)
	}
	switch {
	case resp.PRPAIN201316UV02 != nil:
		if err := acknowledged(td, resp.PRPAIN201316UV02.Acknowledgement); err != nil {
			return 0, nil, err
		}
		return 0, nil, &Error{Transaction: td, Err: fmt.Errorf("%w: PRPA_IN201316UV02", ErrRejected)}
	case resp.PRPAIN201315UV02 == nil:
		return 0, nil, &Error{Transaction: td, Err: fmt.Errorf("PRPA_IN201314UV02_Response with neither PRPA_IN201315UV02 nor PRPA_IN201316UV02")}
	}
	acc := resp.PRPAIN201315UV02
	if err := acknowledged(td, acc.Acknowledgement); err != nil {
		return 0, nil, err
	}
	fail := func(format string, args ...any) error {
		return &Error{Transaction: td, Err: fmt.Errorf("PRPA_IN201315UV02: "+format, args...)}
	}
	cap := acc.ControlActProcess
	if cap == nil || len(cap.Subject) != 1 || cap.Subject[0].RegistrationEvent == nil ||
		cap.Subject[0].RegistrationEvent.Subject1 == nil || cap.Subject[0].RegistrationEvent.Subject1.Patient == nil {
		return 0, nil, fail("no single controlActProcess/subject/registrationEvent/subject1/patient")
	}
	p := cap.Subject[0].RegistrationEvent.Subject1.Patient
	st, err := dossierState(p.StatusCode)
	if err != nil {
		return 0, nil, fail("%v", err)
	}
	return st, idsOf(p.Id), nil
}

// nodes returns the name parts as HL7 v3 name content: family with
// qualifier SP when usual is set.
func (n PersonName) nodes(usual bool) []xmltext.Node {
	var out []xmltext.Node
	add := func(local, v string, attrs ...xmltext.Attr) {
		if v != "" {
			out = append(out, &xmltext.Element{Name: xmltext.Name{Space: hl7NS, Local: local}, Attrs: attrs, Children: text(v)})
		}
	}
	add("prefix", n.Prefix)
	if usual {
		add("family", n.Family, xmltext.Attr{Name: xmltext.Name{Local: "qualifier"}, Value: "SP"})
	} else {
		add("family", n.Family)
	}
	add("given", n.Given)
	return out
}

// hl7NS is the HL7 v3 namespace.
const hl7NS = "urn:hl7-org:v3"

// opt returns nil for "", else a pointer to s.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
