package pkcs11

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/binary"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	p11 "github.com/miekg/pkcs11"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// The SoftHSM2 token lives in a temporary directory created for this test
// run (SOFTHSM2_CONF points at a temporary config), never in system
// directories. SoftHSM reads its configuration at C_Initialize, once per
// process, so every test of the package shares one token.

const (
	tokenLabel = "CPS-TEST"
	userPIN    = "1234"
	soPIN      = "123456"
	// sigLabel is a CPS3-like signature key: its CKA_ALLOWED_MECHANISMS only
	// lists hash-on-token mechanisms, so the token refuses pre-hashed input.
	sigLabel = "CPS_PRIV_SIG"
	// authLabel accepts CKM_RSA_PKCS (digest signing) too.
	authLabel = "CPS_PRIV_AUT"
)

var softhsmModules = []string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib64/pkcs11/libsofthsm2.so",
}

type token struct {
	module string
	pki    *xmldsigtest.PKI
	dir    string
	certs  map[string]*x509.Certificate // by key label
	err    error
}

var (
	tokOnce sync.Once
	tok     token
	tokDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if tokDir != "" {
		os.RemoveAll(tokDir)
	}
	os.Exit(code)
}

// softHSM returns the provisioned test token, creating it on first use.
func softHSM(t *testing.T) *token {
	t.Helper()
	util := testenv.Tool(t, "softhsm2-util")
	tokOnce.Do(func() { tok = provision(t, util) })
	if tok.err != nil {
		t.Fatal(tok.err)
	}
	return &tok
}

