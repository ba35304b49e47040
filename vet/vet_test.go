package vet

import (
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

var vihfNow = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

// claims are the claims of the test VIHF (INDIRECTE 4.0, every attribute).
func claims() vihf.Claims {
	return vihf.Claims{
		Mode: vihf.Indirecte, Version: vihf.V4,
		Issuer:          "CN=499900063480001,O=CABINET VET,C=FR",
		SubjectID:       "899900063480",
		StructureID:     "499900063480001",
		SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
		Roles: []vihf.Code{
			{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7", DisplayName: "Médecin"},
			{Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5", DisplayName: "Qualifié en Médecine Générale (SM)"},
		},
		SubjectName:     "MAX VET",
		Patient:         hl7v2.CX{ID: "207058575627097", AssigningAuthority: hl7v2.HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"},
		LPSID:           "01.01.01.01",
		LPSName:         "DMPGEN",
		LPSVersion:      "1",
		LPSHomologation: "NumAutorisation",
	}
}

// requestEnvelope returns a TD3.1 request whose VIHF is built by
// runtime/vihf and signed by a throwaway CA; edit may change the assertion
// before it is signed.
func requestEnvelope(t *testing.T, edit func(a *etree.Element)) string {
	t.Helper()
	a, err := (&vihf.Builder{Now: func() time.Time { return vihfNow }}).Build(claims())
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(a.Element)
	}
	leaf := xmldsigtest.NewPKI(t).ECLeaf(t)
	signer := xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}}
	if err := signer.SignEnveloped(a.Element, a.ID, a.Issuer); err != nil {
		t.Fatal(err)
	}
	return envelopeWith(`<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">` +
		string(xmldsig.Serialize(a.Element)) + `</wsse:Security>`)
}

// envelopeWith returns a TD3.1 request with the given wsse:Security block.
func envelopeWith(security string) string {
	return `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing">
  <soap:Header>
    <wsa:Action soap:mustUnderstand="true">urn:ihe:iti:2007:RegistryStoredQuery</wsa:Action>
    <wsa:MessageID>urn:uuid:2c9d4f1e-8a7b-4c6d-9e5f-0a1b2c3d4e5f</wsa:MessageID>
    <wsa:To></wsa:To>
    <wsa:ReplyTo soap:mustUnderstand="true"><wsa:Address>http://www.w3.org/2005/08/addressing/anonymous</wsa:Address></wsa:ReplyTo>
    ` + security + `
  </soap:Header>
  <soap:Body>
    <query:AdhocQueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">
      <query:ResponseOption returnComposedObjects="true" returnType="LeafClass"/>
      <rim:AdhocQuery id="urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d">
        <rim:Slot name="$XDSDocumentEntryPatientId"><rim:ValueList><rim:Value>'207058575627097^^^&amp;1.2.250.1.213.1.4.10&amp;ISO^NH'</rim:Value></rim:ValueList></rim:Slot>
        <rim:Slot name="$XDSDocumentEntryStatus"><rim:ValueList><rim:Value>('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')</rim:Value></rim:ValueList></rim:Slot>
      </rim:AdhocQuery>
    </query:AdhocQueryRequest>
  </soap:Body>
</soap:Envelope>
`
}

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "vet", "captures", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func rulesOf(e *Exchange) []string {
	var out []string
	for _, f := range e.Findings {
		out = append(out, f.Rule)
	}
	return out
}

// TestCleanCaptures: the captures of testdata/vet and the built request
// have no finding but the infos about unchecked signatures.
func TestCleanCaptures(t *testing.T) {
	for _, name := range []string{"td31-response.http", "td32-response.mime", "td33-response.xml"} {
		e := Check(name, []byte(readTestdata(t, name)), Options{})
		if len(e.Findings) > 0 || e.TD == "" {
			t.Errorf("%s: TD %q, findings %v", name, e.TD, e.Findings)
		}
	}
	e := Check("request.xml", []byte(requestEnvelope(t, nil)), Options{At: vihfNow})
	if got := rulesOf(e); !slices.Equal(got, []string{"vihf.signature-unchecked"}) || e.TD != "TD3.1" || e.Direction != Request {
		t.Errorf("request: %s %s %v", e.TD, e.Direction, e.Findings)
	}
}

// replace returns a mutation replacing old by new, which must be there.
func replace(old, new string) func(t *testing.T, s string) string {
	return func(t *testing.T, s string) string {
		if !strings.Contains(s, old) {
			t.Fatalf("mutation: %q not in the base capture", old)
		}
		return strings.Replace(s, old, new, 1)
	}
}

// TestMutations: a clean capture changed to break one rule yields exactly
// that rule's finding, besides the base's own infos.
func TestMutations(t *testing.T) {
	removeAttr := func(name string) func(a *etree.Element) {
		return func(a *etree.Element) {
			for _, at := range a.FindElements("//Attribute") {
				if at.SelectAttrValue("Name", "") == name {
					at.Parent().RemoveChild(at)
				}
			}
		}
	}
	tests := []struct {
		rule   string
		base   string // testdata file, or "request"
		mutate func(t *testing.T, s string) string
		edit   func(a *etree.Element)
		opts   Options
		also   []string // consequences of the mutation, after rule
	}{
		{rule: "capture.unreadable", base: "td33-response.xml", mutate: func(t *testing.T, s string) string { return "garbage" }},
		{rule: "capture.http-malformed", base: "td31-response.http", mutate: replace("Date: Mon, 07 Dec 2026 10:00:00 GMT", "Date: yesterday")},
		{rule: "capture.content-type", base: "td31-response.http", mutate: replace("Content-Type: application/soap+xml", "Content-Type: text/plain")},
		{rule: "mtom.malformed", base: "td32-response.mime", mutate: replace("--MIMEBoundary_vet--", "--MIMEBoundary_vet")},
		{rule: "mtom.xop-unresolved", base: "td32-response.mime", mutate: replace("--MIMEBoundary_vet\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc1@vet.test>\r\n\r\nA document written for dmpgen vet tests.\r\n", "")},
		{rule: "mtom.part-unreferenced", base: "td32-response.mime", mutate: replace("--MIMEBoundary_vet--", "--MIMEBoundary_vet\r\nContent-Type: text/plain\r\nContent-ID: <extra@vet.test>\r\n\r\nextra\r\n--MIMEBoundary_vet--")},
		{rule: "mtom.soap-type-mismatch", base: "td32-response.mime", mutate: replace(`charset=UTF-8; type="application/soap+xml"`, `charset=UTF-8; type="text/xml"`)},
		{rule: "soap.not-envelope", base: "td33-response.xml", mutate: replace("<soap:Body>", "<soap:Body/><soap:Trailer>")},
		{rule: "soap.version", base: "td33-response.xml", mutate: replace("http://www.w3.org/2003/05/soap-envelope", "http://schemas.xmlsoap.org/soap/envelope/")},
		{rule: "soap.action-mismatch", base: "td31-response.http", mutate: replace(`action="urn:ihe:iti:2007:RegistryStoredQueryResponse"`, `action="RegistryStoredQuery"`)},
		{rule: "wsa.action-missing", base: "td33-response.xml", mutate: replace("<wsa:Action>urn:ihe:iti:2010:UpdateDocumentSet-Response</wsa:Action>", "")},
		{rule: "wsa.action-mismatch", base: "td33-response.xml", mutate: replace("urn:ihe:iti:2010:UpdateDocumentSet-Response", "urn:ihe:iti:2007:RegistryStoredQueryResponse")},
		{rule: "wsa.relatesto-missing", base: "td33-response.xml", mutate: replace("<wsa:RelatesTo>urn:uuid:5d2c0a4e-7f1b-4c8e-a0d3-2b9e6c1f4a77</wsa:RelatesTo>", "")},
		{rule: "wsa.messageid-missing", base: "request", mutate: replace("<wsa:MessageID>urn:uuid:2c9d4f1e-8a7b-4c6d-9e5f-0a1b2c3d4e5f</wsa:MessageID>", "")},
		{rule: "wsa.to-missing", base: "request", mutate: replace("<wsa:To></wsa:To>", "")},
		{rule: "xsd.strict", base: "td33-response.xml", mutate: replace("<rs:RegistryResponse ", `<rs:RegistryResponse unknown="1" `)},
		{rule: "xsd.enumeration", base: "request", also: []string{"xds.UNKNOWN_RETURN_TYPE"}, mutate: replace(`returnType="LeafClass"`, `returnType="Leaves"`)},
		{rule: "xsd.decode", base: "request", mutate: replace(`returnComposedObjects="true"`, `returnComposedObjects="maybe"`)},
		{rule: "vihf.missing", base: "request", mutate: func(t *testing.T, s string) string {
			i, j := strings.Index(s, "<wsse:Security"), strings.Index(s, "</wsse:Security>")
			return s[:i] + s[j+len("</wsse:Security>"):]
		}},
		{rule: "vihf.attr-missing", base: "request", edit: removeAttr("LPS_Nom")},
		{rule: "vihf.shape", base: "request", edit: func(a *etree.Element) { a.RemoveAttr("Version") }},
		{rule: "vihf.attr-value", base: "request", mutate: replace("urn:dmp<", "urn:other<")},
		{rule: "vihf.time", base: "request", opts: Options{At: vihfNow.Add(-time.Hour)}},
		{rule: "vihf.unsigned", base: "request", mutate: func(t *testing.T, s string) string {
			i, j := strings.Index(s, "<Signature"), strings.Index(s, "</Signature>")
			if i < 0 || j < i {
				t.Fatal("no Signature in the request")
			}
			return s[:i] + s[j+len("</Signature>"):]
		}},
		{rule: "vihf.mode-unknown", base: "request", mutate: replace(">INDIRECTE<", ">AUTRE<")},
		{rule: "vihf.version-unknown", base: "request", mutate: replace(">4.0<", ">5.0<")},
		{rule: "xsd.unbound", base: "td33-response.xml", mutate: replace("</soap:Header>", `<x:Trace xmlns:x="urn:example:trace">1</x:Trace></soap:Header>`)},
		// A SOAP 1.1 fault: the generated SOAP 1.2 faultcodeEnum check
		// compares the expanded QName with the schema's prefixed values, so
		// every SOAP 1.2 fault gets an xsd.enumeration finding (a generator
		// bug, internal/gen).
		{rule: "soap.fault", base: "td33-response.xml", mutate: func(t *testing.T, s string) string {
			s = replace("http://www.w3.org/2003/05/soap-envelope", "http://schemas.xmlsoap.org/soap/envelope/")(t, s)
			s = replace("urn:ihe:iti:2010:UpdateDocumentSet-Response", "http://www.w3.org/2005/08/addressing/soap/fault")(t, s)
			i, j := strings.Index(s, "<rs:RegistryResponse"), strings.Index(s, "</soap:Body>")
			return s[:i] + `<soap:Fault><faultcode>soap:Client</faultcode><faultstring>VIHF refusé</faultstring></soap:Fault>` + s[j:]
		}},
		{rule: "xds.INVALID_STATUS_IN_RESPONSE", base: "td33-response.xml", mutate: replace("ResponseStatusType:Success", "ResponseStatusType:Maybe")},
		{rule: "xds.registry-error", base: "td33-response.xml", mutate: replace(`ResponseStatusType:Success"/>`,
			`ResponseStatusType:Failure"><rs:RegistryErrorList><rs:RegistryError errorCode="XDSRegistryMetadataError" codeContext="no uniqueId" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"/></rs:RegistryErrorList></rs:RegistryResponse>`)},
		{rule: "vet.transaction-unknown", base: "td33-response.xml", also: []string{"xsd.unbound"}, mutate: func(t *testing.T, s string) string {
			s = replace("urn:ihe:iti:2010:UpdateDocumentSet-Response", "urn:example:unknown")(t, s)
			return replace("<rs:RegistryResponse ", "<rs:Unknown ")(t, s)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			var base string
			opts := tt.opts
			if tt.base == "request" {
				base = requestEnvelope(t, tt.edit)
				if opts.At.IsZero() {
					opts.At = vihfNow
				}
			} else {
				base = readTestdata(t, tt.base)
			}
			want := rulesOf(Check(tt.base, []byte(base), opts))
			if tt.base == "request" && tt.edit != nil {
				want = rulesOf(Check(tt.base, []byte(requestEnvelope(t, nil)), opts))
			}
			mutated := base
			if tt.mutate != nil {
				mutated = tt.mutate(t, base)
			}
			got := rulesOf(Check(tt.base, []byte(mutated), opts))
			for _, r := range want {
				if i := slices.Index(got, r); i >= 0 && lookup(r).Severity == Info {
					got = slices.Delete(got, i, i+1)
				}
			}
			got = slices.DeleteFunc(got, func(r string) bool { return r == "vet.layer-skipped" })
			if w := append([]string{tt.rule}, tt.also...); !slices.Equal(got, w) {
				t.Errorf("got %v, want %v", got, w)
				for _, f := range Check(tt.base, []byte(mutated), opts).Findings {
					t.Log(f)
				}
			}
		})
	}
}

// TestHTTPDate: the Date header of an HTTP dump is the message time of the
// VIHF time window, and the request line makes the capture a request.
func TestHTTPDate(t *testing.T) {
	env := requestEnvelope(t, nil)
	dump := func(date time.Time) []byte {
		return []byte("POST /dmp/registry HTTP/1.1\r\nHost: dmp.example\r\nDate: " + date.Format(http.TimeFormat) +
			"\r\nContent-Type: application/soap+xml; charset=UTF-8; action=\"urn:ihe:iti:2007:RegistryStoredQuery\"\r\n\r\n" + env)
	}
	e := Check("ok.http", dump(vihfNow.Add(time.Minute)), Options{})
	if got := rulesOf(e); !slices.Equal(got, []string{"vihf.signature-unchecked"}) || e.Kind != "http-request" || e.Direction != Request {
		t.Errorf("%s %s: %v", e.Kind, e.Direction, e.Findings)
	}
	e = Check("early.http", dump(vihfNow.Add(-time.Hour)), Options{At: vihfNow})
	if got := rulesOf(e); !slices.Equal(got, []string{"vihf.time", "vihf.signature-unchecked"}) {
		t.Errorf("a VIHF issued an hour after the HTTP Date: %v", e.Findings)
	}
	d := string(dump(vihfNow))
	if want := 1 + strings.Count(d[:strings.Index(d, "<wsse:Security")], "\n"); e.Findings[0].Line != want {
		t.Errorf("the VIHF finding is at line %d, want %d (the wsse:Security line of the file)", e.Findings[0].Line, want)
	}
}

// TestViolationPosition: a Validate violation is positioned at its element.
func TestViolationPosition(t *testing.T) {
	env := strings.Replace(requestEnvelope(t, nil), `returnType="LeafClass"`, `returnType="Leaves"`, 1)
	e := Check("request.xml", []byte(env), Options{At: vihfNow})
	want := 1 + strings.Count(env[:strings.Index(env, "<query:ResponseOption")], "\n")
	for _, f := range e.Findings {
		if f.Rule == "xsd.enumeration" {
			if f.Line != want || f.Col != 7 {
				t.Errorf("%s at %d:%d, want %d:7", f.Path, f.Line, f.Col, want)
			}
			return
		}
	}
	t.Errorf("no xsd.enumeration in %v", e.Findings)
}
