package soap_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
)

// TestReplyToNotAnonymous: by default a request with a non-anonymous
// ReplyTo is served, its response sent on the HTTP response and addressed
// to that address, a fault to its FaultTo; the none address gets 202 and
// no body; WithAnonymousOnly refuses such requests as before.
func TestReplyToNotAnonymous(t *testing.T) {
	replyTo := `<a:ReplyTo><a:Address>http://lps.example/callback</a:Address></a:ReplyTo>`
	env := soaptest.NewEnv(t, echoServer(t, nil))
	status, body := post(t, env, soap12, request12(echoWSA+replyTo, msgBody))
	if status != 200 || !strings.Contains(body, "<wsa:To>http://lps.example/callback</wsa:To>") || !strings.Contains(body, "MsgResponse") {
		t.Errorf("non-anonymous ReplyTo: %d %s", status, body)
	}
	faultTo := `<a:FaultTo><a:Address>http://lps.example/faults</a:Address></a:FaultTo>`
	status, body = post(t, env, soap12, request12(echoWSA+replyTo+faultTo, `<t:Msg xmlns:t="urn:dmpgen:soap:test"><t:Nope/></t:Msg>`))
	if status != 400 || !strings.Contains(body, "<wsa:To>http://lps.example/faults</wsa:To>") || !strings.Contains(body, "soap:Fault") {
		t.Errorf("fault with a FaultTo: %d %s", status, body)
	}
	none := `<a:ReplyTo><a:Address>` + soap.NoneAddress + `</a:Address></a:ReplyTo>`
	if status, body = post(t, env, soap12, request12(echoWSA+none, msgBody)); status != 202 || body != "" {
		t.Errorf("ReplyTo none: %d %q", status, body)
	}

	strict := soaptest.NewEnv(t, echoServer(t, nil, soap.WithAnonymousOnly(true)))
	status, body = post(t, strict, soap12, request12(echoWSA+replyTo, msgBody))
	if status != 400 || !strings.Contains(body, "wsa:OnlyAnonymousAddressSupported") {
		t.Errorf("WithAnonymousOnly: %d %s", status, body)
	}
}

// TestOptionalRelatesTo: a response without wsa:RelatesTo is an error in
// strict mode that names the options; WithOptionalRelatesTo, or
// AllowMissingRelatesTo on one call, accepts it with a warning; a wrong
// RelatesTo stays an error.
func TestOptionalRelatesTo(t *testing.T) {
	okEnv := responseEnvelope(opEcho12.ResponseAction, "RELATES", `<t:MsgResponse xmlns:t="urn:dmpgen:soap:test"><t:Text>ok</t:Text></t:MsgResponse>`)
	env := rawServer(t, 200, "application/soap+xml", responseWithout(okEnv, "RelatesTo"))
	strict := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	err := strict.Call(context.Background(), &opEcho12, &msg{}, new(msg))
	if !errors.Is(err, soap.ErrAddressing) || !strings.Contains(err.Error(), "soap.WithOptionalRelatesTo") {
		t.Fatalf("strict: %v", err)
	}
	for name, c := range map[string]struct {
		client *soap.Client
		opts   []soap.CallOption
	}{
		"client option": {soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithOptionalRelatesTo(true)), nil},
		"call option":   {strict, []soap.CallOption{soap.AllowMissingRelatesTo()}},
	} {
		var warnings []string
		resp := new(msg)
		if err := c.client.Call(context.Background(), &opEcho12, &msg{}, resp, append(c.opts, soap.CollectWarnings(&warnings))...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if resp.Text != "ok" || len(warnings) != 1 || warnings[0] != "response has no wsa:RelatesTo" {
			t.Errorf("%s: response %+v, warnings %q", name, resp, warnings)
		}
	}
	wrong := rawServer(t, 200, "application/soap+xml", strings.Replace(okEnv, "RELATES", "urn:uuid:00000000-0000-4000-8000-000000000000", 1))
	c := soap.NewClient(wrong.URL(), soap.WithHTTPClient(wrong.Client), soap.WithOptionalRelatesTo(true))
	if err := c.Call(context.Background(), &opEcho12, &msg{}, new(msg)); !errors.Is(err, soap.ErrAddressing) {
		t.Errorf("wrong RelatesTo with WithOptionalRelatesTo: %v", err)
	}
}
