// Package pkcs11 signs with a key held on a PKCS#11 token: the CPS
// professional card through the ANS Cryptolib module, or SoftHSM2 in tests.
//
// A Key is both a crypto.Signer (Sign receives a digest; RSA goes through
// CKM_RSA_PKCS with a DigestInfo built here) and a crypto.MessageSigner
// (SignMessage receives the whole message and the token hashes it with
// CKM_SHA256_RSA_PKCS and friends). The CPS3 signature key only works the
// second way, because the IAS-ECC card computes the last hash block itself:
// open it with Config.MessageOnly (or let the token's CKA_ALLOWED_MECHANISMS
// say so) and Sign returns ErrDigestRefused. Callers that go through
// crypto.SignMessage, as runtime/xmldsig does, use SignMessage automatically.
//
// PKCS#11 modules hold process-wide state (C_Initialize), so this package
// keeps exactly one module context per module path per process, shared and
// reference-counted by every Key opened on it.
package pkcs11

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"runtime"
	"strings"
	"sync"

	p11 "github.com/miekg/pkcs11"
)

// Module file names of the ANS Cryptolib CPS (v5.2).
const (
	ModuleLinux   = "libcps3_pkcs11_lux.so"
	ModuleWindows = "cps3_pkcs11_w64.dll"
	ModuleMacOS   = "libcps3_pkcs11_osx.dylib"
)

// DefaultModulePath returns the CPS module name for the running OS, resolved
// by the system loader's search path.
func DefaultModulePath() string {
	switch runtime.GOOS {
	case "windows":
		return ModuleWindows
	case "darwin":
		return ModuleMacOS
	}
	return ModuleLinux
}

// TokenInfo describes the token a PIN is asked for.
type TokenInfo struct {
	Slot   uint
	Label  string
	Serial string
}

// PINFunc returns the user PIN of a token. The PIN is passed to C_Login and
// never stored, logged or put in an error.
type PINFunc func(ctx context.Context, token TokenInfo) (string, error)

// Config selects the module, the token and the key.
type Config struct {
	// Module is the PKCS#11 library path; DefaultModulePath() when empty.
	Module string
	// Slot, TokenLabel and TokenSerial select the token; the first token
	// present matching every non-empty criterion is used.
	Slot        *uint
	TokenLabel  string
	TokenSerial string
	// KeyLabel and/or KeyID select the private key; when both are empty the
	// token must hold exactly one private signing key.
	KeyLabel string
	KeyID    []byte
	// CertLabel and/or CertID select the certificate; by default the
	// certificate with the key's CKA_ID.
	CertLabel string
	CertID    []byte
	// PIN supplies the user PIN. Nil means the token needs no login.
	PIN PINFunc
	// MessageOnly refuses Sign(digest): the key only signs whole messages
	// (the CPS3 signature key).
	MessageOnly bool
}

// String describes the configuration without any secret.
func (c Config) String() string {
	return fmt.Sprintf("pkcs11 module %q token label %q serial %q key label %q id %x", c.Module, c.TokenLabel, c.TokenSerial, c.KeyLabel, c.KeyID)
}

// Errors callers branch on.
var (
	// ErrTokenRemoved: the card was removed or its session lost; call
	// Reconnect once it is back.
	ErrTokenRemoved = errors.New("pkcs11: token removed or session lost")
	// ErrDigestRefused: Sign was called on a key that only signs whole messages.
	ErrDigestRefused = errors.New("pkcs11: this key does not sign pre-hashed input; use crypto.SignMessage")
	// ErrPINIncorrect: C_Login refused the PIN.
	ErrPINIncorrect = errors.New("pkcs11: incorrect PIN")
	// ErrPINLocked: the PIN is blocked.
	ErrPINLocked = errors.New("pkcs11: PIN locked")
)

// Error is a token error with the operation and the PKCS#11 return value.
type Error struct {
	Op string
	RV uint // CKR_* value, 0 when not from the module
	// Kind is ErrTokenRemoved, ErrPINIncorrect, ErrPINLocked or nil.
	Kind error
	Err  error
}

