package hl7v2

// HD is a hierarchic designator (assigning authority). In XDS it appears as
// the subcomponents of CX.4, XCN.9 and XON.6: "&1.2.250.1.213.1.4.10&ISO".
type HD struct {
	NamespaceID     string // HD.1
	UniversalID     string // HD.2, an OID in XDS
	UniversalIDType string // HD.3, "ISO" in XDS
}

func (h *HD) subparts() []*string {
	return []*string{&h.NamespaceID, &h.UniversalID, &h.UniversalIDType}
}

// IsZero reports whether every component is empty.
func (h HD) IsZero() bool { return h == HD{} }

// ParseHD parses a standalone HD field, "namespace^universalId^type".
// (Inside CX, XCN and XON the same components are '&'-separated
// subcomponents; the enclosing parsers handle that form.)
func ParseHD(s string) (HD, error) {
	var h HD
	if err := parseParts("HD", s, componentSep, asAny(h.subparts())); err != nil {
		return HD{}, err
	}
	return h, nil
}

// Format encodes h as a standalone field.
func (h HD) Format() string { return formatParts(componentSep, asAny(h.subparts())) }

// String returns Format().
func (h HD) String() string { return h.Format() }

// CWE is a coded element with exceptions (HL7 v2.5, 9 components). XDS uses
// CWE.1–3 for authorRole and authorSpecialty values of the form
// "code^display^codingScheme", e.g.
// "G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5".
type CWE struct {
	Identifier             string // CWE.1, the code
	Text                   string // CWE.2, the display name
	CodingSystem           string // CWE.3, the coding scheme (an OID in CI-SIS)
	AltIdentifier          string // CWE.4
	AltText                string // CWE.5
	AltCodingSystem        string // CWE.6
	CodingSystemVersion    string // CWE.7
	AltCodingSystemVersion string // CWE.8
	OriginalText           string // CWE.9
}

func (c *CWE) subparts() []*string {
	return []*string{&c.Identifier, &c.Text, &c.CodingSystem, &c.AltIdentifier, &c.AltText,
		&c.AltCodingSystem, &c.CodingSystemVersion, &c.AltCodingSystemVersion, &c.OriginalText}
}

// ParseCWE parses a CWE field ("code^display^scheme", or a bare "code").
func ParseCWE(s string) (CWE, error) {
	var c CWE
	if err := parseParts("CWE", s, componentSep, asAny(c.subparts())); err != nil {
		return CWE{}, err
	}
	return c, nil
}

// Format encodes c as a field.
func (c CWE) Format() string { return formatParts(componentSep, asAny(c.subparts())) }

// String returns Format().
func (c CWE) String() string { return c.Format() }

// CX is an extended composite identifier: XDS patientId, sourcePatientId.
// Example: "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH".
type CX struct {
	ID                    string // CX.1
	CheckDigit            string // CX.2
	CheckDigitScheme      string // CX.3
	AssigningAuthority    HD     // CX.4
	IdentifierTypeCode    string // CX.5
	AssigningFacility     HD     // CX.6
	EffectiveDate         string // CX.7 (DT)
	ExpirationDate        string // CX.8 (DT)
	AssigningJurisdiction CWE    // CX.9
	AssigningAgency       CWE    // CX.10
}

func (c *CX) parts() []any {
	return []any{&c.ID, &c.CheckDigit, &c.CheckDigitScheme, &c.AssigningAuthority, &c.IdentifierTypeCode,
		&c.AssigningFacility, &c.EffectiveDate, &c.ExpirationDate, &c.AssigningJurisdiction, &c.AssigningAgency}
}

// ParseCX parses a CX field.
func ParseCX(s string) (CX, error) {
	var c CX
	if err := parseParts("CX", s, componentSep, c.parts()); err != nil {
		return CX{}, err
	}
	return c, nil
}

// Format encodes c as a field.
func (c CX) Format() string { return formatParts(componentSep, c.parts()) }

// String returns Format().
func (c CX) String() string { return c.Format() }

// CXi is the CX profile IHE uses for referenceIdList values
// ("id^^^&oid&ISO^urn:ihe:iti:xds:2013:accession"); CX.6 may carry a home
// community id. Its structure is CX's; ValidateCXi applies its own rules.
type CXi CX

// ParseCXi parses a referenceIdList value.
func ParseCXi(s string) (CXi, error) {
	c, err := ParseCX(s)
	if err != nil {
		err.(*Error).Type = "CXi"
		return CXi{}, err
	}
	return CXi(c), nil
}

// Format encodes c as a field.
func (c CXi) Format() string { return CX(c).Format() }

// String returns Format().
func (c CXi) String() string { return c.Format() }

// FN is a family name (XCN.2 subcomponents).
type FN struct {
	Surname              string // FN.1
	OwnSurnamePrefix     string // FN.2
	OwnSurname           string // FN.3
	PartnerSurnamePrefix string // FN.4
	PartnerSurname       string // FN.5
}

func (f *FN) subparts() []*string {
	return []*string{&f.Surname, &f.OwnSurnamePrefix, &f.OwnSurname, &f.PartnerSurnamePrefix, &f.PartnerSurname}
}

// DR is a date/time range (XCN.17 subcomponents).
type DR struct {
	Start string // DR.1 (DTM)
	End   string // DR.2 (DTM)
}

