package vet

import (
	"fmt"

	"github.com/dmpgen/dmpgen/runtime/soap"
)

// pairing is what pairs a response with its request (WS-Addressing 1.0
// Core §3.4: a response's wsa:RelatesTo is its request's wsa:MessageID),
// kept by Check for pairExchanges and checkPair.
type pairing struct {
	messageID string // of a request
	relatesTo string // of a response
	action    string // wsa:Action
	// answer is the wsa:Action the response to a request must carry (the
	// ResponseAction of its operation), "" when the request's operation is
	// unknown.
	answer string
	td     string // the TD (or transaction name) of the request, for messages
	fault  bool   // the response is a SOAP fault (any fault action answers)
	// at returns a finding positioned at the request's MessageID or the
	// response's RelatesTo header.
	at func(id, msg string) Finding
}

// pairInfo records in ex what pairing needs from the checked exchange.
func (x *exchange) pairInfo(ex *Exchange) {
	p := &pairing{action: ex.Action, td: ex.TD}
	if p.td == "" {
		p.td = ex.Transaction
	}
	if p.td == "" {
		p.td = "an unknown transaction"
	}
	name := "RelatesTo"
	switch x.dir {
	case Request:
		name = "MessageID"
		p.messageID = x.env.header(nsWSA, name).text()
		if len(x.det.rows) > 0 {
			p.answer = x.det.rows[0].op.ResponseAction
		}
	case Response:
		p.relatesTo = x.env.header(nsWSA, name).text()
		if b := x.env.body; b != nil && b.el.Name.Local == "Fault" && (b.el.Name.Space == soap.NamespaceSOAP12 || b.el.Name.Space == nsSOAP11) {
			p.fault = true
		}
	default:
		return
	}
	line, col := 0, 0
	if h := x.env.header(nsWSA, name); h != nil {
		line, col = h.line, h.col
	}
	root := *x.root
	p.at = func(id, msg string) Finding {
		s := root
		s.out = nil
		s.add(id, line, col, "wsa:"+name, msg)
		return s.out[0]
	}
	ex.pair = p
}

// pairExchanges pairs the responses of the HTTP dumps of a set of captures
// (an HTTP dump directory) with their requests by wsa:RelatesTo =
// wsa:MessageID, and reports responses that answer no request of the
// input (wsa.relatesto-unmatched), responses whose wsa:Action does not
// answer their request's (wsa.response-action-mismatch) and requests
// without a response (wsa.request-unanswered). Bare envelopes and MTOM
// packages are messages, not captured exchanges (the kit's examples, whose
// ids mostly do not relate): they are not paired. Nor are dumps of which
// no response pairs with a request: a set of unrelated messages.
func pairExchanges(all []*Exchange) {
	var exs []*Exchange
	for _, e := range all {
		if e.Kind == "http-request" || e.Kind == "http-response" {
			exs = append(exs, e)
		}
	}
	requests := map[string]*Exchange{}
	for _, e := range exs {
		if p := e.pair; p != nil && p.messageID != "" {
			if _, dup := requests[p.messageID]; !dup {
				requests[p.messageID] = e
			}
		}
	}
	answered := map[*Exchange]bool{}
	for _, e := range exs {
		if p := e.pair; p != nil && p.relatesTo != "" && requests[p.relatesTo] != nil {
			answered[requests[p.relatesTo]] = true
		}
	}
	if len(answered) == 0 {
		return
	}
	for _, e := range exs {
		p := e.pair
		if p == nil || p.relatesTo == "" {
			continue
		}
		req := requests[p.relatesTo]
		if req == nil {
			e.Findings = append(e.Findings, p.at("wsa.relatesto-unmatched",
				fmt.Sprintf("wsa:RelatesTo %s is the wsa:MessageID of no request of the input: add the request's capture, or the response answers a message never sent", p.relatesTo)))
			continue
		}
		checkAnswer(req, e)
	}
	for _, e := range exs {
		if p := e.pair; p != nil && p.messageID != "" && !answered[e] {
			e.Findings = append(e.Findings, p.at("wsa.request-unanswered",
				fmt.Sprintf("no response of the input has wsa:RelatesTo %s: add the response's capture, or the request got none", p.messageID)))
		}
	}
}

// checkPair checks a request and the response a recording pairs with it
// (dmpgen-testdmp -record writes both files of an exchange on one index
// line): the response relates to the request and answers its action.
func checkPair(req, resp *Exchange) {
	rq, rs := req.pair, resp.pair
	if rq == nil || rs == nil || rq.messageID == "" || rs.relatesTo == "" {
		return // the wsa layer reports the missing header
	}
	if rs.relatesTo != rq.messageID {
		resp.Findings = append(resp.Findings, rs.at("wsa.relatesto-unmatched",
			fmt.Sprintf("wsa:RelatesTo %s is not the wsa:MessageID %s of the request recorded with the response", rs.relatesTo, rq.messageID)))
		return
	}
	checkAnswer(req, resp)
}

// checkAnswer reports a response whose wsa:Action is not the response
// action of its request's operation (a SOAP fault answers any request).
func checkAnswer(req, resp *Exchange) {
	rq, rs := req.pair, resp.pair
	if rq.answer == "" || rs.fault || rs.action == rq.answer {
		return
	}
	resp.Findings = append(resp.Findings, rs.at("wsa.response-action-mismatch",
		fmt.Sprintf("wsa:Action %q does not answer the request %s (%s, %s): its response action is %q", rs.action, rq.messageID, rq.td, rq.action, rq.answer)))
}