func (e *Error) Error() string {
	msg := "pkcs11: " + e.Op
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Kind != nil {
		msg += " (" + strings.TrimPrefix(e.Kind.Error(), "pkcs11: ") + ")"
	}
	return msg
}

// Unwrap exposes the kind (for errors.Is) and the module error.
func (e *Error) Unwrap() []error {
	var out []error
	if e.Kind != nil {
		out = append(out, e.Kind)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// removalCodes are the return values that mean the card is gone or its
// sessions were closed (PKCS#11 closes every session of a removed token).
var removalCodes = map[uint]bool{
	p11.CKR_DEVICE_REMOVED:         true,
	p11.CKR_TOKEN_NOT_PRESENT:      true,
	p11.CKR_TOKEN_NOT_RECOGNIZED:   true,
	p11.CKR_SESSION_HANDLE_INVALID: true,
	p11.CKR_SESSION_CLOSED:         true,
	p11.CKR_DEVICE_ERROR:           true,
	p11.CKR_SLOT_ID_INVALID:        true,
	p11.CKR_USER_NOT_LOGGED_IN:     true,
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Op: op, Err: err}
	var rv p11.Error
	if errors.As(err, &rv) {
		e.RV = uint(rv)
		switch {
		case removalCodes[e.RV]:
			e.Kind = ErrTokenRemoved
		case e.RV == p11.CKR_PIN_INCORRECT:
			e.Kind = ErrPINIncorrect
		case e.RV == p11.CKR_PIN_LOCKED:
			e.Kind = ErrPINLocked
		}
	}
	return e
}

// module is one loaded and initialised PKCS#11 library.
type module struct {
	path string
	ctx  *p11.Ctx
	refs int
}

// registry is the process-wide set of loaded modules: the one piece of
// package state, mirroring the process-global C_Initialize of each module.
var registry = struct {
	sync.Mutex
	m map[string]*module
}{m: map[string]*module{}}

func acquire(path string) (*module, error) {
	registry.Lock()
	defer registry.Unlock()
	if m := registry.m[path]; m != nil {
		m.refs++
		return m, nil
	}
	ctx := p11.New(path)
	if ctx == nil {
		return nil, &Error{Op: "load module " + path, Err: errors.New("cannot load the library")}
	}
	if err := ctx.Initialize(); err != nil {
		var rv p11.Error
		if !errors.As(err, &rv) || uint(rv) != p11.CKR_CRYPTOKI_ALREADY_INITIALIZED {
			ctx.Destroy()
			return nil, wrap("C_Initialize "+path, err)
		}
	}
	m := &module{path: path, ctx: ctx, refs: 1}
	registry.m[path] = m
	return m, nil
}

func (m *module) release() {
	registry.Lock()
	defer registry.Unlock()
	m.refs--
	if m.refs > 0 {
		return
	}
	delete(registry.m, m.path)
	_ = m.ctx.Finalize()
	m.ctx.Destroy()
}

// Key is a private key on a token with its certificate. It is safe for
// concurrent use; operations are serialised on one session.
type Key struct {
	cfg  Config
	mod  *module
	pub  crypto.PublicKey
	cert *x509.Certificate

	mu          sync.Mutex
	session     p11.SessionHandle
	open        bool
	slot        uint
	handle      p11.ObjectHandle
	messageOnly bool
	closed      bool
}

// Open loads the module (once per process), finds the token, logs in with
// the PIN callback and finds the key and its certificate.
func Open(ctx context.Context, cfg Config) (*Key, error) {
	if cfg.Module == "" {
		cfg.Module = DefaultModulePath()
	}
	mod, err := acquire(cfg.Module)
	if err != nil {
		return nil, err
	}
	k := &Key{cfg: cfg, mod: mod}
	if err := k.connect(ctx); err != nil {
		mod.release()
		return nil, err
	}
	return k, nil
}

// Reconnect opens a new session (asking for the PIN again) after
// ErrTokenRemoved, once the card is back.
func (k *Key) Reconnect(ctx context.Context) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return errors.New("pkcs11: key is closed")
	}
	k.dropSession()
	return k.connectLocked(ctx)
}

