// Package devpki creates, or reuses, the development PKI of the test DMP in
// a directory: a certificate authority, an RSA-2048 TLS server certificate
// for the loopback names (and any host asked for), a client (structure)
// authentication certificate, and a CPS-like signing certificate for the
// VIHF, whose subject CN is the national identifier of a test professional
// (NationalID) so that the strict relying-party policy of runtime/wssec
// accepts the DIRECTE mode NameID.
//
// Files are PEM (certificates 0644, private keys 0600). A directory already
// holding a PKI is reused while every certificate stays valid for more than
// MinRemaining; otherwise the PKI is regenerated and the regeneration is
// logged. A damaged or partial directory is an error naming the file and
// saying to delete the directory.
package devpki

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// NationalID is the national identifier (RPPS-like, test range) of the
// professional whose CPS-like certificate signs the VIHF: the subject CN of
// the signing certificate, the NameID of a DIRECTE mode VIHF.
const NationalID = "899900063480"

// StructureID is the structure identifier (FINESS-like, test range) of the
// client authentication certificate, the VIHF's structure in INDIRECTE mode.
const StructureID = "499900063480001"

// MinRemaining is the validity a reused certificate must still have.
const MinRemaining = 30 * 24 * time.Hour

// File names in the PKI directory.
const (
	CAFile          = "ca.pem"
	CAKeyFile       = "ca.key"
	ServerCertFile  = "server.pem"
	ServerKeyFile   = "server.key"
	ClientCertFile  = "client.pem"
	ClientKeyFile   = "client.key"
	SigningCertFile = "signing.pem"
	SigningKeyFile  = "signing.key"
)

// Validity of generated certificates.
const (
	caValidity   = 5 * 365 * 24 * time.Hour
	leafValidity = 398 * 24 * time.Hour
)

// PKI is a loaded development PKI.
type PKI struct {
	Dir     string
	CA      *x509.Certificate
	Pool    *x509.CertPool  // holds CA: the roots of the server, client and VIHF certificates
	Server  tls.Certificate // TLS server certificate (Leaf set)
	Client  tls.Certificate // TLS client (structure authentication) certificate (Leaf set)
	Signing tls.Certificate // CPS-like VIHF signing certificate, CN=NationalID (Leaf set)
	caKey   crypto.Signer
}

// Options configure Load.
type Options struct {
	// Hosts are names or IP addresses the server certificate must cover
	// besides localhost, 127.0.0.1 and ::1 (the -addr host). A reused
	// server certificate that lacks one is reissued.
	Hosts []string
	// Log receives a line for each creation or regeneration (default:
	// none).
	Log *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// DefaultDir returns the default PKI directory, dmpgen/testdmp under
// os.UserConfigDir.
func DefaultDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("devpki: no user configuration directory (give a directory explicitly): %w", err)
	}
	return filepath.Join(d, "dmpgen", "testdmp"), nil
}

// Path returns the path of a file of the PKI (CAFile, ClientCertFile, ...).
func (p *PKI) Path(name string) string { return filepath.Join(p.Dir, name) }

// ServerTLS returns the TLS configuration of the test DMP: the server
// certificate, client certificates issued by the CA required.
func (p *PKI) ServerTLS() *tls.Config {
	cfg := &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{p.Server},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    p.Pool,
	}
	return cfg
}

// ClientTLS returns the TLS configuration of a client of the test DMP: the
// client certificate, the CA as the only root.
func (p *PKI) ClientTLS() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: p.Pool, Certificates: []tls.Certificate{p.Client}}
}

