package hl7v2

import (
	"errors"

	"github.com/dmpgen/dmpgen/runtime/oid"
)

// Profile selects the rule set of the Validate functions.
type Profile uint8

const (
	// IHE applies the IHE ITI TF-3 §4.2.3.1.7 datatype rules as Open eHealth
	// IPF checks them (CXValidator, CXiValidator, XCNValidator, XONValidator,
	// XTNValidator, HDValidator).
	IHE Profile = iota
	// DMP applies the IHE rules with the relaxations the official DMP
	// messages (TD2.1, TD3.1) need, and the DMP's stricter CWE form:
	//   - CX.5 (identifier type code, "NH", "PI") and CX.7 (effective date)
	//     are allowed: "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH^^20100907";
	//   - XON.7 (identifier type code, "IDNST") is allowed:
	//     "CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001";
	//   - CWE values (authorSpecialty, authorRole) need code, display and an
	//     OID coding scheme: "G15_10/SM26^Médecin - …^1.2.250.1.213.1.1.4.5".
	DMP
)

func (p Profile) String() string {
	if p == DMP {
		return "DMP"
	}
	return "IHE"
}

// collector accumulates validation failures for one datatype.
type collector struct {
	typ  string
	errs Errors
}

func (c *collector) add(code Code, comp, sub int, detail string) {
	c.errs = append(c.errs, &Error{Code: code, Type: c.typ, Component: comp, Subcomponent: sub, Offset: -1, Detail: detail})
}

// forbid reports code for every non-empty component listed.
func (c *collector) forbid(code Code, comps map[int]bool, all []any, allowed string) {
	for i, p := range all {
		if !comps[i+1] {
			continue
		}
		if isSet(p) {
			c.add(code, i+1, 0, "component "+itoa(i+1)+" must be empty ("+allowed+")")
		}
	}
}

func isSet(p any) bool {
	switch p := p.(type) {
	case *string:
		return *p != ""
	case subcomposite:
		for _, s := range p.subparts() {
			if *s != "" {
				return true
			}
		}
	}
	return false
}

// checkOID validates an OID at (comp, sub).
func (c *collector) checkOID(s string, comp, sub int) {
	err := oid.Validate(s)
	var e *oid.Error
	if errors.As(err, &e) {
		code := CodeInvalidOID
		if e.Code == oid.CodeTooLong {
			code = CodeOIDTooLong
		}
		c.add(code, comp, sub, e.Error())
	}
}

// checkISOAuthority applies the XDS assigning-authority rules to the HD in
// component comp: no namespace, an OID universal id, type ISO.
func (c *collector) checkISOAuthority(h HD, comp int) {
	if h.NamespaceID != "" {
		c.add(CodeHDMustNotHaveNamespaceID, comp, 1, "the assigning authority must be given by OID only")
	}
	if h.UniversalIDType != "ISO" {
		c.add(CodeUniversalIDTypeMustBeISO, comp, 3, "universal id type is "+quote(h.UniversalIDType)+", want \"ISO\"")
	}
	if h.UniversalID == "" {
		c.add(CodeHDNeedsUniversalID, comp, 2, "the universal id (OID) is missing")
	} else {
		c.checkOID(h.UniversalID, comp, 2)
	}
}

func quote(s string) string { return "\"" + s + "\"" }

// ValidateHD checks a standalone HD used as an XDS assigning authority.
func ValidateHD(h HD, _ Profile) error {
	c := collector{typ: "HD"}
	c.checkISOAuthority(h, 0)
	for _, e := range c.errs { // standalone: the HD parts are components
		e.Component, e.Subcomponent = e.Subcomponent, 0
	}
	return c.errs.err()
}

// ValidateCX checks an XDS patient id (patientId, sourcePatientId): CX.1
// and CX.4 with an ISO assigning authority; nothing else (IHE), or also CX.5
// and CX.7 (DMP).
func ValidateCX(x CX, p Profile) error {
	c := collector{typ: "CX"}
	forbidden := map[int]bool{2: true, 3: true, 5: true, 6: true, 7: true, 8: true, 9: true, 10: true}
	allowed := "only CX.1 and CX.4 are allowed"
	if p == DMP {
		forbidden[5], forbidden[7] = false, false
		allowed = "only CX.1, CX.4, CX.5 and CX.7 are allowed in the DMP"
	}
	c.forbid(CodeCXTooManyComponents, forbidden, x.parts(), allowed)
	if x.ID == "" {
		c.add(CodeCXNeedsID, 1, 0, "the id (CX.1) is missing")
	}
	c.checkISOAuthority(x.AssigningAuthority, 4)
	return c.errs.err()
}

// ValidateCXi checks a referenceIdList value: CX.1 and CX.5 required; CX.4
// either a namespace or an OID with its type; CX.6 (home community id,
// CP-ITI-1292) allowed; CX.2, 3, 7–10 forbidden.
func ValidateCXi(x CXi, _ Profile) error {
	c := collector{typ: "CXi"}
	cx := CX(x)
	forbidden := map[int]bool{2: true, 3: true, 7: true, 8: true, 9: true, 10: true}
	c.forbid(CodeCXiTooManyComponents, forbidden, cx.parts(), "only CX.1, CX.4, CX.5 and CX.6 are allowed")
	if x.ID == "" {
		c.add(CodeCXNeedsID, 1, 0, "the id (CX.1) is missing")
	}
	if x.IdentifierTypeCode == "" {
		c.add(CodeCXiNeedsIDTypeCode, 5, 0, "the identifier type code (CX.5) is missing")
	}
	if aa := x.AssigningAuthority; !aa.IsZero() && aa.NamespaceID == "" && (aa.UniversalID == "" || aa.UniversalIDType == "") {
		c.add(CodeCXiIncompleteAssigningAuth, 4, 0, "CX.4 needs a namespace id, or a universal id and its type")
	}
	return c.errs.err()
}

