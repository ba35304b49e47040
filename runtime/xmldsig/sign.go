package xmldsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/beevik/etree"
)

// Signer produces XML signatures with exclusive c14n.
//
// The key is used through crypto.SignMessage: a key that implements
// crypto.MessageSigner (a CPS3 signature key that finishes the hash on the
// card) receives the whole canonical SignedInfo, any other crypto.Signer
// receives its digest.
type Signer struct {
	// Key signs; its public key selects RSA or ECDSA.
	Key crypto.Signer
	// Certificates go into KeyInfo/X509Data, leaf first. The leaf must match Key.
	Certificates []*x509.Certificate
	// Hash is the digest and signature hash: crypto.SHA256 when zero; crypto.SHA1
	// for older DMP endpoints (RSA-SHA1).
	Hash crypto.Hash
	// PrefixList, when set, is written as InclusiveNamespaces on the exc-c14n
	// Reference transform. Name only prefixes declared inside the signed element.
	PrefixList []string
	// Prefix is the XMLDSig namespace prefix; "" uses a default namespace
	// declaration as the DMP samples do.
	Prefix string
	// Rand is the randomness for ECDSA; crypto/rand when nil.
	Rand io.Reader
}

// Reference is one ds:Reference to produce.
type Reference struct {
	// URI is written as Reference/@URI, e.g. "#" + the target's ID.
	URI string
	// Type is the optional Reference/@Type.
	Type string
	// Target is the element the URI designates. It is canonicalised in place
	// (its ancestors' namespaces are in scope).
	Target *etree.Element
	// Enveloped adds the enveloped-signature transform: the Signature being
	// produced is excluded from Target's canonical form.
	Enveloped bool
}

func (s *Signer) hash() crypto.Hash {
	if s.Hash == 0 {
		return crypto.SHA256
	}
	return s.Hash
}

func (s *Signer) qname(local string) string {
	if s.Prefix == "" {
		return local
	}
	return s.Prefix + ":" + local
}

// NewSignatureElement returns an empty Signature element declaring the XMLDSig
// namespace, to be placed in the tree before calling Sign.
func (s *Signer) NewSignatureElement() *etree.Element {
	sig := etree.NewElement(s.qname("Signature"))
	if s.Prefix == "" {
		sig.CreateAttr("xmlns", NamespaceDSig)
	} else {
		sig.CreateAttr("xmlns:"+s.Prefix, NamespaceDSig)
	}
	return sig
}

// SignEnveloped signs el with an enveloped signature referencing "#"+id. The
// Signature is inserted right after the child element after (e.g. saml2:Issuer),
// or as the first child when after is nil.
func (s *Signer) SignEnveloped(el *etree.Element, id string, after *etree.Element) error {
	if id == "" {
		return errors.New("xmldsig: enveloped signature needs the element's ID")
	}
	sig := s.NewSignatureElement()
	if after != nil {
		if after.Parent() != el {
			return fmt.Errorf("xmldsig: <%s> is not a child of <%s>", after.FullTag(), el.FullTag())
		}
		el.InsertChildAt(after.Index()+1, sig)
	} else {
		el.InsertChildAt(0, sig)
	}
	if err := s.Sign(sig, Reference{URI: "#" + id, Target: el, Enveloped: true}); err != nil {
		el.RemoveChild(sig)
		return err
	}
	return nil
}

