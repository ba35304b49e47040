package xades

import (
	"crypto/subtle"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
)

// DefaultClockSkew is the tolerance on SigningTime when Policy.ClockSkew is zero.
const DefaultClockSkew = 2 * time.Minute

// DefaultPurposes returns the purposes of signature a Policy accepts when
// its Purposes are nil: "Source" (PurposeSource), the purpose of the DMP's
// TD2.1 submission-set signature and of IHE DSG's.
func DefaultPurposes() []string { return []string{PurposeSource} }

// ASTMPurposes returns the 18 signature purposes of ASTM E1762
// (1.2.840.10065.1.12.1.1 author … .18 timestamp), the code system IHE DSG
// takes them from, for a relying party that accepts them all.
func ASTMPurposes() []string {
	out := make([]string, 18)
	for i := range out {
		out[i] = fmt.Sprintf("1.2.840.10065.1.12.1.%d", i+1)
	}
	return out
}

// Policy is what a relying party requires of a signature document beyond
// its core XML signature (which the xmldsig.Verifier checks: trust anchors,
// algorithms, key usage). The zero value is the strict default; every rule
// can be relaxed by its named field.
type Policy struct {
	// Now is the clock SigningTime is compared with: the Verifier's Now
	// when nil, else time.Now.
	Now func() time.Time
	// ClockSkew is the tolerance on SigningTime: DefaultClockSkew when zero,
	// none when negative.
	ClockSkew time.Duration
	// AllowAnySigningTime accepts a SigningTime outside the signing
	// certificate's validity or in the future.
	AllowAnySigningTime bool
	// Purposes are the purposes of signature (OIDs) accepted, read from the
	// signed purposeOfSignature SignatureProperty and from any XAdES
	// CommitmentTypeIndication: DefaultPurposes when nil.
	Purposes []string
	// AllowNoPurpose accepts a signature that states no signed purpose (the
	// kit's TD2.1 sample leaves its SignatureProperties unsigned).
	AllowNoPurpose bool
}

// Verified is a checked signature document.
type Verified struct {
	SignatureID string
	Signature   *xmldsig.VerifiedSignature
	// Documents are the uniqueIds whose digests matched, in Manifest order.
	Documents   []string
	SigningTime time.Time
	// Purposes are the signed purposes of signature (OIDs).
	Purposes []string
}

// Verify checks the signature document with the default Policy: see Policy.Verify.
func Verify(sigDoc []byte, docs []Document, v *xmldsig.Verifier) (*Verified, error) {
	return (&Policy{}).Verify(sigDoc, docs, v)
}

// Verify checks the signature document: the core signature (the three
// same-document References, with v's trust anchors and allow-lists), the
// XAdES SigningCertificate against the certificate that signed, SigningTime
// within that certificate's validity and not in the future, the signed
// purposes of signature, and the Manifest: it must list exactly docs, each
// digest (an algorithm v allows) matching its content. Every refusal is an
// *Error with its Reason.
func (p *Policy) Verify(sigDoc []byte, docs []Document, v *xmldsig.Verifier) (*Verified, error) {
	if p == nil {
		p = &Policy{}
	}
	d, err := xmldsig.Parse(sigDoc)
	if err != nil {
		return nil, refuse(ReasonSignature, err, "")
	}
	root := d.Root()
	if !xmldsig.Is(root, xmldsig.NamespaceDSig, "Signature") {
		return nil, refuse(ReasonStructure, nil, "root is <%s>, want ds:Signature", root.FullTag())
	}
	vs, err := v.VerifyReferences(d, root, 3)
	if err != nil {
		return nil, refuse(ReasonSignature, err, "")
	}
	out := &Verified{SignatureID: root.SelectAttrValue("Id", ""), Signature: vs}
	var manifest, sp *etree.Element
	var props []*etree.Element
	for _, r := range vs.References {
		switch {
		case r.Type == TypeManifest && xmldsig.Is(r.Element, xmldsig.NamespaceDSig, "Manifest") && r.URI == "#"+ManifestID:
			manifest = r.Element
		case r.Type == TypeSignedProperties && xmldsig.Is(r.Element, NamespaceXAdES, "SignedProperties"):
			sp = r.Element
		case r.Element.Tag == "SignatureProperties" && (xmldsig.NamespaceOf(r.Element) == "" || xmldsig.NamespaceOf(r.Element) == xmldsig.NamespaceDSig):
			props = append(props, r.Element)
		}
	}
	if manifest == nil || sp == nil {
		return nil, refuse(ReasonStructure, nil, "the signature does not cover both the Manifest and the SignedProperties")
	}
	if err := p.checkSignedProperties(sp, vs, v, out); err != nil {
		return nil, err
	}
	if err := p.checkPurposes(props, sp, out); err != nil {
		return nil, err
	}
	if err := checkManifest(manifest, docs, v, out); err != nil {
		return nil, err
	}
	return out, nil
}

