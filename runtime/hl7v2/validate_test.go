package hl7v2

import (
	"errors"
	"fmt"
	"testing"
)

type vcase struct {
	in   string
	p    Profile
	want []string // "CODE@comp.sub", empty: valid
}

func runValidate[T any](t *testing.T, name string, parse func(string) (T, error), validate func(T, Profile) error, cases []vcase) {
	t.Helper()
	for _, c := range cases {
		v, err := parse(c.in)
		if err != nil {
			t.Fatalf("%s %q: parse: %v", name, c.in, err)
		}
		err = validate(v, c.p)
		var got []string
		var es Errors
		if err != nil && !errors.As(err, &es) {
			t.Fatalf("%s %q: error %T is not Errors", name, c.in, err)
		}
		for _, e := range es {
			if e.Type != name || e.Offset != -1 {
				t.Errorf("%s %q: error %+v has the wrong type or an offset", name, c.in, e)
			}
			got = append(got, fmt.Sprintf("%s@%d.%d", e.Code, e.Component, e.Subcomponent))
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s %q (%v): got %v, want %v", name, c.in, c.p, got, c.want)
		}
	}
}

func TestValidateCX(t *testing.T) {
	runValidate(t, "CX", ParseCX, ValidateCX, []vcase{
		{"207058575627097^^^&1.2.250.1.213.1.4.10&ISO", IHE, nil},
		{"207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH", IHE, []string{"CX_TOO_MANY_COMPONENTS@5.0"}},
		{"207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH", DMP, nil},
		{"207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH^^20100907", DMP, nil},
		{"207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH^^20100907", IHE, []string{"CX_TOO_MANY_COMPONENTS@5.0", "CX_TOO_MANY_COMPONENTS@7.0"}},
		{"1^2^^&1.2&ISO", DMP, []string{"CX_TOO_MANY_COMPONENTS@2.0"}},
		{"1^^^&1.2&ISO^^&1.3&ISO", DMP, []string{"CX_TOO_MANY_COMPONENTS@6.0"}},
		{"1^^^&1.2&ISO^^^^^^X", IHE, []string{"CX_TOO_MANY_COMPONENTS@10.0"}},
		{"^^^&1.2&ISO", IHE, []string{"CX_NEEDS_ID@1.0"}},
		{"1^^^NS&1.2&ISO", IHE, []string{"HD_MUST_NOT_HAVE_NAMESPACE_ID@4.1"}},
		{"1^^^&1.2&DNS", IHE, []string{"UNIVERSAL_ID_TYPE_MUST_BE_ISO@4.3"}},
		{"1^^^&&ISO", IHE, []string{"HD_NEEDS_UNIVERSAL_ID@4.2"}},
		{"1", IHE, []string{"UNIVERSAL_ID_TYPE_MUST_BE_ISO@4.3", "HD_NEEDS_UNIVERSAL_ID@4.2"}},
		{"1^^^&1.02&ISO", IHE, []string{"INVALID_OID@4.2"}},
		{"1^^^&1.2.33333333333333333333333333333333333333333333333333333333333333&ISO", IHE, []string{"OID_TOO_LONG@4.2"}},
	})
}

func TestValidateCXi(t *testing.T) {
	runValidate(t, "CXi", ParseCXi, ValidateCXi, []vcase{
		{"A12^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:accession", IHE, nil},
		{"A12^^^NS^urn:ihe:iti:xds:2013:order", IHE, nil},
		{"A12^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:accession^&urn:oid:1.2.4&ISO", IHE, nil},
		{"A12^^^^urn:ihe:iti:xds:2013:accession", IHE, nil},
		{"^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:accession", IHE, []string{"CX_NEEDS_ID@1.0"}},
		{"A12^^^&1.2.3&ISO", IHE, []string{"CXI_NEEDS_ID_TYPE_CODE@5.0"}},
		{"A12^^^&1.2.3^urn:x", IHE, []string{"CXI_INCOMPLETE_ASSIGNING_AUTHORITY@4.0"}},
		{"A12^1^^&1.2.3&ISO^urn:x^^2020", IHE, []string{"CXI_TOO_MANY_COMPONENTS@2.0", "CXI_TOO_MANY_COMPONENTS@7.0"}},
	})
}

func TestValidateXCN(t *testing.T) {
	runValidate(t, "XCN", ParseXCN, ValidateXCN, []vcase{
		{"899900063480^MAX^LIBRE^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS", IHE, nil},
		{"^MAX^LIBRE", IHE, nil},
		{"^^LIBRE", IHE, []string{"PERSON_MISSING_NAME_AND_ID@0.0"}},
		{"899900063480^MAX", IHE, []string{"PERSON_HD_MISSING@9.0"}},
		{"899900063480^MAX^^^^^^^NS&1.2.250.1.71.4.2.1&ISO", IHE, []string{"HD_MUST_NOT_HAVE_NAMESPACE_ID@9.1"}},
		{"899900063480^MAX^^^^^^^&1.2.250.1.71.4.2.1", IHE, []string{"UNIVERSAL_ID_TYPE_MUST_BE_ISO@9.3"}},
		{"899900063480^MAX^^^^^^^&x&ISO", IHE, []string{"INVALID_OID@9.2"}},
	})
}

