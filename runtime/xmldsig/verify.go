package xmldsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// NamespaceSAML2 is the SAML 2.0 assertion namespace.
const NamespaceSAML2 = "urn:oasis:names:tc:SAML:2.0:assertion"

// minRSABits is the smallest RSA modulus accepted.
const minRSABits = 2048

// Verifier checks XML signatures strictly: one signed element, one Reference to
// it by ID, fixed transforms, allow-listed algorithms, document-wide unique IDs,
// no DTD, and a certificate chain to a configured pool valid at Now.
// The zero value rejects everything (it has no trust anchors).
type Verifier struct {
	// Roots are the trust anchors (IGC-Santé / CPS roots). Required.
	Roots *x509.CertPool
	// Intermediates are extra intermediate CAs; certificates after the first in
	// KeyInfo are used as intermediates too.
	Intermediates *x509.CertPool
	// Now is the clock for certificate validity; time.Now when nil.
	Now func() time.Time
	// KeyUsages are the extended key usages the leaf must allow; any when empty.
	KeyUsages []x509.ExtKeyUsage
	// SignatureAlgorithms is the SignatureMethod allow-list; DefaultSignatureAlgorithms when nil.
	SignatureAlgorithms []string
	// DigestAlgorithms is the DigestMethod allow-list; DefaultDigestAlgorithms when nil.
	DigestAlgorithms []string
	// AllowSHA1 adds RSA-SHA1, ECDSA-SHA1 and the SHA-1 digest to the
	// allow-lists, for legacy tokens only: SHA-1 collisions are practical.
	AllowSHA1 bool
	// AllowAnyKeyUsage accepts a signer certificate whatever its key usages.
	// By default the leaf must allow digitalSignature or nonRepudiation
	// (contentCommitment), and when it lists extended key usages one of them
	// must be clientAuth, emailProtection, any, or one this package does not
	// know (a document-signing OID): a TLS server certificate does not sign
	// documents.
	AllowAnyKeyUsage bool
	// ChainCacheSize bounds the cache of verified certificate chains (least
	// recently used entries go first): DefaultChainCacheSize when zero, no
	// cache when negative.
	ChainCacheSize int

	// chains caches the chains of KeyInfos whose signature verified, keyed by
	// their exact certificates; an entry is used only while Now is inside the
	// validity window of every certificate of its chains. Configure the
	// Verifier before its first use and do not copy it afterwards.
	chains chainCache
}

// Verified is what a successful verification returns. Callers read claims only
// from Element, which is parsed from the exact bytes the digest covered (the
// signed element after the enveloped transform), never from the input tree.
type Verified struct {
	Element *etree.Element
	// Ancestors are the names of the signed element's ancestors in the input,
	// outermost first, for callers that also check its position.
	Ancestors       []Name
	Canonical       []byte
	ID              string
	Certificate     *x509.Certificate
	Chains          [][]*x509.Certificate
	SignatureMethod string
	DigestMethod    string
}

// VerifyAssertion verifies the only saml2:Assertion in doc (a bare assertion,
// a wsse:Security header or a whole SOAP envelope) and returns it.
func (v *Verifier) VerifyAssertion(doc []byte) (*Verified, error) {
	return v.VerifyEnveloped(doc, NamespaceSAML2, "Assertion", "ID")
}

