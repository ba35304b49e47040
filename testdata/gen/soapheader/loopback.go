// The loopback test of the soapheader case (internal/gen TestCases): the
// generated SOAP 1.2 and SOAP 1.1 clients call the generated handlers on a
// loopback server with schema-valid and schema-invalid header blocks. The
// blocks and bodies of the valid exchanges are written to the directory
// given as argument, for xmllint, and the schema-invalid block as
// invalid-*.xml, which xmllint must refuse.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/dmpgen/dmpgen/internal/gen/casetmp/soapheader/t/hdr"
	"github.com/dmpgen/dmpgen/internal/gen/casetmp/soapheader/t/svc"
	"github.com/dmpgen/dmpgen/internal/gen/casetmp/soapheader/t/trace"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

func str(s string) *string { return &s }

// handler serves both bindings: the header values reach it typed.
type handler struct{ seen []string }

func (h *handler) get(req *hdr.Req, ctx *hdr.Context, session *xmlbind.Raw, tr *trace.Trace) (*hdr.Resp, *hdr.Receipt, error) {
	h.seen = append(h.seen, fmt.Sprintf("%s %s v%d %s %x", *req.A, *ctx.Id, ctx.Version, session.Element.Text(), tr.Span[0]))
	if *ctx.Id == "ZZ0" {
		return nil, nil, &soap.FaultError{Code: soap.CodeSender, Reason: "context refused",
			Headers: []xmlbind.Value{&hdr.ContextFault{Why: str("ZZ0 is closed")}}}
	}
	b := int32(len(*req.A))
	seq, _ := xsdt.ParsePositiveInteger("7")
	if *req.A == "bad receipt" {
		seq, _ = xsdt.ParseInteger("0") // not a positiveInteger
	}
	return &hdr.Resp{B: &b}, &hdr.Receipt{Seq: &seq}, nil
}

type h12 struct{ *handler }

func (h h12) Get(_ context.Context, req *hdr.Req, in *svc.Svc2GetRequestHeaders) (*hdr.Resp, *svc.Svc2GetResponseHeaders, error) {
	resp, r, err := h.get(req, in.Ctx, in.Session, in.Trace)
	return resp, &svc.Svc2GetResponseHeaders{Receipt: r}, err
}

func (h h12) Ping(_ context.Context, req *hdr.Req, in *svc.Svc2PingRequestHeaders) error {
	h.seen = append(h.seen, fmt.Sprintf("ping %s %x", *req.A, in.Trace.Span[0]))
	return nil
}

type h11 struct{ *handler }

func (h h11) Get(_ context.Context, req *hdr.Req, in *svc.SvcGetRequestHeaders) (*hdr.Resp, *svc.SvcGetResponseHeaders, error) {
	resp, r, err := h.get(req, in.Ctx, in.Session, in.Trace)
	return resp, &svc.SvcGetResponseHeaders{Receipt: r}, err
}

func (h h11) Ping(context.Context, *hdr.Req, *svc.SvcPingRequestHeaders) error { return nil }

func (h h11) Status(context.Context, *hdr.Req) (*hdr.Resp, *svc.SvcStatusResponseHeaders, error) {
	return nil, nil, errors.New("not called")
}

// Status has response headers only.
func (h h12) Status(_ context.Context, req *hdr.Req) (*hdr.Resp, *svc.Svc2StatusResponseHeaders, error) {
	b := int32(1)
	seq, _ := xsdt.ParsePositiveInteger("42")
	return &hdr.Resp{B: &b}, &svc.Svc2StatusResponseHeaders{Receipt: &hdr.Receipt{Seq: &seq}}, nil
}

// recorder keeps the request and response bodies of each exchange.
type recorder struct {
	next      http.Handler
	exchanges [][2][]byte
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(body))
	rw := &captureWriter{ResponseWriter: w}
	r.next.ServeHTTP(rw, req)
	r.exchanges = append(r.exchanges, [2][]byte{body, rw.buf.Bytes()})
}

type captureWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (c *captureWriter) Write(b []byte) (int, error) {
	c.buf.Write(b)
	return c.ResponseWriter.Write(b)
}

var failed bool

func check(ok bool, format string, args ...any) {
	if !ok {
		failed = true
		fmt.Printf("FAIL: "+format+"\n", args...)
	}
}

// session is a raw header block of simple type, with a namespace
// declaration of its own that must survive.
func session(v string) *xmlbind.Raw {
	return &xmlbind.Raw{Element: &xmltext.Element{Name: xmltext.Name{Space: "urn:dmpgen:hdr", Local: "Session"}, Prefix: "s",
		NS: []xmltext.NSDecl{{Prefix: "s", URI: "urn:dmpgen:hdr"}}, Children: []xmltext.Node{xmltext.Text(v)}}}
}

