package testdmp

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/generated/dmp/patients"
	hl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
)

// authorization is a professional's access to a dossier (TD0.3).
type authorization struct {
	ps string
	// mt is the role MEDECIN_TRAITANT; a dossier has at most one.
	mt          bool
	start, last time.Time
}

// habService implements the Habilitations binding (TD0.3, TD1.6): the
// professional is the VIHF's NameID, the patient its resource-id.
type habService struct{ st *state }

var _ habilitations.HabilitationsHandler = habService{}

// target returns the caller and the open dossier the VIHF names; the state
// lock must be held. A non-empty status is the refusal.
func (s *state) target(c Claims) (*patient, string, string) {
	if c.Patient == "" {
		return nil, StatusInvalidData, "the VIHF names no patient (resource-id)"
	}
	k, err := cxKey(c.Patient)
	if err != nil {
		return nil, StatusInvalidData, err.Error()
	}
	p := s.lookup(k)
	switch {
	case p == nil:
		return nil, StatusPatientNotFound, "no dossier for patient " + k.String()
	case p.closed:
		return nil, StatusClosed, "the dossier of patient " + k.String() + " is closed"
	}
	return p, "", ""
}

func wsResponse(status, context string) *habilitations.SetAuthorizationResponse {
	return &habilitations.SetAuthorizationResponse{Output: &habilitations.WebServiceResponse{Status: ptr(status), Context: ptr(context)}}
}

// SetAuthorization adds (AJOUT) or removes (SUPPRESSION) the caller's
// authorization on the patient's dossier; with role MEDECIN_TRAITANT it
// adds or removes that role only (adding it also authorizes, and takes the
// role from the dossier's previous médecin traitant).
func (h habService) SetAuthorization(ctx context.Context, req *habilitations.SetAuthorization) (*habilitations.SetAuthorizationResponse, error) {
	c, err := h.st.caller(ctx)
	if err != nil {
		return nil, err
	}
	if req.Action == nil {
		return wsResponse(StatusInvalidData, "no action"), nil
	}
	mt := req.Role != nil && *req.Role == habilitations.RoleType_MEDECINTRAITANT
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	p, status, msg := h.st.target(c)
	if p == nil {
		return wsResponse(status, msg), nil
	}
	now := h.st.now()
	a := p.auths[c.PS]
	switch *req.Action {
	case habilitations.ActionType_AJOUT:
		switch {
		case a != nil && (!mt || a.mt):
			// The official TD0.3 response's wording.
			return wsResponse(StatusOK, "Autorisation déjà présente aucune action effectuée"), nil
		case a == nil:
			a = &authorization{ps: c.PS, start: now}
			p.auths[c.PS] = a
			msg = "Autorisation ajoutée"
		}
		if mt {
			for _, o := range p.auths {
				o.mt = false
			}
			a.mt = true
			msg = strings.TrimPrefix(msg+", rôle médecin traitant ajouté", ", ")
		}
		a.last = now
	case habilitations.ActionType_SUPPRESSION:
		switch {
		case a == nil || (mt && !a.mt):
			return wsResponse(StatusOK, "Autorisation absente aucune action effectuée"), nil
		case mt:
			a.mt, a.last = false, now
			msg = "Rôle médecin traitant retiré"
		default:
			delete(p.auths, c.PS)
			msg = "Autorisation supprimée"
		}
	default:
		return wsResponse(StatusInvalidData, "action "+string(*req.Action)+": want AJOUT or SUPPRESSION"), nil
	}
	return wsResponse(StatusOK, msg), nil
}