func TestValidateXON(t *testing.T) {
	runValidate(t, "XON", ParseXON, ValidateXON, []vcase{
		{"CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001", DMP, nil},
		{"CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001", IHE, []string{"ORGANIZATION_TOO_MANY_COMPONENTS@7.0"}},
		{"CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^^^^499900063480001", IHE, nil},
		{"Some Hospital^^^^^^^^^1.2.3.4.5.6.7.8.9.1789.45", IHE, nil},
		{"Some Hospital", IHE, nil},
		{"Some Hospital^^1.2.3", IHE, nil},
		{"Some Hospital^^^^^^^^^499900063480001", IHE, []string{"INVALID_OID@10.0"}},
		{"Some Hospital^^x", IHE, []string{"INVALID_OID@3.0"}},
		{"^^^^^&1.2&ISO", IHE, []string{"ORGANIZATION_NAME_MISSING@1.0"}},
		{"A^L^^1^M11^&1.2&ISO^^&1.3&ISO^A", DMP, []string{"ORGANIZATION_TOO_MANY_COMPONENTS@2.0", "ORGANIZATION_TOO_MANY_COMPONENTS@4.0",
			"ORGANIZATION_TOO_MANY_COMPONENTS@5.0", "ORGANIZATION_TOO_MANY_COMPONENTS@8.0", "ORGANIZATION_TOO_MANY_COMPONENTS@9.0"}},
		{"A^^^^^&1.2&DNS", IHE, []string{"UNIVERSAL_ID_TYPE_MUST_BE_ISO@6.3"}},
	})
}

func TestValidateXTN(t *testing.T) {
	runValidate(t, "XTN", ParseXTN, ValidateXTN, []vcase{
		{"^NET^Internet^max.libre@example.org", IHE, nil},
		{"^^Internet^max.libre@example.org", IHE, nil},
		{"^PRN^PH^^33^1^23456789", IHE, nil},
		{"^PRN^CP^^^^^^^^^+33612345678", IHE, nil},
		{"^PRN^Internet^a@b", IHE, []string{"WRONG_TELECOM_USE@2.0"}},
		{"^NET^Internet", IHE, []string{"MISSING_TELECOM_PARAM@4.0"}},
		{"^NET^Internet^a@b^33^^1", IHE, []string{"INCONSISTENT_TELECOM_PARAM@5.0", "INCONSISTENT_TELECOM_PARAM@7.0"}},
		{"^NET^PH^^^^123", IHE, []string{"WRONG_TELECOM_USE@2.0"}},
		{"^PRN^PH^a@b^^^123", IHE, []string{"INCONSISTENT_TELECOM_PARAM@4.0"}},
		{"^PRN^PH", IHE, []string{"MISSING_TELECOM_PARAM@7.0"}},
		{"^PRN^PH^^^^123^^^^^+33123", IHE, []string{"INCONSISTENT_TELECOM_PARAM@12.0"}},
		{"^PRN^FX^^^^123", IHE, []string{"WRONG_TELECOM_TYPE@3.0"}},
		{"^PRN^PH^^+33^1^12 34", IHE, []string{"INVALID_NUMBER_FORMAT@5.0", "INVALID_NUMBER_FORMAT@7.0"}},
	})
}

func TestValidateCWEAndHD(t *testing.T) {
	runValidate(t, "CWE", ParseCWE, ValidateCWE, []vcase{
		{"G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5", DMP, nil},
		{"G15_10/SM26", IHE, nil},
		{"G15_10/SM26", DMP, []string{"CWE_NEEDS_TEXT@2.0", "CWE_NEEDS_CODING_SYSTEM@3.0"}},
		{"^Médecin^1.2.250.1.213.1.1.4.5", DMP, []string{"CWE_NEEDS_IDENTIFIER@1.0"}},
		{"SM26^Médecin^TRE_R38", DMP, []string{"INVALID_OID@3.0"}},
	})
	runValidate(t, "HD", ParseHD, ValidateHD, []vcase{
		{"^1.2.250.1.213.1.4.10^ISO", IHE, nil},
		{"NS^1.2^ISO", IHE, []string{"HD_MUST_NOT_HAVE_NAMESPACE_ID@1.0"}},
		{"^^ISO", IHE, []string{"HD_NEEDS_UNIVERSAL_ID@2.0"}},
	})
}

func TestErrorsAs(t *testing.T) {
	x, _ := ParseCX("^^^&1.2&DNS")
	err := ValidateCX(x, IHE)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeUniversalIDTypeMustBeISO && e.Code != CodeCXNeedsID {
		t.Fatalf("errors.As: %v", err)
	}
	var es Errors
	if !errors.As(err, &es) || !es.Has(CodeCXNeedsID) || es.Has(CodeInvalidOID) {
		t.Fatalf("Errors: %v", err)
	}
	if IHE.String() != "IHE" || DMP.String() != "DMP" {
		t.Fatal("Profile.String")
	}
}
