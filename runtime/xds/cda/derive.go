package cda

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// OIDs the mapping relies on.
const (
	// INSRoot is the arc of the INS patient identifiers
	// (1.2.250.1.213.1.4.8 NIR, .9 NIA, .10 and .11 their test arcs).
	INSRoot = "1.2.250.1.213.1.4."
	// PSRoot identifies health professionals (RPPS, ADELI): XCN.13 IDNPS.
	PSRoot = "1.2.250.1.71.4.2.1"
	// StructureRoot identifies health structures (FINESS, SIRET, RPPS
	// cabinet ids): XON.7 IDNST.
	StructureRoot = "1.2.250.1.71.4.2.2"
	// MaskingScheme is the coding scheme of the DMP confidentiality codes
	// that no CDA carries (MASQUE_PS, INVISIBLE_PATIENT,
	// INVISIBLE_REPRESENTANTS_LEGAUX; JDV_J08).
	MaskingScheme = "1.2.250.1.213.1.1.4.13"
	// ConfidentialityScheme is HL7 Confidentiality (N, R, V), the CDA's.
	ConfidentialityScheme = "2.16.840.1.113883.5.25"
)

// MimeType is the mimeType of a CDA document entry.
const MimeType = "text/xml"

// Supplied is the metadata a CDA header cannot carry, which the caller
// gives (see docs/cda.md).
type Supplied struct {
	// ClassCode is required (JDV_J57-ClassCode-DMP): the CI-SIS table from
	// typeCode to classCode is not part of the kit.
	ClassCode xds.Code
	// FormatCode is required (JDV_J60-FormatCode-DMP): it names the CI-SIS
	// volet the document follows, which no header element states.
	FormatCode xds.Code
	// PracticeSettingCode is used when no performer of the service event
	// has a representedOrganization/standardIndustryClassCode; then it is
	// required.
	PracticeSettingCode xds.Code
	// HealthcareFacilityTypeCode is used when the header has no
	// componentOf/encompassingEncounter/location/healthCareFacility/code;
	// then it is required.
	HealthcareFacilityTypeCode xds.Code
	// Confidentiality are added after the header's confidentialityCode:
	// the DMP codes of MaskingScheme only.
	Confidentiality []xds.Code
	// EventCodes are added after the service events' codes.
	EventCodes []xds.Code
	// Comments is the entry's description (none in the header).
	Comments string
}

// Derive reads the header of the CDA document r and returns its
// DocumentEntry (see Header.Entry).
func Derive(r io.Reader, file string, s Supplied) (*xds.DocumentEntry, []Warning, error) {
	h, err := Read(r, file)
	if err != nil {
		return nil, nil, err
	}
	e, err := h.Entry(s)
	if err != nil {
		return nil, nil, err
	}
	return e, h.Warnings, nil
}

