package cda

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// Mismatch is a metadata attribute of an entry that disagrees with the
// CDA header it describes.
type Mismatch struct {
	// Code is stable: one of Codes().
	Code string
	// Attr is the metadata attribute ("patientId", "creationTime", …).
	Attr string
	// File, Line, Col and Path position the CDA element the attribute
	// comes from (its parent when the header lacks it).
	File      string
	Line, Col int
	Path      string
	// Entry and CDA are the two values, as the entry writes them and as
	// the mapping derives them ("" for an absent value).
	Entry, CDA string
}

// String formats the mismatch on one line.
func (m Mismatch) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s %s: the entry has %q, the CDA %q", m.File, m.Line, m.Col, m.Path, m.Attr, m.Code, m.Entry, m.CDA)
}

// MismatchCode describes a Mismatch code.
type MismatchCode struct {
	Code, Attr, Summary string
}

// Codes returns the mismatch codes, one per metadata attribute checked, in
// the order of docs/cda.md.
func Codes() []MismatchCode {
	return []MismatchCode{
		{"patient-id", "patientId", "patientId is the INS of recordTarget/patientRole/id (CX.1 and CX.4)"},
		{"source-patient-id", "sourcePatientId", "sourcePatientId is one of the recordTarget/patientRole/id"},
		{"source-patient-info", "sourcePatientInfo", "PID-5 (family^given), PID-7 (birthTime) and PID-8 (administrativeGenderCode) agree with recordTarget/patientRole/patient"},
		{"author", "author", "each author of the header is an author of the entry (authorPerson id and name; authorInstitution, authorSpecialty, authorRole when the header has them), and the entry has no other authorPerson"},
		{"legal-authenticator", "legalAuthenticator", "legalAuthenticator is legalAuthenticator/assignedEntity (id and name)"},
		{"type-code", "typeCode", "typeCode is ClinicalDocument/code (code and codeSystem)"},
		{"confidentiality-code", "confidentialityCode", "the confidentialityCodes other than the DMP masking codes are ClinicalDocument/confidentialityCode"},
		{"creation-time", "creationTime", "creationTime is ClinicalDocument/effectiveTime in UTC"},
		{"service-start-time", "serviceStartTime", "serviceStartTime is the earliest documentationOf/serviceEvent/effectiveTime/low in UTC"},
		{"service-stop-time", "serviceStopTime", "serviceStopTime is the latest documentationOf/serviceEvent/effectiveTime/high in UTC"},
		{"unique-id", "uniqueId", "uniqueId is ClinicalDocument/id (root, or root^extension)"},
		{"language-code", "languageCode", "languageCode is ClinicalDocument/languageCode"},
		{"event-code", "eventCodeList", "every documentationOf/serviceEvent/code is in eventCodeList"},
		{"healthcare-facility-type-code", "healthcareFacilityTypeCode", "healthcareFacilityTypeCode is componentOf/encompassingEncounter/location/healthCareFacility/code when the header has it"},
		{"practice-setting-code", "practiceSettingCode", "practiceSettingCode is the service event performer's representedOrganization/standardIndustryClassCode when the header has it"},
		{"title", "title", "title is ClinicalDocument/title"},
		{"mime-type", "mimeType", "the mimeType of a CDA document is text/xml"},
	}
}

// Check reads the header of the CDA document r and compares entry with it
// (see Header.Check).
func Check(entry *xds.DocumentEntry, r io.Reader, file string) ([]Mismatch, error) {
	h, err := Read(r, file)
	if err != nil {
		return nil, err
	}
	return h.Check(entry), nil
}

// Check compares entry with the header: every attribute the header
// carries must agree with the entry (docs/cda.md), attribute by attribute,
// in the order of Codes. Values are compared as the mapping derives them:
// identifiers by id and assigning authority, names by family and given
// name, codes by code and coding scheme, times after conversion to UTC.
func (h *Header) Check(entry *xds.DocumentEntry) []Mismatch {
	m := h.m
	c := &checker{h: h}
	c.patient(entry, m)
	c.authors(entry, m)
	c.legal(entry, m)
	c.code("type-code", entry.TypeCode, m.typeCode, true)
	c.confidentiality(entry, m)
	c.value("creation-time", entry.CreationTime, m.creationTime, h.root.get("effectiveTime"))
	c.value("service-start-time", entry.ServiceStartTime, m.serviceStart, h.firstService(m))
	c.value("service-stop-time", entry.ServiceStopTime, m.serviceStop, h.firstService(m))
	c.value("unique-id", entry.UniqueID, m.uniqueID, h.root.get("id"))
	if !strings.EqualFold(entry.LanguageCode, m.language.v) {
		c.add("language-code", m.language.at, entry.LanguageCode, m.language.v)
	}
	for _, ev := range m.events {
		if !slices.ContainsFunc(entry.EventCodes, func(x xds.Code) bool { return sameCode(x, ev.c) }) {
			c.add("event-code", ev.at, codesString(entry.EventCodes), codeString(ev.c))
		}
	}
	c.code("healthcare-facility-type-code", entry.HealthcareFacilityTypeCode, m.facility, false)
	c.code("practice-setting-code", entry.PracticeSettingCode, m.practice, false)
	if t := strings.TrimSpace(entry.Title.String()); m.title.at != nil && t != m.title.v {
		c.add("title", m.title.at, t, m.title.v)
	}
	if entry.MimeType != MimeType {
		c.add("mime-type", nil, entry.MimeType, MimeType)
	}
	return c.out
}

