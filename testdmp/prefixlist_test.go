package testdmp

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// TestForeignSignaturePrefixList: a VIHF signed by xmlsec1 whose exclusive
// canonicalization names, in InclusiveNamespaces PrefixList, the soap prefix
// declared on the Envelope (and xs and #default) verifies with xmlsec1 and
// is accepted by the test DMP over HTTPS, since the test DMP verifies the
// header block in its original namespace context. The same block taken out
// of its envelope does not verify: the PrefixList makes the context part
// of what is signed.
func TestForeignSignaturePrefixList(t *testing.T) {
	verifier := &xmldsig.Verifier{}
	_, srv := NewServer(verifier, time.Minute, Options{}, soap.WithLogf(t.Logf))
	env := soaptest.NewEnv(t, srv)
	verifier.Roots = env.PKI.Pool
	key := env.ClientCert.PrivateKey.(crypto.Signer)
	provider := &wssec.Provider{
		Signer: xmldsig.Signer{Key: key, Certificates: []*x509.Certificate{env.ClientCert.Leaf}},
		Claims: func(context.Context, string) (vihf.Claims, error) { return vihfClaims(examplePS), nil },
	}
	block, err := provider.HeaderBlock(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	// Our signature becomes an xmlsec1 template: empty values, and exc-c14n
	// with a PrefixList wherever it is used.
	const excC14N = `Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"`
	incl := `<ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="soap xs #default"/>`
	tmpl := string(block)
	for _, r := range []struct{ old, new string }{
		{`<CanonicalizationMethod ` + excC14N + `/>`, `<CanonicalizationMethod ` + excC14N + `>` + incl + `</CanonicalizationMethod>`},
		{`<Transform ` + excC14N + `/>`, `<Transform ` + excC14N + `>` + incl + `</Transform>`},
	} {
		if !strings.Contains(tmpl, r.old) {
			t.Fatalf("the signed block has no %s", r.old)
		}
		tmpl = strings.Replace(tmpl, r.old, r.new, 1)
	}
	tmpl = regexp.MustCompile(`<DigestValue>[^<]*</DigestValue>`).ReplaceAllString(tmpl, `<DigestValue></DigestValue>`)
	tmpl = regexp.MustCompile(`<SignatureValue>[^<]*</SignatureValue>`).ReplaceAllString(tmpl, `<SignatureValue></SignatureValue>`)
	tmpl = regexp.MustCompile(`<X509Data>.*</X509Data>`).ReplaceAllString(tmpl, `<X509Data><X509Certificate></X509Certificate></X509Data>`)

	var op *soap.Operation
	for _, o := range habilitations.HabilitationsOperations() {
		if o.Name == "listAuthorizationByPatient" {
			op = o
		}
	}
	if op == nil {
		t.Fatal("no listAuthorizationByPatient operation")
	}
	mode := habilitations.ModeType_TOUTE
	body, err := xmltext.Marshal(&habilitations.ListAuthorizationByPatient{Mode: &mode}, op.Request)
	if err != nil {
		t.Fatal(err)
	}
	envelope := `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing"><soap:Header>` +
		`<wsa:Action>` + op.Action + `</wsa:Action><wsa:MessageID>urn:uuid:0f6c3c3e-5b1c-4e55-9d8a-3c1b7e0a0001</wsa:MessageID>` +
		tmpl + `</soap:Header><soap:Body>` + string(body) + `</soap:Body></soap:Envelope>`

	dir := t.TempDir()
	keyPEM := xmldsigtest.WriteKeyPEM(t, dir, "key.pem", key)
	certPEM := xmldsigtest.WriteCertPEM(t, dir, "cert.pem", env.ClientCert.Leaf)
	caPEM := xmldsigtest.WriteCertPEM(t, dir, "ca.pem", env.PKI.CA)
	signed := xmldsigtest.Xmlsec1Sign(t, []byte(envelope), keyPEM, certPEM, xmldsigtest.SAMLAssertionIDAttr)
	if !bytes.Contains(signed, []byte(`PrefixList="soap xs #default"`)) {
		t.Fatalf("xmlsec1 dropped the PrefixList:\n%s", signed)
	}
	if out, ok := xmldsigtest.Xmlsec1Verify(t, signed, caPEM, nil, xmldsigtest.SAMLAssertionIDAttr); !ok {
		t.Fatalf("xmlsec1 does not verify its own signature: %s", out)
	}

	// Out of its envelope, the block does not verify.
	secDoc, err := wssec.SecurityHeader(signed)
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(secDoc, []byte("<wsse:Security"))
	end := bytes.LastIndex(secDoc, []byte("</soap:Header>"))
	if _, _, err := (&wssec.Policy{}).Verify(secDoc[start:end], verifier, time.Now()); err == nil {
		t.Fatal("the block alone verifies: the PrefixList did not bind the soap prefix, the test proves nothing")
	} else {
		t.Logf("the block alone: %v", err)
	}

	req, err := http.NewRequest(http.MethodPost, env.URL(), bytes.NewReader(signed))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", `application/soap+xml; charset=utf-8`)
	resp, err := env.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(got, []byte("listAuthorizationByPatientResponse")) {
		t.Fatalf("the test DMP refused the xmlsec1 signature: %d\n%s", resp.StatusCode, got)
	}
}