// VerifyEnveloped verifies the single element {ns}local of doc, which must
// carry an enveloped signature as a direct child whose only Reference is
// "#"+ the element's idAttr value, with exactly the transforms
// [enveloped-signature, exc-c14n].
func (v *Verifier) VerifyEnveloped(doc []byte, ns, local, idAttr string) (*Verified, error) {
	d, err := Parse(doc)
	if err != nil {
		return nil, err
	}
	if _, err := CollectIDs(d.Root()); err != nil {
		return nil, err
	}
	var found []*etree.Element
	walkNS(d.Root(), newScope(), func(e *etree.Element, space string) {
		if e.Tag == local && space == ns {
			found = append(found, e)
		}
	})
	if len(found) != 1 {
		return nil, rejectf(ReasonStructure, "want exactly one {%s}%s, found %d", ns, local, len(found))
	}
	el := found[0]
	id := el.SelectAttrValue(idAttr, "")
	if id == "" {
		return nil, rejectf(ReasonStructure, "{%s}%s has no %s attribute", ns, local, idAttr)
	}
	var sig *etree.Element
	nsig := 0
	sc := newScope()
	sc.pushAncestors(el)
	walkNS(el, sc, func(e *etree.Element, space string) {
		if e.Tag == "Signature" && space == NamespaceDSig {
			nsig++
			if e.Parent() == el {
				sig = e
			}
		}
	})
	if sig == nil {
		return nil, rejectf(ReasonStructure, "no Signature child in {%s}%s", ns, local)
	}
	if nsig != 1 {
		return nil, rejectf(ReasonStructure, "{%s}%s contains %d Signature elements", ns, local, nsig)
	}
	si, err := v.checkSignature(sig, false)
	if err != nil {
		return nil, err
	}
	if len(si.refs) != 1 {
		return nil, rejectf(ReasonStructure, "want exactly one Reference, found %d", len(si.refs))
	}
	ref := si.refs[0]
	if ref.uri != "#"+id {
		return nil, rejectf(ReasonStructure, "Reference URI %q does not designate the signed element (#%s)", ref.uri, id)
	}
	if !slices.Equal(ref.transforms, []string{AlgEnveloped, AlgExcC14N}) {
		return nil, rejectf(ReasonStructure, "transforms %v, want [enveloped-signature exc-c14n]", ref.transforms)
	}
	canonical, err := Canonicalize(el, C14NOptions{PrefixList: ref.prefixList, Exclude: sig})
	if err != nil {
		return nil, rejectErr(ReasonMalformed, err, "canonicalising the signed element")
	}
	if err := checkDigest(ref, canonical); err != nil {
		return nil, err
	}
	if err := si.verifyValue(); err != nil {
		return nil, err
	}
	v.remember(si)
	signed, err := Parse(canonical)
	if err != nil {
		return nil, rejectErr(ReasonMalformed, err, "re-reading the signed bytes")
	}
	return &Verified{
		Element: signed.Root(), Ancestors: ancestors(el), Canonical: canonical, ID: id,
		Certificate: si.cert, Chains: si.chains,
		SignatureMethod: si.sigAlg, DigestMethod: ref.digestAlg,
	}, nil
}

// Name is a namespace-qualified element name.
type Name struct{ Space, Local string }

func ancestors(el *etree.Element) []Name {
	var chain []*etree.Element
	for a := el.Parent(); a != nil && a.Tag != ""; a = a.Parent() {
		chain = append(chain, a)
	}
	slices.Reverse(chain)
	// Resolved top down: one lookup per ancestor, however many attributes.
	s := newScope()
	out := make([]Name, len(chain))
	for i, a := range chain {
		s.pushDecls(a)
		out[i] = Name{s.space(a), a.Tag}
	}
	return out
}

// VerifiedReference is one same-document Reference whose digest matched.
type VerifiedReference struct {
	URI  string
	Type string
	// Element is parsed from the canonical bytes the digest covered.
	Element   *etree.Element
	Canonical []byte
}

// VerifiedSignature is the result of VerifyReferences.
type VerifiedSignature struct {
	References      []VerifiedReference
	Certificate     *x509.Certificate
	Chains          [][]*x509.Certificate
	SignatureMethod string
}

