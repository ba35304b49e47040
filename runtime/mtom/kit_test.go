package mtom

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

const (
	examples = "dmp/examples/messages-v02.05.00/"
	td21CID  = "WS_DMP_TD2.1-DocumentME2.xml"
	td21Sig  = "WS_DMP_TD2.1-SignatureXades.xml"
	td32CID  = "b857abb7-a2c3-4db8-bd69-d5ff76826e72-2@urn:ihe:iti:xds-b:2007"
	soap11NS = "http://schemas.xmlsoap.org/soap/envelope/"
	soap12NS = "http://www.w3.org/2003/05/soap-envelope"
)

// td21 returns the TD2.1 capture and the Content-Type its HTTP header had.
// The capture (soapUI) is the raw multipart body with bare-LF line ends and
// no HTTP header: the boundary is its first line, the start and action
// values are those of its root part.
func td21(t testing.TB, path string) (string, []byte) {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return td21ContentType(t, body), body
}

func td21ContentType(t testing.TB, body []byte) string {
	first, _, ok := bytes.Cut(body, []byte("\n"))
	if !ok || !bytes.HasPrefix(first, []byte("--")) {
		t.Fatalf("TD2.1 capture does not start with a delimiter line: %.60q", first)
	}
	return fmt.Sprintf(`multipart/related; type="application/xop+xml"; boundary="%s"; start="<rootpart@soapui.org>"; `+
		`start-info="application/soap+xml"; action="DocumentRepository_ProvideAndRegisterDocumentSet-b"`, first[2:])
}

