package vet

import (
	"strings"

	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/generated/dmp/patients"
	legacypatients "github.com/dmpgen/dmpgen/generated/dmplegacy/patients"
	"github.com/dmpgen/dmpgen/generated/gdp/gdp"
	gdphl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	pdqhl7 "github.com/dmpgen/dmpgen/generated/pdq/hl7v3"
	"github.com/dmpgen/dmpgen/generated/pdq/pdqv3"
	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/generated/xds/rs"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// registry returns a new value of the generated type bound to an element,
// nil when the package has none.
type registry func(xmltext.Name) xmlbind.Value

// transaction is one DMP transaction (docs/transactions.md): its TD number
// and name, the generated operation that carries it (its SOAP version,
// actions and body elements), the generated packages that decode its
// bodies, the XDS rules of its metadata and, for operations shared by
// several transactions, what tells them apart in the request.
type transaction struct {
	TD, Name string
	op       *soap.Operation
	regs     []registry
	// xdsRequest and xdsResponse select the runtime/xds rules of the
	// request's and the response's metadata (0: none).
	xdsRequest, xdsResponse xds.Transaction
	// reason is the GDP controlActProcess/reasonCode/@code, or the local
	// part of the ITI-57 NewStatus, that selects this transaction; "" for
	// any.
	reason string
}

var (
	gdpRegs = []registry{gdp.NewElement, gdphl7.NewElement}
	xdsRegs = []registry{xdsb.NewElement, lcm.NewElement, query.NewElement, rs.NewElement, rim.NewElement}
)

// transactions is vet's TD table. The actions and body elements come from
// the generated operations, so they follow the kit's WSDLs; the TD numbers
// of the operations the test DMP serves are those of its table
// (testdmp/devserver.Transactions, which TestTransactionsMatchTestDMP
// compares with this one). vet adds what it needs to check an exchange: the
// legacy PatientsSpecific operations, the bindings of each body, the XDS
// rules, and the request content that tells transactions of one operation
// apart.
func transactions() []transaction {
	g := gdp.GDPOperations()
	h := habilitations.HabilitationsOperations()
	p := patients.PatientSpecificOperations()
	pc := patients.PatientCertificationOperations()
	l := legacypatients.PatientSpecificOperations()
	q := pdqv3.PDQSupplierOperations()
	reg := xdsb.DocumentRegistryOperations()
	rep := xdsb.DocumentRepositoryOperations()
	return []transaction{
		{TD: "TD0.2", Name: "Test d'existence du DMP", op: opNamed(g, "PatientGetDemographics_PRPA_IN201307UV02"), regs: gdpRegs, reason: "TEST_EXST"},
		{TD: "TD0.3", Name: "Mise à jour de l'autorisation", op: opNamed(h, "setAuthorization"), regs: []registry{habilitations.NewElement}},
		{TD: "TD0.4", Name: "Liste des DMP autorisés", op: opNamed(p, "patientList"), regs: []registry{patients.NewElement}},
		{TD: "TD0.4", Name: "Liste des DMP autorisés (legacy)", op: opNamed(l, "patientList"), regs: []registry{legacypatients.NewElement}},
		{TD: "TD0.5", Name: "Recherche d'un patient sans INS", op: opNamed(q, "findCandidatesQuery"), regs: []registry{pdqhl7.NewElement}},
		{TD: "TD1.3a", Name: "Consultation des données de gestion", op: opNamed(g, "PatientGetDemographics_PRPA_IN201307UV02"), regs: gdpRegs, reason: "CNSLT_DATA"},
		{TD: "TD1.3b", Name: "Modification des données de gestion", op: opNamed(g, "PatientRevise_PRPA_IN201314UV02"), regs: gdpRegs, reason: "MODIF_DATA"},
		{TD: "TD1.4", Name: "Fermeture du DMP", op: opNamed(g, "PatientRevise_PRPA_IN201314UV02"), regs: gdpRegs, reason: "FERM"},
		{TD: "", Name: "Création du DMP (no TD number)", op: opNamed(g, "PatientAdd_PRPA_IN201311UV02"), regs: gdpRegs},
		{TD: "TD1.5a", Name: "Création du compte internet patient (legacy)", op: opNamed(l, "createPatientAccess"), regs: []registry{legacypatients.NewElement}},
		{TD: "TD1.5b", Name: "Ajout d'un canal OTP (legacy)", op: opNamed(l, "patientOTPUpdate"), regs: []registry{legacypatients.NewElement}},
		{TD: "TD1.5d", Name: "Mise à jour du compte internet (legacy)", op: opNamed(l, "updatePatientAccess"), regs: []registry{legacypatients.NewElement}},
		{TD: "TD1.6", Name: "Liste des PS autorisés ou bloqués", op: opNamed(h, "listAuthorizationByPatient"), regs: []registry{habilitations.NewElement}},
		{TD: "TD2.1", Name: "Alimentation (publication)", op: opNamed(rep, "DocumentRepository_ProvideAndRegisterDocumentSet-b"), regs: xdsRegs, xdsRequest: xds.ITI41},
		{TD: "TD3.1", Name: "Recherche de documents", op: opNamed(reg, "DocumentRegistry_RegistryStoredQuery"), regs: xdsRegs, xdsResponse: xds.ITI18},
		{TD: "TD3.2", Name: "Consultation d'un document", op: opNamed(rep, "DocumentRepository_RetrieveDocumentSet"), regs: xdsRegs},
		{TD: "TD3.3c", Name: "Suppression d'un document", op: opNamed(reg, "DocumentRegistry_UpdateDocumentSet"), regs: xdsRegs, xdsRequest: xds.ITI57, reason: "Deleted"},
		{TD: "TD3.3d", Name: "Archivage d'un document", op: opNamed(reg, "DocumentRegistry_UpdateDocumentSet"), regs: xdsRegs, xdsRequest: xds.ITI57, reason: "Archived"},
		{TD: "TD3.3a", Name: "Masquage / démasquage aux professionnels (TD number a guess)", op: opNamed(reg, "DocumentRegistry_UpdateDocumentSet"), regs: xdsRegs, xdsRequest: xds.ITI57, reason: "metadata"},
		{TD: "", Name: "Certification d'identité (no TD number)", op: opNamed(pc, "identityCertification"), regs: []registry{patients.NewElement}},
	}
}

func opNamed(ops []*soap.Operation, name string) *soap.Operation {
	for _, op := range ops {
		if op.Name == name {
			return op
		}
	}
	panic("vet: no generated operation " + name) // the table and generated/ disagree: a bug caught by every test
}

// detection is the transaction an exchange belongs to.
type detection struct {
	rows      []transaction // candidates, all on the same operation
	direction Direction
	// mismatch is set when wsa:Action is not the action of the body
	// element's operation: the expected action.
	mismatch string
}

// td returns the TD numbers of the candidates ("TD1.3b|TD1.4") and their name.
func (d *detection) td() (string, string) {
	var tds, names []string
	for _, r := range d.rows {
		if !containsString(tds, r.TD) {
			tds, names = append(tds, r.TD), append(names, r.Name)
		}
	}
	return strings.Join(tds, "|"), strings.Join(names, " | ")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// detect finds the transaction of an exchange from its wsa:Action and body
// element, and narrows operations shared by several transactions with the
// request body.
func detect(action string, body *xmltext.Element) detection {
	var byBody, byAction []transaction
	var dir Direction
	all := transactions()
	for _, t := range all {
		switch {
		case body != nil && body.Name == t.op.Request:
			byBody, dir = append(byBody, t), Request
		case body != nil && t.op.Response != (xmltext.Name{}) && body.Name == t.op.Response:
			byBody, dir = append(byBody, t), Response
		}
	}
	for _, t := range all {
		if action != "" && (action == t.op.Action || action == t.op.ResponseAction) {
			byAction = append(byAction, t)
		}
	}
	if len(byBody) == 0 {
		if len(byAction) == 0 {
			return detection{direction: Unknown}
		}
		d := detection{rows: byAction, direction: Request}
		if action == byAction[0].op.ResponseAction {
			d.direction = Response
		}
		return d
	}
	d := detection{rows: byBody, direction: dir}
	want := byBody[0].op.Action
	ok := action == ""
	for _, t := range byBody {
		w := t.op.Action
		if dir == Response {
			w = t.op.ResponseAction
		}
		ok = ok || w == action
		if t.op == byBody[0].op {
			want = w
		}
	}
	if !ok {
		d.mismatch = want
	}
	switch {
	case dir == Request && len(byBody) > 1:
		d.rows = narrow(byBody, body)
	case dir == Response && d.mismatch == "":
		// A body shared by several operations (rs:RegistryResponse):
		// the action tells which.
		var out []transaction
		for _, t := range byBody {
			if t.op.ResponseAction == action {
				out = append(out, t)
			}
		}
		if len(out) > 0 {
			d.rows = out
		}
	}
	return d
}

// narrow picks, among transactions of one operation, those the request
// selects: the GDP reason code, the ITI-57 new status.
func narrow(rows []transaction, body *xmltext.Element) []transaction {
	reason := ""
	if rc := find(body, "urn:hl7-org:v3", "reasonCode"); rc != nil {
		reason, _ = rc.Attr(xmltext.Name{Local: "code"})
	} else if body.Name.Local == "SubmitObjectsRequest" {
		reason = "metadata"
		walk(body, func(el *xmltext.Element) {
			if n, _ := el.Attr(xmltext.Name{Local: "name"}); el.Name.Local == "Slot" && n == "NewStatus" {
				v := ""
				if val := find(el, "*", "Value"); val != nil {
					v = strings.TrimSpace(val.Text())
				}
				reason = v[strings.LastIndex(v, ":")+1:]
			}
		})
	}
	var out []transaction
	for _, r := range rows {
		if r.reason == reason {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return rows
	}
	return out
}