// Load returns the PKI of dir, creating dir (with its parents) and the PKI
// when absent, regenerating it when a certificate expires within
// MinRemaining, and reissuing the server certificate when it does not cover
// opts.Hosts.
func Load(dir string, opts Options) (*PKI, error) {
	if dir == "" {
		return nil, errors.New("devpki: empty directory name")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("devpki: creating the PKI directory: %w", err)
	}
	var present, absent []string
	for _, f := range allFiles {
		switch _, err := os.Stat(filepath.Join(dir, f)); {
		case err == nil:
			present = append(present, f)
		case errors.Is(err, fs.ErrNotExist):
			absent = append(absent, f)
		default:
			return nil, fmt.Errorf("devpki: %w", err)
		}
	}
	now := opts.Now()
	switch {
	case len(present) == 0:
		log.Info("creating the development PKI", "dir", dir)
		return generate(dir, opts.Hosts, now)
	case len(absent) > 0:
		return nil, fmt.Errorf("devpki: %s: missing (the directory holds a partial PKI: delete the directory %s to regenerate it)",
			filepath.Join(dir, absent[0]), dir)
	}
	p, err := read(dir)
	if err != nil {
		return nil, err
	}
	for _, c := range []*x509.Certificate{p.CA, p.Server.Leaf, p.Client.Leaf, p.Signing.Leaf} {
		if left := c.NotAfter.Sub(now); left <= MinRemaining || now.Before(c.NotBefore) {
			log.Info("regenerating the development PKI: a certificate expires within 30 days or is not yet valid; clients must trust the new CA",
				"dir", dir, "certificate", c.Subject.CommonName, "notAfter", c.NotAfter.UTC().Format(time.RFC3339))
			return generate(dir, opts.Hosts, now)
		}
	}
	if missing := uncovered(p.Server.Leaf, opts.Hosts); len(missing) > 0 {
		log.Info("reissuing the server certificate for new host names", "dir", dir, "hosts", missing)
		if err := p.issueServer(opts.Hosts, now); err != nil {
			return nil, err
		}
	}
	return p, nil
}

var allFiles = []string{CAFile, CAKeyFile, ServerCertFile, ServerKeyFile, ClientCertFile, ClientKeyFile, SigningCertFile, SigningKeyFile}

// generate writes a new PKI in dir.
func generate(dir string, hosts []string, now time.Time) (*PKI, error) {
	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("devpki: %w", err)
	}
	caTmpl := &x509.Certificate{
		Subject:   pkix.Name{CommonName: "DMPGEN TEST DMP CA", Organization: []string{"DMPGEN TEST"}, Country: []string{"FR"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(caValidity),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := create(caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("devpki: %w", err)
	}
	p := &PKI{Dir: dir, CA: ca, Pool: x509.NewCertPool(), caKey: caKey}
	p.Pool.AddCert(ca)
	if err := writeFile(p.Path(CAKeyFile), keyPEM(caKey), 0o600); err != nil {
		return nil, err
	}
	if err := writeFile(p.Path(CAFile), certPEM(caDER), 0o644); err != nil {
		return nil, err
	}
	if err := p.issueServer(hosts, now); err != nil {
		return nil, err
	}
	p.Client, err = p.issue(ClientCertFile, ClientKeyFile, &x509.Certificate{
		Subject:     pkix.Name{CommonName: "DMPGEN TEST STRUCTURE " + StructureID, Organization: []string{"DMPGEN TEST"}, Country: []string{"FR"}},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, now)
	if err != nil {
		return nil, err
	}
	// The CPS-like card: CN is the holder's national identifier, as on
	// CPS and IGC-Santé personal certificates (wssec.Policy binds the
	// DIRECTE NameID to it).
	p.Signing, err = p.issue(SigningCertFile, SigningKeyFile, &x509.Certificate{
		Subject:     pkix.Name{CommonName: NationalID, Organization: []string{"DMPGEN TEST"}, OrganizationalUnit: []string{"Medecin"}, Country: []string{"FR"}},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageEmailProtection},
	}, now)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// issueServer issues (and writes) the server certificate for the loopback
// names and hosts.
func (p *PKI) issueServer(hosts []string, now time.Time) error {
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{CommonName: "localhost", Organization: []string{"DMPGEN TEST"}, Country: []string{"FR"}},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1).To4(), net.IPv6loopback},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			if !ip.IsUnspecified() && !slices.ContainsFunc(tmpl.IPAddresses, ip.Equal) {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			}
		} else if h != "" && !slices.Contains(tmpl.DNSNames, h) {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	c, err := p.issue(ServerCertFile, ServerKeyFile, tmpl, now)
	if err != nil {
		return err
	}
	p.Server = c
	return nil
}

// issue completes tmpl, signs it with the CA for a new RSA-2048 key and
// writes both.
func (p *PKI) issue(certFile, keyFile string, tmpl *x509.Certificate, now time.Time) (tls.Certificate, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("devpki: %w", err)
	}
	tmpl.NotBefore, tmpl.NotAfter = now.Add(-time.Hour), now.Add(leafValidity)
	if tmpl.NotAfter.After(p.CA.NotAfter) {
		tmpl.NotAfter = p.CA.NotAfter
	}
	tmpl.BasicConstraintsValid = true
	der, err := create(tmpl, p.CA, key.Public(), p.caKey)
	if err != nil {
		return tls.Certificate{}, err
	}
	if err := writeFile(p.Path(keyFile), keyPEM(key), 0o600); err != nil {
		return tls.Certificate{}, err
	}
	if err := writeFile(p.Path(certFile), certPEM(der), 0o644); err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("devpki: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

func create(tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) ([]byte, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, fmt.Errorf("devpki: %w", err)
	}
	tmpl.SerialNumber = serial
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		return nil, fmt.Errorf("devpki: certificate %q: %w", tmpl.Subject.CommonName, err)
	}
	return der, nil
}

