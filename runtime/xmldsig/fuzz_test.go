package xmldsig_test

import (
	"bytes"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// c14nSeeds are small documents exercising the exc-c14n rules.
var c14nSeeds = []string{
	`<a xmlns="urn:a" xmlns:b="urn:b" b:z="1" y="2"><b:c xmlns="">t&amp;&lt;&gt;&#xD;</b:c><!-- c --><?pi data?></a>`,
	`<p:a xmlns:p="urn:p" xmlns:q="urn:q" xmlns:xs="http://www.w3.org/2001/XMLSchema"><p:b q:at="&#9;&#10;&#13;&quot;" xml:lang="fr"><![CDATA[x<y]]></p:b></p:a>`,
	`<a xmlns:x="urn:x"><x:b xmlns:x="urn:other"><x:c/></x:b></a>`,
	`<root><n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"/></n1:elem2></root>`,
	`<a b="1"/>`,
	"<a>\r\n</a>",
	"<a b=\"x\ny\tz&#10;w\r\nv\" c='\n'><!-- \" --><?p a=\"\n\"?><![CDATA[\"\n]]><d e=\"1\n\"/></a>",
}

func FuzzCanonicalize(f *testing.F) {
	for _, s := range c14nSeeds {
		f.Add([]byte(s))
	}
	dir := filepath.Join(testenv.RepoRoot(), "testdata", "security", "templates")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := xmldsig.Parse(data)
		if err != nil {
			return
		}
		out, err := xmldsig.Canonicalize(doc.Root(), xmldsig.C14NOptions{WithComments: len(data)%2 == 0})
		if err != nil {
			return
		}
		// The canonical form is well-formed and a fixed point.
		again, err := xmldsig.Parse(out)
		if err != nil {
			t.Fatalf("canonical output does not parse: %v\n%s", err, out)
		}
		out2, err := xmldsig.Canonicalize(again.Root(), xmldsig.C14NOptions{WithComments: len(data)%2 == 0})
		if err != nil {
			t.Fatalf("canonicalising the canonical form: %v", err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("not idempotent:\n%s\n%s", out, out2)
		}
		// Serialize then parse gives the same canonical form (what we send is what we signed).
		reparsed, err := xmldsig.Parse(xmldsig.Serialize(doc.Root()))
		if err != nil {
			t.Fatalf("serialised tree does not parse: %v", err)
		}
		out3, err := xmldsig.Canonicalize(reparsed.Root(), xmldsig.C14NOptions{WithComments: len(data)%2 == 0})
		if err != nil || !bytes.Equal(out, out3) {
			t.Fatalf("serialise/parse changed the canonical form: %v\n%s\n%s", err, out, out3)
		}
	})
}

func FuzzVerify(f *testing.F) {
	pki := xmldsigtest.NewPKI(f)
	leaf := pki.RSALeaf(f, 1, xmldsigtest.LeafOptions{})
	s := &xmldsig.Signer{Key: leaf.Key, Certificates: []*x509.Certificate{leaf.Cert}}
	signed := signAssertion(f, s)
	v := &xmldsig.Verifier{Roots: pki.Pool}
	orig, err := v.VerifyAssertion(signed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add([]byte(envOpen + string(signed) + envClose))
	f.Add(bytes.Replace(signed, []byte("899900063480<"), []byte("899900063481<"), 1))
	f.Add(append([]byte(`<!DOCTYPE a [<!ENTITY e "x">]>`), signed...))
	f.Add(bytes.Replace(signed, []byte("<DigestValue>"), []byte("<DigestValue><!---->"), 1))
	f.Add(template(f, "envelope-prefixlist-signedinfo.xml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := v.VerifyAssertion(data)
		if err != nil {
			return
		}
		// Only documents whose signed content is exactly the original pass.
		if !bytes.Equal(got.Canonical, orig.Canonical) {
			t.Fatalf("accepted different signed content:\n%s", got.Canonical)
		}
	})
}