// firstService is the element service times are reported at when the
// header has none: the first serviceEvent, else the root.
func (h *Header) firstService(m *mapping) *node {
	if len(m.serviceEvents) > 0 {
		return m.serviceEvents[0]
	}
	return nil
}

type checker struct {
	h   *Header
	out []Mismatch
}

// add records a mismatch at n (the root when nil).
func (c *checker) add(code string, n *node, entry, cda string) {
	if n == nil {
		n = c.h.root
	}
	attr := code
	for _, k := range Codes() {
		if k.Code == code {
			attr = k.Attr
		}
	}
	c.out = append(c.out, Mismatch{Code: code, Attr: attr, File: c.h.file, Line: n.line, Col: n.col, Path: n.path, Entry: entry, CDA: cda})
}

// value compares a fully derived string attribute: absent in the header,
// it must be absent in the entry.
func (c *checker) value(code, entry string, v value, parent *node) {
	if entry == v.v {
		return
	}
	at := v.at
	if at == nil {
		at = parent
	}
	c.add(code, at, entry, v.v)
}

// code compares a coded attribute; unless always, only when the header
// carries it.
func (c *checker) code(name string, entry xds.Code, v code, always bool) {
	if v.at == nil && !always {
		return
	}
	if !sameCode(entry, v.c) {
		c.add(name, v.at, codeString(entry), codeString(v.c))
	}
}

func (c *checker) patient(e *xds.DocumentEntry, m *mapping) {
	if m.patientID.at != nil || e.PatientID != "" {
		if !sameCX(e.PatientID, m.patientID.v) {
			c.add("patient-id", m.patientID.at, e.PatientID, m.patientID.v)
		}
	}
	if e.SourcePatientID != "" && m.patientRole != nil {
		x, err := hl7v2.ParseCX(e.SourcePatientID)
		found := err == nil && slices.ContainsFunc(m.patientIDs, func(id hl7v2.CX) bool {
			return id.ID == x.ID && id.AssigningAuthority.UniversalID == x.AssigningAuthority.UniversalID
		})
		if !found {
			var ids []string
			for _, id := range m.patientIDs {
				ids = append(ids, id.Format())
			}
			c.add("source-patient-id", m.patientRole, e.SourcePatientID, strings.Join(ids, " | "))
		}
	}
	for _, pid := range e.SourcePatientInfo {
		n, v, ok := strings.Cut(pid, "|")
		if !ok {
			continue
		}
		var want value
		got := v
		switch n {
		case "PID-5":
			want = m.name
			if x, err := hl7v2.ParseXCN("^" + v); err == nil {
				got = x.FamilyName.Surname + "^" + x.GivenName
			}
		case "PID-7":
			want = m.birth
		case "PID-8":
			want = m.gender
		default:
			continue
		}
		if want.at != nil && got != want.v {
			c.add("source-patient-info", want.at, pid, n+"|"+want.v)
		}
	}
}

