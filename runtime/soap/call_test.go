package soap_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// capture records the last request a handler saw.
type capture struct {
	mu     sync.Mutex
	header http.Header
	body   []byte
	next   http.Handler
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.header, c.body = r.Header.Clone(), body
	c.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	c.next.ServeHTTP(w, r)
}

func (c *capture) last() (http.Header, []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.header, c.body
}

// echoServer answers Echo12 and Echo11 with the request's text reversed in
// case, and records what the handler saw.
func echoServer(t testing.TB, seen chan<- *soap.Request, opts ...soap.ServerOption) *soap.Server {
	srv := soap.NewServer(opts...)
	h := func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error) {
		r, ok := soap.RequestFromContext(ctx)
		if !ok {
			t.Error("no Request in the handler's context")
		}
		if seen != nil {
			seen <- r
		}
		m := req.(*msg)
		return &msg{ID: m.ID, Text: strings.ToUpper(m.Text)}, nil
	}
	srv.Handle(&opEcho12, newMsg, h)
	srv.Handle(&opEcho11, newMsg, h)
	return srv
}

// TestActionParameterIsWSAAction: when the binding's soapAction differs
// from the wsa:Action (the DMP's Habilitations WSDL), the HTTP-level action
// is the wsa:Action, as the WS-Addressing SOAP binding requires.
func TestActionParameterIsWSAAction(t *testing.T) {
	seen := make(chan *soap.Request, 1)
	cap := &capture{next: echoServer(t, seen)}
	env := soaptest.NewEnv(t, cap)
	c := soap.NewClient(env.URL()+"/services/echo", soap.WithHTTPClient(env.Client))
	for _, tc := range []struct {
		op     soap.Operation
		header string
		want   string
	}{
		{opEcho12, "Content-Type", `application/soap+xml; action="urn:test:Echo12"; charset=utf-8`},
		{opEcho11, "SOAPAction", `"urn:test:Echo11"`},
	} {
		op := tc.op
		op.SOAPAction = "urn:hl7-org:v3:echo"
		if err := c.Call(context.Background(), &op, &msg{ID: "m1", Text: "x"}, new(msg)); err != nil {
			t.Fatal(err)
		}
		<-seen
		if h, _ := cap.last(); h.Get(tc.header) != tc.want {
			t.Errorf("%v: %s %q, want %q", op.Version, tc.header, h.Get(tc.header), tc.want)
		}
	}
}

func TestCallOverMutualTLS(t *testing.T) {
	seen := make(chan *soap.Request, 1)
	cap := &capture{next: echoServer(t, seen)}
	env := soaptest.NewEnv(t, cap)
	endpoint := env.URL() + "/services/echo"
	c := soap.NewClient(endpoint, soap.WithHTTPClient(env.Client))
	for _, tc := range []struct {
		op          *soap.Operation
		ns          string
		contentType string
		soapAction  string
	}{
		{&opEcho12, soap.NamespaceSOAP12, `application/soap+xml; action="urn:test:Echo12"; charset=utf-8`, ""},
		{&opEcho11, soap.NamespaceSOAP11, `text/xml; charset=utf-8`, `"urn:test:Echo11"`},
	} {
		t.Run(tc.op.Version.String(), func(t *testing.T) {
			resp := new(msg)
			if err := c.Call(context.Background(), tc.op, &msg{ID: "m1", Text: "bonjour é"}, resp); err != nil {
				t.Fatal(err)
			}
			if resp.ID != "m1" || resp.Text != "BONJOUR É" {
				t.Errorf("response %+v", resp)
			}
			r := <-seen
			if r.Version != tc.op.Version || r.Action != tc.op.Action || r.To != endpoint || r.Operation != tc.op {
				t.Errorf("server saw version %v action %q to %q op %v", r.Version, r.Action, r.To, r.Operation)
			}
			if !strings.HasPrefix(r.MessageID, "urn:uuid:") || len(r.MessageID) != len("urn:uuid:")+36 {
				t.Errorf("MessageID %q", r.MessageID)
			}
			if r.HTTP.TLS == nil || len(r.HTTP.TLS.PeerCertificates) == 0 || r.HTTP.TLS.PeerCertificates[0].Subject.CommonName != "899900063480" {
				t.Error("the server did not see the client certificate")
			}
			h, body := cap.last()
			if got := h.Get("Content-Type"); got != tc.contentType {
				t.Errorf("Content-Type %q, want %q", got, tc.contentType)
			}
			if got := h.Get("SOAPAction"); got != tc.soapAction || (tc.soapAction == "") == (len(h.Values("SOAPAction")) > 0) {
				t.Errorf("SOAPAction %q, want %q", got, tc.soapAction)
			}
			if !bytes.Contains(body, []byte(`xmlns:soap="`+tc.ns+`"`)) {
				t.Errorf("envelope is not in %s: %s", tc.ns, body)
			}
			mu := `soap:mustUnderstand="` + map[soap.Version]string{soap.V11: "1", soap.V12: "true"}[tc.op.Version] + `"`
			if !bytes.Contains(body, []byte(`<wsa:Action `+mu+`>`+tc.op.Action+`</wsa:Action>`)) {
				t.Errorf("no wsa:Action with %s: %s", mu, body)
			}
		})
	}
}

