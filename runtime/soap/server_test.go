package soap_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// post sends a raw request and returns the status and body of the answer.
func post(t *testing.T, env *soaptest.Env, contentType string, body []byte, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, env.URL(), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := env.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// request12 builds a SOAP 1.2 request with the given header blocks.
func request12(header, body string) []byte {
	return []byte(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>` +
		header + `</s:Header><s:Body>` + body + `</s:Body></s:Envelope>`)
}

const (
	msgBody   = `<t:Msg xmlns:t="urn:dmpgen:soap:test"><t:Text>hi</t:Text></t:Msg>`
	echoWSA   = `<a:MessageID>urn:uuid:6d0f4c43-9a36-4a35-b7c4-1c2f8f0b0001</a:MessageID><a:Action>urn:test:Echo12</a:Action>`
	soap12    = "application/soap+xml; charset=utf-8"
	senderVal = `<soap:Value>soap:Sender</soap:Value>`
)

func TestServerRejects(t *testing.T) {
	env := soaptest.NewEnv(t, echoServer(t, nil))
	cases := []struct {
		name, contentType string
		body              []byte
		status            int
		want              []string
	}{
		{"not XML", soap12, []byte("hello"), 400, []string{senderVal, "not XML"}},
		{"not SOAP", soap12, []byte("<a/>"), 400, []string{senderVal, "not a SOAP Envelope"}},
		{"HTML", "text/html", []byte("<html/>"), 415, []string{senderVal, "unsupported Content-Type"}},
		{"bad Content-Type", "a/b/c", []byte("<html/>"), 415, []string{senderVal}},
		{"unknown action", soap12, request12(`<a:Action>urn:nope</a:Action>`, msgBody), 400, []string{senderVal, "wsa:ActionNotSupported", `"urn:nope"`}},
		{"body of another operation", soap12, request12(echoWSA, `<t:Msg11 xmlns:t="urn:dmpgen:soap:test"/>`), 400, []string{senderVal, "does not match operation Echo12"}},
		{"empty body", soap12, request12(echoWSA, ``), 400, []string{senderVal, "empty Body"}},
		{"body the type rejects", soap12, request12(echoWSA, `<t:Msg xmlns:t="urn:dmpgen:soap:test"><t:Nope/></t:Msg>`), 400, []string{senderVal, "envelope:1:"}},
		{"unknown mustUnderstand header", soap12, request12(echoWSA+`<x:Sec xmlns:x="urn:sec" s:mustUnderstand="true"/>`, msgBody), 500, []string{"soap:MustUnderstand", "{urn:sec}Sec"}},
		{"repeated MessageID", soap12, request12(echoWSA+`<a:MessageID>urn:x</a:MessageID>`, msgBody), 400, []string{"repeated wsa:MessageID"}},
		{"unknown envelope version", soap12, []byte(`<s:Envelope xmlns:s="urn:soap:3"><s:Body/></s:Envelope>`), 500, []string{"soap:VersionMismatch"}},
		{"SOAP 1.1 envelope for a SOAP 1.2 operation", "text/xml", []byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>` + echoWSA + `</s:Header><s:Body>` + msgBody + `</s:Body></s:Envelope>`), 500, []string{"<faultcode>soap:Client</faultcode>", "bound to SOAP 1.2"}},
	}
	for _, tc := range cases {
		status, body := post(t, env, tc.contentType, tc.body)
		if status != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, status, tc.status, body)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: answer lacks %q: %s", tc.name, w, body)
			}
		}
		if strings.Contains(tc.name, "MessageID") || !strings.Contains(string(tc.body), "urn:uuid:6d0f4c43") {
			continue
		}
		if !strings.Contains(body, "<wsa:RelatesTo>urn:uuid:6d0f4c43-9a36-4a35-b7c4-1c2f8f0b0001</wsa:RelatesTo>") {
			t.Errorf("%s: fault does not relate to the request: %s", tc.name, body)
		}
	}
}

