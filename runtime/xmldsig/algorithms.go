package xmldsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"fmt"
)

// Namespaces and algorithm identifiers (XMLDSig 1.0, RFC 6931).
const (
	NamespaceDSig = "http://www.w3.org/2000/09/xmldsig#"

	AlgExcC14N             = "http://www.w3.org/2001/10/xml-exc-c14n#"
	AlgExcC14NWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
	AlgEnveloped           = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
	AlgXPath               = "http://www.w3.org/TR/1999/REC-xpath-19991116"

	AlgSHA1   = "http://www.w3.org/2000/09/xmldsig#sha1"
	AlgSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
	AlgSHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	AlgSHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"
	AlgMD5    = "http://www.w3.org/2001/04/xmldsig-more#md5"

	AlgRSASHA1     = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	AlgRSASHA256   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	AlgRSASHA384   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
	AlgRSASHA512   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
	AlgECDSASHA1   = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1"
	AlgECDSASHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
	AlgECDSASHA384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
	AlgECDSASHA512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
	AlgRSAMD5      = "http://www.w3.org/2001/04/xmldsig-more#rsa-md5"
)

// keyKind distinguishes the signature families.
type keyKind int

const (
	kindRSA keyKind = iota + 1
	kindECDSA
)

type sigAlg struct {
	kind keyKind
	hash crypto.Hash
}

// signatureAlgs is the table of signature methods this package implements.
var signatureAlgs = map[string]sigAlg{
	AlgRSASHA1:     {kindRSA, crypto.SHA1},
	AlgRSASHA256:   {kindRSA, crypto.SHA256},
	AlgRSASHA384:   {kindRSA, crypto.SHA384},
	AlgRSASHA512:   {kindRSA, crypto.SHA512},
	AlgECDSASHA1:   {kindECDSA, crypto.SHA1},
	AlgECDSASHA256: {kindECDSA, crypto.SHA256},
	AlgECDSASHA384: {kindECDSA, crypto.SHA384},
	AlgECDSASHA512: {kindECDSA, crypto.SHA512},
}

// digestAlgs is the table of digest methods this package implements.
var digestAlgs = map[string]crypto.Hash{
	AlgSHA1:   crypto.SHA1,
	AlgSHA256: crypto.SHA256,
	AlgSHA384: crypto.SHA384,
	AlgSHA512: crypto.SHA512,
}

// DigestAlgorithm returns the DigestMethod URI for h.
func DigestAlgorithm(h crypto.Hash) (string, error) {
	for uri, hh := range digestAlgs {
		if hh == h {
			return uri, nil
		}
	}
	return "", fmt.Errorf("xmldsig: no digest algorithm for %v", h)
}

// SignatureAlgorithm returns the SignatureMethod URI for a public key and hash.
func SignatureAlgorithm(pub crypto.PublicKey, h crypto.Hash) (string, error) {
	var kind keyKind
	switch pub.(type) {
	case *rsa.PublicKey:
		kind = kindRSA
	case *ecdsa.PublicKey:
		kind = kindECDSA
	default:
		return "", fmt.Errorf("xmldsig: unsupported key type %T (RSA or ECDSA only)", pub)
	}
	for uri, a := range signatureAlgs {
		if a.kind == kind && a.hash == h {
			return uri, nil
		}
	}
	return "", fmt.Errorf("xmldsig: no signature algorithm for %T with %v", pub, h)
}

// DigestHash returns the hash behind a DigestMethod URI, if implemented.
func DigestHash(uri string) (crypto.Hash, bool) {
	h, ok := digestAlgs[uri]
	return h, ok
}

// DefaultSignatureAlgorithms returns the verifier's default allow-list: RSA
// and ECDSA with SHA-256, SHA-384 or SHA-512. SHA-1 is not in it: set
// Verifier.AllowSHA1 for legacy tokens (the 2019 kit samples sign RSA-SHA1).
func DefaultSignatureAlgorithms() []string {
	return []string{AlgRSASHA256, AlgRSASHA384, AlgRSASHA512, AlgECDSASHA256, AlgECDSASHA384, AlgECDSASHA512}
}

// DefaultDigestAlgorithms returns the verifier's default digest allow-list:
// the SHA-2 family (no SHA-1 unless Verifier.AllowSHA1, never MD5).
func DefaultDigestAlgorithms() []string {
	return []string{AlgSHA256, AlgSHA384, AlgSHA512}
}

// sha1Algorithms are what Verifier.AllowSHA1 adds to the allow-lists.
var (
	sha1SignatureAlgorithms = []string{AlgRSASHA1, AlgECDSASHA1}
	sha1DigestAlgorithms    = []string{AlgSHA1}
)
