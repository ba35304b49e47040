package devserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/testdmp/devpki"
	"github.com/dmpgen/dmpgen/vet"
)

var recAuthor = xds.Author{
	Person:       devpki.NationalID + "^LIBRE^MAX^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS",
	Institutions: []string{"CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001"},
	Specialties:  []string{"G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5"},
}

func recSubmission() dmp.Submission {
	return dmp.Submission{
		Title: "Note de consultation", Authors: []xds.Author{recAuthor}, SourceID: "1.2.250.1.213.1.1.9",
		ContentType: xds.Code{Code: "04", Scheme: "1.2.250.1.213.2.2", Display: "Hospitalisation de jour"},
	}
}

func recPublication(patient hl7v2.CX, doc []byte) dmp.Publication {
	return dmp.Publication{
		Patient: patient, Submission: recSubmission(),
		Documents: []dmp.PublishDocument{{Content: bytes.NewReader(doc), Entry: xds.DocumentEntry{
			Base:     xds.Base{EntryUUID: "urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e", Title: xds.NewText("Note de consultation")},
			UniqueID: "1.2.250.1.213.1.1.9.1.42", MimeType: "text/xml", LanguageCode: "fr-FR",
			CreationTime: "20261124090000", SourcePatientID: patient.Format(), Authors: []xds.Author{recAuthor},
			ClassCode:                  xds.Code{Code: "10", Scheme: "1.2.250.1.213.1.1.4.1", Display: "Compte rendu"},
			TypeCode:                   xds.Code{Code: "11488-4", Scheme: "2.16.840.1.113883.6.1", Display: "Note de consultation"},
			FormatCode:                 xds.Code{Code: "urn:ihe:iti:xds-sd:text:2008", Scheme: "1.3.6.1.4.1.19376.1.2.3", Display: "Document à corps non structuré en texte"},
			HealthcareFacilityTypeCode: xds.Code{Code: "SA07", Scheme: "1.2.250.1.71.4.2.4", Display: "Cabinet individuel"},
			PracticeSettingCode:        xds.Code{Code: "ETABLISSEMENT", Scheme: "1.2.250.1.213.1.1.4.9", Display: "Etablissement de santé"},
			ConfidentialityCodes:       []xds.Code{{Code: "N", Scheme: "2.16.840.1.113883.5.25", Display: "Normal"}},
		}}},
	}
}

