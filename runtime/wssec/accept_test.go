package wssec_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// structureLeaf is an organisation certificate (INDIRECTE modes): its CN is
// not a professional's identifier.
func structureLeaf(t *testing.T, pki *xmldsigtest.PKI) xmldsigtest.Leaf {
	return pki.RSALeaf(t, 2, xmldsigtest.LeafOptions{CommonName: "CABINET DR LIBRE SERVEUR LPS", Edit: func(c *x509.Certificate) {
		c.KeyUsage, c.ExtKeyUsage = x509.KeyUsageDigitalSignature, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}})
}

// TestPolicyAcceptsGenuineTokens: what Provider signs, in every mode and
// version, with and without a validity window, passes the strict default
// policy with replay detection, within the clock skew on both sides.
func TestPolicyAcceptsGenuineTokens(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	cps, structure := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{}), structureLeaf(t, pki)
	v := &xmldsig.Verifier{Roots: pki.Pool}
	p := &wssec.Policy{Replay: wssec.NewReplayCache(0)}
	for _, mode := range []vihf.Mode{vihf.Directe, vihf.Indirecte, vihf.IndirecteRenforcee} {
		for _, version := range []vihf.Version{vihf.V3, vihf.V4} {
			for _, c := range []struct {
				name   string
				cond   *vihf.Conditions
				issued time.Time
			}{
				{"no conditions", nil, issued},
				{"one-hour window", &vihf.Conditions{NotBefore: issued, NotOnOrAfter: issued.Add(time.Hour)}, issued},
				{"issued a minute ahead (skew)", nil, verifiedAt.Add(time.Minute)},
				{"issued six minutes ago (age + skew)", nil, verifiedAt.Add(-6 * time.Minute)},
			} {
				t.Run(fmt.Sprintf("%s-%s-%s", mode, version, c.name), func(t *testing.T) {
					leaf := cps
					if mode != vihf.Directe {
						leaf = structure
					}
					prov := &wssec.Provider{
						Builder: vihf.Builder{Now: func() time.Time { return c.issued }},
						Signer:  xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}},
						Claims: func(ctx context.Context, a string) (vihf.Claims, error) {
							cl, err := claims(ctx, a)
							cl.Mode, cl.Version, cl.Conditions = mode, version, c.cond
							return cl, err
						},
					}
					block, err := prov.HeaderBlock(context.Background(), "urn:ihe:iti:2007:RegistryStoredQuery")
					if err != nil {
						t.Fatal(err)
					}
					tok, ver, err := p.Verify(envelope(block), v, verifiedAt)
					if err != nil {
						t.Fatal(err)
					}
					if tok.Claims.Mode != mode || tok.Claims.Version != version || !ver.Certificate.Equal(leaf.Cert) {
						t.Errorf("claims %+v", tok.Claims)
					}
				})
			}
		}
	}
	if n := p.Replay.Len(); n != 24 {
		t.Errorf("replay cache holds %d assertions, want 24", n)
	}
}

