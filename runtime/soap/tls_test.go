package soap_test

import (
	"crypto/tls"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// TestDMPServerTLS enumerates what a DMPServerTLS server offers, one
// client handshake per suite crypto/tls knows and per version: exactly
// DMPCipherSuites over TLS 1.2, nothing over TLS 1.3 or 1.1.
func TestDMPServerTLS(t *testing.T) {
	pki, err := soaptest.NewPKI()
	if err != nil {
		t.Fatal(err)
	}
	key := xmldsigtest.RSAKey(t, 3)
	srvLeaf, err := pki.Issue(key.Public(), "localhost", "127.0.0.1", "localhost")
	if err != nil {
		t.Fatal(err)
	}
	srvCert := tls.Certificate{Certificate: [][]byte{srvLeaf.Raw}, PrivateKey: key, Leaf: srvLeaf}
	cfg, err := soap.DMPServerTLS(srvCert, pki.Pool)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { c.(*tls.Conn).Handshake(); c.Close() }()
		}
	}()
	client, err := pki.Leaf("899900063480")
	if err != nil {
		t.Fatal(err)
	}
	try := func(version uint16, suite uint16) bool {
		c := soap.ClientTLS(client, pki.Pool)
		c.MinVersion, c.MaxVersion = version, version
		if suite != 0 {
			c.CipherSuites = []uint16{suite}
		}
		conn, err := tls.DialWithDialer(&net.Dialer{}, "tcp", ln.Addr().String(), c)
		if err != nil {
			return false
		}
		defer conn.Close()
		return conn.ConnectionState().CipherSuite == suite
	}
	var offered []uint16
	var names []string
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		if slices.Contains(s.SupportedVersions, tls.VersionTLS12) && try(tls.VersionTLS12, s.ID) {
			offered = append(offered, s.ID)
			names = append(names, s.Name)
		}
	}
	t.Logf("offered over TLS 1.2: %s", strings.Join(names, ", "))
	want := slices.Clone(soap.DMPCipherSuites)
	slices.Sort(want)
	slices.Sort(offered)
	if !slices.Equal(offered, want) {
		t.Errorf("offered %v, want %v", offered, want)
	}
	c := soap.ClientTLS(client, pki.Pool)
	c.MinVersion = tls.VersionTLS13
	if conn, err := tls.Dial("tcp", ln.Addr().String(), c); err == nil {
		conn.Close()
		t.Error("TLS 1.3 accepted")
	}

	ec, _ := pki.Loopback()
	if _, err := soap.DMPServerTLS(ec, pki.Pool); err == nil || !strings.Contains(err.Error(), "RSA server certificate") {
		t.Errorf("ECDSA server certificate: %v", err)
	}
}