// TestKeepAlive checks that successive calls reuse one TLS connection.
func TestKeepAlive(t *testing.T) {
	var mu sync.Mutex
	conns := map[string]bool{}
	srv := echoServer(t, nil)
	env := soaptest.NewEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conns[r.RemoteAddr] = true
		mu.Unlock()
		srv.ServeHTTP(w, r)
	}))
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	for range 5 {
		if err := c.Call(context.Background(), &opEcho12, &msg{Text: "x"}, new(msg)); err != nil {
			t.Fatal(err)
		}
	}
	if len(conns) != 1 {
		t.Errorf("5 calls used %d connections, want 1", len(conns))
	}
}

// TestTLSRequiresClientCertificate checks both sides of the mutual
// authentication: no client certificate, and a server the client does not
// trust.
func TestTLSRequiresClientCertificate(t *testing.T) {
	env := soaptest.NewEnv(t, echoServer(t, nil))
	noCert := soap.NewHTTPClient(soap.ClientTLS(tlsCertificateNone(), env.PKI.Pool))
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(noCert))
	if err := c.Call(context.Background(), &opEcho12, &msg{Text: "x"}, new(msg)); err == nil {
		t.Error("a client without certificate was accepted")
	}
	other, err := soaptest.NewPKI()
	if err != nil {
		t.Fatal(err)
	}
	distrust := soap.NewHTTPClient(soap.ClientTLS(env.ClientCert, other.Pool))
	c = soap.NewClient(env.URL(), soap.WithHTTPClient(distrust))
	if err := c.Call(context.Background(), &opEcho12, &msg{Text: "x"}, new(msg)); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("a server signed by an unknown CA was accepted: %v", err)
	}
}

func TestEndpointFromOperation(t *testing.T) {
	env := soaptest.NewEnv(t, echoServer(t, nil))
	op := opEcho12
	op.Endpoint = env.URL()
	c := soap.NewClient("", soap.WithHTTPClient(env.Client))
	if err := c.Call(context.Background(), &op, &msg{Text: "x"}, new(msg)); err != nil {
		t.Fatal(err)
	}
	if err := c.Call(context.Background(), &opEcho12, &msg{Text: "x"}, new(msg)); err == nil || !strings.Contains(err.Error(), "no endpoint") {
		t.Errorf("no endpoint: %v", err)
	}
}

// TestAddressingTo: wsa:To is the endpoint by default; WithAddressingTo
// overrides it (the DMP examples send an empty one).
func TestAddressingTo(t *testing.T) {
	seen := make(chan *soap.Request, 1)
	env := soaptest.NewEnv(t, echoServer(t, seen))
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithAddressingTo(""))
	if err := c.Call(context.Background(), &opEcho12, &msg{Text: "x"}, new(msg)); err != nil {
		t.Fatal(err)
	}
	if r := <-seen; r.To != "" {
		t.Errorf("wsa:To %q, want empty", r.To)
	}
}

// headerBlock is a HeaderProvider returning fixed bytes.
type headerBlock struct {
	b      []byte
	action string
}

func (h *headerBlock) HeaderBlock(_ context.Context, action string) ([]byte, error) {
	h.action = action
	return h.b, nil
}

