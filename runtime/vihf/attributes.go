package vihf

import (
	"fmt"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/oid"
)

// obligation of an attribute in one authentication mode.
type obligation uint8

const (
	optional obligation = iota
	mandatory
)

// value is one AttributeValue: a string, or an HL7 CE.
type value struct {
	text string
	code *Code
}

// attrSpec is one row of the attribute table.
type attrSpec struct {
	label string             // stable name for messages
	names map[Version]string // Attribute/@Name per version; absent = not defined in that version
	// hl7Element is the HL7 element holding a CE value ("" for xs:string values).
	hl7Element string
	// obligation per mode; modes not listed use dflt.
	byMode map[Mode]obligation
	dflt   obligation
	// source is where the obligation comes from: the tags EX, KIT, IGV2
	// and PSC name the sources listed in docs/vihf.md#sources.
	source string
	get    func(*Claims) []value
	// validate returns problems of a present value.
	validate func(*Claims) []string
}

func (s *attrSpec) required(m Mode) bool {
	if o, ok := s.byMode[m]; ok {
		return o == mandatory
	}
	return s.dflt == mandatory
}

func (s *attrSpec) values(c *Claims) []value { return s.get(c) }

func (s *attrSpec) check(c *Claims) []string {
	if s.validate == nil {
		return nil
	}
	return s.validate(c)
}

func both(name string) map[Version]string { return map[Version]string{V3: name, V4: name} }

func str(s string) []value {
	if s == "" {
		return nil
	}
	return []value{{text: s}}
}

func ce(c Code) []value {
	if c.IsZero() {
		return nil
	}
	return []value{{code: &c}}
}

func checkCode(c Code) []string { return checkCodeSystem(c.Code, c.CodeSystem) }

func checkCodeRef(c CodeRef) []string { return checkCodeSystem(c.Code, c.OID) }

func checkCodeSystem(code, system string) []string {
	var p []string
	if code == "" {
		p = append(p, "code is empty")
	}
	if !oid.Valid(system) {
		p = append(p, fmt.Sprintf("code system %q is not an OID", system))
	}
	return p
}

// Access modes (PurposeOfUse): the codes of TRE_R248-ModeAcces, whose code
// system the samples name 1.2.250.1.213.1.1.4.248 ("mode acces VIHF 2.0")
// and the terminology server publishes as 1.2.250.1.213.1.1.4.336.
var (
	purposeSystems = map[string]bool{"1.2.250.1.213.1.1.4.248": true, "1.2.250.1.213.1.1.4.336": true}
	purposeCodes   = map[string]bool{"normal": true, "bris_de_glace": true, "centre_15": true}
)

func checkPurpose(c Code) []string {
	if !purposeSystems[c.CodeSystem] {
		return []string{fmt.Sprintf("code system %q is not the access mode table TRE_R248 (1.2.250.1.213.1.1.4.248)", c.CodeSystem)}
	}
	if !purposeCodes[c.Code] {
		return []string{fmt.Sprintf("access mode %q is not normal, bris_de_glace or centre_15 (TRE_R248)", c.Code)}
	}
	return nil
}

// Professions whose first Role needs a second one (savoir-faire), in
// TRE_G15-ProfessionSante (1.2.250.1.71.1.2.7): 10 médecin, 21 pharmacien
// [IGV2, the ANS guide of docs/vihf.md#sources].
const professionOID = "1.2.250.1.71.1.2.7"

var needsSavoirFaire = map[string]bool{"10": true, "21": true}