func TestKitTD21Request(t *testing.T) {
	ct, body := td21(t, testenv.KitFile(t, examples+"TD2.1_Alimentation_requete.xml"))
	if !strings.Contains(ct, `boundary="----=_Part_9_20030738.1554380517598"`) {
		t.Fatalf("unexpected boundary in %s", ct)
	}
	root, parts, data, err := readAll(ct, bytes.NewReader(body), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The quirk: a SOAP 1.1 envelope declared as application/soap+xml.
	if root.ContentID != "rootpart@soapui.org" || root.SOAPType != MediaTypeSOAP12 ||
		root.Element != (xml.Name{Space: soap11NS, Local: "Envelope"}) || !root.Multipart {
		t.Errorf("root: id %q, SOAPType %q, element %v", root.ContentID, root.SOAPType, root.Element)
	}
	if !bytes.HasPrefix(root.Data, []byte(`<soap:Envelope xmlns:soap="`+soap11NS+`">`)) || !bytes.HasSuffix(root.Data, []byte("</soap:Envelope>")) {
		t.Errorf("root data: %.60q ... %q", root.Data, root.Data[max(0, len(root.Data)-20):])
	}
	if fmt.Sprint(root.Includes) != fmt.Sprint([]string{td21CID, td21Sig}) {
		t.Errorf("Includes = %q", root.Includes)
	}
	if len(parts) != 2 {
		t.Fatalf("%d attachments, want 2", len(parts))
	}
	for i, id := range []string{td21CID, td21Sig} {
		if parts[i].ContentID != id || parts[i].ContentType != "text/xml; charset=Cp1252; name="+id ||
			parts[i].Header.Get("Content-Transfer-Encoding") != "binary" {
			t.Errorf("part %d: %q %q", i, parts[i].ContentID, parts[i].ContentType)
		}
	}
	// The XAdES part is byte for byte the kit's separate file.
	sig, err := os.ReadFile(testenv.KitFile(t, examples+"TD2.1-SignatureXades.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data[1], sig) {
		t.Errorf("XAdES part (%d bytes) differs from TD2.1-SignatureXades.xml (%d bytes)", len(data[1]), len(sig))
	}
	// The CDA part is the kit's file without its BOM and with LF line ends.
	cda, err := os.ReadFile(testenv.KitFile(t, examples+"TD2.1-DocumentME2.xml"))
	if err != nil {
		t.Fatal(err)
	}
	cda = bytes.ReplaceAll(bytes.TrimPrefix(cda, []byte("\xef\xbb\xbf")), []byte("\r\n"), []byte("\n"))
	if !bytes.Equal(bytes.TrimRight(data[0], "\n"), bytes.TrimRight(cda, "\n")) {
		t.Errorf("CDA part (%d bytes) differs from TD2.1-DocumentME2.xml (%d bytes, normalised)", len(data[0]), len(cda))
	}

	t.Run("without start parameter", func(t *testing.T) {
		ct2 := strings.Replace(ct, `start="<rootpart@soapui.org>"; `, "", 1)
		root2, _, _, err := readAll(ct2, bytes.NewReader(body), nil)
		if err != nil || root2.ContentID != "rootpart@soapui.org" {
			t.Fatalf("%v, root %q", err, root2.ContentID)
		}
	})
	t.Run("re-encoded", func(t *testing.T) {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, WriterOptions{RootContentID: root.ContentID, Action: "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"})
		if err != nil {
			t.Fatal(err)
		}
		rw, _ := w.CreateRoot()
		rw.Write(root.Data)
		for i, p := range parts {
			if _, err := w.WriteAttachment(&Part{ContentID: p.ContentID, ContentType: p.ContentType, Body: bytes.NewReader(data[i])}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		root2, _, data2, err := readAll(w.ContentType(), &buf, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(root2.Data, root.Data) || len(data2) != 2 || !bytes.Equal(data2[0], data[0]) || !bytes.Equal(data2[1], data[1]) {
			t.Error("re-encoded TD2.1 reads back differently")
		}
	})
	t.Run("truncated", func(t *testing.T) {
		cut := bytes.Index(body, []byte("</ClinicalDocument>"))
		_, _, _, err := readAll(ct, bytes.NewReader(body[:cut]), nil)
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("err = %v, want ErrTruncated", err)
		}
	})
	t.Run("part limit", func(t *testing.T) {
		_, _, _, err := readAll(ct, bytes.NewReader(body), &ReaderOptions{MaxPartSize: 4000})
		var me *Error
		if !errors.As(err, &me) || me.Kind != ErrTooLarge || me.ContentID != td21CID {
			t.Fatalf("err = %v, want ErrTooLarge on %s", err, td21CID)
		}
	})
}

// td32Envelope is the part of the TD3.2 response that locates the document.
type td32Envelope struct {
	Responses []struct {
		MimeType string `xml:"mimeType"`
		Document struct {
			Include struct {
				Href string `xml:"href,attr"`
			} `xml:"http://www.w3.org/2004/08/xop/include Include"`
		} `xml:"Document"`
	} `xml:"Body>RetrieveDocumentSetResponse>DocumentResponse"`
}

// TestKitTD32Response: the TD3.2 file is only the SOAP 1.2 envelope of an
// ITI-43 response, CRLF line ends, no MIME package, with an xop:Include whose
// href is percent-encoded (cid:...-2@urn%3Aihe%3Aiti%3Axds-b%3A2007).
func TestKitTD32Response(t *testing.T) {
	env, err := os.ReadFile(testenv.KitFile(t, examples+"TD3.2_Consultation-dun-document_reponse.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(env, []byte(`href="cid:b857abb7-a2c3-4db8-bd69-d5ff76826e72-2@urn%3Aihe%3Aiti%3Axds-b%3A2007"`)) {
		t.Fatal("the TD3.2 capture no longer holds the percent-encoded href this test is about")
	}

	t.Run("as captured, a plain body", func(t *testing.T) {
		// Without its MIME package the reference cannot be resolved: that
		// must fail, not read as a message without documents.
		_, err := NewReader("application/soap+xml; charset=UTF-8", bytes.NewReader(env), nil)
		var me *Error
		if !errors.As(err, &me) || me.Kind != ErrUnknownCID || me.ContentID != td32CID {
			t.Fatalf("err = %v, want ErrUnknownCID for %s", err, td32CID)
		}
	})

	t.Run("in the MTOM package the server sends", func(t *testing.T) {
		doc := newPattern(32, 50000)
		var buf bytes.Buffer
		w, err := NewWriter(&buf, WriterOptions{Action: "urn:ihe:iti:2007:RetrieveDocumentSetResponse"})
		if err != nil {
			t.Fatal(err)
		}
		rw, _ := w.CreateRoot()
		rw.Write(env)
		if _, err := w.WriteAttachment(&Part{ContentID: td32CID, ContentType: "text/xml", Body: doc}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r, err := NewReader(w.ContentType(), &buf, nil)
		if err != nil {
			t.Fatal(err)
		}
		root := r.Root()
		if root.Element != (xml.Name{Space: soap12NS, Local: "Envelope"}) || len(root.Includes) != 1 || root.Includes[0] != td32CID {
			t.Fatalf("root element %v, includes %q", root.Element, root.Includes)
		}
		var e td32Envelope
		if err := xml.Unmarshal(root.Data, &e); err != nil {
			t.Fatal(err)
		}
		if len(e.Responses) != 1 || e.Responses[0].MimeType != "text/xml" {
			t.Fatalf("envelope: %+v", e)
		}
		cid, err := ParseHref(e.Responses[0].Document.Include.Href)
		if err != nil || cid != td32CID {
			t.Fatalf("xop:Include href: %q, %v", cid, err)
		}
		p, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(p.Body)
		if err != nil {
			t.Fatal(err)
		}
		if p.ContentID != cid || len(got) != 50000 {
			t.Fatalf("part %q, %d bytes", p.ContentID, len(got))
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("end: %v", err)
		}
	})
}
