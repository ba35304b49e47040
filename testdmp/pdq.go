package testdmp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dmpgen/dmpgen/generated/pdq/hl7v3"
	"github.com/dmpgen/dmpgen/generated/pdq/pdqv3"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// pdqService implements the PDQ supplier (TD0.5, IHE PDQv3 ITI-47) over
// the dossiers' demographics.
type pdqService struct{ st *state }

var _ pdqv3.PDQSupplierHandler = pdqService{}

func pII(root, ext string) hl7v3.II {
	ii := hl7v3.II{Root: ptr(root)}
	if ext != "" {
		ii.Extension = ptr(ext)
	}
	return ii
}

func pCS(code string) *hl7v3.CS { return &hl7v3.CS{Code: ptr(code)} }

func pINT(n int) *hl7v3.INT { return &hl7v3.INT{Value: ptr(xsdt.IntegerFromInt64(int64(n)))} }

// criteria is a parsed PDQ query.
type criteria struct {
	names   [][2][]string // per livingSubjectName value: families, givens
	births  []string
	genders []string
	ids     []idKey
}

// parseQuery reads the supported parameters of a PDQ query: name, birth
// time (a point in time), administrative gender and identifiers. Any other
// parameter is an error, so that no criterion is silently ignored.
func parseQuery(pl *hl7v3.PRPAMT201306UV02ParameterList) (criteria, error) {
	var q criteria
	for _, u := range []struct {
		name string
		n    int
	}{
		{"livingSubjectBirthPlaceAddress", len(pl.LivingSubjectBirthPlaceAddress)}, {"livingSubjectBirthPlaceName", len(pl.LivingSubjectBirthPlaceName)},
		{"livingSubjectDeceasedTime", len(pl.LivingSubjectDeceasedTime)}, {"mothersMaidenName", len(pl.MothersMaidenName)},
		{"otherIDsScopingOrganization", len(pl.OtherIDsScopingOrganization)}, {"patientAddress", len(pl.PatientAddress)},
		{"patientStatusCode", len(pl.PatientStatusCode)}, {"patientTelecom", len(pl.PatientTelecom)},
		{"principalCareProviderId", len(pl.PrincipalCareProviderId)}, {"principalCareProvisionId", len(pl.PrincipalCareProvisionId)},
	} {
		if u.n > 0 {
			return q, fmt.Errorf("query parameter %s is not supported by the test DMP", u.name)
		}
	}
	for _, p := range pl.LivingSubjectName {
		for _, v := range p.Value {
			q.names = append(q.names, [2][]string{nameParts(v.Content, "family", ""), nameParts(v.Content, "given", "")})
		}
	}
	for _, p := range pl.LivingSubjectBirthTime {
		for _, v := range p.Value {
			if v.Value == nil || v.Sequence != nil || v.High != nil || v.Sequence2 != nil || v.Sequence3 != nil {
				return q, errors.New("livingSubjectBirthTime: only a point in time (value) is supported, not an interval")
			}
			q.births = append(q.births, *v.Value)
		}
	}
	for _, p := range pl.LivingSubjectAdministrativeGender {
		for _, v := range p.Value {
			if v.Code != nil {
				q.genders = append(q.genders, *v.Code)
			}
		}
	}
	for _, p := range pl.LivingSubjectId {
		for _, v := range p.Value {
			if v.Root != nil && v.Extension != nil {
				q.ids = append(q.ids, idKey{root: *v.Root, ext: *v.Extension})
			}
		}
	}
	if len(q.names)+len(q.births)+len(q.genders)+len(q.ids) == 0 {
		return q, errors.New("no query parameter")
	}
	return q, nil
}

