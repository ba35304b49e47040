package wssec_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// issued is when the test tokens are issued, verifiedAt when they are
// presented (certificates are checked at the real time).
var (
	issued     = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	verifiedAt = issued.Add(30 * time.Second)
)

// token describes a VIHF to sign: the DIRECTE 3.0 claims of claims() with
// edits, signed by the fixture's CPS-like leaf (CN=899900063480) unless
// another is given.
type token struct {
	claims func(*vihf.Claims)
	issued time.Time
	edit   func(assertion *etree.Element) // before signing
	leaf   *xmldsigtest.Leaf
	hash   crypto.Hash
	post   func(signed string) string // after signing
}

type rpFixture struct {
	pki  *xmldsigtest.PKI
	leaf xmldsigtest.Leaf
}

func newRP(t *testing.T) *rpFixture {
	pki := xmldsigtest.NewPKI(t)
	return &rpFixture{pki: pki, leaf: pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})}
}

// block signs tk and returns the wsse:Security header block.
func (f *rpFixture) block(t *testing.T, tk token) []byte {
	t.Helper()
	leaf := f.leaf
	if tk.leaf != nil {
		leaf = *tk.leaf
	}
	c, _ := claims(context.Background(), "")
	c.Issuer = leaf.Cert.Subject.String()
	if tk.claims != nil {
		tk.claims(&c)
	}
	at := issued
	if !tk.issued.IsZero() {
		at = tk.issued
	}
	a, err := (&vihf.Builder{Now: func() time.Time { return at }}).Build(c)
	if err != nil {
		t.Fatal(err)
	}
	if tk.edit != nil {
		tk.edit(a.Element)
	}
	sec := etree.NewElement("wsse:Security")
	sec.CreateAttr("xmlns:wsse", wssec.NamespaceWSSE)
	sec.AddChild(a.Element)
	s := xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}, Hash: tk.hash}
	if err := s.SignEnveloped(a.Element, a.ID, a.Issuer); err != nil {
		t.Fatal(err)
	}
	out := string(xmldsig.Serialize(sec))
	if tk.post != nil {
		out = tk.post(out)
	}
	return []byte(out)
}

// conditions returns the assertion's Conditions, creating it after Subject.
func conditions(a *etree.Element) *etree.Element {
	if c := a.SelectElement("saml2:Conditions"); c != nil {
		return c
	}
	c := etree.NewElement("saml2:Conditions")
	a.InsertChildAt(a.SelectElement("saml2:Subject").Index()+1, c)
	return c
}

// attribute returns the saml2:Attribute of that Name.
func attribute(a *etree.Element, name string) *etree.Element {
	return a.FindElement("./saml2:AttributeStatement/saml2:Attribute[@Name='" + name + "']")
}

func window(from, to time.Time) func(*vihf.Claims) {
	return func(c *vihf.Claims) { c.Conditions = &vihf.Conditions{NotBefore: from, NotOnOrAfter: to} }
}

func reasonOf(err error) (wssec.Reason, xmldsig.Reason) {
	var we *wssec.Error
	var xe *xmldsig.VerifyError
	var r wssec.Reason
	var x xmldsig.Reason
	if errors.As(err, &we) {
		r = we.Reason
	}
	if errors.As(err, &xe) {
		x = xe.Reason
	}
	return r, x
}

// attack is one named case of the adversarial suite: a token a relying
// party must refuse, the Reason and the words of the refusal (what the
// sender must change), and the named option, if any, under which the same
// token is accepted (each rule can be relaxed alone).
type attack struct {
	class, name string
	tok         token
	now         time.Time                              // verifiedAt when zero
	policy      func(*wssec.Policy)                    // the relying party's configuration
	twice       bool                                   // present the token twice, refuse the second
	reason      wssec.Reason                           //
	sig         xmldsig.Reason                         // for ReasonSignature
	says        string                                 // in the error text
	relax       func(*wssec.Policy, *xmldsig.Verifier) // accepts the token; nil when nothing may
}