// VerifyReferences verifies a detached or enveloping Signature element of doc
// whose References all designate elements of the same document by "#ID", each
// with the single transform exc-c14n. maxRefs caps the number of References.
// Every ID in the document must be unique.
func (v *Verifier) VerifyReferences(doc *etree.Document, sig *etree.Element, maxRefs int) (*VerifiedSignature, error) {
	ids, err := CollectIDs(doc.Root())
	if err != nil {
		return nil, err
	}
	si, err := v.checkSignature(sig, true)
	if err != nil {
		return nil, err
	}
	if len(si.refs) == 0 || len(si.refs) > maxRefs {
		return nil, rejectf(ReasonStructure, "%d References, want 1..%d", len(si.refs), maxRefs)
	}
	out := &VerifiedSignature{Certificate: si.cert, Chains: si.chains, SignatureMethod: si.sigAlg}
	seen := map[string]bool{}
	for _, ref := range si.refs {
		if !strings.HasPrefix(ref.uri, "#") || len(ref.uri) < 2 {
			return nil, rejectf(ReasonStructure, "Reference URI %q is not a same-document ID reference", ref.uri)
		}
		if seen[ref.uri] {
			return nil, rejectf(ReasonStructure, "two References to %s", ref.uri)
		}
		seen[ref.uri] = true
		target := ids[ref.uri[1:]]
		if target == nil {
			return nil, rejectf(ReasonStructure, "Reference URI %q designates no element", ref.uri)
		}
		if contains(target, sig) {
			return nil, rejectf(ReasonStructure, "Reference %q covers its own Signature without the enveloped transform", ref.uri)
		}
		if !slices.Equal(ref.transforms, []string{AlgExcC14N}) {
			return nil, rejectf(ReasonStructure, "Reference %q transforms %v, want [exc-c14n]", ref.uri, ref.transforms)
		}
		c, err := Canonicalize(target, C14NOptions{PrefixList: ref.prefixList})
		if err != nil {
			return nil, rejectErr(ReasonMalformed, err, "canonicalising %s", ref.uri)
		}
		if err := checkDigest(ref, c); err != nil {
			return nil, err
		}
		parsed, err := Parse(c)
		if err != nil {
			return nil, rejectErr(ReasonMalformed, err, "re-reading %s", ref.uri)
		}
		out.References = append(out.References, VerifiedReference{URI: ref.uri, Type: ref.typ, Element: parsed.Root(), Canonical: c})
	}
	if err := si.verifyValue(); err != nil {
		return nil, err
	}
	v.remember(si)
	return out, nil
}

// CollectIDs maps every ID-like attribute value (local name ID or Id in any
// namespace, e.g. SAML ID, ds/XAdES Id, wsu:Id; and xml:id) to its element,
// and rejects duplicates. An unprefixed lowercase id is not an ID: in the
// DMP's IHE XDS.b messages, ebRIM ExtrinsicObject/@id and the
// ProvideAndRegister Document/@id carry the same value by design (they are
// xs:anyURI links), so counting them would reject every TD2.1 request; a
// Reference can therefore never resolve through such an attribute either.
func CollectIDs(root *etree.Element) (map[string]*etree.Element, error) {
	ids := map[string]*etree.Element{}
	var dup string
	walk(root, func(e *etree.Element) {
		for _, a := range e.Attr {
			idAttr := a.Key == "ID" || a.Key == "Id" || (a.Key == "id" && a.Space == "xml")
			if a.Space == "xmlns" || !idAttr {
				continue
			}
			if _, ok := ids[a.Value]; ok && dup == "" {
				dup = a.Value
			}
			ids[a.Value] = e
		}
	})
	if dup != "" {
		return nil, rejectf(ReasonStructure, "duplicate ID %q in the document", dup)
	}
	return ids, nil
}

func walk(el *etree.Element, f func(*etree.Element)) {
	f(el)
	for _, c := range el.Child {
		if c, ok := c.(*etree.Element); ok {
			walk(c, f)
		}
	}
}

type refInfo struct {
	uri, typ   string
	transforms []string
	prefixList []string
	digestAlg  string
	digest     []byte
}

type signedInfo struct {
	el         *etree.Element
	prefixList []string
	sigAlg     string
	refs       []refInfo
	value      []byte
	cert       *x509.Certificate
	chains     [][]*x509.Certificate
	// newChain is the chain verification to cache once the signature holds
	// (nil when it came from the cache).
	newChain *chainEntry
}

// dsChildren returns the element children of el, requiring each to be in the
// XMLDSig namespace, and refuses comments, processing instructions and
// non-whitespace text between them.
func dsChildren(el *etree.Element) ([]*etree.Element, error) {
	var out []*etree.Element
	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.Element:
			out = append(out, t)
		case *etree.CharData:
			if !t.IsWhitespace() {
				return nil, rejectf(ReasonStructure, "text inside <%s>", el.FullTag())
			}
		default:
			return nil, rejectf(ReasonStructure, "comment or processing instruction inside <%s>", el.FullTag())
		}
	}
	return out, nil
}