// Entry returns the DocumentEntry of the document: every attribute the
// header carries, following the CI-SIS mapping of docs/cda.md, plus the
// supplied ones. The entry has no entryUUID, hash, size, repository or
// availability status: the submission sets them. The error lists, each
// positioned, the attributes that can be neither derived nor taken from s.
func (h *Header) Entry(s Supplied) (*xds.DocumentEntry, error) {
	m := h.m
	var errs []error
	need := func(attr string, c xds.Code, why string) {
		if c.Code == "" {
			errs = append(errs, fmt.Errorf("%s: %s: %s", h.file, attr, why))
		}
	}
	e := &xds.DocumentEntry{
		Base:     xds.Base{Title: text(m.title.v), Comments: text(s.Comments)},
		MimeType: MimeType,
	}
	errs = append(errs, m.errs...)
	e.PatientID = m.patientID.v
	e.SourcePatientID = m.sourcePatientID.v
	e.SourcePatientInfo = m.sourcePatientInfo
	e.CreationTime = m.creationTime.v
	e.ServiceStartTime = m.serviceStart.v
	e.ServiceStopTime = m.serviceStop.v
	e.LanguageCode = m.language.v
	e.UniqueID = m.uniqueID.v
	e.LegalAuthenticator = m.legalAuthenticator.v
	e.TypeCode = m.typeCode.c
	for _, a := range m.authors {
		e.Authors = append(e.Authors, a.a)
	}
	if m.confidentiality.c.Code != "" {
		e.ConfidentialityCodes = []xds.Code{m.confidentiality.c}
	}
	for _, c := range s.Confidentiality {
		if c.Scheme != MaskingScheme {
			errs = append(errs, fmt.Errorf("%s: Supplied.Confidentiality %s (%s): only the DMP codes of %s may be added; the HL7 code is the header's confidentialityCode", h.file, c.Code, c.Scheme, MaskingScheme))
			continue
		}
		e.ConfidentialityCodes = append(e.ConfidentialityCodes, c)
	}
	for _, c := range m.events {
		e.EventCodes = append(e.EventCodes, c.c)
	}
	e.EventCodes = append(e.EventCodes, s.EventCodes...)
	e.HealthcareFacilityTypeCode = m.facility.c
	if e.HealthcareFacilityTypeCode.Code == "" {
		e.HealthcareFacilityTypeCode = s.HealthcareFacilityTypeCode
		need("healthcareFacilityTypeCode", s.HealthcareFacilityTypeCode, "the header has no componentOf/encompassingEncounter/location/healthCareFacility/code: set Supplied.HealthcareFacilityTypeCode (JDV_J02)")
	}
	e.PracticeSettingCode = m.practice.c
	if e.PracticeSettingCode.Code == "" {
		e.PracticeSettingCode = s.PracticeSettingCode
		need("practiceSettingCode", s.PracticeSettingCode, "no documentationOf/serviceEvent/performer/assignedEntity/representedOrganization/standardIndustryClassCode in the header: set Supplied.PracticeSettingCode (JDV_J04, JDV_J62)")
	}
	e.ClassCode = s.ClassCode
	need("classCode", s.ClassCode, "a CDA header does not carry it: set Supplied.ClassCode (JDV_J57-ClassCode-DMP, for "+m.typeCode.c.Code+")")
	e.FormatCode = s.FormatCode
	need("formatCode", s.FormatCode, "a CDA header does not carry it: set Supplied.FormatCode (JDV_J60-FormatCode-DMP, the volet of the document)")
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return e, nil
}

func text(s string) xds.Text {
	if s == "" {
		return nil
	}
	return xds.NewText(s)
}

// value is a derived string attribute and the element it comes from (nil
// when the header does not carry it).
type value struct {
	v  string
	at *node
}

// code is a derived coded attribute and its element.
type code struct {
	c  xds.Code
	at *node
}

// author is a derived author and its element.
type author struct {
	a      xds.Author
	at     *node
	person hl7v2.XCN
	// The parts the header carries, for Check.
	org       *hl7v2.XON
	specialty *xds.Code
	role      *xds.Code
}

// mapping is what the header carries, attribute by attribute.
type mapping struct {
	patientID, sourcePatientID                                  value
	patientIDs                                                  []hl7v2.CX // every recordTarget/patientRole/id
	patientRole                                                 *node
	sourcePatientInfo                                           []string
	birth, gender                                               value
	name                                                        value // "family^given"
	creationTime, serviceStart, serviceStop, language, uniqueID value
	title, legalAuthenticator                                   value
	legalPerson                                                 hl7v2.XCN
	typeCode, confidentiality, facility, practice               code
	events                                                      []code
	serviceEvents                                               []*node
	authors                                                     []author
	errs                                                        []error
}