// TestAdversarialSuite: token lifetime and binding abuse, KeyInfo tricks,
// algorithm downgrades and assertions that are not VIHFs, each refused with
// its reason, and accepted once (and only once) its rule is relaxed.
func TestAdversarialSuite(t *testing.T) {
	f := newRP(t)
	other := f.pki.RSALeaf(t, 2, xmldsigtest.LeafOptions{CommonName: "899900000002"})
	tlsServer := f.pki.RSALeaf(t, 2, xmldsigtest.LeafOptions{Edit: func(c *x509.Certificate) {
		c.KeyUsage, c.ExtKeyUsage = x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	}})
	noUsage := f.pki.RSALeaf(t, 2, xmldsigtest.LeafOptions{Edit: func(c *x509.Certificate) { c.KeyUsage, c.ExtKeyUsage = 0, nil }})
	expired := f.pki.RSALeaf(t, 2, xmldsigtest.LeafOptions{NotBefore: time.Now().AddDate(-3, 0, 0), NotAfter: time.Now().AddDate(-1, 0, 0)})
	selfSigned := func() *xmldsigtest.Leaf {
		rogue := xmldsigtest.NewPKI(t) // an attacker's CA issuing the genuine subject
		l := rogue.RSALeaf(t, 2, xmldsigtest.LeafOptions{})
		return &l
	}()
	weakKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	weak := xmldsigtest.Leaf{Cert: f.pki.Issue(t, weakKey.Public(), xmldsigtest.LeafOptions{}), Key: weakKey}
	replaceOnce := func(old, new string) func(string) string {
		return func(s string) string {
			if !strings.Contains(s, old) {
				t.Fatalf("signed token lacks %q", old)
			}
			return strings.Replace(s, old, new, 1)
		}
	}
	b64 := base64.StdEncoding.EncodeToString
	leafB64 := b64(f.leaf.Cert.Raw)
	half := len(f.leaf.Cert.Raw) / 2

	cases := []attack{
		// Token lifetime.
		{class: "lifetime", name: "issued a year ago", tok: token{issued: issued.AddDate(-1, 0, 0)},
			reason: wssec.ReasonExpired, says: "build a VIHF for each request",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.MaxAge = -1 }},
		{class: "lifetime", name: "valid for 100 years", tok: token{claims: window(issued, issued.AddDate(100, 0, 0))},
			reason: wssec.ReasonLifetime, says: "issue short-lived tokens",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.MaxValidity = -1 }},
		{class: "lifetime", name: "NotBefore backdated to 1990", tok: token{claims: window(time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), issued.Add(time.Hour))},
			reason: wssec.ReasonLifetime, says: "more than the 1h0m0s allowed",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.MaxValidity = -1 }},
		{class: "lifetime", name: "IssueInstant an hour ahead", tok: token{issued: issued.Add(time.Hour)},
			reason: wssec.ReasonNotYetValid, says: "check the sender's clock",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.ClockSkew = 2 * time.Hour }},
		{class: "lifetime", name: "AuthnInstant in the future", tok: token{edit: func(a *etree.Element) {
			a.SelectElement("saml2:AuthnStatement").CreateAttr("AuthnInstant", vihf.FormatTime(issued.Add(time.Hour)))
		}}, reason: wssec.ReasonNotYetValid, says: "AuthnInstant",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.ClockSkew = 2 * time.Hour }},
		{class: "lifetime", name: "NotBefore in the future", tok: token{claims: window(issued.Add(time.Hour), issued.Add(90*time.Minute))},
			reason: wssec.ReasonNotYetValid, says: "not valid before",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.ClockSkew = 2 * time.Hour }},
		{class: "lifetime", name: "past NotOnOrAfter", tok: token{claims: window(issued, issued.Add(10*time.Second))}, now: issued.Add(3 * time.Minute),
			reason: wssec.ReasonExpired, says: "NotOnOrAfter",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.ClockSkew = 5 * time.Minute }},
		{class: "lifetime", name: "presented 10 minutes after issue", now: issued.Add(10 * time.Minute),
			reason: wssec.ReasonExpired, says: "issued 10m0s ago",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.MaxAge = 15 * time.Minute }},

		// Conditions and audience.
		{class: "conditions", name: "AudienceRestriction for another relying party",
			tok: token{edit: func(a *etree.Element) {
				conditions(a).CreateElement("saml2:AudienceRestriction").CreateElement("saml2:Audience").SetText("urn:other-rp")
			}},
			policy: func(p *wssec.Policy) { p.Audiences = []string{"urn:dmpgen:test-rp"} },
			reason: wssec.ReasonAudience, says: "not for this relying party",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.Audiences = append(p.Audiences, "urn:other-rp") }},
		{class: "conditions", name: "AudienceRestriction with no audience configured",
			tok: token{edit: func(a *etree.Element) {
				conditions(a).CreateElement("saml2:AudienceRestriction").CreateElement("saml2:Audience").SetText("urn:other-rp")
			}},
			reason: wssec.ReasonAudience, says: "Policy.Audiences",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.Audiences = []string{"urn:other-rp"} }},
		{class: "conditions", name: "no AudienceRestriction where one is required",
			policy: func(p *wssec.Policy) { p.Audiences, p.RequireAudience = []string{"urn:dmpgen:test-rp"}, true },
			reason: wssec.ReasonAudience, says: "no AudienceRestriction",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.RequireAudience = false }},
		{class: "conditions", name: "unknown Condition (ProxyRestriction)",
			tok:    token{edit: func(a *etree.Element) { conditions(a).CreateElement("saml2:ProxyRestriction").CreateAttr("Count", "0") }},
			reason: wssec.ReasonCondition, says: "cannot be evaluated",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.AllowUnknownConditions = true }},
		{class: "conditions", name: "extension Condition", tok: token{edit: func(a *etree.Element) {
			d := conditions(a).CreateElement("x:Delegation")
			d.CreateAttr("xmlns:x", "urn:example:delegation")
		}}, reason: wssec.ReasonCondition, says: "{urn:example:delegation}Delegation",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.AllowUnknownConditions = true }},
		{class: "conditions", name: "OneTimeUse without replay detection",
			tok:    token{edit: func(a *etree.Element) { conditions(a).CreateElement("saml2:OneTimeUse") }},
			reason: wssec.ReasonCondition, says: "needs replay detection",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.Replay = wssec.NewReplayCache(0) }},

		// Replay.
		{class: "replay", name: "same assertion presented twice", twice: true,
			policy: func(p *wssec.Policy) { p.Replay = wssec.NewReplayCache(0) },
			reason: wssec.ReasonReplay, says: "already used",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.Replay = nil }},
		{class: "replay", name: "OneTimeUse assertion presented twice", twice: true,
			tok:    token{edit: func(a *etree.Element) { conditions(a).CreateElement("saml2:OneTimeUse") }},
			policy: func(p *wssec.Policy) { p.Replay = wssec.NewReplayCache(0) },
			reason: wssec.ReasonReplay, says: "already used"},

		// Binding of the claims to the signing certificate.
		{class: "binding", name: "DIRECTE NameID of another professional",
			tok:    token{claims: func(c *vihf.Claims) { c.SubjectID = "899900000001" }},
			reason: wssec.ReasonSubject, says: "not the holder of the signing card",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.AllowNameIDMismatch = true }},
		{class: "binding", name: "DIRECTE token signed with another professional's card",
			tok:    token{leaf: &other},
			reason: wssec.ReasonSubject, says: `("899900000002")`,
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.AllowNameIDMismatch = true }},
		{class: "binding", name: "Issuer that is not the signing certificate's subject",
			tok:    token{claims: func(c *vihf.Claims) { c.Issuer = "CN=899900063480,OU=499900063480001,O=AUTRE CABINET,C=FR" }},
			reason: wssec.ReasonIssuer, says: "must be the signing certificate's subject",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.AllowIssuerMismatch = true }},
		{class: "binding", name: "Issuer naming the certification authority",
			tok:    token{claims: func(c *vihf.Claims) { c.Issuer = f.pki.CA.Subject.String() }},
			reason: wssec.ReasonIssuer, says: "TEST AC DMPGEN",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.AllowIssuerMismatch = true }},
		{class: "binding", name: "assertion moved into the SOAP Body",
			tok: token{post: func(s string) string {
				return `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header/><soap:Body>` + s + `</soap:Body></soap:Envelope>`
			}}, reason: wssec.ReasonPlace, says: "not in soap:Header/wsse:Security"},

		// KeyInfo tricks.
		{class: "keyinfo", name: "leaf split across two X509Certificate elements", tok: token{post: replaceOnce(
			"<X509Certificate>"+leafB64+"</X509Certificate>",
			"<X509Certificate>"+b64(f.leaf.Cert.Raw[:half])+"</X509Certificate><X509Certificate>"+b64(f.leaf.Cert.Raw[half:])+"</X509Certificate>")},
			reason: wssec.ReasonSignature, sig: xmldsig.ReasonCertificate, says: "not one well-formed DER certificate"},
		{class: "keyinfo", name: "certificate from an attacker's CA with the genuine subject", tok: token{leaf: selfSigned},
			reason: wssec.ReasonSignature, sig: xmldsig.ReasonCertificate, says: "unknown authority"},
		{class: "keyinfo", name: "trusted certificate in KeyInfo, signature by another key",
			tok:    token{leaf: selfSigned, post: replaceOnce(b64(selfSigned.Cert.Raw), leafB64)},
			reason: wssec.ReasonSignature, sig: xmldsig.ReasonSignature, says: "SignatureValue does not verify"},
		{class: "keyinfo", name: "TLS server certificate as signer", tok: token{leaf: &tlsServer},
			reason: wssec.ReasonSignature, sig: xmldsig.ReasonCertificate, says: "serverAuth only",
			relax: func(_ *wssec.Policy, v *xmldsig.Verifier) { v.AllowAnyKeyUsage = true }},
		{class: "keyinfo", name: "certificate without key usage", tok: token{leaf: &noUsage},
			reason: wssec.ReasonSignature, sig: xmldsig.ReasonCertificate, says: "neither digitalSignature nor nonRepudiation",
			relax: func(_ *wssec.Policy, v *xmldsig.Verifier) { v.AllowAnyKeyUsage = true }},
		{class: "keyinfo", name: "expired certificate", tok: token{leaf: &expired},
			reason: wssec.ReasonSignature, sig: xmldsig.ReasonCertificate, says: "expired"},
		{class: "keyinfo", name: "KeyValue instead of a certificate", tok: token{post: func(s string) string {
			i, j := strings.Index(s, "<X509Data>"), strings.Index(s, "</X509Data>")+len("</X509Data>")
			return s[:i] + "<KeyValue><RSAKeyValue><Modulus>AQAB</Modulus><Exponent>AQAB</Exponent></RSAKeyValue></KeyValue>" + s[j:]
		}}, reason: wssec.ReasonSignature, sig: xmldsig.ReasonCertificate, says: "exactly one X509Data"},
		{class: "keyinfo", name: "RSA-1024 key", tok: token{leaf: &weak},
			reason: wssec.ReasonSignature, sig: xmldsig.ReasonCertificate, says: "RSA key of 1024 bits"},

		// Algorithm downgrades.
		{class: "algorithm", name: "RSA-SHA1 signature", tok: token{hash: crypto.SHA1},
			reason: wssec.ReasonSignature, sig: xmldsig.ReasonAlgorithm, says: "AllowSHA1",
			relax: func(_ *wssec.Policy, v *xmldsig.Verifier) { v.AllowSHA1 = true }},
		{class: "algorithm", name: "SHA-1 digest under an RSA-SHA256 signature", tok: token{post: replaceOnce(xmldsig.AlgSHA256, xmldsig.AlgSHA1)},
			reason: wssec.ReasonSignature, sig: xmldsig.ReasonAlgorithm, says: "digest method"},
		{class: "algorithm", name: "MD5 digest", tok: token{post: replaceOnce(xmldsig.AlgSHA256, xmldsig.AlgMD5)},
			reason: wssec.ReasonSignature, sig: xmldsig.ReasonAlgorithm, says: "digest method"},
		{class: "algorithm", name: "HMAC-SHA256 signature method", tok: token{post: replaceOnce(xmldsig.AlgRSASHA256, "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256")},
			reason: wssec.ReasonSignature, sig: xmldsig.ReasonAlgorithm, says: "signature method"},
		{class: "algorithm", name: "ECDSA signature method with an RSA key", tok: token{post: replaceOnce(xmldsig.AlgRSASHA256, xmldsig.AlgECDSASHA256)},
			reason: wssec.ReasonSignature, sig: xmldsig.ReasonAlgorithm, says: "non-RSA signature method"},

		// Assertions that are not VIHFs.
		{class: "profile", name: "one-attribute assertion of another profile re-signed by a trusted key", tok: token{edit: func(a *etree.Element) {
			st := a.SelectElement("saml2:AttributeStatement")
			for _, at := range st.ChildElements() {
				if at.SelectAttrValue("Name", "") != "LPS_Nom" {
					st.RemoveChild(at)
				}
			}
		}}, reason: wssec.ReasonProfile, says: "unknown mode",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.AllowIncompleteVIHF = true }},
		{class: "profile", name: "bearer SubjectConfirmation", tok: token{edit: func(a *etree.Element) {
			a.SelectElement("saml2:Subject").CreateElement("saml2:SubjectConfirmation").CreateAttr("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer")
		}}, reason: wssec.ReasonProfile, says: "exactly one NameID"},
		{class: "profile", name: "AuthzDecisionStatement", tok: token{edit: func(a *etree.Element) {
			s := a.CreateElement("saml2:AuthzDecisionStatement")
			s.CreateAttr("Decision", "Permit")
			s.CreateAttr("Resource", "urn:dmp")
			s.CreateElement("saml2:Action").SetText("write")
		}}, reason: wssec.ReasonProfile, says: "not part of a VIHF"},
		{class: "profile", name: "no patient (resource-id)", tok: token{edit: func(a *etree.Element) {
			at := attribute(a, "urn:oasis:names:tc:xacml:2.0:resource:resource-id")
			at.Parent().RemoveChild(at)
		}}, reason: wssec.ReasonProfile, says: "resource-id is mandatory",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.AllowIncompleteVIHF = true }},
		{class: "profile", name: "unknown access mode", tok: token{edit: func(a *etree.Element) {
			attribute(a, "urn:oasis:names:tc:xspa:1.0:subject:purposeofuse").FindElement(".//PurposeOfUse").CreateAttr("code", "urgence")
		}}, reason: wssec.ReasonProfile, says: "TRE_R248",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.AllowIncompleteVIHF = true }},
		{class: "profile", name: "VIHF 4.0 carrying a 3.0-only attribute", tok: token{
			claims: func(c *vihf.Claims) { c.Version = vihf.V4 },
			edit: func(a *etree.Element) {
				at := a.SelectElement("saml2:AttributeStatement").CreateElement("saml2:Attribute")
				at.CreateAttr("Name", "Mode_Acces")
				at.CreateElement("saml2:AttributeValue").SetText("normal")
			}}, reason: wssec.ReasonProfile, says: "not defined in VIHF 4.0",
			relax: func(p *wssec.Policy, _ *xmldsig.Verifier) { p.AllowIncompleteVIHF = true }},
	}
	classes := map[string]int{}
	for _, c := range cases {
		classes[c.class]++
		t.Run(c.class+"/"+c.name, func(t *testing.T) {
			block := f.block(t, c.tok)
			now := verifiedAt
			if !c.now.IsZero() {
				now = c.now
			}
			verify := func(relax bool) error {
				p := &wssec.Policy{}
				if c.policy != nil {
					c.policy(p)
				}
				v := &xmldsig.Verifier{Roots: f.pki.Pool}
				if relax {
					c.relax(p, v)
				}
				if c.twice {
					if _, _, err := p.Verify(block, v, now); err != nil {
						t.Fatalf("first presentation refused: %v", err)
					}
				}
				_, _, err := p.Verify(block, v, now)
				return err
			}
			err := verify(false)
			r, x := reasonOf(err)
			if err == nil || r != c.reason || x != c.sig || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("got %v (reason %v/%v), want reason %v/%v saying %q", err, r, x, c.reason, c.sig, c.says)
			}
			t.Logf("refused: %v", err)
			if c.relax != nil {
				if err := verify(true); err != nil {
					t.Errorf("with its rule relaxed, still refused: %v", err)
				}
			}
		})
	}
	for _, class := range []string{"lifetime", "conditions", "replay", "binding", "keyinfo", "algorithm", "profile"} {
		if classes[class] < 2 {
			t.Errorf("class %s has %d cases", class, classes[class])
		}
	}
}
