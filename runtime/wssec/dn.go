package wssec

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// dnAttributeTypes maps the attribute type names found in RFC 4514 strings
// (Go, Java, .NET and OpenSSL spellings) to their OIDs.
var dnAttributeTypes = map[string]string{
	"CN": "2.5.4.3", "SN": "2.5.4.4", "SURNAME": "2.5.4.4", "SERIALNUMBER": "2.5.4.5",
	"C": "2.5.4.6", "L": "2.5.4.7", "ST": "2.5.4.8", "S": "2.5.4.8", "STREET": "2.5.4.9",
	"O": "2.5.4.10", "OU": "2.5.4.11", "T": "2.5.4.12", "TITLE": "2.5.4.12",
	"POSTALCODE": "2.5.4.17", "GN": "2.5.4.42", "G": "2.5.4.42", "GIVENNAME": "2.5.4.42",
	"ORGANIZATIONIDENTIFIER": "2.5.4.97", "DC": "0.9.2342.19200300.100.1.25",
	"UID": "0.9.2342.19200300.100.1.1", "E": "1.2.840.113549.1.9.1", "EMAILADDRESS": "1.2.840.113549.1.9.1",
}

// rfc4514Names are the attribute types RFC 4514 writes by name; others are
// written as OID=#hex of their DER, as Java's X500Principal does (and the
// kit's samples show).
var rfc4514Names = map[string]string{
	"2.5.4.3": "CN", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.6": "C",
	"2.5.4.9": "STREET", "0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
}

type rawATV struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

// rawRDNSET is one RDN (encoding/asn1 reads a slice type named …SET as a SET OF).
type rawRDNSET []rawATV

// issuerName renders a certificate's subject as RFC 4514 (RFC 2253) text in
// the certificate's own order and grouping, multi-valued RDNs and original
// encodings kept: the text of saml2:Issuer. pkix.Name.String reorders the
// attributes it knows and splits multi-valued RDNs.
func issuerName(c *x509.Certificate) string {
	var seq []rawRDNSET
	if rest, err := asn1.Unmarshal(c.RawSubject, &seq); err != nil || len(rest) > 0 {
		return c.Subject.String()
	}
	var b strings.Builder
	for i := len(seq) - 1; i >= 0; i-- {
		if i < len(seq)-1 {
			b.WriteByte(',')
		}
		for j, a := range seq[i] {
			if j > 0 {
				b.WriteByte('+')
			}
			var s string
			name, ok := rfc4514Names[a.Type.String()]
			if ok {
				_, err := asn1.Unmarshal(a.Value.FullBytes, &s)
				ok = err == nil
			}
			if !ok {
				b.WriteString(a.Type.String() + "=#" + hex.EncodeToString(a.Value.FullBytes))
				continue
			}
			b.WriteString(name + "=" + escapeDNValue(s))
		}
	}
	return b.String()
}

