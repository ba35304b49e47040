package soap_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/soap"
)

// FuzzServerRequest serves arbitrary requests (Content-Type and body).
// Nothing may panic, every answer must be a SOAP envelope with a status of
// the SOAP HTTP binding, and only a fault-free envelope may come with 200.
func FuzzServerRequest(f *testing.F) {
	f.Add(soap12, request12(echoWSA, msgBody))
	f.Add("text/xml", []byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><t:Msg11 xmlns:t="urn:dmpgen:soap:test"><t:Text>x</t:Text></t:Msg11></s:Body></s:Envelope>`))
	f.Add(soap12, request12(`<a:Action>urn:nope</a:Action>`, msgBody))
	f.Add(soap12, request12(echoWSA+`<x:Sec xmlns:x="urn:sec" s:mustUnderstand="true"/>`, msgBody))
	f.Add(soap12, []byte("garbage"))
	f.Add("text/html", []byte("<html/>"))
	var buf bytes.Buffer
	w, _ := mtom.NewWriter(&buf, mtom.WriterOptions{Boundary: "b", RootContentID: "r@x", Action: opPut.SOAPAction})
	writeRoot(w, request12(`<a:Action>urn:test:Put</a:Action>`, `<t:Put xmlns:t="urn:dmpgen:soap:test"><t:Text/><t:Doc><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:a@x"/></t:Doc></t:Put>`))
	w.WriteAttachment(&mtom.Part{ContentID: "a@x", Body: strings.NewReader("document")})
	w.Close()
	f.Add(w.ContentType(), buf.Bytes())
	f.Add(w.ContentType(), buf.Bytes()[:buf.Len()/2])

	srv := echoServer(f, nil)
	srv.Handle(&opPut, newMsg, putHandler)
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "https://dmp.test/services", bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 413, 415, 500:
		default:
			t.Fatalf("status %d", rec.Code)
		}
		root, err := xmlcmp.Parse(rec.Body.Bytes())
		if err != nil || root.Name.Local != "Envelope" || root.Name.Space != soap.NamespaceSOAP12 && root.Name.Space != soap.NamespaceSOAP11 {
			t.Fatalf("answer is not a SOAP envelope (%v): %s", err, rec.Body.Bytes())
		}
		if rec.Code == 200 && bytes.Contains(rec.Body.Bytes(), []byte(":Fault>")) {
			t.Fatalf("fault with status 200: %s", rec.Body.Bytes())
		}
	})
}
