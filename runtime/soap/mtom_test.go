package soap_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
)

// putServer answers Put and Put11 with putHandler.
func putServer(t *testing.T) *soap.Server {
	srv := soap.NewServer()
	srv.Handle(&opPut, newMsg, putHandler)
	srv.Handle(&opPut11, newMsg, putHandler)
	return srv
}

// putHandler streams every attachment of the request, and answers with
// "<cid>=<sha256>:<size>:<type>" lines.
func putHandler(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error) {
	m := req.(*msg)
	var lines []string
	for _, d := range m.Docs {
		if d.Include == "" {
			lines = append(lines, fmt.Sprintf("inline=%d", len(d.Data)))
		}
	}
	sums, err := sumAttachments(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range sums {
		lines = append(lines, fmt.Sprintf("%s=%s:%d:%s", a.id, a.sum, a.size, a.contentType))
	}
	return &msg{Text: strings.Join(lines, "\n")}, nil
}

type attachmentSum struct {
	id, sum, contentType string
	size                 int64
}

// sumAttachments streams the attachments of the request being handled and
// returns their SHA-256 and size, in message order.
func sumAttachments(ctx context.Context) ([]attachmentSum, error) {
	var out []attachmentSum
	atts := soap.RequestAttachments(ctx)
	for {
		p, err := atts.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		s, n, err := sum(p.Body)
		if err != nil {
			return nil, err
		}
		out = append(out, attachmentSum{id: p.ContentID, sum: s, contentType: p.ContentType, size: n})
	}
}

// TestMTOMRequest streams N attachments of various sizes (one empty, one
// whose Content-ID needs percent-encoding in its cid: URL) next to inline
// base64 content, for SOAP 1.2 and SOAP 1.1.
func TestMTOMRequest(t *testing.T) {
	cap := &capture{next: putServer(t)}
	env := soaptest.NewEnv(t, cap)
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	sizes := []int64{0, 1, 1 << 20, 3<<20 + 17}
	ids := []string{"empty@test", "one@test", "doc-1@urn:ihe:iti:xds-b:2007", "big-part@test"}
	for _, op := range []*soap.Operation{&opPut, &opPut11} {
		t.Run(op.Version.String(), func(t *testing.T) {
			req := &msg{Text: "x", Docs: []xmlbind.Binary{{Data: []byte("inline bytes")}}}
			var atts []soap.Attachment
			var want []string
			want = append(want, "inline=12")
			for i, size := range sizes {
				req.Docs = append(req.Docs, xmlbind.Binary{Include: ids[i]})
				atts = append(atts, soap.Attachment{ContentID: ids[i], ContentType: "text/xml", Body: newPattern(uint64(i), size)})
				want = append(want, fmt.Sprintf("%s=%s:%d:text/xml", ids[i], patternSum(uint64(i), size), size))
			}
			resp := new(msg)
			if err := c.Call(context.Background(), op, req, resp, soap.WithAttachments(atts...)); err != nil {
				t.Fatal(err)
			}
			if got := strings.Split(resp.Text, "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("server saw\n%s\nwant\n%s", resp.Text, strings.Join(want, "\n"))
			}
			h, body := cap.last()
			mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
			if err != nil || mt != "multipart/related" || params["type"] != mtom.MediaTypeXOP {
				t.Errorf("Content-Type %q", h.Get("Content-Type"))
			}
			wantInfo := map[soap.Version]string{soap.V12: mtom.MediaTypeSOAP12, soap.V11: mtom.MediaTypeSOAP11}[op.Version]
			if params["start-info"] != wantInfo {
				t.Errorf("start-info %q, want %q", params["start-info"], wantInfo)
			}
			if op.Version == soap.V12 && params["action"] != op.SOAPAction || op.Version == soap.V11 && (params["action"] != "" || h.Get("SOAPAction") != `"`+op.SOAPAction+`"`) {
				t.Errorf("action: Content-Type %q, SOAPAction %q", h.Get("Content-Type"), h.Get("SOAPAction"))
			}
			if !strings.Contains(string(body), `href="cid:doc-1@urn%3Aihe%3Aiti%3Axds-b%3A2007"`) {
				t.Error("the cid: URL is not percent-encoded")
			}
			if h.Get("Content-Length") != "" || len(h.Values("Transfer-Encoding")) > 0 {
				// net/http removes Transfer-Encoding from the header; a
				// streamed body has no Content-Length.
				t.Errorf("streamed request has Content-Length %q", h.Get("Content-Length"))
			}
		})
	}
}

// TestMTOMRequestAttachmentChecks: references and attachments must match
// one to one before anything is sent.
func TestMTOMRequestAttachmentChecks(t *testing.T) {
	env := soaptest.NewEnv(t, putServer(t))
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	ctx := context.Background()
	att := func(id string) soap.Attachment {
		return soap.Attachment{ContentID: id, Body: strings.NewReader("x")}
	}
	cases := []struct {
		name string
		op   *soap.Operation
		req  *msg
		atts []soap.Attachment
		want error
	}{
		{"unknown cid", &opPut, &msg{Docs: []xmlbind.Binary{{Include: "a@x"}}}, []soap.Attachment{att("b@x")}, mtom.ErrUnknownCID},
		{"unreferenced", &opPut, &msg{Docs: []xmlbind.Binary{{Include: "a@x"}}}, []soap.Attachment{att("a@x"), att("b@x")}, soap.ErrAttachments},
		{"duplicate", &opPut, &msg{Docs: []xmlbind.Binary{{Include: "a@x"}}}, []soap.Attachment{att("a@x"), att("a@x")}, mtom.ErrDuplicateContentID},
		{"bad Content-ID", &opPut, &msg{Docs: []xmlbind.Binary{{Include: "a b@x"}}}, []soap.Attachment{att("a b@x")}, mtom.ErrInvalidContentID},
		{"no body", &opPut, &msg{Docs: []xmlbind.Binary{{Include: "a@x"}}}, []soap.Attachment{{ContentID: "a@x"}}, soap.ErrAttachments},
		{"not MTOM", &opEcho12, &msg{}, []soap.Attachment{att("a@x")}, soap.ErrAttachments},
		{"include in plain request", &opEcho12, &msg{Docs: []xmlbind.Binary{{Include: "a@x"}}}, nil, mtom.ErrUnknownCID},
	}
	for _, tc := range cases {
		err := c.Call(ctx, tc.op, tc.req, new(msg), soap.WithAttachments(tc.atts...))
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

// failingReader fails after n bytes.
type failingReader struct{ n int }

var errDisk = errors.New("disk on fire")

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errDisk
	}
	n := min(len(p), f.n)
	f.n -= n
	return n, nil
}

// TestMTOMRequestReaderFails: an attachment reader failing half-way aborts
// the call with its error; the server never answers success.
func TestMTOMRequestReaderFails(t *testing.T) {
	handled := make(chan error, 1)
	srv := soap.NewServer()
	srv.Handle(&opPut, newMsg, func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error) {
		a := soap.RequestAttachments(ctx)
		for {
			p, err := a.Next()
			if err != nil {
				if err == io.EOF {
					err = nil
				}
				handled <- err
				return &msg{}, err
			}
			if _, err := io.Copy(io.Discard, p.Body); err != nil {
				handled <- err
				return nil, err
			}
		}
	})
	env := soaptest.NewEnv(t, srv)
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	err := c.Call(context.Background(), &opPut, &msg{Docs: []xmlbind.Binary{{Include: "a@x"}}}, new(msg),
		soap.WithAttachments(soap.Attachment{ContentID: "a@x", Body: &failingReader{n: 300 << 10}}))
	if !errors.Is(err, errDisk) {
		t.Errorf("call error %v, want the reader's error", err)
	}
	if herr := <-handled; herr == nil {
		t.Error("the server read a complete message")
	}
}