// TestHeaderProvider checks that blocks are inserted verbatim, in order,
// after the WS-Addressing headers, and that a malformed block is refused.
func TestHeaderProvider(t *testing.T) {
	seen := make(chan *soap.Request, 1)
	cap := &capture{next: echoServer(t, seen)}
	env := soaptest.NewEnv(t, cap)
	b1 := &headerBlock{b: []byte(`<x:A xmlns:x="urn:x"   z="1" >&#x41;<!-- kept --></x:A>`)}
	b2 := &headerBlock{b: []byte(`<y:B xmlns:y="urn:y"/>`)}
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithHeader(b1), soap.WithHeader(b2))
	if err := c.Call(context.Background(), &opEcho12, &msg{Text: "x"}, new(msg)); err != nil {
		t.Fatal(err)
	}
	_, body := cap.last()
	want := `</wsa:Action>` + string(b1.b) + string(b2.b) + `</soap:Header>`
	if !bytes.Contains(body, []byte(want)) {
		t.Errorf("blocks not inserted verbatim after wsa:Action:\n%s", body)
	}
	if b1.action != opEcho12.Action {
		t.Errorf("provider got action %q", b1.action)
	}
	r := <-seen
	if len(r.Header) != 6 || r.Header[4].Name != (xmltext.Name{Space: "urn:x", Local: "A"}) {
		t.Errorf("server header blocks %v", r.Header)
	}
	for _, bad := range []string{`<x:A xmlns:x="urn:x">`, `<a/><b/>`, `text`, `<?xml version="1.0"?><a/>`, `<p:a/>`} {
		c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithHeader(&headerBlock{b: []byte(bad)}))
		if err := c.Call(context.Background(), &opEcho12, &msg{Text: "x"}, new(msg)); err == nil {
			t.Errorf("header block %q accepted", bad)
		}
	}
}

func tlsCertificateNone() tls.Certificate { return tls.Certificate{} }

// TestMessageID: a given wsa:MessageID is sent and checked against the
// response's RelatesTo; the one sent is reported, generated or given; a
// value that is not an absolute URI is refused before sending.
func TestMessageID(t *testing.T) {
	seen := make(chan *soap.Request, 2)
	env := soaptest.NewEnv(t, echoServer(t, seen))
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	const id = "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"
	var sent string
	if err := c.Call(context.Background(), &opEcho12, &msg{Text: "x"}, new(msg), soap.WithMessageID(id), soap.SentMessageID(&sent)); err != nil {
		t.Fatal(err)
	}
	if r := <-seen; r.MessageID != id || sent != id {
		t.Errorf("server saw %q, reported %q, want %q", r.MessageID, sent, id)
	}
	if err := c.Call(context.Background(), &opEcho12, &msg{Text: "x"}, new(msg), soap.SentMessageID(&sent)); err != nil {
		t.Fatal(err)
	}
	if r := <-seen; r.MessageID != sent || !strings.HasPrefix(sent, "urn:uuid:") || sent == id {
		t.Errorf("server saw %q, reported %q", r.MessageID, sent)
	}
	for _, bad := range []string{"not a uri", "relative/path", "urn:uuid:a\nb"} {
		if err := c.Call(context.Background(), &opEcho12, &msg{Text: "x"}, new(msg), soap.WithMessageID(bad)); err == nil || !strings.Contains(err.Error(), "not an absolute URI") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	select {
	case r := <-seen:
		t.Errorf("a request with a bad MessageID was sent: %q", r.MessageID)
	default:
	}
}

// TestCallOptionsFromContext: options carried by the context apply to the
// call, before its own, and accumulate over WithCallOptions.
func TestCallOptionsFromContext(t *testing.T) {
	seen := make(chan *soap.Request, 1)
	env := soaptest.NewEnv(t, echoServer(t, seen))
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	const id = "urn:uuid:6f1e9f0a-8d3c-4b7e-9a51-2f0c4d7b1e11"
	var fromCtx, fromCall string
	ctx := soap.WithCallOptions(context.Background(), soap.WithMessageID(id))
	ctx = soap.WithCallOptions(ctx, soap.SentMessageID(&fromCtx))
	if err := c.Call(ctx, &opEcho12, &msg{Text: "x"}, new(msg), soap.SentMessageID(&fromCall)); err != nil {
		t.Fatal(err)
	}
	if r := <-seen; r.MessageID != id || fromCtx != id || fromCall != id {
		t.Errorf("server saw %q; reported %q (context) and %q (call)", r.MessageID, fromCtx, fromCall)
	}
	if n := len(soap.CallOptionsFrom(ctx)); n != 2 {
		t.Errorf("%d options in the context, want 2", n)
	}
}
