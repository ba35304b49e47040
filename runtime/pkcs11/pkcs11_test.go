package pkcs11

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/beevik/etree"
	p11 "github.com/miekg/pkcs11"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xades"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// signerOnly hides SignMessage, so crypto.SignMessage takes the digest path.
type signerOnly struct{ k *Key }

func (s signerOnly) Public() crypto.PublicKey { return s.k.Public() }
func (s signerOnly) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	return s.k.Sign(r, d, o)
}

func TestDefaultModulePath(t *testing.T) {
	want := map[string]string{"linux": ModuleLinux, "windows": ModuleWindows, "darwin": ModuleMacOS}[runtime.GOOS]
	if want != "" && DefaultModulePath() != want {
		t.Errorf("DefaultModulePath() = %q, want %q", DefaultModulePath(), want)
	}
}

func TestSignPaths(t *testing.T) {
	tk := softHSM(t)
	auth := tk.open(t, authLabel, goodPIN)
	sig := tk.open(t, sigLabel, goodPIN)
	if !auth.Certificate().Equal(tk.certs[authLabel]) || !sig.Certificate().Equal(tk.certs[sigLabel]) {
		t.Fatal("certificates read from the token differ from the provisioned ones")
	}
	if auth.MessageOnly() || !sig.MessageOnly() {
		t.Fatalf("MessageOnly: auth %v sig %v (sig must be detected from CKA_ALLOWED_MECHANISMS)", auth.MessageOnly(), sig.MessageOnly())
	}
	msg := []byte("<ds:SignedInfo>canonical bytes</ds:SignedInfo>")
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA1} {
		var digest []byte
		if h == crypto.SHA1 {
			d := sha1.Sum(msg)
			digest = d[:]
		} else {
			d := sha256.Sum256(msg)
			digest = d[:]
		}
		viaDigest, err := auth.Sign(rand.Reader, digest, h)
		if err != nil {
			t.Fatalf("%v Sign: %v", h, err)
		}
		viaMessage, err := auth.SignMessage(rand.Reader, msg, h)
		if err != nil {
			t.Fatalf("%v SignMessage: %v", h, err)
		}
		if string(viaDigest) != string(viaMessage) {
			t.Errorf("%v: PKCS#1 v1.5 signatures differ between the digest and message paths", h)
		}
		if err := rsa.VerifyPKCS1v15(auth.Public().(*rsa.PublicKey), h, digest, viaDigest); err != nil {
			t.Errorf("%v: %v", h, err)
		}
		s, err := sig.SignMessage(rand.Reader, msg, h)
		if err != nil {
			t.Fatalf("%v message-only key SignMessage: %v", h, err)
		}
		if err := rsa.VerifyPKCS1v15(sig.Public().(*rsa.PublicKey), h, digest, s); err != nil {
			t.Errorf("%v message-only key: %v", h, err)
		}
		if _, err := sig.Sign(rand.Reader, digest, h); !errors.Is(err, ErrDigestRefused) {
			t.Errorf("%v message-only key Sign: %v, want ErrDigestRefused", h, err)
		}
	}
	// The token itself refuses pre-hashed input for the signature key: this
	// is the real CPS3 constraint, not only our adapter's choice.
	_, err := sig.sign(p11.CKM_RSA_PKCS, append(append([]byte{}, digestInfoPrefix[crypto.SHA256]...), make([]byte, 32)...))
	var pe *Error
	if !errors.As(err, &pe) || pe.RV != p11.CKR_MECHANISM_INVALID {
		t.Errorf("CKM_RSA_PKCS on the signature key: %v, want CKR_MECHANISM_INVALID from the token", err)
	}
	if _, err := auth.Sign(rand.Reader, make([]byte, 32), &rsa.PSSOptions{Hash: crypto.SHA256}); err == nil {
		t.Error("RSA-PSS must be refused")
	}
}

// goxmldsigVerify is a third, test-only verifier: goxmldsig validates the
// assertion of a header block against the exact signer certificate.
func goxmldsigVerify(block []byte, cert *x509.Certificate) error {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(block); err != nil {
		return err
	}
	ctx := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{cert}})
	ctx.IdAttribute = "ID"
	_, err := ctx.Validate(doc.FindElement("//[@ID]"))
	return err
}

