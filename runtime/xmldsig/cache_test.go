package xmldsig_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// keyInfoVariant returns signed with its X509Data content replaced by the
// given base64 certificates, and its SignatureValue broken when tamper is set.
func keyInfoVariant(signed string, tamper bool, certs ...string) []byte {
	i, j := strings.Index(signed, "<X509Data>"), strings.Index(signed, "</X509Data>")
	var b strings.Builder
	b.WriteString(signed[:i+len("<X509Data>")])
	for _, c := range certs {
		b.WriteString("<X509Certificate>" + c + "</X509Certificate>")
	}
	b.WriteString(signed[j:])
	out := b.String()
	if tamper {
		k := strings.Index(out, "<SignatureValue>") + len("<SignatureValue>")
		c := byte('A')
		if out[k] == 'A' {
			c = 'B'
		}
		out = out[:k] + string(c) + out[k+1:]
	}
	return []byte(out)
}

// selfSigned returns n distinct self-signed certificates (base64 DER), as an
// attacker who holds no trusted key can make at will.
func selfSigned(t testing.TB, n int) []string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, n)
	for i := range out {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(i + 1)), Subject: pkix.Name{CommonName: "junk"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = base64.StdEncoding.EncodeToString(der)
	}
	return out
}

func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestChainCacheRejectedRequestsLeaveHeapFlat: 20,000 requests carrying a
// trusted (public) certificate, a different KeyInfo each time and a bad
// signature leave nothing in the chain cache. Before the fix each one left
// a cache entry of about 4 KB (80 MB for this run).
func TestChainCacheRejectedRequestsLeaveHeapFlat(t *testing.T) {
	const requests = 20000
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	signed := string(signAssertion(t, &xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}}))
	leafB64 := base64.StdEncoding.EncodeToString(leaf.Cert.Raw)
	junk := selfSigned(t, 142) // 142×141 ordered pairs ≥ 20,000 distinct KeyInfos
	v := &xmldsig.Verifier{Roots: pki.Pool}
	if _, err := v.VerifyAssertion([]byte(signed)); err != nil {
		t.Fatal(err)
	}
	// Warm up the code paths, then measure.
	if _, err := v.VerifyAssertion(keyInfoVariant(signed, true, leafB64, junk[0], junk[1])); reasonOf(err) != xmldsig.ReasonSignature {
		t.Fatalf("tampered signature: %v", err)
	}
	before := heapAfterGC()
	// The requests: ordered pairs of junk certificates after the leaf, sent
	// by one worker per CPU; failures come back to the test goroutine.
	var pairs [][2]int
	for i := range junk {
		for j := range junk {
			if i != j && len(pairs) < requests {
				pairs = append(pairs, [2]int{i, j})
			}
		}
	}
	workers := runtime.GOMAXPROCS(0)
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			for k := w; k < len(pairs); k += workers {
				p := pairs[k]
				doc := keyInfoVariant(signed, true, leafB64, junk[p[0]], junk[p[1]])
				if _, err := v.VerifyAssertion(doc); reasonOf(err) != xmldsig.ReasonSignature {
					errs <- fmt.Errorf("request %d: got %v, want a signature rejection", k, err)
					return
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	n := len(pairs)
	after := heapAfterGC()
	growth := int64(after) - int64(before)
	t.Logf("%d rejected requests: heap %d -> %d bytes (%+d), %d cached chains", n, before, after, growth, v.CachedChains())
	if n != requests {
		t.Fatalf("sent %d requests", n)
	}
	if v.CachedChains() != 1 {
		t.Errorf("%d cached chains, want 1 (the genuine request's)", v.CachedChains())
	}
	const bound = 2 << 20 // 2 MB, against ~80 MB when every rejection was cached
	if growth > bound {
		t.Errorf("heap grew by %d bytes over %d rejected requests (bound %d)", growth, n, bound)
	}
}

// TestChainCacheBounded: accepted requests with ever different KeyInfos (the
// KeyInfo is not signed) fill the cache up to its size, not beyond.
func TestChainCacheBounded(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.ECLeaf(t)
	signed := string(signAssertion(t, &xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}}))
	leafB64 := base64.StdEncoding.EncodeToString(leaf.Cert.Raw)
	junk := selfSigned(t, 40)
	for _, c := range []struct {
		size, want int
	}{{8, 8}, {0, 40}, {-1, 0}} {
		v := &xmldsig.Verifier{Roots: pki.Pool, ChainCacheSize: c.size}
		for _, j := range junk {
			if _, err := v.VerifyAssertion(keyInfoVariant(signed, false, leafB64, j)); err != nil {
				t.Fatal(err)
			}
		}
		if got := v.CachedChains(); got != c.want {
			t.Errorf("ChainCacheSize %d: %d cached chains, want %d", c.size, got, c.want)
		}
	}
}

// TestKeyInfoSplitCertificate: KeyInfo must hold separate, well-formed
// certificates. A leaf split across two X509Certificate elements used to
// hit the cache entry of the genuine leaf (same concatenated bytes).
func TestKeyInfoSplitCertificate(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	signed := string(signAssertion(t, &xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}}))
	v := &xmldsig.Verifier{Roots: pki.Pool}
	if _, err := v.VerifyAssertion([]byte(signed)); err != nil {
		t.Fatal(err) // the genuine KeyInfo is now cached
	}
	der := leaf.Cert.Raw
	b64 := base64.StdEncoding.EncodeToString
	for name, certs := range map[string][]string{
		"leaf split in two":            {b64(der[:len(der)/2]), b64(der[len(der)/2:])},
		"leaf split after its header":  {b64(der[:4]), b64(der[4:])},
		"leaf followed by extra bytes": {b64(append(append([]byte{}, der...), 0x30, 0x00))},
		"empty certificate":            {""},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := v.VerifyAssertion(keyInfoVariant(signed, false, certs...))
			if reasonOf(err) != xmldsig.ReasonCertificate || !strings.Contains(err.Error(), "well-formed") {
				t.Errorf("got %v, want a certificate rejection naming a malformed certificate", err)
			}
		})
	}
}
