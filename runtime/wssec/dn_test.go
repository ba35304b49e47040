package wssec

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// cpsSubject is the subject of the kit's DIRECTE sample certificate: a
// multi-valued last RDN CN+SN+GN, SN and GN as TeletexStrings.
func cpsSubject(t *testing.T) []byte {
	t.Helper()
	atv := func(oid asn1.ObjectIdentifier, v any) pkix.AttributeTypeAndValue {
		return pkix.AttributeTypeAndValue{Type: oid, Value: v}
	}
	teletex := func(s string) asn1.RawValue {
		return asn1.RawValue{Tag: asn1.TagT61String, Bytes: []byte(s)}
	}
	raw, err := asn1.Marshal(pkix.RDNSequence{
		{atv(asn1.ObjectIdentifier{2, 5, 4, 6}, "FR")},
		{atv(asn1.ObjectIdentifier{2, 5, 4, 10}, "TEST")},
		{atv(asn1.ObjectIdentifier{2, 5, 4, 11}, asn1.RawValue{Tag: asn1.TagUTF8String, Bytes: []byte("Médecin")})},
		{atv(asn1.ObjectIdentifier{2, 5, 4, 3}, "899900038839"), atv(asn1.ObjectIdentifier{2, 5, 4, 4}, teletex("TRAL")),
			atv(asn1.ObjectIdentifier{2, 5, 4, 42}, teletex("ADEMIS"))},
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestIssuerNames(t *testing.T) {
	pki := xmldsigtest.NewPKI(t)
	cps := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{Edit: func(c *x509.Certificate) { c.RawSubject = cpsSubject(t) }}).Cert
	plain := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{}).Cert
	tricky := pki.RSALeaf(t, 1, xmldsigtest.LeafOptions{Edit: func(c *x509.Certificate) {
		c.Subject = pkix.Name{CommonName: " Dupont, Jean+fils <#1> ", OrganizationalUnit: []string{"a;b", `c"d\e`}, Country: []string{"FR"}}
	}}).Cert

	// What Provider writes is the kit's rendering (Java's RFC 2253): the
	// certificate's order, its multi-valued RDN, the original encodings.
	// (Go DER-sorts the SET, so SN and GN come first here; the kit's
	// certificate keeps CN first: see TestKitSamples.)
	if got, want := issuerName(cps), "2.5.4.4=#14045452414c+2.5.4.42=#14064144454d4953+CN=899900038839,OU=Médecin,O=TEST,C=FR"; got != want {
		t.Errorf("issuerName = %s, want %s", got, want)
	}
	for _, c := range []struct {
		name string
		dn   string
		cert *x509.Certificate
		ok   bool
	}{
		{"kit sample rendering", "CN=899900038839+2.5.4.4=#14045452414c+2.5.4.42=#14064144454d4953,OU=Médecin,O=TEST,C=FR", cps, true},
		{"Go pkix.Name.String (reordered)", cps.Subject.String(), cps, true},
		{"names and spaces (.NET style)", "CN=899900038839 + SN=TRAL + G=ADEMIS, OU=Médecin, O=TEST, C=FR", cps, true},
		{"Go rendering of a plain subject", plain.Subject.String(), plain, true},
		{"issuerName of a plain subject", issuerName(plain), plain, true},
		{"escapes", tricky.Subject.String(), tricky, true},
		{"issuerName escapes", issuerName(tricky), tricky, true},
		{"hex escapes", `CN=\20Dupont\2C Jean\2Bfils \3C\231>\20,OU=a\3Bb,OU=c\"d\\e,C=FR`, tricky, true},
		{"the sample's lost accent (OU=M?decin)", "CN=899900038839+2.5.4.4=#14045452414c+2.5.4.42=#14064144454d4953,OU=M?decin,O=TEST,C=FR", cps, false},
		{"another card holder", "CN=899900063480+2.5.4.4=#14045452414c+2.5.4.42=#14064144454d4953,OU=Médecin,O=TEST,C=FR", cps, false},
		{"a missing attribute", "CN=899900038839,OU=Médecin,O=TEST,C=FR", cps, false},
		{"an extra attribute", "CN=899900038839+SN=TRAL+GN=ADEMIS+UID=x,OU=Médecin,O=TEST,C=FR", cps, false},
		{"case differs", strings.ToLower(plain.Subject.String()), plain, false},
		{"the CA's name", pki.CA.Subject.String(), plain, false},
		{"not a DN", "899900063480", plain, false},
		{"unknown attribute type", "XX=1,C=FR", plain, false},
		{"bad hex value", "CN=#zz", plain, false},
		{"dangling backslash", `CN=a\`, plain, false},
		{"empty", "", plain, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := sameSubject(c.dn, c.cert)
			if (err == nil) != c.ok {
				t.Errorf("sameSubject(%q) = %v, want ok=%v", c.dn, err, c.ok)
			}
		})
	}
	if id, err := holderID(cps); err != nil || id != "899900038839" {
		t.Errorf("holderID = %q, %v", id, err)
	}
}

func FuzzParseDN(f *testing.F) {
	for _, s := range []string{"CN=a+SN=b,C=FR", `CN=\20x\2C,OU=#0c0178`, "2.5.4.3=x;O=y", "CN=#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseDN(s) // must not panic
	})
}