func (c *checker) authors(e *xds.DocumentEntry, m *mapping) {
	type entryAuthor struct {
		x    hl7v2.XCN
		a    xds.Author
		used bool
	}
	var ea []*entryAuthor
	for _, a := range e.Authors {
		if a.Person == "" {
			continue // an institution alone: nothing in the header to compare
		}
		x, _ := hl7v2.ParseXCN(a.Person)
		ea = append(ea, &entryAuthor{x: x, a: a})
	}
	// Pair each header author with the entry's: the same person, else
	// the same id (another name: a mismatch), else, at the end, the entry
	// authors left in order (a mismatch each).
	var left []author
	for _, ha := range m.authors {
		if ha.a.Person == "" {
			continue
		}
		var match *entryAuthor
		for _, x := range ea {
			if !x.used && samePerson(x.x, ha.person) {
				match = x
				break
			}
		}
		if match == nil {
			for _, x := range ea {
				if !x.used && x.x.ID == ha.person.ID && x.x.AssigningAuthority.UniversalID == ha.person.AssigningAuthority.UniversalID {
					x.used = true
					c.add("author", ha.at, x.a.Person, ha.a.Person)
					break
				}
			}
			if !slices.ContainsFunc(ea, func(x *entryAuthor) bool { return x.used && x.x.ID == ha.person.ID }) {
				left = append(left, ha)
			}
			continue
		}
		match.used = true
		if ha.org != nil && !slices.ContainsFunc(match.a.Institutions, func(s string) bool { return sameXON(s, *ha.org) }) {
			c.add("author", ha.at.get("assignedAuthor", "representedOrganization"), strings.Join(match.a.Institutions, " | "), ha.org.Format())
		}
		if ha.specialty != nil && !slices.ContainsFunc(match.a.Specialties, func(s string) bool { return sameCWE(s, *ha.specialty) }) {
			c.add("author", ha.at.get("assignedAuthor", "code"), strings.Join(match.a.Specialties, " | "), cwe(*ha.specialty))
		}
		if ha.role != nil && !slices.ContainsFunc(match.a.Roles, func(s string) bool { return sameCWE(s, *ha.role) }) {
			c.add("author", ha.at.get("functionCode"), strings.Join(match.a.Roles, " | "), cwe(*ha.role))
		}
	}
	for _, x := range ea {
		if x.used {
			continue
		}
		if len(left) > 0 {
			c.add("author", left[0].at, x.a.Person, left[0].a.Person)
			left = left[1:]
			continue
		}
		c.add("author", nil, x.a.Person, "")
	}
	for _, ha := range left {
		c.add("author", ha.at, "", ha.a.Person)
	}
}

func (c *checker) legal(e *xds.DocumentEntry, m *mapping) {
	if m.legalAuthenticator.at == nil {
		if e.LegalAuthenticator != "" {
			c.add("legal-authenticator", nil, e.LegalAuthenticator, "")
		}
		return
	}
	x, err := hl7v2.ParseXCN(e.LegalAuthenticator)
	if err != nil || !samePerson(x, m.legalPerson) {
		c.add("legal-authenticator", m.legalAuthenticator.at, e.LegalAuthenticator, m.legalAuthenticator.v)
	}
}

func (c *checker) confidentiality(e *xds.DocumentEntry, m *mapping) {
	var others []xds.Code
	for _, k := range e.ConfidentialityCodes {
		if k.Scheme != MaskingScheme {
			others = append(others, k)
		}
	}
	want := []xds.Code{}
	if m.confidentiality.at != nil {
		want = append(want, m.confidentiality.c)
	}
	if len(others) != len(want) || len(want) == 1 && !sameCode(others[0], want[0]) {
		c.add("confidentiality-code", m.confidentiality.at, codesString(others), codesString(want))
	}
}

// sameCX compares two CX values by id and assigning authority.
func sameCX(a, b string) bool {
	x, err1 := hl7v2.ParseCX(a)
	y, err2 := hl7v2.ParseCX(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	return x.ID == y.ID && x.AssigningAuthority.UniversalID == y.AssigningAuthority.UniversalID
}

// samePerson compares two XCN by id, assigning authority, family and
// given name.
func samePerson(a, b hl7v2.XCN) bool {
	return a.ID == b.ID && a.AssigningAuthority.UniversalID == b.AssigningAuthority.UniversalID &&
		a.FamilyName.Surname == b.FamilyName.Surname && a.GivenName == b.GivenName
}

// sameXON compares an organization by its id and assigning authority, or by
// name when the header's has no id.
func sameXON(s string, o hl7v2.XON) bool {
	x, err := hl7v2.ParseXON(s)
	if err != nil {
		return false
	}
	if o.OrganizationIdentifier == "" {
		return x.Name == o.Name
	}
	return x.OrganizationIdentifier == o.OrganizationIdentifier && x.AssigningAuthority.UniversalID == o.AssigningAuthority.UniversalID
}

// sameCWE compares a CWE value with a code by code and coding scheme.
func sameCWE(s string, c xds.Code) bool {
	x, err := hl7v2.ParseCWE(s)
	return err == nil && x.Identifier == c.Code && x.CodingSystem == c.Scheme
}

func sameCode(a, b xds.Code) bool { return a.Code == b.Code && a.Scheme == b.Scheme }

func codeString(c xds.Code) string {
	if c.Code == "" && c.Scheme == "" {
		return ""
	}
	return c.Code + " (" + c.Scheme + ")"
}

func codesString(cs []xds.Code) string {
	var out []string
	for _, c := range cs {
		out = append(out, codeString(c))
	}
	return strings.Join(out, ", ")
}

func authorsString(as []xds.Author) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Person)
	}
	return strings.Join(out, " | ")
}