// ListAuthorizationByPatient lists the professionals authorized on the
// patient's dossier (TD1.6); the caller must be one of them. Mode ACTIVE
// and TOUTE list them all; INTERDITE lists none, since blocking a
// professional is the patient's act, which no professional-side operation
// performs.
func (h habService) ListAuthorizationByPatient(ctx context.Context, req *habilitations.ListAuthorizationByPatient) (*habilitations.ListAuthorizationByPatientResponse, error) {
	c, err := h.st.caller(ctx)
	if err != nil {
		return nil, err
	}
	out := &habilitations.AuthorizationByPatientResponse{}
	resp := &habilitations.ListAuthorizationByPatientResponse{Output: out}
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	p, status, msg := h.st.target(c)
	switch {
	case p == nil:
		out.Status, out.Context = ptr(status), ptr(msg)
		return resp, nil
	case !p.authorized(c.PS):
		out.Status, out.Context = ptr(StatusAccessDenied), ptr("professional "+c.PS+" is not authorized on this dossier")
		return resp, nil
	}
	out.Status, out.Context = ptr(StatusOK), ptr("")
	if req.Mode != nil && *req.Mode == habilitations.ModeType_INTERDITE {
		return resp, nil
	}
	for _, a := range sortedAuths(p) {
		e := habilitations.AuthorizationByPatient{
			NationalId: ptr(a.ps), NationalIdType: ptr(oidPSNationalID),
			StartOfAuthorization: ptr(hl7Time(a.start)), LastActionDate: ptr(hl7Time(a.last)),
			Mode: ptr(habilitations.ModeType_ACTIVE),
		}
		if a.mt {
			e.SpecificRight = []habilitations.RoleType{habilitations.RoleType_MEDECINTRAITANT}
		}
		out.ListOfAuthorizationByPatient = append(out.ListOfAuthorizationByPatient, e)
	}
	return resp, nil
}

// sortedAuths returns p's authorizations, oldest first.
func sortedAuths(p *patient) []authorization {
	var out []authorization
	for _, a := range p.auths {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].start.Equal(out[j].start) {
			return out[i].start.Before(out[j].start)
		}
		return out[i].ps < out[j].ps
	})
	return out
}

// patientListService implements PatientsSpecific (TD0.4).
type patientListService struct{ st *state }

var _ patients.PatientSpecificHandler = patientListService{}

// listed is what the patient list shows of one dossier, taken under the lock.
type listed struct {
	d                                  dossier
	mt                                 bool
	authLast, accessed, updated, added time.Time
}

// PatientList lists the open dossiers the professional (psOwnerId, else the
// VIHF's NameID) is authorized on. With startDate, only those whose last
// authorization change (dateType LASTAUTORIZATION) or last document
// (LASTDOC) is at or after it.
func (l patientListService) PatientList(ctx context.Context, req *patients.PatientList) (*patients.PatientListResponse, error) {
	c, err := l.st.caller(ctx)
	if err != nil {
		return nil, err
	}
	out := &patients.PatientListDataResponse{}
	resp := &patients.PatientListResponse{Output: out}
	ps := c.PS
	if req.PsOwnerId != nil && *req.PsOwnerId != "" {
		ps = *req.PsOwnerId
	}
	var start string
	if req.StartDate != nil {
		start = *req.StartDate
		if !isTS(start) {
			out.Status, out.Context = ptr(StatusInvalidData), ptr("startDate "+strconv.Quote(start)+": want an HL7 timestamp YYYYMMDD[HHMMSS]")
			return resp, nil
		}
		if req.DateType == nil {
			out.Status, out.Context = ptr(StatusInvalidData), ptr("startDate without dateType")
			return resp, nil
		}
	}
	var rows []listed
	l.st.mu.Lock()
	for _, p := range l.st.patients {
		a := p.auths[ps]
		if a == nil || p.closed {
			continue
		}
		rows = append(rows, listed{d: p.snapshot(), mt: a.mt, authLast: a.last, accessed: p.accessed, updated: p.updated})
	}
	l.st.mu.Unlock()
	for _, r := range rows {
		r.added = l.st.xds.lastAdded(r.d.ids)
		if start != "" {
			t := r.authLast
			if *req.DateType == patients.DateTypeEnum_LASTDOC {
				t = r.added
			}
			if t.IsZero() || hl7Time(t) < padTS(start) {
				continue
			}
		}
		out.PatientlistData = append(out.PatientlistData, listEntry(r))
	}
	out.Status = ptr(StatusOK)
	return resp, nil
}