// escapeDNValue escapes an attribute value as RFC 4514 requires.
func escapeDNValue(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case strings.ContainsRune(`"+,;<>\`, r),
			r == ' ' && (i == 0 || i == len(s)-1),
			r == '#' && i == 0:
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == 0:
			b.WriteString(`\00`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sameSubject reports whether the RFC 4514 string dn names the subject of
// c: the same attributes with the same values, in any grouping and order
// (producers differ there), compared exactly otherwise.
func sameSubject(dn string, c *x509.Certificate) error {
	got, err := parseDN(dn)
	if err != nil {
		return err
	}
	var want []string
	for _, a := range c.Subject.Names {
		want = append(want, a.Type.String()+"="+fmt.Sprint(a.Value))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("it names %s, the signing certificate is %s", dn, issuerName(c))
	}
	return nil
}

// parseDN reads an RFC 4514 distinguished name into "oid=value" strings.
// Values may be escaped (\, \+ \2C…) or hex-encoded BER (#1404…, as Java and
// Go write attribute types they do not name); spaces around separators are
// ignored.
func parseDN(s string) ([]string, error) {
	var out []string
	for i := 0; ; {
		eq := strings.IndexByte(s[i:], '=')
		if eq < 0 {
			return nil, fmt.Errorf("%q is not a distinguished name (no = after %q)", s, s[i:])
		}
		typ := strings.TrimSpace(s[i : i+eq])
		oid, ok := dnAttributeTypes[strings.ToUpper(typ)]
		if !ok {
			oid = strings.TrimPrefix(strings.TrimPrefix(typ, "OID."), "oid.")
			if _, err := parseOID(oid); err != nil {
				return nil, fmt.Errorf("unknown attribute type %q in %q", typ, s)
			}
		}
		i += eq + 1
		for i < len(s) && s[i] == ' ' {
			i++
		}
		val, n, err := dnValue(s[i:])
		if err != nil {
			return nil, fmt.Errorf("attribute %s of %q: %w", typ, s, err)
		}
		out = append(out, oid+"="+val)
		i += n
		if i == len(s) {
			return out, nil
		}
		i++ // the separator: ',' or ';' between RDNs, '+' inside one
	}
}

// dnValue reads one attribute value; it returns the value and the number of
// bytes read, stopping at an unescaped separator.
func dnValue(s string) (string, int, error) {
	if strings.HasPrefix(s, "#") {
		end := strings.IndexAny(s, ",;+")
		if end < 0 {
			end = len(s)
		}
		der, err := hex.DecodeString(strings.TrimSpace(s[1:end]))
		if err != nil {
			return "", 0, errors.New("bad hex value")
		}
		var v any
		if rest, err := asn1.Unmarshal(der, &v); err != nil || len(rest) > 0 {
			return "", 0, errors.New("hex value is not one BER value")
		}
		return fmt.Sprint(v), end, nil
	}
	var b []byte
	trail := 0 // unescaped trailing spaces, dropped
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c == ',' || c == ';' || c == '+' {
			break
		}
		if c != '\\' {
			b = append(b, c)
			if c == ' ' {
				trail++
			} else {
				trail = 0
			}
			continue
		}
		trail = 0
		if i+1 >= len(s) {
			return "", 0, errors.New("dangling backslash")
		}
		if h, err := hex.DecodeString(s[i+1 : min(i+3, len(s))]); err == nil && len(h) == 1 {
			b = append(b, h[0])
			i += 2
			continue
		}
		b = append(b, s[i+1])
		i++
	}
	b = b[:len(b)-trail]
	if !utf8.Valid(b) {
		return "", 0, errors.New("not UTF-8")
	}
	return string(b), i, nil
}

func parseOID(s string) (asn1.ObjectIdentifier, error) {
	var oid asn1.ObjectIdentifier
	for _, p := range strings.Split(s, ".") {
		n := 0
		if p == "" || len(p) > 9 {
			return nil, errors.New("bad OID")
		}
		for _, r := range p {
			if r < '0' || r > '9' {
				return nil, errors.New("bad OID")
			}
			n = n*10 + int(r-'0')
		}
		oid = append(oid, n)
	}
	if len(oid) < 2 {
		return nil, errors.New("bad OID")
	}
	return oid, nil
}

// holderID returns the single CommonName of a certificate's subject: the
// national identifier of the holder in CPS and IGC-Santé personal
// certificates (CN=899900063480).
func holderID(c *x509.Certificate) (string, error) {
	var cns []string
	for _, a := range c.Subject.Names {
		if a.Type.Equal(asn1.ObjectIdentifier{2, 5, 4, 3}) {
			cns = append(cns, fmt.Sprint(a.Value))
		}
	}
	if len(cns) != 1 {
		return "", fmt.Errorf("the signing certificate has %d CommonNames, want 1 (the holder's identifier)", len(cns))
	}
	return cns[0], nil
}
