package vet

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xds/cda"
)

// TestCDALayer: each CDA document is checked against the entry with its
// id; documents that are not CDA, entries that are not text/xml and
// documents without entry are left to the other layers.
func TestCDALayer(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "cda", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	supplied := cda.Supplied{
		ClassCode:                  xds.Code{Code: "10", Scheme: "1.2.250.1.213.1.1.4.1"},
		FormatCode:                 xds.Code{Code: "urn:ihe:iti:xds-sd:text:2008", Scheme: "1.3.6.1.4.1.19376.1.2.3"},
		PracticeSettingCode:        xds.Code{Code: "ETABLISSEMENT", Scheme: "1.2.250.1.213.1.1.4.9"},
		HealthcareFacilityTypeCode: xds.Code{Code: "SA05", Scheme: "1.2.250.1.71.4.2.4"},
	}
	entry := func(id, file string) *xds.DocumentEntry {
		e, _, err := cda.Derive(bytes.NewReader(read(file)), file, supplied)
		if err != nil {
			t.Fatal(err)
		}
		e.EntryUUID = id
		return e
	}
	complete := read("complete.xml")
	later := bytes.Replace(complete, []byte(`<effectiveTime value="20240312143015+0100"/>`), []byte(`<effectiveTime value="20240312153015+0100"/>`), 1)
	pdf := entry("Document05", "complete.xml")
	pdf.MimeType = "application/pdf"
	m := &xds.Metadata{Items: []xds.Item{
		entry("Document01", "complete.xml"), entry("Document02", "complete.xml"), entry("Document03", "complete.xml"),
		entry("Document04", "complete.xml"), pdf, entry("Document06", "unknown.xml"),
	}}
	docs := []document{
		{id: "Document01", content: complete},
		{id: "Document02", content: later},
		{id: "Document03", content: []byte(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>`)},
		{id: "Document04", content: []byte("<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n  <id root='1'></code>")},
		{id: "Document05", content: later},
		{id: "Document06", content: read("unknown.xml")},
		{id: "Document07", content: later},
		{id: "Document01", content: nil}, // an unresolved xop:Include
	}
	c := &capture{file: "t.xml"}
	x := &exchange{c: c, root: &sink{c: c}}
	x.checkCDA(m, docs)
	var got []string
	for _, f := range x.root.out {
		got = append(got, f.Position()+" "+f.Rule)
		if f.Layer != LayerCDA || f.Message == "" {
			t.Errorf("finding %v", f)
		}
	}
	want := []string{
		"t.xml line 13 col 3 document Document02 /ClinicalDocument/effectiveTime cda.creation-time-mismatch",
		"t.xml line 2 col 16 document Document04 cda.unreadable",
		"t.xml line 15 col 3 document Document06 /ClinicalDocument/{urn:example:extension}routingHint cda.unmapped",
		"t.xml line 36 col 3 document Document06 /ClinicalDocument/reviewNote cda.unmapped",
		"t.xml line 37 col 3 document Document06 /ClinicalDocument/relatedDocument cda.unmapped",
		"t.xml line 19 col 7 document Document06 /ClinicalDocument/recordTarget/patientRole/addr cda.unmapped",
		"t.xml line 31 col 7 document Document06 /ClinicalDocument/author/assignedAuthor/assignedAuthoringDevice cda.unmapped",
		"t.xml line 30 col 7 document Document06 /ClinicalDocument/author/assignedAuthor/telecom cda.unmapped",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range cda.Codes() {
		if !known("cda." + r.Code + "-mismatch") {
			t.Errorf("no rule for the mismatch code %s", r.Code)
		}
	}
}

// TestKitTD21CDA: with its document id fixed (docs/kit-defects.md#document-ids),
// the kit's TD2.1 capture pairs its CDA with its DocumentEntry, which
// disagrees with it on the attributes docs/kit-defects.md#td21-metadata-and-its-cda
// lists, and on nothing else.
func TestKitTD21CDA(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testenv.Kit(t), filepath.FromSlash(kitMessages), "TD2.1_Alimentation_requete.xml"))
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(data), `<ns4:Document id="documentME2">`, `<ns4:Document id="DocumentME2">`, 1)
	if fixed == string(data) {
		t.Fatal("the TD2.1 capture is not the one this test knows")
	}
	var got []string
	for _, f := range Check("TD2.1", []byte(fixed), Options{}).Findings {
		if f.Layer == LayerCDA {
			got = append(got, f.Position()+" "+f.Rule)
		}
	}
	const part = " part <WS_DMP_TD2.1-DocumentME2.xml> /ClinicalDocument/"
	want := []string{
		"TD2.1:424:5" + part + "recordTarget/patientRole/patient/birthTime cda.source-patient-info-mismatch",
		"TD2.1:452:3" + part + "legalAuthenticator/assignedEntity cda.legal-authenticator-mismatch",
		"TD2.1:409:2" + part + "effectiveTime cda.creation-time-mismatch",
		"TD2.1:467:5" + part + "documentationOf/serviceEvent/effectiveTime/low cda.service-start-time-mismatch",
		"TD2.1:464:3" + part + "documentationOf/serviceEvent cda.service-stop-time-mismatch",
		"TD2.1:406:2" + part + "id cda.unique-id-mismatch",
		"TD2.1:465:4" + part + "documentationOf/serviceEvent/code cda.event-code-mismatch",
		"TD2.1:478:6" + part + "componentOf/encompassingEncounter/location/healthCareFacility/code cda.healthcare-facility-type-code-mismatch",
		"TD2.1:408:2" + part + "title cda.title-mismatch",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRulesInSchema: the rule pattern and the layer enum of vet/schema.json
// accept every rule of Rules, the cda layer's included.
func TestRulesInSchema(t *testing.T) {
	data, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	pat := regexp.MustCompile(`"rule": \{[^}]*"pattern": "([^"]+)"`).FindStringSubmatch(s)
	layers := regexp.MustCompile(`"layer": \{"enum": \[([^\]]+)\]`).FindStringSubmatch(s)
	if pat == nil || layers == nil {
		t.Fatal("schema.json: no rule pattern or layer enum")
	}
	re := regexp.MustCompile(strings.ReplaceAll(pat[1], `\\`, `\`))
	for _, r := range Rules() {
		if !re.MatchString(r.ID) || !strings.Contains(layers[1], `"`+string(r.Layer)+`"`) {
			t.Errorf("rule %s (layer %s) is refused by vet/schema.json", r.ID, r.Layer)
		}
	}
}
