package vihf

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
)

// Token is a VIHF read back from a verified assertion.
type Token struct {
	Claims       Claims
	ID           string
	IssueInstant time.Time
	// AuthnInstant is the AuthnStatement's time of authentication.
	AuthnInstant time.Time
	// Audiences holds the Audience values of each AudienceRestriction
	// condition (a VIHF for the DMP carries none).
	Audiences [][]string
	// OneTimeUse reports a OneTimeUse condition.
	OneTimeUse bool
	// OtherConditions names the conditions that are neither
	// AudienceRestriction nor OneTimeUse ("{namespace}local"), which a relying
	// party cannot evaluate.
	OtherConditions []string
}

// Read reads the claims of an assertion. Pass it only the element returned by
// the signature verifier (xmldsig.Verified.Element), never a node of the
// received tree: that element is the signed content and nothing else.
//
// Read is strict about the shape of a VIHF, so that a SAML assertion of
// another profile is refused rather than half read: Version 2.0, an ID, an
// Issuer in the X509SubjectName format, a Subject holding only a NameID, at
// most one Conditions, exactly one AuthnStatement and one
// AttributeStatement, children in schema order, no other element.
// Attributes this table does not know are an error, so nothing is dropped.
// Read does not check which attributes are present: Check(tok.Claims) does.
func Read(el *etree.Element) (*Token, error) {
	if !xmldsig.Is(el, NamespaceSAML2, "Assertion") {
		return nil, errors.New("vihf: not a saml2:Assertion")
	}
	if v := el.SelectAttrValue("Version", ""); v != "2.0" {
		return nil, fmt.Errorf("vihf: assertion Version %q, want 2.0", v)
	}
	tok := &Token{ID: el.SelectAttrValue("ID", "")}
	if tok.ID == "" {
		return nil, errors.New("vihf: the assertion has no ID")
	}
	var err error
	if tok.IssueInstant, err = time.Parse(time.RFC3339Nano, el.SelectAttrValue("IssueInstant", "")); err != nil {
		return nil, fmt.Errorf("vihf: IssueInstant: %w", err)
	}
	c := &tok.Claims
	var version, mode string
	// rank orders the children as the SAML schema does (statements last).
	rank := map[string]int{"Issuer": 0, "Subject": 2, "Conditions": 3, "AuthnStatement": 4, "AttributeStatement": 4}
	last, count := -1, map[string]int{}
	for _, ch := range el.ChildElements() {
		if xmldsig.Is(ch, xmldsig.NamespaceDSig, "Signature") && last <= 1 {
			last = 1 // the enveloped signature of an unverified tree
			continue
		}
		r, known := rank[ch.Tag]
		if xmldsig.NamespaceOf(ch) != NamespaceSAML2 || !known {
			return nil, fmt.Errorf("vihf: <%s> is not part of a VIHF", ch.FullTag())
		}
		if r < last {
			return nil, fmt.Errorf("vihf: <%s> is out of order", ch.FullTag())
		}
		last = r
		if count[ch.Tag]++; count[ch.Tag] > 1 {
			return nil, fmt.Errorf("vihf: the assertion has more than one %s", ch.Tag)
		}
		switch ch.Tag {
		case "Issuer":
			if f := ch.SelectAttrValue("Format", ""); f != IssuerFormat {
				return nil, fmt.Errorf("vihf: Issuer Format %q, want %s (the signing certificate's subject)", f, IssuerFormat)
			}
			c.Issuer = ch.Text()
		case "Subject":
			kids := ch.ChildElements()
			if len(kids) != 1 || !xmldsig.Is(kids[0], NamespaceSAML2, "NameID") {
				return nil, errors.New("vihf: Subject must hold exactly one NameID (no SubjectConfirmation in a VIHF)")
			}
			c.SubjectID = kids[0].Text()
		case "Conditions":
			if err := readConditions(tok, ch); err != nil {
				return nil, err
			}
		case "AuthnStatement":
			if tok.AuthnInstant, err = time.Parse(time.RFC3339Nano, ch.SelectAttrValue("AuthnInstant", "")); err != nil {
				return nil, fmt.Errorf("vihf: AuthnInstant: %w", err)
			}
			if err := readAuthnContext(c, ch); err != nil {
				return nil, err
			}
		case "AttributeStatement":
			seen := map[string]bool{}
			for _, a := range ch.ChildElements() {
				if !xmldsig.Is(a, NamespaceSAML2, "Attribute") {
					return nil, fmt.Errorf("vihf: <%s> in the AttributeStatement", a.FullTag())
				}
				name := a.SelectAttrValue("Name", "")
				if seen[name] {
					return nil, fmt.Errorf("vihf: attribute %s appears twice", name)
				}
				seen[name] = true
				if err := readAttribute(c, name, a.ChildElements(), &version, &mode); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, need := range []string{"Issuer", "Subject", "AuthnStatement", "AttributeStatement"} {
		if count[need] == 0 {
			return nil, fmt.Errorf("vihf: the assertion has no %s", need)
		}
	}
	c.Version, c.Mode = Version(version), Mode(mode)
	return tok, nil
}

func readConditions(tok *Token, el *etree.Element) error {
	c := &Conditions{}
	var err error
	if v := el.SelectAttrValue("NotBefore", ""); v != "" {
		if c.NotBefore, err = time.Parse(time.RFC3339Nano, v); err != nil {
			return fmt.Errorf("vihf: NotBefore: %w", err)
		}
	}
	if v := el.SelectAttrValue("NotOnOrAfter", ""); v != "" {
		if c.NotOnOrAfter, err = time.Parse(time.RFC3339Nano, v); err != nil {
			return fmt.Errorf("vihf: NotOnOrAfter: %w", err)
		}
	}
	if !c.NotBefore.IsZero() || !c.NotOnOrAfter.IsZero() {
		tok.Claims.Conditions = c // the validity window; a Conditions without one is only its children
	}
	for _, k := range el.ChildElements() {
		switch {
		case xmldsig.Is(k, NamespaceSAML2, "AudienceRestriction"):
			var aud []string
			for _, a := range k.ChildElements() {
				if !xmldsig.Is(a, NamespaceSAML2, "Audience") {
					return fmt.Errorf("vihf: <%s> in an AudienceRestriction", a.FullTag())
				}
				aud = append(aud, strings.TrimSpace(a.Text()))
			}
			if len(aud) == 0 {
				return errors.New("vihf: AudienceRestriction without Audience")
			}
			tok.Audiences = append(tok.Audiences, aud)
		case xmldsig.Is(k, NamespaceSAML2, "OneTimeUse"):
			tok.OneTimeUse = true
		default:
			tok.OtherConditions = append(tok.OtherConditions, "{"+xmldsig.NamespaceOf(k)+"}"+k.Tag)
		}
	}
	return nil
}

func readAuthnContext(c *Claims, st *etree.Element) error {
	kids := st.ChildElements()
	if len(kids) != 1 || !xmldsig.Is(kids[0], NamespaceSAML2, "AuthnContext") {
		return errors.New("vihf: AuthnStatement must hold exactly one AuthnContext")
	}
	for _, x := range kids[0].ChildElements() {
		switch {
		case xmldsig.Is(x, NamespaceSAML2, "AuthnContextClassRef") && c.AuthnContext == "":
			c.AuthnContext = x.Text()
		case xmldsig.Is(x, NamespaceSAML2, "AuthnContextDecl") && c.AuthnContextDecl == "":
			c.AuthnContextDecl = x.Text()
		default:
			return fmt.Errorf("vihf: <%s> in the AuthnContext", x.FullTag())
		}
	}
	return nil
}

func readAttribute(c *Claims, name string, vals []*etree.Element, version, mode *string) error {
	var texts []string
	var codes []Code
	for _, v := range vals {
		if !xmldsig.Is(v, NamespaceSAML2, "AttributeValue") {
			return fmt.Errorf("vihf: attribute %s: <%s> is not an AttributeValue", name, v.FullTag())
		}
		if kids := v.ChildElements(); len(kids) > 0 {
			k := kids[0]
			if len(kids) != 1 || xmldsig.NamespaceOf(k) != NamespaceHL7 {
				return fmt.Errorf("vihf: attribute %s: a value holds one HL7 v3 element or text", name)
			}
			codes = append(codes, Code{
				Code: k.SelectAttrValue("code", ""), CodeSystem: k.SelectAttrValue("codeSystem", ""),
				CodeSystemName: k.SelectAttrValue("codeSystemName", ""), DisplayName: k.SelectAttrValue("displayName", ""),
			})
		} else {
			texts = append(texts, v.Text())
		}
	}
	one := func() (string, error) {
		if len(texts) != 1 || len(codes) != 0 {
			return "", fmt.Errorf("vihf: attribute %s: want one string value", name)
		}
		return texts[0], nil
	}
	oneCode := func() (Code, error) {
		if len(codes) != 1 || len(texts) != 0 {
			return Code{}, fmt.Errorf("vihf: attribute %s: want one HL7 CE value", name)
		}
		return codes[0], nil
	}
	ref := func() (CodeRef, error) {
		s, err := one()
		if err != nil {
			return CodeRef{}, err
		}
		code, oid, ok := strings.Cut(s, "^")
		if !ok {
			return CodeRef{}, fmt.Errorf("vihf: attribute %s: %q is not code^OID", name, s)
		}
		return CodeRef{Code: code, OID: oid}, nil
	}
	var err error
	switch name {
	case "VIHF_Version":
		*version, err = one()
	case "Authentification_mode", "Authentification_Mode":
		*mode, err = one()
	case "Identifiant_Structure":
		c.StructureID, err = one()
	case "Secteur_Activite":
		c.SecteurActivite, err = ref()
	case "Profession":
		c.Profession, err = ref()
	case "urn:oasis:names:tc:xspa:1.0:subject:subject-id":
		c.SubjectName, err = one()
	case "urn:oasis:names:tc:xacml:2.0:subject:role":
		if len(texts) > 0 || len(codes) == 0 {
			return fmt.Errorf("vihf: attribute %s: want HL7 CE values", name)
		}
		c.Roles = codes
	case "urn:oasis:names:tc:xacml:2.0:resource:resource-id":
		var s string
		if s, err = one(); err == nil {
			c.Patient, err = hl7v2.ParseCX(s)
		}
	case "Ressource_URN":
		c.ResourceURN, err = one()
	case "urn:oasis:names:tc:xspa:1.0:subject:purposeofuse":
		c.PurposeOfUse, err = oneCode()
	case "Confidentiality_code", "urn:oasis:names:tc:xspa:1.0:resource:patient:hl7:confidentiality-code":
		c.Confidentiality, err = oneCode()
	case "Mode_Acces":
		c.ModeAcces, err = one()
	case "LPS_ID":
		c.LPSID, err = one()
	case "LPS_Nom":
		c.LPSName, err = one()
	case "LPS_Version":
		c.LPSVersion, err = one()
	case "LPS_ID_HOMOLOGATION_DMP":
		c.LPSHomologation, err = one()
	case "LPS_Type":
		c.LPSType, err = one()
	default:
		return fmt.Errorf("vihf: unknown attribute %q", name)
	}
	if err != nil {
		return fmt.Errorf("vihf: attribute %s: %w", name, err)
	}
	return nil
}

// CheckTime reports whether the token is usable at now: IssueInstant not in
// the future beyond skew, and now inside the Conditions window (± skew).
func (t *Token) CheckTime(now time.Time, skew time.Duration) error {
	if t.IssueInstant.After(now.Add(skew)) {
		return fmt.Errorf("vihf: IssueInstant %s is in the future", FormatTime(t.IssueInstant))
	}
	if c := t.Claims.Conditions; c != nil {
		if !c.NotBefore.IsZero() && now.Add(skew).Before(c.NotBefore) {
			return fmt.Errorf("vihf: not valid before %s", FormatTime(c.NotBefore))
		}
		if !c.NotOnOrAfter.IsZero() && !now.Add(-skew).Before(c.NotOnOrAfter) {
			return fmt.Errorf("vihf: expired at %s", FormatTime(c.NotOnOrAfter))
		}
	}
	return nil
}
