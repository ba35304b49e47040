// Package vihf builds the DMP VIHF ("Vecteur d'Identification et
// d'Habilitation Formelle"): the SAML 2.0 assertion that identifies the health
// professional, the structure and the patient in every DMP request.
//
// The attribute list is a table: one row per attribute with its name in
// VIHF 3.0 and 4.0, its value kind (xs:string, HL7 CE, HL7 v2 CX) and its
// obligation per authentication mode (docs/vihf.md#attributes lists it with
// its sources). Build refuses claims that miss a mandatory attribute or set
// one the chosen version does not define, before anything is signed or
// sent. Signing is runtime/wssec's job.
package vihf

import (
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/uuid"
)

// Namespaces used by the assertion.
const (
	NamespaceSAML2 = "urn:oasis:names:tc:SAML:2.0:assertion"
	NamespaceXSI   = "http://www.w3.org/2001/XMLSchema-instance"
	NamespaceXS    = "http://www.w3.org/2001/XMLSchema"
	NamespaceHL7   = "urn:hl7-org:v3"

	// IssuerFormat is the NameID format of saml2:Issuer (a certificate subject DN).
	IssuerFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"
	// AuthnSmartcardPKI is the authentication context of every official sample.
	AuthnSmartcardPKI = "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI"
	// ResourceURNDMP is the Ressource_URN value for the DMP.
	ResourceURNDMP = "urn:dmp"
)

// Mode is the authentication mode (Authentification_Mode).
type Mode string

// Authentication modes. DIRECTE: the professional's CPS card signs.
// INDIRECTE and INDIRECTE_RENFORCEE: the structure's certificate signs.
const (
	Directe            Mode = "DIRECTE"
	Indirecte          Mode = "INDIRECTE"
	IndirecteRenforcee Mode = "INDIRECTE_RENFORCEE"
)

// Version is the VIHF_Version value.
type Version string

// VIHF versions: 3.0 (DMPv2 samples, ANS kit) and 4.0 (ANS CDA transmission IG).
const (
	V3 Version = "3.0"
	V4 Version = "4.0"
)

// Code is an HL7 v3 CE value (Role, PurposeOfUse, confidentiality code).
type Code struct {
	Code           string
	CodeSystem     string
	CodeSystemName string
	DisplayName    string
}

// IsZero reports whether c is unset.
func (c Code) IsZero() bool { return c == Code{} }

// CodeRef is a "code^OID" string value (Secteur_Activite, Profession).
type CodeRef struct {
	Code string
	OID  string
}

// IsZero reports whether c is unset.
func (c CodeRef) IsZero() bool { return c == CodeRef{} }

func (c CodeRef) String() string { return c.Code + "^" + c.OID }

// PurposeNormal is the "Accès normal" PurposeOfUse of the official samples.
// Other access modes (bris de glace, centre 15) are given by the caller.
func PurposeNormal() Code {
	return Code{Code: "normal", CodeSystem: "1.2.250.1.213.1.1.4.248", CodeSystemName: "mode acces VIHF 2.0", DisplayName: "Accès normal"}
}

// Conditions is the optional validity window of the assertion (SAML
// NotBefore / NotOnOrAfter; AudienceRestriction is not filled, as the ANS
// HL7 v2 transmission guide asks: docs/vihf.md#sources).
type Conditions struct {
	NotBefore    time.Time
	NotOnOrAfter time.Time
}