func main() {
	out := os.Args[1]
	ctx := context.Background()
	h := &handler{}
	srv := soap.NewServer()
	svc.RegisterSvc2(srv, h12{h})
	rec := &recorder{next: srv}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	srv11 := soap.NewServer()
	svc.RegisterSvc(srv11, h11{h})
	rec11 := &recorder{next: srv11}
	ts11 := httptest.NewServer(rec11)
	defer ts11.Close()

	c := svc.NewSvc2Client(soap.NewClient(ts.URL, soap.WithPrefixes(hdr.Prefixes)))
	good := &svc.Svc2GetRequestHeaders{
		Ctx:     &hdr.Context{Version: 2, Id: str("AB12"), User: str("dr")},
		Session: session("s-1"),
		Trace:   &trace.Trace{Span: [][]byte{{0xca, 0xfe}}},
	}

	// 1. Valid headers, both ways (SOAP 1.2), with mustUnderstand on the bound blocks.
	resp, rh, err := c.Get(ctx, &hdr.Req{A: str("hello")}, good, soap.MustUnderstand())
	check(err == nil, "valid call: %v", err)
	if err == nil {
		check(*resp.B == 5 && rh.Receipt != nil && rh.Receipt.Seq.String() == "7", "response %+v %+v", resp, rh)
		check(strings.Contains(string(rec.exchanges[0][0]), `soap:mustUnderstand="true"`), "mustUnderstand not sent:\n%s", rec.exchanges[0][0])
		check(len(h.seen) == 1 && h.seen[0] == "hello AB12 v2 s-1 cafe", "handler saw %q", h.seen)
		// The binding's wsa:Action header is the runtime's: written once.
		check(strings.Count(string(rec.exchanges[0][0]), "<wsa:Action") == 1, "wsa:Action not written once:\n%s", rec.exchanges[0][0])
		write(out, "soap12", rec.exchanges[0], nil)
	}

	// 2. A one-way operation with a header part of another message.
	err = c.Ping(ctx, &hdr.Req{A: str("p")}, &svc.Svc2PingRequestHeaders{Trace: &trace.Trace{Span: [][]byte{{1}}}})
	check(err == nil && h.seen[len(h.seen)-1] == "ping p 01", "ping: %v %q", err, h.seen)

	// 2b. Response headers without request headers.
	resp, sh, err := c.Status(ctx, &hdr.Req{A: str("s")})
	check(err == nil && *resp.B == 1 && sh.Receipt.Seq.String() == "42", "Status: %v", err)

	// 3. A schema-invalid request header (Id does not match its pattern): a
	// positioned Sender fault, the handler is not called.
	n := len(h.seen)
	bad := *good
	bad.Ctx = &hdr.Context{Version: 2, Id: str("ab")}
	_, _, err = c.Get(ctx, &hdr.Req{A: str("x")}, &bad)
	var fe *soap.FaultError
	check(errors.As(err, &fe) && fe.Code == soap.CodeSender && strings.Contains(fe.Reason, "envelope:1:") &&
		strings.Contains(fe.Reason, "/Id: pattern") && len(h.seen) == n, "invalid header: %v", err)
	// xmllint must refuse the block as well.
	write(out, "invalid-soap12", [2][]byte{rec.exchanges[len(rec.exchanges)-1][0], nil}, func(n xmltext.Name) bool { return n.Local == "Context" })

	// 4. A header block the generated type cannot decode (missing required
	// attribute version): a positioned Sender fault.
	env := strings.Replace(string(rec.exchanges[0][0]), ` version="2"`, "", 1)
	fe = post(ts.URL, env)
	check(fe != nil && fe.Code == soap.CodeSender && strings.Contains(fe.Reason, "envelope:1:") && strings.Contains(fe.Reason, "version"), "undecodable header: %v", fe)

	// 5. A missing bound block: refused by the client before sending, and by the server.
	_, _, err = c.Get(ctx, &hdr.Req{A: str("x")}, &svc.Svc2GetRequestHeaders{Ctx: good.Ctx, Trace: good.Trace})
	check(err != nil && strings.Contains(err.Error(), "Session (part session) is missing"), "missing header, client: %v", err)
	sent := string(rec.exchanges[0][0])
	i := strings.Index(sent, "<s:Session")
	j := strings.Index(sent, "</s:Session>") + len("</s:Session>")
	if i < 0 || j < i {
		check(false, "no s:Session in %s", sent)
	} else {
		fe = post(ts.URL, sent[:i]+sent[j:])
		check(fe != nil && fe.Code == soap.CodeSender && strings.Contains(fe.Reason, "R2738"), "missing header, server: %v", fe)
	}

	// 6. mustUnderstand: a bound block is understood, an unknown one is not.
	unknown := strings.Replace(string(rec.exchanges[0][0]), "<s:Session", `<x:Other xmlns:x="urn:other" soap:mustUnderstand="true"/><s:Session`, 1)
	fe = post(ts.URL, unknown)
	check(fe != nil && fe.Code == soap.CodeMustUnderstand && strings.Contains(fe.Reason, "{urn:other}Other"), "unknown mustUnderstand block: %v", fe)

	// 7. soap:headerfault: the handler's typed fault header reaches the client typed.
	ff := *good
	ff.Ctx = &hdr.Context{Version: 1, Id: str("ZZ0")}
	_, _, err = c.Get(ctx, &hdr.Req{A: str("x")}, &ff)
	fe = nil
	check(errors.As(err, &fe) && len(fe.Headers) == 1, "header fault: %v", err)
	if fe != nil && len(fe.Headers) == 1 {
		cf, ok := fe.Headers[0].(*hdr.ContextFault)
		check(ok && *cf.Why == "ZZ0 is closed", "header fault value %#v", fe.Headers[0])
		write(out, "headerfault", [2][]byte{nil, rec.exchanges[len(rec.exchanges)-1][1]}, nil)
	}

	// 8. A schema-invalid response header: a positioned client error.
	_, _, err = c.Get(ctx, &hdr.Req{A: str("bad receipt")}, good)
	check(errors.Is(err, soap.ErrHeader) && strings.Contains(err.Error(), "envelope:1:") && strings.Contains(err.Error(), "/Seq"), "invalid response header: %v", err)

	// 9. SOAP 1.1.
	c11 := svc.NewSvcClient(soap.NewClient(ts11.URL))
	resp, rh11, err := c11.Get(ctx, &hdr.Req{A: str("abc")}, &svc.SvcGetRequestHeaders{Ctx: good.Ctx, Session: session("s-11"), Trace: good.Trace}, soap.MustUnderstand(xmltext.Name{Space: "urn:dmpgen:hdr", Local: "Context"}))
	check(err == nil && *resp.B == 3 && rh11.Receipt.Seq.String() == "7", "SOAP 1.1 call: %v", err)
	if err == nil {
		check(strings.Contains(string(rec11.exchanges[0][0]), `soap:mustUnderstand="1"`), "SOAP 1.1 mustUnderstand not sent:\n%s", rec11.exchanges[0][0])
		write(out, "soap11", rec11.exchanges[0], nil)
	}
	// 10. soap:headerfault in SOAP 1.1.
	_, _, err = c11.Get(ctx, &hdr.Req{A: str("x")}, &svc.SvcGetRequestHeaders{Ctx: ff.Ctx, Session: session("s"), Trace: good.Trace})
	fe = nil
	check(errors.As(err, &fe) && fe.Code == soap.CodeSender && len(fe.Headers) == 1, "SOAP 1.1 header fault: %v", err)
	if fe != nil && len(fe.Headers) == 1 {
		cf, ok := fe.Headers[0].(*hdr.ContextFault)
		check(ok && *cf.Why == "ZZ0 is closed", "SOAP 1.1 header fault value %#v", fe.Headers[0])
	}
	if failed {
		os.Exit(1)
	}
	fmt.Println("ok")
}

