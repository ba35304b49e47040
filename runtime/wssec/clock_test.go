package wssec_test

import (
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/runtime/clockskew"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// TestProviderChecksTheClock: with a Clock guard, the Provider signs while
// the local clock agrees with the DMP's, and refuses to sign, saying by how
// much the clock is off, when it does not.
func TestProviderChecksTheClock(t *testing.T) {
	var offset atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(time.Duration(offset.Load())).UTC().Format(http.TimeFormat))
	}))
	defer srv.Close()
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	p := &wssec.Provider{
		Signer: xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}},
		Claims: claims,
		Clock:  &clockskew.Guard{URL: srv.URL, Interval: time.Nanosecond},
	}
	if _, err := p.HeaderBlock(context.Background(), "urn:x"); err != nil {
		t.Fatalf("clocks in agreement: %v", err)
	}
	offset.Store(int64(-3 * time.Minute))
	_, err := p.HeaderBlock(context.Background(), "urn:x")
	var ce *clockskew.Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "not signing the VIHF") || !strings.Contains(err.Error(), "behind the local clock") {
		t.Fatalf("local clock 3 minutes ahead: %v", err)
	}
}