// Claims are the facts the VIHF asserts. Build requires Mode, Version,
// Issuer, SubjectID, SecteurActivite, Roles (a second one, the savoir-faire,
// for médecins and pharmaciens), SubjectName, Patient, LPSName, LPSVersion
// and LPSHomologation in every mode, and StructureID in the INDIRECTE
// modes; ResourceURN, PurposeOfUse and AuthnContext have defaults. ModeAcces,
// LPSType and Profession exist in VIHF 3.0 only. docs/vihf.md#attributes
// gives the source of each rule.
type Claims struct {
	Mode    Mode
	Version Version
	// Issuer is the subject DN of the signing certificate (CPS card in
	// DIRECTE, structure certificate otherwise). runtime/wssec fills it from
	// the certificate when empty.
	Issuer string
	// SubjectID is the professional's national identifier (saml2:NameID).
	SubjectID string
	// AuthnContext defaults to AuthnSmartcardPKI.
	AuthnContext string
	// AuthnContextDecl is optional (present in the INDIRECTE_RENFORCEE sample).
	AuthnContextDecl string
	// Conditions is optional.
	Conditions *Conditions

	StructureID     string   // Identifiant_Structure
	SecteurActivite CodeRef  // Secteur_Activite, e.g. SA07^1.2.250.1.71.4.2.4
	Roles           []Code   // urn:oasis:names:tc:xacml:2.0:subject:role (hl7:Role)
	SubjectName     string   // urn:oasis:names:tc:xspa:1.0:subject:subject-id
	Patient         hl7v2.CX // urn:oasis:names:tc:xacml:2.0:resource:resource-id (INS)
	ResourceURN     string   // Ressource_URN; defaults to urn:dmp
	PurposeOfUse    Code     // purposeofuse (hl7:PurposeOfUse); defaults to PurposeNormal
	Confidentiality Code     // confidentiality code (hl7:ConfidentialityCode)
	ModeAcces       string   // Mode_Acces (VIHF 3.0, legacy)
	LPSID           string   // LPS_ID
	LPSName         string   // LPS_Nom
	LPSVersion      string   // LPS_Version
	LPSHomologation string   // LPS_ID_HOMOLOGATION_DMP
	LPSType         string   // LPS_Type (VIHF 3.0)
	Profession      CodeRef  // Profession (VIHF 3.0, legacy)
}

// Builder builds assertions. The zero value uses time.Now and crypto/rand.
type Builder struct {
	// Now is the clock for IssueInstant and AuthnInstant.
	Now func() time.Time
	// Rand is the source of the assertion ID.
	Rand io.Reader
}

// Assertion is a built, unsigned VIHF.
type Assertion struct {
	// Element is the saml2:Assertion root, declaring every namespace it uses.
	Element *etree.Element
	// Issuer is the saml2:Issuer child, after which the signature goes.
	Issuer *etree.Element
	// ID is the assertion's ID attribute.
	ID string
	// IssueInstant is the time written in IssueInstant.
	IssueInstant time.Time
}

// Error lists every problem found in the claims.
type Error struct {
	Mode     Mode
	Version  Version
	Problems []string
}

func (e *Error) Error() string {
	if e.Mode == "" || e.Version == "" {
		return "vihf: invalid claims: " + strings.Join(e.Problems, "; ")
	}
	return fmt.Sprintf("vihf: invalid claims for %s VIHF %s: %s", e.Mode, e.Version, strings.Join(e.Problems, "; "))
}

const timeLayout = "2006-01-02T15:04:05.000Z"