// TestServerDispatch: by wsa:Action, by body element without WS-Addressing,
// and by HTTP action when several operations take the same element.
func TestServerDispatch(t *testing.T) {
	srv := soap.NewServer(soap.WithUnderstoodHeaders(xmltext.Name{Space: "urn:sec", Local: "Sec"}))
	reply := func(name string) soap.HandlerFunc {
		return func(context.Context, xmlbind.Value) (xmlbind.Value, error) { return &msg{Text: name}, nil }
	}
	a, b := opEcho12, opEcho12
	a.Name, a.Action, a.SOAPAction = "A", "urn:A", "urn:A"
	b.Name, b.Action, b.SOAPAction = "B", "urn:B", "urn:B"
	srv.Handle(&a, newMsg, reply("A"))
	srv.Handle(&b, newMsg, reply("B"))
	other := opEcho12
	other.Action, other.Request = "urn:C", tn("Other")
	srv.Handle(&other, newMsg, reply("C"))
	env := soaptest.NewEnv(t, srv)
	cases := []struct {
		name, contentType, body, want string
		status                        int
	}{
		{"wsa:Action", soap12, string(request12(`<a:Action>urn:B</a:Action>`, msgBody)), ">B<", 200},
		{"body element", soap12, string(request12(``, `<t:Other xmlns:t="urn:dmpgen:soap:test"/>`)), ">C<", 200},
		{"HTTP action", soap12 + `; action="urn:A"`, string(request12(``, msgBody)), ">A<", 200},
		{"ambiguous", soap12, string(request12(``, msgBody)), "taken by 2 operations", 400},
		{"understood mustUnderstand header", soap12, string(request12(`<a:Action>urn:A</a:Action><x:Sec xmlns:x="urn:sec" s:mustUnderstand="1"/>`, msgBody)), ">A<", 200},
	}
	for _, tc := range cases {
		status, body := post(t, env, tc.contentType, []byte(tc.body))
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s", tc.name, status, body)
		}
		if status == 200 && strings.Contains(body, "RelatesTo") {
			t.Errorf("%s: RelatesTo without a request MessageID: %s", tc.name, body)
		}
	}
	if status, _ := post(t, env, soap12, request12(`<a:Action>urn:A</a:Action>`, msgBody)); status != 200 {
		t.Error(status)
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a wsa:Action twice did not panic")
		}
	}()
	srv.Handle(&a, newMsg, reply("again"))
}