// getServer answers Get with two attachments and one inline document.
func getServer(t *testing.T) *soap.Server {
	srv := soap.NewServer()
	srv.Handle(&opGet, newMsg, func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error) {
		if req.(*msg).Text == "inline" {
			return &msg{Text: "inline", Docs: []xmlbind.Binary{{Data: []byte("small document")}}}, nil
		}
		err := soap.AttachResponse(ctx,
			soap.Attachment{ContentID: "d1-2@urn:ihe:iti:xds-b:2007", ContentType: "text/xml", Body: newPattern(7, 2<<20)},
			soap.Attachment{ContentID: "d2@x", ContentType: "application/pdf", Body: newPattern(8, 1000)})
		if err != nil {
			return nil, err
		}
		return &msg{Text: "two", Docs: []xmlbind.Binary{{Include: "d1-2@urn:ihe:iti:xds-b:2007"}, {Include: "d2@x"}}}, nil
	})
	return srv
}

func TestMTOMResponse(t *testing.T) {
	env := soaptest.NewEnv(t, getServer(t))
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	ctx := context.Background()
	want := []string{"d1-2@urn:ihe:iti:xds-b:2007=" + patternSum(7, 2<<20), "d2@x=" + patternSum(8, 1000)}

	t.Run("OnAttachment", func(t *testing.T) {
		var got []string
		resp := new(msg)
		err := c.Call(ctx, &opGet, &msg{Text: "two"}, resp, soap.OnAttachment(func(p *mtom.Part) error {
			s, _, err := sum(p.Body)
			got = append(got, p.ContentID+"="+s)
			return err
		}))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("attachments %v, want %v", got, want)
		}
		if len(resp.Docs) != 2 || resp.Docs[0].Include != "d1-2@urn:ihe:iti:xds-b:2007" {
			t.Errorf("response %+v", resp)
		}
	})
	t.Run("Spool", func(t *testing.T) {
		var sp *mtom.Spool
		resp := new(msg)
		if err := c.Call(ctx, &opGet, &msg{Text: "two"}, resp, soap.SpoolAttachments(&sp, t.TempDir())); err != nil {
			t.Fatal(err)
		}
		defer sp.Close()
		p, ok := sp.Part(resp.Docs[1].Include)
		if !ok {
			t.Fatal("spool has no part for the second document")
		}
		if s, _, _ := sum(p.Open()); "d2@x="+s != want[1] {
			t.Error("spooled content differs")
		}
	})
	t.Run("inline", func(t *testing.T) {
		resp := new(msg)
		if err := c.Call(ctx, &opGet, &msg{Text: "inline"}, resp); err != nil {
			t.Fatal(err)
		}
		if len(resp.Docs) != 1 || string(resp.Docs[0].Data) != "small document" {
			t.Errorf("response %+v", resp)
		}
	})
	t.Run("no sink", func(t *testing.T) {
		err := c.Call(ctx, &opGet, &msg{Text: "two"}, new(msg))
		if !errors.Is(err, soap.ErrAttachments) {
			t.Errorf("attachments without a sink: %v", err)
		}
	})
	t.Run("sink fails", func(t *testing.T) {
		err := c.Call(ctx, &opGet, &msg{Text: "two"}, new(msg), soap.OnAttachment(func(*mtom.Part) error { return errDisk }))
		if !errors.Is(err, errDisk) {
			t.Errorf("failing sink: %v", err)
		}
	})
}