// ValidateXCN checks an XDS person (authorPerson, legalAuthenticator): an id
// or a family name; with an id, an ISO assigning authority in XCN.9.
func ValidateXCN(x XCN, _ Profile) error {
	c := collector{typ: "XCN"}
	if x.ID == "" && x.FamilyName.Surname == "" {
		c.add(CodePersonMissingNameAndID, 0, 0, "neither an id (XCN.1) nor a family name (XCN.2.1)")
	}
	if x.ID != "" && x.AssigningAuthority.IsZero() {
		c.add(CodePersonHDMissing, 9, 0, "XCN.1 is set but its assigning authority (XCN.9) is missing")
	}
	if !x.AssigningAuthority.IsZero() {
		c.checkISOAuthority(x.AssigningAuthority, 9)
	}
	return c.errs.err()
}

// ValidateXON checks an XDS organization (authorInstitution): XON.1
// required; XON.6 an ISO assigning authority when present, else XON.10 (or
// XON.3) an OID; only XON.1, 3, 6, 10 (IHE) and also XON.7 (DMP) allowed.
func ValidateXON(o XON, p Profile) error {
	c := collector{typ: "XON"}
	if o.Name == "" {
		c.add(CodeOrganizationNameMissing, 1, 0, "the organization name (XON.1) is missing")
	}
	if !o.AssigningAuthority.IsZero() {
		c.checkISOAuthority(o.AssigningAuthority, 6)
	} else if o.OrganizationIdentifier != "" {
		c.checkOID(o.OrganizationIdentifier, 10, 0)
	} else if o.IDNumber != "" {
		c.checkOID(o.IDNumber, 3, 0)
	}
	forbidden := map[int]bool{2: true, 4: true, 5: true, 7: true, 8: true, 9: true}
	allowed := "only XON.1, XON.3, XON.6 and XON.10 are allowed"
	if p == DMP {
		forbidden[7] = false
		allowed = "only XON.1, XON.3, XON.6, XON.7 and XON.10 are allowed in the DMP"
	}
	c.forbid(CodeOrganizationTooManyComponents, forbidden, o.parts(), allowed)
	return c.errs.err()
}

// ValidateXTN checks an XDS telecommunication address: "Internet" (use NET
// or empty) needs an e-mail and no phone parts; "PH" and "CP" (use not NET)
// need exactly one of XTN.7 and XTN.12 and no e-mail; other types are
// rejected. XTN.5–8 must be numbers.
func ValidateXTN(t XTN, _ Profile) error {
	c := collector{typ: "XTN"}
	switch t.EquipmentType {
	case "Internet":
		if t.UseCode != "" && t.UseCode != "NET" {
			c.add(CodeWrongTelecomUse, 2, 0, "use code "+quote(t.UseCode)+" with type Internet; want NET or empty")
		}
		if t.Email == "" {
			c.add(CodeMissingTelecomParam, 4, 0, "type Internet needs an e-mail address (XTN.4)")
		}
		for i, v := range map[int]string{5: t.CountryCode, 6: t.AreaCityCode, 7: t.LocalNumber, 8: t.Extension, 12: t.UnformattedTelephone} {
			if v != "" {
				c.add(CodeInconsistentTelecomParam, i, 0, "type Internet allows no telephone parts")
			}
		}
	case "PH", "CP":
		if t.UseCode == "NET" {
			c.add(CodeWrongTelecomUse, 2, 0, "use code NET with a telephone type")
		}
		if t.Email != "" {
			c.add(CodeInconsistentTelecomParam, 4, 0, "a telephone type allows no e-mail address")
		}
		switch {
		case t.LocalNumber == "" && t.UnformattedTelephone == "":
			c.add(CodeMissingTelecomParam, 7, 0, "a telephone needs XTN.7 (local number) or XTN.12 (unformatted)")
		case t.LocalNumber != "" && t.UnformattedTelephone != "":
			c.add(CodeInconsistentTelecomParam, 12, 0, "XTN.7 and XTN.12 are mutually exclusive")
		}
	default:
		c.add(CodeWrongTelecomType, 3, 0, "equipment type "+quote(t.EquipmentType)+"; want Internet, PH or CP")
	}
	for i, v := range []string{t.CountryCode, t.AreaCityCode, t.LocalNumber, t.Extension} {
		if v != "" && !isNumber(v) {
			c.add(CodeInvalidNumberFormat, 5+i, 0, quote(v)+" is not a number")
		}
	}
	c.errs.sort()
	return c.errs.err()
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ValidateCWE checks an XDS coded string value (authorSpecialty,
// authorRole): a code (IHE); a code, a display name and an OID coding
// scheme (DMP).
func ValidateCWE(v CWE, p Profile) error {
	c := collector{typ: "CWE"}
	if v.Identifier == "" {
		c.add(CodeCWENeedsIdentifier, 1, 0, "the code (CWE.1) is missing")
	}
	if p == DMP {
		if v.Text == "" {
			c.add(CodeCWENeedsText, 2, 0, "the display name (CWE.2) is missing")
		}
		if v.CodingSystem == "" {
			c.add(CodeCWENeedsCodingSystem, 3, 0, "the coding scheme (CWE.3) is missing")
		} else {
			c.checkOID(v.CodingSystem, 3, 0)
		}
	}
	return c.errs.err()
}