func vihfClaims(context.Context, string) (vihf.Claims, error) {
	return vihf.Claims{
		Mode: vihf.Directe, Version: vihf.V3,
		SubjectID:       "899900063480",
		SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
		Roles:           []vihf.Code{{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7", DisplayName: "Médecin"}, {Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5"}},
		SubjectName:     "MAX LIBRE",
		Patient:         hl7v2.CX{ID: "207058575627097", AssigningAuthority: hl7v2.HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"},
		LPSName:         "DMPGEN", LPSVersion: "1", LPSHomologation: "NumAutorisation",
	}, nil
}

// TestVIHFInterop: VIHFs signed on SoftHSM2 through crypto.Signer (digest)
// and through crypto.MessageSigner (hash on token), RSA-SHA256 and RSA-SHA1,
// verify with our verifier, xmlsec1 and node xml-crypto.
func TestVIHFInterop(t *testing.T) {
	tk := softHSM(t)
	auth := tk.open(t, authLabel, goodPIN)
	sig := tk.open(t, sigLabel, goodPIN)
	dir := t.TempDir()
	caPEM := xmldsigtest.WriteCertPEM(t, dir, "ca.pem", tk.pki.CA)
	for _, path := range []struct {
		name string
		key  crypto.Signer
		cert *x509.Certificate
	}{
		{"crypto.Signer", signerOnly{auth}, auth.Certificate()},
		{"crypto.MessageSigner", sig, sig.Certificate()},
	} {
		for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA1} {
			t.Run(fmt.Sprintf("%s-%v", path.name, h), func(t *testing.T) {
				p := &wssec.Provider{Signer: xmldsig.Signer{Key: path.key, Certificates: []*x509.Certificate{path.cert}, Hash: h}, Claims: vihfClaims}
				block, err := p.HeaderBlock(context.Background(), "urn:ihe:iti:2007:RegistryStoredQuery")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := (&xmldsig.Verifier{Roots: tk.pki.Pool, AllowSHA1: h == crypto.SHA1}).VerifyAssertion(block); err != nil {
					t.Errorf("our verifier: %v", err)
				}
				if out, ok := xmldsigtest.Xmlsec1Verify(t, block, caPEM, nil, xmldsigtest.SAMLAssertionIDAttr); !ok {
					t.Errorf("xmlsec1: %s", out)
				}
				if err := goxmldsigVerify(block, path.cert); err != nil {
					t.Errorf("goxmldsig: %v", err)
				}
				leafPEM := xmldsigtest.WriteCertPEM(t, t.TempDir(), "leaf.pem", path.cert)
				if out, ok := xmldsigtest.XMLCryptoVerify(t, block, leafPEM, "ID"); !ok {
					t.Errorf("xml-crypto: %s", out)
				}
			})
		}
	}
}

