package vet

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"os"
	"strings"
)

// Formats are the report formats of Write.
var formats = []string{"text", "json", "junit", "html"}

// Formats returns the names of the report formats.
func Formats() []string { return append([]string(nil), formats...) }

// WriteFile writes r in format to the file path, or to w when path is "".
// The report is formatted before anything is written, so a format error
// leaves no partial file; a file is created with mode 0600, as a report
// quotes the captured frames and their health data.
func WriteFile(w io.Writer, path string, r *Report, format string) error {
	var buf bytes.Buffer
	if err := Write(&buf, r, format); err != nil {
		return err
	}
	if path == "" {
		_, err := w.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	return nil
}

// Write writes r in format: text, json, junit or html.
func Write(w io.Writer, r *Report, format string) error {
	switch format {
	case "text":
		return writeText(w, r)
	case "json":
		return writeJSON(w, r)
	case "junit":
		return writeJUnit(w, r)
	case "html":
		return writeHTML(w, r)
	}
	return fmt.Errorf("vet: unknown format %q (%s)", format, strings.Join(formats, ", "))
}

func describe(e *Exchange) string {
	td := e.TD
	if td == "" {
		td = "unknown transaction"
	}
	s := fmt.Sprintf("%s %s", td, e.Direction)
	if e.Transaction != "" {
		s += " (" + e.Transaction + ")"
	}
	return s
}

// writeText writes one line per exchange, one per finding, and a summary.
func writeText(w io.Writer, r *Report) error {
	var b strings.Builder
	for _, e := range r.Exchanges {
		fmt.Fprintf(&b, "%s: %s: %d errors, %d warnings, %d infos\n", e.File, describe(e), e.Count(Error), e.Count(Warning), e.Count(Info))
		for _, f := range e.Findings {
			b.WriteString("  " + f.String() + "\n")
		}
	}
	if r.Evidence != nil {
		r.Evidence.writeText(&b)
	}
	s := r.Summary
	fmt.Fprintf(&b, "%d exchanges: %d errors, %d warnings, %d infos\n", s.Exchanges, s.Errors, s.Warnings, s.Infos)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeJSON writes the report as documented by schema.json.
func writeJSON(w io.Writer, r *Report) error {
	out := *r
	out.Exchanges = append([]*Exchange(nil), r.Exchanges...)
	for i, e := range out.Exchanges {
		if e.Findings == nil {
			c := *e
			c.Findings = []Finding{}
			out.Exchanges[i] = &c
		}
	}
	if out.Exchanges == nil {
		out.Exchanges = []*Exchange{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Schema string `json:"$schema"`
		*Report
	}{"https://github.com/dmpgen/dmpgen/vet/schema.json", &out})
}

type junitSuites struct {
	XMLName  xml.Name   `xml:"testsuites"`
	Name     string     `xml:"name,attr"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Suites   []junitSet `xml:"testsuite"`
}

type junitSet struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes one testcase per exchange, failed when it has errors;
// warnings and infos go to system-out.
func writeJUnit(w io.Writer, r *Report) error {
	set := junitSet{Name: "dmpgen vet", Tests: len(r.Exchanges)}
	for _, e := range r.Exchanges {
		c := junitCase{Name: e.File, Classname: "dmpgen.vet." + strings.ReplaceAll(orUnknown(e.TD), ".", "_")}
		var errs, other []string
		for _, f := range e.Findings {
			if f.Severity == Error {
				errs = append(errs, f.String())
			} else {
				other = append(other, f.String())
			}
		}
		if len(errs) > 0 {
			set.Failures++
			c.Failure = &junitFailure{Message: fmt.Sprintf("%d errors: %s", len(errs), describe(e)), Type: "dmpgen.vet", Text: strings.Join(errs, "\n")}
		}
		c.SystemOut = strings.Join(other, "\n")
		set.Cases = append(set.Cases, c)
	}
	doc := junitSuites{Name: "dmpgen vet", Tests: set.Tests, Failures: set.Failures, Suites: []junitSet{set}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func truncNote(t bool) string {
	if t {
		return " (truncated recording)"
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func orUnknown(td string) string {
	if td == "" {
		return "unknown"
	}
	return td
}

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{"describe": describe}).Parse(`<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<title>dmpgen vet: {{.Summary.Exchanges}} exchanges, {{.Summary.Errors}} errors</title>
<style>
body{font-family:sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:2em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;font-size:.9em}
th{background:#eee}
.error{color:#a00;font-weight:bold}.warning{color:#a60}.info{color:#06a}.yes{color:#070}.no{color:#a00}
code{font-size:.9em}
</style>
</head>
<body>
<h1>dmpgen vet</h1>
<p id="summary">{{.Summary.Exchanges}} exchanges: {{.Summary.Errors}} errors, {{.Summary.Warnings}} warnings, {{.Summary.Infos}} infos</p>
{{with .Evidence}}{{template "evidence" .}}
{{end}}{{range .Exchanges}}<section class="exchange">
<h2>{{.File}}</h2>
<p>{{describe .}}{{if .Action}}, wsa:Action <code>{{.Action}}</code>{{end}}{{if .Body}}, body <code>{{.Body}}</code>{{end}}</p>
{{if .Findings}}<table>
<thead><tr><th>severity</th><th>rule</th><th>layer</th><th>position</th><th>message</th><th>source</th></tr></thead>
<tbody>
{{range .Findings}}<tr class="finding"><td class="{{.Severity}}">{{.Severity}}</td><td><code>{{.Rule}}</code></td><td>{{.Layer}}</td><td>{{.Position}}</td><td>{{.Message}}</td><td>{{.Ref}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>No findings.</p>{{end}}
</section>
{{end}}</body>
</html>
` + evidenceHTML))

// writeHTML writes a self-contained XHTML page (no external assets).
func writeHTML(w io.Writer, r *Report) error {
	return htmlReport.Execute(w, r)
}