func child(el *etree.Element, ns, local string) *etree.Element {
	for _, c := range el.ChildElements() {
		if xmldsig.Is(c, ns, local) {
			return c
		}
	}
	return nil
}

func (p *Policy) checkSignedProperties(sp *etree.Element, vs *xmldsig.VerifiedSignature, v *xmldsig.Verifier, out *Verified) error {
	ssp := child(sp, NamespaceXAdES, "SignedSignatureProperties")
	if ssp == nil {
		return refuse(ReasonStructure, nil, "SignedSignatureProperties missing")
	}
	st := child(ssp, NamespaceXAdES, "SigningTime")
	if st == nil {
		return refuse(ReasonStructure, nil, "SigningTime missing")
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(st.Text()))
	if err != nil {
		return refuse(ReasonStructure, err, "SigningTime")
	}
	out.SigningTime = t
	if !p.AllowAnySigningTime {
		if err := p.checkSigningTime(t, vs.Certificate, v); err != nil {
			return err
		}
	}
	sc := child(ssp, NamespaceXAdES, "SigningCertificate")
	if sc == nil {
		return refuse(ReasonStructure, nil, "SigningCertificate missing")
	}
	allowed := v.AllowedDigestAlgorithms()
	for _, cert := range sc.ChildElements() {
		cd := child(cert, NamespaceXAdES, "CertDigest")
		if cd == nil {
			continue
		}
		dm, dv := child(cd, NamespaceXAdES, "DigestMethod"), child(cd, NamespaceXAdES, "DigestValue")
		if dm == nil || dv == nil {
			return refuse(ReasonStructure, nil, "CertDigest incomplete")
		}
		alg := dm.SelectAttrValue("Algorithm", "")
		if !slices.Contains(allowed, alg) {
			return refuse(ReasonAlgorithm, nil, "CertDigest digest method %q is not allowed%s", alg, sha1Hint(alg))
		}
		want, err := xmldsig.DigestBytes(alg, vs.Certificate.Raw)
		if err != nil {
			return refuse(ReasonAlgorithm, err, "CertDigest")
		}
		if strings.Join(strings.Fields(dv.Text()), "") == want {
			return nil
		}
	}
	return refuse(ReasonCertificate, nil, "SigningCertificate does not name the certificate that signed")
}

// checkSigningTime: within the signer certificate's validity, not in the
// future, both within the clock skew.
func (p *Policy) checkSigningTime(t time.Time, cert *x509.Certificate, v *xmldsig.Verifier) error {
	skew := p.ClockSkew
	switch {
	case skew == 0:
		skew = DefaultClockSkew
	case skew < 0:
		skew = 0
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	} else if v.Now != nil {
		now = v.Now
	}
	const layout = "2006-01-02T15:04:05Z07:00"
	if n := now(); t.After(n.Add(skew)) {
		return refuse(ReasonSigningTime, nil, "SigningTime %s is in the future (now %s): check the signer's clock", t.Format(layout), n.UTC().Format(layout))
	}
	if t.Before(cert.NotBefore.Add(-skew)) || t.After(cert.NotAfter.Add(skew)) {
		return refuse(ReasonSigningTime, nil, "SigningTime %s is outside the signing certificate's validity (%s to %s)",
			t.Format(layout), cert.NotBefore.UTC().Format(layout), cert.NotAfter.UTC().Format(layout))
	}
	return nil
}

