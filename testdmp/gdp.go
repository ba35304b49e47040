package testdmp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dmpgen/dmpgen/generated/gdp/gdp"
	hl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
)

// patient is one dossier. Its HL7 values are never mutated once stored (an
// update replaces them), so responses share them outside the lock.
type patient struct {
	ids []idKey
	// person and observations are the demographics and administrative
	// observations (oppositions, …) as last received, in the form of the
	// GDP responses (PRPA_MT201303UV02).
	person       *hl7.PRPAMT201303UV02Person
	observations []hl7.PRPAMT201303UV02Subject4
	closed       bool
	// closeReason is the detectedIssueEvent code of the closure (TD1.4).
	closeReason                string
	created, updated, accessed time.Time
	auths                      map[string]*authorization // by PS national id
}

// authorized reports whether ps may access p; the state lock must be held.
func (p *patient) authorized(ps string) bool { return p.auths[ps] != nil }

// dossier is a copy of what a response shows of a patient, taken under
// the lock.
type dossier struct {
	ids          []idKey
	person       *hl7.PRPAMT201303UV02Person
	observations []hl7.PRPAMT201303UV02Subject4
	closed       bool
}

func (p *patient) snapshot() dossier {
	return dossier{ids: p.ids, person: p.person, observations: p.observations, closed: p.closed}
}

func (d dossier) status() string {
	if d.closed {
		return "terminated"
	}
	return "active"
}

// rejection is a request the DMP refuses: an HL7 acknowledgement AE whose
// detail carries the status code and the message.
type rejection struct{ code, msg string }

func (r *rejection) Error() string { return r.code + ": " + r.msg }

func reject(code, format string, args ...any) *rejection {
	return &rejection{code: code, msg: fmt.Sprintf(format, args...)}
}

// gdpService implements the GDP binding (TD0.2, TD1.3a, TD1.3b, TD1.4 and
// the dossier creation PRPA_IN201311UV02).
type gdpService struct{ st *state }

var _ gdp.GDPHandler = gdpService{}

func ptr[T any](v T) *T { return &v }

func gII(root, ext string) hl7.II {
	ii := hl7.II{Root: ptr(root)}
	if ext != "" {
		ii.Extension = ptr(ext)
	}
	return ii
}

func gCS(code string) *hl7.CS { return &hl7.CS{Code: ptr(code)} }

func gIDs(ids []idKey) []hl7.II {
	out := make([]hl7.II, len(ids))
	for i, k := range ids {
		out[i] = gII(k.root, k.ext)
	}
	return out
}

// keysOf returns the identifiers of a list of II (root and extension).
func keysOf(ids []hl7.II) []idKey {
	var out []idKey
	for _, ii := range ids {
		if ii.Root != nil && ii.Extension != nil {
			out = append(out, idKey{root: *ii.Root, ext: *ii.Extension})
		}
	}
	return out
}

// reason returns the DMP reason code of a controlActProcess.
func reason(codes []hl7.CE) string {
	for _, c := range codes {
		if c.Code != nil && (c.CodeSystem == nil || *c.CodeSystem == oidReasonCode) {
			return *c.Code
		}
	}
	return ""
}

// gdpHeader is the transmission wrapper of a GDP response (MCCI_MT000300UV01).
type gdpHeader struct {
	id, interaction                     *hl7.II
	creation                            *hl7.TS
	processing, processingMode, ackCode *hl7.CS
	receiver                            []hl7.MCCIMT000300UV01Receiver
	sender                              *hl7.MCCIMT000300UV01Sender
	ack                                 []hl7.MCCIMT000300UV01Acknowledgement
}

