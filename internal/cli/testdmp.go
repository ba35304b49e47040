package cli

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/testdmp"
)

const testDMPUsage = `usage:
  dmpgen testdmp [-addr 127.0.0.1:8443] [-cert FILE -key FILE] [-ca FILE]
                 [-vihf-ca FILE] [-skew 5m] [-dir DIR]

Serves the embedded test DMP (package testdmp: every operation of the DMP's
WSDLs over in-memory state) over HTTPS until interrupted. Without -cert and
-key, a self-signed server certificate for the -addr host, 127.0.0.1 and
localhost is generated at start and written to DIR (default: a new
temporary directory) as testdmp-server.pem, for clients to trust. With -ca,
clients must present a certificate issued by one of its CAs. Every request
must carry a VIHF signed by a certificate issued by a CA of -vihf-ca
(default: -ca). Exit status: 0 after an interrupt, 1 when serving fails,
2 usage.
`

// testDMPConfig is the parsed command line of dmpgen testdmp.
type testDMPConfig struct {
	addr, cert, key, ca, vihfCA, dir string
	skew                             time.Duration
}

func runTestDMP(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("dmpgen testdmp", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, testDMPUsage) }
	var c testDMPConfig
	fl.StringVar(&c.addr, "addr", "127.0.0.1:8443", "listen address (port 0: any free port)")
	fl.StringVar(&c.cert, "cert", "", "server certificate chain, PEM (with -key)")
	fl.StringVar(&c.key, "key", "", "server private key, PEM (with -cert)")
	fl.StringVar(&c.ca, "ca", "", "CA certificates, PEM: require client certificates they issued")
	fl.StringVar(&c.vihfCA, "vihf-ca", "", "CA certificates of VIHF signatures, PEM (default: -ca)")
	fl.StringVar(&c.dir, "dir", "", "where to write the generated server certificate (default: a new temporary directory)")
	fl.DurationVar(&c.skew, "skew", 5*time.Minute, "tolerance on the VIHF's time window")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	switch {
	case fl.NArg() > 0:
		fmt.Fprintf(stderr, "dmpgen testdmp: unexpected argument %q\n%s", fl.Arg(0), testDMPUsage)
		return ExitUsage
	case (c.cert == "") != (c.key == ""):
		fmt.Fprintf(stderr, "dmpgen testdmp: give both -cert and -key, or neither\n%s", testDMPUsage)
		return ExitUsage
	case c.ca == "" && c.vihfCA == "":
		fmt.Fprintf(stderr, "dmpgen testdmp: VIHF signatures need trust anchors: give -ca or -vihf-ca\n%s", testDMPUsage)
		return ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serveTestDMP(ctx, c, stdout, stderr, nil); err != nil {
		fmt.Fprintf(stderr, "dmpgen testdmp: %v\n", err)
		return ExitInput
	}
	return ExitOK
}

// serveTestDMP serves until ctx is done, reporting what it cannot tell
// clients on logw; ready, when not nil, receives the listening address once
// the server accepts connections.
func serveTestDMP(ctx context.Context, c testDMPConfig, stdout, logw io.Writer, ready chan<- string) error {
	var clientCAs, vihfRoots *x509.CertPool
	var err error
	if c.ca != "" {
		if clientCAs, err = readPool(c.ca); err != nil {
			return err
		}
	}
	vihfRoots = clientCAs
	if c.vihfCA != "" {
		if vihfRoots, err = readPool(c.vihfCA); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	var cert tls.Certificate
	if c.cert != "" {
		if cert, err = tls.LoadX509KeyPair(c.cert, c.key); err != nil {
			return fmt.Errorf("-cert/-key: %w", err)
		}
	} else {
		host, _, _ := net.SplitHostPort(c.addr)
		path, err := selfSigned(&cert, c.dir, host)
		if err != nil {
			return fmt.Errorf("generating the server certificate: %w", err)
		}
		fmt.Fprintf(stdout, "server certificate (self-signed, trust it as a CA): %s\n", path)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	if clientCAs != nil {
		cfg = soap.ServerTLS(cert, clientCAs)
	}
	_, handler := testdmp.NewServer(&xmldsig.Verifier{Roots: vihfRoots}, c.skew, testdmp.Options{},
		soap.WithLogf(func(format string, args ...any) { fmt.Fprintf(logw, format+"\n", args...) }))
	srv := &http.Server{Handler: handler, TLSConfig: cfg, ReadHeaderTimeout: 30 * time.Second,
		ErrorLog: log.New(logw, "dmpgen testdmp: ", 0)}
	clientAuth := "not requested"
	if clientCAs != nil {
		clientAuth = "required"
	}
	fmt.Fprintf(stdout, "test DMP listening on https://%s/ (client certificates %s)\n", ln.Addr(), clientAuth)
	done := make(chan error, 1)
	go func() { done <- srv.ServeTLS(ln, "", "") }()
	if ready != nil {
		ready <- ln.Addr().String()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// readPool reads PEM CA certificates.
func readPool(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("%s: no PEM certificate", path)
	}
	return pool, nil
}

// selfSigned generates a P-256 self-signed server certificate valid one
// year for 127.0.0.1, localhost and host, and writes it (not its key) to
// dir/testdmp-server.pem; dir "" is a new temporary directory.
func selfSigned(out *tls.Certificate, dir, host string) (string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "dmpgen test DMP", Organization: []string{"DMPGEN TEST"}, Country: []string{"FR"}},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if ip := net.ParseIP(host); ip != nil && !ip.IsUnspecified() {
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
	} else if host != "" && ip == nil {
		tmpl.DNSNames = append(tmpl.DNSNames, host)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return "", err
	}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "dmpgen-testdmp-"); err != nil {
			return "", err
		}
	}
	path := filepath.Join(dir, "testdmp-server.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return "", err
	}
	*out = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	return path, nil
}
