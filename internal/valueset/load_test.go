package valueset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

// write creates the files in a temp dir and returns their paths in order.
func write(t *testing.T, files ...[2]string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, f[0])
		if err := os.WriteFile(p, []byte(f[1]), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

const synthSVS = `<?xml version="1.0" encoding="UTF-8"?>
<RetrieveValueSetResponse xmlns="urn:ihe:iti:svs:2008">
  <ValueSet id="1.2.3.4.5.1" displayName="JDV_X01_Couleurs_TEST.tabs" dateMaj="20250101120000"
            description="Couleurs de test" urlFichier="https://mos.esante.gouv.fr/NOS/JDV_X01-Couleurs-TEST">
    <ConceptList>
      <Concept code="R" codeSystem="1.2.3.9.1" displayName="Rouge"/>
      <Concept code="V" codeSystem="1.2.3.9.1" displayName="Vert" dateFin="20240101000000"/>
      <Concept code="R" codeSystem="1.2.3.9.2" displayName="Rose (autre système)"/>
      <Concept code="a-b" codeSystem="1.2.3.9.1" displayName="tiret"/>
      <Concept code="a_b" codeSystem="1.2.3.9.1" displayName="souligné"/>
    </ConceptList>
  </ValueSet>
</RetrieveValueSetResponse>
`

const synthFHIR = `{
  "resourceType": "ValueSet",
  "url": "https://mos.esante.gouv.fr/NOS/JDV_X02-Formes-TEST/FHIR/JDV-X02-Formes-TEST",
  "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:oid:1.2.3.4.5.2"}],
  "version": "2.0.0",
  "date": "2025-06-01",
  "status": "active",
  "title": "Formes de test",
  "compose": {"include": [
    {"system": "https://example.org/CodeSystem/formes", "concept": [{"code": "C", "display": "Carré"}, {"code": "O", "display": "Ovale"}]},
    {"system": "urn:oid:1.2.3.9.3", "concept": [{"code": "T"}]},
    {"system": "https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument", "concept": [{"code": "10", "display": "Compte rendu"}]}
  ]}
}
`

const synthCodeSystem = `{"resourceType": "CodeSystem", "url": "https://example.org/CodeSystem/formes",
 "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:oid:1.2.3.9.4"}], "name": "Formes"}`

// TestNewFilesWithoutCodeChanges loads a new SVS file, a new FHIR ValueSet
// and the CodeSystem that resolves its URL, and emits them.
func TestNewFilesWithoutCodeChanges(t *testing.T) {
	paths := write(t, [2]string{"x01.xml", synthSVS}, [2]string{"x02.json", synthFHIR}, [2]string{"cs.json", synthCodeSystem})
	sets, err := Load(paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 2 || sets[0].Name != "JDV_X01-Couleurs-TEST" || sets[1].Name != "JDV_X02-Formes-TEST" {
		t.Fatalf("sets: %+v", sets)
	}
	x2 := sets[1]
	if x2.Concepts[0].CodeSystem != "1.2.3.9.4" || x2.Concepts[2].CodeSystem != "1.2.3.9.3" ||
		x2.Concepts[3].CodeSystem != "1.2.250.1.213.1.1.4.1" || x2.Concepts[3].CodeSystemName != "TRE_A03-ClasseDocument" {
		t.Fatalf("code systems: %+v", x2.Concepts)
	}
	out, err := Emit(sets, "synth", EmitOptions{Root: filepath.Dir(paths[0]), Sources: paths})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, out)
	x01 := string(out["jdv_x01_couleurs_test_1_2_3_4_5_1.go"])
	for _, want := range []string{
		"// source: x01.xml\n",                            // the name ends in _test: the OID is appended
		"X01CouleursTEST_R_1_2_3_9_1 X01CouleursTEST = 1", // "R" in two systems: both tagged
		"X01CouleursTEST_R_1_2_3_9_2 X01CouleursTEST = 3",
		"X01CouleursTEST_a_b_1_2_3_9_1 X01CouleursTEST = 4", // same system: "a-b" < "a_b" keeps no number
		"X01CouleursTEST_a_b_1_2_3_9_1_2 X01CouleursTEST = 5",
		"// Deprecated: the concept ended on 2024-01-01.",
		`EndDate: "2024-01-01"`,
	} {
		if !strings.Contains(x01, want) {
			t.Errorf("x01 lacks %q", want)
		}
	}
	reg := string(out[RegistryFile])
	for _, want := range []string{"// source: cs.json\n", "// source: x01.xml\n", "// source: x02.json\n", `case "1.2.3.4.5.2":`, "package synth"} {
		if !strings.Contains(reg, want) {
			t.Errorf("registry lacks %q", want)
		}
	}
}

// golden compares out with testdata/valueset/golden (-update rewrites it).
func golden(t *testing.T, out map[string][]byte) {
	t.Helper()
	dir := filepath.Join(testenv.RepoRoot(), "testdata", "valueset", "golden")
	if *update {
		os.RemoveAll(dir)
		os.MkdirAll(dir, 0o755)
		for n, b := range out {
			if err := os.WriteFile(filepath.Join(dir, n+".golden"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(out) {
		t.Fatalf("%d golden files, %d generated (go test -update)", len(entries), len(out))
	}
	for n, b := range out {
		want, err := os.ReadFile(filepath.Join(dir, n+".golden"))
		if err != nil || string(want) != string(b) {
			t.Errorf("%s differs from its golden file (go test -update): %v", n, err)
		}
	}
}

func TestPrecedence(t *testing.T) {
	older := strings.Replace(synthSVS, `id="1.2.3.4.5.1"`, `id="1.2.3.4.5.2"`, 1) // dateMaj 2025-01-01
	paths := write(t, [2]string{"old.xml", older}, [2]string{"new.json", synthFHIR}, [2]string{"cs.json", synthCodeSystem})
	sets, err := Load(paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 1 || sets[0].Format != FormatFHIRValueSet || len(sets[0].Superseded) != 1 || sets[0].Superseded[0].Source != paths[0] {
		t.Fatalf("%+v", sets)
	}
	out, err := Emit(sets, "p", EmitOptions{Root: filepath.Dir(paths[0])})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out["jdv_x02_formes_test_1_2_3_4_5_2.go"]), "supersedes the older old.xml (svs, 2025-01-01)") {
		t.Fatal("superseded file not named")
	}
	// Same date: no rule can decide.
	same := strings.Replace(older, `dateMaj="20250101120000"`, `revisionDate="2025-06-01T00:00:00Z"`, 1)
	paths = write(t, [2]string{"old.xml", same}, [2]string{"new.json", strings.Replace(synthFHIR, `"2025-06-01"`, `"2025-06-01T00:00:00Z"`, 1)}, [2]string{"cs.json", synthCodeSystem})
	if _, err := Load(paths); err == nil || !strings.Contains(err.Error(), "cannot decide") {
		t.Fatalf("tie: %v", err)
	}
}

// TestLoadErrors checks that every problem is reported, positioned.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, file, content string
		want                []string // "line:col: message fragment"
	}{
		{"json syntax", "a.json", "{\n  \"resourceType\": \"ValueSet\",\n  \"url\": ,\n}", []string{"3:10: invalid JSON"}},
		{"json truncated", "a.json", "{\"resourceType\": \"ValueSet\"", []string{"1:28: invalid JSON: unexpected end of file"}},
		{"duplicate key", "a.json", "{\"resourceType\": \"ValueSet\",\n \"url\": \"a\", \"url\": \"b\"}", []string{`2:14: duplicate key "url"`}},
		{"not fhir", "a.json", `{"a": 1}`, []string{"1:1: JSON without resourceType"}},
		{"other resource", "a.json", `{"resourceType": "Patient"}`, []string{"1:18: FHIR resourceType Patient"}},
		{"unknown format", "a.txt", "\n\n  hello", []string{"3:3: unknown format"}},
		{"fhir problems", "a.json", `{"resourceType": "ValueSet", "url": "https://x/NOS/JDV_Y/FHIR/Y",
 "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:oid:1.02"}],
 "date": "yesterday",
 "compose": {"include": [
   {"system": "https://unknown.example/cs", "concept": [{"code": "a"}]},
   {"system": "urn:oid:1.2.3", "concept": [{"display": "no code"}, {"code": 7}]},
   {"system": "urn:oid:1.2.3"},
   {"valueSet": ["x"], "system": "urn:oid:1.2.3", "concept": [{"code": "b"}]}
 ], "exclude": []}}`, []string{
			"2:58: ValueSet identifier: INVALID_OID",
			`3:10: date "yesterday"`,
			`5:15: unknown code system "https://unknown.example/cs"`,
			"6:44: concept has no code",
			"6:77: code: want a string, got a number",
			"6:68: concept has no code",
			"7:4: compose.include of urn:oid:1.2.3 has no concept list",
			"8:17: compose.include.valueSet is not supported",
			"9:16: compose.exclude is not supported",
		}},
		{"fhir no oid", "a.json", `{"resourceType": "ValueSet", "name": "N", "compose": {"include": [{"system": "urn:oid:1.2", "concept": [{"code": "a"}]}]}}`,
			[]string{"1:1: ValueSet has no identifier"}},
		{"svs problems", "a.xml", `<RetrieveValueSetResponse xmlns="urn:ihe:iti:svs:2008">
 <ValueSet id="1.2.3" displayName="JDV_Z" dateMaj="2025">
  <ConceptList>
   <Concept codeSystem="1.2"/>
   <Concept code="b"/>
   <Concept code="c" codeSystem="1.2" foo="bar"/>
   <Concept code="d" codeSystem="1.2"/>
   <Concept code="d" codeSystem="1.2"/>
   <Other/>
  </ConceptList>
 </ValueSet>
</RetrieveValueSetResponse>`, []string{
			`2:43: ValueSet dateMaj "2025"`,
			"4:4: Concept has no code",
			`5:4: Concept "b" has no codeSystem`,
			`6:39: Concept "c": unknown attribute foo`,
			"8:4: concept d of code system 1.2 is listed twice",
			"9:4: unexpected element Other in ConceptList",
		}},
		{"svs not svs", "a.xml", `<foo/>`, []string{"1:1: root element {}foo is not in the SVS namespace"}},
		{"svs bad xml", "a.xml", "<RetrieveValueSetResponse xmlns=\"urn:ihe:iti:svs:2008\">\n<ValueSet>", []string{"2: invalid XML", "2:1: ValueSet has neither urlFichier", "2:1: ValueSet has no id"}},
		{"svs empty", "a.xml", `<RetrieveValueSetResponse xmlns="urn:ihe:iti:svs:2008"><ValueSet id="1.2" displayName="N"><ConceptList/></ValueSet></RetrieveValueSetResponse>`,
			[]string{"1:56: value set 1.2 has no concepts"}},
	}
	for _, tt := range tests {
		paths := write(t, [2]string{tt.file, tt.content})
		_, err := Load(paths)
		l, ok := err.(diag.List)
		if !ok {
			t.Errorf("%s: err = %v, want diag.List", tt.name, err)
			continue
		}
		got := l.Rel(filepath.Dir(paths[0])).Error()
		for _, w := range tt.want {
			if !strings.Contains(got, tt.file+":"+w) {
				t.Errorf("%s: missing %q in\n%s", tt.name, tt.file+":"+w, got)
			}
		}
		if len(l) != len(tt.want) {
			t.Errorf("%s: %d errors, want %d:\n%s", tt.name, len(l), len(tt.want), got)
		}
	}
	_, err := Load([]string{"/nonexistent/x.xml"})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/x.xml") {
		t.Errorf("missing file: %v", err)
	}
}