// Sign fills sig (an empty Signature element already in its final place in the
// tree) with SignedInfo over refs, SignatureValue and KeyInfo. Existing
// children of sig (ds:Object elements) are kept after KeyInfo.
func (s *Signer) Sign(sig *etree.Element, refs ...Reference) error {
	if s.Key == nil {
		return errors.New("xmldsig: Signer.Key is nil")
	}
	if len(refs) == 0 {
		return errors.New("xmldsig: nothing to sign")
	}
	h := s.hash()
	sigAlg, err := SignatureAlgorithm(s.Key.Public(), h)
	if err != nil {
		return err
	}
	digAlg, err := DigestAlgorithm(h)
	if err != nil {
		return err
	}
	if len(s.Certificates) > 0 && !publicKeysEqual(s.Certificates[0].PublicKey, s.Key.Public()) {
		return errors.New("xmldsig: the first certificate does not match the signing key")
	}

	si := etree.NewElement(s.qname("SignedInfo"))
	cm := si.CreateElement(s.qname("CanonicalizationMethod"))
	cm.CreateAttr("Algorithm", AlgExcC14N)
	si.CreateElement(s.qname("SignatureMethod")).CreateAttr("Algorithm", sigAlg)
	for _, r := range refs {
		if r.Target == nil {
			return fmt.Errorf("xmldsig: reference %q has no target", r.URI)
		}
		if err := s.checkPrefixList(r.Target); err != nil {
			return err
		}
		opts := C14NOptions{PrefixList: s.PrefixList}
		if r.Enveloped {
			opts.Exclude = sig
		} else if contains(r.Target, sig) {
			return fmt.Errorf("xmldsig: reference %q contains the signature but is not enveloped", r.URI)
		}
		c, err := Canonicalize(r.Target, opts)
		if err != nil {
			return fmt.Errorf("xmldsig: reference %q: %w", r.URI, err)
		}
		hh := h.New()
		hh.Write(c)
		ref := si.CreateElement(s.qname("Reference"))
		ref.CreateAttr("URI", r.URI)
		if r.Type != "" {
			ref.CreateAttr("Type", r.Type)
		}
		tr := ref.CreateElement(s.qname("Transforms"))
		if r.Enveloped {
			tr.CreateElement(s.qname("Transform")).CreateAttr("Algorithm", AlgEnveloped)
		}
		exc := tr.CreateElement(s.qname("Transform"))
		exc.CreateAttr("Algorithm", AlgExcC14N)
		if len(s.PrefixList) > 0 {
			in := exc.CreateElement("ec:InclusiveNamespaces")
			in.CreateAttr("xmlns:ec", AlgExcC14N)
			in.CreateAttr("PrefixList", strings.Join(s.PrefixList, " "))
		}
		ref.CreateElement(s.qname("DigestMethod")).CreateAttr("Algorithm", digAlg)
		ref.CreateElement(s.qname("DigestValue")).SetText(base64.StdEncoding.EncodeToString(hh.Sum(nil)))
	}
	sig.InsertChildAt(0, si)
	c, err := Canonicalize(si, C14NOptions{})
	if err != nil {
		sig.RemoveChild(si)
		return fmt.Errorf("xmldsig: SignedInfo: %w", err)
	}
	value, err := signMessage(s.Key, s.Rand, c, h)
	if err != nil {
		sig.RemoveChild(si)
		return err
	}
	sv := etree.NewElement(s.qname("SignatureValue"))
	sv.SetText(base64.StdEncoding.EncodeToString(value))
	sig.InsertChildAt(1, sv)
	if len(s.Certificates) > 0 {
		ki := etree.NewElement(s.qname("KeyInfo"))
		xd := ki.CreateElement(s.qname("X509Data"))
		for _, cert := range s.Certificates {
			xd.CreateElement(s.qname("X509Certificate")).SetText(base64.StdEncoding.EncodeToString(cert.Raw))
		}
		sig.InsertChildAt(2, ki)
	}
	return nil
}

// checkPrefixList refuses PrefixList prefixes bound outside target: the
// signature would then depend on the document the signed element is later
// inserted into (the SOAP envelope), and break there.
func (s *Signer) checkPrefixList(target *etree.Element) error {
	if target.Parent() == nil {
		return nil
	}
	for _, p := range s.PrefixList {
		name := p
		if p == "#default" {
			name = ""
		}
		if resolvePrefix(target.Parent(), name) != "" {
			return fmt.Errorf("xmldsig: PrefixList names %q, which is bound outside the signed element <%s>", p, target.FullTag())
		}
	}
	return nil
}

// signMessage signs msg through crypto.SignMessage and converts ECDSA
// signatures to the XMLDSig r||s form.
func signMessage(key crypto.Signer, rnd io.Reader, msg []byte, h crypto.Hash) ([]byte, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	value, err := crypto.SignMessage(key, rnd, msg, h)
	if err != nil {
		return nil, fmt.Errorf("xmldsig: signing: %w", err)
	}
	if pub, ok := key.Public().(*ecdsa.PublicKey); ok {
		var sig struct{ R, S *big.Int }
		if _, err := asn1.Unmarshal(value, &sig); err != nil {
			return nil, fmt.Errorf("xmldsig: ECDSA signature is not ASN.1: %w", err)
		}
		n := (pub.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*n)
		sig.R.FillBytes(out[:n])
		sig.S.FillBytes(out[n:])
		return out, nil
	}
	return value, nil
}

func contains(root, el *etree.Element) bool {
	for e := el; e != nil; e = e.Parent() {
		if e == root {
			return true
		}
	}
	return false
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if e, ok := a.(equaler); ok {
		return e.Equal(b)
	}
	return false
}
