package soap_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/generated/xds/rs"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// repository is a DocumentRepository server (generated handler interface)
// that streams the attachments of ITI-41 requests.
type repository struct {
	got map[string]string // Content-ID -> SHA-256 of the attachment received
}

func (r *repository) ProvideAndRegisterDocumentSetB(ctx context.Context, req *xdsb.ProvideAndRegisterDocumentSetRequestType) (*rs.RegistryResponseType, error) {
	sums, err := sumAttachments(ctx)
	if err != nil {
		return nil, err
	}
	r.got = map[string]string{}
	for _, a := range sums {
		r.got[a.id] = a.sum
	}
	for _, d := range req.Document {
		if _, ok := r.got[d.Value.Include]; !ok {
			return nil, soap.SenderFault("document " + d.Id + " has no attachment")
		}
	}
	return &rs.RegistryResponseType{Status: soap.StatusSuccess}, nil
}

func (r *repository) RetrieveDocumentSet(context.Context, *xdsb.RetrieveDocumentSetRequestType) (*xdsb.RetrieveDocumentSetResponseType, error) {
	return nil, errors.New("not implemented")
}

// captureParts reads the TD2.1 capture (a soapUI MIME dump) with the
// independent reading of runtime/mtom: its root envelope and attachments.
func captureParts(t *testing.T) (root []byte, parts map[string][]byte, order []string) {
	data := readKit(t, "TD2.1_Alimentation_requete.xml")
	boundary := strings.TrimPrefix(strings.TrimSpace(string(data[:bytes.IndexByte(data, '\n')])), "--")
	r, err := mtom.NewReader(`multipart/related; type="application/xop+xml"; start="<rootpart@soapui.org>"; boundary="`+boundary+`"`, bytes.NewReader(data), nil)
	if err != nil {
		t.Fatal(err)
	}
	parts = map[string][]byte{}
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(p.Body)
		if err != nil {
			t.Fatal(err)
		}
		parts[p.ContentID] = b
		order = append(order, p.ContentID)
	}
	return r.Root().Data, parts, order
}

// TestTD21ProvideAndRegister replays the DMP's TD2.1 (ITI-41) capture
// through the generated DocumentRepository client and handler: the request
// body is decoded from the capture into the generated type, the CDA and its
// XAdES signature stream as MTOM attachments with the capture's
// Content-IDs, and the server receives both intact. The body sent equals
// the capture's; the envelope is SOAP 1.2 where the capture (a documented
// sample defect) wraps a SOAP 1.1 envelope in a SOAP 1.2 MTOM package.
func TestTD21ProvideAndRegister(t *testing.T) {
	root, parts, order := captureParts(t)
	if len(parts) != 2 {
		t.Fatalf("capture has %d attachments", len(parts))
	}
	req := new(xdsb.ProvideAndRegisterDocumentSetRequestType)
	bodyInto(t, root, req)

	repo := &repository{}
	srv := soap.NewServer()
	xdsb.RegisterDocumentRepository(srv, repo)
	cap := &capture{next: srv}
	env := soaptest.NewEnv(t, cap)
	c := xdsb.NewDocumentRepositoryClient(soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client)))
	var atts []soap.Attachment
	for _, id := range order {
		atts = append(atts, soap.Attachment{ContentID: id, ContentType: "text/xml; charset=Cp1252", Body: bytes.NewReader(parts[id])})
	}
	resp, err := c.ProvideAndRegisterDocumentSetB(context.Background(), req, soap.WithAttachments(atts...))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != soap.StatusSuccess {
		t.Errorf("status %q", resp.Status)
	}
	var want, got []string
	for id, b := range parts {
		s, _, _ := sum(bytes.NewReader(b))
		want = append(want, id+"="+s)
	}
	for id, s := range repo.got {
		got = append(got, id+"="+s)
	}
	sort.Strings(want)
	sort.Strings(got)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("server received %v, want %v", got, want)
	}

	h, sent := cap.last()
	if !strings.HasPrefix(h.Get("Content-Type"), "multipart/related;") || !strings.Contains(h.Get("Content-Type"), `action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"`) {
		t.Errorf("Content-Type %q", h.Get("Content-Type"))
	}
	r, err := mtom.NewReader(h.Get("Content-Type"), bytes.NewReader(sent), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Root().Element.Space != soap.NamespaceSOAP12 {
		t.Errorf("envelope namespace %q", r.Root().Element.Space)
	}
	if diff, err := xmlcmp.Diff(bodyOf(t, root), bodyOf(t, r.Root().Data)); err != nil || diff != "" {
		t.Errorf("body sent differs from the capture's: %s %v", diff, err)
	}
}

