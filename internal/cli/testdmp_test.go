package cli

import (
	"bytes"
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/testdmp"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine's writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestTestDMPUsage(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "127.0.0.1:0"},                 // no trust anchors for the VIHF
		{"-ca", "ca.pem", "-cert", "server.pem"}, // -cert without -key
		{"-ca", "ca.pem", "extra"},               // stray argument
	} {
		var out, errb bytes.Buffer
		if code := runTestDMP(args, &out, &errb); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, ExitUsage, errb.String())
		}
	}
}

// TestTestDMPServes starts the subcommand's server with a generated
// self-signed certificate and client certificates required, and calls it
// over HTTPS with a client certificate and a signed VIHF.
func TestTestDMPServes(t *testing.T) {
	dir := t.TempDir()
	pki, err := soaptest.NewPKI()
	if err != nil {
		t.Fatal(err)
	}
	cliCert, err := pki.Leaf("899900063480") // CPS-like: the CN is the national identifier the VIHF names
	if err != nil {
		t.Fatal(err)
	}
	if err := pki.WritePEM(dir, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, logw := &syncBuffer{}, &syncBuffer{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	cfg := testDMPConfig{addr: "127.0.0.1:0", ca: filepath.Join(dir, "ca.pem"), dir: dir, skew: time.Minute}
	go func() { done <- serveTestDMP(ctx, cfg, out, logw, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("server stopped: %v", err)
	}
	serverPEM := filepath.Join(dir, "testdmp-server.pem")
	if !strings.Contains(out.String(), serverPEM) || !strings.Contains(out.String(), "client certificates required") {
		t.Fatalf("the server must print its certificate path and client authentication:\n%s", out)
	}
	roots, err := readPool(serverPEM)
	if err != nil {
		t.Fatal(err)
	}
	claims := vihf.Claims{
		Mode: vihf.Directe, Version: vihf.V3, SubjectID: "899900063480",
		SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
		Roles:           []vihf.Code{{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7"}, {Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5"}},
		SubjectName:     "MAX LIBRE",
		Patient:         hl7v2.CX{ID: "207058575627097", AssigningAuthority: hl7v2.HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"},
		LPSName:         "DMPGEN", LPSVersion: "1", LPSHomologation: "NumAutorisation",
	}
	provider := &wssec.Provider{Claims: func(context.Context, string) (vihf.Claims, error) { return claims, nil },
		Signer: xmldsig.Signer{Key: cliCert.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{cliCert.Leaf}}}
	hab := habilitations.NewHabilitationsClient(soap.NewClient("https://"+addr+"/",
		soap.WithHTTPClient(soap.NewHTTPClient(soap.ClientTLS(cliCert, roots))), soap.WithHeader(provider)))
	mode := habilitations.ModeType_TOUTE
	resp, err := hab.ListAuthorizationByPatient(ctx, &habilitations.ListAuthorizationByPatient{Mode: &mode})
	if err != nil {
		t.Fatal(err)
	}
	if *resp.Output.Status != testdmp.StatusPatientNotFound {
		t.Fatalf("status %s, want %s (empty DMP)", *resp.Output.Status, testdmp.StatusPatientNotFound)
	}
	// Without a client certificate the TLS handshake fails.
	noCert := soap.NewHTTPClient(&tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots})
	anon := habilitations.NewHabilitationsClient(soap.NewClient("https://"+addr+"/", soap.WithHTTPClient(noCert), soap.WithHeader(provider)))
	if _, err := anon.ListAuthorizationByPatient(ctx, &habilitations.ListAuthorizationByPatient{Mode: &mode}); err == nil {
		t.Fatal("a client without certificate was served")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if !strings.Contains(logw.String(), "client didn't provide a certificate") {
		t.Fatalf("the refused handshake is not logged:\n%s", logw)
	}
}
