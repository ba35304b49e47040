package xmldsigtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

// SAMLAssertionIDAttr is the xmlsec1 --id-attr argument for SAML assertions.
const SAMLAssertionIDAttr = "ID:urn:oasis:names:tc:SAML:2.0:assertion:Assertion"

// Xmlsec1Verify runs `xmlsec1 --verify` on doc with caPEM as the trusted root
// and the given --id-attr declarations; it returns xmlsec1's combined output and
// whether it reported success.
func Xmlsec1Verify(t testing.TB, doc []byte, caPEM string, extra []string, idAttrs ...string) (string, bool) {
	t.Helper()
	bin := testenv.Tool(t, "xmlsec1")
	dir := t.TempDir()
	f := filepath.Join(dir, "doc.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--verify", "--trusted-pem", caPEM}
	for _, a := range idAttrs {
		args = append(args, "--id-attr:"+strings.SplitN(a, ":", 2)[0], strings.SplitN(a, ":", 2)[1])
	}
	args = append(args, extra...)
	args = append(args, f)
	out, err := exec.Command(bin, args...).CombinedOutput()
	return string(out), err == nil
}

// Xmlsec1Sign signs a template with xmlsec1 --sign and returns the signed bytes.
func Xmlsec1Sign(t testing.TB, tmpl []byte, keyPEM, certPEM string, idAttrs ...string) []byte {
	t.Helper()
	bin := testenv.Tool(t, "xmlsec1")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "tmpl.xml"), filepath.Join(dir, "signed.xml")
	if err := os.WriteFile(in, tmpl, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--sign", "--privkey-pem", keyPEM + "," + certPEM}
	for _, a := range idAttrs {
		args = append(args, "--id-attr:"+strings.SplitN(a, ":", 2)[0], strings.SplitN(a, ":", 2)[1])
	}
	args = append(args, "--output", out, in)
	if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("xmlsec1 --sign: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// xmlCrypto returns node and the node_modules folder holding xml-crypto
// (installed by .ci/setup.d/20-security.sh into .cache/node), skipping the
// test outside CI when they are missing.
func xmlCrypto(t testing.TB) (node, mods string) {
	t.Helper()
	node = testenv.Tool(t, "node")
	mods = filepath.Join(testenv.RepoRoot(), ".cache", "node", "node_modules")
	if _, err := os.Stat(filepath.Join(mods, "xml-crypto")); err != nil {
		if testenv.InCI() {
			t.Fatalf("xml-crypto is not installed in %s (.ci/setup.d/20-security.sh installs it)", mods)
		}
		t.Skipf("xml-crypto is not installed in %s: run .ci/setup.d/20-security.sh", mods)
	}
	return node, mods
}

// XMLCryptoVerify checks doc with node xml-crypto: the signature must verify
// with certPEM and sign exactly one reference. idAttr is the ID attribute name.
// It returns the script's output and whether it accepted.
func XMLCryptoVerify(t testing.TB, doc []byte, certPEM, idAttr string) (string, bool) {
	t.Helper()
	node, mods := xmlCrypto(t)
	dir := t.TempDir()
	f := filepath.Join(dir, "doc.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(testenv.RepoRoot(), "testdata", "security", "xmlcrypto-verify.js")
	cmd := exec.Command(node, script, f, certPEM, idAttr)
	cmd.Env = append(os.Environ(), "NODE_PATH="+mods)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err == nil && strings.Contains(out.String(), "VALID")
}

// XMLCryptoSign signs the saml2:Assertion root of doc with node xml-crypto
// (enveloped, after saml2:Issuer, exc-c14n, RSA-SHA256) and returns the
// signed bytes.
func XMLCryptoSign(t testing.TB, doc []byte, keyPEM, certPEM string) []byte {
	t.Helper()
	node, mods := xmlCrypto(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.xml"), filepath.Join(dir, "out.xml")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(testenv.RepoRoot(), "testdata", "security", "xmlcrypto-sign.js")
	cmd := exec.Command(node, script, in, keyPEM, certPEM, out)
	cmd.Env = append(os.Environ(), "NODE_PATH="+mods)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xml-crypto sign: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