// recCDA is the document of recPublication: its header carries the same
// metadata (vet compares them).
const recCDA = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3"><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
<id root="1.2.250.1.213.1.1.9.1.42"/><code code="11488-4" codeSystem="2.16.840.1.113883.6.1" displayName="Note de consultation"/>
<title>Note de consultation</title><effectiveTime value="20261124100000+0100"/>
<confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25" displayName="Normal"/><languageCode code="fr-FR"/>
<recordTarget><patientRole><id root="1.2.250.1.213.1.4.10" extension="207058575627097"/></patientRole></recordTarget>
<author><time value="20261124100000+0100"/><assignedAuthor><id root="1.2.250.1.71.4.2.1" extension="899900063480"/>
<code code="G15_10/SM26" codeSystem="1.2.250.1.213.1.1.4.5" displayName="Médecin - Qualifié en Médecine Générale (SM)"/>
<assignedPerson><name><given>MAX</given><family>LIBRE</family></name></assignedPerson>
<representedOrganization><id root="1.2.250.1.71.4.2.2" extension="499900063480001"/><name>CABINET DR LIBRE</name></representedOrganization>
</assignedAuthor></author>
<custodian><assignedCustodian><representedCustodianOrganization><id root="1.2.250.1.213.4.1" extension="DMP"/>
</representedCustodianOrganization></assignedCustodian></custodian></ClinicalDocument>
`

// TestRecordAndVet: a publish → find → retrieve flow and a refused request
// through dmp.Client are recorded, and vet's evidence pack of the
// recording has no error finding on the successful exchanges, lists the
// refusal and the TDs exercised and missing.
func TestRecordAndVet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "rec")
	s, _ := start(t, Config{Record: dir})
	ctx := context.Background()
	c := dmp.New(s.Endpoints(), s.HTTPClient(), s.Provider(defaultClaims), dmp.Options{Sender: dmp.Device{Root: "1.2.250.1.213.1.1.9", Name: "DMPGEN TEST"}})
	doc := []byte(recCDA)
	if _, err := c.Publish(ctx, recPublication(ExamplePatient(), doc)); err != nil {
		t.Fatalf("TD2.1: %v", err)
	}
	found, err := c.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: ExamplePatient()})
	if err != nil || len(found.Documents()) != 1 {
		t.Fatalf("TD3.1: %v (%d documents)", err, len(found.Documents()))
	}
	var got []byte
	err = c.Retrieve(ctx, []dmp.DocumentRef{dmp.RefOf(found.Documents()[0])}, func(_ dmp.RetrievedDocument, r io.Reader) error {
		got, err = io.ReadAll(r)
		return err
	})
	if err != nil || !bytes.Equal(got, doc) {
		t.Fatalf("TD3.2: %v (%q)", err, got)
	}
	// A refusal: a TD3.1 sent to the GDP service.
	ep := s.Endpoints()
	ep.Registry = ep.GDP
	bad := dmp.New(ep, s.HTTPClient(), s.Provider(defaultClaims), dmp.Options{Sender: dmp.Device{Root: "1.2.250.1.213.1.1.9", Name: "DMPGEN TEST"}})
	if _, err := bad.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: ExamplePatient()}); err == nil {
		t.Fatal("TD3.1 sent to the GDP service was accepted")
	}
	// Not an exchange: not recorded.
	if resp, err := s.HTTPClient().Get(s.URL + "/registry?wsdl"); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		if fi, _ := e.Info(); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", e.Name(), fi.Mode().Perm())
		}
	}
	want := []string{"0001-TD2.1-request.http", "0001-TD2.1-response.http", "0002-TD3.1-request.http", "0002-TD3.1-response.http",
		"0003-TD3.2-request.http", "0003-TD3.2-response.http", "0004-TD3.1-request.http", "0004-TD3.1-response.http", RecordIndex}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("recording files:\n%s\nwant\n%s", strings.Join(names, " "), strings.Join(want, " "))
	}
	idx := readIndex(t, dir)
	if len(idx) != 4 || idx[0].Action == "" || idx[0].MessageID == "" || idx[0].Status != 200 || idx[3].Fault == "" || idx[3].Status != 400 && idx[3].Status != 500 {
		t.Errorf("index: %+v", idx)
	}
	req, _ := os.ReadFile(filepath.Join(dir, want[0]))
	if !bytes.HasPrefix(req, []byte("POST /repository HTTP/1.1\r\n")) || !bytes.Contains(req, doc) {
		t.Errorf("TD2.1 request dump does not start with its request line or lacks the document:\n%.300s", req)
	}

	r, err := vet.Recording(dir, vet.Options{Trust: s.PKI.Pool})
	if err != nil {
		t.Fatal(err)
	}
	ev := r.Evidence
	for _, e := range ev.Exchanges {
		if e.Outcome == "success" && e.Errors > 0 {
			t.Errorf("exchange %d (%s) has %d error findings", e.Seq, e.TD, e.Errors)
		}
		if e.Truncated {
			t.Errorf("exchange %d (%s) is recorded truncated or incomplete", e.Seq, e.TD)
		}
	}
	for _, x := range r.Exchanges {
		for _, f := range x.Findings {
			if f.Severity == vet.Error && !strings.HasPrefix(filepath.Base(x.File), "0004") {
				t.Errorf("%s", f)
			}
			if f.Rule == "vihf.time-unchecked" {
				t.Errorf("the recording's time was not used: %s", f)
			}
		}
	}
	if len(ev.Refusals) != 1 || ev.Refusals[0].Seq != 4 || !strings.HasPrefix(ev.Refusals[0].Outcome, "fault ") {
		t.Errorf("refusals: %+v", ev.Refusals)
	}
	var covered []string
	for _, c := range ev.Covered {
		covered = append(covered, c.TD)
	}
	if strings.Join(covered, " ") != "TD2.1 TD3.1 TD3.2" {
		t.Errorf("covered %v, want TD2.1 TD3.1 TD3.2", covered)
	}
	missing := strings.Join(ev.Missing, " ")
	for _, td := range []string{"TD0.2", "TD0.3", "TD3.3c"} {
		if !strings.Contains(missing, td) {
			t.Errorf("missing %q lacks %s", missing, td)
		}
	}
	for _, td := range covered {
		if strings.Contains(" "+missing+" ", " "+td+" ") {
			t.Errorf("missing %q lists the covered %s", missing, td)
		}
	}

	// The HTML evidence pack is XHTML with its sections.
	var buf bytes.Buffer
	if err := vet.Write(&buf, r, "html"); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	d := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	d.Strict = true
	d.Entity = map[string]string{}
	refusals := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the HTML evidence pack is not XHTML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == "id" {
					ids[a.Value] = true
				}
				if a.Name.Local == "class" && a.Value == "refusal" {
					refusals++
				}
			}
		}
	}
	for _, id := range []string{"evidence", "exchanges", "coverage", "refusals", "missing", "summary"} {
		if !ids[id] {
			t.Errorf("the HTML evidence pack has no section %q", id)
		}
	}
	if refusals != 1 {
		t.Errorf("the HTML evidence pack lists %d refusals, want 1", refusals)
	}
}

func readIndex(t *testing.T, dir string) []RecordEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, RecordIndex))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []RecordEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e RecordEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// discard reads the request body to its end and answers a small body.
var discard = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	n, _ := io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, strings.Repeat("x", int(n%1000)))
})

// TestRecordMemoryBounded: a 256 MiB upload is recorded to its file
// without the heap growing with it.
func TestRecordMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 256 MiB over loopback (-short)")
	}
	dir := t.TempDir()
	rec, err := newRecorder(dir, 0, nil, discard)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.close()
	ts := httptest.NewServer(rec)
	defer ts.Close()
	const size = 256 << 20
	body := io.MultiReader(strings.NewReader("--b\r\nContent-Type: application/xop+xml\r\n\r\n<x/>\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\n"),
		io.LimitReader(zeros{}, size), strings.NewReader("\r\n--b--\r\n"))
	grown := soaptest.HeapGrowth(func() {
		var resp *http.Response
		if resp, err = http.Post(ts.URL+"/repository", `multipart/related; type="application/xop+xml"; boundary=b`, body); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if grown > 32<<20 {
		t.Errorf("the heap grew by %d MiB while recording a %d MiB upload", grown>>20, size>>20)
	}
	fi, err := os.Stat(filepath.Join(dir, "0001-request.http"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() < size {
		t.Errorf("the request dump holds %d bytes, less than the %d of the upload", fi.Size(), size)
	}
	idx := readIndex(t, dir)
	if len(idx) != 1 || idx[0].RequestBytes < size || idx[0].RequestTruncated || idx[0].RequestIncomplete {
		t.Errorf("index: %+v", idx)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestRecordCap: past RecordMax, the body is cut with the marker, the
// index says so and the exchange is still answered in full.
func TestRecordCap(t *testing.T) {
	dir := t.TempDir()
	rec, err := newRecorder(dir, 1000, nil, discard)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.close()
	ts := httptest.NewServer(rec)
	defer ts.Close()
	resp, err := http.Post(ts.URL+"/registry", "application/soap+xml", strings.NewReader(strings.Repeat("a", 5000)))
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if len(answer) != 0 {
		t.Errorf("answer of %d bytes, want 0 (5000 %% 1000)", len(answer))
	}
	data, err := os.ReadFile(filepath.Join(dir, "0001-request.http"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(data, []byte(strings.Repeat("a", 1000)+TruncatedMarker)) || bytes.Contains(data, []byte(strings.Repeat("a", 1001))) {
		t.Errorf("the capped dump does not end with 1000 bytes and the marker:\n%q", data[max(0, len(data)-200):])
	}
	idx := readIndex(t, dir)
	if len(idx) != 1 || !idx[0].RequestTruncated || idx[0].RequestBytes != 5000 || idx[0].ResponseTruncated {
		t.Errorf("index: %+v", idx)
	}
}
