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
}

// Read reads the claims of an assertion. Pass it only the element returned by
// the signature verifier (xmldsig.Verified.Element), never a node of the
// received tree: that element is the signed content and nothing else.
// Attributes this table does not know are an error, so nothing is dropped.
func Read(el *etree.Element) (*Token, error) {
	if !xmldsig.Is(el, NamespaceSAML2, "Assertion") {
		return nil, errors.New("vihf: not a saml2:Assertion")
	}
	tok := &Token{ID: el.SelectAttrValue("ID", "")}
	var err error
	if tok.IssueInstant, err = time.Parse(time.RFC3339Nano, el.SelectAttrValue("IssueInstant", "")); err != nil {
		return nil, fmt.Errorf("vihf: IssueInstant: %w", err)
	}
	c := &tok.Claims
	var version, mode string
	seen := map[string]bool{}
	for _, ch := range el.ChildElements() {
		if xmldsig.NamespaceOf(ch) != NamespaceSAML2 {
			return nil, fmt.Errorf("vihf: unexpected <%s> in the assertion", ch.FullTag())
		}
		switch ch.Tag {
		case "Issuer":
			c.Issuer = ch.Text()
		case "Subject":
			for _, n := range ch.ChildElements() {
				if xmldsig.Is(n, NamespaceSAML2, "NameID") {
					c.SubjectID = n.Text()
				}
			}
		case "Conditions":
			c.Conditions = &Conditions{}
			if v := ch.SelectAttrValue("NotBefore", ""); v != "" {
				if c.Conditions.NotBefore, err = time.Parse(time.RFC3339Nano, v); err != nil {
					return nil, fmt.Errorf("vihf: NotBefore: %w", err)
				}
			}
			if v := ch.SelectAttrValue("NotOnOrAfter", ""); v != "" {
				if c.Conditions.NotOnOrAfter, err = time.Parse(time.RFC3339Nano, v); err != nil {
					return nil, fmt.Errorf("vihf: NotOnOrAfter: %w", err)
				}
			}
		case "AuthnStatement":
			for _, ac := range ch.ChildElements() {
				for _, x := range ac.ChildElements() {
					switch x.Tag {
					case "AuthnContextClassRef":
						c.AuthnContext = x.Text()
					case "AuthnContextDecl":
						c.AuthnContextDecl = x.Text()
					}
				}
			}
		case "AttributeStatement":
			for _, a := range ch.ChildElements() {
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
	c.Version, c.Mode = Version(version), Mode(mode)
	return tok, nil
}

func readAttribute(c *Claims, name string, vals []*etree.Element, version, mode *string) error {
	var texts []string
	var codes []Code
	for _, v := range vals {
		if kids := v.ChildElements(); len(kids) == 1 {
			k := kids[0]
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