// unsignedVIHF returns a built DIRECTE VIHF signed by nobody yet, whose
// Issuer is leaf's subject.
func unsignedVIHF(t *testing.T, leaf xmldsigtest.Leaf) *vihf.Assertion {
	t.Helper()
	c, _ := claims(context.Background(), "")
	c.Issuer = leaf.Cert.Subject.String()
	a, err := (&vihf.Builder{Now: func() time.Time { return issued }}).Build(c)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestForeignSignersThroughPolicy: VIHFs signed by xmlsec1 and by node
// xml-crypto pass the strict policy.
func TestForeignSignersThroughPolicy(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	dir := t.TempDir()
	keyPEM := xmldsigtest.WriteKeyPEM(t, dir, "key.pem", leaf.Key)
	certPEM := xmldsigtest.WriteCertPEM(t, dir, "cert.pem", leaf.Cert)
	wrap := func(signed []byte) []byte {
		if i := bytes.Index(signed, []byte("?>")); bytes.HasPrefix(signed, []byte("<?xml")) && i > 0 {
			signed = signed[i+2:]
		}
		return []byte(`<wsse:Security xmlns:wsse="` + wssec.NamespaceWSSE + `">` + strings.TrimSpace(string(signed)) + `</wsse:Security>`)
	}
	t.Run("xmlsec1", func(t *testing.T) {
		a := unsignedVIHF(t, leaf)
		// The signature template xmlsec1 fills in, after saml2:Issuer.
		sig := etree.NewElement("Signature")
		sig.CreateAttr("xmlns", xmldsig.NamespaceDSig)
		si := sig.CreateElement("SignedInfo")
		si.CreateElement("CanonicalizationMethod").CreateAttr("Algorithm", xmldsig.AlgExcC14N)
		si.CreateElement("SignatureMethod").CreateAttr("Algorithm", xmldsig.AlgRSASHA256)
		ref := si.CreateElement("Reference")
		ref.CreateAttr("URI", "#"+a.ID)
		tr := ref.CreateElement("Transforms")
		tr.CreateElement("Transform").CreateAttr("Algorithm", xmldsig.AlgEnveloped)
		tr.CreateElement("Transform").CreateAttr("Algorithm", xmldsig.AlgExcC14N)
		ref.CreateElement("DigestMethod").CreateAttr("Algorithm", xmldsig.AlgSHA256)
		ref.CreateElement("DigestValue")
		sig.CreateElement("SignatureValue")
		sig.CreateElement("KeyInfo").CreateElement("X509Data")
		a.Element.InsertChildAt(a.Issuer.Index()+1, sig)
		signed := xmldsigtest.Xmlsec1Sign(t, xmldsig.Serialize(a.Element), keyPEM, certPEM, xmldsigtest.SAMLAssertionIDAttr)
		tok, _, err := (&wssec.Policy{Replay: wssec.NewReplayCache(0)}).Verify(wrap(signed), &xmldsig.Verifier{Roots: pki.Pool}, verifiedAt)
		if err != nil {
			t.Fatalf("%v\n%s", err, signed)
		}
		if tok.ID != a.ID {
			t.Errorf("ID %s, want %s", tok.ID, a.ID)
		}
	})
	t.Run("xml-crypto", func(t *testing.T) {
		a := unsignedVIHF(t, leaf)
		signed := xmldsigtest.XMLCryptoSign(t, xmldsig.Serialize(a.Element), keyPEM, certPEM)
		tok, _, err := (&wssec.Policy{Replay: wssec.NewReplayCache(0)}).Verify(wrap(signed), &xmldsig.Verifier{Roots: pki.Pool}, verifiedAt)
		if err != nil {
			t.Fatalf("%v\n%s", err, signed)
		}
		if tok.ID != a.ID {
			t.Errorf("ID %s, want %s", tok.ID, a.ID)
		}
	})
}

// readSample reads an official VIHF sample. The DIRECTE ones mix Latin-1
// ("Accès") with UTF-8 ("Médecin") and declare no encoding: their bytes
// that are not UTF-8 are read as Latin-1, as the tools that made them wrote.
func readSample(t *testing.T, name string) *etree.Element {
	t.Helper()
	b, err := os.ReadFile(testenv.KitFile(t, "dmp/examples/messages-v02.05.00/vihf/"+name))
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(b) {
		var fixed []byte
		for len(b) > 0 {
			r, n := utf8.DecodeRune(b)
			if r == utf8.RuneError && n == 1 {
				r = rune(b[0])
			}
			fixed = utf8.AppendRune(fixed, r)
			b = b[n:]
		}
		b = fixed
	}
	doc, err := xmldsig.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Root()
}

// sampleCertificate returns the certificate in a sample's KeyInfo (the
// samples flatten its base64 with spaces).
func sampleCertificate(t *testing.T, el *etree.Element) *x509.Certificate {
	t.Helper()
	c := el.FindElement(".//X509Certificate")
	if c == nil {
		t.Fatal("no X509Certificate")
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(c.Text()), ""))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// TestKitSamples: the official VIHF samples against the strict policy.
//
// Their own signatures cannot be checked any more: RSA-SHA1 by 2019 test
// certificates long expired, over content that was flattened to one line
// afterwards, so the digests fail (asserted below). Each sample is therefore
// re-signed, unchanged, by a test key certified for the sample's own subject
// and key usages. The INDIRECTE and INDIRECTE_RENFORCEE samples then verify.
// The DIRECTE samples do not: they lack the subject-id attribute the kit
// declares mandatory, their Issuer spells the card's OU "M?decin" (an
// encoding loss), and their NameID (899900063480) is not the holder of the
// card that signed (899900038839). The test names each defect by relaxing
// the rules one at a time.
func TestKitSamples(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	directeCert := sampleCertificate(t, readSample(t, "VIHF_DIRECTE_signe.xml"))
	for _, c := range []struct {
		file    string
		defects []wssec.Reason
	}{
		{"VIHF_INDIRECTE_signe.xml", nil},
		{"VIHF_INDIRECTE_RENFORCEE_signe.xml", nil},
		{"VIHF_DIRECTE_signe.xml", []wssec.Reason{wssec.ReasonProfile, wssec.ReasonIssuer, wssec.ReasonSubject}},
		{"VIHF_DIRECTE_non-signe.xml", []wssec.Reason{wssec.ReasonProfile, wssec.ReasonIssuer, wssec.ReasonSubject}},
	} {
		t.Run(c.file, func(t *testing.T) {
			root := readSample(t, c.file)
			cert := directeCert
			if sig := root.SelectElement("Signature"); sig != nil {
				cert = sampleCertificate(t, root)
				// The sample's own signature: its digest no longer matches.
				issuedAt, err := time.Parse(time.RFC3339Nano, root.SelectAttrValue("IssueInstant", ""))
				if err != nil {
					t.Fatal(err)
				}
				own := x509.NewCertPool()
				own.AddCert(cert)
				v := &xmldsig.Verifier{Roots: own, AllowSHA1: true, Now: func() time.Time { return issuedAt }}
				if _, err := v.VerifyAssertion(xmldsig.Serialize(root)); sigReason(err) != xmldsig.ReasonDigest {
					t.Errorf("the sample's own signature: got %v, want a digest mismatch", err)
				}
				root.RemoveChild(sig)
			}
			if len(c.defects) == 0 {
				// The kit writes Issuer as Java's RFC 2253 rendering, which Provider reproduces.
				if got, want := issuerText(t, pki, cert), root.SelectElement("Issuer").Text(); got != want {
					t.Errorf("Provider would write Issuer %q, the sample has %q", got, want)
				}
			}
			leaf := pki.RSALeaf(t, 2, xmldsigtest.LeafOptions{Edit: func(tmpl *x509.Certificate) {
				tmpl.RawSubject, tmpl.KeyUsage, tmpl.ExtKeyUsage = cert.RawSubject, cert.KeyUsage, cert.ExtKeyUsage
			}})
			sec := etree.NewElement("wsse:Security")
			sec.CreateAttr("xmlns:wsse", wssec.NamespaceWSSE)
			a := root.Copy()
			sec.AddChild(a)
			s := &xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}}
			if err := s.SignEnveloped(a, a.SelectAttrValue("ID", ""), a.SelectElement("Issuer")); err != nil {
				t.Fatal(err)
			}
			block := xmldsig.Serialize(sec)
			issuedAt, err := time.Parse(time.RFC3339Nano, a.SelectAttrValue("IssueInstant", ""))
			if err != nil {
				t.Fatal(err)
			}
			p := &wssec.Policy{Replay: wssec.NewReplayCache(0)}
			relax := []func(){
				func() { p.AllowIncompleteVIHF = true },
				func() { p.AllowIssuerMismatch = true },
				func() { p.AllowNameIDMismatch = true },
			}
			for i, want := range c.defects {
				_, _, err := p.Verify(block, &xmldsig.Verifier{Roots: pki.Pool}, issuedAt.Add(30*time.Second))
				if got, _ := reasonOf(err); got != want {
					t.Fatalf("defect %d: got %v, want reason %v", i+1, err, want)
				}
				t.Logf("defect %d: %v", i+1, err)
				relax[i]()
			}
			tok, _, err := p.Verify(block, &xmldsig.Verifier{Roots: pki.Pool}, issuedAt.Add(30*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			if tok.Claims.SubjectID != "899900063480" || tok.Claims.Patient.ID != "207058575627097" {
				t.Errorf("claims %+v", tok.Claims)
			}
		})
	}
}

// issuerText returns the Issuer Provider writes for a certificate with
// cert's subject.
func issuerText(t *testing.T, pki *xmldsigtest.PKI, cert *x509.Certificate) string {
	t.Helper()
	leaf := pki.RSALeaf(t, 2, xmldsigtest.LeafOptions{Edit: func(tmpl *x509.Certificate) { tmpl.RawSubject = cert.RawSubject }})
	prov := &wssec.Provider{Signer: xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}}, Claims: claims}
	block, err := prov.HeaderBlock(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := xmldsig.Parse(block)
	if err != nil {
		t.Fatal(err)
	}
	return doc.FindElement("//saml2:Issuer").Text()
}

func sigReason(err error) xmldsig.Reason {
	_, x := reasonOf(err)
	return x
}