func TestPIN(t *testing.T) {
	tk := softHSM(t)
	const wrong = "987654"
	_, err := Open(context.Background(), Config{Module: tk.module, TokenLabel: tokenLabel, KeyLabel: authLabel,
		PIN: func(context.Context, TokenInfo) (string, error) { return wrong, nil }})
	if !errors.Is(err, ErrPINIncorrect) {
		t.Fatalf("wrong PIN: %v, want ErrPINIncorrect", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("the error reveals the PIN: %v", err)
	}
	cancelled := errors.New("user cancelled the PIN prompt")
	var asked TokenInfo
	_, err = Open(context.Background(), Config{Module: tk.module, TokenLabel: tokenLabel, KeyLabel: authLabel,
		PIN: func(_ context.Context, ti TokenInfo) (string, error) { asked = ti; return "", cancelled }})
	if !errors.Is(err, cancelled) || asked.Label != tokenLabel {
		t.Errorf("PIN callback error: %v (asked for %+v)", err, asked)
	}
	if s := (Config{Module: "m", KeyLabel: "k", PIN: goodPIN}).String(); strings.Contains(s, userPIN) {
		t.Errorf("Config.String reveals the PIN: %s", s)
	}
	if _, err := Open(context.Background(), Config{Module: tk.module, TokenLabel: "NO-SUCH-CARD", PIN: goodPIN}); !errors.Is(err, ErrTokenRemoved) {
		t.Errorf("absent card: %v, want ErrTokenRemoved", err)
	}
}

// TestSessionLost: when the token closes our session (what removing the card
// does), signing reports ErrTokenRemoved and Reconnect recovers.
func TestSessionLost(t *testing.T) {
	tk := softHSM(t)
	k := tk.open(t, authLabel, goodPIN)
	if err := k.mod.ctx.CloseAllSessions(k.slot); err != nil {
		t.Fatal(err)
	}
	d := sha256.Sum256([]byte("x"))
	_, err := k.Sign(rand.Reader, d[:], crypto.SHA256)
	if !errors.Is(err, ErrTokenRemoved) {
		t.Fatalf("after the session was closed: %v, want ErrTokenRemoved", err)
	}
	if _, err := k.Sign(rand.Reader, d[:], crypto.SHA256); !errors.Is(err, ErrTokenRemoved) {
		t.Fatalf("before Reconnect: %v", err)
	}
	if err := k.Reconnect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Sign(rand.Reader, d[:], crypto.SHA256); err != nil {
		t.Fatalf("after Reconnect: %v", err)
	}
	for _, rv := range []uint{p11.CKR_DEVICE_REMOVED, p11.CKR_TOKEN_NOT_PRESENT, p11.CKR_SESSION_HANDLE_INVALID} {
		if err := wrap("C_Sign", p11.Error(rv)); !errors.Is(err, ErrTokenRemoved) {
			t.Errorf("rv 0x%x: %v", rv, err)
		}
	}
}

func TestOneModuleContext(t *testing.T) {
	tk := softHSM(t)
	a := tk.open(t, authLabel, goodPIN)
	b := tk.open(t, sigLabel, goodPIN)
	if a.mod != b.mod || a.mod.ctx != b.mod.ctx {
		t.Fatal("two keys on one module must share the module context")
	}
	refs := a.mod.refs
	c, err := Open(context.Background(), Config{Module: tk.module, TokenLabel: tokenLabel, KeyLabel: authLabel, PIN: goodPIN})
	if err != nil {
		t.Fatal(err)
	}
	if a.mod.refs != refs+1 {
		t.Errorf("refs %d, want %d", a.mod.refs, refs+1)
	}
	c.Close()
	c.Close()
	if a.mod.refs != refs {
		t.Errorf("refs after Close %d, want %d", a.mod.refs, refs)
	}
	if _, err := b.SignMessage(rand.Reader, []byte("still open"), crypto.SHA256); err != nil {
		t.Errorf("other key after Close: %v", err)
	}
	if _, err := c.SignMessage(rand.Reader, []byte("x"), crypto.SHA256); err == nil {
		t.Error("closed key still signs")
	}
}

// TestXAdESOnCard: the TD2.1 signature document is produced by the same
// message-only card key, and verifies with xmlsec1 and our Manifest check.
func TestXAdESOnCard(t *testing.T) {
	tk := softHSM(t)
	sig := tk.open(t, sigLabel, goodPIN)
	docs := []xades.Document{{UniqueID: "1.2.250.1.999.1.1.7898.3.1", Content: []byte("<ClinicalDocument/>")}}
	res, err := xades.Sign(docs, xades.Options{Signer: xmldsig.Signer{Key: sig, Certificates: []*x509.Certificate{sig.Certificate()}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := xades.Verify(res.Bytes, docs, &xmldsig.Verifier{Roots: tk.pki.Pool}); err != nil {
		t.Fatal(err)
	}
	caPEM := xmldsigtest.WriteCertPEM(t, t.TempDir(), "ca.pem", tk.pki.CA)
	if out, ok := xmldsigtest.Xmlsec1Verify(t, res.Bytes, caPEM, []string{"--ignore-manifests"},
		"Id:"+xmldsig.NamespaceDSig+":Manifest", "Id:SignatureProperties", "Id:"+xades.NamespaceXAdES+":SignedProperties"); !ok {
		t.Errorf("xmlsec1: %s", out)
	}
}

func TestTokenSelection(t *testing.T) {
	tk := softHSM(t)
	k := tk.open(t, authLabel, goodPIN)
	ti, err := k.mod.ctx.GetTokenInfo(k.slot)
	if err != nil {
		t.Fatal(err)
	}
	serial := strings.TrimRight(ti.SerialNumber, " ")
	slot := k.slot
	for name, cfg := range map[string]Config{
		"slot + key id":            {Slot: &slot, KeyID: []byte{2}},
		"serial + key label":       {TokenSerial: serial, KeyLabel: authLabel},
		"label + explicit cert id": {TokenLabel: tokenLabel, KeyLabel: authLabel, CertID: []byte{2}},
	} {
		cfg.Module, cfg.PIN = tk.module, goodPIN
		got, err := Open(context.Background(), cfg)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !got.Certificate().Equal(tk.certs[authLabel]) {
			t.Errorf("%s: wrong certificate", name)
		}
		got.Close()
	}
	wrongSlot := slot + 1000
	if _, err := Open(context.Background(), Config{Module: tk.module, Slot: &wrongSlot, PIN: goodPIN}); !errors.Is(err, ErrTokenRemoved) {
		t.Errorf("absent slot: %v", err)
	}
	if _, err := Open(context.Background(), Config{Module: tk.module, TokenLabel: tokenLabel, PIN: goodPIN}); err == nil || !strings.Contains(err.Error(), "several private keys") {
		t.Errorf("ambiguous key: %v", err)
	}
}