func (d *DR) subparts() []*string { return []*string{&d.Start, &d.End} }

// XCN is an extended composite id number and name for persons: XDS
// authorPerson, legalAuthenticator. Example:
// "899900063480^MAX^LIBRE^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS".
type XCN struct {
	ID                     string // XCN.1
	FamilyName             FN     // XCN.2
	GivenName              string // XCN.3
	SecondGivenNames       string // XCN.4
	Suffix                 string // XCN.5
	Prefix                 string // XCN.6
	Degree                 string // XCN.7
	SourceTable            string // XCN.8
	AssigningAuthority     HD     // XCN.9
	NameTypeCode           string // XCN.10
	CheckDigit             string // XCN.11
	CheckDigitScheme       string // XCN.12
	IdentifierTypeCode     string // XCN.13
	AssigningFacility      HD     // XCN.14
	NameRepresentationCode string // XCN.15
	NameContext            CWE    // XCN.16
	NameValidityRange      DR     // XCN.17
	NameAssemblyOrder      string // XCN.18
	EffectiveDate          string // XCN.19
	ExpirationDate         string // XCN.20
	ProfessionalSuffix     string // XCN.21
	AssigningJurisdiction  CWE    // XCN.22
	AssigningAgency        CWE    // XCN.23
}

func (x *XCN) parts() []any {
	return []any{&x.ID, &x.FamilyName, &x.GivenName, &x.SecondGivenNames, &x.Suffix, &x.Prefix, &x.Degree,
		&x.SourceTable, &x.AssigningAuthority, &x.NameTypeCode, &x.CheckDigit, &x.CheckDigitScheme,
		&x.IdentifierTypeCode, &x.AssigningFacility, &x.NameRepresentationCode, &x.NameContext,
		&x.NameValidityRange, &x.NameAssemblyOrder, &x.EffectiveDate, &x.ExpirationDate,
		&x.ProfessionalSuffix, &x.AssigningJurisdiction, &x.AssigningAgency}
}

// ParseXCN parses an XCN field.
func ParseXCN(s string) (XCN, error) {
	var x XCN
	if err := parseParts("XCN", s, componentSep, x.parts()); err != nil {
		return XCN{}, err
	}
	return x, nil
}

// Format encodes x as a field.
func (x XCN) Format() string { return formatParts(componentSep, x.parts()) }

// String returns Format().
func (x XCN) String() string { return x.Format() }

// XON is an extended composite name and id for organizations: XDS
// authorInstitution. Example:
// "CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001".
type XON struct {
	Name                   string // XON.1
	NameTypeCode           string // XON.2
	IDNumber               string // XON.3 (deprecated)
	CheckDigit             string // XON.4
	CheckDigitScheme       string // XON.5
	AssigningAuthority     HD     // XON.6
	IdentifierTypeCode     string // XON.7
	AssigningFacility      HD     // XON.8
	NameRepresentationCode string // XON.9
	OrganizationIdentifier string // XON.10
}

func (o *XON) parts() []any {
	return []any{&o.Name, &o.NameTypeCode, &o.IDNumber, &o.CheckDigit, &o.CheckDigitScheme,
		&o.AssigningAuthority, &o.IdentifierTypeCode, &o.AssigningFacility, &o.NameRepresentationCode,
		&o.OrganizationIdentifier}
}

// ParseXON parses an XON field.
func ParseXON(s string) (XON, error) {
	var o XON
	if err := parseParts("XON", s, componentSep, o.parts()); err != nil {
		return XON{}, err
	}
	return o, nil
}

// Format encodes o as a field.
func (o XON) Format() string { return formatParts(componentSep, o.parts()) }

// String returns Format().
func (o XON) String() string { return o.Format() }

// XTN is an extended telecommunication number: XDS
// authorTelecommunication, e.g. "^NET^Internet^max.libre@example.org" or
// "^PRN^PH^^33^1^23456789".
type XTN struct {
	TelephoneNumber      string // XTN.1 (deprecated)
	UseCode              string // XTN.2: NET, PRN, WPN, ...
	EquipmentType        string // XTN.3: Internet, PH, CP, FX, ...
	Email                string // XTN.4
	CountryCode          string // XTN.5 (NM)
	AreaCityCode         string // XTN.6 (NM)
	LocalNumber          string // XTN.7 (NM)
	Extension            string // XTN.8 (NM)
	AnyText              string // XTN.9
	ExtensionPrefix      string // XTN.10
	SpeedDialCode        string // XTN.11
	UnformattedTelephone string // XTN.12
}

func (t *XTN) parts() []any {
	return []any{&t.TelephoneNumber, &t.UseCode, &t.EquipmentType, &t.Email, &t.CountryCode, &t.AreaCityCode,
		&t.LocalNumber, &t.Extension, &t.AnyText, &t.ExtensionPrefix, &t.SpeedDialCode, &t.UnformattedTelephone}
}

// ParseXTN parses an XTN field.
func ParseXTN(s string) (XTN, error) {
	var t XTN
	if err := parseParts("XTN", s, componentSep, t.parts()); err != nil {
		return XTN{}, err
	}
	return t, nil
}

// Format encodes t as a field.
func (t XTN) Format() string { return formatParts(componentSep, t.parts()) }

// String returns Format().
func (t XTN) String() string { return t.Format() }