// bodyOf returns the body element of an envelope, serialised on its own.
func bodyOf(t *testing.T, envelope []byte) []byte {
	t.Helper()
	v := new(dom)
	bodyInto(t, envelope, v)
	b, err := xmltext.Marshal(v, v.El.Name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTD32RetrieveDocumentSet reads the DMP's TD3.2 (ITI-43) response, as
// the DMP sends it: MTOM, pretty-printed xop:Include with a percent-encoded
// cid: URL, with the CDA of TD2.1 as the attachment, through the generated
// DocumentRepository client; the request is the TD3.2 example's body.
func TestTD32RetrieveDocumentSet(t *testing.T) {
	respExample := readKit(t, "TD3.2_Consultation-dun-document_reponse.xml")
	cda := readKit(t, "TD2.1-DocumentME2.xml")
	const cid = "b857abb7-a2c3-4db8-bd69-d5ff76826e72-2@urn:ihe:iti:xds-b:2007"
	if !bytes.Contains(respExample, []byte(`href="cid:b857abb7-a2c3-4db8-bd69-d5ff76826e72-2@urn%3Aihe%3Aiti%3Axds-b%3A2007"`)) {
		t.Fatal("the TD3.2 example no longer has the percent-encoded cid: URL this test is about")
	}
	var gotRequest []byte
	env := soaptest.NewEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		gotRequest = body
		id := messageIDRE.FindSubmatch(body)
		envelope := strings.Replace(string(respExample), "urn:uuid:2cb4b0d2-683d-4073-9892-6c85cfdfbb43", string(id[1]), 1)
		mw, err := mtom.NewWriter(w, mtom.WriterOptions{Action: "urn:ihe:iti:2007:RetrieveDocumentSetResponse"})
		if err != nil {
			t.Error(err)
			return
		}
		w.Header().Set("Content-Type", mw.ContentType())
		if err := writeRoot(mw, []byte(envelope)); err != nil {
			t.Error(err)
		}
		if _, err := mw.WriteAttachment(&mtom.Part{ContentID: cid, ContentType: "text/xml", Body: bytes.NewReader(cda)}); err != nil {
			t.Error(err)
		}
		mw.Close()
	}))
	req := new(xdsb.RetrieveDocumentSetRequestType)
	bodyInto(t, readKit(t, "TD3.2_Consultation-dun-document_requete.xml"), req)
	c := xdsb.NewDocumentRepositoryClient(soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client)))
	var received []byte
	resp, err := c.RetrieveDocumentSet(context.Background(), req, soap.OnAttachment(func(p *mtom.Part) error {
		var err error
		received, err = io.ReadAll(p.Body)
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	if resp.RegistryResponse == nil || resp.RegistryResponse.Status != soap.StatusSuccess || len(resp.DocumentResponse) != 1 {
		t.Fatalf("response %+v", resp)
	}
	if d := resp.DocumentResponse[0].Document; d == nil || d.Include != cid || d.Data != nil {
		t.Errorf("Document %+v", d)
	}
	if !bytes.Equal(received, cda) {
		t.Errorf("attachment differs (%d bytes, want %d)", len(received), len(cda))
	}
	if !bytes.Contains(gotRequest, []byte("<wsa:Action soap:mustUnderstand=\"true\">urn:ihe:iti:2007:RetrieveDocumentSet</wsa:Action>")) {
		t.Errorf("request: %s", gotRequest)
	}
}
