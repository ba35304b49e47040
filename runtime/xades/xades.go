// Package xades produces and checks the IHE DSG / XAdES-BES signature
// document that TD2.1 (ProvideAndRegisterDocumentSet-b) submits with the
// documents it publishes: an enveloping ds:Signature whose Manifest lists one
// digest per submitted document (Reference URI "urn:oid:" + the document's
// XDS uniqueId), with the purpose-of-signature SignatureProperty and XAdES
// SignedProperties (SigningTime, SigningCertificate).
//
// Signing goes through runtime/xmldsig, so the key can be a CPS card
// (runtime/pkcs11) that hashes on the card. Metadata returns the XDS
// metadata values of the signature document for the XDS layer.
package xades

import (
	"crypto"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/dmpgen/dmpgen/runtime/uuid"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
)

// Namespaces and identifiers.
const (
	// NamespaceXAdES is XAdES v1.1.1, the version of the DMP kit schema
	// (kit-2.06.01-library-schemas/XAdES.xsd) and of the TD2.1 sample.
	NamespaceXAdES = "http://uri.etsi.org/01903/v1.1.1#"
	// TypeSignedProperties is the Reference Type of SignedProperties.
	TypeSignedProperties = NamespaceXAdES + "SignedProperties"
	// TypeManifest is the Reference Type of a Manifest.
	TypeManifest = xmldsig.NamespaceDSig + "Manifest"
	// ManifestID is the Id of the Manifest, as in IHE DSG and the TD2.1 sample.
	ManifestID = "IHEManifest"
	// PurposeSource is the purposeOfSignature of a submission-set signature
	// (ASTM E1762 "Author's signature"/source, 1.2.840.10065.1.12.1.14).
	PurposeSource = "1.2.840.10065.1.12.1.14"
)

// Document is one submitted document.
type Document struct {
	// UniqueID is the XDS DocumentEntry uniqueId (an OID).
	UniqueID string
	// Content is the exact bytes sent as the attachment.
	Content []byte
}

// Options configure Sign.
type Options struct {
	// Signer holds the key, the certificate chain (leaf first; required for
	// SigningCertificate) and the hash (SHA-256 by default).
	Signer xmldsig.Signer
	// Now is the clock for SigningTime; time.Now when nil.
	Now func() time.Time
	// Rand is the source of the signature Id; crypto/rand when nil.
	Rand io.Reader
}

// Result is a signed signature document.
type Result struct {
	// Bytes is the signature document, the attachment to send.
	Bytes       []byte
	SignatureID string
	SigningTime time.Time
}

// Sign builds and signs the signature document over docs.
func Sign(docs []Document, o Options) (*Result, error) {
	if len(docs) == 0 {
		return nil, errors.New("xades: no document to sign")
	}
	if len(o.Signer.Certificates) == 0 {
		return nil, errors.New("xades: the signing certificate is required (SigningCertificate)")
	}
	h := o.Signer.Hash
	if h == 0 {
		h = crypto.SHA256
	}
	digAlg, err := xmldsig.DigestAlgorithm(h)
	if err != nil {
		return nil, fmt.Errorf("xades: %w", err)
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	rnd := o.Rand
	if rnd == nil {
		rnd = rand.Reader
	}
	u, err := uuid.New(rnd)
	if err != nil {
		return nil, fmt.Errorf("xades: signature Id: %w", err)
	}
	sigID := "sig-" + u.String()
	signer := o.Signer
	signer.Prefix = "ds"
	signer.PrefixList = nil

	sig := signer.NewSignatureElement()
	sig.CreateAttr("Id", sigID)

	// Manifest: one digest per document.
	manifest := sig.CreateElement("ds:Object").CreateElement("ds:Manifest")
	manifest.CreateAttr("Id", ManifestID)
	seen := map[string]bool{}
	for _, d := range docs {
		if d.UniqueID == "" || strings.ContainsAny(d.UniqueID, " \t\r\n") {
			return nil, fmt.Errorf("xades: document uniqueId %q is empty or has blanks", d.UniqueID)
		}
		if seen[d.UniqueID] {
			return nil, fmt.Errorf("xades: document uniqueId %s listed twice", d.UniqueID)
		}
		seen[d.UniqueID] = true
		ref := manifest.CreateElement("ds:Reference")
		ref.CreateAttr("URI", "urn:oid:"+d.UniqueID)
		ref.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", digAlg)
		hh := h.New()
		hh.Write(d.Content)
		ref.CreateElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(hh.Sum(nil)))
	}

	// The purpose of signature, in the form of the TD2.1 example: no-namespace
	// SignatureProperties/SignatureProperty holding the purpose OID as text
	// (ds:SignatureProperty would need an element child to be schema-valid).
	props := sig.CreateElement("ds:Object").CreateElement("SignatureProperties")
	props.CreateAttr("xmlns", "")
	props.CreateAttr("Id", sigID+"-SignatureProperties")
	purpose := props.CreateElement("SignatureProperty")
	purpose.CreateAttr("Id", sigID+"-purposeOfSignature")
	purpose.CreateAttr("Target", "#"+sigID)
	purpose.SetText(PurposeSource)

	signingTime := now()
	qp := sig.CreateElement("ds:Object").CreateElement("xad:QualifyingProperties")
	qp.CreateAttr("xmlns:xad", NamespaceXAdES)
	qp.CreateAttr("Target", "#"+sigID)
	sp := qp.CreateElement("xad:SignedProperties")
	sp.CreateAttr("Id", sigID+"-SignedProperties")
	ssp := sp.CreateElement("xad:SignedSignatureProperties")
	ssp.CreateElement("xad:SigningTime").SetText(signingTime.UTC().Format("2006-01-02T15:04:05.000Z"))
	certEl := ssp.CreateElement("xad:SigningCertificate").CreateElement("xad:Cert")
	leaf := o.Signer.Certificates[0]
	cd := certEl.CreateElement("xad:CertDigest")
	cd.CreateElement("xad:DigestMethod").CreateAttr("Algorithm", digAlg)
	ch := h.New()
	ch.Write(leaf.Raw)
	cd.CreateElement("xad:DigestValue").SetText(base64.StdEncoding.EncodeToString(ch.Sum(nil)))
	is := certEl.CreateElement("xad:IssuerSerial")
	is.CreateElement("ds:X509IssuerName").SetText(leaf.Issuer.String())
	is.CreateElement("ds:X509SerialNumber").SetText(leaf.SerialNumber.String())
	ssp.CreateElement("xad:SignaturePolicyIdentifier").CreateElement("xad:SignaturePolicyImplied")

	doc := etree.NewDocument()
	doc.SetRoot(sig)
	err = signer.Sign(sig,
		xmldsig.Reference{URI: "#" + ManifestID, Type: TypeManifest, Target: manifest},
		xmldsig.Reference{URI: "#" + sigID + "-SignatureProperties", Target: props},
		xmldsig.Reference{URI: "#" + sigID + "-SignedProperties", Type: TypeSignedProperties, Target: sp},
	)
	if err != nil {
		return nil, fmt.Errorf("xades: %w", err)
	}
	return &Result{Bytes: xmldsig.Serialize(sig), SignatureID: sigID, SigningTime: signingTime}, nil
}