func expect(el *etree.Element, local string) error {
	if !Is(el, NamespaceDSig, local) {
		return rejectf(ReasonStructure, "unexpected <%s>, want ds:%s", el.FullTag(), local)
	}
	return nil
}

// textOnly returns the text of el, refusing child elements, comments and PIs
// (a comment inside DigestValue is an attack on other verifiers).
func textOnly(el *etree.Element) (string, error) {
	var sb strings.Builder
	for _, t := range el.Child {
		cd, ok := t.(*etree.CharData)
		if !ok {
			return "", rejectf(ReasonStructure, "<%s> must contain text only", el.FullTag())
		}
		sb.WriteString(cd.Data)
	}
	return sb.String(), nil
}

func decodeB64(el *etree.Element) ([]byte, error) {
	s, err := textOnly(el)
	if err != nil {
		return nil, err
	}
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, rejectErr(ReasonStructure, err, "<%s> is not base64", el.FullTag())
	}
	return b, nil
}

func algorithmAttr(el *etree.Element) (string, error) {
	a := el.SelectAttr("Algorithm")
	if a == nil || a.Space != "" {
		return "", rejectf(ReasonStructure, "<%s> has no Algorithm", el.FullTag())
	}
	return a.Value, nil
}

// inclusivePrefixes reads an optional ec:InclusiveNamespaces child.
func inclusivePrefixes(method *etree.Element) ([]string, error) {
	var list []string
	for _, t := range method.Child {
		switch t := t.(type) {
		case *etree.Element:
			if list != nil || !Is(t, AlgExcC14N, "InclusiveNamespaces") || len(t.Child) > 0 {
				return nil, rejectf(ReasonStructure, "unexpected <%s> in <%s>", t.FullTag(), method.FullTag())
			}
			list = strings.Fields(t.SelectAttrValue("PrefixList", ""))
			if list == nil {
				list = []string{}
			}
		case *etree.CharData:
			if !t.IsWhitespace() {
				return nil, rejectf(ReasonStructure, "text inside <%s>", method.FullTag())
			}
		default:
			return nil, rejectf(ReasonStructure, "comment inside <%s>", method.FullTag())
		}
	}
	return list, nil
}

// checkSignature validates the shape of a Signature element, its algorithms
// and its certificate. allowObjects permits trailing ds:Object children.
func (v *Verifier) checkSignature(sig *etree.Element, allowObjects bool) (*signedInfo, error) {
	kids, err := dsChildren(sig)
	if err != nil {
		return nil, err
	}
	if len(kids) < 3 {
		return nil, rejectf(ReasonStructure, "Signature needs SignedInfo, SignatureValue and KeyInfo")
	}
	if err := expect(kids[0], "SignedInfo"); err != nil {
		return nil, err
	}
	if err := expect(kids[1], "SignatureValue"); err != nil {
		return nil, err
	}
	if err := expect(kids[2], "KeyInfo"); err != nil {
		return nil, err
	}
	for _, k := range kids[3:] {
		if !allowObjects {
			return nil, rejectf(ReasonStructure, "unexpected <%s> in an enveloped Signature", k.FullTag())
		}
		if err := expect(k, "Object"); err != nil {
			return nil, err
		}
	}
	si := &signedInfo{el: kids[0]}
	if si.value, err = decodeB64(kids[1]); err != nil {
		return nil, err
	}
	if err := v.parseSignedInfo(si); err != nil {
		return nil, err
	}
	if err := v.checkKeyInfo(si, kids[2]); err != nil {
		return nil, err
	}
	return si, nil
}

