//go:build dmpgen_template

package dmp

import (
	"context"
	"fmt"

	hl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
)

// CreateDMP creates the dossier of d.Patient (GDP PatientAdd,
// PRPA_IN201311UV02; no official example exists and its TD number is
// unknown: docs/transactions.md#gdp-td02-td13a-td13b-td14-creation): the
// patient's INS, name, demographics and oppositions, with author as the
// creating professional and the author's organization as
// providerOrganization. No reasonCode is sent: the
// production DMP's expectation is UNVERIFIED. A rejection
// (PRPA_IN201313UV02, e.g. a patient who already has a dossier, or an
// acknowledgement other than AA) is an *Error with ErrRejected and the
// DMP's acknowledgement codes.
func (c *Client) CreateDMP(ctx context.Context, d DossierData, author Professional) (Revision, error) {
	const td = "PatientAdd"
	if err := checkRevision(d.Patient, author); err != nil {
		return Revision{}, &Error{Transaction: td, Err: err}
	}
	if _, err := c.soapClient("GDP", td); err != nil {
		return Revision{}, err
	}
	ae := author.assignedEntity(false)
	pid := PatientIDOf(d.Patient.INS)
	pt := &hl7.PRPAMT201301UV02Patient{
		ClassCode: hl7.RoleClassPatient_PAT, Id: []hl7.II{pid.ii()}, StatusCode: cs("active"),
		PatientPerson: &hl7.PRPAMT201301UV02Person{ClassCode: ptr(hl7.EntityClass_PSN), DeterminerCode: ptr(hl7.EntityDeterminer_INSTANCE),
			Name: []hl7.PN{{Content: d.Patient.Name.nodes(true)}}},
		ProviderOrganization: ae.RepresentedOrganization,
	}
	p := pt.PatientPerson
	if err := d.Demographics.fill(&demographicFields{&p.Telecom, &p.AdministrativeGenderCode, &p.BirthTime, &p.Addr}); err != nil {
		return Revision{}, &Error{Transaction: td, Err: err}
	}
	err := eachObservation(d.Oppositions, func(code *hl7.CD, value *hl7.ANY) {
		pt.SubjectOf = append(pt.SubjectOf, hl7.PRPAMT201301UV02Subject4{TypeCode: hl7.ParticipationTargetSubject_SBJ,
			AdministrativeObservation: &hl7.PRPAMT201301UV02AdministrativeObservation{ClassCode: hl7.ActClassObservation_OBS,
				MoodCode: ptr(hl7.ActMood_EVN), Code: code, Value: value}})
	})
	if err != nil {
		return Revision{}, &Error{Transaction: td, Err: err}
	}
	h, err := c.newHeader("PRPA_IN201311UV02")
	if err != nil {
		return Revision{}, &Error{Transaction: td, Err: err}
	}
	req := &hl7.PRPAIN201311UV02{
		ITSVersion: "XML_1.0", Id: h.id, CreationTime: h.creation, InteractionId: h.interaction,
		ProcessingCode: h.processing, ProcessingModeCode: h.processingMode, AcceptAckCode: h.ackCode,
		Receiver: h.receiver, Sender: h.sender,
		ControlActProcess: &hl7.PRPAIN201311UV02MFMIMT700721UV01ControlActProcess{
			ClassCode: hl7.ActClassControlAct_CACT, MoodCode: hl7.XActMoodIntentEvent_EVN,
			Subject: &hl7.PRPAIN201311UV02MFMIMT700721UV01Subject1{
				TypeCode: hl7.ActRelationshipHasSubject_SUBJ, ContextConductionInd: ptr(false),
				RegistrationRequest: &hl7.PRPAIN201311UV02MFMIMT700721UV01RegistrationRequest{
					ClassCode: hl7.ActClassRegistration_REG, MoodCode: hl7.ActMoodRequest_RQO, StatusCode: cs("active"),
					Subject1: &hl7.PRPAIN201311UV02MFMIMT700721UV01Subject2{TypeCode: hl7.ParticipationTargetSubject_SBJ, Patient: pt},
					Author:   &hl7.MFMIMT700721UV01Author2{TypeCode: hl7.ParticipationAuthorOriginator_AUT, AssignedEntity: ae},
				},
			},
		},
	}
	resp, err := c.gdp.PatientAddPRPAIN201311UV02(ctx, req)
	if err != nil {
		return Revision{}, wrap(td, err)
	}
	switch {
	case resp.PRPAIN201313UV02 != nil:
		if err := acknowledged(td, resp.PRPAIN201313UV02.Acknowledgement); err != nil {
			return Revision{}, err
		}
		return Revision{}, &Error{Transaction: td, Err: fmt.Errorf("%w: PRPA_IN201313UV02", ErrRejected)}
	case resp.PRPAIN201312UV02 == nil:
		return Revision{}, &Error{Transaction: td, Err: fmt.Errorf("PRPA_IN201311UV02_Response with neither PRPA_IN201312UV02 nor PRPA_IN201313UV02")}
	}
	acc := resp.PRPAIN201312UV02
	if err := acknowledged(td, acc.Acknowledgement); err != nil {
		return Revision{}, err
	}
	fail := func(format string, args ...any) error {
		return &Error{Transaction: td, Err: fmt.Errorf("PRPA_IN201312UV02: "+format, args...)}
	}
	cap := acc.ControlActProcess
	if cap == nil || len(cap.Subject) != 1 || cap.Subject[0].RegistrationEvent == nil ||
		cap.Subject[0].RegistrationEvent.Subject1 == nil || cap.Subject[0].RegistrationEvent.Subject1.Patient == nil {
		return Revision{}, fail("no single controlActProcess/subject/registrationEvent/subject1/patient")
	}
	created := cap.Subject[0].RegistrationEvent.Subject1.Patient
	st, err := dossierState(created.StatusCode)
	if err != nil {
		return Revision{}, fail("%v", err)
	}
	if st != DossierOpen {
		return Revision{}, fail("the dossier is %v after its creation", st)
	}
	return Revision{State: st, IDs: idsOf(created.Id)}, nil
}
