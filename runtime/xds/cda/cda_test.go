package cda

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// supplied are the codes the tests' documents do not carry.
var supplied = Supplied{
	ClassCode:                  xds.Code{Code: "10", Scheme: "1.2.250.1.213.1.1.4.1", Display: "Compte rendu"},
	FormatCode:                 xds.Code{Code: "urn:ihe:iti:xds-sd:text:2008", Scheme: "1.3.6.1.4.1.19376.1.2.3", Display: "Document à corps non structuré en texte brut"},
	PracticeSettingCode:        xds.Code{Code: "ETABLISSEMENT", Scheme: "1.2.250.1.213.1.1.4.9", Display: "Etablissement de santé"},
	HealthcareFacilityTypeCode: xds.Code{Code: "SA05", Scheme: "1.2.250.1.71.4.2.4", Display: "Centre de santé"},
	Confidentiality:            []xds.Code{{Code: "MASQUE_PS", Scheme: MaskingScheme, Display: "Masqué aux professionnels de santé"}},
}

func testFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "testdata", "cda", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// attr is a derived attribute and its expected value.
type attr struct{ name, got, want string }

func checkAttrs(t *testing.T, attrs []attr) {
	t.Helper()
	for _, a := range attrs {
		if a.got != a.want {
			t.Errorf("%s = %q, want %q", a.name, a.got, a.want)
		}
	}
}

func derive(t *testing.T, name string, doc []byte) (*xds.DocumentEntry, []Warning) {
	t.Helper()
	e, ws, err := Derive(bytes.NewReader(doc), name, supplied)
	if err != nil {
		t.Fatalf("Derive: %v", err)
	}
	return e, ws
}

func TestDeriveComplete(t *testing.T) {
	e, ws := derive(t, "complete.xml", testFile(t, "complete.xml"))
	if len(ws) != 0 {
		t.Errorf("warnings on a complete document: %v", ws)
	}
	checkAttrs(t, []attr{
		{"uniqueId", e.UniqueID, "1.2.250.1.999.1.1.4242.4^CR-2024-0001"},
		{"patientId", e.PatientID, "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH"},
		{"sourcePatientId", e.SourcePatientID, "IPP-000123^^^&1.2.250.1.999.1.1.4242.2&ISO^PI"},
		{"sourcePatientInfo", strings.Join(e.SourcePatientInfo, " "), "PID-5|DURAND^CLAIRE^^^^^L PID-7|19790321 PID-8|F"},
		{"creationTime", e.CreationTime, "20240312133015"},
		{"serviceStartTime", e.ServiceStartTime, "20240312130000"},
		{"serviceStopTime", e.ServiceStopTime, "20240312132000"},
		{"languageCode", e.LanguageCode, "fr-FR"},
		{"title", e.Title.String(), "Compte rendu de consultation"},
		{"mimeType", e.MimeType, "text/xml"},
		{"legalAuthenticator", e.LegalAuthenticator, "810002673899^BERNARD^JEAN^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS"},
		{"authorPerson", e.Authors[0].Person, "810002673899^BERNARD^JEAN^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS"},
		{"authorInstitution", strings.Join(e.Authors[0].Institutions, " "), "Cabinet du Dr Bernard^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^10B0155554"},
		{"authorSpecialty", strings.Join(e.Authors[0].Specialties, " "), "G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5"},
		{"authorRole", strings.Join(e.Authors[0].Roles, " "), "ATTPHYS^Médecin traitant^2.16.840.1.113883.5.88"},
		{"authorTelecommunication", strings.Join(e.Authors[0].Telecoms, " "), "^NET^Internet^jean.bernard@example.org"},
		{"typeCode", codeString(e.TypeCode), "11488-4 (2.16.840.1.113883.6.1)"},
		{"classCode", codeString(e.ClassCode), "10 (1.2.250.1.213.1.1.4.1)"},
		{"formatCode", codeString(e.FormatCode), "urn:ihe:iti:xds-sd:text:2008 (1.3.6.1.4.1.19376.1.2.3)"},
		{"confidentialityCode", codesString(e.ConfidentialityCodes), "N (2.16.840.1.113883.5.25), MASQUE_PS (1.2.250.1.213.1.1.4.13)"},
		{"eventCodeList", codesString(e.EventCodes), "GLQP012 (1.2.250.1.213.2.5)"},
		{"healthcareFacilityTypeCode", codeString(e.HealthcareFacilityTypeCode), "SA07 (1.2.250.1.71.4.2.4)"},
		{"practiceSettingCode", codeString(e.PracticeSettingCode), "AMBULATOIRE (1.2.250.1.213.1.1.4.9)"},
	})
	if e.TypeCode.Display != "CR ou fiche de consultation ou de visite" {
		t.Errorf("typeCode display %q", e.TypeCode.Display)
	}
}