func (v *Verifier) parseSignedInfo(si *signedInfo) error {
	kids, err := dsChildren(si.el)
	if err != nil {
		return err
	}
	if len(kids) < 3 {
		return rejectf(ReasonStructure, "SignedInfo needs CanonicalizationMethod, SignatureMethod and a Reference")
	}
	if err := expect(kids[0], "CanonicalizationMethod"); err != nil {
		return err
	}
	if alg, err := algorithmAttr(kids[0]); err != nil {
		return err
	} else if alg != AlgExcC14N {
		return rejectf(ReasonAlgorithm, "canonicalisation %q is not allowed (exc-c14n only)", alg)
	}
	if si.prefixList, err = inclusivePrefixes(kids[0]); err != nil {
		return err
	}
	if err := expect(kids[1], "SignatureMethod"); err != nil {
		return err
	}
	if len(kids[1].Child) > 0 {
		return rejectf(ReasonStructure, "SignatureMethod must be empty")
	}
	if si.sigAlg, err = algorithmAttr(kids[1]); err != nil {
		return err
	}
	if _, ok := signatureAlgs[si.sigAlg]; !ok || !slices.Contains(v.AllowedSignatureAlgorithms(), si.sigAlg) {
		return rejectf(ReasonAlgorithm, "signature method %q is not allowed%s", si.sigAlg, sha1Hint(si.sigAlg, v.AllowSHA1))
	}
	const maxRefs = 16
	if len(kids)-2 > maxRefs {
		return rejectf(ReasonStructure, "more than %d References", maxRefs)
	}
	for _, r := range kids[2:] {
		ref, err := v.parseReference(r)
		if err != nil {
			return err
		}
		si.refs = append(si.refs, ref)
	}
	return nil
}

func (v *Verifier) parseReference(r *etree.Element) (refInfo, error) {
	var ref refInfo
	if err := expect(r, "Reference"); err != nil {
		return ref, err
	}
	for _, a := range r.Attr {
		switch {
		case a.Space == "" && a.Key == "URI":
			ref.uri = a.Value
		case a.Space == "" && a.Key == "Type":
			ref.typ = a.Value
		case a.Space == "" && a.Key == "Id":
		default:
			return ref, rejectf(ReasonStructure, "unexpected attribute %s on Reference", a.FullKey())
		}
	}
	if r.SelectAttr("URI") == nil || ref.uri == "" {
		return ref, rejectf(ReasonStructure, "Reference without a URI")
	}
	kids, err := dsChildren(r)
	if err != nil {
		return ref, err
	}
	i := 0
	if i < len(kids) && Is(kids[i], NamespaceDSig, "Transforms") {
		tks, err := dsChildren(kids[i])
		if err != nil {
			return ref, err
		}
		if len(tks) == 0 {
			return ref, rejectf(ReasonStructure, "empty Transforms")
		}
		for _, t := range tks {
			if err := expect(t, "Transform"); err != nil {
				return ref, err
			}
			alg, err := algorithmAttr(t)
			if err != nil {
				return ref, err
			}
			switch alg {
			case AlgEnveloped:
				if len(t.Child) > 0 {
					return ref, rejectf(ReasonStructure, "enveloped-signature transform must be empty")
				}
			case AlgExcC14N:
				if ref.prefixList, err = inclusivePrefixes(t); err != nil {
					return ref, err
				}
			default:
				return ref, rejectf(ReasonAlgorithm, "transform %q is not allowed", alg)
			}
			ref.transforms = append(ref.transforms, alg)
		}
		if len(tks) > 2 {
			return ref, rejectf(ReasonStructure, "%d transforms (at most 2 allowed)", len(tks))
		}
		i++
	}
	if len(kids) != i+2 {
		return ref, rejectf(ReasonStructure, "Reference needs exactly DigestMethod and DigestValue after Transforms")
	}
	if err := expect(kids[i], "DigestMethod"); err != nil {
		return ref, err
	}
	if len(kids[i].Child) > 0 {
		return ref, rejectf(ReasonStructure, "DigestMethod must be empty")
	}
	if ref.digestAlg, err = algorithmAttr(kids[i]); err != nil {
		return ref, err
	}
	if _, ok := digestAlgs[ref.digestAlg]; !ok || !slices.Contains(v.AllowedDigestAlgorithms(), ref.digestAlg) {
		return ref, rejectf(ReasonAlgorithm, "digest method %q is not allowed%s", ref.digestAlg, sha1Hint(ref.digestAlg, v.AllowSHA1))
	}
	if err := expect(kids[i+1], "DigestValue"); err != nil {
		return ref, err
	}
	if ref.digest, err = decodeB64(kids[i+1]); err != nil {
		return ref, err
	}
	return ref, nil
}

