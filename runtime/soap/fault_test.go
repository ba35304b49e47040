package soap_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

var subDenied = xmltext.Name{Space: "urn:dmp:errors", Local: "DMPAccessDenied"}

// faultServer answers Echo12 and Echo11 with the fault or error that the
// request's text names.
func faultServer(t *testing.T) *soap.Server {
	srv := soap.NewServer(soap.WithLogf(t.Logf))
	h := func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error) {
		switch req.(*msg).Text {
		case "declared":
			return nil, &soap.FaultError{Code: soap.CodeSender, Subcodes: []xmltext.Name{subDenied}, Reason: "Accès refusé au DMP",
				Detail: &msg{ID: "p1", Text: "détail"}}
		case "sender":
			return nil, soap.SenderFault("mauvaise requête")
		case "plain error":
			return nil, errors.New("base de données indisponible")
		case "dom detail":
			d := parseDOM(t, `<e:Error xmlns:e="urn:dmp:errors" code="DMP_4201"><e:Msg xml:lang="fr">patient inconnu</e:Msg></e:Error>`)
			return nil, &soap.FaultError{Code: soap.CodeReceiver, Reason: "x", Role: "urn:role", Node: "urn:node",
				DetailElements: []*xmltext.Element{d.El}}
		case "undeclared":
			return nil, &soap.FaultError{Code: soap.CodeSender, Reason: "undeclared detail", Detail: &dom{El: &xmltext.Element{Name: tn("X")}}}
		case "panic":
			panic("boom")
		case "nil response":
			return nil, nil
		}
		return &msg{}, nil
	}
	srv.Handle(&opEcho12, newMsg, h)
	srv.Handle(&opEcho11, newMsg, h)
	return srv
}

func callFault(t *testing.T, c *soap.Client, op *soap.Operation, text string) *soap.FaultError {
	t.Helper()
	err := c.Call(context.Background(), op, &msg{Text: text}, new(msg))
	var fe *soap.FaultError
	if !errors.As(err, &fe) {
		t.Fatalf("%s: %v is not a *FaultError", text, err)
	}
	return fe
}

func TestFaults(t *testing.T) {
	env := soaptest.NewEnv(t, faultServer(t))
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))

	fe := callFault(t, c, &opEcho12, "declared")
	if fe.Code != soap.CodeSender || len(fe.Subcodes) != 1 || fe.Subcodes[0] != subDenied || fe.Reason != "Accès refusé au DMP" ||
		fe.HTTPStatus != 400 || fe.Version != soap.V12 || fe.Action != soap.FaultAction || fe.Lang != "en" {
		t.Errorf("declared fault (1.2): %+v", fe)
	}
	if d, ok := fe.Detail.(*msg); !ok || fe.Name != "TestFault" || d.Text != "détail" || d.ID != "p1" {
		t.Errorf("declared detail: %s %#v", fe.Name, fe.Detail)
	}

	fe = callFault(t, c, &opEcho11, "declared")
	// SOAP 1.1 has no subcodes: the most specific code is the faultcode.
	if fe.Code != "" || len(fe.Subcodes) != 1 || fe.Subcodes[0] != subDenied || fe.HTTPStatus != 500 || fe.Version != soap.V11 {
		t.Errorf("declared fault (1.1): %+v", fe)
	}
	if d, ok := fe.Detail.(*msg); !ok || d.Text != "détail" {
		t.Errorf("declared detail (1.1): %#v", fe.Detail)
	}

	for _, op := range []*soap.Operation{&opEcho12, &opEcho11} {
		fe = callFault(t, c, op, "sender")
		if fe.Code != soap.CodeSender || fe.Reason != "mauvaise requête" || len(fe.Subcodes) != 0 {
			t.Errorf("%v sender fault: %+v", op.Version, fe)
		}
		fe = callFault(t, c, op, "plain error")
		if fe.Code != soap.CodeReceiver || fe.Reason != "base de données indisponible" || fe.HTTPStatus != 500 {
			t.Errorf("%v handler error: %+v", op.Version, fe)
		}
		fe = callFault(t, c, op, "dom detail")
		if len(fe.DetailElements) != 1 || fe.Detail != nil {
			t.Fatalf("%v detail elements: %+v", op.Version, fe)
		}
		d := fe.DetailElements[0]
		if code, _ := d.Attr(xmltext.Name{Local: "code"}); d.Name != (xmltext.Name{Space: "urn:dmp:errors", Local: "Error"}) || code != "DMP_4201" ||
			d.Elements()[0].Text() != "patient inconnu" {
			t.Errorf("%v detail element: %+v", op.Version, d)
		}
		if op.Version == soap.V12 && (fe.Role != "urn:role" || fe.Node != "urn:node") {
			t.Errorf("role %q node %q", fe.Role, fe.Node)
		}
		fe = callFault(t, c, op, "undeclared")
		if fe.Code != soap.CodeSender || !strings.Contains(fe.Reason, "fault detail not sent") {
			t.Errorf("%v undeclared detail: %+v", op.Version, fe)
		}
		fe = callFault(t, c, op, "panic")
		if fe.Code != soap.CodeReceiver || strings.Contains(fe.Reason, "boom") {
			t.Errorf("%v panic: %+v", op.Version, fe)
		}
		fe = callFault(t, c, op, "nil response")
		if fe.Code != soap.CodeReceiver || !strings.Contains(fe.Reason, "no response") {
			t.Errorf("%v nil response: %+v", op.Version, fe)
		}
	}
}

