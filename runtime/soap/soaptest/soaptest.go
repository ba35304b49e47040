// Package soaptest holds test helpers for runtime/soap: a throwaway PKI
// generated at run time (no private key is ever committed) issuing TLS
// server and client certificates, and HTTPS servers on loopback that
// require a client certificate.
package soaptest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/runtime/soap"
)

// PKI is a test certificate authority.
type PKI struct {
	CA    *x509.Certificate
	CAKey crypto.Signer
	Pool  *x509.CertPool // holds CA
}

// NewPKI creates a CA with a fresh P-256 key, valid from one hour ago for
// one year.
func NewPKI() (*PKI, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "TEST AC SOAP DMPGEN " + serial.Text(16), Organization: []string{"DMPGEN TEST"}, Country: []string{"FR"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(1, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &PKI{CA: ca, CAKey: key, Pool: pool}, nil
}

// Issue certifies pub for TLS (server and client authentication) with the
// given subject common name and DNS names or IP addresses.
func (p *PKI) Issue(pub crypto.PublicKey, cn string, hosts ...string) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"DMPGEN TEST"}, Country: []string{"FR"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(0, 1, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.CA, pub, p.CAKey)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// Leaf issues a certificate for a fresh P-256 key and returns it as a
// tls.Certificate (with its Leaf set).
func (p *PKI) Leaf(cn string, hosts ...string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	cert, err := p.Issue(key.Public(), cn, hosts...)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}, nil
}

// Loopback issues a server certificate for 127.0.0.1 and localhost.
func (p *PKI) Loopback() (tls.Certificate, error) {
	return p.Leaf("localhost", "127.0.0.1", "localhost")
}

// WritePEM writes the CA certificate and, for each named certificate, its
// chain and PKCS#8 key into dir as <name>.pem and <name>.key, for other
// processes and tools (ca.pem for the CA).
func (p *PKI) WritePEM(dir string, certs map[string]tls.Certificate) error {
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.CA.Raw}), 0o600); err != nil {
		return err
	}
	for name, c := range certs {
		var chain []byte
		for _, der := range c.Certificate {
			chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
		}
		key, err := x509.MarshalPKCS8PrivateKey(c.PrivateKey)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".pem"), chain, 0o600); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name+".key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}), 0o600); err != nil {
			return err
		}
	}
	return nil
}

// Env is an HTTPS server on loopback that requires a client certificate,
// and an HTTP client that presents one.
type Env struct {
	PKI    *PKI
	Server *httptest.Server
	Client *http.Client
	// ClientCert is the certificate the client presents.
	ClientCert tls.Certificate
}

// URL returns the server's base URL.
func (e *Env) URL() string { return e.Server.URL }

// NewEnv starts h over HTTPS with soap.ServerTLS (client certificates
// required and verified against a fresh test CA) and returns it with a
// client built by soap.NewHTTPClient(soap.ClientTLS(...)). The server is
// closed when the test ends.
func NewEnv(t testing.TB, h http.Handler) *Env {
	t.Helper()
	pki, err := NewPKI()
	if err != nil {
		t.Fatal(err)
	}
	srvCert, err := pki.Loopback()
	if err != nil {
		t.Fatal(err)
	}
	cliCert, err := pki.Leaf("899900063480") // CPS-like: the CN is the national identifier the VIHF names
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(logWriter{t}, "server: ", 0)
	srv.TLS = soap.ServerTLS(srvCert, pki.Pool)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return &Env{PKI: pki, Server: srv, ClientCert: cliCert,
		Client: soap.NewHTTPClient(soap.ClientTLS(cliCert, pki.Pool))}
}

// logWriter sends a server's log to the test log.
type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
