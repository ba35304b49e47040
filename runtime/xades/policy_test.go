package xades_test

import (
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/dmpgen/dmpgen/runtime/xades"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// sigDoc describes a signature document to produce: Sign's output, edited,
// then signed again (so the edits are covered by the signature).
type sigDoc struct {
	leaf *xmldsigtest.Leaf
	hash crypto.Hash
	// edit changes the signature's ds:Object content before it is re-signed.
	edit func(sig *etree.Element)
	// unsignedPurpose leaves the SignatureProperties out of the References.
	unsignedPurpose bool
}

func (d sigDoc) make(t *testing.T, leaf xmldsigtest.Leaf, docs []xades.Document) []byte {
	t.Helper()
	if d.leaf != nil {
		leaf = *d.leaf
	}
	signer := xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}, Hash: d.hash}
	res, err := xades.Sign(docs, xades.Options{Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	if d.edit == nil && !d.unsignedPurpose {
		return res.Bytes
	}
	doc, err := xmldsig.Parse(res.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	sig := doc.Root()
	if d.edit != nil {
		d.edit(sig)
	}
	for _, name := range []string{"SignedInfo", "SignatureValue", "KeyInfo"} {
		sig.RemoveChild(sig.SelectElement(name))
	}
	id := sig.SelectAttrValue("Id", "")
	byID := func(v string) *etree.Element { return sig.FindElement("//[@Id='" + v + "']") }
	refs := []xmldsig.Reference{{URI: "#" + xades.ManifestID, Type: xades.TypeManifest, Target: byID(xades.ManifestID)}}
	if !d.unsignedPurpose {
		refs = append(refs, xmldsig.Reference{URI: "#" + id + "-SignatureProperties", Target: byID(id + "-SignatureProperties")})
	}
	refs = append(refs, xmldsig.Reference{URI: "#" + id + "-SignedProperties", Type: xades.TypeSignedProperties, Target: byID(id + "-SignedProperties")})
	signer.Prefix = "ds"
	if err := signer.Sign(sig, refs...); err != nil {
		t.Fatal(err)
	}
	return xmldsig.Serialize(sig)
}

func signingTime(sig *etree.Element) *etree.Element { return sig.FindElement("//xad:SigningTime") }

func purpose(sig *etree.Element) *etree.Element { return sig.FindElement("//SignatureProperty") }

// commitment adds a XAdES CommitmentTypeIndication with the given identifier.
func commitment(id string) func(*etree.Element) {
	return func(sig *etree.Element) {
		sp := sig.FindElement("//xad:SignedProperties")
		cti := sp.CreateElement("xad:SignedDataObjectProperties").CreateElement("xad:CommitmentTypeIndication")
		cti.CreateElement("xad:CommitmentTypeId").CreateElement("xad:Identifier").SetText(id)
		cti.CreateElement("xad:AllSignedDataObjects")
	}
}

func xadesReason(err error) (xades.Reason, xmldsig.Reason) {
	var xe *xades.Error
	var de *xmldsig.VerifyError
	var r xades.Reason
	var d xmldsig.Reason
	if errors.As(err, &xe) {
		r = xe.Reason
	}
	if errors.As(err, &de) {
		d = de.Reason
	}
	return r, d
}

// TestPolicyAdversarial: signature documents a relying party must refuse
// (signing time, purpose, digest algorithms, signer), each with its reason
// and wording, accepted once its own rule is relaxed.
func TestPolicyAdversarial(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	tlsServer := pki.RSALeaf(t, 2, xmldsigtest.LeafOptions{Edit: func(c *x509.Certificate) {
		c.KeyUsage, c.ExtKeyUsage = x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	}})
	docs := []xades.Document{{UniqueID: "1.2.250.1.999.1.1.7898.3.1", Content: []byte("<ClinicalDocument/>")}}
	setTime := func(tm time.Time) func(*etree.Element) {
		return func(sig *etree.Element) { signingTime(sig).SetText(tm.UTC().Format("2006-01-02T15:04:05.000Z")) }
	}
	b64 := base64.StdEncoding.EncodeToString
	cases := []struct {
		name   string
		doc    sigDoc
		reason xades.Reason
		sig    xmldsig.Reason
		says   string
		relax  func(*xades.Policy, *xmldsig.Verifier)
	}{
		{"SigningTime in 2099", sigDoc{edit: setTime(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC))},
			xades.ReasonSigningTime, 0, "in the future", func(p *xades.Policy, _ *xmldsig.Verifier) { p.AllowAnySigningTime = true }},
		{"SigningTime in 1990", sigDoc{edit: setTime(time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC))},
			xades.ReasonSigningTime, 0, "outside the signing certificate's validity", func(p *xades.Policy, _ *xmldsig.Verifier) { p.AllowAnySigningTime = true }},
		{"SigningTime an hour ahead", sigDoc{edit: setTime(time.Now().Add(time.Hour))},
			xades.ReasonSigningTime, 0, "check the signer's clock", func(p *xades.Policy, _ *xmldsig.Verifier) { p.ClockSkew = 2 * time.Hour }},
		{"purpose that is not a signature purpose", sigDoc{edit: func(sig *etree.Element) { purpose(sig).SetText("2.16.840.1.113883.5.25") }},
			xades.ReasonPurpose, 0, `"2.16.840.1.113883.5.25" is not one this relying party accepts`,
			func(p *xades.Policy, _ *xmldsig.Verifier) { p.Purposes = []string{"2.16.840.1.113883.5.25"} }},
		{"author's signature where the DMP wants source", sigDoc{edit: func(sig *etree.Element) { purpose(sig).SetText("1.2.840.10065.1.12.1.1") }},
			xades.ReasonPurpose, 0, "1.2.840.10065.1.12.1.14", func(p *xades.Policy, _ *xmldsig.Verifier) { p.Purposes = xades.ASTMPurposes() }},
		{"purpose left unsigned", sigDoc{unsignedPurpose: true},
			xades.ReasonPurpose, 0, "no signed purpose", func(p *xades.Policy, _ *xmldsig.Verifier) { p.AllowNoPurpose = true }},
		{"purpose of another signature", sigDoc{edit: func(sig *etree.Element) { purpose(sig).CreateAttr("Target", "#other-signature") }},
			xades.ReasonPurpose, 0, "not this signature", nil},
		{"commitment type that is not a signature purpose", sigDoc{edit: commitment("urn:oid:1.2.3.4")},
			xades.ReasonPurpose, 0, `"1.2.3.4"`, func(p *xades.Policy, _ *xmldsig.Verifier) { p.Purposes = []string{xades.PurposeSource, "1.2.3.4"} }},
		{"RSA-SHA1 core signature", sigDoc{hash: crypto.SHA1},
			xades.ReasonSignature, xmldsig.ReasonAlgorithm, "AllowSHA1", func(_ *xades.Policy, v *xmldsig.Verifier) { v.AllowSHA1 = true }},
		{"SHA-1 Manifest digest under SHA-256", sigDoc{edit: func(sig *etree.Element) {
			ref := sig.FindElement("//ds:Manifest/ds:Reference")
			ref.SelectElement("DigestMethod").CreateAttr("Algorithm", xmldsig.AlgSHA1)
			sum := sha1.Sum(docs[0].Content)
			ref.SelectElement("DigestValue").SetText(b64(sum[:]))
		}}, xades.ReasonAlgorithm, 0, "Manifest digest method", func(_ *xades.Policy, v *xmldsig.Verifier) { v.AllowSHA1 = true }},
		{"SHA-1 CertDigest under SHA-256", sigDoc{edit: func(sig *etree.Element) {
			cd := sig.FindElement("//xad:CertDigest")
			cd.SelectElement("DigestMethod").CreateAttr("Algorithm", xmldsig.AlgSHA1)
			sum := sha1.Sum(leaf.Cert.Raw)
			cd.SelectElement("DigestValue").SetText(b64(sum[:]))
		}}, xades.ReasonAlgorithm, 0, "CertDigest digest method", func(_ *xades.Policy, v *xmldsig.Verifier) { v.AllowSHA1 = true }},
		{"SigningCertificate naming the CA", sigDoc{edit: func(sig *etree.Element) {
			sum := sha256.Sum256(pki.CA.Raw)
			sig.FindElement("//xad:CertDigest").SelectElement("DigestValue").SetText(b64(sum[:]))
		}}, xades.ReasonCertificate, 0, "does not name the certificate that signed", nil},
		{"TLS server certificate as signer", sigDoc{leaf: &tlsServer},
			xades.ReasonSignature, xmldsig.ReasonCertificate, "serverAuth only", func(_ *xades.Policy, v *xmldsig.Verifier) { v.AllowAnyKeyUsage = true }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.doc.make(t, leaf, docs)
			verify := func(relax bool) error {
				p, v := &xades.Policy{}, &xmldsig.Verifier{Roots: pki.Pool}
				if relax {
					c.relax(p, v)
				}
				_, err := p.Verify(b, docs, v)
				return err
			}
			err := verify(false)
			r, d := xadesReason(err)
			if err == nil || r != c.reason || d != c.sig || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("got %v (reason %v/%v), want %v/%v saying %q", err, r, d, c.reason, c.sig, c.says)
			}
			t.Logf("refused: %v", err)
			if c.relax != nil {
				if err := verify(true); err != nil {
					t.Errorf("with its rule relaxed, still refused: %v", err)
				}
			}
		})
	}
}

// TestPolicyAccepts: a SigningTime within the clock skew and a
// CommitmentTypeIndication of the source purpose are accepted, and the
// purposes are reported.
func TestPolicyAccepts(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	docs := []xades.Document{{UniqueID: "1.2.250.1.999.1.1.7898.3.1", Content: []byte("<ClinicalDocument/>")}}
	v := &xmldsig.Verifier{Roots: pki.Pool}
	b := sigDoc{edit: func(sig *etree.Element) {
		signingTime(sig).SetText(time.Now().Add(time.Minute).UTC().Format("2006-01-02T15:04:05.000Z"))
		commitment("urn:oid:" + xades.PurposeSource)(sig)
	}}.make(t, leaf, docs)
	got, err := xades.Verify(b, docs, v)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Purposes) != 2 || got.Purposes[0] != xades.PurposeSource || got.Purposes[1] != xades.PurposeSource {
		t.Errorf("purposes %v", got.Purposes)
	}
	if len(xades.ASTMPurposes()) != 18 || xades.ASTMPurposes()[13] != xades.PurposeSource {
		t.Errorf("ASTM purposes %v", xades.ASTMPurposes())
	}
}