func (k *Key) connect(ctx context.Context) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.connectLocked(ctx)
}

func (k *Key) connectLocked(ctx context.Context) error {
	c := k.mod.ctx
	slot, info, err := k.findSlot()
	if err != nil {
		return err
	}
	sh, err := c.OpenSession(slot, p11.CKF_SERIAL_SESSION)
	if err != nil {
		return wrap("C_OpenSession", err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = c.CloseSession(sh)
		}
	}()
	if k.cfg.PIN != nil {
		pin, err := k.cfg.PIN(ctx, info)
		if err != nil {
			return fmt.Errorf("pkcs11: PIN for token %q: %w", info.Label, err)
		}
		err = c.Login(sh, p11.CKU_USER, pin)
		if err != nil {
			var rv p11.Error
			if !errors.As(err, &rv) || uint(rv) != p11.CKR_USER_ALREADY_LOGGED_IN {
				return wrap(fmt.Sprintf("C_Login on token %q", info.Label), err)
			}
		}
	}
	priv, err := k.findOne(sh, p11.CKO_PRIVATE_KEY, k.cfg.KeyLabel, k.cfg.KeyID, "private key")
	if err != nil {
		return err
	}
	attrs, err := c.GetAttributeValue(sh, priv, []*p11.Attribute{p11.NewAttribute(p11.CKA_ID, nil)})
	if err != nil {
		return wrap("C_GetAttributeValue(CKA_ID)", err)
	}
	keyID := attrs[0].Value
	certID := k.cfg.CertID
	if certID == nil && k.cfg.CertLabel == "" {
		certID = keyID
	}
	ch, err := k.findOne(sh, p11.CKO_CERTIFICATE, k.cfg.CertLabel, certID, "certificate")
	if err != nil {
		return err
	}
	attrs, err = c.GetAttributeValue(sh, ch, []*p11.Attribute{p11.NewAttribute(p11.CKA_VALUE, nil)})
	if err != nil {
		return wrap("C_GetAttributeValue(certificate)", err)
	}
	cert, err := x509.ParseCertificate(attrs[0].Value)
	if err != nil {
		return fmt.Errorf("pkcs11: token certificate: %w", err)
	}
	switch cert.PublicKey.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey:
	default:
		return fmt.Errorf("pkcs11: unsupported certificate key %T", cert.PublicKey)
	}
	if k.cert != nil && !k.cert.Equal(cert) {
		return errors.New("pkcs11: the token now holds a different certificate (another card?)")
	}
	messageOnly := k.cfg.MessageOnly
	if allowed, ok := allowedMechanisms(c, sh, priv); ok {
		if _, isRSA := cert.PublicKey.(*rsa.PublicKey); isRSA && !allowed[p11.CKM_RSA_PKCS] {
			messageOnly = true
		}
	}
	k.session, k.open, k.slot, k.handle = sh, true, slot, priv
	k.cert, k.pub, k.messageOnly = cert, cert.PublicKey, messageOnly
	ok = true
	return nil
}

// allowedMechanisms reads CKA_ALLOWED_MECHANISMS when the token exposes it.
func allowedMechanisms(c *p11.Ctx, sh p11.SessionHandle, o p11.ObjectHandle) (map[uint]bool, bool) {
	attrs, err := c.GetAttributeValue(sh, o, []*p11.Attribute{p11.NewAttribute(p11.CKA_ALLOWED_MECHANISMS, nil)})
	if err != nil || len(attrs) == 0 || len(attrs[0].Value) == 0 {
		return nil, false
	}
	size := 8
	if len(attrs[0].Value)%8 != 0 {
		size = 4
	}
	out := map[uint]bool{}
	v := attrs[0].Value
	for i := 0; i+size <= len(v); i += size {
		var m uint64
		for j := size - 1; j >= 0; j-- { // little-endian CK_ULONG (amd64, arm64)
			m = m<<8 | uint64(v[i+j])
		}
		out[uint(m)] = true
	}
	return out, true
}

