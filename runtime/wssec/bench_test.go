package wssec_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// BenchmarkSecurity measures, in one run and interleaved so machine noise
// hits both alike:
//   - rsa-ns/op: a bare rsa.SignPKCS1v15 (SHA-256) with the RSA-2048 key;
//   - vihf-ns/op: HeaderBlock (VIHF build + exc-c14n + sign + serialise) with
//     the same key;
//   - ratio: vihf/rsa (target ≤ 1.15, i.e. XML work under 15 %);
//   - verify-ns/op: VerifyAssertion of the header (target < 0.3 ms).
//
// Run: go test -run '^$' -bench Security -benchtime 3s ./runtime/wssec
// (or bench/security-bench.sh). The thresholds are reported, not asserted.
func BenchmarkSecurity(b *testing.B) {
	pki := xmldsigtest.NewPKI(b)
	leaf := pki.RSALeaf(b, 1, xmldsigtest.LeafOptions{})
	key := leaf.Key.(*rsa.PrivateKey)
	p := &wssec.Provider{
		Signer: xmldsig.Signer{Key: key, Certificates: []*x509.Certificate{leaf.Cert}},
		Claims: claims,
	}
	v := &xmldsig.Verifier{Roots: pki.Pool}
	ctx := context.Background()
	block, err := p.HeaderBlock(ctx, "a")
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256(block)
	var tRSA, tVIHF, tVerify time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		h, err := p.HeaderBlock(ctx, "a")
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if _, err := v.VerifyAssertion(h); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		tRSA += t1.Sub(t0)
		tVIHF += t2.Sub(t1)
		tVerify += t3.Sub(t2)
	}
	n := float64(b.N)
	b.ReportMetric(float64(tRSA.Nanoseconds())/n, "rsa-ns/op")
	b.ReportMetric(float64(tVIHF.Nanoseconds())/n, "vihf-ns/op")
	b.ReportMetric(float64(tVIHF)/float64(tRSA), "ratio")
	b.ReportMetric(float64(tVerify.Nanoseconds())/n, "verify-ns/op")
	b.ReportMetric(float64(len(block)), "header-bytes")
}

// BenchmarkVerify profiles VerifyAssertion alone.
func BenchmarkVerify(b *testing.B) {
	pki := xmldsigtest.NewPKI(b)
	leaf := pki.RSALeaf(b, 1, xmldsigtest.LeafOptions{})
	p := &wssec.Provider{Signer: xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}}, Claims: claims}
	h, err := p.HeaderBlock(context.Background(), "a")
	if err != nil {
		b.Fatal(err)
	}
	v := &xmldsig.Verifier{Roots: pki.Pool}
	for b.Loop() {
		if _, err := v.VerifyAssertion(h); err != nil {
			b.Fatal(err)
		}
	}
}