// derive maps the header.
func (h *Header) derive() *mapping {
	m := &mapping{}
	r := h.root
	fail := func(n *node, format string, args ...any) {
		line, col, path := 1, 1, "/ClinicalDocument"
		if n != nil {
			line, col, path = n.line, n.col, n.path
		}
		m.errs = append(m.errs, fmt.Errorf("%s:%d:%d: %s: %s", h.file, line, col, path, fmt.Sprintf(format, args...)))
	}
	if id := r.get("id"); id != nil {
		m.uniqueID = value{instanceID(id), id}
	} else {
		fail(r, "no id: the document's uniqueId is ClinicalDocument/id")
	}
	if c := r.get("code"); c != nil && c.attr("code") != "" {
		m.typeCode = code{cdaCode(c), c}
	} else {
		fail(r, "no code/@code: the typeCode is ClinicalDocument/code")
	}
	if t := r.get("title"); t != nil {
		m.title = value{t.value(), t}
	}
	if t := r.get("effectiveTime"); t != nil {
		v, err := h.utc(t, t.attr("value"))
		if err != nil {
			m.errs = append(m.errs, err)
		}
		m.creationTime = value{v, t}
	} else {
		fail(r, "no effectiveTime: the creationTime is ClinicalDocument/effectiveTime")
	}
	m.confidentiality = h.optCode(r.get("confidentialityCode"))
	if l := r.get("languageCode"); l != nil {
		m.language = value{l.attr("code"), l}
	}
	h.derivePatient(m, fail)
	for _, a := range r.all("author") {
		m.authors = append(m.authors, h.deriveAuthor(a))
	}
	if la := r.get("legalAuthenticator", "assignedEntity"); la != nil {
		m.legalPerson = h.person(la)
		m.legalAuthenticator = value{m.legalPerson.Format(), la}
	}
	h.deriveService(m)
	m.facility = h.optCode(r.get("componentOf", "encompassingEncounter", "location", "healthCareFacility", "code"))
	return m
}

// derivePatient maps recordTarget: patientId (the INS), sourcePatientId
// (the first other id, else the INS) and sourcePatientInfo.
func (h *Header) derivePatient(m *mapping, fail func(*node, string, ...any)) {
	rts := h.root.all("recordTarget")
	if len(rts) == 0 {
		fail(h.root, "no recordTarget: the patientId is recordTarget/patientRole/id (INS)")
		return
	}
	if len(rts) > 1 {
		fail(rts[1], "a second recordTarget: an XDS document has one patient")
	}
	pr := rts[0].get("patientRole")
	m.patientRole = pr
	var ins, local *node
	for _, id := range pr.all("id") {
		root, ext := id.attr("root"), id.attr("extension")
		if root == "" || ext == "" {
			continue
		}
		m.patientIDs = append(m.patientIDs, cx(id, ""))
		switch {
		case strings.HasPrefix(root, INSRoot) && ins == nil:
			ins = id
		case !strings.HasPrefix(root, INSRoot) && local == nil:
			local = id
		}
	}
	if ins == nil {
		fail(pr, "no id with an INS root (%s8, %s9, %s10, %s11) and an extension: the DMP patientId is the INS", INSRoot, INSRoot, INSRoot, INSRoot)
	} else {
		m.patientID = value{cx(ins, "NH").Format(), ins}
		m.sourcePatientID = m.patientID
	}
	if local != nil {
		m.sourcePatientID = value{cx(local, "PI").Format(), local}
	}
	p := pr.get("patient")
	if n := p.get("name"); n != nil {
		fam, giv := familyName(n), given(n)
		m.name = value{fam + "^" + giv, n}
		var others []string // XPN.3: the further given names
		for _, g := range n.all("given")[min(1, len(n.all("given"))):] {
			others = append(others, g.value())
		}
		m.sourcePatientInfo = append(m.sourcePatientInfo, "PID-5|"+esc(fam)+"^"+esc(giv)+"^"+esc(strings.Join(others, " "))+"^^^^L")
		if names := p.all("name"); len(names) > 1 {
			h.warn(names[1], "a second patient name: PID-5 carries the first")
		}
	}
	if b := p.get("birthTime"); b != nil && b.attr("value") != "" {
		v := b.attr("value")
		if i := strings.IndexAny(v, "+-"); i >= 0 {
			v = v[:i] // a birth date is a local date: no UTC conversion
		}
		if len(v) > 8 {
			v = v[:8]
		}
		m.birth = value{v, b}
		m.sourcePatientInfo = append(m.sourcePatientInfo, "PID-7|"+v)
	}
	if g := p.get("administrativeGenderCode"); g != nil && g.attr("code") != "" {
		v := g.attr("code")
		if v == "UN" {
			v = "U"
		}
		m.gender = value{v, g}
		m.sourcePatientInfo = append(m.sourcePatientInfo, "PID-8|"+v)
	}
	for _, k := range []string{"addr", "telecom"} {
		for _, n := range pr.all(k) {
			if n.attr("nullFlavor") == "" {
				h.warn(n, "not mapped: the DMP's sourcePatientInfo carries PID-5, PID-7 and PID-8 only")
			}
		}
	}
}