func (v *Verifier) checkKeyInfo(si *signedInfo, ki *etree.Element) error {
	kids, err := dsChildren(ki)
	if err != nil {
		return err
	}
	if len(kids) != 1 || !Is(kids[0], NamespaceDSig, "X509Data") {
		return rejectf(ReasonCertificate, "KeyInfo must hold exactly one X509Data")
	}
	certEls, err := dsChildren(kids[0])
	if err != nil {
		return err
	}
	if len(certEls) == 0 || len(certEls) > 8 {
		return rejectf(ReasonCertificate, "X509Data must hold 1 to 8 X509Certificate elements")
	}
	if v.Roots == nil {
		return rejectf(ReasonCertificate, "no trust anchors configured")
	}
	// Every X509Certificate must be exactly one well-formed certificate: a
	// certificate split over two elements, or followed by extra bytes, is
	// refused before any cache lookup.
	certs := make([]*x509.Certificate, 0, len(certEls))
	for i, c := range certEls {
		if err := expect(c, "X509Certificate"); err != nil {
			return rejectf(ReasonCertificate, "X509Data may only hold X509Certificate elements")
		}
		der, err := decodeB64(c)
		if err != nil {
			return err
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return rejectErr(ReasonCertificate, err, "X509Certificate %d of KeyInfo is not one well-formed DER certificate", i+1)
		}
		certs = append(certs, cert)
	}
	if !v.AllowAnyKeyUsage {
		if err := checkSignerUsage(certs[0]); err != nil {
			return err
		}
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	at := now()
	key := chainKey(certs)
	if chains, ok := v.chains.get(key, at); ok {
		si.cert, si.chains = certs[0], chains
		return nil
	}
	inter := x509.NewCertPool()
	if v.Intermediates != nil {
		inter = v.Intermediates.Clone()
	}
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	usages := v.KeyUsages
	if len(usages) == 0 {
		usages = []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
	}
	chains, err := certs[0].Verify(x509.VerifyOptions{Roots: v.Roots, Intermediates: inter, CurrentTime: at, KeyUsages: usages})
	if err != nil {
		return rejectErr(ReasonCertificate, err, "certificate %q", certs[0].Subject.String())
	}
	si.cert, si.chains, si.newChain = certs[0], chains, newChainEntry(key, chains)
	return nil
}

// AllowedSignatureAlgorithms returns the SignatureMethod URIs v accepts.
func (v *Verifier) AllowedSignatureAlgorithms() []string {
	return v.allowed(v.SignatureAlgorithms, DefaultSignatureAlgorithms, sha1SignatureAlgorithms)
}

// AllowedDigestAlgorithms returns the DigestMethod URIs v accepts (for
// References, and for the digests callers check themselves, such as a
// XAdES Manifest).
func (v *Verifier) AllowedDigestAlgorithms() []string {
	return v.allowed(v.DigestAlgorithms, DefaultDigestAlgorithms, sha1DigestAlgorithms)
}

func (v *Verifier) allowed(list []string, dflt func() []string, sha1 []string) []string {
	if list == nil {
		list = dflt()
	}
	if v.AllowSHA1 {
		list = append(slices.Clip(list), sha1...)
	}
	return list
}

// sha1Hint tells how to accept a SHA-1 algorithm that was refused.
func sha1Hint(alg string, allowed bool) string {
	if !allowed && (slices.Contains(sha1SignatureAlgorithms, alg) || slices.Contains(sha1DigestAlgorithms, alg)) {
		return ": sign with SHA-256, or set Verifier.AllowSHA1 for legacy tokens"
	}
	return ""
}

// checkSignerUsage refuses a leaf certificate that is not meant to sign
// documents (see Verifier.AllowAnyKeyUsage).
func checkSignerUsage(c *x509.Certificate) error {
	if c.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		return rejectf(ReasonCertificate, "certificate %q allows neither digitalSignature nor nonRepudiation: sign with a signature or authentication certificate", c.Subject.String())
	}
	if len(c.ExtKeyUsage) == 0 || len(c.UnknownExtKeyUsage) > 0 {
		return nil
	}
	for _, u := range c.ExtKeyUsage {
		switch u {
		case x509.ExtKeyUsageAny, x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageEmailProtection:
			return nil
		}
	}
	return rejectf(ReasonCertificate, "certificate %q is for %s only, not for signing documents: sign with a signature or authentication certificate", c.Subject.String(), extKeyUsageNames(c.ExtKeyUsage))
}