// match reports whether the dossier meets every criterion.
func (q criteria) match(d dossier) bool {
	var families, givens []string
	for _, n := range d.person.Name {
		families = append(families, nameParts(n.Content, "family", "")...)
		givens = append(givens, nameParts(n.Content, "given", "")...)
	}
	for _, n := range q.names {
		if !allIn(n[0], families) || !allIn(n[1], givens) {
			return false
		}
	}
	p := d.person
	for _, b := range q.births {
		if p.BirthTime == nil || p.BirthTime.Value == nil || !strings.HasPrefix(*p.BirthTime.Value, b) {
			return false
		}
	}
	for _, g := range q.genders {
		if p.AdministrativeGenderCode == nil || p.AdministrativeGenderCode.Code == nil || *p.AdministrativeGenderCode.Code != g {
			return false
		}
	}
	for _, id := range q.ids {
		found := false
		for _, k := range d.ids {
			found = found || k == id
		}
		if !found {
			return false
		}
	}
	return true
}

// allIn reports whether every want is in have, ignoring case.
func allIn(want, have []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || strings.EqualFold(w, h)
		}
		if !found {
			return false
		}
	}
	return true
}

// FindCandidatesQuery searches the dossiers' patients by name, birth time,
// gender and identifier (TD0.5): queryResponseCode OK with the matches, NF
// without, QE (acknowledgement AE) for a query it cannot run.
func (s pdqService) FindCandidatesQuery(ctx context.Context, req *hl7v3.PRPAIN201305UV02) (*hl7v3.PRPAIN201306UV02, error) {
	if _, err := s.st.caller(ctx); err != nil {
		return nil, err
	}
	cap := req.ControlActProcess
	if cap == nil || cap.QueryByParameter == nil || cap.QueryByParameter.ParameterList == nil {
		return nil, errors.New("testdmp: PRPA_IN201305UV02 without controlActProcess/queryByParameter/parameterList")
	}
	q, qerr := parseQuery(cap.QueryByParameter.ParameterList)
	var found []dossier
	if qerr == nil {
		s.st.mu.Lock()
		for _, p := range s.st.patients {
			if d := p.snapshot(); q.match(d) {
				found = append(found, d)
			}
		}
		s.st.mu.Unlock()
	}
	dev := &hl7v3.MCCIMT000300UV01Device{ClassCode: hl7v3.EntityClassDevice_DEV, DeterminerCode: "INSTANCE"}
	if req.Sender != nil && req.Sender.Device != nil {
		dev.Id, dev.SoftwareName = req.Sender.Device.Id, req.Sender.Device.SoftwareName
	}
	ack := hl7v3.MCCIMT000300UV01Acknowledgement{TypeCode: pCS("AA"), TargetMessage: &hl7v3.MCCIMT000300UV01TargetMessage{Id: req.Id}}
	code := "OK"
	switch {
	case qerr != nil:
		code = "QE"
		ack.TypeCode = pCS("AE")
		ack.AcknowledgementDetail = []hl7v3.MCCIMT000300UV01AcknowledgementDetail{{
			TypeCode: ptr(hl7v3.AcknowledgementDetailType_E), Code: &hl7v3.CE{Code: ptr(StatusInvalidData)},
			Text: &hl7v3.ED{Content: textNodes(qerr.Error())},
		}}
	case len(found) == 0:
		code = "NF"
	}
	resp := &hl7v3.PRPAIN201306UV02{
		ITSVersion: "XML_1.0", Id: ptr(pII(oidDMPMessage, newID())), CreationTime: &hl7v3.TS{Value: ptr(hl7Time(s.st.now()))},
		InteractionId: ptr(pII(oidInteraction, "PRPA_IN201306UV02")), ProcessingCode: pCS("P"), ProcessingModeCode: pCS("T"), AcceptAckCode: pCS("NE"),
		Receiver: []hl7v3.MCCIMT000300UV01Receiver{{TypeCode: hl7v3.CommunicationFunctionType_RCV, Device: dev}},
		Sender: &hl7v3.MCCIMT000300UV01Sender{TypeCode: hl7v3.CommunicationFunctionType_SND, Device: &hl7v3.MCCIMT000300UV01Device{
			ClassCode: hl7v3.EntityClassDevice_DEV, DeterminerCode: "INSTANCE", Id: []hl7v3.II{pII(oidDMP, "")}, SoftwareName: &hl7v3.SC{Content: textNodes("DMP")},
		}},
		Acknowledgement: []hl7v3.MCCIMT000300UV01Acknowledgement{ack},
		ControlActProcess: &hl7v3.PRPAIN201306UV02MFMIMT700711UV01ControlActProcess{
			ClassCode: hl7v3.ActClassControlAct_CACT, MoodCode: hl7v3.XActMoodIntentEvent_EVN,
			Code: &hl7v3.CD{Code: ptr("PRPA_TE201306UV02"), CodeSystem: ptr(oidInteraction)},
			QueryAck: &hl7v3.MFMIMT700711UV01QueryAck{QueryId: cap.QueryByParameter.QueryId, QueryResponseCode: pCS(code),
				ResultTotalQuantity: pINT(len(found)), ResultCurrentQuantity: pINT(len(found)), ResultRemainingQuantity: pINT(0)},
			QueryByParameter: cap.QueryByParameter,
		},
	}
	for _, d := range found {
		subj, err := pdqSubject(d)
		if err != nil {
			return nil, fmt.Errorf("testdmp: PDQ result for patient %s: %w", d.ids[0], err)
		}
		resp.ControlActProcess.Subject = append(resp.ControlActProcess.Subject, subj)
	}
	return resp, nil
}