// TestServerLenient accepts a SOAP 1.1 envelope for a SOAP 1.2 operation,
// as the DMP's TD2.1 capture sends (SOAP 1.1 inside a SOAP 1.2 MTOM
// package), and answers in the request's version.
func TestServerLenient(t *testing.T) {
	srv := soap.NewServer(soap.WithServerLenientDecoding(true))
	srv.Handle(&opEcho12, newMsg, func(context.Context, xmlbind.Value) (xmlbind.Value, error) { return &msg{Text: "ok"}, nil })
	env := soaptest.NewEnv(t, srv)
	req := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>` + echoWSA + `</s:Header><s:Body><t:Msg xmlns:t="urn:dmpgen:soap:test"><t:Text>x</t:Text><t:Unknown/></t:Msg></s:Body></s:Envelope>`
	status, body := post(t, env, soap12, []byte(req))
	if status != 200 || !strings.Contains(body, soap.NamespaceSOAP11) || !strings.Contains(body, ">ok<") {
		t.Errorf("%d %s", status, body)
	}
}

// TestServerBadMTOMRequests: a truncated or inconsistent MTOM request gets a
// fault even when the handler ignores the attachments.
func TestServerBadMTOMRequests(t *testing.T) {
	called := 0
	srv := soap.NewServer()
	srv.Handle(&opPut, newMsg, func(context.Context, xmlbind.Value) (xmlbind.Value, error) {
		called++
		return &msg{Text: "ok"}, nil
	})
	env := soaptest.NewEnv(t, srv)
	build := func(includes []string, parts ...string) (string, []byte) {
		var buf bytes.Buffer
		w, err := mtom.NewWriter(&buf, mtom.WriterOptions{Action: opPut.SOAPAction})
		if err != nil {
			t.Fatal(err)
		}
		var docs string
		for _, id := range includes {
			docs += `<t:Doc><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="` + mtom.Href(id) + `"/></t:Doc>`
		}
		if err := writeRoot(w, request12(`<a:Action>urn:test:Put</a:Action>`, `<t:Put xmlns:t="urn:dmpgen:soap:test"><t:Text/>`+docs+`</t:Put>`)); err != nil {
			t.Fatal(err)
		}
		for _, id := range parts {
			if _, err := w.WriteAttachment(&mtom.Part{ContentID: id, Body: newPattern(1, 100<<10)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return w.ContentType(), buf.Bytes()
	}
	ct, good := build([]string{"a@x"}, "a@x")
	if status, body := post(t, env, ct, good); status != 200 {
		t.Fatalf("good request: %d %s", status, body)
	}
	ct2, missing := build([]string{"a@x", "b@x"}, "a@x")
	for name, tc := range map[string][2]string{
		"truncated":   {ct, string(good[:len(good)-5000])},
		"unknown cid": {ct2, string(missing)},
	} {
		status, answer := post(t, env, tc[0], []byte(tc[1]))
		if status != 400 || !strings.Contains(answer, "incomplete or inconsistent") {
			t.Errorf("%s: %d %s", name, status, answer)
		}
	}
	if status, answer := post(t, env, ct, good[:200]); status != 400 || !strings.Contains(answer, "truncated") {
		t.Errorf("truncated root: %d %s", status, answer)
	}
	if called != 3 {
		t.Errorf("handler called %d times", called)
	}
}

func writeRoot(w *mtom.Writer, env []byte) error {
	root, err := w.CreateRoot()
	if err != nil {
		return err
	}
	_, err = root.Write(env)
	return err
}

func TestServerRequestTooLarge(t *testing.T) {
	srv := soap.NewServer(soap.WithMaxRequestSize(1000))
	srv.Handle(&opEcho12, newMsg, func(context.Context, xmlbind.Value) (xmlbind.Value, error) { return &msg{}, nil })
	env := soaptest.NewEnv(t, srv)
	status, body := post(t, env, soap12, request12(echoWSA, `<t:Msg xmlns:t="urn:dmpgen:soap:test"><t:Text>`+strings.Repeat("x", 2000)+`</t:Text></t:Msg>`))
	if status != 413 || !strings.Contains(body, "larger than 1000 bytes") {
		t.Errorf("%d %s", status, body)
	}
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	if err := c.Call(context.Background(), &opEcho12, &msg{Text: strings.Repeat("y", 2000)}, new(msg)); err == nil {
		t.Error("oversized call accepted")
	}
}

func TestServerMethods(t *testing.T) {
	env := soaptest.NewEnv(t, echoServer(t, nil))
	for _, m := range []string{http.MethodGet, http.MethodPut} {
		req, _ := http.NewRequest(m, env.URL()+"?wsdl", nil)
		resp, err := env.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: %s", m, resp.Status)
		}
	}
}

// TestHeaderHook: the hook sees the request, can pass values to the
// handler, and refuses requests with a fault of its choice.
func TestHeaderHook(t *testing.T) {
	type key struct{}
	srv := soap.NewServer(soap.WithHeaderHook(func(ctx context.Context, r *soap.Request) (context.Context, error) {
		var tok *xmltext.Element
		for _, h := range r.Header {
			if h.Name == (xmltext.Name{Space: "urn:sec", Local: "Tok"}) {
				tok = h
			}
		}
		switch {
		case tok == nil:
			return nil, errors.New("no security header")
		case tok.Text() == "bad":
			return nil, &soap.FaultError{Code: soap.CodeSender, Subcodes: []xmltext.Name{{Space: "urn:sec", Local: "InvalidSecurity"}}, Reason: "VIHF refusé"}
		}
		if !bytes.Contains(r.Envelope, []byte("<x:Tok")) {
			return nil, errors.New("Envelope is not the received bytes")
		}
		return context.WithValue(ctx, key{}, tok.Text()), nil
	}))
	srv.Handle(&opEcho12, newMsg, func(ctx context.Context, _ xmlbind.Value) (xmlbind.Value, error) {
		return &msg{Text: ctx.Value(key{}).(string)}, nil
	})
	env := soaptest.NewEnv(t, srv)
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	for _, tc := range []struct{ token, want string }{{"good", "good"}, {"bad", "InvalidSecurity"}, {"", "no security header"}} {
		var opts []soap.Option
		if tc.token != "" {
			opts = append(opts, soap.WithHeader(&headerBlock{b: []byte(`<x:Tok xmlns:x="urn:sec">` + tc.token + `</x:Tok>`)}))
		}
		c = soap.NewClient(env.URL(), append(opts, soap.WithHTTPClient(env.Client))...)
		resp := new(msg)
		err := c.Call(context.Background(), &opEcho12, &msg{}, resp)
		got := resp.Text
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("token %q: %s", tc.token, got)
		}
	}
}
