package vet

import (
	"fmt"
	"strings"
)

// Severity of a finding.
type Severity string

// Severities, from the most to the least serious.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Layer names the part of an exchange a rule checks.
type Layer string

// Layers, in the order they are checked.
const (
	LayerCapture Layer = "capture" // reading the file: HTTP dump, MIME headers
	LayerMTOM    Layer = "mtom"    // MTOM/XOP packaging and attachments
	LayerSOAP    Layer = "soap"    // the SOAP envelope
	LayerWSA     Layer = "wsa"     // WS-Addressing headers
	LayerXSD     Layer = "xsd"     // strict decoding and Validate of the generated bindings
	LayerVIHF    Layer = "vihf"    // the VIHF assertion
	LayerXDS     Layer = "xds"     // IHE XDS metadata and value sets
	LayerXAdES   Layer = "xades"   // the XAdES signature document of TD2.1
	LayerVet     Layer = "vet"     // the checker itself: transaction detection, layers that could not run
)

// Finding is one broken rule, or a note that a layer could not run.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Layer    Layer    `json:"layer"`
	// File, Line and Col position the finding in the capture (Line 0: the
	// file as a whole); Path is an XML path or an object id when the
	// position is not a line.
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
	// Ref is the source of the rule (IHE ITI TF section, W3C, CI-SIS, a
	// page of docs/).
	Ref string `json:"ref"`
}

// Position returns "file:line:col", "file:line" or "file", followed by
// " path" when the finding has a path.
func (f Finding) Position() string {
	var b strings.Builder
	b.WriteString(f.File)
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d", f.Line)
		if f.Col > 0 {
			fmt.Fprintf(&b, ":%d", f.Col)
		}
	}
	if f.Path != "" {
		b.WriteString(" " + f.Path)
	}
	return b.String()
}

// String formats the finding on one line.
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s: %s [%s]", f.Position(), f.Severity, f.Rule, f.Message, f.Ref)
}

// Direction says whether a capture is a request or a response.
type Direction string

// Directions.
const (
	Request  Direction = "request"
	Response Direction = "response"
	Unknown  Direction = "unknown"
)

// Exchange is what vet found in one capture.
type Exchange struct {
	File string `json:"file"`
	// Kind is how the capture was read: "soap", "mtom", "http-request",
	// "http-response".
	Kind      string    `json:"kind"`
	Direction Direction `json:"direction"`
	// TD is the transaction number ("TD3.1"; "TD1.3b|TD1.4" when a response
	// does not tell which), "" when unknown or when the transaction has
	// none (Transaction then names it).
	TD          string    `json:"td"`
	Transaction string    `json:"transaction"`
	Action      string    `json:"action"`
	Body        string    `json:"body"`
	Findings    []Finding `json:"findings"`

	outcome refusal  // of a response in a recording: outcomeOf
	pair    *pairing // what pairs it with its request or response (pair.go)
}

// Count returns the number of findings of severity s.
func (e *Exchange) Count(s Severity) int {
	n := 0
	for _, f := range e.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Report is the result of a run over one or more captures.
type Report struct {
	Exchanges []*Exchange `json:"exchanges"`
	Summary   Summary     `json:"summary"`
	// Evidence is the evidence pack of a recording (Recording), nil for
	// other captures.
	Evidence *Evidence `json:"evidence,omitempty"`
}

// Summary counts exchanges and findings.
type Summary struct {
	Exchanges int `json:"exchanges"`
	Errors    int `json:"errors"`
	Warnings  int `json:"warnings"`
	Infos     int `json:"infos"`
}

// summarize fills r.Summary.
func (r *Report) summarize() {
	r.Summary = Summary{Exchanges: len(r.Exchanges)}
	for _, e := range r.Exchanges {
		r.Summary.Errors += e.Count(Error)
		r.Summary.Warnings += e.Count(Warning)
		r.Summary.Infos += e.Count(Info)
	}
}

// HasErrors reports whether any exchange has a finding of severity error.
func (r *Report) HasErrors() bool { return r.Summary.Errors > 0 }