func (k *Key) findSlot() (uint, TokenInfo, error) {
	c := k.mod.ctx
	slots, err := c.GetSlotList(true)
	if err != nil {
		return 0, TokenInfo{}, wrap("C_GetSlotList", err)
	}
	for _, s := range slots {
		if k.cfg.Slot != nil && *k.cfg.Slot != s {
			continue
		}
		ti, err := c.GetTokenInfo(s)
		if err != nil {
			continue
		}
		info := TokenInfo{Slot: s, Label: strings.TrimRight(ti.Label, " \x00"), Serial: strings.TrimRight(ti.SerialNumber, " \x00")}
		if k.cfg.TokenLabel != "" && info.Label != k.cfg.TokenLabel {
			continue
		}
		if k.cfg.TokenSerial != "" && info.Serial != k.cfg.TokenSerial {
			continue
		}
		return s, info, nil
	}
	return 0, TokenInfo{}, &Error{Op: "find token", Kind: ErrTokenRemoved, Err: fmt.Errorf("no token present matches label %q serial %q", k.cfg.TokenLabel, k.cfg.TokenSerial)}
}

func (k *Key) findOne(sh p11.SessionHandle, class uint, label string, id []byte, what string) (p11.ObjectHandle, error) {
	c := k.mod.ctx
	tmpl := []*p11.Attribute{p11.NewAttribute(p11.CKA_CLASS, class)}
	if label != "" {
		tmpl = append(tmpl, p11.NewAttribute(p11.CKA_LABEL, label))
	}
	if id != nil {
		tmpl = append(tmpl, p11.NewAttribute(p11.CKA_ID, id))
	}
	if err := c.FindObjectsInit(sh, tmpl); err != nil {
		return 0, wrap("C_FindObjectsInit", err)
	}
	objs, _, err := c.FindObjects(sh, 2)
	if ferr := c.FindObjectsFinal(sh); err == nil && ferr != nil {
		err = ferr
	}
	if err != nil {
		return 0, wrap("C_FindObjects", err)
	}
	switch len(objs) {
	case 0:
		return 0, fmt.Errorf("pkcs11: no %s with label %q id %x", what, label, id)
	case 1:
		return objs[0], nil
	}
	return 0, fmt.Errorf("pkcs11: several %ss match label %q id %x; set the label or id", what, label, id)
}

// Public returns the public key of the certificate.
func (k *Key) Public() crypto.PublicKey { return k.pub }

// Certificate returns the certificate read from the token.
func (k *Key) Certificate() *x509.Certificate { return k.cert }

// MessageOnly reports whether Sign(digest) is refused.
func (k *Key) MessageOnly() bool { return k.messageOnly }

