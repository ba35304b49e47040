package vet

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// RecordIndex is the index of a recording written by dmpgen-testdmp
// -record (testdmp/devserver): one JSON object per exchange and line.
const RecordIndex = "index.jsonl"

// Evidence is the evidence pack of a recording: each recorded exchange with
// its frames and findings, the transactions covered and succeeded, the
// refusals exercised with the DMP's error codes, the compatibility flow
// and what it misses for a complete run.
type Evidence struct {
	Dir       string          `json:"dir"`
	Exchanges []EvidenceEntry `json:"exchanges"`
	Covered   []Coverage      `json:"covered"`
	// Refusals are the exchanges the DMP refused: SOAP faults, XDS Failure
	// or PartialSuccess responses, HL7 v3 rejections and DMP statuses
	// other than DMPOk, which the software must display.
	Refusals []EvidenceEntry `json:"refusals"`
	// Flow is the compatibility flow (CompatibilityFlow), each transaction
	// marked covered (exchanged at least once) and succeeded (at least
	// once not refused).
	Flow []FlowStep `json:"flow"`
	// Missing are the transactions of the flow that never succeeded: their
	// TD number, or the transaction's name when it has none.
	Missing []string `json:"missing"`
}

// EvidenceEntry is one recorded exchange.
type EvidenceEntry struct {
	Seq         int    `json:"seq"`
	Start       string `json:"start"`
	TD          string `json:"td"`
	Transaction string `json:"transaction"`
	Action      string `json:"action"`
	MessageID   string `json:"messageID"`
	Request     string `json:"request"`
	Response    string `json:"response"`
	Status      int    `json:"status"`
	// Outcome is "success", "fault CODE", the XDS status ("Failure",
	// "PartialSuccess") or "rejected" (an HL7 v3 acknowledgement AE or
	// AR, a queryResponseCode AE or QE, a DMP status other than DMPOk).
	Outcome string `json:"outcome"`
	// Codes are the error codes of a refusal, as the DMP sent them: the
	// last fault subcode, the XDS errorCodes, the HL7 acknowledgement
	// detail codes, the DMP status.
	Codes    []string `json:"codes,omitempty"`
	Reason   string   `json:"reason,omitempty"`
	Errors   int      `json:"errors"`
	Warnings int      `json:"warnings"`
	// Truncated: a body of the exchange was cut by the recording cap, or
	// the request was not read to its end.
	Truncated bool `json:"truncated,omitempty"`
}

// Coverage counts the exchanges of one transaction: Exchanges covered it,
// Succeeded of them were accepted, Refusals refused.
type Coverage struct {
	TD          string `json:"td"`
	Transaction string `json:"transaction"`
	Exchanges   int    `json:"exchanges"`
	Succeeded   int    `json:"succeeded"`
	Refusals    int    `json:"refusals"`
}

// FlowStep is one transaction of the compatibility flow in a recording.
type FlowStep struct {
	TD          string `json:"td"`
	Transaction string `json:"transaction"`
	Covered     bool   `json:"covered"`
	Succeeded   bool   `json:"succeeded"`
}

// CompatibilityFlow returns the transactions of the DMP compatibility flow
// a complete run exercises successfully, in their order (the rehearsal's,
// testdmp/rehearsal): TD0.2 existence test, the creation of the DMP (no
// TD number: its name), TD0.3 and TD1.6 authorization, TD2.1 publication,
// TD3.1 search, TD3.2 retrieval, TD3.3a masking, TD3.3d archiving, TD3.3c
// deletion.
func CompatibilityFlow() []string {
	return []string{"TD0.2", "Création du DMP", "TD0.3", "TD1.6", "TD2.1", "TD3.1", "TD3.2", "TD3.3a", "TD3.3d", "TD3.3c"}
}

// recordEntry is the part of an index line vet reads.
type recordEntry struct {
	Seq               int    `json:"seq"`
	Start             string `json:"start"`
	TD                string `json:"td"`
	Transaction       string `json:"transaction"`
	Action            string `json:"action"`
	MessageID         string `json:"messageID"`
	Status            int    `json:"status"`
	Fault             string `json:"fault"`
	FaultReason       string `json:"faultReason"`
	Request           string `json:"request"`
	Response          string `json:"response"`
	RequestTruncated  bool   `json:"requestTruncated"`
	ResponseTruncated bool   `json:"responseTruncated"`
	RequestIncomplete bool   `json:"requestIncomplete"`
}