func extKeyUsageNames(us []x509.ExtKeyUsage) string {
	names := map[x509.ExtKeyUsage]string{
		x509.ExtKeyUsageServerAuth: "serverAuth", x509.ExtKeyUsageCodeSigning: "codeSigning",
		x509.ExtKeyUsageTimeStamping: "timeStamping", x509.ExtKeyUsageOCSPSigning: "OCSPSigning",
	}
	var out []string
	for _, u := range us {
		n, ok := names[u]
		if !ok {
			n = fmt.Sprintf("extKeyUsage(%d)", int(u))
		}
		out = append(out, n)
	}
	return strings.Join(out, ", ")
}

// remember caches the chain of a signature that verified.
func (v *Verifier) remember(si *signedInfo) {
	if si.newChain == nil {
		return
	}
	size := v.ChainCacheSize
	if size == 0 {
		size = DefaultChainCacheSize
	}
	v.chains.add(si.newChain, size)
}

func checkDigest(ref refInfo, canonical []byte) error {
	h := digestAlgs[ref.digestAlg]
	hh := h.New()
	hh.Write(canonical)
	if subtle.ConstantTimeCompare(hh.Sum(nil), ref.digest) != 1 {
		return rejectf(ReasonDigest, "digest of %s does not match", ref.uri)
	}
	return nil
}

// verifyValue checks SignatureValue over the canonical SignedInfo.
func (si *signedInfo) verifyValue() error {
	c, err := Canonicalize(si.el, C14NOptions{PrefixList: si.prefixList})
	if err != nil {
		return rejectErr(ReasonMalformed, err, "canonicalising SignedInfo")
	}
	alg := signatureAlgs[si.sigAlg]
	h := alg.hash.New()
	h.Write(c)
	return verifyRaw(si.cert.PublicKey, alg, h.Sum(nil), si.value)
}

func verifyRaw(pub crypto.PublicKey, alg sigAlg, digest, value []byte) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if alg.kind != kindRSA {
			return rejectf(ReasonAlgorithm, "RSA key with a non-RSA signature method")
		}
		if k.N.BitLen() < minRSABits {
			return rejectf(ReasonCertificate, "RSA key of %d bits (minimum %d)", k.N.BitLen(), minRSABits)
		}
		if err := rsa.VerifyPKCS1v15(k, alg.hash, digest, value); err != nil {
			return rejectErr(ReasonSignature, err, "SignatureValue does not verify")
		}
	case *ecdsa.PublicKey:
		if alg.kind != kindECDSA {
			return rejectf(ReasonAlgorithm, "ECDSA key with a non-ECDSA signature method")
		}
		n := (k.Curve.Params().BitSize + 7) / 8
		if len(value) != 2*n {
			return rejectf(ReasonSignature, "ECDSA SignatureValue of %d bytes, want %d", len(value), 2*n)
		}
		r, s := new(big.Int).SetBytes(value[:n]), new(big.Int).SetBytes(value[n:])
		if !ecdsa.Verify(k, digest, r, s) {
			return rejectf(ReasonSignature, "SignatureValue does not verify")
		}
	default:
		return rejectf(ReasonCertificate, "unsupported public key %T", pub)
	}
	return nil
}

// DigestBytes returns the base64 digest of b with the DigestMethod uri.
func DigestBytes(uri string, b []byte) (string, error) {
	h, ok := digestAlgs[uri]
	if !ok {
		return "", rejectf(ReasonAlgorithm, "digest method %q is not implemented", uri)
	}
	hh := h.New()
	hh.Write(b)
	return base64.StdEncoding.EncodeToString(hh.Sum(nil)), nil
}
