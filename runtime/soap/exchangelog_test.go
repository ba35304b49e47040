package soap_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
)

// TestExchangeLog: the server reports every POST exchange once, after its
// response: operation, wsa:Action and MessageID, HTTP status, fault, the
// TLS client certificate reachable through the HTTP request.
func TestExchangeLog(t *testing.T) {
	var mu sync.Mutex
	var got []soap.Exchange
	srv := soap.NewServer(soap.WithExchangeLog(func(x soap.Exchange) {
		mu.Lock()
		got = append(got, x)
		mu.Unlock()
	}))
	srv.Handle(&opEcho12, newMsg, func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error) {
		if m := req.(*msg); m.Text == "fail" {
			return nil, errors.New("refused")
		}
		return &msg{Text: "ok"}, nil
	})
	env := soaptest.NewEnv(t, srv)
	const id = "urn:uuid:6d0f4c43-9a36-4a35-b7c4-1c2f8f0b0001"
	post(t, env, soap12, request12(echoWSA, msgBody))
	post(t, env, soap12, request12(echoWSA, `<t:Msg xmlns:t="urn:dmpgen:soap:test"><t:Text>fail</t:Text></t:Msg>`))
	post(t, env, soap12, request12(`<a:Action>urn:nope</a:Action>`, msgBody))
	post(t, env, "text/html", []byte("<html/>"))
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 4 {
		t.Fatalf("%d exchanges reported, want 4", len(got))
	}
	want := []struct {
		op             *soap.Operation
		action, msgID  string
		status         int
		code, fragment string
	}{
		{&opEcho12, "urn:test:Echo12", id, 200, "", ""},
		{&opEcho12, "urn:test:Echo12", id, 500, soap.CodeReceiver, "refused"},
		{nil, "urn:nope", "", 400, soap.CodeSender, "no operation has wsa:Action"},
		{nil, "", "", 415, soap.CodeSender, "unsupported Content-Type"},
	}
	for i, w := range want {
		x := got[i]
		code, reason := "", ""
		if x.Fault != nil {
			code, reason = x.Fault.Code, x.Fault.Reason
		}
		if x.Operation != w.op || x.Action != w.action || x.MessageID != w.msgID || x.Status != w.status || code != w.code ||
			(w.fragment != "" && !contains(reason, w.fragment)) || x.Duration <= 0 || x.Err != nil {
			t.Errorf("exchange %d: %+v (fault %v), want %+v", i, x, x.Fault, w)
		}
		if x.HTTP == nil || x.HTTP.TLS == nil || len(x.HTTP.TLS.PeerCertificates) == 0 ||
			!x.HTTP.TLS.PeerCertificates[0].Equal(env.ClientCert.Leaf) {
			t.Errorf("exchange %d: the client certificate is not reachable", i)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