// read loads the PKI files of dir.
func read(dir string) (*PKI, error) {
	p := &PKI{Dir: dir, Pool: x509.NewCertPool()}
	ca, err := readCert(p.Path(CAFile), dir)
	if err != nil {
		return nil, err
	}
	key, err := readKey(p.Path(CAKeyFile), dir, ca)
	if err != nil {
		return nil, err
	}
	if !ca.IsCA {
		return nil, corrupt(p.Path(CAFile), dir, errors.New("not a CA certificate"))
	}
	p.CA, p.caKey = ca, key
	p.Pool.AddCert(ca)
	for _, x := range []struct {
		cert, key string
		out       *tls.Certificate
	}{{ServerCertFile, ServerKeyFile, &p.Server}, {ClientCertFile, ClientKeyFile, &p.Client}, {SigningCertFile, SigningKeyFile, &p.Signing}} {
		leaf, err := readCert(p.Path(x.cert), dir)
		if err != nil {
			return nil, err
		}
		if err := leaf.CheckSignatureFrom(ca); err != nil {
			return nil, corrupt(p.Path(x.cert), dir, fmt.Errorf("not issued by %s: %w", p.Path(CAFile), err))
		}
		k, err := readKey(p.Path(x.key), dir, leaf)
		if err != nil {
			return nil, err
		}
		*x.out = tls.Certificate{Certificate: [][]byte{leaf.Raw}, PrivateKey: k, Leaf: leaf}
	}
	if p.Signing.Leaf.Subject.CommonName != NationalID {
		return nil, corrupt(p.Path(SigningCertFile), dir, fmt.Errorf("subject CN %q, want %s", p.Signing.Leaf.Subject.CommonName, NationalID))
	}
	return p, nil
}

func corrupt(file, dir string, err error) error {
	return fmt.Errorf("devpki: %s: %w (delete the directory %s to regenerate the development PKI)", file, err, dir)
}

// onePEM returns the DER of the single PEM block of type typ in file.
func onePEM(file, dir, typ string) ([]byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("devpki: %w", err)
	}
	blk, rest := pem.Decode(b)
	if blk == nil || blk.Type != typ {
		return nil, corrupt(file, dir, fmt.Errorf("want one PEM %s block", typ))
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, corrupt(file, dir, errors.New("extra data after the PEM block"))
	}
	return blk.Bytes, nil
}

func readCert(file, dir string) (*x509.Certificate, error) {
	der, err := onePEM(file, dir, "CERTIFICATE")
	if err != nil {
		return nil, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, corrupt(file, dir, err)
	}
	return c, nil
}

// readKey reads the private key of cert.
func readKey(file, dir string, cert *x509.Certificate) (crypto.Signer, error) {
	der, err := onePEM(file, dir, "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, corrupt(file, dir, err)
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, corrupt(file, dir, fmt.Errorf("unsupported key type %T", k))
	}
	pub, ok := s.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return nil, corrupt(file, dir, fmt.Errorf("not the key of certificate %q", cert.Subject.CommonName))
	}
	return s, nil
}

// uncovered returns the hosts cert is not valid for.
func uncovered(cert *x509.Certificate, hosts []string) []string {
	var out []string
	for _, h := range hosts {
		if ip := net.ParseIP(h); (ip != nil && ip.IsUnspecified()) || h == "" {
			continue
		}
		if cert.VerifyHostname(h) != nil {
			out = append(out, h)
		}
	}
	return out
}

func certPEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func keyPEM(k crypto.Signer) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		// An *rsa.PrivateKey always marshals.
		panic(fmt.Sprintf("devpki: %v", err))
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// writeFile writes data to file atomically (a temporary file renamed), so
// that an interrupted run leaves no truncated file behind.
func writeFile(file string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".tmp*")
	if err != nil {
		return fmt.Errorf("devpki: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("devpki: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("devpki: writing %s: %w", file, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("devpki: writing %s: %w", file, err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("devpki: %w", err)
	}
	return nil
}