// digestInfoPrefix is the DER prefix of a PKCS#1 v1.5 DigestInfo.
var digestInfoPrefix = map[crypto.Hash][]byte{
	crypto.SHA1:   {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14},
	crypto.SHA256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA384: {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA512: {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
}

// rsaMessageMechanisms and ecdsaMessageMechanisms map a hash to the
// hash-on-token mechanism.
var (
	rsaMessageMechanisms = map[crypto.Hash]uint{
		crypto.SHA1: p11.CKM_SHA1_RSA_PKCS, crypto.SHA256: p11.CKM_SHA256_RSA_PKCS,
		crypto.SHA384: p11.CKM_SHA384_RSA_PKCS, crypto.SHA512: p11.CKM_SHA512_RSA_PKCS,
	}
	ecdsaMessageMechanisms = map[crypto.Hash]uint{
		crypto.SHA1: p11.CKM_ECDSA_SHA1, crypto.SHA256: p11.CKM_ECDSA_SHA256,
		crypto.SHA384: p11.CKM_ECDSA_SHA384, crypto.SHA512: p11.CKM_ECDSA_SHA512,
	}
)

func checkOpts(opts crypto.SignerOpts) (crypto.Hash, error) {
	if _, ok := opts.(*rsa.PSSOptions); ok {
		return 0, errors.New("pkcs11: RSA-PSS is not supported")
	}
	return opts.HashFunc(), nil
}

// Sign signs a digest (crypto.Signer). It returns ErrDigestRefused for a
// message-only key.
func (k *Key) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if k.messageOnly {
		return nil, ErrDigestRefused
	}
	h, err := checkOpts(opts)
	if err != nil {
		return nil, err
	}
	if h != 0 && len(digest) != h.Size() {
		return nil, fmt.Errorf("pkcs11: digest of %d bytes for %v", len(digest), h)
	}
	if _, isRSA := k.pub.(*rsa.PublicKey); isRSA {
		prefix, ok := digestInfoPrefix[h]
		if !ok {
			return nil, fmt.Errorf("pkcs11: unsupported hash %v", h)
		}
		return k.sign(p11.CKM_RSA_PKCS, append(append([]byte{}, prefix...), digest...))
	}
	raw, err := k.sign(p11.CKM_ECDSA, digest)
	if err != nil {
		return nil, err
	}
	return ecdsaASN1(raw)
}

// SignMessage signs a whole message, hashed by the token (crypto.MessageSigner).
func (k *Key) SignMessage(_ io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	h, err := checkOpts(opts)
	if err != nil {
		return nil, err
	}
	_, isRSA := k.pub.(*rsa.PublicKey)
	mechs := ecdsaMessageMechanisms
	if isRSA {
		mechs = rsaMessageMechanisms
	}
	mech, ok := mechs[h]
	if !ok {
		return nil, fmt.Errorf("pkcs11: unsupported hash %v for message signing", h)
	}
	sig, err := k.sign(mech, msg)
	if err != nil || isRSA {
		return sig, err
	}
	return ecdsaASN1(sig)
}

func (k *Key) sign(mech uint, data []byte) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return nil, errors.New("pkcs11: key is closed")
	}
	if !k.open {
		return nil, &Error{Op: "sign", Kind: ErrTokenRemoved, Err: errors.New("no session; call Reconnect")}
	}
	c := k.mod.ctx
	if err := c.SignInit(k.session, []*p11.Mechanism{p11.NewMechanism(mech, nil)}, k.handle); err != nil {
		err = wrap(fmt.Sprintf("C_SignInit(mechanism 0x%x)", mech), err)
		k.noteRemoval(err)
		return nil, err
	}
	sig, err := c.Sign(k.session, data)
	if err != nil {
		err = wrap("C_Sign", err)
		k.noteRemoval(err)
		return nil, err
	}
	return sig, nil
}

// noteRemoval forgets the session when the token is gone.
func (k *Key) noteRemoval(err error) {
	if errors.Is(err, ErrTokenRemoved) {
		k.dropSession()
	}
}

func (k *Key) dropSession() {
	if k.open {
		_ = k.mod.ctx.CloseSession(k.session)
		k.open = false
	}
}

// Close closes the session and releases the module. It does not call
// C_Logout: the login state is shared by every session of the process on the
// token (other Keys may still use it); PKCS#11 logs out when the last session
// closes.
func (k *Key) Close() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return nil
	}
	k.closed = true
	k.dropSession()
	k.mod.release()
	return nil
}

func ecdsaASN1(raw []byte) ([]byte, error) {
	if len(raw) == 0 || len(raw)%2 != 0 {
		return nil, fmt.Errorf("pkcs11: ECDSA signature of %d bytes", len(raw))
	}
	n := len(raw) / 2
	return asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(raw[:n]), new(big.Int).SetBytes(raw[n:])})
}

var (
	_ crypto.Signer        = (*Key)(nil)
	_ crypto.MessageSigner = (*Key)(nil)
)
