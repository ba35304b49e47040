package xades_test

import (
	"crypto"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xades"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// Xmlsec1Args are the xmlsec1 options that verify a signature document: the
// Manifest (urn:oid: references are not dereferenceable) is checked by us.
var xmlsecArgs = []string{"--ignore-manifests"}

var idAttrs = []string{
	"Id:" + xmldsig.NamespaceDSig + ":Manifest",
	"Id:SignatureProperties",
	"Id:" + xades.NamespaceXAdES + ":SignedProperties",
}

func docs(t *testing.T) []xades.Document {
	cda, err := os.ReadFile(testenv.KitFile(t, "dmp/examples/messages-v02.05.00/TD2.1-DocumentME2.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return []xades.Document{
		{UniqueID: "1.2.250.1.999.1.1.7898.3.9956570900", Content: cda},
		{UniqueID: "1.2.250.1.999.1.1.7898.3.9956570901", Content: []byte("%PDF-1.4 binary \x00\x01\xff document")},
	}
}

func TestSignVerify(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	leaf := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{})
	caPEM := xmldsigtest.WriteCertPEM(t, t.TempDir(), "ca.pem", pki.CA)
	ds := docs(t)
	// SigningTime must fall within the certificate's validity and not in the future.
	now := time.Now().UTC().Truncate(time.Millisecond)
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA1} {
		t.Run(h.String(), func(t *testing.T) {
			res, err := xades.Sign(ds, xades.Options{
				Signer: xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}, Hash: h},
				Now:    func() time.Time { return now },
			})
			if err != nil {
				t.Fatal(err)
			}
			if out, ok := xmldsigtest.Xmlsec1Verify(t, res.Bytes, caPEM, xmlsecArgs, idAttrs...); !ok {
				t.Fatalf("xmlsec1: %s\n%s", out, res.Bytes)
			}
			v := &xmldsig.Verifier{Roots: pki.Pool, AllowSHA1: h == crypto.SHA1}
			got, err := xades.Verify(res.Bytes, ds, v)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Documents) != 2 || !got.SigningTime.Equal(now) || got.SignatureID != res.SignatureID {
				t.Errorf("verified %+v", got)
			}
			xmllintXAdES(t, res.Bytes)

			// The Manifest check catches what xmlsec1 --ignore-manifests does not.
			tampered := []xades.Document{ds[0], {UniqueID: ds[1].UniqueID, Content: append([]byte{}, ds[1].Content...)}}
			tampered[1].Content[0] ^= 1
			if _, err := xades.Verify(res.Bytes, tampered, v); err == nil || !strings.Contains(err.Error(), "does not match the Manifest") {
				t.Errorf("tampered document: %v", err)
			}
			if _, err := xades.Verify(res.Bytes, ds[:1], v); err == nil || !strings.Contains(err.Error(), "not in the submission") {
				t.Errorf("missing document: %v", err)
			}
			extra := append(append([]xades.Document{}, ds...), xades.Document{UniqueID: "1.2.3", Content: []byte("x")})
			if _, err := xades.Verify(res.Bytes, extra, v); err == nil || !strings.Contains(err.Error(), "not covered") {
				t.Errorf("extra document: %v", err)
			}
			// Changing the signed Manifest breaks the core signature for both verifiers.
			forged := []byte(strings.Replace(string(res.Bytes), "urn:oid:"+ds[1].UniqueID, "urn:oid:1.2.3.4", 1))
			if _, err := xades.Verify(forged, ds, v); err == nil {
				t.Error("forged Manifest accepted")
			}
			if out, ok := xmldsigtest.Xmlsec1Verify(t, forged, caPEM, xmlsecArgs, idAttrs...); ok {
				t.Errorf("xmlsec1 accepts a forged Manifest: %s", out)
			}
		})
	}
}

// xmllintXAdES validates the signature document with the kit's XAdES 1.1.1 schema.
func xmllintXAdES(t *testing.T, b []byte) {
	t.Helper()
	bin := testenv.Tool(t, "xmllint")
	f := filepath.Join(t.TempDir(), "sig.xml")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--noout", "--nonet", "--schema", testenv.KitFile(t, "dmp/kit-2.06.01-library-schemas/XAdES.xsd"), f)
	cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+testenv.KitFile(t, "catalog.xml"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("xmllint XAdES.xsd: %v\n%s", err, out)
	}
}

func TestMetadata(t *testing.T) {
	m := xades.SignatureMetadata()
	if m.ClassCode.Code != "urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1" || m.TypeCode.Code != "E1762" ||
		m.FormatCode.Code != xmldsig.NamespaceDSig || m.EventCodes[0].Code != xades.PurposeSource ||
		m.SignsAssociationType != "urn:ihe:iti:2007:AssociationType:signs" {
		t.Errorf("metadata %+v", m)
	}
	// The values are those of the TD2.1 example.
	req, err := os.ReadFile(testenv.KitFile(t, "dmp/examples/messages-v02.05.00/TD2.1_Alimentation_requete.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`classifiedObject="Signature01" id="cla12" nodeRepresentation="` + m.ClassCode.Code + `"`,
		`nodeRepresentation="` + m.TypeCode.Code + `"`,
		`nodeRepresentation="` + m.FormatCode.Code + `"`,
		`nodeRepresentation="` + m.EventCodes[0].Code + `"`,
		`<Value>` + m.EventCodes[0].Scheme + `</Value>`,
		`associationType="` + m.SignsAssociationType + `" id="assoc3" sourceObject="Signature01" targetObject="SubmissionSet01"`,
		`id="Signature01" mimeType="` + m.MimeType + `"`,
	} {
		if !strings.Contains(string(req), want) {
			t.Errorf("TD2.1 example lacks %s", want)
		}
	}
}
