// Package xmldsigtest holds test helpers for the security runtime: a throwaway
// PKI generated at test time (no private key is ever committed) and runners
// for the independent verifiers xmlsec1 and node xml-crypto.
package xmldsigtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// PKI is a test certificate authority with a helper to issue leaves.
type PKI struct {
	CA    *x509.Certificate
	CAKey crypto.Signer
	Pool  *x509.CertPool
}

// Leaf is an issued certificate and its key (nil Key for keys held elsewhere, e.g. on a token).
type Leaf struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

var (
	rsaOnce sync.Once
	rsaKeys []*rsa.PrivateKey
)

// RSAKey returns one of three RSA-2048 keys generated once per test binary
// (key generation dominates test time otherwise).
func RSAKey(t testing.TB, i int) *rsa.PrivateKey {
	t.Helper()
	rsaOnce.Do(func() {
		for range 3 {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			rsaKeys = append(rsaKeys, k)
		}
	})
	return rsaKeys[i%len(rsaKeys)]
}

// NewPKI creates a CA (fresh P-256 key, unique name) valid from one hour ago for ten years.
func NewPKI(t testing.TB) *PKI {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "TEST AC DMPGEN " + serial.Text(16), Organization: []string{"DMPGEN TEST"}, Country: []string{"FR"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &PKI{CA: ca, CAKey: key, Pool: pool}
}

// LeafOptions tune Issue.
type LeafOptions struct {
	CommonName string
	NotBefore  time.Time
	NotAfter   time.Time
	// Edit, when set, changes the certificate template last (key usages,
	// subject…).
	Edit func(tmpl *x509.Certificate)
}

// Issue certifies pub (the key may live on a token) and returns the certificate.
func (p *PKI) Issue(t testing.TB, pub crypto.PublicKey, o LeafOptions) *x509.Certificate {
	t.Helper()
	if o.CommonName == "" {
		o.CommonName = "899900063480" // a CPS-like subject: CN is the national identifier
	}
	if o.NotBefore.IsZero() {
		o.NotBefore = time.Now().Add(-time.Hour)
	}
	if o.NotAfter.IsZero() {
		o.NotAfter = time.Now().AddDate(3, 0, 0)
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: o.CommonName, OrganizationalUnit: []string{"499900063480001"}, Organization: []string{"CABINET DR LIBRE"}, Country: []string{"FR"}},
		NotBefore:    o.NotBefore,
		NotAfter:     o.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageEmailProtection},
	}
	if o.Edit != nil {
		o.Edit(tmpl)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.CA, pub, p.CAKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// RSALeaf issues a certificate for one of the shared RSA keys (index 1 or 2).
func (p *PKI) RSALeaf(t testing.TB, i int, o LeafOptions) Leaf {
	t.Helper()
	k := RSAKey(t, i)
	return Leaf{Cert: p.Issue(t, k.Public(), o), Key: k}
}

// ECLeaf issues a certificate for a fresh P-256 key.
func (p *PKI) ECLeaf(t testing.TB) Leaf {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return Leaf{Cert: p.Issue(t, k.Public(), LeafOptions{}), Key: k}
}

// WriteCertPEM writes cert as PEM into dir and returns the path.
func WriteCertPEM(t testing.TB, dir, name string, cert *x509.Certificate) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// WriteKeyPEM writes a software key as PKCS#8 PEM into dir and returns the path.
func WriteKeyPEM(t testing.TB, dir, name string, key crypto.Signer) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
