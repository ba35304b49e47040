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
// its frames and findings, the transactions covered, the refusals
// exercised and the transactions missing for a complete run.
type Evidence struct {
	Dir       string          `json:"dir"`
	Exchanges []EvidenceEntry `json:"exchanges"`
	Covered   []Coverage      `json:"covered"`
	// Refusals are the exchanges the DMP refused: SOAP faults and XDS
	// Failure or PartialSuccess responses, which the software must display.
	Refusals []EvidenceEntry `json:"refusals"`
	// Missing are the TD numbers of docs/transactions.md never exercised.
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
	// Outcome is "success", "fault CODE" or the XDS status ("Failure",
	// "PartialSuccess").
	Outcome  string `json:"outcome"`
	Reason   string `json:"reason,omitempty"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	// Truncated: a body of the exchange was cut by the recording cap, or
	// the request was not read to its end.
	Truncated bool `json:"truncated,omitempty"`
}

// Coverage counts the exchanges of one transaction.
type Coverage struct {
	TD          string `json:"td"`
	Transaction string `json:"transaction"`
	Exchanges   int    `json:"exchanges"`
	Refusals    int    `json:"refusals"`
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
	ev := &Evidence{Dir: dir, Exchanges: []EvidenceEntry{}, Refusals: []EvidenceEntry{}, Covered: []Coverage{}, Missing: []string{}}
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

// outcomeOf returns the refusal a response carries: "fault", the XDS
// status Failure or PartialSuccess; "" for a success.
func outcomeOf(file string, data []byte) string {
	c, _ := readCapture(file, data)
	if c == nil {
		return ""
	}
	env, err := parseEnvelope(c.root, file)
	if err != nil || env.body == nil {
		return ""
	}
	body := env.body.el
	if body.Name.Local == "Fault" {
		return "fault"
	}
	for _, el := range []*xmltext.Element{body, find(body, "*", "RegistryResponse")} {
		if el == nil {
			continue
		}
		for _, a := range el.Attrs {
			if a.Name.Local == "status" {
				s := a.Value[strings.LastIndex(a.Value, ":")+1:]
				if s == "Failure" || s == "PartialSuccess" {
					return s
				}
			}
		}
	}
	return ""
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
	switch {
	case e.Fault != "":
		out.Outcome = "fault " + e.Fault
	case resp.outcome == "fault":
		out.Outcome = "fault"
	case resp.outcome != "":
		out.Outcome = resp.outcome
	}
	return out
}

// refused reports whether the exchange is a refusal.
func (e *EvidenceEntry) refused() bool { return e.Outcome != "success" }

// cover fills Covered, Refusals and Missing from Exchanges.
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
		}
	}
	done := map[string]bool{}
	for _, c := range ev.Covered {
		for _, td := range strings.Split(c.TD, "|") {
			done[td] = true
		}
	}
	for _, td := range tdList() {
		if td != "" && !done[td] {
			ev.Missing = append(ev.Missing, td)
		}
	}
}
