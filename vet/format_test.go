package vet

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sampleReport has exchanges without findings and with findings of every
// severity, and characters that need escaping.
func sampleReport(t *testing.T) *Report {
	t.Helper()
	r := &Report{}
	for _, name := range []string{"td31-response.http", "td32-response.mime", "td33-response.xml"} {
		r.Exchanges = append(r.Exchanges, Check(name, []byte(readTestdata(t, name)), Options{}))
	}
	bad := strings.Replace(readTestdata(t, "td32-response.mime"), "--MIMEBoundary_vet--", "--MIMEBoundary_vet\r\nContent-Type: text/plain\r\nContent-ID: <x&y@vet.test>\r\n\r\nextra\r\n--MIMEBoundary_vet--", 1)
	r.Exchanges = append(r.Exchanges, Check("bad<&>.mime", []byte(bad), Options{}))
	r.Exchanges = append(r.Exchanges, Check("request.xml", []byte(requestEnvelope(t, nil)), Options{}))
	r.Exchanges = append(r.Exchanges, Check("garbage.txt", []byte("garbage"), Options{}))
	r.summarize()
	if r.Summary.Errors == 0 || r.Summary.Warnings == 0 || r.Summary.Infos == 0 {
		t.Fatalf("the sample report lacks a severity: %+v", r.Summary)
	}
	return r
}

// TestJSONSchema validates the JSON report against vet/schema.json and
// reads it back.
func TestJSONSchema(t *testing.T) {
	r := sampleReport(t)
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
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("the JSON report does not match vet/schema.json: %v", err)
	}
	// The schema must be able to fail: a finding without a rule is refused.
	broken := strings.Replace(buf.String(), `"rule": "mtom.part-unreferenced"`, `"rules": "x"`, 1)
	inst, err = jsonschema.UnmarshalJSON(strings.NewReader(broken))
	if err != nil {
		t.Fatal(err)
	}
	if sch.Validate(inst) == nil {
		t.Error("the schema accepts a finding without a rule")
	}
	var back Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Summary != r.Summary || len(back.Exchanges) != len(r.Exchanges) || len(back.Exchanges[3].Findings) != len(r.Exchanges[3].Findings) {
		t.Errorf("the JSON report does not read back: %+v", back.Summary)
	}
}

// TestJUnit: one testcase per exchange, a failure for each one with errors.
func TestJUnit(t *testing.T) {
	r := sampleReport(t)
	var buf bytes.Buffer
	if err := Write(&buf, r, "junit"); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	failing := 0
	for _, e := range r.Exchanges {
		if e.Count(Error) > 0 {
			failing++
		}
	}
	if len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != len(r.Exchanges) || doc.Failures != failing || doc.Tests != len(r.Exchanges) {
		t.Fatalf("junit: %d suites, tests %d, failures %d (want %d cases, %d failures)", len(doc.Suites), doc.Tests, doc.Failures, len(r.Exchanges), failing)
	}
	for i, c := range doc.Suites[0].Cases {
		e := r.Exchanges[i]
		if c.Name != e.File || (c.Failure != nil) != (e.Count(Error) > 0) {
			t.Errorf("testcase %d: %s failure=%v for %s with %d errors", i, c.Name, c.Failure != nil, e.File, e.Count(Error))
		}
	}
}

// TestHTML parses the HTML report as XML (it is well-formed XHTML): one
// section per exchange, one row per finding, no external asset.
func TestHTML(t *testing.T) {
	r := sampleReport(t)
	var buf bytes.Buffer
	if err := Write(&buf, r, "html"); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	d := xml.NewDecoder(strings.NewReader(page))
	sections, rows, findings := 0, 0, 0
	for _, e := range r.Exchanges {
		findings += len(e.Findings)
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the HTML report is not well-formed XHTML: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		for _, a := range se.Attr {
			if a.Name.Local == "src" || a.Name.Local == "href" || (se.Name.Local == "link") {
				t.Errorf("external reference <%s %s=%q>", se.Name.Local, a.Name.Local, a.Value)
			}
			if a.Name.Local == "class" && a.Value == "exchange" {
				sections++
			}
			if a.Name.Local == "class" && a.Value == "finding" {
				rows++
			}
		}
	}
	if sections != len(r.Exchanges) || rows != findings {
		t.Errorf("%d sections, %d rows; want %d, %d", sections, rows, len(r.Exchanges), findings)
	}
	if !strings.Contains(page, "bad&lt;&amp;&gt;.mime") {
		t.Error("the file name is not escaped")
	}
}

// TestText: one line per exchange and per finding, then the summary.
func TestText(t *testing.T) {
	r := sampleReport(t)
	var buf bytes.Buffer
	if err := Write(&buf, r, "text"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	want := len(r.Exchanges) + 1
	for _, e := range r.Exchanges {
		want += len(e.Findings)
	}
	if len(lines) != want || !strings.HasPrefix(lines[len(lines)-1], "6 exchanges: ") {
		t.Errorf("%d lines, want %d:\n%s", len(lines), want, buf.String())
	}
	if err := Write(&buf, r, "yaml"); err == nil {
		t.Error("an unknown format is accepted")
	}
}

// TestWriteFile: a report goes to w without a path, else to a file of mode
// 0600 (it quotes health data); an unknown format writes no file.
func TestWriteFile(t *testing.T) {
	r := sampleReport(t)
	var want, got bytes.Buffer
	if err := Write(&want, r, "text"); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(&got, "", r, "text"); err != nil || got.String() != want.String() {
		t.Errorf("to w: %v", err)
	}
	path := filepath.Join(t.TempDir(), "report.txt")
	if err := WriteFile(nil, path, r, "text"); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("report file: %v, mode %v", err, st.Mode())
	}
	if data, _ := os.ReadFile(path); string(data) != want.String() {
		t.Error("the file differs from Write's output")
	}
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := WriteFile(nil, bad, r, "pdf"); err == nil {
		t.Error("format pdf accepted")
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a file was written for an unknown format")
	}
}