// header builds the wrapper of the response interaction to the request
// whose id and sender are given: addressed back to the sender's device,
// acknowledging the request (AA, or AE with the rejection's detail).
func (s *state) header(interaction string, reqID *hl7.II, reqSender *hl7.MCCIMT000100UV01Sender, rej *rejection) gdpHeader {
	dev := &hl7.MCCIMT000300UV01Device{ClassCode: hl7.EntityClassDevice_DEV, DeterminerCode: hl7.EntityDeterminerSpecific_INSTANCE}
	if reqSender != nil && reqSender.Device != nil {
		dev.Id = reqSender.Device.Id
		dev.SoftwareName = reqSender.Device.SoftwareName
	}
	ack := hl7.MCCIMT000300UV01Acknowledgement{TypeCode: hl7.AcknowledgementType_AA,
		TargetMessage: &hl7.MCCIMT000300UV01TargetMessage{Id: reqID}}
	if rej != nil {
		ack.TypeCode = hl7.AcknowledgementType_AE
		ack.AcknowledgementDetail = []hl7.MCCIMT000300UV01AcknowledgementDetail{{
			TypeCode: ptr(hl7.AcknowledgementDetailType_E),
			Code:     &hl7.CE{Code: ptr(rej.code)},
			Text:     &hl7.ED{Content: textNodes(rej.msg)},
		}}
	}
	return gdpHeader{
		id:             ptr(gII(oidDMPMessage, newID())),
		creation:       &hl7.TS{Value: ptr(hl7Time(s.now()))},
		interaction:    ptr(gII(oidInteraction, interaction)),
		processing:     gCS("P"),
		processingMode: gCS("T"),
		ackCode:        gCS("NE"),
		receiver:       []hl7.MCCIMT000300UV01Receiver{{TypeCode: hl7.CommunicationFunctionType_RCV, Device: dev}},
		sender: &hl7.MCCIMT000300UV01Sender{TypeCode: hl7.CommunicationFunctionType_SND, Device: &hl7.MCCIMT000300UV01Device{
			ClassCode: hl7.EntityClassDevice_DEV, DeterminerCode: hl7.EntityDeterminerSpecific_INSTANCE,
			Id: []hl7.II{gII(oidDMP, "")}, SoftwareName: &hl7.SC{Content: textNodes("DMP")},
		}},
		ack: []hl7.MCCIMT000300UV01Acknowledgement{ack},
	}
}

func dmpCustodian() *hl7.COCTMT090003UV01AssignedEntity {
	return &hl7.COCTMT090003UV01AssignedEntity{ClassCode: hl7.RoleClassAssignedEntity_ASSIGNED, Id: []hl7.II{gII(oidDMP, "")}}
}

// nameOnly is the patientPerson of the PatientRevise responses: the name.
func nameOnly(p *hl7.PRPAMT201303UV02Person) *hl7.PRPAMT201303UV02Person {
	return &hl7.PRPAMT201303UV02Person{ClassCode: ptr(hl7.EntityClass_PSN), DeterminerCode: ptr(hl7.EntityDeterminer_INSTANCE), Name: p.Name}
}