// Recording checks the recording in dir (dmpgen-testdmp -record) and
// returns the report with its evidence pack. A truncated body is checked as
// recorded (its findings say it is cut) and flagged in the pack.
func Recording(dir string, o Options) (*Report, error) {
	f, err := os.Open(filepath.Join(dir, RecordIndex))
	if err != nil {
		return nil, fmt.Errorf("vet: %s is not a recording of dmpgen-testdmp -record (no %s): %w", dir, RecordIndex, err)
	}
	defer f.Close()
	r := &Report{}
	ev := &Evidence{Dir: dir, Exchanges: []EvidenceEntry{}, Refusals: []EvidenceEntry{}, Covered: []Coverage{}, Flow: []FlowStep{}, Missing: []string{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var e recordEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("vet: %s:%d: %w (is the index complete? a line is written when an exchange ends)", filepath.Join(dir, RecordIndex), line, err)
		}
		for _, name := range []string{e.Request, e.Response} {
			if name == "" || filepath.Base(name) != name {
				return nil, fmt.Errorf("vet: %s:%d: file name %q is not a file of the recording", filepath.Join(dir, RecordIndex), line, name)
			}
		}
		// The message time of a dump without a Date header is when the
		// test DMP received it.
		eo := o
		if t, err := time.Parse(time.RFC3339Nano, e.Start); err == nil && eo.At.IsZero() {
			eo.At = t
		}
		req := checkFile(filepath.Join(dir, e.Request), eo)
		resp := checkFile(filepath.Join(dir, e.Response), eo)
		checkPair(req, resp)
		r.Exchanges = append(r.Exchanges, req, resp)
		ev.Exchanges = append(ev.Exchanges, evidenceEntry(e, req, resp))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("vet: reading %s: %w", filepath.Join(dir, RecordIndex), err)
	}
	ev.cover()
	r.Evidence = ev
	r.summarize()
	return r, nil
}

// checkFile checks one file of a recording.
func checkFile(file string, o Options) *Exchange {
	data, err := os.ReadFile(file)
	if err != nil {
		c := &capture{file: file}
		return &Exchange{File: file, Direction: Unknown, Findings: []Finding{c.at("capture.unreadable", 0, 0, "", err.Error())}}
	}
	ex := Check(file, data, o)
	if ex.Direction == Response {
		ex.outcome = outcomeOf(file, data)
	}
	return ex
}

// refusal is what a response says of its request: kind "" for a success,
// "fault", the XDS status Failure or PartialSuccess, or "rejected"; the
// error codes and the first explanation.
type refusal struct {
	kind   string
	codes  []string
	reason string
}

// outcomeOf returns the refusal a response carries.
func outcomeOf(file string, data []byte) refusal {
	c, _ := readCapture(file, data)
	if c == nil {
		return refusal{}
	}
	env, err := parseEnvelope(c.root, file)
	if err != nil || env.body == nil {
		return refusal{}
	}
	body := env.body.el
	if body.Name.Local == "Fault" {
		return refusal{kind: "fault"}
	}
	var r refusal
	query := "" // a queryResponseCode AE or QE, the code when no other
	walk(body, func(el *xmltext.Element) {
		switch el.Name.Local {
		case "RegistryResponse", "AdhocQueryResponse":
			if s := attr(el, "status"); s != "" {
				s = s[strings.LastIndex(s, ":")+1:]
				if s == "Failure" || s == "PartialSuccess" {
					r.kind = s
				}
			}
		case "RegistryError":
			r.add(attr(el, "errorCode"), attr(el, "codeContext"))
		case "acknowledgement":
			if t := attr(el, "typeCode"); t == "AE" || t == "AR" {
				r.reject()
				for _, d := range el.Elements() {
					if d.Name.Local != "acknowledgementDetail" {
						continue
					}
					text := ""
					if t := find(d, "*", "text"); t != nil {
						text = strings.TrimSpace(t.Text())
					}
					if cd := find(d, "*", "code"); cd != nil {
						r.add(attr(cd, "code"), text)
					}
				}
			}
		case "queryResponseCode":
			if c := attr(el, "code"); c == "AE" || c == "QE" {
				r.reject()
				query = c
			}
		case "status":
			// The DMP's own services (Habilitations, PatientsSpecific).
			if s := strings.TrimSpace(el.Text()); strings.HasPrefix(el.Name.Space, "urn:si-dmp-") && s != "" && s != "DMPOk" {
				r.reject()
				ctx := ""
				for _, sib := range parentOf(body, el).Elements() {
					if sib.Name.Local == "context" {
						ctx = strings.TrimSpace(sib.Text())
					}
				}
				r.add(s, ctx)
			}
		}
	})
	if r.kind == "" {
		return refusal{}
	}
	if len(r.codes) == 0 {
		r.add(query, "")
	}
	return r
}

