package soap_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

const getResponse = `<t:GetResponse xmlns:t="urn:dmpgen:soap:test"><t:Text>ok</t:Text><t:Doc><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:d%3A1@x"/></t:Doc></t:GetResponse>`

// multipartResponse builds an MTOM response body around a root envelope
// from parts written as "--b\r\n<headers>\r\n\r\n<content>\r\n"…
const mtomType = `multipart/related; type="application/xop+xml"; boundary="b"; start="<root@x>"; start-info="application/soap+xml"`

func rootPart(env string) string {
	return "--b\r\nContent-ID: <root@x>\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\n\r\n" + env + "\r\n"
}

func part(cid, content string) string {
	return "--b\r\nContent-ID: <" + cid + ">\r\nContent-Type: text/xml\r\n\r\n" + content + "\r\n"
}

// TestBadResponses feeds the client every kind of bad response; each must
// give a typed error and no success.
func TestBadResponses(t *testing.T) {
	okEnv := responseEnvelope(opGet.ResponseAction, "RELATES", getResponse)
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		check       func(error) bool
	}{
		{"truncated multipart", 200, mtomType, rootPart(okEnv) + "--b\r\nContent-ID: <d:1@x>\r\n\r\n<ClinicalDoc", isErr(mtom.ErrTruncated)},
		{"truncated root", 200, mtomType, rootPart(okEnv)[:200], isErr(mtom.ErrTruncated)},
		{"missing root part", 200, strings.Replace(mtomType, "root@x", "other@x", 1), rootPart(okEnv) + part("d:1@x", "<a/>") + "--b--\r\n", isErr(mtom.ErrMissingRoot)},
		{"no part at all", 200, mtomType, "--b--\r\n", isErr(mtom.ErrMissingRoot)},
		{"unknown cid", 200, mtomType, rootPart(okEnv) + part("d:2@x", "<a/>") + "--b--\r\n", isErr(mtom.ErrUnknownCID)},
		{"non-XML body", 200, "application/soap+xml", "this is not XML", isErr(soap.ErrNotSOAP)},
		{"HTML page", 200, "text/html", "<html><body>proxy login</body></html>", isErr(soap.ErrNotSOAP)},
		{"XML that is not SOAP", 200, "text/xml", "<html/>", isErr(soap.ErrNotSOAP)},
		{"empty 200", 200, "application/soap+xml", "", isErr(soap.ErrNotSOAP)},
		{"HTTP 500 without fault", 500, "text/html", "<h1>Internal Server Error</h1>", isHTTP(500, soap.ErrNotSOAP)},
		{"HTTP 500 without body", 500, "", "", isHTTP(500, soap.ErrNotSOAP)},
		{"HTTP 500 with an envelope that is no fault", 500, "application/soap+xml", okEnv, isHTTP(500, soap.ErrUnexpectedBody)},
		{"HTTP 503 with XML garbage", 503, "application/soap+xml", "<a><b></a>", isHTTP(503, soap.ErrNotSOAP)},
		{"HTTP 404", 404, "text/plain", "not found", isHTTP(404, soap.ErrNotSOAP)},
		{"wrong RelatesTo", 200, "application/soap+xml", strings.Replace(okEnv, "RELATES", "urn:uuid:00000000-0000-4000-8000-000000000000", 1), isErr(soap.ErrAddressing)},
		{"missing RelatesTo", 200, "application/soap+xml", responseWithout(okEnv, "RelatesTo"), isErr(soap.ErrAddressing)},
		{"wrong Action", 200, "application/soap+xml", strings.Replace(okEnv, opGet.ResponseAction, "urn:other", 1), isErr(soap.ErrAddressing)},
		{"repeated Action", 200, "application/soap+xml", strings.Replace(okEnv, "<To ", "<Action xmlns=\"http://www.w3.org/2005/08/addressing\">x</Action><To ", 1), isErr(soap.ErrAddressing)},
		{"wrong body element", 200, "application/soap+xml", responseEnvelope(opGet.ResponseAction, "RELATES", `<t:Other xmlns:t="urn:dmpgen:soap:test"/>`), isErr(soap.ErrUnexpectedBody)},
		{"body the type rejects", 200, "application/soap+xml", responseEnvelope(opGet.ResponseAction, "RELATES", `<t:GetResponse xmlns:t="urn:dmpgen:soap:test"><t:Unknown/></t:GetResponse>`), isErr(soap.ErrUnexpectedBody)},
		{"empty body", 200, "application/soap+xml", responseEnvelope(opGet.ResponseAction, "RELATES", ``), isErr(soap.ErrUnexpectedBody)},
		{"two body elements", 200, "application/soap+xml", responseEnvelope(opGet.ResponseAction, "RELATES", `<t:GetResponse xmlns:t="urn:dmpgen:soap:test"/><t:GetResponse xmlns:t="urn:dmpgen:soap:test"/>`), isErr(soap.ErrBadEnvelope)},
		{"text in body", 200, "application/soap+xml", responseEnvelope(opGet.ResponseAction, "RELATES", `oops`), isErr(soap.ErrBadEnvelope)},
		{"no body", 200, "application/soap+xml", `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header/></soap:Envelope>`, isErr(soap.ErrBadEnvelope)},
		{"content after envelope", 200, "application/soap+xml", okEnv + "<x/>", isErr(soap.ErrBadEnvelope)},
		{"SOAP 1.1 envelope", 200, "text/xml", strings.Replace(okEnv, soap.NamespaceSOAP12, soap.NamespaceSOAP11, 1), isErr(soap.ErrVersionMismatch)},
		{"unknown envelope namespace", 200, "application/soap+xml", strings.Replace(okEnv, soap.NamespaceSOAP12, "urn:soap:2", 1), isErr(soap.ErrVersionMismatch)},
		{"mustUnderstand header", 200, "application/soap+xml", strings.Replace(okEnv, "</soap:Header>", `<s:Sec xmlns:s="urn:sec" soap:mustUnderstand="true"/></soap:Header>`, 1), isErr(soap.ErrMustUnderstand)},
		{"DOCTYPE", 200, "application/soap+xml", `<!DOCTYPE x [<!ENTITY a "b">]>` + okEnv, isErr(soap.ErrNotSOAP)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := rawServer(t, tc.status, tc.contentType, tc.body)
			c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
			resp := new(msg)
			delivered := 0
			err := c.Call(context.Background(), &opGet, &msg{}, resp, soap.OnAttachment(func(p *mtom.Part) error {
				delivered++
				_, err := io.Copy(io.Discard, p.Body)
				return err
			}))
			if err == nil {
				t.Fatalf("accepted (response %+v)", resp)
			}
			t.Log(err)
			if !tc.check(err) {
				t.Errorf("error %v (%T)", err, errors.Unwrap(err))
			}
		})
	}
}