// PatientGetDemographicsPRPAIN201307UV02 answers the existence test
// (TD0.2, reason TEST_EXST: attention lines AUTORISATION and STATUT_MT for
// the caller) and the consultation of the dossier's data (TD1.3a, reason
// CNSLT_DATA, for an authorized professional). An unknown patient is
// queryResponseCode NF.
func (g gdpService) PatientGetDemographicsPRPAIN201307UV02(ctx context.Context, req *hl7.PRPAIN201307UV02) (*hl7.PRPAIN201308UV02, error) {
	c, err := g.st.caller(ctx)
	if err != nil {
		return nil, err
	}
	cap := req.ControlActProcess
	if cap == nil || cap.QueryByParameter == nil || cap.QueryByParameter.ParameterList == nil {
		return nil, errors.New("testdmp: PRPA_IN201307UV02 without controlActProcess/queryByParameter/parameterList")
	}
	qbp := cap.QueryByParameter
	var keys []idKey
	for _, pi := range qbp.ParameterList.PatientIdentifier {
		keys = append(keys, keysOf(pi.Value)...)
	}
	why := reason(cap.ReasonCode)
	var (
		rej      *rejection
		found    bool
		d        dossier
		auth, mt bool
		code     = "OK"
	)
	switch {
	case why != reasonTestExists && why != reasonConsult:
		rej, code = reject(StatusInvalidData, "reasonCode %q: want %s or %s", why, reasonTestExists, reasonConsult), "QE"
	case len(keys) == 0:
		rej, code = reject(StatusInvalidData, "no patientIdentifier with root and extension"), "QE"
	default:
		g.st.mu.Lock()
		if p := g.st.lookup(keys...); p != nil {
			found, d = true, p.snapshot()
			a := p.auths[c.PS]
			auth, mt = a != nil, a != nil && a.mt
			if why == reasonConsult && !auth {
				rej, code = reject(StatusAccessDenied, "professional %s is not authorized on patient %s", c.PS, p.ids[0]), "AE"
			} else {
				p.accessed = g.st.now()
			}
		} else {
			code = "NF"
		}
		g.st.mu.Unlock()
	}
	h := g.st.header("PRPA_IN201308UV02", req.Id, req.Sender, rej)
	resp := &hl7.PRPAIN201308UV02{
		ITSVersion: "XML_1.0", Id: h.id, CreationTime: h.creation, InteractionId: h.interaction,
		ProcessingCode: h.processing, ProcessingModeCode: h.processingMode, AcceptAckCode: h.ackCode,
		Receiver: h.receiver, Sender: h.sender, Acknowledgement: h.ack,
		ControlActProcess: &hl7.PRPAIN201308UV02MFMIMT700711UV01ControlActProcess{
			ClassCode: hl7.ActClassControlAct_CACT, MoodCode: hl7.XActMoodIntentEvent_EVN, ReasonCode: cap.ReasonCode,
			QueryAck: &hl7.MFMIMT700711UV01QueryAck{QueryId: qbp.QueryId, QueryResponseCode: gCS(code)},
		},
	}
	if !found || rej != nil {
		return resp, nil
	}
	if why == reasonTestExists {
		status := authMissing
		if auth {
			status = authValid
		}
		resp.AttentionLine = []hl7.MCCIMT000300UV01AttentionLine{
			{KeyWordText: &hl7.SC{Code: ptr("AUTORISATION"), CodeSystem: ptr(oidAttentionKeyword)},
				Value: &hl7.ANY{Derived: &hl7.CV{Code: ptr(status), CodeSystem: ptr(oidAuthorizationStatus)}}},
			{KeyWordText: &hl7.SC{Code: ptr("STATUT_MT"), CodeSystem: ptr(oidAttentionMT)},
				Value: &hl7.ANY{Derived: &hl7.BL{Value: ptr(mt)}}},
		}
	}
	resp.ControlActProcess.Subject = []hl7.PRPAIN201308UV02MFMIMT700711UV01Subject1{{
		TypeCode: hl7.ActRelationshipHasSubject_SUBJ, ContextConductionInd: ptr(false),
		RegistrationEvent: &hl7.PRPAIN201308UV02MFMIMT700711UV01RegistrationEvent{
			ClassCode: hl7.ActClassRegistration_REG, MoodCode: hl7.ActMoodEventOccurrence_EVN, StatusCode: gCS("completed"),
			Subject1: &hl7.PRPAIN201308UV02MFMIMT700711UV01Subject2{TypeCode: hl7.ParticipationTargetSubject_SBJ,
				Patient: &hl7.PRPAMT201303UV02Patient{ClassCode: hl7.RoleClassPatient_PAT, Id: gIDs(d.ids),
					StatusCode: gCS(d.status()), PatientPerson: d.person, SubjectOf: d.observations}},
			Custodian: &hl7.MFMIMT700711UV01Custodian{TypeCode: hl7.ParticipationCustodian_CST, AssignedEntity: dmpCustodian()},
		},
	}}
	return resp, nil
}

