package vet

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// writeRecording writes a recording of two TD3.1 exchanges, the second
// answered with an XDS Failure, as dmpgen-testdmp -record lays it out.
func writeRecording(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	req := requestEnvelope(t, nil)
	ok := readTestdata(t, "td31-response.http")
	failed := strings.Replace(ok, "ResponseStatusType:Success", "ResponseStatusType:Failure", 1)
	files := map[string]string{
		"0001-TD3.1-request.http": req, "0001-TD3.1-response.http": ok,
		"0002-TD3.1-request.http": req, "0002-TD3.1-response.http": failed,
		RecordIndex: `{"seq":1,"start":"2026-11-24T09:00:00Z","td":"TD3.1","transaction":"Recherche de documents (ITI-18)","action":"urn:ihe:iti:2007:RegistryStoredQuery","messageID":"urn:uuid:1","status":200,"request":"0001-TD3.1-request.http","response":"0001-TD3.1-response.http"}
{"seq":2,"start":"2026-11-24T09:00:01Z","td":"TD3.1","transaction":"Recherche de documents (ITI-18)","action":"urn:ihe:iti:2007:RegistryStoredQuery","messageID":"urn:uuid:2","status":200,"request":"0002-TD3.1-request.http","response":"0002-TD3.1-response.http","responseTruncated":true}
`,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRecording: the evidence pack pairs the frames, lists the Failure as
// a refusal, TD3.1 as covered and the other TDs as missing, and its JSON
// matches vet/schema.json, which refuses an unknown outcome.
func TestRecording(t *testing.T) {
	dir := writeRecording(t)
	r, err := Recording(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ev := r.Evidence
	if len(r.Exchanges) != 4 || len(ev.Exchanges) != 2 {
		t.Fatalf("%d captures, %d exchanges", len(r.Exchanges), len(ev.Exchanges))
	}
	if e := ev.Exchanges[0]; e.Outcome != "success" || e.TD != "TD3.1" || e.Truncated || filepath.Base(e.Response) != "0001-TD3.1-response.http" {
		t.Errorf("exchange 1: %+v", e)
	}
	if len(ev.Refusals) != 1 || ev.Refusals[0].Seq != 2 || ev.Refusals[0].Outcome != "Failure" || !ev.Refusals[0].Truncated {
		t.Errorf("refusals: %+v", ev.Refusals)
	}
	if len(ev.Covered) != 1 || ev.Covered[0] != (Coverage{TD: "TD3.1", Transaction: "Recherche de documents", Exchanges: 2, Succeeded: 1, Refusals: 1}) {
		t.Errorf("covered: %+v", ev.Covered)
	}
	missing := strings.Join(ev.Missing, ", ")
	if missing != "TD0.2, Création du DMP, TD0.3, TD1.6, TD2.1, TD3.2, TD3.3a, TD3.3d, TD3.3c" {
		t.Errorf("missing: %s", missing)
	}
	if len(ev.Flow) != len(CompatibilityFlow()) {
		t.Fatalf("flow: %+v", ev.Flow)
	}
	for _, f := range ev.Flow {
		if want := f.TD == "TD3.1"; f.Covered != want || f.Succeeded != want {
			t.Errorf("flow step %+v: want covered and succeeded %v", f, want)
		}
	}
	if f := ev.Flow[1]; f.TD != "" || f.Transaction != "Création du DMP (no TD number)" {
		t.Errorf("flow step 2 is %+v, want the creation", f)
	}
	var text bytes.Buffer
	if err := Write(&text, r, "text"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Transactions covered:\n  TD3.1 Recherche de documents: 2 exchanges, 1 succeeded, 1 refused", "0002 TD3.1: Failure",
		"  TD3.1   covered     succeeded     Recherche de documents\n", "  TD3.2   not covered not succeeded Consultation", "Missing for a complete run: TD0.2, Création du DMP, TD0.3"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text evidence pack lacks %q:\n%s", want, text.String())
		}
	}

	var buf bytes.Buffer
	if err := Write(&buf, r, "json"); err != nil {
		t.Fatal(err)
	}
	schemaData, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaData))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, json string
		valid      bool
	}{
		{"report", buf.String(), true},
		{"unknown outcome", strings.Replace(buf.String(), `"outcome": "Failure"`, `"outcome": "refused"`, 1), false},
		{"missing not a TD", strings.Replace(buf.String(), `"missing": [`, `"missing": ["0.2",`, 1), false},
		{"coverage without succeeded", strings.Replace(buf.String(), `"succeeded": 1,`, ``, 1), false},
		{"flow step without its marks", strings.Replace(buf.String(), `"covered": false,`, ``, 1), false},
		{"rejected outcome", strings.Replace(buf.String(), `"outcome": "Failure"`, `"outcome": "rejected"`, 1), true},
	} {
		if tt.json == buf.String() && tt.name != "report" {
			t.Fatalf("%s: the edit did not apply", tt.name)
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(tt.json))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); (err == nil) != tt.valid {
			t.Errorf("%s: valid %v, want %v: %v", tt.name, err == nil, tt.valid, err)
		}
	}
}