func isErr(kind error) func(error) bool {
	return func(err error) bool { return errors.Is(err, kind) }
}

func isHTTP(status int, kind error) func(error) bool {
	return func(err error) bool {
		var he *soap.HTTPError
		return errors.As(err, &he) && he.StatusCode == status && errors.Is(err, kind)
	}
}

func responseWithout(env, header string) string {
	i := strings.Index(env, "<"+header+" ")
	j := strings.Index(env, "</"+header+">")
	return env[:i] + env[j+len(header)+3:]
}

// TestLenientResponses: lenient decoding tolerates the documented quirks,
// and reports each as a warning.
func TestLenientResponses(t *testing.T) {
	okEnv := responseEnvelope(opEcho12.ResponseAction, "RELATES", `<t:MsgResponse xmlns:t="urn:dmpgen:soap:test"><t:Text>ok</t:Text><t:Extra/></t:MsgResponse>`)
	body := strings.Replace(responseWithout(okEnv, "RelatesTo"), opEcho12.ResponseAction, "urn:test:Echo12:Fault:SoapFault", 1)
	env := rawServer(t, 200, "application/soap+xml", body)
	strict := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	if err := strict.Call(context.Background(), &opEcho12, &msg{}, new(msg)); err == nil {
		t.Fatal("strict client accepted the quirks")
	}
	lenient := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithLenientDecoding(true))
	var warnings []string
	resp := new(msg)
	if err := lenient.Call(context.Background(), &opEcho12, &msg{}, resp, soap.CollectWarnings(&warnings)); err != nil {
		t.Fatal(err)
	}
	if resp.Text != "ok" || len(warnings) != 3 {
		t.Errorf("response %+v, warnings %q", resp, warnings)
	}
}