// checkPurposes reads the purposes of signature from the signed content only:
// the purposeOfSignature SignatureProperty (IHE DSG, the TD2.1 form) and
// XAdES CommitmentTypeIndication.
func (p *Policy) checkPurposes(props []*etree.Element, sp *etree.Element, out *Verified) error {
	for _, ps := range props {
		for _, prop := range ps.ChildElements() {
			if prop.Tag != "SignatureProperty" || !strings.HasSuffix(prop.SelectAttrValue("Id", ""), "purposeOfSignature") {
				continue
			}
			if target := prop.SelectAttrValue("Target", ""); target != "#"+out.SignatureID {
				return refuse(ReasonPurpose, nil, "purposeOfSignature targets %q, not this signature (#%s)", target, out.SignatureID)
			}
			text := prop.Text()
			if kids := prop.ChildElements(); len(kids) == 1 {
				text = kids[0].Text()
			} else if len(kids) > 1 {
				return refuse(ReasonPurpose, nil, "purposeOfSignature holds %d elements", len(kids))
			}
			out.Purposes = append(out.Purposes, strings.TrimSpace(text))
		}
	}
	if sdop := child(sp, NamespaceXAdES, "SignedDataObjectProperties"); sdop != nil {
		for _, cti := range sdop.ChildElements() {
			if !xmldsig.Is(cti, NamespaceXAdES, "CommitmentTypeIndication") {
				continue
			}
			id := findNS(cti, "CommitmentTypeId", "Identifier")
			if id == nil {
				return refuse(ReasonPurpose, nil, "CommitmentTypeIndication without CommitmentTypeId/Identifier")
			}
			out.Purposes = append(out.Purposes, strings.TrimPrefix(strings.TrimSpace(id.Text()), "urn:oid:"))
		}
	}
	allowed := p.Purposes
	if allowed == nil {
		allowed = DefaultPurposes()
	}
	if len(out.Purposes) == 0 && !p.AllowNoPurpose {
		return refuse(ReasonPurpose, nil, "the signature states no signed purpose (a purposeOfSignature SignatureProperty covered by a Reference, or a CommitmentTypeIndication): sign it, e.g. %s (source)", PurposeSource)
	}
	for _, purpose := range out.Purposes {
		if !slices.Contains(allowed, purpose) {
			return refuse(ReasonPurpose, nil, "purpose of signature %q is not one this relying party accepts (%s)", purpose, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// findNS returns the XAdES grandchild path/local of el.
func findNS(el *etree.Element, path, local string) *etree.Element {
	c := child(el, NamespaceXAdES, path)
	if c == nil {
		return nil
	}
	return child(c, NamespaceXAdES, local)
}

func sha1Hint(alg string) string {
	if alg == xmldsig.AlgSHA1 {
		return ": use SHA-256, or set Verifier.AllowSHA1 for legacy signatures"
	}
	return ""
}

func checkManifest(m *etree.Element, docs []Document, v *xmldsig.Verifier, out *Verified) error {
	byID := map[string][]byte{}
	for _, d := range docs {
		byID[d.UniqueID] = d.Content
	}
	allowed := v.AllowedDigestAlgorithms()
	seen := map[string]bool{}
	for _, ref := range m.ChildElements() {
		if !xmldsig.Is(ref, xmldsig.NamespaceDSig, "Reference") {
			return refuse(ReasonStructure, nil, "unexpected <%s> in the Manifest", ref.FullTag())
		}
		uri := ref.SelectAttrValue("URI", "")
		id, ok := strings.CutPrefix(uri, "urn:oid:")
		if !ok {
			return refuse(ReasonStructure, nil, "Manifest Reference URI %q is not urn:oid:", uri)
		}
		content, ok := byID[id]
		if !ok {
			return refuse(ReasonDocuments, nil, "the Manifest signs document %s, which is not in the submission", id)
		}
		if seen[id] {
			return refuse(ReasonDocuments, nil, "document %s is listed twice in the Manifest", id)
		}
		seen[id] = true
		if child(ref, xmldsig.NamespaceDSig, "Transforms") != nil {
			return refuse(ReasonStructure, nil, "Manifest Reference %s has transforms (raw bytes expected)", uri)
		}
		dm, dv := child(ref, xmldsig.NamespaceDSig, "DigestMethod"), child(ref, xmldsig.NamespaceDSig, "DigestValue")
		if dm == nil || dv == nil {
			return refuse(ReasonStructure, nil, "Manifest Reference %s incomplete", uri)
		}
		alg := dm.SelectAttrValue("Algorithm", "")
		if !slices.Contains(allowed, alg) {
			return refuse(ReasonAlgorithm, nil, "Manifest digest method %q is not allowed%s", alg, sha1Hint(alg))
		}
		want, err := xmldsig.DigestBytes(alg, content)
		if err != nil {
			return refuse(ReasonAlgorithm, err, "Manifest digest")
		}
		got := strings.Join(strings.Fields(dv.Text()), "")
		if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return refuse(ReasonDocuments, nil, "digest of document %s does not match the Manifest", id)
		}
		out.Documents = append(out.Documents, id)
	}
	for _, d := range docs {
		if !seen[d.UniqueID] {
			return refuse(ReasonDocuments, nil, "document %s is not covered by the Manifest", d.UniqueID)
		}
	}
	return nil
}