// deriveAuthor maps an author: authorPerson (assignedPerson or
// assignedAuthoringDevice), authorSpecialty (code), authorRole
// (functionCode), authorInstitution (representedOrganization),
// authorTelecommunication (telecom).
func (h *Header) deriveAuthor(a *node) author {
	aa := a.get("assignedAuthor")
	out := author{at: a}
	if aa == nil {
		h.warn(a, "no assignedAuthor: the author is not mapped")
		return out
	}
	out.person = h.person(aa)
	if aa.get("assignedPerson") == nil {
		if d := aa.get("assignedAuthoringDevice"); d != nil {
			out.person.FamilyName.Surname = d.get("softwareName").value()
			out.person.NameTypeCode = ""
			if out.person.FamilyName.Surname != "" {
				out.person.NameTypeCode = "D"
			}
			h.warn(d, "an authoring device: authorPerson holds its id and softwareName")
		}
	}
	out.a.Person = out.person.Format()
	if c := aa.get("code"); c != nil {
		k := cdaCode(c)
		out.specialty = &k
		out.a.Specialties = []string{cwe(k)}
	}
	if c := a.get("functionCode"); c != nil {
		k := cdaCode(c)
		out.role = &k
		out.a.Roles = []string{cwe(k)}
	}
	if o := aa.get("representedOrganization"); o != nil {
		x := organization(o)
		out.org = &x
		out.a.Institutions = []string{x.Format()}
	}
	for _, t := range aa.all("telecom") {
		if x, ok := telecom(t.attr("value")); ok {
			out.a.Telecoms = append(out.a.Telecoms, x.Format())
		} else if t.attr("nullFlavor") == "" {
			h.warn(t, "a telecom that is neither mailto: nor tel: is not mapped to authorTelecommunication")
		}
	}
	return out
}

// deriveService maps documentationOf/serviceEvent: the earliest low and
// latest high of the service events are serviceStartTime and
// serviceStopTime, their codes the eventCodeList, the first performer's
// standardIndustryClassCode the practiceSettingCode.
func (h *Header) deriveService(m *mapping) {
	for _, d := range h.root.all("documentationOf") {
		se := d.get("serviceEvent")
		if se == nil {
			continue
		}
		m.serviceEvents = append(m.serviceEvents, se)
		if c := h.optCode(se.get("code")); c.at != nil {
			m.events = append(m.events, c)
		}
		if t := se.get("effectiveTime"); t != nil {
			lo, hi := t.get("low"), t.get("high")
			if lo == nil && t.attr("value") != "" {
				lo, hi = t, t
			}
			h.earliest(m, &m.serviceStart, lo, -1)
			h.earliest(m, &m.serviceStop, hi, +1)
		}
		for _, p := range se.all("performer") {
			c := h.optCode(p.get("assignedEntity", "representedOrganization", "standardIndustryClassCode"))
			switch {
			case c.at == nil:
			case m.practice.at == nil:
				m.practice = c
			case !sameCode(c.c, m.practice.c):
				h.warn(c.at, "another practice setting than "+m.practice.c.Code+": practiceSettingCode is the first")
			}
		}
	}
}

// earliest keeps in v the earlier (sign -1) or later (+1) of v and the
// time of n.
func (h *Header) earliest(m *mapping, v *value, n *node, sign int) {
	if n == nil || n.attr("value") == "" {
		return
	}
	t, err := h.utc(n, n.attr("value"))
	if err != nil {
		m.errs = append(m.errs, err)
		return
	}
	if v.at == nil || sign < 0 && t < v.v || sign > 0 && t > v.v {
		*v = value{t, n}
	}
}

// optCode maps an optional coded element; one without @code (a
// nullFlavor) is absent, with a warning.
func (h *Header) optCode(n *node) code {
	if n == nil {
		return code{}
	}
	if n.attr("code") == "" {
		h.warn(n, "no @code (nullFlavor "+n.attr("nullFlavor")+"): not mapped")
		return code{}
	}
	return code{cdaCode(n), n}
}