// TestDeriveValid: the derived entry, completed by a submission, passes
// the ITI-41 rules with the DMP profile.
func TestDeriveValid(t *testing.T) {
	for _, name := range []string{"complete.xml", "times.xml", "unknown.xml"} {
		e, _ := derive(t, name, testFile(t, name))
		e.EntryUUID, e.ObjectType = "Document01", xds.ObjectTypeStable
		ss := &xds.SubmissionSet{
			Base:           xds.Base{EntryUUID: "SubmissionSet01"},
			SubmissionTime: "20240312150000", Authors: e.Authors[:1],
			ContentTypeCode: xds.Code{Code: "04", Scheme: "1.3.6.1.4.1.19376.1.2.3", Display: "Hospitalisation de jour"},
			PatientID:       e.PatientID, SourceID: "1.2.250.1.999.1.1.4242", UniqueID: "1.2.250.1.999.1.1.4242.1.1",
		}
		md := &xds.Metadata{Items: []xds.Item{ss, e, &xds.Association{Base: xds.Base{EntryUUID: "assoc1"}, Type: xds.AssocHasMember,
			Source: ss.EntryUUID, Target: e.EntryUUID, SubmissionSetStatus: xds.SubmissionSetStatusOriginal}}}
		if vs := xds.Validate(md, xds.Options{Transaction: xds.ITI41, Profile: hl7v2.DMP}); len(vs) != 0 {
			t.Errorf("%s: %v", name, vs)
		}
	}
}

func TestDeriveTimes(t *testing.T) {
	e, ws := derive(t, "times.xml", testFile(t, "times.xml"))
	checkAttrs(t, []attr{
		{"creationTime", e.CreationTime, "20231231223000"},
		{"serviceStartTime", e.ServiceStartTime, "20230715200000"},
		{"serviceStopTime", e.ServiceStopTime, "20230720100000"},
		{"uniqueId", e.UniqueID, "1.2.250.1.999.1.1.4242.4.77"},
		{"sourcePatientId", e.SourcePatientID, e.PatientID},
		{"eventCodeList", codesString(e.EventCodes), "HHFA016 (1.2.250.1.213.2.5), ZZQK002 (1.2.250.1.213.2.5)"},
		{"confidentialityCode", codesString(e.ConfidentialityCodes), "R (2.16.840.1.113883.5.25), MASQUE_PS (1.2.250.1.213.1.1.4.13)"},
		{"practiceSettingCode", codeString(e.PracticeSettingCode), "ETABLISSEMENT (1.2.250.1.213.1.1.4.9)"},
	})
	if len(ws) != 1 || !strings.Contains(ws[0].String(), "times.xml:11:3: /ClinicalDocument/effectiveTime: fraction of second .250 dropped") {
		t.Errorf("warnings %v, want the fraction of second dropped", ws)
	}
}

