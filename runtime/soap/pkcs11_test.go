package soap_test

import (
	"context"
	"crypto/rsa"
	"crypto/tls"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/pkcs11"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

var softhsmModules = []string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib64/pkcs11/libsofthsm2.so",
}

// TestClientCertificateOnToken authenticates the client with an RSA key
// held by SoftHSM2 (a real PKCS#11 token standing in for the CPS card),
// through runtime/pkcs11.Key and SignerCertificate: the handshake signs with
// PKCS#1 v1.5 on the token, so the connection is TLS 1.2.
func TestClientCertificateOnToken(t *testing.T) {
	util := testenv.Tool(t, "softhsm2-util")
	tool := testenv.Tool(t, "pkcs11-tool")
	module := ""
	for _, m := range softhsmModules {
		if _, err := os.Stat(m); err == nil {
			module = m
			break
		}
	}
	if module == "" {
		t.Fatalf("libsofthsm2.so not found in %v", softhsmModules)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "softhsm2.conf")
	if err := os.MkdirAll(filepath.Join(dir, "tokens"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	run := func(name string, args ...string) {
		t.Helper()
		if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	const label, pin = "SOAPTLS", "123456"
	run(util, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "12345678")

	seen := make(chan *soap.Request, 1)
	env := soaptest.NewEnv(t, echoServer(t, seen))
	key := xmldsigtest.RSAKey(t, 2)
	cert, err := env.PKI.Issue(key.Public(), "899900063480 CARTE CPS TEST")
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := xmldsigtest.WriteKeyPEM(t, dir, "key.pem", key)
	certDER := filepath.Join(dir, "cert.der")
	if err := os.WriteFile(certDER, cert.Raw, 0o600); err != nil {
		t.Fatal(err)
	}
	run(util, "--import", keyPEM, "--token", label, "--label", "auth", "--id", "01", "--pin", pin)
	run(tool, "--module", module, "--login", "--pin", pin, "--token-label", label, "--write-object", certDER, "--type", "cert", "--id", "01", "--label", "auth")

	k, err := pkcs11.Open(context.Background(), pkcs11.Config{Module: module, TokenLabel: label, KeyLabel: "auth",
		PIN: func(context.Context, pkcs11.TokenInfo) (string, error) { return pin, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if _, ok := k.Public().(*rsa.PublicKey); !ok || !k.Certificate().Equal(cert) {
		t.Fatal("the token does not hold the imported key and certificate")
	}
	tc, err := soap.SignerCertificate(k, k.Certificate())
	if err != nil {
		t.Fatal(err)
	}
	cfg := soap.ClientTLS(tc, env.PKI.Pool)
	if cfg.MaxVersion != tls.VersionTLS12 || cfg.MinVersion != tls.VersionTLS12 {
		t.Errorf("TLS versions %x..%x, want TLS 1.2 only for a PKCS#1 v1.5 key", cfg.MinVersion, cfg.MaxVersion)
	}
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(soap.NewHTTPClient(cfg)))
	if err := c.Call(context.Background(), &opEcho12, &msg{Text: "carte"}, new(msg)); err != nil {
		t.Fatal(err)
	}
	r := <-seen
	if st := r.HTTP.TLS; st.Version != tls.VersionTLS12 || st.PeerCertificates[0].Subject.CommonName != "899900063480 CARTE CPS TEST" {
		t.Errorf("TLS %x, peer %s", st.Version, st.PeerCertificates[0].Subject)
	}

	// A signer that does not match the certificate is refused up front.
	if _, err := soap.SignerCertificate(k, env.ClientCert.Leaf); err == nil || !strings.Contains(err.Error(), "public key") {
		t.Errorf("mismatched certificate: %v", err)
	}
	if _, err := soap.SignerCertificate(k); err == nil {
		t.Error("no certificate accepted")
	}
}