// warn records a header element not mapped.
func (h *Header) warn(n *node, msg string) {
	h.Warnings = append(h.Warnings, Warning{File: h.file, Line: n.line, Col: n.col, Path: n.path, Msg: msg})
}

// instanceID returns the XDS form of an II: root, or root^extension.
func instanceID(n *node) string {
	if n == nil {
		return ""
	}
	if ext := n.attr("extension"); ext != "" {
		return n.attr("root") + "^" + ext
	}
	return n.attr("root")
}

// cdaCode returns a CD as an xds.Code.
func cdaCode(n *node) xds.Code {
	return xds.Code{Code: n.attr("code"), Scheme: n.attr("codeSystem"), Display: n.attr("displayName")}
}

// cwe returns a code in the DMP's CWE form code^display^scheme.
func cwe(c xds.Code) string {
	return hl7v2.CWE{Identifier: c.Code, Text: c.Display, CodingSystem: c.Scheme}.Format()
}

// cx returns an II as a CX with the given identifier type.
func cx(id *node, typ string) hl7v2.CX {
	return hl7v2.CX{ID: id.attr("extension"), AssigningAuthority: hl7v2.HD{UniversalID: id.attr("root"), UniversalIDType: "ISO"}, IdentifierTypeCode: typ}
}

// person returns the XCN of an assignedAuthor or assignedEntity: its first
// id and its assignedPerson's name.
func (h *Header) person(n *node) hl7v2.XCN {
	var x hl7v2.XCN
	if ids := n.all("id"); len(ids) > 1 {
		h.warn(ids[1], "a second id: the XCN carries the first")
	}
	if id := n.get("id"); id != nil {
		root, ext := id.attr("root"), id.attr("extension")
		switch {
		case ext != "":
			x.ID = ext
			x.AssigningAuthority = hl7v2.HD{UniversalID: root, UniversalIDType: "ISO"}
		case root != "":
			x.ID = root
		}
		if x.ID != "" {
			x.IdentifierTypeCode = "EI"
			if root == PSRoot {
				x.IdentifierTypeCode = "IDNPS"
			}
		}
	}
	if nm := n.get("assignedPerson", "name"); nm != nil {
		x.FamilyName.Surname, x.GivenName = familyName(nm), given(nm)
		if x.FamilyName.Surname != "" || x.GivenName != "" {
			x.NameTypeCode = "D"
		}
	}
	return x
}

// organization returns the XON of a representedOrganization.
func organization(o *node) hl7v2.XON {
	x := hl7v2.XON{Name: o.get("name").value()}
	if id := o.get("id"); id != nil && id.attr("extension") != "" {
		x.OrganizationIdentifier = id.attr("extension")
		x.AssigningAuthority = hl7v2.HD{UniversalID: id.attr("root"), UniversalIDType: "ISO"}
		if id.attr("root") == StructureRoot {
			x.IdentifierTypeCode = "IDNST"
		}
	}
	return x
}

// telecom returns the XTN of a TEL URL (mailto: or tel:).
func telecom(url string) (hl7v2.XTN, bool) {
	switch {
	case strings.HasPrefix(url, "mailto:"):
		return hl7v2.XTN{UseCode: "NET", EquipmentType: "Internet", Email: strings.TrimPrefix(url, "mailto:")}, true
	case strings.HasPrefix(url, "tel:"):
		return hl7v2.XTN{UseCode: "WPN", EquipmentType: "PH", UnformattedTelephone: strings.TrimPrefix(url, "tel:")}, true
	}
	return hl7v2.XTN{}, false
}

// familyName returns a name's family: the birth name (qualifier BR) when
// there is one, else the first family.
func familyName(n *node) string {
	fams := n.all("family")
	for _, f := range fams {
		if f.attr("qualifier") == "BR" {
			return f.value()
		}
	}
	if len(fams) > 0 {
		return fams[0].value()
	}
	return ""
}

// given returns a name's first given name.
func given(n *node) string { return n.get("given").value() }

// esc escapes the HL7 v2 delimiters of a value put in a component.
func esc(s string) string {
	return hl7v2.CWE{Identifier: s}.Format()
}