// post sends a SOAP 1.2 envelope as is and returns the fault answered:
// its code and reason.
func post(url, env string) *soap.FaultError {
	resp, err := http.Post(url, "application/soap+xml; charset=utf-8", strings.NewReader(env))
	if err != nil {
		return &soap.FaultError{Reason: err.Error()}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fe := &soap.FaultError{Reason: string(body)}
	for _, code := range []string{soap.CodeSender, soap.CodeMustUnderstand} {
		if strings.Contains(fe.Reason, ":"+code+"</") {
			fe.Code = code
		}
	}
	return fe
}

// write stores the header blocks (but WS-Addressing's) and the body
// element of each envelope of an exchange, one file each; keep, when not
// nil, selects the elements to store.
func write(dir, label string, ex [2][]byte, keep func(xmltext.Name) bool) {
	for k, env := range ex {
		if env == nil {
			continue
		}
		d := xmltext.NewDecoder(env, xmltext.Options{File: label})
		tok, err := d.NextElementOrEnd()
		if err != nil {
			check(false, "%s: %v", label, err)
			return
		}
		root, err := d.ReadElement(tok)
		if err != nil {
			check(false, "%s: %v", label, err)
			return
		}
		n := 0
		for _, part := range root.Elements() {
			for _, el := range part.Elements() {
				if el.Name.Space == soap.NamespaceWSA || el.Name.Local == "Fault" || keep != nil && !keep(el.Name) {
					continue
				}
				// soap:mustUnderstand belongs to SOAP, not to the block's schema.
				attrs := el.Attrs[:0]
				for _, a := range el.Attrs {
					if a.Name.Space != root.Name.Space {
						attrs = append(attrs, a)
					}
				}
				el.Attrs = attrs
				e := xmltext.NewEncoder(nil)
				e.WriteElement(el)
				if err := e.Finish(); err != nil {
					check(false, "%s: %v", label, err)
					return
				}
				n++
				name := filepath.Join(dir, fmt.Sprintf("%s-%d-%d-%s.xml", label, k, n, el.Name.Local))
				if err := os.WriteFile(name, e.Bytes(), 0o644); err != nil {
					check(false, "%v", err)
				}
			}
		}
	}
}