func TestUTC(t *testing.T) {
	h := &Header{file: "t.xml"}
	n := &node{path: "/x", line: 1, col: 1}
	for _, c := range []struct{ in, want, err string }{
		{"20240312143015+0100", "20240312133015", ""},
		{"20240701000000+0200", "20240630220000", ""},
		{"202407010000-0130", "202407010130", ""},
		{"2024031214+0100", "2024031213", ""},
		{"20240312+0100", "20240312", ""},
		{"20240312", "20240312", ""},
		{"2024", "2024", ""},
		{"20240312143015", "20240312143015", ""},
		{"2024031214301+0100", "", "not an HL7 time"},
		{"20240312143015+01", "", "offset is +HHMM"},
		{"20240312143015+0160", "", "offset is +HHMM"},
		{"2024031214.5", "", "fraction of second needs the seconds"},
		{"abc", "", "not an HL7 time"},
	} {
		got, err := h.utc(n, c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || !strings.HasPrefix(err.Error(), "t.xml:1:1: /x/@value") {
				t.Errorf("utc(%q): error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("utc(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestDeriveWarnings(t *testing.T) {
	e, ws := derive(t, "unknown.xml", testFile(t, "unknown.xml"))
	var got []string
	for _, w := range ws {
		got = append(got, w.String())
	}
	want := []string{
		"unknown.xml:15:3: /ClinicalDocument/{urn:example:extension}routingHint: not a CDA R2 header element: not mapped to metadata",
		"unknown.xml:36:3: /ClinicalDocument/reviewNote: not a CDA R2 header element: not mapped to metadata",
		"unknown.xml:37:3: /ClinicalDocument/relatedDocument: relatedDocument (RPLC 1.2.250.1.999.1.1.4242.4.70): XDS states it by an association (RPLC, APND, XFRM) to the parent's entry, which the caller adds",
		"unknown.xml:19:7: /ClinicalDocument/recordTarget/patientRole/addr: not mapped: the DMP's sourcePatientInfo carries PID-5, PID-7 and PID-8 only",
		"unknown.xml:30:7: /ClinicalDocument/author/assignedAuthor/telecom: a telecom that is neither mailto: nor tel: is not mapped to authorTelecommunication",
		"unknown.xml:31:7: /ClinicalDocument/author/assignedAuthor/assignedAuthoringDevice: an authoring device: authorPerson holds its id and softwareName",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if e.LegalAuthenticator != "" || e.Authors[0].Person != "AUTOMATE-7^LabSoft 3^^^^^^^&1.2.250.1.999.1.1.4242.9&ISO^D^^^EI" {
		t.Errorf("legalAuthenticator %q, author %q", e.LegalAuthenticator, e.Authors[0].Person)
	}
	if codeString(e.HealthcareFacilityTypeCode) != "SA05 (1.2.250.1.71.4.2.4)" || strings.Join(e.SourcePatientInfo, " ") != "PID-5|ROUX^LÉA^^^^^L PID-8|U" {
		t.Errorf("facility %v, sourcePatientInfo %v", e.HealthcareFacilityTypeCode, e.SourcePatientInfo)
	}
}

func TestDeriveErrors(t *testing.T) {
	doc := testFile(t, "unknown.xml")
	_, _, err := Derive(bytes.NewReader(doc), "unknown.xml", Supplied{})
	if err == nil {
		t.Fatal("no error without the supplied codes")
	}
	for _, s := range []string{"Supplied.ClassCode", "Supplied.FormatCode", "Supplied.PracticeSettingCode", "Supplied.HealthcareFacilityTypeCode"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("the error does not name %s: %v", s, err)
		}
	}
	s := supplied
	s.Confidentiality = []xds.Code{{Code: "V", Scheme: ConfidentialityScheme}}
	if _, _, err := Derive(bytes.NewReader(doc), "unknown.xml", s); err == nil || !strings.Contains(err.Error(), "only the DMP codes") {
		t.Errorf("an HL7 confidentiality code supplied: %v", err)
	}
	noINS := strings.Replace(string(doc), `root="1.2.250.1.213.1.4.10"`, `root="1.2.250.1.999.7"`, 1)
	if _, _, err := Derive(strings.NewReader(noINS), "unknown.xml", supplied); err == nil || !strings.Contains(err.Error(), "unknown.xml:17:5: /ClinicalDocument/recordTarget/patientRole: no id with an INS root") {
		t.Errorf("no INS: %v", err)
	}
	for _, c := range []struct{ name, doc, want string }{
		{"not CDA", `<x xmlns="urn:hl7-org:v3"/>`, "not a CDA R2 document"},
		{"other namespace", `<ClinicalDocument xmlns="urn:example"><component/></ClinicalDocument>`, "not a CDA R2 document"},
		{"not XML", `hello`, "t.xml:1:1"},
		{"truncated", `<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1"`, "t.xml:1:"},
		{"bad header", `<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1"></code><component/></ClinicalDocument>`, "t.xml:1:"},
		{"doctype", `<!DOCTYPE x><ClinicalDocument xmlns="urn:hl7-org:v3"/>`, "DTD"},
		{"UTF-16", "\xfe\xff\x00<", "UTF-16"},
	} {
		_, err := Read(strings.NewReader(c.doc), "t.xml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		if c.want == "not a CDA R2 document" && !errors.Is(err, ErrNotCDA) {
			t.Errorf("%s: %v is not ErrNotCDA", c.name, err)
		}
	}
	var xe *xmltext.Error
	if _, err := Read(strings.NewReader("<ClinicalDocument xmlns='urn:hl7-org:v3'>\n<id root='1'></code>\n<component/></ClinicalDocument>"), "t.xml"); !errors.As(err, &xe) || xe.Line != 2 {
		t.Errorf("a header error is an *xmltext.Error at line 2: %v", err)
	}
}

// TestRoundTrip: an entry derived from a document agrees with it.
func TestRoundTrip(t *testing.T) {
	for _, name := range []string{"complete.xml", "times.xml", "unknown.xml"} {
		doc := testFile(t, name)
		e, _ := derive(t, name, doc)
		ms, err := Check(e, bytes.NewReader(doc), name)
		if err != nil || len(ms) != 0 {
			t.Errorf("%s: %v %v", name, ms, err)
		}
	}
}

// TestMutations changes one mapped element of a document at a time: the
// entry derived from the original then disagrees with it on exactly that
// attribute, positioned at that element.
func TestMutations(t *testing.T) {
	for _, c := range []struct {
		file, old, new, code, at string
	}{
		{"complete.xml", `extension="279035121518989"`, `extension="279035121518990"`, "patient-id", "21:7 /ClinicalDocument/recordTarget/patientRole/id[1]"},
		{"complete.xml", `extension="IPP-000123"`, `extension="IPP-000124"`, "source-patient-id", "20:5 /ClinicalDocument/recordTarget/patientRole"},
		{"complete.xml", `<birthTime value="19790321"/>`, `<birthTime value="19790322"/>`, "source-patient-info", "32:9 /ClinicalDocument/recordTarget/patientRole/patient/birthTime"},
		{"complete.xml", `<family qualifier="BR">DURAND</family>`, `<family qualifier="BR">DURANT</family>`, "source-patient-info", "26:9 /ClinicalDocument/recordTarget/patientRole/patient/name"},
		{"complete.xml", `<administrativeGenderCode code="F"`, `<administrativeGenderCode code="M"`, "source-patient-info", "31:9 /ClinicalDocument/recordTarget/patientRole/patient/administrativeGenderCode"},
		{"complete.xml", "<given>JEAN</given>\n          <family>BERNARD</family>\n        </name>\n      </assignedPerson>\n      <representedOrganization>", "<given>JEANNE</given>\n          <family>BERNARD</family>\n        </name>\n      </assignedPerson>\n      <representedOrganization>", "author", "36:3 /ClinicalDocument/author"},
		{"complete.xml", `extension="10B0155554"/>` + "\n        <name>Cabinet", `extension="10B0155555"/>` + "\n        <name>Cabinet", "author", "50:7 /ClinicalDocument/author/assignedAuthor/representedOrganization"},
		{"complete.xml", `<code code="G15_10/SM26"`, `<code code="G15_10/SM54"`, "author", "41:7 /ClinicalDocument/author/assignedAuthor/code"},
		{"complete.xml", `<functionCode code="ATTPHYS"`, `<functionCode code="PCP"`, "author", "37:5 /ClinicalDocument/author/functionCode"},
		{"complete.xml", "<given>JEAN</given>\n          <family>BERNARD</family>\n        </name>\n      </assignedPerson>\n    </assignedEntity>", "<given>JEAN</given>\n          <family>BERNARDI</family>\n        </name>\n      </assignedPerson>\n    </assignedEntity>", "legal-authenticator", "67:5 /ClinicalDocument/legalAuthenticator/assignedEntity"},
		{"complete.xml", `<code code="11488-4"`, `<code code="34133-9"`, "type-code", "11:3 /ClinicalDocument/code"},
		{"complete.xml", `<confidentialityCode code="N"`, `<confidentialityCode code="V"`, "confidentiality-code", "14:3 /ClinicalDocument/confidentialityCode"},
		{"complete.xml", `<effectiveTime value="20240312143015+0100"/>`, `<effectiveTime value="20240312143015+0200"/>`, "creation-time", "13:3 /ClinicalDocument/effectiveTime"},
		{"complete.xml", `<low value="20240312140000+0100"/>`, `<low value="20240312140000+0000"/>`, "service-start-time", "81:9 /ClinicalDocument/documentationOf/serviceEvent/effectiveTime/low"},
		{"complete.xml", `<high value="20240312142000+0100"/>`, `<high value="20240312152000+0100"/>`, "service-stop-time", "82:9 /ClinicalDocument/documentationOf/serviceEvent/effectiveTime/high"},
		{"complete.xml", `extension="CR-2024-0001"/>` + "\n  <code", `extension="CR-2024-0002"/>` + "\n  <code", "unique-id", "10:3 /ClinicalDocument/id"},
		{"complete.xml", `<languageCode code="fr-FR"/>`, `<languageCode code="en-GB"/>`, "language-code", "15:3 /ClinicalDocument/languageCode"},
		{"complete.xml", `<code code="GLQP012"`, `<code code="GLQP013"`, "event-code", "79:7 /ClinicalDocument/documentationOf/serviceEvent/code"},
		{"complete.xml", `<code code="SA07"`, `<code code="SA08"`, "healthcare-facility-type-code", "100:11 /ClinicalDocument/componentOf/encompassingEncounter/location/healthCareFacility/code"},
		{"complete.xml", `code="AMBULATOIRE"`, `code="ETABLISSEMENT"`, "practice-setting-code", "89:13 /ClinicalDocument/documentationOf/serviceEvent/performer/assignedEntity/representedOrganization/standardIndustryClassCode"},
		{"complete.xml", `<title>Compte rendu de consultation</title>`, `<title>Compte rendu</title>`, "title", "12:3 /ClinicalDocument/title"},
		{"times.xml", `<cda:low value="20230715220000+0200"/>`, `<cda:low value="20230715220000+0100"/>`, "service-start-time", "47:9 /ClinicalDocument/documentationOf[1]/serviceEvent/effectiveTime/low"},
		{"times.xml", `<cda:high value="20230720120000+0200"/>`, `<cda:high value="20230720120000-0200"/>`, "service-stop-time", "57:9 /ClinicalDocument/documentationOf[2]/serviceEvent/effectiveTime/high"},
		{"times.xml", `<cda:code code="ZZQK002"`, `<cda:code code="ZZQK003"`, "event-code", "54:7 /ClinicalDocument/documentationOf[2]/serviceEvent/code"},
		{"times.xml", `20240101003000.250+0200`, `20240101003001.999+0200`, "creation-time", "11:3 /ClinicalDocument/effectiveTime"},
		{"unknown.xml", `extension="AUTOMATE-7"`, `extension="AUTOMATE-8"`, "author", "26:3 /ClinicalDocument/author"},
	} {
		t.Run(c.file+" "+c.code+" "+c.new, func(t *testing.T) {
			doc := string(testFile(t, c.file))
			e, _ := derive(t, c.file, []byte(doc))
			if strings.Count(doc, c.old) != 1 {
				t.Fatalf("%q occurs %d times", c.old, strings.Count(doc, c.old))
			}
			ms, err := Check(e, strings.NewReader(strings.Replace(doc, c.old, c.new, 1)), c.file)
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != 1 {
				t.Fatalf("%d mismatches, want 1: %v", len(ms), ms)
			}
			m := ms[0]
			if m.Code != c.code || m.Entry == m.CDA {
				t.Errorf("%v, want %s", m, c.code)
			}
			if at := fmt.Sprintf("%d:%d %s", m.Line, m.Col, m.Path); at != c.at || m.File != c.file {
				t.Errorf("at %s %s, want %s", m.File, at, c.at)
			}
		})
	}
}

// TestEntryMutations changes the entry instead: the mimeType, the masking
// codes (allowed) and attributes the header lacks (allowed when the header
// cannot carry them, refused when it derives them).
func TestEntryMutations(t *testing.T) {
	doc := testFile(t, "unknown.xml")
	base, _ := derive(t, "unknown.xml", doc)
	for _, c := range []struct {
		name   string
		mutate func(e *xds.DocumentEntry)
		want   []string
	}{
		{"mimeType", func(e *xds.DocumentEntry) { e.MimeType = "application/pdf" }, []string{"mime-type"}},
		{"no masking code", func(e *xds.DocumentEntry) { e.ConfidentialityCodes = e.ConfidentialityCodes[:1] }, nil},
		{"second HL7 confidentiality", func(e *xds.DocumentEntry) {
			e.ConfidentialityCodes = append(e.ConfidentialityCodes, xds.Code{Code: "R", Scheme: ConfidentialityScheme})
		}, []string{"confidentiality-code"}},
		{"legalAuthenticator the header lacks", func(e *xds.DocumentEntry) { e.LegalAuthenticator = e.Authors[0].Person }, []string{"legal-authenticator"}},
		{"serviceStartTime the header lacks", func(e *xds.DocumentEntry) { e.ServiceStartTime = "20240610" }, []string{"service-start-time"}},
		{"an author more", func(e *xds.DocumentEntry) {
			e.Authors = append(e.Authors, xds.Author{Person: "810002673899^BERNARD^JEAN^^^^^^&1.2.250.1.71.4.2.1&ISO"})
		}, []string{"author"}},
		{"institution the header lacks", func(e *xds.DocumentEntry) {
			e.Authors[0].Institutions = []string{"Laboratoire^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^1234"}
		}, nil},
		{"sourcePatientInfo with another name", func(e *xds.DocumentEntry) { e.SourcePatientInfo[0] = "PID-5|ROUX^LEA^^^^^L" }, []string{"source-patient-info"}},
		{"no sourcePatientInfo", func(e *xds.DocumentEntry) { e.SourcePatientInfo = nil }, nil},
		{"language case", func(e *xds.DocumentEntry) { e.LanguageCode = "FR-fr" }, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := *base
			e.Authors = slices.Clone(base.Authors)
			e.SourcePatientInfo = slices.Clone(base.SourcePatientInfo)
			c.mutate(&e)
			ms, err := Check(&e, bytes.NewReader(doc), "unknown.xml")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range ms {
				got = append(got, m.Code)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%v, want %v", ms, c.want)
			}
		})
	}
}

func TestCodesDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "docs", "cda.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Codes() {
		if !bytes.Contains(b, []byte("`"+c.Code+"`")) {
			t.Errorf("docs/cda.md does not document the mismatch code %s", c.Code)
		}
	}
}

// TestComplete: an empty entry completed is the derived one; set
// attributes are kept (and checked), codes set on the entry stand in for
// the supplied ones.
func TestComplete(t *testing.T) {
	doc := testFile(t, "unknown.xml")
	h, err := Read(bytes.NewReader(doc), "unknown.xml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := h.Entry(supplied)
	if err != nil {
		t.Fatal(err)
	}
	var e xds.DocumentEntry
	if err := h.Complete(&e, supplied); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&e, want) {
		t.Errorf("completed %+v\nwant %+v", e, want)
	}
	part := xds.DocumentEntry{
		Base:                 xds.Base{EntryUUID: "Document01", Title: xds.NewText("Autre titre")},
		ClassCode:            supplied.ClassCode,
		FormatCode:           supplied.FormatCode,
		PracticeSettingCode:  supplied.PracticeSettingCode,
		ConfidentialityCodes: []xds.Code{{Code: "INVISIBLE_PATIENT", Scheme: MaskingScheme}},
	}
	if err := h.Complete(&part, Supplied{HealthcareFacilityTypeCode: supplied.HealthcareFacilityTypeCode}); err != nil {
		t.Fatal(err)
	}
	if part.EntryUUID != "Document01" || part.UniqueID != want.UniqueID || codesString(part.ConfidentialityCodes) != "N (2.16.840.1.113883.5.25), INVISIBLE_PATIENT (1.2.250.1.213.1.1.4.13)" {
		t.Errorf("completed %+v", part)
	}
	if ms := h.Check(&part); len(ms) != 1 || ms[0].Code != "title" {
		t.Errorf("check: %v", ms)
	}
	if err := h.Complete(&xds.DocumentEntry{}, Supplied{}); err == nil || !strings.Contains(err.Error(), "Supplied.ClassCode") {
		t.Errorf("nothing supplied: %v", err)
	}
}

// TestDeriveLosses: what a header repeats beyond what the entry holds is
// a warning, never dropped silently.
func TestDeriveLosses(t *testing.T) {
	doc := `<ClinicalDocument xmlns="urn:hl7-org:v3">
<id root="1.2.3.4"/><code code="11488-4" codeSystem="2.16.840.1.113883.6.1"/><effectiveTime value="20240101"/>
<recordTarget><patientRole><id root="1.2.250.1.213.1.4.10" extension="1"/><patient>
<name><family>A</family><given>B</given><given>C</given><given>D</given></name>
<name><family>E</family></name>
</patient></patientRole></recordTarget>
<author><assignedAuthor><id root="1.2.250.1.71.4.2.1" extension="81"/><id root="1.2.3.9" extension="local"/></assignedAuthor></author>
<documentationOf><serviceEvent>
<performer><assignedEntity><representedOrganization><standardIndustryClassCode code="AMBULATOIRE" codeSystem="1.2.250.1.213.1.1.4.9"/></representedOrganization></assignedEntity></performer>
<performer><assignedEntity><representedOrganization><standardIndustryClassCode code="AMBULATOIRE" codeSystem="1.2.250.1.213.1.1.4.9"/></representedOrganization></assignedEntity></performer>
<performer><assignedEntity><representedOrganization><standardIndustryClassCode code="ETABLISSEMENT" codeSystem="1.2.250.1.213.1.1.4.9"/></representedOrganization></assignedEntity></performer>
</serviceEvent></documentationOf>
<component/></ClinicalDocument>`
	e, ws := derive(t, "losses.xml", []byte(doc))
	var got []string
	for _, w := range ws {
		got = append(got, w.String())
	}
	want := []string{
		"losses.xml:5:1: /ClinicalDocument/recordTarget/patientRole/patient/name[2]: a second patient name: PID-5 carries the first",
		"losses.xml:7:71: /ClinicalDocument/author/assignedAuthor/id[2]: a second id: the XCN carries the first",
		"losses.xml:11:53: /ClinicalDocument/documentationOf/serviceEvent/performer[3]/assignedEntity/representedOrganization/standardIndustryClassCode: another practice setting than AMBULATOIRE: practiceSettingCode is the first",
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if e.SourcePatientInfo[0] != "PID-5|A^B^C D^^^^L" || e.PracticeSettingCode.Code != "AMBULATOIRE" {
		t.Errorf("PID-5 %q, practiceSettingCode %v", e.SourcePatientInfo[0], e.PracticeSettingCode)
	}
}