func provision(t *testing.T, util string) token {
	var tk token
	for _, m := range softhsmModules {
		if _, err := os.Stat(m); err == nil {
			tk.module = m
			break
		}
	}
	if tk.module == "" {
		tk.err = fmt.Errorf("libsofthsm2.so not found in %v", softhsmModules)
		return tk
	}
	dir, err := os.MkdirTemp("", "dmpgen-softhsm-")
	if err != nil {
		tk.err = err
		return tk
	}
	tokDir, tk.dir = dir, dir
	conf := filepath.Join(dir, "softhsm2.conf")
	if err := os.MkdirAll(filepath.Join(dir, "tokens"), 0o700); err != nil {
		tk.err = err
		return tk
	}
	if err := os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"), 0o600); err != nil {
		tk.err = err
		return tk
	}
	os.Setenv("SOFTHSM2_CONF", conf)
	if out, err := exec.Command(util, "--init-token", "--free", "--label", tokenLabel, "--pin", userPIN, "--so-pin", soPIN).CombinedOutput(); err != nil {
		tk.err = fmt.Errorf("softhsm2-util --init-token: %v: %s", err, out)
		return tk
	}
	tk.pki = xmldsigtest.NewPKI(t)
	tk.certs = map[string]*x509.Certificate{}
	mod, err := acquire(tk.module)
	if err != nil {
		tk.err = err
		return tk
	}
	defer mod.release()
	c := mod.ctx
	slots, err := c.GetSlotList(true)
	if err != nil {
		tk.err = err
		return tk
	}
	var slot uint
	found := false
	for _, s := range slots {
		if ti, err := c.GetTokenInfo(s); err == nil && bytes.Equal(bytes.TrimRight([]byte(ti.Label), " "), []byte(tokenLabel)) {
			slot, found = s, true
		}
	}
	if !found {
		tk.err = fmt.Errorf("token %s not found after init", tokenLabel)
		return tk
	}
	sh, err := c.OpenSession(slot, p11.CKF_SERIAL_SESSION|p11.CKF_RW_SESSION)
	if err != nil {
		tk.err = err
		return tk
	}
	defer c.CloseSession(sh)
	if err := c.Login(sh, p11.CKU_USER, userPIN); err != nil {
		tk.err = err
		return tk
	}
	defer c.Logout(sh)
	for i, spec := range []struct {
		label   string
		allowed []uint
	}{
		{sigLabel, []uint{p11.CKM_SHA256_RSA_PKCS, p11.CKM_SHA1_RSA_PKCS}},
		{authLabel, nil},
	} {
		id := []byte{byte(i + 1)}
		pubT := []*p11.Attribute{
			p11.NewAttribute(p11.CKA_CLASS, p11.CKO_PUBLIC_KEY),
			p11.NewAttribute(p11.CKA_KEY_TYPE, p11.CKK_RSA),
			p11.NewAttribute(p11.CKA_TOKEN, true),
			p11.NewAttribute(p11.CKA_VERIFY, true),
			p11.NewAttribute(p11.CKA_MODULUS_BITS, 2048),
			p11.NewAttribute(p11.CKA_PUBLIC_EXPONENT, []byte{1, 0, 1}),
			p11.NewAttribute(p11.CKA_LABEL, spec.label),
			p11.NewAttribute(p11.CKA_ID, id),
		}
		privT := []*p11.Attribute{
			p11.NewAttribute(p11.CKA_CLASS, p11.CKO_PRIVATE_KEY),
			p11.NewAttribute(p11.CKA_KEY_TYPE, p11.CKK_RSA),
			p11.NewAttribute(p11.CKA_TOKEN, true),
			p11.NewAttribute(p11.CKA_PRIVATE, true),
			p11.NewAttribute(p11.CKA_SIGN, true),
			p11.NewAttribute(p11.CKA_SENSITIVE, true),
			p11.NewAttribute(p11.CKA_EXTRACTABLE, false),
			p11.NewAttribute(p11.CKA_LABEL, spec.label),
			p11.NewAttribute(p11.CKA_ID, id),
		}
		if spec.allowed != nil {
			var b []byte
			for _, m := range spec.allowed {
				b = binary.NativeEndian.AppendUint64(b, uint64(m))
			}
			privT = append(privT, p11.NewAttribute(p11.CKA_ALLOWED_MECHANISMS, b))
		}
		pub, _, err := c.GenerateKeyPair(sh, []*p11.Mechanism{p11.NewMechanism(p11.CKM_RSA_PKCS_KEY_PAIR_GEN, nil)}, pubT, privT)
		if err != nil {
			tk.err = fmt.Errorf("C_GenerateKeyPair %s: %w", spec.label, err)
			return tk
		}
		attrs, err := c.GetAttributeValue(sh, pub, []*p11.Attribute{p11.NewAttribute(p11.CKA_MODULUS, nil), p11.NewAttribute(p11.CKA_PUBLIC_EXPONENT, nil)})
		if err != nil {
			tk.err = err
			return tk
		}
		rsaPub := &rsa.PublicKey{N: new(big.Int).SetBytes(attrs[0].Value), E: int(new(big.Int).SetBytes(attrs[1].Value).Int64())}
		cert := tk.pki.Issue(t, rsaPub, xmldsigtest.LeafOptions{CommonName: "899900063480 " + spec.label})
		if _, err := c.CreateObject(sh, []*p11.Attribute{
			p11.NewAttribute(p11.CKA_CLASS, p11.CKO_CERTIFICATE),
			p11.NewAttribute(p11.CKA_CERTIFICATE_TYPE, p11.CKC_X_509),
			p11.NewAttribute(p11.CKA_TOKEN, true),
			p11.NewAttribute(p11.CKA_VALUE, cert.Raw),
			p11.NewAttribute(p11.CKA_SUBJECT, cert.RawSubject),
			p11.NewAttribute(p11.CKA_LABEL, spec.label+"_CERT"),
			p11.NewAttribute(p11.CKA_ID, id),
		}); err != nil {
			tk.err = fmt.Errorf("C_CreateObject certificate: %w", err)
			return tk
		}
		tk.certs[spec.label] = cert
	}
	return tk
}

func (tk *token) open(t *testing.T, keyLabel string, pin PINFunc) *Key {
	t.Helper()
	k, err := Open(context.Background(), Config{Module: tk.module, TokenLabel: tokenLabel, KeyLabel: keyLabel, PIN: pin})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

func goodPIN(context.Context, TokenInfo) (string, error) { return userPIN, nil }
