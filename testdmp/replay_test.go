package testdmp

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
)

// fixedHeader sends the same header block with every request.
type fixedHeader []byte

func (h fixedHeader) HeaderBlock(context.Context, string) ([]byte, error) { return h, nil }

// TestVIHFReplayRefused: the test DMP accepts a VIHF once; the same signed
// VIHF sent again is refused as a replay.
func TestVIHFReplayRefused(t *testing.T) {
	verifier := &xmldsig.Verifier{}
	_, srv := NewServer(verifier, time.Minute, Options{}, soap.WithLogf(t.Logf))
	env := soaptest.NewEnv(t, srv)
	verifier.Roots = env.PKI.Pool
	provider := &wssec.Provider{
		Signer: xmldsig.Signer{Key: env.ClientCert.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{env.ClientCert.Leaf}},
		Claims: func(context.Context, string) (vihf.Claims, error) { return vihfClaims(examplePS), nil },
	}
	block, err := provider.HeaderBlock(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	hab := habilitations.NewHabilitationsClient(soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithHeader(fixedHeader(block))))
	mode := habilitations.ModeType_TOUTE
	req := &habilitations.ListAuthorizationByPatient{Mode: &mode}
	if _, err := hab.ListAuthorizationByPatient(context.Background(), req); err != nil {
		t.Fatalf("first use of the VIHF: %v", err)
	}
	_, err = hab.ListAuthorizationByPatient(context.Background(), req)
	var fe *soap.FaultError
	if !errors.As(err, &fe) || len(fe.Subcodes) == 0 || fe.Subcodes[0] != faultInvalidToken || !strings.Contains(fe.Reason, "already used") {
		t.Fatalf("replayed VIHF: got %v, want an InvalidSecurityToken fault saying it was already used", err)
	}
}