// TestMTOMResponsePlain: an MTOMResponse operation accepts a plain SOAP
// response (IHE allows an ITI-43 response without XOP parts).
func TestMTOMResponsePlain(t *testing.T) {
	env := soaptest.NewEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := requestMessageID(t, r)
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		io.WriteString(w, responseEnvelope(opGet.ResponseAction, id, `<t:GetResponse xmlns:t="urn:dmpgen:soap:test"><t:Text>plain</t:Text><t:Doc>
			aGVs
			bG8=
		</t:Doc></t:GetResponse>`))
	}))
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	resp := new(msg)
	if err := c.Call(context.Background(), &opGet, &msg{}, resp); err != nil {
		t.Fatal(err)
	}
	if resp.Text != "plain" || string(resp.Docs[0].Data) != "hello" {
		t.Errorf("response %+v", resp)
	}
}

// TestServerSpool: a handler may spool the request's attachments instead
// of streaming them; a plain request gives an empty spool.
func TestServerSpool(t *testing.T) {
	srv := soap.NewServer(soap.WithMaxRequestSize(200 << 10))
	h := func(ctx context.Context, req xmlbind.Value) (xmlbind.Value, error) {
		sp, err := soap.RequestAttachments(ctx).Spool(t.TempDir(), 0)
		if err != nil {
			return nil, err
		}
		defer sp.Close()
		var lines []string
		for _, d := range req.(*msg).Docs {
			p, ok := sp.Part(d.Include)
			if !ok {
				return nil, soap.SenderFault("no part " + d.Include)
			}
			s, _, err := sum(p.Open())
			if err != nil {
				return nil, err
			}
			lines = append(lines, d.Include+"="+s)
		}
		return &msg{Text: fmt.Sprintf("%d %s", len(sp.Parts()), strings.Join(lines, " "))}, nil
	}
	srv.Handle(&opPut, newMsg, h)
	srv.Handle(&opEcho12, newMsg, h)
	env := soaptest.NewEnv(t, srv)
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	resp := new(msg)
	err := c.Call(context.Background(), &opPut, &msg{Docs: []xmlbind.Binary{{Include: "b@x"}, {Include: "a@x"}}}, resp,
		soap.WithAttachments(soap.Attachment{ContentID: "a@x", Body: newPattern(1, 5000)}, soap.Attachment{ContentID: "b@x", Body: newPattern(2, 7000)}))
	if err != nil {
		t.Fatal(err)
	}
	if want := "2 b@x=" + patternSum(2, 7000) + " a@x=" + patternSum(1, 5000); resp.Text != want {
		t.Errorf("got %q, want %q", resp.Text, want)
	}
	if err := c.Call(context.Background(), &opEcho12, &msg{}, resp); err != nil || resp.Text != "0 " {
		t.Errorf("plain request: %v %q", err, resp.Text)
	}
	// Over the request limit in an attachment: 413.
	err = c.Call(context.Background(), &opPut, &msg{Docs: []xmlbind.Binary{{Include: "a@x"}}}, resp,
		soap.WithAttachments(soap.Attachment{ContentID: "a@x", Body: newPattern(1, 1<<20)}))
	var fe *soap.FaultError
	if !errors.As(err, &fe) || fe.HTTPStatus != 413 || !strings.Contains(fe.Reason, "larger than") {
		t.Errorf("oversized attachment: %v", err)
	}
}
