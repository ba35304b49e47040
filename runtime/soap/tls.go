package soap

import (
	"crypto"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// ClientTLS returns the TLS configuration of a mutually authenticated
// client: it presents cert, and verifies the server's certificate against
// roots (nil: the system pool). TLS 1.2 is the minimum. When cert can only
// sign with RSA PKCS#1 v1.5 (see SignerCertificate), the maximum is TLS 1.2,
// since TLS 1.3 requires RSA-PSS.
func ClientTLS(cert tls.Certificate, roots *x509.CertPool) *tls.Config {
	cfg := &tls.Config{
		MinVersion:   tls.VersionTLS12,
		RootCAs:      roots,
		Certificates: []tls.Certificate{cert},
	}
	if pkcs1Only(cert.SupportedSignatureAlgorithms) {
		cfg.MaxVersion = tls.VersionTLS12
	}
	return cfg
}

func pkcs1Only(algs []tls.SignatureScheme) bool {
	if len(algs) == 0 {
		return false
	}
	for _, a := range algs {
		switch a {
		case tls.PKCS1WithSHA1, tls.PKCS1WithSHA256, tls.PKCS1WithSHA384, tls.PKCS1WithSHA512:
		default:
			return false
		}
	}
	return true
}

// SignerCertificate builds a client certificate whose private key is held
// by signer, such as a runtime/pkcs11.Key for a CPS card; chain[0] is its
// certificate, followed by intermediates. RSA keys sign with PKCS#1 v1.5
// only (smart cards and runtime/pkcs11 do not do RSA-PSS), so ClientTLS
// limits such a certificate to TLS 1.2.
func SignerCertificate(signer crypto.Signer, chain ...*x509.Certificate) (tls.Certificate, error) {
	if signer == nil || len(chain) == 0 || chain[0] == nil {
		return tls.Certificate{}, errors.New("soap: SignerCertificate needs a signer and its certificate")
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(chain[0].PublicKey) {
		return tls.Certificate{}, fmt.Errorf("soap: the signer's public key is not the one of certificate %q", chain[0].Subject)
	}
	c := tls.Certificate{PrivateKey: signer, Leaf: chain[0]}
	for _, x := range chain {
		c.Certificate = append(c.Certificate, x.Raw)
	}
	if _, isRSA := signer.Public().(*rsa.PublicKey); isRSA {
		c.SupportedSignatureAlgorithms = []tls.SignatureScheme{tls.PKCS1WithSHA256, tls.PKCS1WithSHA384, tls.PKCS1WithSHA512, tls.PKCS1WithSHA1}
	}
	return c, nil
}

// ServerTLS returns the TLS configuration of a server that requires a
// client certificate issued by clientCAs. TLS 1.2 is the minimum.
func ServerTLS(cert tls.Certificate, clientCAs *x509.CertPool) *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    clientCAs,
	}
}

// DMPCipherSuites are the TLS 1.2 suites of the DMP's published
// configuration that crypto/tls implements: ECDHE with an RSA certificate,
// AES-GCM or ChaCha20-Poly1305. The DMP also lists ECDHE-RSA AES-CBC with
// SHA-384, which crypto/tls does not implement.
var DMPCipherSuites = []uint16{
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
}

// DMPServerTLS is ServerTLS restricted to what the DMP offers: TLS 1.2
// only, exactly DMPCipherSuites, so that a client tested against it
// negotiates what it will negotiate with the DMP. The server certificate
// must hold an RSA key, as the DMP's does.
func DMPServerTLS(cert tls.Certificate, clientCAs *x509.CertPool) (*tls.Config, error) {
	leaf := cert.Leaf
	if leaf == nil && len(cert.Certificate) > 0 {
		var err error
		if leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return nil, fmt.Errorf("soap: server certificate: %w", err)
		}
	}
	if leaf == nil {
		return nil, errors.New("soap: no server certificate")
	}
	if _, ok := leaf.PublicKey.(*rsa.PublicKey); !ok {
		return nil, fmt.Errorf("soap: the DMP profile needs an RSA server certificate (ECDHE-RSA suites), not %T", leaf.PublicKey)
	}
	cfg := ServerTLS(cert, clientCAs)
	cfg.MaxVersion = tls.VersionTLS12
	cfg.CipherSuites = DMPCipherSuites
	return cfg, nil
}

// NewHTTPClient returns an HTTP/1.1 client over cfg that keeps connections
// alive between calls. It sets no overall timeout: each call's deadline
// comes from its context.
func NewHTTPClient(cfg *tls.Config) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = cfg
	t.ForceAttemptHTTP2 = false
	t.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	t.MaxIdleConnsPerHost = 8
	t.TLSHandshakeTimeout = 30 * time.Second
	return &http.Client{Transport: t}
}

// Timeouts and sizes of the HTTP servers NewHTTPServer returns.
const (
	// DefaultReadHeaderTimeout bounds the reading of a request's HTTP
	// headers (and the TLS handshake before them).
	DefaultReadHeaderTimeout = 10 * time.Second
	// DefaultIdleTimeout closes a kept-alive connection that carries no
	// request for this long.
	DefaultIdleTimeout = 2 * time.Minute
	// DefaultMaxHeaderBytes bounds a request's HTTP headers.
	DefaultMaxHeaderBytes = 64 << 10
)

// NewHTTPServer returns an HTTP server for h (a soap Server, or a mux of
// them) with the defaults above and cfg for TLS (nil: plain HTTP). There
// is no overall read or write timeout, since MTOM attachments stream for
// as long as they make progress: the soap Server bounds each body read
// (WithBodyReadIdle) and the number of requests in progress
// (WithMaxConcurrent). HTTP/2 is off, as on the DMP.
func NewHTTPServer(h http.Handler, cfg *tls.Config) *http.Server {
	return &http.Server{
		Handler:           h,
		TLSConfig:         cfg,
		ReadHeaderTimeout: DefaultReadHeaderTimeout,
		IdleTimeout:       DefaultIdleTimeout,
		MaxHeaderBytes:    DefaultMaxHeaderBytes,
		TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
}
