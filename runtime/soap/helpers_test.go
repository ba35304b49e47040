package soap_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

const nsTest = "urn:dmpgen:soap:test"

func tn(local string) xmltext.Name { return xmltext.Name{Space: nsTest, Local: local} }

// msg is a hand-written xmlbind.Value, independent of generated code:
//
//	<t:Msg id="…"><t:Text>…</t:Text><t:Doc>base64 or xop:Include</t:Doc>*</t:Msg>
type msg struct {
	ID      string
	Text    string
	Docs    []xmlbind.Binary
	Unknown *xmlbind.Unknown // as generated code keeps it
}

func (m *msg) XSDType() xmltext.Name      { return xmltext.Name{} }
func (m *msg) ValidateXSD(r *xsdt.Report) {}
func (m *msg) MarshalXMLText(e *xmltext.Encoder, name xmltext.Name) error {
	e.PreferPrefix(nsTest, "t")
	e.Start(name)
	if m.ID != "" {
		e.Attr(xmltext.Name{Local: "id"}, m.ID)
	}
	m.Unknown.WriteAttrs(e)
	if err := m.Unknown.WriteContent(e, m.marshalContent); err != nil {
		return err
	}
	e.End()
	return e.Err()
}

func (m *msg) marshalContent(e *xmltext.Encoder) error {
	e.Start(tn("Text"))
	e.Text(m.Text)
	e.End()
	for i := range m.Docs {
		e.Start(tn("Doc"))
		xmlbind.EncodeBinary(e, &m.Docs[i])
		e.End()
	}
	return nil
}

func (m *msg) UnmarshalXMLText(d *xmltext.Decoder, start *xmltext.Token) error {
	for _, a := range start.Attrs {
		if a.Name == (xmltext.Name{Local: "id"}) {
			m.ID = a.Value
		} else if err := xmlbind.KeepAttr(d, &m.Unknown, start, a); err != nil {
			return err
		}
	}
	n := 0
	for {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return err
		}
		switch tok.Kind {
		case xmltext.EndElement:
			return nil
		case xmltext.CharData:
			return d.Errorf(tok.Offset, "text in %s", start.Name)
		}
		ok, err := m.take(d, &tok)
		if err != nil {
			return err
		}
		if ok {
			n++
		} else if err := xmlbind.KeepElement(d, &m.Unknown, start.Name, &tok, n); err != nil {
			return err
		}
	}
}

func (m *msg) take(d *xmltext.Decoder, tok *xmltext.Token) (bool, error) {
	var err error
	switch tok.Name {
	case tn("Text"):
		m.Text, err = d.ReadText(*tok)
	case tn("Doc"):
		var b xmlbind.Binary
		if b, err = xmlbind.DecodeBinary(d, tok); err == nil {
			m.Docs = append(m.Docs, b)
		}
	default:
		return false, nil
	}
	return true, err
}

// dom is an xmlbind.Value holding any element as a DOM: tests answer with
// arbitrary content through it.
type dom struct{ El *xmltext.Element }

func (v *dom) XSDType() xmltext.Name      { return xmltext.Name{} }
func (v *dom) ValidateXSD(r *xsdt.Report) {}
func (v *dom) MarshalXMLText(e *xmltext.Encoder, name xmltext.Name) error {
	el := *v.El
	el.Name = name
	e.WriteElement(&el)
	return e.Err()
}
func (v *dom) UnmarshalXMLText(d *xmltext.Decoder, start *xmltext.Token) error {
	el, err := d.ReadElement(*start)
	v.El = el
	return err
}

// parseDOM parses an XML string into a DOM.
func parseDOM(t testing.TB, s string) *dom {
	t.Helper()
	v := new(dom)
	if _, err := xmltext.Unmarshal([]byte(s), v, xmltext.Options{}); err != nil {
		t.Fatal(err)
	}
	return v
}

