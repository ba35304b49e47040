package xmldsig_test

import (
	"crypto"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
	dsig "github.com/russellhaering/goxmldsig"
)

func template(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "testdata", "security", "templates", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// unsignedAssertion returns the template assertion without its Signature skeleton.
func unsignedAssertion(t testing.TB) *etree.Document {
	t.Helper()
	doc, err := xmldsig.Parse(template(t, "assertion-rsa-sha256.xml"))
	if err != nil {
		t.Fatal(err)
	}
	root := doc.Root()
	root.RemoveChild(root.SelectElement("Signature"))
	return doc
}

func signAssertion(t testing.TB, s *xmldsig.Signer) []byte {
	t.Helper()
	doc := unsignedAssertion(t)
	root := doc.Root()
	if err := s.SignEnveloped(root, root.SelectAttrValue("ID", ""), root.SelectElement("saml2:Issuer")); err != nil {
		t.Fatal(err)
	}
	return xmldsig.Serialize(root)
}

// goxmldsigVerify is the third, test-only verifier: goxmldsig validates the
// assertion against the exact leaf certificate.
func goxmldsigVerify(signed []byte, leaf *x509.Certificate) error {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(signed); err != nil {
		return err
	}
	el := doc.FindElement("//[@ID]")
	ctx := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{leaf}})
	ctx.IdAttribute = "ID"
	_, err := ctx.Validate(el)
	return err
}

func reasonOf(err error) xmldsig.Reason {
	var ve *xmldsig.VerifyError
	if errors.As(err, &ve) {
		return ve.Reason
	}
	return 0
}

func TestSignVerifyInterop(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	dir := t.TempDir()
	caPEM := xmldsigtest.WriteCertPEM(t, dir, "ca.pem", pki.CA)
	rsaLeaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	ecLeaf := pki.ECLeaf(t)
	cases := []struct {
		name    string
		leaf    xmldsigtest.Leaf
		hash    crypto.Hash
		prefix  string
		plist   []string
		wantAlg string
		node    bool
	}{
		{"rsa-sha256", rsaLeaf, crypto.SHA256, "", nil, xmldsig.AlgRSASHA256, true},
		{"rsa-sha1", rsaLeaf, crypto.SHA1, "", nil, xmldsig.AlgRSASHA1, true},
		{"rsa-sha256-ds-prefix-prefixlist", rsaLeaf, crypto.SHA256, "ds", []string{"xs", "xsi"}, xmldsig.AlgRSASHA256, true},
		{"ecdsa-sha256", ecLeaf, crypto.SHA256, "", nil, xmldsig.AlgECDSASHA256, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &xmldsig.Signer{Key: c.leaf.Key, Certificates: []*x509.Certificate{c.leaf.Cert}, Hash: c.hash, Prefix: c.prefix, PrefixList: c.plist}
			signed := signAssertion(t, s)
			v := &xmldsig.Verifier{Roots: pki.Pool, AllowSHA1: c.hash == crypto.SHA1}
			if c.hash == crypto.SHA1 {
				if _, err := (&xmldsig.Verifier{Roots: pki.Pool}).VerifyAssertion(signed); reasonOf(err) != xmldsig.ReasonAlgorithm {
					t.Errorf("SHA-1 without AllowSHA1: got %v, want an algorithm rejection", err)
				}
			}
			got, err := v.VerifyAssertion(signed)
			if err != nil {
				t.Fatalf("our verifier: %v\n%s", err, signed)
			}
			if got.SignatureMethod != c.wantAlg {
				t.Errorf("signature method %s, want %s", got.SignatureMethod, c.wantAlg)
			}
			if nid := got.Element.FindElement("./saml2:Subject/saml2:NameID"); nid == nil || nid.Text() != "899900063480" {
				t.Errorf("verified element lacks the NameID: %s", got.Canonical)
			}
			if out, ok := xmldsigtest.Xmlsec1Verify(t, signed, caPEM, nil, xmldsigtest.SAMLAssertionIDAttr); !ok {
				t.Errorf("xmlsec1 rejects our signature:\n%s\n%s", out, signed)
			}
			// goxmldsig expects ASN.1 ECDSA signature values, where XMLDSig
			// 1.1 §6.4.3 (and xmlsec1 above) uses r||s: RSA only.
			if c.node {
				if err := goxmldsigVerify(signed, c.leaf.Cert); err != nil {
					t.Errorf("goxmldsig rejects our signature: %v", err)
				}
			}
			if c.node {
				certPEM := xmldsigtest.WriteCertPEM(t, t.TempDir(), "leaf.pem", c.leaf.Cert)
				if out, ok := xmldsigtest.XMLCryptoVerify(t, signed, certPEM, "ID"); !ok {
					t.Errorf("xml-crypto rejects our signature: %s", out)
				}
			}
			// Tampering is detected by all verifiers.
			tampered := []byte(strings.Replace(string(signed), "899900063480<", "899900063481<", 1))
			if _, err := v.VerifyAssertion(tampered); reasonOf(err) != xmldsig.ReasonDigest {
				t.Errorf("tampered: got %v, want a digest rejection", err)
			}
			if out, ok := xmldsigtest.Xmlsec1Verify(t, tampered, caPEM, nil, xmldsigtest.SAMLAssertionIDAttr); ok {
				t.Errorf("xmlsec1 accepts a tampered document: %s", out)
			}
		})
	}
}

func TestPrefixListBoundOutside(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	for _, plist := range [][]string{{"soap"}, {"xs", "wsse"}} {
		_, a := unsignedEnvelope(t)
		s := &xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}, PrefixList: plist}
		err := s.SignEnveloped(a, tmplID, a.SelectElement("saml2:Issuer"))
		if err == nil || !strings.Contains(err.Error(), "bound outside the signed element") {
			t.Errorf("PrefixList %v: %v", plist, err)
		}
		if a.SelectElement("Signature") != nil {
			t.Errorf("PrefixList %v: a failed signature left a Signature element", plist)
		}
	}
}
