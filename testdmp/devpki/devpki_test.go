package devpki

import (
	"bytes"
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
)

func logger(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
}

// TestCreateReuseRegenerate: a new directory (with parents) gets a PKI with
// private keys 0600; a second Load reuses it; a Load within 30 days of a
// certificate's expiry regenerates it, saying so.
func TestCreateReuseRegenerate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	var log bytes.Buffer
	p, err := Load(dir, Options{Log: logger(&log)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "creating the development PKI") {
		t.Errorf("creation not logged: %q", log.String())
	}
	for _, f := range allFiles {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".key") && st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", f, st.Mode().Perm())
		}
	}
	log.Reset()
	q, err := Load(dir, Options{Log: logger(&log)})
	if err != nil {
		t.Fatal(err)
	}
	if !q.CA.Equal(p.CA) || !q.Server.Leaf.Equal(p.Server.Leaf) || !q.Signing.Leaf.Equal(p.Signing.Leaf) || log.Len() != 0 {
		t.Errorf("a valid PKI was not reused as is (log %q)", log.String())
	}
	later := func() time.Time { return p.Server.Leaf.NotAfter.Add(-29 * 24 * time.Hour) }
	r, err := Load(dir, Options{Log: logger(&log), Now: later})
	if err != nil {
		t.Fatal(err)
	}
	if r.CA.Equal(p.CA) || !strings.Contains(log.String(), "regenerating the development PKI") {
		t.Errorf("a PKI expiring within 30 days was not regenerated (log %q)", log.String())
	}
	if r.Server.Leaf.NotAfter.Sub(later()) < 300*24*time.Hour {
		t.Errorf("regenerated server certificate valid until %v only", r.Server.Leaf.NotAfter)
	}
}

// TestHostReissue: asking for a host the server certificate lacks reissues
// it, keeping the CA.
func TestHostReissue(t *testing.T) {
	dir := t.TempDir()
	p, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"localhost", "127.0.0.1", "::1"} {
		if err := p.Server.Leaf.VerifyHostname(h); err != nil {
			t.Error(err)
		}
	}
	var log bytes.Buffer
	q, err := Load(dir, Options{Hosts: []string{"dmp.test", "0.0.0.0"}, Log: logger(&log)})
	if err != nil {
		t.Fatal(err)
	}
	if !q.CA.Equal(p.CA) || q.Server.Leaf.VerifyHostname("dmp.test") != nil || !strings.Contains(log.String(), "dmp.test") {
		t.Errorf("server certificate not reissued for dmp.test under the same CA (log %q)", log.String())
	}
}

// TestDamaged: a corrupted or missing file is an error naming it and
// telling to delete the directory.
func TestDamaged(t *testing.T) {
	good := t.TempDir()
	if _, err := Load(good, Options{}); err != nil {
		t.Fatal(err)
	}
	caKey, err := os.ReadFile(filepath.Join(good, CAKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file  string
		write []byte // nil: remove
		want  string
	}{
		{ServerCertFile, []byte("garbage"), "want one PEM CERTIFICATE block"},
		{SigningKeyFile, nil, "missing"},
		{ClientKeyFile, caKey, "not the key of certificate"},
	} {
		dir := t.TempDir()
		for _, f := range allFiles {
			b, err := os.ReadFile(filepath.Join(good, f))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(dir, tc.file)
		if tc.write == nil {
			os.Remove(path)
		} else if err := os.WriteFile(path, tc.write, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(dir, Options{})
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) ||
			!strings.Contains(err.Error(), "delete the directory "+dir) {
			t.Errorf("%s: %v", tc.file, err)
		}
	}
}

// TestTLS12Handshake: the server and client certificates complete a
// mutually authenticated TLS 1.2 handshake with the DMP's configurations
// (runtime/soap ServerTLS, ClientTLS).
func TestTLS12Handshake(t *testing.T) {
	p, err := Load(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := soap.ClientTLS(p.Client, p.Pool)
	cfg.MaxVersion, cfg.ServerName = tls.VersionTLS12, "localhost"
	a, b := net.Pipe()
	srv := tls.Server(a, soap.ServerTLS(p.Server, p.Pool))
	done := make(chan error, 1)
	go func() { done <- srv.Handshake() }()
	cli := tls.Client(b, cfg)
	if err := cli.Handshake(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st := srv.ConnectionState()
	if st.Version != tls.VersionTLS12 || len(st.PeerCertificates) == 0 || !st.PeerCertificates[0].Equal(p.Client.Leaf) {
		t.Errorf("handshake: version %x, peer %v", st.Version, st.PeerCertificates)
	}
	if k, ok := p.Server.Leaf.PublicKey.(interface{ Size() int }); !ok || k.Size() != 256 {
		t.Errorf("server key is not RSA-2048: %T", p.Server.Leaf.PublicKey)
	}
	cli.Close()
	srv.Close()
}

// TestSigningPassesStrictPolicy: a DIRECTE VIHF signed with the signing
// certificate passes the default wssec.Policy with replay detection.
func TestSigningPassesStrictPolicy(t *testing.T) {
	p, err := Load(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	claims := vihf.Claims{
		Mode: vihf.Directe, Version: vihf.V3, SubjectID: NationalID,
		SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
		Roles:           []vihf.Code{{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7"}, {Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5"}},
		SubjectName:     "MAX LIBRE",
		Patient:         hl7v2.CX{ID: "207058575627097", AssigningAuthority: hl7v2.HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"},
		LPSName:         "DMPGEN", LPSVersion: "1", LPSHomologation: "NumAutorisation",
	}
	prov := &wssec.Provider{Claims: func(context.Context, string) (vihf.Claims, error) { return claims, nil },
		Signer: xmldsig.Signer{Key: p.Signing.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{p.Signing.Leaf}}}
	block, err := prov.HeaderBlock(context.Background(), "urn:test")
	if err != nil {
		t.Fatal(err)
	}
	policy := &wssec.Policy{Replay: wssec.NewReplayCache(0)}
	tok, _, err := policy.Verify(block, &xmldsig.Verifier{Roots: p.Pool}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Claims.SubjectID != NationalID {
		t.Errorf("NameID %q", tok.Claims.SubjectID)
	}
	if _, _, err := policy.Verify(block, &xmldsig.Verifier{Roots: p.Pool}, time.Now()); err == nil {
		t.Error("replay accepted")
	}
}