// PatientAddPRPAIN201311UV02 creates a dossier (PRPA_IN201311UV02): the
// patient's identifiers, demographics and administrative observations are
// stored, and the creating professional is authorized on it. A patient
// who already has a dossier (open or closed) is rejected (201313).
func (g gdpService) PatientAddPRPAIN201311UV02(ctx context.Context, req *hl7.PRPAIN201311UV02) (*gdp.PRPAIN201311UV02ResponseType, error) {
	c, err := g.st.caller(ctx)
	if err != nil {
		return nil, err
	}
	cap := req.ControlActProcess
	if cap == nil || cap.Subject == nil || cap.Subject.RegistrationRequest == nil || cap.Subject.RegistrationRequest.Subject1 == nil ||
		cap.Subject.RegistrationRequest.Subject1.Patient == nil {
		return nil, errors.New("testdmp: PRPA_IN201311UV02 without controlActProcess/subject/registrationRequest/subject1/patient")
	}
	d, rej := g.add(c, cap.Subject.RegistrationRequest.Subject1.Patient)
	if rej != nil {
		h := g.st.header("PRPA_IN201313UV02", req.Id, req.Sender, rej)
		subj := new(hl7.PRPAIN201313UV02MFMIMT700721UV01Subject1)
		if err := convert(subj, cap.Subject, "subject"); err != nil {
			return nil, fmt.Errorf("testdmp: echoing the rejected registration request: %w", err)
		}
		return &gdp.PRPAIN201311UV02ResponseType{PRPAIN201313UV02: &hl7.PRPAIN201313UV02{
			ITSVersion: "XML_1.0", Id: h.id, CreationTime: h.creation, InteractionId: h.interaction,
			ProcessingCode: h.processing, ProcessingModeCode: h.processingMode, AcceptAckCode: h.ackCode,
			Receiver: h.receiver, Sender: h.sender, Acknowledgement: h.ack,
			ControlActProcess: &hl7.PRPAIN201313UV02MFMIMT700721UV01ControlActProcess{
				ClassCode: hl7.ActClassControlAct_CACT, MoodCode: hl7.XActMoodIntentEvent_EVN, ReasonCode: cap.ReasonCode, Subject: subj,
			},
		}}, nil
	}
	h := g.st.header("PRPA_IN201312UV02", req.Id, req.Sender, nil)
	return &gdp.PRPAIN201311UV02ResponseType{PRPAIN201312UV02: &hl7.PRPAIN201312UV02{
		ITSVersion: "XML_1.0", Id: h.id, CreationTime: h.creation, InteractionId: h.interaction,
		ProcessingCode: h.processing, ProcessingModeCode: h.processingMode, AcceptAckCode: h.ackCode,
		Receiver: h.receiver, Sender: h.sender, Acknowledgement: h.ack,
		ControlActProcess: &hl7.PRPAIN201312UV02MFMIMT700701UV01ControlActProcess{
			ClassCode: hl7.ActClassControlAct_CACT, MoodCode: hl7.XActMoodIntentEvent_EVN, ReasonCode: cap.ReasonCode,
			Subject: []hl7.PRPAIN201312UV02MFMIMT700701UV01Subject1{{
				TypeCode: hl7.ActRelationshipHasSubject_SUBJ, ContextConductionInd: ptr(false),
				RegistrationEvent: &hl7.PRPAIN201312UV02MFMIMT700701UV01RegistrationEvent{
					ClassCode: hl7.ActClassRegistration_REG, MoodCode: hl7.ActMoodEventOccurrence_EVN, StatusCode: gCS("completed"),
					Subject1: &hl7.PRPAIN201312UV02MFMIMT700701UV01Subject2{TypeCode: hl7.ParticipationTargetSubject_SBJ,
						Patient: &hl7.PRPAMT201304UV02Patient{ClassCode: hl7.RoleClassPatient_PAT, Id: gIDs(d.ids), StatusCode: gCS(d.status()),
							PatientPerson: &hl7.PRPAMT201304UV02Person{ClassCode: hl7.EntityClassPerson_PSN,
								DeterminerCode: hl7.EntityDeterminerSpecific_INSTANCE, Name: d.person.Name}}},
					Custodian: &hl7.MFMIMT700701UV01Custodian{TypeCode: hl7.ParticipationCustodian_CST, AssignedEntity: dmpCustodian()},
				},
			}},
		},
	}}, nil
}

// add stores a new dossier for the caller.
func (g gdpService) add(c Claims, pt *hl7.PRPAMT201301UV02Patient) (dossier, *rejection) {
	keys := keysOf(pt.Id)
	if len(keys) == 0 {
		return dossier{}, reject(StatusInvalidData, "the patient has no identifier with root and extension")
	}
	if pt.PatientPerson == nil {
		return dossier{}, reject(StatusInvalidData, "the patient has no patientPerson")
	}
	person := new(hl7.PRPAMT201303UV02Person)
	if err := convert(person, pt.PatientPerson, "patientPerson"); err != nil {
		return dossier{}, reject(StatusInvalidData, "%v", err)
	}
	obs, err := observations(pt.SubjectOf)
	if err != nil {
		return dossier{}, reject(StatusInvalidData, "%v", err)
	}
	now := g.st.now()
	p := &patient{ids: keys, person: person, observations: merge(nil, obs), created: now, updated: now,
		auths: map[string]*authorization{c.PS: {ps: c.PS, start: now, last: now}}}
	g.st.mu.Lock()
	defer g.st.mu.Unlock()
	if old := g.st.lookup(keys...); old != nil {
		state := "open"
		if old.closed {
			state = "closed"
		}
		return dossier{}, reject(StatusPatientExists, "patient %s already has a dossier (%s)", old.ids[0], state)
	}
	g.st.patients = append(g.st.patients, p)
	for _, k := range keys {
		g.st.byID[k] = p
	}
	return p.snapshot(), nil
}

