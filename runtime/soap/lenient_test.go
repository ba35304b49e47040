package soap_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// unknownMsg is a Msg with an attribute and an element msg does not know:
// an identity with its OID, as a newer peer could send.
const unknownMsg = `<t:Msg xmlns:t="urn:dmpgen:soap:test" xmlns:x="urn:x" x:flag="on"><t:Text>hi</t:Text>` +
	`<x:id root="1.2.250.1.213.1.4.8" extension="248039263001064"/></t:Msg>`

// TestServerLenientKeeps: a lenient server hands the handler what the
// request type does not know, kept in the decoded value, with a warning for
// each on soap.Request; a handler that echoes the request writes it back.
// A strict server refuses the request with the error it always gave.
func TestServerLenientKeeps(t *testing.T) {
	var warnings []string
	var kept *xmlbind.Unknown
	srv := soap.NewServer(soap.WithServerLenientDecoding(true))
	srv.Handle(&opEcho12, newMsg, func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error) {
		r, ok := soap.RequestFromContext(ctx)
		if !ok {
			return nil, errors.New("no soap.Request")
		}
		warnings, kept = r.Warnings, req.(*msg).Unknown
		return req, nil
	})
	env := soaptest.NewEnv(t, srv)
	status, body := post(t, env, soap12, request12(echoWSA, unknownMsg))
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	want := []string{"envelope:1:301: kept unexpected attribute {urn:x}flag on {urn:dmpgen:soap:test}Msg",
		"envelope:1:332: kept unexpected element {urn:x}id in {urn:dmpgen:soap:test}Msg"}
	if strings.Join(warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
	if kept == nil || len(kept.Attrs) != 1 || kept.Attrs[0].Value != "on" || len(kept.Elements) != 1 {
		t.Fatalf("kept %+v", kept)
	}
	if v, _ := kept.Elements[0].Attr(xmltext.Name{Local: "extension"}); v != "248039263001064" {
		t.Errorf("kept element %+v", kept.Elements[0])
	}
	for _, s := range []string{`:flag="on"`, `:id xmlns:x="urn:x" root="1.2.250.1.213.1.4.8" extension="248039263001064"/>`} {
		if !strings.Contains(body, s) {
			t.Errorf("the echoed response lacks %s: %s", s, body)
		}
	}

	strict := soaptest.NewEnv(t, echoServer(t, nil))
	status, body = post(t, strict, soap12, request12(echoWSA, unknownMsg))
	if status != 400 || !strings.Contains(body, "envelope:1:301: unexpected attribute {urn:x}flag on {urn:dmpgen:soap:test}Msg") {
		t.Errorf("strict server: %d %s", status, body)
	}
}

// TestServerLenientVersionWarning: a request in the other SOAP version,
// which only a lenient server accepts, is reported as a warning too.
func TestServerLenientVersionWarning(t *testing.T) {
	var warnings []string
	srv := soap.NewServer(soap.WithServerLenientDecoding(true))
	srv.Handle(&opEcho12, newMsg, func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error) {
		r, _ := soap.RequestFromContext(ctx)
		warnings = r.Warnings
		return &msg{Text: "ok"}, nil
	})
	env := soaptest.NewEnv(t, srv)
	req := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>` + echoWSA + `</s:Header><s:Body>` + msgBody + `</s:Body></s:Envelope>`
	if status, body := post(t, env, soap12, []byte(req)); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if len(warnings) != 1 || warnings[0] != "operation Echo12 is bound to SOAP 1.2, the request is SOAP 1.1" {
		t.Errorf("warnings %q", warnings)
	}
}

// TestClientLenientKeeps: a lenient client keeps what the response and a
// declared fault's detail hold beyond their types, and CollectWarnings has
// a warning for each.
func TestClientLenientKeeps(t *testing.T) {
	body := strings.Replace(unknownMsg, "t:Msg", "t:MsgResponse", 2)
	env := rawServer(t, 200, "application/soap+xml", responseEnvelope(opEcho12.ResponseAction, "RELATES", body))
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithLenientDecoding(true))
	var warnings []string
	resp := new(msg)
	if err := c.Call(context.Background(), &opEcho12, &msg{}, resp, soap.CollectWarnings(&warnings)); err != nil {
		t.Fatal(err)
	}
	if resp.Text != "hi" || resp.Unknown == nil || len(resp.Unknown.Attrs) != 1 || len(resp.Unknown.Elements) != 1 {
		t.Fatalf("response %+v", resp)
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], "kept unexpected attribute {urn:x}flag") || !strings.Contains(warnings[1], "kept unexpected element {urn:x}id") {
		t.Errorf("warnings %q", warnings)
	}

	fault := `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value></env:Code>` +
		`<env:Reason><env:Text xml:lang="fr">r</env:Text></env:Reason><env:Detail>` + strings.Replace(unknownMsg, "t:Msg", "t:Problem", 2) + `</env:Detail></env:Fault></env:Body></env:Envelope>`
	env = rawServer(t, 500, "application/soap+xml", fault)
	c = soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithLenientDecoding(true))
	warnings = nil
	err := c.Call(context.Background(), &opEcho12, &msg{}, new(msg), soap.CollectWarnings(&warnings))
	var fe *soap.FaultError
	if !errors.As(err, &fe) || fe.Detail == nil {
		t.Fatalf("%v", err)
	}
	if d := fe.Detail.(*msg); d.Text != "hi" || d.Unknown == nil || len(d.Unknown.Elements) != 1 {
		t.Errorf("detail %+v", d)
	}
	if len(warnings) != 2 || !strings.HasPrefix(warnings[0], "Problem:1:") || !strings.Contains(warnings[1], "kept unexpected element {urn:x}id") {
		t.Errorf("warnings %q", warnings)
	}
}