// TestRecordingErrors: a directory without an index, a broken index line
// and a file name leaving the directory are errors saying where.
func TestRecordingErrors(t *testing.T) {
	if _, err := Recording(t.TempDir(), Options{}); err == nil || !strings.Contains(err.Error(), "not a recording") {
		t.Errorf("no index: %v", err)
	}
	for _, tt := range []struct{ index, want string }{
		{"\n{broken\n", "index.jsonl:2"},
		{"{\"seq\":1}\n", "index.jsonl:1: file name \"\""},
		{`{"seq":1,"request":"../x","response":"y"}` + "\n", "not a file of the recording"},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, RecordIndex), []byte(tt.index), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Recording(dir, Options{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %q", tt.index, err, tt.want)
		}
	}
}

// TestHTMLEvidence: the HTML report of a recording is XHTML with the
// evidence sections, one row per exchange and transaction covered, one
// item per refusal and per missing TD.
func TestHTMLEvidence(t *testing.T) {
	r, err := Recording(writeRecording(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r, "html"); err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(&buf)
	ids, classes := map[string]bool{}, map[string]int{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the HTML evidence pack is not well-formed XHTML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "id":
					ids[a.Value] = true
				case "class":
					classes[a.Value]++
				}
			}
		}
	}
	for _, id := range []string{"evidence", "flow", "exchanges", "coverage", "refusals", "missing"} {
		if !ids[id] {
			t.Errorf("no section %q", id)
		}
	}
	ev := r.Evidence
	want := map[string]int{"recorded": len(ev.Exchanges), "covered": len(ev.Covered), "flow": len(ev.Flow), "refusal": len(ev.Refusals), "missing": len(ev.Missing), "exchange": len(r.Exchanges),
		"yes": 2, "no": 2 * (len(ev.Flow) - 1)}
	for class, n := range want {
		if classes[class] != n {
			t.Errorf("%d elements of class %q, want %d", classes[class], class, n)
		}
	}
}

// TestOutcomeOf: the refusals of each kind of response and their codes;
// an HL7 v3 acceptance, a query finding no data (NF) and DMPOk are
// successes.
func TestOutcomeOf(t *testing.T) {
	env := func(body string) []byte {
		return []byte(`<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>` + body + `</soap:Body></soap:Envelope>`)
	}
	const hl7 = `xmlns="urn:hl7-org:v3"`
	for _, tt := range []struct {
		name, body, kind, codes, reason string
	}{
		{"habilitations refusal", `<h:setAuthorizationResponse xmlns:h="urn:si-dmp-habilitations"><h:status>DMPPatientNotFound</h:status><h:context>no dossier</h:context></h:setAuthorizationResponse>`, "rejected", "DMPPatientNotFound", "no dossier"},
		{"habilitations success", `<h:setAuthorizationResponse xmlns:h="urn:si-dmp-habilitations"><h:status>DMPOk</h:status></h:setAuthorizationResponse>`, "", "", ""},
		{"HL7 AE", `<PRPA_IN201308UV02 ` + hl7 + `><acknowledgement typeCode="AE"><acknowledgementDetail typeCode="E"><code code="DMPAccessDenied"/><text>not authorized</text></acknowledgementDetail></acknowledgement><controlActProcess><queryAck><queryResponseCode code="AE"/></queryAck></controlActProcess></PRPA_IN201308UV02>`, "rejected", "DMPAccessDenied", "not authorized"},
		{"HL7 QE without detail", `<PRPA_IN201308UV02 ` + hl7 + `><acknowledgement typeCode="AA"/><controlActProcess><queryAck><queryResponseCode code="QE"/></queryAck></controlActProcess></PRPA_IN201308UV02>`, "rejected", "QE", ""},
		{"HL7 no data found", `<PRPA_IN201308UV02 ` + hl7 + `><acknowledgement typeCode="AA"/><controlActProcess><queryAck><queryResponseCode code="NF"/></queryAck></controlActProcess></PRPA_IN201308UV02>`, "", "", ""},
		{"XDS failure", `<rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"><rs:RegistryErrorList><rs:RegistryError errorCode="XDSDocumentUniqueIdError" codeContext="unknown" severity="x"/><rs:RegistryError errorCode="XDSRegistryError" codeContext="second" severity="x"/></rs:RegistryErrorList></rs:RegistryResponse>`, "Failure", "XDSDocumentUniqueIdError XDSRegistryError", "unknown"},
		{"GDP creation refused", `<g:PRPA_IN201311UV02_Response xmlns:g="asip:ci-sis:gdp:2010"><PRPA_IN201313UV02 ` + hl7 + `><acknowledgement typeCode="AE"><acknowledgementDetail><code code="DMPPatientAlreadyExists"/></acknowledgementDetail></acknowledgement></PRPA_IN201313UV02></g:PRPA_IN201311UV02_Response>`, "rejected", "DMPPatientAlreadyExists", ""},
	} {
		r := outcomeOf(tt.name+".xml", env(tt.body))
		if r.kind != tt.kind || strings.Join(r.codes, " ") != tt.codes || r.reason != tt.reason {
			t.Errorf("%s: %+v, want kind %q codes %q reason %q", tt.name, r, tt.kind, tt.codes, tt.reason)
		}
	}
}
