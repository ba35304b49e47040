package soap_test

import (
	"context"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// TestSignedVIHF wires the security layer: the client's header hook is a
// wssec.Provider signing a VIHF per request, the server's header hook
// verifies it with wssec.Verify on the envelope bytes as received and
// hands the claims to the handler. xmlsec1 verifies the same bytes
// independently: the block was inserted verbatim.
func TestSignedVIHF(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	provider := &wssec.Provider{
		Signer: xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}},
		Claims: func(_ context.Context, action string) (vihf.Claims, error) {
			if action != opEcho12.Action {
				t.Errorf("claims asked for action %q", action)
			}
			return vihf.Claims{
				Mode: vihf.Directe, Version: vihf.V3,
				SubjectID: "899900063480", StructureID: "499900063480001",
				SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
				Roles: []vihf.Code{{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7", DisplayName: "Médecin"},
					{Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5", DisplayName: "Qualifié en Médecine Générale (SM)"}},
				SubjectName: "MAX LIBRE",
				Patient: hl7v2.CX{ID: "207058575627097", IdentifierTypeCode: "NH",
					AssigningAuthority: hl7v2.HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}},
				LPSName: "DMPGEN", LPSVersion: "1", LPSHomologation: "NumAutorisation",
			}, nil
		},
	}
	verifier := &xmldsig.Verifier{Roots: pki.Pool}
	type claimsKey struct{}
	received := make(chan []byte, 1)
	srv := soap.NewServer(soap.WithHeaderHook(func(ctx context.Context, r *soap.Request) (context.Context, error) {
		received <- r.Envelope
		tok, _, err := wssec.Verify(r.Envelope, verifier, time.Now(), time.Minute)
		if err != nil {
			return nil, err
		}
		return context.WithValue(ctx, claimsKey{}, tok.Claims), nil
	}))
	srv.Handle(&opEcho12, newMsg, func(ctx context.Context, _ xmlbind.Value) (xmlbind.Value, error) {
		c := ctx.Value(claimsKey{}).(vihf.Claims)
		return &msg{Text: c.SubjectID + " " + c.Patient.ID}, nil
	})
	env := soaptest.NewEnv(t, srv)
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithHeader(provider))
	resp := new(msg)
	if err := c.Call(context.Background(), &opEcho12, &msg{Text: "x"}, resp); err != nil {
		t.Fatal(err)
	}
	if resp.Text != "899900063480 207058575627097" {
		t.Errorf("handler saw claims %q", resp.Text)
	}
	envelope := <-received
	if !strings.Contains(string(envelope), `</wsa:Action><wsse:Security xmlns:wsse="`) {
		t.Errorf("wsse:Security does not follow the WS-Addressing headers: %.600s", envelope)
	}
	caPEM := xmldsigtest.WriteCertPEM(t, t.TempDir(), "ca.pem", pki.CA)
	if out, ok := xmldsigtest.Xmlsec1Verify(t, envelope, caPEM, nil, xmldsigtest.SAMLAssertionIDAttr); !ok {
		t.Errorf("xmlsec1 refuses the envelope sent: %s", out)
	}

	// A client without the header is refused with a fault.
	bare := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	err := bare.Call(context.Background(), &opEcho12, &msg{Text: "x"}, new(msg))
	var fe *soap.FaultError
	if !errors.As(err, &fe) || fe.Code != soap.CodeSender || !strings.Contains(fe.Reason, "assertion") {
		t.Errorf("request without VIHF: %v", err)
	}
	<-received
}
