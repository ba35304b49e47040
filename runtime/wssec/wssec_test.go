package wssec_test

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// headerHook is the interface the SOAP runtime (runtime/soap) accepts.
type headerHook interface {
	HeaderBlock(ctx context.Context, action string) ([]byte, error)
}

var _ headerHook = (*wssec.Provider)(nil)

func claims(_ context.Context, _ string) (vihf.Claims, error) {
	return vihf.Claims{
		Mode: vihf.Directe, Version: vihf.V3,
		SubjectID:       "899900063480",
		StructureID:     "499900063480001",
		SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
		Roles: []vihf.Code{
			{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7", DisplayName: "Médecin"},
			{Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5", DisplayName: "Qualifié en Médecine Générale (SM)"},
		},
		SubjectName:     "MAX LIBRE",
		Patient:         hl7v2.CX{ID: "207058575627097", AssigningAuthority: hl7v2.HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"},
		LPSName:         "DMPGEN",
		LPSVersion:      "1",
		LPSHomologation: "NumAutorisation",
	}, nil
}

// envelope inserts a header block verbatim, as runtime/soap does.
func envelope(header []byte) []byte {
	return []byte(`<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing"><soap:Header><wsa:Action>urn:ihe:iti:2007:RegistryStoredQuery</wsa:Action>` +
		string(header) + `</soap:Header><soap:Body><q xmlns="urn:example">x</q></soap:Body></soap:Envelope>`)
}

func TestHeaderBlockInEnvelope(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	dir := t.TempDir()
	caPEM := xmldsigtest.WriteCertPEM(t, dir, "ca.pem", pki.CA)
	leafPEM := xmldsigtest.WriteCertPEM(t, dir, "leaf.pem", leaf.Cert)
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA1} {
		t.Run(h.String(), func(t *testing.T) {
			p := &wssec.Provider{
				Builder: vihf.Builder{Now: func() time.Time { return time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC) }},
				Signer:  xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}, Hash: h},
				Claims:  claims,
			}
			block, err := p.HeaderBlock(context.Background(), "urn:ihe:iti:2007:RegistryStoredQuery")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(block), `<wsse:Security xmlns:wsse="`+wssec.NamespaceWSSE+`">`) {
				t.Errorf("block does not start with a self-contained wsse:Security: %.120s", block)
			}
			v := &xmldsig.Verifier{Roots: pki.Pool, AllowSHA1: h == crypto.SHA1}
			// Standalone: the block declares every namespace it uses.
			got, err := v.VerifyAssertion(block)
			if err != nil {
				t.Fatalf("standalone block: %v", err)
			}
			if iss := got.Element.SelectElement("saml2:Issuer").Text(); iss != leaf.Cert.Subject.String() {
				t.Errorf("Issuer %q, want the certificate subject %q", iss, leaf.Cert.Subject.String())
			}
			env := envelope(block)
			if _, err := v.VerifyAssertion(env); err != nil {
				t.Fatalf("in an envelope: %v", err)
			}
			if out, ok := xmldsigtest.Xmlsec1Verify(t, env, caPEM, nil, xmldsigtest.SAMLAssertionIDAttr); !ok {
				t.Errorf("xmlsec1: %s", out)
			}
			if out, ok := xmldsigtest.XMLCryptoVerify(t, env, leafPEM, "ID"); !ok {
				t.Errorf("xml-crypto: %s", out)
			}
		})
	}
}

func TestHeaderBlockErrors(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	p := &wssec.Provider{
		Signer: xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}},
		Claims: func(ctx context.Context, a string) (vihf.Claims, error) {
			c, _ := claims(ctx, a)
			c.Patient = hl7v2.CX{}
			return c, nil
		},
	}
	_, err := p.HeaderBlock(context.Background(), "a")
	var ve *vihf.Error
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "resource-id is mandatory") {
		t.Errorf("missing patient: %v", err)
	}
	p.Claims = claims
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.HeaderBlock(ctx, "a"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	p.MustUnderstandNS = "http://www.w3.org/2003/05/soap-envelope"
	b, err := p.HeaderBlock(context.Background(), "a")
	if err != nil || !strings.Contains(string(b), `soap:mustUnderstand="1"`) {
		t.Errorf("mustUnderstand: %v %.200s", err, b)
	}
}

func TestVerify(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	issued := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	p := &wssec.Provider{
		Builder: vihf.Builder{Now: func() time.Time { return issued }},
		Signer:  xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}},
		Claims: func(ctx context.Context, a string) (vihf.Claims, error) {
			c, err := claims(ctx, a)
			c.Conditions = &vihf.Conditions{NotOnOrAfter: issued.Add(5 * time.Minute)}
			return c, err
		},
	}
	block, err := p.HeaderBlock(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	v := &xmldsig.Verifier{Roots: pki.Pool}
	for name, msg := range map[string][]byte{"envelope": envelope(block), "header block": block} {
		tok, _, err := wssec.Verify(msg, v, issued.Add(time.Minute), time.Minute)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if tok.Claims.Patient.ID != "207058575627097" || tok.Claims.Mode != vihf.Directe {
			t.Errorf("%s: claims %+v", name, tok.Claims)
		}
	}
	if _, _, err := wssec.Verify(envelope(block), v, issued.Add(time.Hour), time.Minute); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired token: %v", err)
	}
	// A signed assertion moved into the Body is refused, though its signature holds.
	env := string(envelope(block))
	inBody := strings.Replace(strings.Replace(env, string(block), "", 1), `<q xmlns="urn:example">x</q>`, string(block), 1)
	if _, _, err := wssec.Verify([]byte(inBody), v, issued, time.Minute); err == nil || !strings.Contains(err.Error(), "not in soap:Header") {
		t.Errorf("assertion in the Body: %v", err)
	}
}

// TestConcurrentHeaderBlocks: one Provider serves concurrent requests.
func TestConcurrentHeaderBlocks(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	p := &wssec.Provider{Signer: xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}}, Claims: claims}
	v := &xmldsig.Verifier{Roots: pki.Pool}
	errs := make(chan error, 8)
	ids := make(chan string, 8)
	for range 8 {
		go func() {
			b, err := p.HeaderBlock(context.Background(), "a")
			if err == nil {
				var got *xmldsig.Verified
				if got, err = v.VerifyAssertion(b); err == nil {
					ids <- got.ID
				}
			}
			errs <- err
		}()
	}
	seen := map[string]bool{}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	close(ids)
	for id := range ids {
		if seen[id] {
			t.Errorf("assertion ID %s reused", id)
		}
		seen[id] = true
	}
}