// FormatTime renders t as the assertion's xs:dateTime (UTC, milliseconds).
func FormatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// Build checks the claims and builds the unsigned assertion.
func (b *Builder) Build(c Claims) (*Assertion, error) {
	if c.ResourceURN == "" {
		c.ResourceURN = ResourceURNDMP
	}
	if c.PurposeOfUse.IsZero() {
		c.PurposeOfUse = PurposeNormal()
	}
	if c.AuthnContext == "" {
		c.AuthnContext = AuthnSmartcardPKI
	}
	if err := Check(c); err != nil {
		return nil, err
	}
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	rnd := b.Rand
	if rnd == nil {
		rnd = rand.Reader
	}
	u, err := uuid.New(rnd)
	if err != nil {
		return nil, fmt.Errorf("vihf: assertion ID: %w", err)
	}
	issued := now()
	a := &Assertion{ID: "_" + u.String(), IssueInstant: issued}
	root := etree.NewElement("saml2:Assertion")
	root.CreateAttr("xmlns:saml2", NamespaceSAML2)
	root.CreateAttr("xmlns:xsi", NamespaceXSI)
	root.CreateAttr("ID", a.ID)
	root.CreateAttr("IssueInstant", FormatTime(issued))
	root.CreateAttr("Version", "2.0")
	a.Element = root

	a.Issuer = root.CreateElement("saml2:Issuer")
	a.Issuer.CreateAttr("Format", IssuerFormat)
	a.Issuer.SetText(c.Issuer)
	root.CreateElement("saml2:Subject").CreateElement("saml2:NameID").SetText(c.SubjectID)
	if c.Conditions != nil {
		cond := root.CreateElement("saml2:Conditions")
		if !c.Conditions.NotBefore.IsZero() {
			cond.CreateAttr("NotBefore", FormatTime(c.Conditions.NotBefore))
		}
		if !c.Conditions.NotOnOrAfter.IsZero() {
			cond.CreateAttr("NotOnOrAfter", FormatTime(c.Conditions.NotOnOrAfter))
		}
	}
	as := root.CreateElement("saml2:AuthnStatement")
	as.CreateAttr("AuthnInstant", FormatTime(issued))
	ac := as.CreateElement("saml2:AuthnContext")
	ac.CreateElement("saml2:AuthnContextClassRef").SetText(c.AuthnContext)
	if c.AuthnContextDecl != "" {
		ac.CreateElement("saml2:AuthnContextDecl").SetText(c.AuthnContextDecl)
	}

	st := root.CreateElement("saml2:AttributeStatement")
	for i := range attributes {
		spec := &attributes[i]
		name := spec.names[c.Version]
		vals := spec.values(&c)
		if len(vals) == 0 {
			continue
		}
		attr := st.CreateElement("saml2:Attribute")
		attr.CreateAttr("Name", name)
		for _, v := range vals {
			av := attr.CreateElement("saml2:AttributeValue")
			if v.code == nil {
				av.CreateAttr("xmlns:xs", NamespaceXS)
				av.CreateAttr("xsi:type", "xs:string")
				av.SetText(v.text)
				continue
			}
			ce := av.CreateElement(spec.hl7Element)
			ce.CreateAttr("xmlns", NamespaceHL7)
			ce.CreateAttr("code", v.code.Code)
			ce.CreateAttr("codeSystem", v.code.CodeSystem)
			if v.code.CodeSystemName != "" {
				ce.CreateAttr("codeSystemName", v.code.CodeSystemName)
			}
			if v.code.DisplayName != "" {
				ce.CreateAttr("displayName", v.code.DisplayName)
			}
			ce.CreateAttr("xsi:type", "CE")
		}
	}
	return a, nil
}

// Check reports every problem of c (after Build's defaults) as an *Error. It
// is the VIHF profile: a known mode and version, the attributes mandatory in
// that mode and version, none the version does not define, and values in
// their value sets where this package knows them (PurposeOfUse from
// TRE_R248, Ressource_URN urn:dmp, OIDs, the patient INS). Build runs it
// before anything is signed; a relying party runs it on what Read returned.
func Check(c Claims) error {
	e := &Error{Mode: c.Mode, Version: c.Version}
	add := func(format string, args ...any) { e.Problems = append(e.Problems, fmt.Sprintf(format, args...)) }
	switch c.Mode {
	case Directe, Indirecte, IndirecteRenforcee:
	default:
		add("unknown mode %q (DIRECTE, INDIRECTE or INDIRECTE_RENFORCEE)", c.Mode)
	}
	switch c.Version {
	case V3, V4:
	default:
		add("unknown VIHF_Version %q (3.0 or 4.0)", c.Version)
	}
	if len(e.Problems) > 0 {
		return e
	}
	if c.Issuer == "" {
		add("saml2:Issuer (signing certificate subject) is missing")
	}
	if c.SubjectID == "" {
		add("saml2:NameID (professional identifier) is missing")
	}
	if c.AuthnContext == "" {
		add("AuthnContextClassRef (how the professional authenticated) is missing")
	}
	if c.Conditions != nil {
		nb, na := c.Conditions.NotBefore, c.Conditions.NotOnOrAfter
		if nb.IsZero() && na.IsZero() {
			add("Conditions without NotBefore or NotOnOrAfter")
		}
		if !nb.IsZero() && !na.IsZero() && !nb.Before(na) {
			add("Conditions NotBefore %s is not before NotOnOrAfter %s", FormatTime(nb), FormatTime(na))
		}
	}
	for i := range attributes {
		spec := &attributes[i]
		name := spec.names[c.Version]
		vals := spec.values(&c)
		if name == "" {
			if len(vals) > 0 {
				add("%s is not defined in VIHF %s", spec.label, c.Version)
			}
			continue
		}
		if len(vals) == 0 {
			if spec.required(c.Mode) {
				add("%s is mandatory in mode %s (%s)", name, c.Mode, spec.source)
			}
			continue
		}
		for _, p := range spec.check(&c) {
			add("%s: %s", name, p)
		}
	}
	if len(e.Problems) > 0 {
		return e
	}
	return nil
}