// pdqSubject shows a dossier's patient in a PDQ response (PRPA_MT201310UV02):
// demographics and administrative observations converted from the GDP
// form, and a 100% match observation as in the official TD0.5 response.
func pdqSubject(d dossier) (hl7v3.PRPAIN201306UV02MFMIMT700711UV01Subject1, error) {
	person := new(hl7v3.PRPAMT201310UV02Person)
	if err := convert(person, d.person, "patientPerson"); err != nil {
		return hl7v3.PRPAIN201306UV02MFMIMT700711UV01Subject1{}, err
	}
	obs := make([]hl7v3.PRPAMT201310UV02Subject4, len(d.observations))
	for i := range d.observations {
		if err := convert(&obs[i], &d.observations[i], "subjectOf2"); err != nil {
			return hl7v3.PRPAIN201306UV02MFMIMT700711UV01Subject1{}, err
		}
	}
	ids := make([]hl7v3.II, len(d.ids))
	for i, k := range d.ids {
		ids[i] = pII(k.root, k.ext)
	}
	return hl7v3.PRPAIN201306UV02MFMIMT700711UV01Subject1{
		TypeCode: "SUBJ", ContextConductionInd: ptr(false),
		RegistrationEvent: &hl7v3.PRPAIN201306UV02MFMIMT700711UV01RegistrationEvent{
			ClassCode: "REG", MoodCode: "EVN", StatusCode: pCS("active"),
			Subject1: &hl7v3.PRPAIN201306UV02MFMIMT700711UV01Subject2{TypeCode: hl7v3.ParticipationTargetSubject_SBJ,
				Patient: &hl7v3.PRPAMT201310UV02Patient{ClassCode: "PAT", Id: ids, StatusCode: pCS(d.status()), PatientPerson: person,
					SubjectOf1: []hl7v3.PRPAMT201310UV02Subject{{TypeCode: ptr(hl7v3.ParticipationTargetSubject_SBJ),
						QueryMatchObservation: &hl7v3.PRPAMT201310UV02QueryMatchObservation{ClassCode: "COND", MoodCode: "EVN",
							Code: &hl7v3.CD{Code: ptr("POURCENTAGE")}, Value: &hl7v3.ANY{Derived: pINT(100)}}}},
					SubjectOf2: obs}},
			Custodian: &hl7v3.MFMIMT700711UV01Custodian{TypeCode: "CST",
				AssignedEntity: &hl7v3.COCTMT090003UV01AssignedEntity{ClassCode: "ASSIGNED", Id: []hl7v3.II{pII(oidDMP, "")}}},
		},
	}, nil
}
