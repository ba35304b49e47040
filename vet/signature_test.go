package vet

import (
	"context"
	"crypto/x509"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// TestVIHFSignature: with trust anchors, a VIHF signed by runtime/wssec
// verifies; another CA or a changed byte is a vihf.signature finding.
func TestVIHFSignature(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.ECLeaf(t)
	now := time.Now().UTC().Truncate(time.Second)
	p := &wssec.Provider{
		Builder: vihf.Builder{Now: func() time.Time { return now }},
		Signer:  xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}},
		Claims: func(context.Context, string) (vihf.Claims, error) {
			c := claims()
			c.Issuer = ""
			return c, nil
		},
	}
	block, err := p.HeaderBlock(context.Background(), "urn:ihe:iti:2007:RegistryStoredQuery")
	if err != nil {
		t.Fatal(err)
	}
	env := envelopeWith(string(block))
	other := xmldsigtest.NewPKI(t)
	for _, tt := range []struct {
		name  string
		env   string
		trust *x509.CertPool
		want  []string
	}{
		{"trusted", env, pki.Pool, nil},
		{"untrusted CA", env, other.Pool, []string{"vihf.signature"}},
		{"changed after signing", strings.Replace(env, "MAX VET", "MAX VEX", 1), pki.Pool, []string{"vihf.signature"}},
		{"no trust anchors", env, nil, []string{"vihf.signature-unchecked"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := Check("signed.xml", []byte(tt.env), Options{Trust: tt.trust, At: now})
			if got := rulesOf(e); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", e.Findings, tt.want)
			}
		})
	}
}