// rawServer answers every request with a fixed status, Content-Type and
// body, where RELATES is replaced by the request's wsa:MessageID.
func rawServer(t *testing.T, status int, contentType, body string) *soaptest.Env {
	return soaptest.NewEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := requestMessageID(t, r)
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		io.WriteString(w, strings.ReplaceAll(body, "RELATES", id))
	}))
}

// TestFaultsFromOtherStacks reads faults as other stacks write them.
func TestFaultsFromOtherStacks(t *testing.T) {
	t.Run("SOAP 1.1 wsse fault", func(t *testing.T) {
		env := rawServer(t, 500, "text/xml", `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">
<faultcode>wsse:InvalidSecurity</faultcode><faultstring>VIHF invalide</faultstring></S:Fault></S:Body></S:Envelope>`)
		c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
		fe := callFault(t, c, &opEcho11, "")
		if fe.Code != "" || fe.Subcodes[0].Local != "InvalidSecurity" || fe.Reason != "VIHF invalide" || fe.HTTPStatus != 500 || fe.Element == nil {
			t.Errorf("%+v", fe)
		}
	})
	t.Run("SOAP 1.1 dotted code", func(t *testing.T) {
		env := rawServer(t, 500, "text/xml", `<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault>
<faultcode>e:Server.Database</faultcode><faultstring>down</faultstring><faultactor>urn:a</faultactor></e:Fault></e:Body></e:Envelope>`)
		c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
		fe := callFault(t, c, &opEcho11, "")
		if fe.Code != soap.CodeReceiver || fe.Subcodes[0].Local != "Server.Database" || fe.Role != "urn:a" {
			t.Errorf("%+v", fe)
		}
	})
	t.Run("SOAP 1.2 nested subcodes, HTTP 200", func(t *testing.T) {
		env := rawServer(t, 200, "application/soap+xml", responseEnvelope(soap.FaultAction, "RELATES", `<env:Fault xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:a="urn:a"><env:Code><env:Value>env:Sender</env:Value>
<env:Subcode><env:Value>a:One</env:Value><env:Subcode><env:Value xmlns:b="urn:b">b:Two</env:Value></env:Subcode></env:Subcode></env:Code>
<env:Reason><env:Text xml:lang="fr">raison</env:Text><env:Text xml:lang="en">reason</env:Text></env:Reason>
<env:Detail xmlns:t="urn:dmpgen:soap:test"><t:Problem id="q"><t:Text>declared</t:Text></t:Problem></env:Detail></env:Fault>`))
		c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
		fe := callFault(t, c, &opEcho12, "")
		if fe.Code != soap.CodeSender || len(fe.Subcodes) != 2 || fe.Subcodes[0] != (xmltext.Name{Space: "urn:a", Local: "One"}) ||
			fe.Subcodes[1] != (xmltext.Name{Space: "urn:b", Local: "Two"}) || fe.Reason != "raison" || fe.Lang != "fr" || fe.HTTPStatus != 200 {
			t.Errorf("%+v", fe)
		}
		if d, ok := fe.Detail.(*msg); !ok || d.ID != "q" || d.Text != "declared" {
			t.Errorf("detail %#v", fe.Detail)
		}
	})
	t.Run("declared detail that does not decode", func(t *testing.T) {
		env := rawServer(t, 400, "application/soap+xml", responseEnvelope(soap.FaultAction, "RELATES", `<env:Fault xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Code><env:Value>env:Sender</env:Value></env:Code>
<env:Reason><env:Text xml:lang="fr">r</env:Text></env:Reason><env:Detail><t:Problem xmlns:t="urn:dmpgen:soap:test"><t:Bogus/></t:Problem></env:Detail></env:Fault>`))
		c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
		err := c.Call(context.Background(), &opEcho12, &msg{}, new(msg))
		var fe *soap.FaultError
		if !errors.As(err, &fe) || fe.Detail != nil || len(fe.DetailElements) != 1 || !strings.Contains(err.Error(), "Bogus") {
			t.Errorf("%v", err)
		}
	})
}