// attributes is the VIHF attribute table, in the order of the official
// samples. Obligations are O (mandatory) or F (optional) as the sources
// state them (docs/vihf.md#sources); where no source states one, the choice
// is explained in source.
// Mode_Acces_Raison is not in the table: no source read defines it.
var attributes = []attrSpec{
	{
		label: "Identifiant_Structure", names: both("Identifiant_Structure"),
		dflt: optional, byMode: map[Mode]obligation{Indirecte: mandatory, IndirecteRenforcee: mandatory},
		source: "F [KIT]; mandatory in the INDIRECTE modes, where the structure signs (inferred)",
		get:    func(c *Claims) []value { return str(c.StructureID) },
	},
	{
		label: "Secteur_Activite", names: both("Secteur_Activite"), dflt: mandatory, source: "O [KIT]",
		get: func(c *Claims) []value {
			if c.SecteurActivite.IsZero() {
				return nil
			}
			return str(c.SecteurActivite.String())
		},
		validate: func(c *Claims) []string { return checkCodeRef(c.SecteurActivite) },
	},
	{
		label: "subject-id", names: both("urn:oasis:names:tc:xspa:1.0:subject:subject-id"), dflt: mandatory, source: "O [KIT]",
		get: func(c *Claims) []value { return str(c.SubjectName) },
	},
	{
		label: "role", names: both("urn:oasis:names:tc:xacml:2.0:subject:role"), hl7Element: "Role", dflt: mandatory,
		source: "first occurrence O; second O for médecins and pharmaciens [IGV2]",
		get: func(c *Claims) []value {
			var v []value
			for i := range c.Roles {
				v = append(v, value{code: &c.Roles[i]})
			}
			return v
		},
		validate: func(c *Claims) []string {
			var p []string
			for i, r := range c.Roles {
				for _, q := range checkCode(r) {
					p = append(p, fmt.Sprintf("role %d: %s", i+1, q))
				}
			}
			if first := c.Roles[0]; first.CodeSystem == professionOID && needsSavoirFaire[first.Code] && len(c.Roles) < 2 {
				p = append(p, fmt.Sprintf("profession %s needs a second role (savoir-faire) [IGV2]", first.Code))
			}
			return p
		},
	},
	{
		label: "VIHF_Version", names: both("VIHF_Version"), dflt: mandatory, source: "O [KIT]",
		get: func(c *Claims) []value { return str(string(c.Version)) },
	},
	{
		label: "Authentification_Mode", names: map[Version]string{V3: "Authentification_mode", V4: "Authentification_Mode"},
		dflt: mandatory, source: "in every sample; spelling per version [EX]/[IGV2]",
		get: func(c *Claims) []value { return str(string(c.Mode)) },
	},
	{
		label: "resource-id", names: both("urn:oasis:names:tc:xacml:2.0:resource:resource-id"), dflt: mandatory,
		source: "not stated; present in every sample request, including TD0.4 [EX]",
		get: func(c *Claims) []value {
			if c.Patient == (hl7v2.CX{}) {
				return nil
			}
			return str(c.Patient.Format())
		},
		validate: func(c *Claims) []string {
			if err := hl7v2.ValidateCX(c.Patient, hl7v2.DMP); err != nil {
				return []string{err.Error()}
			}
			return nil
		},
	},
	{
		label: "Ressource_URN", names: both("Ressource_URN"), dflt: mandatory, source: "O [KIT]",
		get: func(c *Claims) []value { return str(c.ResourceURN) },
		validate: func(c *Claims) []string {
			if c.ResourceURN != ResourceURNDMP {
				return []string{fmt.Sprintf("%q is not the DMP resource (%s)", c.ResourceURN, ResourceURNDMP)}
			}
			return nil
		},
	},
	{
		label: "purposeofuse", names: both("urn:oasis:names:tc:xspa:1.0:subject:purposeofuse"), hl7Element: "PurposeOfUse",
		dflt: mandatory, source: "not stated; in every sample, defaults to normal [EX]",
		get:      func(c *Claims) []value { return ce(c.PurposeOfUse) },
		validate: func(c *Claims) []string { return checkPurpose(c.PurposeOfUse) },
	},
	{
		label: "LPS_ID", names: both("LPS_ID"), dflt: optional, source: "F [KIT, IGV2]",
		get: func(c *Claims) []value { return str(c.LPSID) },
	},
	{
		label: "LPS_Nom", names: both("LPS_Nom"), dflt: mandatory, source: "not stated; in every sample and source [EX, KIT, PSC, IGV2]",
		get: func(c *Claims) []value { return str(c.LPSName) },
	},
	{
		label: "LPS_Version", names: both("LPS_Version"), dflt: mandatory, source: "not stated; in every sample and source [EX, KIT, PSC, IGV2]",
		get: func(c *Claims) []value { return str(c.LPSVersion) },
	},
	{
		label: "LPS_ID_HOMOLOGATION_DMP", names: both("LPS_ID_HOMOLOGATION_DMP"), dflt: mandatory,
		source: "not stated; in every sample and source [EX, KIT, PSC, IGV2]",
		get:    func(c *Claims) []value { return str(c.LPSHomologation) },
	},
	{
		label: "Mode_Acces", names: map[Version]string{V3: "Mode_Acces"}, dflt: optional, source: "F [KIT], legacy",
		get: func(c *Claims) []value { return str(c.ModeAcces) },
	},
	{
		label: "confidentiality-code", hl7Element: "ConfidentialityCode",
		names:  map[Version]string{V3: "Confidentiality_code", V4: "urn:oasis:names:tc:xspa:1.0:resource:patient:hl7:confidentiality-code"},
		dflt:   optional,
		source: "F [KIT]; IGV2: mandatory when a secret connection is requested (caller's decision)",
		get:    func(c *Claims) []value { return ce(c.Confidentiality) },
		validate: func(c *Claims) []string {
			return checkCode(c.Confidentiality)
		},
	},
	{
		label: "LPS_Type", names: map[Version]string{V3: "LPS_Type"}, dflt: optional, source: "F [KIT]",
		get: func(c *Claims) []value { return str(c.LPSType) },
	},
	{
		label: "Profession", names: map[Version]string{V3: "Profession"}, dflt: optional,
		source: "O in [KIT] but absent from every sample: legacy, emitted only when set",
		get: func(c *Claims) []value {
			if c.Profession.IsZero() {
				return nil
			}
			return str(c.Profession.String())
		},
		validate: func(c *Claims) []string { return checkCodeRef(c.Profession) },
	},
}