// Operations of the tests.
var (
	opEcho12 = soap.Operation{Service: "Test", Name: "Echo12", Version: soap.V12,
		SOAPAction: "urn:test:Echo12", Action: "urn:test:Echo12", ResponseAction: "urn:test:Echo12Response",
		Request: tn("Msg"), Response: tn("MsgResponse"),
		Faults: []soap.Fault{{Name: "TestFault", Element: tn("Problem"), New: func() xmlbind.Value { return new(msg) }}}}
	opEcho11 = soap.Operation{Service: "Test", Name: "Echo11", Version: soap.V11,
		SOAPAction: "urn:test:Echo11", Action: "urn:test:Echo11", ResponseAction: "urn:test:Echo11Response",
		Request: tn("Msg11"), Response: tn("MsgResponse"),
		Faults: []soap.Fault{{Name: "TestFault", Element: tn("Problem"), New: func() xmlbind.Value { return new(msg) }}}}
	opPut = soap.Operation{Service: "Test", Name: "Put", Version: soap.V12,
		SOAPAction: "urn:test:Put", Action: "urn:test:Put", ResponseAction: "urn:test:PutResponse",
		Request: tn("Put"), Response: tn("PutResponse"), MTOMRequest: true}
	opGet = soap.Operation{Service: "Test", Name: "Get", Version: soap.V12,
		SOAPAction: "urn:test:Get", Action: "urn:test:Get", ResponseAction: "urn:test:GetResponse",
		Request: tn("Get"), Response: tn("GetResponse"), MTOMResponse: true}
	opPut11 = soap.Operation{Service: "Test", Name: "Put11", Version: soap.V11,
		SOAPAction: "urn:test:Put11", Action: "urn:test:Put11", ResponseAction: "urn:test:Put11Response",
		Request: tn("Put11"), Response: tn("PutResponse"), MTOMRequest: true, MTOMResponse: true}
	opRegistry = soap.Operation{Service: "Test", Name: "Registry", Version: soap.V12,
		SOAPAction: "urn:test:Registry", Action: "urn:test:Registry", ResponseAction: "urn:test:RegistryResponse",
		Request: tn("Query"), Response: xmltext.Name{Space: soap.NamespaceRS, Local: "RegistryResponse"}}
)

func newMsg() xmlbind.Value { return new(msg) }

// pattern yields size deterministic pseudo-random bytes, cheaply.
type pattern struct {
	block  []byte
	off    int
	remain int64
}

func newPattern(seed uint64, size int64) *pattern {
	block := make([]byte, 65549)
	rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), 9}).Read(block)
	return &pattern{block: block, remain: size}
}

func (p *pattern) Read(b []byte) (int, error) {
	if p.remain == 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.remain {
		b = b[:p.remain]
	}
	n := 0
	for n < len(b) {
		c := copy(b[n:], p.block[p.off:])
		n += c
		p.off = (p.off + c) % len(p.block)
	}
	p.remain -= int64(n)
	return n, nil
}

func patternSum(seed uint64, size int64) string {
	h := sha256.New()
	io.Copy(h, newPattern(seed, size))
	return hex.EncodeToString(h.Sum(nil))
}

func sum(r io.Reader) (string, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

var messageIDRE = regexp.MustCompile(`<wsa:MessageID>([^<]+)</wsa:MessageID>`)

// requestMessageID reads the request and returns its wsa:MessageID.
func requestMessageID(t testing.TB, r *http.Request) string {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Error(err)
		return ""
	}
	m := messageIDRE.FindSubmatch(body)
	if m == nil {
		t.Errorf("no wsa:MessageID in %s", body)
		return ""
	}
	return string(m[1])
}

// responseEnvelope builds a SOAP 1.2 response as the DMP sends them.
func responseEnvelope(action, relatesTo, body string) string {
	return `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">
   <soap:Header>
      <Action xmlns="http://www.w3.org/2005/08/addressing">` + action + `</Action>
      <MessageID xmlns="http://www.w3.org/2005/08/addressing">urn:uuid:bbcf6306-4966-4642-b4f5-f48bcbd4650f</MessageID>
      <To xmlns="http://www.w3.org/2005/08/addressing">http://www.w3.org/2005/08/addressing/anonymous</To>
      <RelatesTo xmlns="http://www.w3.org/2005/08/addressing">` + relatesTo + `</RelatesTo>
   </soap:Header>
   <soap:Body>` + body + `</soap:Body>
</soap:Envelope>`
}