// TestKitQuirkTD15d reads the DMP's TD1.5d response, whose wsa:Action names
// a fault around a normal response body: strict mode refuses it, lenient
// mode reads it with a warning.
func TestKitQuirkTD15d(t *testing.T) {
	data, err := os.ReadFile(testenv.KitFile(t, "dmp/examples/messages-v02.05.00/TD1.5d_Maj-des-information-du-compte-internet_reponse.xml"))
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(string(data), "urn:uuid:a5681367-9ba7-47fe-8a4f-74a84245be88", "RELATES", 1)
	env := rawServer(t, 200, "application/soap+xml", body)
	op := soap.Operation{Name: "updatePatientAccess", Version: soap.V12, Action: "urn:si-dmp-patients:PatientSpecificEndPoint:updatePatientAccess",
		ResponseAction: "urn:si-dmp-patients:PatientSpecificEndPoint:updatePatientAccessResponse",
		Request:        xmltext.Name{Space: "urn:si-dmp-patients", Local: "updatePatientAccess"}, Response: xmltext.Name{Space: "urn:si-dmp-patients", Local: "updatePatientAccessResponse"}}
	strict := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	if err := strict.Call(context.Background(), &op, &msg{}, new(dom)); !errors.Is(err, soap.ErrAddressing) {
		t.Errorf("strict: %v", err)
	}
	var warnings []string
	resp := new(dom)
	lenient := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithLenientDecoding(true))
	if err := lenient.Call(context.Background(), &op, &msg{}, resp, soap.CollectWarnings(&warnings)); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "Fault:SoapFault") || resp.El == nil {
		t.Errorf("warnings %q", warnings)
	}
}

// TestResponseHeader: a caller that processes the response header blocks
// accepts mustUnderstand ones.
func TestResponseHeader(t *testing.T) {
	body := strings.Replace(responseEnvelope(opGet.ResponseAction, "RELATES", `<t:GetResponse xmlns:t="urn:dmpgen:soap:test"/>`),
		"</soap:Header>", `<s:Sec xmlns:s="urn:sec" soap:mustUnderstand="true">v</s:Sec></soap:Header>`, 1)
	env := rawServer(t, 200, "application/soap+xml", body)
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	var header []*xmltext.Element
	if err := c.Call(context.Background(), &opGet, &msg{}, new(msg), soap.ResponseHeader(&header)); err != nil {
		t.Fatal(err)
	}
	if len(header) != 5 || header[4].Name.Local != "Sec" || header[4].Text() != "v" {
		t.Errorf("header %v", header)
	}
}

// TestDeadline: a server slower than the context's deadline, before the
// response starts and in the middle of its body.
func TestDeadline(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	env := soaptest.NewEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := requestMessageID(t, r)
		if strings.Contains(r.URL.Path, "mid") {
			w.Header().Set("Content-Type", mtomType)
			io.WriteString(w, rootPart(responseEnvelope(opGet.ResponseAction, id, getResponse))+"--b\r\nContent-ID: <d:1@x>\r\n\r\nstart of the document")
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	for _, path := range []string{"/before", "/mid"} {
		c := soap.NewClient(env.URL()+path, soap.WithHTTPClient(env.Client))
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		start := time.Now()
		err := c.Call(ctx, &opGet, &msg{}, new(msg), soap.OnAttachment(func(p *mtom.Part) error {
			_, err := io.Copy(io.Discard, p.Body)
			return err
		}))
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %v, want context.DeadlineExceeded", path, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: the call returned after %v", path, d)
		}
	}
}

// TestResponseTooLarge: plain and MTOM responses over the limit.
func TestResponseTooLarge(t *testing.T) {
	big := strings.Repeat("x", 10000)
	plain := responseEnvelope(opGet.ResponseAction, "RELATES", `<t:GetResponse xmlns:t="urn:dmpgen:soap:test"><t:Text>`+big+`</t:Text></t:GetResponse>`)
	multi := rootPart(responseEnvelope(opGet.ResponseAction, "RELATES", getResponse)) + part("d:1@x", big) + "--b--\r\n"
	for name, tc := range map[string][2]string{"plain": {"application/soap+xml", plain}, "MTOM": {mtomType, multi}} {
		env := rawServer(t, 200, tc[0], tc[1])
		c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithMaxResponseSize(4000))
		err := c.Call(context.Background(), &opGet, &msg{}, new(msg), soap.OnAttachment(func(p *mtom.Part) error {
			_, err := io.Copy(io.Discard, p.Body)
			return err
		}))
		var tl *soap.TooLargeError
		if !errors.As(err, &tl) || tl.Limit != 4000 {
			t.Errorf("%s: %v", name, err)
		}
		c = soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithMaxResponseSize(-1))
		if err := c.Call(context.Background(), &opGet, &msg{}, new(msg), soap.OnAttachment(func(p *mtom.Part) error {
			_, err := io.Copy(io.Discard, p.Body)
			return err
		})); err != nil {
			t.Errorf("%s without limit: %v", name, err)
		}
	}
}