// observations converts the subjectOf of a request patient (PRPA_MT201301
// or PRPA_MT201302) to the stored form.
func observations[T any, P interface {
	*T
	xmlbind.Value
}](in []T) ([]hl7.PRPAMT201303UV02Subject4, error) {
	out := make([]hl7.PRPAMT201303UV02Subject4, len(in))
	for i := range in {
		if err := convert(&out[i], P(&in[i]), "subjectOf"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// obsKey identifies an administrative observation by its code.
func obsKey(s hl7.PRPAMT201303UV02Subject4) idKey {
	var k idKey
	if o := s.AdministrativeObservation; o != nil && o.Code != nil {
		if o.Code.CodeSystem != nil {
			k.root = *o.Code.CodeSystem
		}
		if o.Code.Code != nil {
			k.ext = *o.Code.Code
		}
	}
	return k
}

// merge returns old updated with upd: an observation replaces the one with
// the same code, new codes are appended.
func merge(old, upd []hl7.PRPAMT201303UV02Subject4) []hl7.PRPAMT201303UV02Subject4 {
	out := append([]hl7.PRPAMT201303UV02Subject4(nil), old...)
next:
	for _, u := range upd {
		for i := range out {
			if obsKey(out[i]) == obsKey(u) {
				out[i] = u
				continue next
			}
		}
		out = append(out, u)
	}
	return out
}

// PatientRevisePRPAIN201314UV02 modifies a dossier (TD1.3b, reason
// MODIF_DATA: demographics replaced when given, administrative
// observations such as the oppositions merged by code) or closes it
// (TD1.4, reason FERM, with the reasonOf detectedIssueEvent code such as
// FERMETURE_DEMANDE_PATIENT). The caller must be authorized on the dossier.
func (g gdpService) PatientRevisePRPAIN201314UV02(ctx context.Context, req *hl7.PRPAIN201314UV02) (*gdp.PRPAIN201314UV02ResponseType, error) {
	c, err := g.st.caller(ctx)
	if err != nil {
		return nil, err
	}
	cap := req.ControlActProcess
	if cap == nil || cap.Subject == nil || cap.Subject.RegistrationRequest == nil || cap.Subject.RegistrationRequest.Subject1 == nil ||
		cap.Subject.RegistrationRequest.Subject1.Patient == nil {
		return nil, errors.New("testdmp: PRPA_IN201314UV02 without controlActProcess/subject/registrationRequest/subject1/patient")
	}
	d, rej := g.revise(c, reason(cap.ReasonCode), cap.ReasonOf, cap.Subject.RegistrationRequest.Subject1.Patient)
	if rej != nil {
		h := g.st.header("PRPA_IN201316UV02", req.Id, req.Sender, rej)
		subj := new(hl7.PRPAIN201316UV02MFMIMT700721UV01Subject1)
		if err := convert(subj, cap.Subject, "subject"); err != nil {
			return nil, fmt.Errorf("testdmp: echoing the rejected registration request: %w", err)
		}
		return &gdp.PRPAIN201314UV02ResponseType{PRPAIN201316UV02: &hl7.PRPAIN201316UV02{
			ITSVersion: "XML_1.0", Id: h.id, CreationTime: h.creation, InteractionId: h.interaction,
			ProcessingCode: h.processing, ProcessingModeCode: h.processingMode, AcceptAckCode: h.ackCode,
			Receiver: h.receiver, Sender: h.sender, Acknowledgement: h.ack,
			ControlActProcess: &hl7.PRPAIN201316UV02MFMIMT700721UV01ControlActProcess{
				ClassCode: hl7.ActClassControlAct_CACT, MoodCode: hl7.XActMoodIntentEvent_EVN, ReasonCode: cap.ReasonCode, Subject: subj,
			},
		}}, nil
	}
	h := g.st.header("PRPA_IN201315UV02", req.Id, req.Sender, nil)
	return &gdp.PRPAIN201314UV02ResponseType{PRPAIN201315UV02: &hl7.PRPAIN201315UV02{
		ITSVersion: "XML_1.0", Id: h.id, CreationTime: h.creation, InteractionId: h.interaction,
		ProcessingCode: h.processing, ProcessingModeCode: h.processingMode, AcceptAckCode: h.ackCode,
		Receiver: h.receiver, Sender: h.sender, Acknowledgement: h.ack,
		ControlActProcess: &hl7.PRPAIN201315UV02MFMIMT700701UV01ControlActProcess{
			ClassCode: hl7.ActClassControlAct_CACT, MoodCode: hl7.XActMoodIntentEvent_EVN, ReasonCode: cap.ReasonCode,
			Subject: []hl7.PRPAIN201315UV02MFMIMT700701UV01Subject1{{
				TypeCode: hl7.ActRelationshipHasSubject_SUBJ, ContextConductionInd: ptr(false),
				RegistrationEvent: &hl7.PRPAIN201315UV02MFMIMT700701UV01RegistrationEvent{
					ClassCode: hl7.ActClassRegistration_REG, MoodCode: hl7.ActMoodEventOccurrence_EVN, StatusCode: gCS("completed"),
					Subject1: &hl7.PRPAIN201315UV02MFMIMT700701UV01Subject2{TypeCode: hl7.ParticipationTargetSubject_SBJ,
						Patient: &hl7.PRPAMT201303UV02Patient{ClassCode: hl7.RoleClassPatient_PAT, Id: gIDs(d.ids),
							StatusCode: gCS(d.status()), PatientPerson: nameOnly(d.person)}},
					Custodian: &hl7.MFMIMT700701UV01Custodian{TypeCode: hl7.ParticipationCustodian_CST, AssignedEntity: dmpCustodian()},
				},
			}},
		},
	}}, nil
}

// revise applies a PatientRevise to the stored dossier.
func (g gdpService) revise(c Claims, why string, reasons []hl7.MFMIMT700721UV01Reason, pt *hl7.PRPAMT201302UV02Patient) (dossier, *rejection) {
	var keys []idKey
	for _, id := range pt.Id {
		if id.Root != nil && id.Extension != nil {
			keys = append(keys, idKey{root: *id.Root, ext: *id.Extension})
		}
	}
	if len(keys) == 0 {
		return dossier{}, reject(StatusInvalidData, "the patient has no identifier with root and extension")
	}
	terminated := pt.StatusCode != nil && pt.StatusCode.Code != nil && *pt.StatusCode.Code == "terminated"
	var (
		person     *hl7.PRPAMT201303UV02Person
		obs        []hl7.PRPAMT201303UV02Subject4
		closeCause string
	)
	switch why {
	case reasonModify:
		if terminated {
			return dossier{}, reject(StatusInvalidData, "reasonCode %s with patient statusCode terminated: closing is reasonCode %s", why, reasonClose)
		}
		if pt.PatientPerson != nil {
			person = new(hl7.PRPAMT201303UV02Person)
			if err := convert(person, pt.PatientPerson, "patientPerson"); err != nil {
				return dossier{}, reject(StatusInvalidData, "%v", err)
			}
		}
		var err error
		if obs, err = observations(pt.SubjectOf); err != nil {
			return dossier{}, reject(StatusInvalidData, "%v", err)
		}
	case reasonClose:
		for _, r := range reasons {
			if e := r.DetectedIssueEvent; e != nil && e.Code != nil && e.Code.Code != nil {
				closeCause = *e.Code.Code
			}
		}
	default:
		return dossier{}, reject(StatusInvalidData, "reasonCode %q: want %s or %s", why, reasonModify, reasonClose)
	}
	g.st.mu.Lock()
	defer g.st.mu.Unlock()
	p := g.st.lookup(keys...)
	switch {
	case p == nil:
		return dossier{}, reject(StatusPatientNotFound, "no dossier for patient %s", keys[0])
	case p.closed:
		return dossier{}, reject(StatusClosed, "the dossier of patient %s is closed", p.ids[0])
	case !p.authorized(c.PS):
		return dossier{}, reject(StatusAccessDenied, "professional %s is not authorized on patient %s", c.PS, p.ids[0])
	}
	now := g.st.now()
	p.updated = now
	if why == reasonClose {
		p.closed, p.closeReason = true, closeCause
		return p.snapshot(), nil
	}
	if person != nil {
		p.person = person
	}
	p.observations = merge(p.observations, obs)
	return p.snapshot(), nil
}