func listEntry(r listed) patients.PatientListData {
	e := patients.PatientListData{MT: ptr(r.mt), Message: ptr(false)}
	for _, k := range r.d.ids {
		e.PatientIdentifier = append(e.PatientIdentifier, patients.PatientIdentifierListData{NationalId: ptr(k.ext), NationalIdType: ptr(k.root)})
	}
	n := names(r.d.person)
	e.LastName, e.PatronymicalName, e.FirstName, e.Civility = optional(n.usual), optional(n.birth), optional(n.given), optional(n.prefix)
	if r.d.person.BirthTime != nil {
		e.DateOfBirth = r.d.person.BirthTime.Value
	}
	for _, d := range []struct {
		t   time.Time
		dst **string
	}{{r.accessed, &e.LastAccessDate}, {r.updated, &e.LastUpdateDate}, {r.added, &e.LastAddDate}} {
		if !d.t.IsZero() {
			*d.dst = ptr(hl7Time(d.t))
		}
	}
	return e
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// personNames are the name parts the proprietary services show.
type personNames struct{ usual, birth, given, prefix string }

// names reads the first name of a person: the usual family name
// (qualifier SP, else the first family), the birth name (qualifier BR), the
// first given name and prefix.
func names(p *hl7.PRPAMT201303UV02Person) personNames {
	if p == nil || len(p.Name) == 0 {
		return personNames{}
	}
	c := p.Name[0].Content
	return personNames{
		usual:  firstOf(nameParts(c, "family", "SP"), nameParts(c, "family", "")),
		birth:  firstOf(nameParts(c, "family", "BR")),
		given:  firstOf(nameParts(c, "given", "")),
		prefix: firstOf(nameParts(c, "prefix", "")),
	}
}

// isTS reports whether s is an HL7 timestamp to the day, hour, minute or second.
func isTS(s string) bool {
	switch len(s) {
	case 8, 10, 12, 14:
	default:
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// padTS completes a timestamp to the second, for string comparison.
func padTS(s string) string { return s + "00000000000000"[:14-len(s)] }

// certService implements PatientCertification.
type certService struct{ st *state }

var _ patients.PatientCertificationHandler = certService{}

// IdentityCertification returns the identity of the patient whose
// identifier is nirIndividu (else nirOD, the insured person himself) and
// whose birth date and rank are the request's, from the dossiers the test
// DMP holds. The real service's purpose is UNVERIFIED
// (docs/transactions.md#guesses-and-unverified-points): this is the test
// DMP's reading of its WSDL.
func (s certService) IdentityCertification(ctx context.Context, req *patients.IdentityCertification) (*patients.IdentityCertificationResponse, error) {
	if _, err := s.st.caller(ctx); err != nil {
		return nil, err
	}
	out := &patients.PatientCertificationResponse{}
	resp := &patients.IdentityCertificationResponse{Output: out}
	nir := ""
	for _, v := range []*string{req.NirIndividu, req.NirOD} {
		if nir == "" && v != nil {
			nir = *v
		}
	}
	birth := ""
	if req.DateNaissance != nil {
		birth = strings.ReplaceAll(*req.DateNaissance, "-", "")
	}
	switch {
	case nir == "":
		out.Status, out.Context = ptr(StatusInvalidData), ptr("neither nirIndividu nor nirOD")
		return resp, nil
	case !isTS(birth) || len(birth) != 8:
		out.Status, out.Context = ptr(StatusInvalidData), ptr("dateNaissance: want YYYYMMDD or YYYY-MM-DD")
		return resp, nil
	case req.RangNaissance == nil:
		out.Status, out.Context = ptr(StatusInvalidData), ptr("no rangNaissance")
		return resp, nil
	}
	s.st.mu.Lock()
	var match *dossier
	for _, p := range s.st.patients {
		if p.matches(nir, birth, *req.RangNaissance) {
			d := p.snapshot()
			match = &d
			break
		}
	}
	s.st.mu.Unlock()
	if match == nil {
		out.Status, out.Context = ptr(StatusPatientNotFound), ptr("no patient "+nir+" born "+birth+" of rank "+strconv.Itoa(int(*req.RangNaissance)))
		return resp, nil
	}
	n := names(match.person)
	out.Status, out.NirIndividu, out.DateNaissance = ptr(StatusOK), ptr(nir), ptr(birth)
	out.Prenom, out.NomUsuel = optional(n.given), optional(n.usual)
	out.NomPatronymique = optional(firstOf([]string{n.birth, n.usual}))
	return resp, nil
}

// matches reports whether p has identifier nir, was born on birth
// (YYYYMMDD) and has birth rank rank (1 when the demographics give none);
// the state lock must be held.
func (p *patient) matches(nir, birth string, rank int32) bool {
	has := false
	for _, k := range p.ids {
		has = has || k.ext == nir
	}
	if !has || p.person.BirthTime == nil || p.person.BirthTime.Value == nil || !strings.HasPrefix(*p.person.BirthTime.Value, birth) {
		return false
	}
	got := int64(1)
	if o := p.person.MultipleBirthOrderNumber; o != nil && o.Value != nil {
		n, ok := o.Value.Int64()
		if !ok {
			return false
		}
		got = n
	}
	return got == int64(rank)
}
