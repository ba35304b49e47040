//go:build dmpgen_template

package xdsrim

import (
	"github.com/dmpgen/dmpgen/generated/valuesets"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// DMPValueSets binds the DMP value sets of the kit to the coded XDS
// attributes, for xds.Options.ValueSets:
//
//	classCode                  JDV_J57-ClassCode-DMP
//	typeCode                   JDV_J66-TypeCode-DMP
//	formatCode                 JDV_J60-FormatCode-DMP
//	contentTypeCode            JDV_J59-ContentTypeCode-DMP
//	practiceSettingCode        JDV_J62-PracticeSettingCode-DMP
//	authorSpecialty            JDV_J56-AuthorSpecialty-DMP
//	confidentialityCode        JDV_J08-XdsConfidentialityCode-CISIS (J58, the DMP set, is not in the kit:
//	                           docs/valuesets.md#value-sets-in-the-kit)
//	healthcareFacilityTypeCode JDV_J02-XdsHealthcareFacilityTypeCode-CISIS (J61 is not in the kit)
//	availabilityStatus         JDV_J52-AvailabilityStatus-CISIS (by code: the wire form has no code system)
//	referenceIdList            JDV_J231-XdsTypesIdentifiantsReferenceId-DMP (the identifier type, CX.5, by code)
//
// eventCodeList, authorRole and the Folder codeList have no DMP value set
// in the kit and are not bound.
func DMPValueSets() xds.ValueSets {
	return xds.ValueSets{
		"classCode":                  bind(valuesets.J57ClassCodeDMP(0).ValueSet()),
		"typeCode":                   bind(valuesets.J66TypeCodeDMP(0).ValueSet()),
		"formatCode":                 bind(valuesets.J60FormatCodeDMP(0).ValueSet()),
		"contentTypeCode":            bind(valuesets.J59ContentTypeCodeDMP(0).ValueSet()),
		"practiceSettingCode":        bind(valuesets.J62PracticeSettingCodeDMP(0).ValueSet()),
		"authorSpecialty":            bind(valuesets.J56AuthorSpecialtyDMP(0).ValueSet()),
		"confidentialityCode":        bind(valuesets.J08XdsConfidentialityCodeCISIS(0).ValueSet()),
		"healthcareFacilityTypeCode": bind(valuesets.J02XdsHealthcareFacilityTypeCodeCISIS(0).ValueSet()),
		"availabilityStatus":         bindCodes(valuesets.J52AvailabilityStatusCISIS(0).ValueSet()),
		"referenceIdList":            bindCodes(valuesets.J231XdsTypesIdentifiantsReferenceIdDMP(0).ValueSet()),
	}
}

// CISISValueSets binds the CI-SIS value sets (JDV_Jnn-Xds...-CISIS) to the
// coded XDS attributes: J06 classCode, J07 typeCode, J10 formatCode, J08
// confidentialityCode, J02 healthcareFacilityTypeCode, J04
// practiceSettingCode, J01 authorSpecialty, J52 availabilityStatus, J197
// referenceIdList. The kit has no CI-SIS contentTypeCode set: the DMP's J59
// stands in.
func CISISValueSets() xds.ValueSets {
	return xds.ValueSets{
		"classCode":                  bind(valuesets.J06XdsClassCodeCISIS(0).ValueSet()),
		"typeCode":                   bind(valuesets.J07XdsTypeCodeCISIS(0).ValueSet()),
		"formatCode":                 bind(valuesets.J10XdsFormatCodeCISIS(0).ValueSet()),
		"contentTypeCode":            bind(valuesets.J59ContentTypeCodeDMP(0).ValueSet()),
		"practiceSettingCode":        bind(valuesets.J04XdsPracticeSettingCodeCISIS(0).ValueSet()),
		"authorSpecialty":            bind(valuesets.J01XdsAuthorSpecialtyCISIS(0).ValueSet()),
		"confidentialityCode":        bind(valuesets.J08XdsConfidentialityCodeCISIS(0).ValueSet()),
		"healthcareFacilityTypeCode": bind(valuesets.J02XdsHealthcareFacilityTypeCodeCISIS(0).ValueSet()),
		"availabilityStatus":         bindCodes(valuesets.J52AvailabilityStatusCISIS(0).ValueSet()),
		"referenceIdList":            bindCodes(valuesets.J197XdsTypesIdentifiantsReferenceIdCISIS(0).ValueSet()),
	}
}

func bind(v valuesets.ValueSet) xds.Binding { return xds.Binding{Name: v.Name, Set: v} }

// bindCodes binds a value set whose codes appear on the wire without their
// code system: membership is by code alone.
func bindCodes(v valuesets.ValueSet) xds.Binding {
	codes := make(codeSet)
	for _, c := range v.Concepts() {
		codes[c.Code] = true
	}
	return xds.Binding{Name: v.Name, Set: codes}
}

// codeSet is a value set matched by code only.
type codeSet map[string]bool

// Contains reports whether code is in the set; codeSystem is ignored.
func (s codeSet) Contains(code, _ string) bool { return s[code] }

// Concept is a concept constant of a generated value set
// (valuesets.J57ClassCodeDMP_10, ...).
type Concept interface {
	Concept() (valuesets.Concept, bool)
}

// CodeOf returns the XDS coded value of a value-set concept: its code, its
// code system as codingScheme and its display name. It returns the zero
// Code for a value that is not a concept of its set.
func CodeOf(c Concept) xds.Code {
	k, ok := c.Concept()
	if !ok {
		return xds.Code{}
	}
	return xds.Code{Code: k.Code, Scheme: k.CodeSystem, Display: k.Display}
}