func (r *refusal) reject() {
	if r.kind == "" {
		r.kind = "rejected"
	}
}

func (r *refusal) add(code, reason string) {
	if code != "" && !containsString(r.codes, code) {
		r.codes = append(r.codes, code)
	}
	if r.reason == "" {
		r.reason = reason
	}
}

// attr returns the value of el's attribute local (any namespace).
func attr(el *xmltext.Element, local string) string {
	for _, a := range el.Attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// parentOf returns the parent of el below root (root when none).
func parentOf(root, el *xmltext.Element) *xmltext.Element {
	parent := root
	walk(root, func(p *xmltext.Element) {
		for _, c := range p.Elements() {
			if c == el {
				parent = p
			}
		}
	})
	return parent
}

func evidenceEntry(e recordEntry, req, resp *Exchange) EvidenceEntry {
	out := EvidenceEntry{Seq: e.Seq, Start: e.Start, TD: e.TD, Transaction: e.Transaction, Action: e.Action, MessageID: e.MessageID,
		Request: req.File, Response: resp.File, Status: e.Status, Outcome: "success", Reason: e.FaultReason,
		Errors: req.Count(Error) + resp.Count(Error), Warnings: req.Count(Warning) + resp.Count(Warning),
		Truncated: e.RequestTruncated || e.ResponseTruncated || e.RequestIncomplete}
	// vet's table tells transactions of one operation apart (TD0.2 and
	// TD1.3a); the test DMP's index names the operation's.
	if req.TD != "" || req.Transaction != "" {
		out.TD, out.Transaction = req.TD, req.Transaction
	}
	o := resp.outcome
	switch {
	case e.Fault != "":
		out.Outcome = "fault " + e.Fault
		out.Codes = []string{e.Fault[strings.LastIndex(e.Fault, "/")+1:]}
	case o.kind == "fault":
		out.Outcome = "fault"
	case o.kind != "":
		out.Outcome, out.Codes = o.kind, o.codes
		if out.Reason == "" {
			out.Reason = o.reason
		}
	}
	return out
}

// refused reports whether the exchange is a refusal.
func (e *EvidenceEntry) refused() bool { return e.Outcome != "success" }

// cover fills Covered, Refusals, Flow and Missing from Exchanges.
func (ev *Evidence) cover() {
	idx := map[string]int{}
	for _, e := range ev.Exchanges {
		key := e.TD + "\x00" + e.Transaction
		i, ok := idx[key]
		if !ok {
			i = len(ev.Covered)
			idx[key] = i
			ev.Covered = append(ev.Covered, Coverage{TD: e.TD, Transaction: e.Transaction})
		}
		ev.Covered[i].Exchanges++
		if e.refused() {
			ev.Covered[i].Refusals++
			ev.Refusals = append(ev.Refusals, e)
		} else {
			ev.Covered[i].Succeeded++
		}
	}
	for _, step := range CompatibilityFlow() {
		fs := FlowStep{TD: step, Transaction: transactionName(step)}
		if !strings.HasPrefix(step, "TD") {
			fs.TD = ""
		}
		for _, c := range ev.Covered {
			if fs.TD != "" && containsString(strings.Split(c.TD, "|"), fs.TD) || fs.TD == "" && c.TD == "" && strings.HasPrefix(c.Transaction, step) {
				fs.Covered = true
				fs.Succeeded = fs.Succeeded || c.Succeeded > 0
			}
		}
		ev.Flow = append(ev.Flow, fs)
		if !fs.Succeeded {
			ev.Missing = append(ev.Missing, step)
		}
	}
}

// transactionName returns the name of a TD number, or of the transaction
// without one whose name starts with step, in vet's table.
func transactionName(step string) string {
	for _, t := range transactions() {
		if t.TD == step || t.TD == "" && strings.HasPrefix(t.Name, step) {
			return t.Name
		}
	}
	return step
}

// writeText writes the evidence pack as text.
func (ev *Evidence) writeText(b *strings.Builder) {
	fmt.Fprintf(b, "\nEvidence pack of %s\n\nExchanges:\n", ev.Dir)
	for _, e := range ev.Exchanges {
		fmt.Fprintf(b, "  %04d %s %s: HTTP %d, %s%s, %d errors, %d warnings%s\n    %s\n    %s\n", e.Seq, tdLabel(e.TD, e.Transaction), e.Transaction, e.Status, e.Outcome, codesNote(e.Codes), e.Errors, e.Warnings, truncNote(e.Truncated), e.Request, e.Response)
	}
	b.WriteString("Transactions covered:\n")
	for _, c := range ev.Covered {
		fmt.Fprintf(b, "  %s %s: %d exchanges, %d succeeded, %d refused\n", tdLabel(c.TD, c.Transaction), c.Transaction, c.Exchanges, c.Succeeded, c.Refusals)
	}
	b.WriteString("Compatibility flow (covered, succeeded):\n")
	for _, f := range ev.Flow {
		fmt.Fprintf(b, "  %-7s %-11s %-13s %s\n", orDash(f.TD), mark(f.Covered, "covered"), mark(f.Succeeded, "succeeded"), f.Transaction)
	}
	b.WriteString("Error paths exercised (refusals):\n")
	if len(ev.Refusals) == 0 {
		b.WriteString("  none: exercise the refusals the software must display\n")
	}
	for _, e := range ev.Refusals {
		fmt.Fprintf(b, "  %04d %s: %s%s %s\n", e.Seq, tdLabel(e.TD, e.Transaction), e.Outcome, codesNote(e.Codes), e.Reason)
	}
	fmt.Fprintf(b, "Missing for a complete run: %s\n\n", orNone(strings.Join(ev.Missing, ", ")))
}

func codesNote(codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	return " [" + strings.Join(codes, ", ") + "]"
}

func mark(ok bool, what string) string {
	if ok {
		return what
	}
	return "not " + what
}

// tdLabel is the TD number of a transaction, "-" for a known transaction
// without one, "unknown" for an unknown transaction.
func tdLabel(td, transaction string) string {
	if td == "" && transaction != "" {
		return "-"
	}
	return orUnknown(td)
}

func orDash(td string) string {
	if td == "" {
		return "-"
	}
	return td
}

// evidenceHTML is the "evidence" template of the HTML report: rows of
// class recorded, covered, flow, refusal and missing; the flow's marks are
// cells of class "yes" or "no".
const evidenceHTML = `{{define "evidence"}}<section id="evidence">
<h2>Evidence pack of <code>{{.Dir}}</code></h2>
<section id="flow"><h3>Compatibility flow</h3>
<table>
<thead><tr><th>TD</th><th>transaction</th><th>covered</th><th>succeeded</th></tr></thead>
<tbody>
{{range .Flow}}<tr class="flow" data-td="{{.TD}}"><td>{{.TD}}</td><td>{{.Transaction}}</td>{{if .Covered}}<td class="yes">covered</td>{{else}}<td class="no">not covered</td>{{end}}{{if .Succeeded}}<td class="yes">succeeded</td>{{else}}<td class="no">not succeeded</td>{{end}}</tr>
{{end}}</tbody>
</table></section>
<section id="coverage"><h3>Transactions covered</h3>
<table>
<thead><tr><th>TD</th><th>transaction</th><th>exchanges</th><th>succeeded</th><th>refused</th></tr></thead>
<tbody>
{{range .Covered}}<tr class="covered" data-td="{{.TD}}"><td>{{.TD}}</td><td>{{.Transaction}}</td><td>{{.Exchanges}}</td><td>{{.Succeeded}}</td><td>{{.Refusals}}</td></tr>
{{end}}</tbody>
</table></section>
<section id="refusals"><h3>Error paths exercised</h3>
{{if .Refusals}}<table>
<thead><tr><th>#</th><th>TD</th><th>transaction</th><th>outcome</th><th>codes</th><th>reason</th></tr></thead>
<tbody>
{{range .Refusals}}<tr class="refusal" data-td="{{.TD}}"><td>{{.Seq}}</td><td>{{.TD}}</td><td>{{.Transaction}}</td><td>{{.Outcome}}</td><td>{{range .Codes}}<code class="code">{{.}}</code> {{end}}</td><td>{{.Reason}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>None: exercise the refusals the software must display.</p>{{end}}
</section>
<section id="missing"><h3>Missing for a complete run</h3>
{{if .Missing}}<ul>
{{range .Missing}}<li class="missing">{{.}}</li>
{{end}}</ul>{{else}}<p>None.</p>{{end}}
</section>
<section id="exchanges"><h3>Exchanges</h3>
<table>
<thead><tr><th>#</th><th>TD</th><th>transaction</th><th>HTTP</th><th>outcome</th><th>errors</th><th>warnings</th><th>frames</th></tr></thead>
<tbody>
{{range .Exchanges}}<tr class="recorded"><td>{{.Seq}}</td><td>{{.TD}}</td><td>{{.Transaction}}</td><td>{{.Status}}</td><td>{{.Outcome}}</td><td>{{.Errors}}</td><td>{{.Warnings}}</td><td><code>{{.Request}}</code><br/><code>{{.Response}}</code>{{if .Truncated}}<br/>truncated recording{{end}}</td></tr>
{{end}}</tbody>
</table></section>
</section>
{{end}}`
