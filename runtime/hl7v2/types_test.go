package hl7v2

import (
	"errors"
	"reflect"
	"testing"
)

// roundTrip parses s with parse, checks Format(Parse(s)) == s and returns the value.
func roundTrip[T interface{ Format() string }](t *testing.T, parse func(string) (T, error), s string) T {
	t.Helper()
	v, err := parse(s)
	if err != nil {
		t.Fatalf("parse(%q): %v", s, err)
	}
	if got := v.Format(); got != s {
		t.Fatalf("Format(Parse(%q)) = %q", s, got)
	}
	return v
}

func TestCXRoundTrip(t *testing.T) {
	cx := roundTrip(t, ParseCX, "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH")
	want := CX{ID: "207058575627097", AssigningAuthority: HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"}
	if cx != want {
		t.Fatalf("got %+v", cx)
	}
	cx = roundTrip(t, ParseCX, "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH^^20100907")
	if cx.EffectiveDate != "20100907" {
		t.Fatalf("CX.7 = %q", cx.EffectiveDate)
	}
	cx = roundTrip(t, ParseCX, `a\S\b\T\c\F\d\R\e\E\f^^^&1.2.3&ISO^^^^^J1&Jurisdiction&L^A1&&&&&&&&orig`)
	if cx.ID != `a^b&c|d~e\f` || cx.AssigningJurisdiction.Text != "Jurisdiction" || cx.AssigningAgency.OriginalText != "orig" {
		t.Fatalf("got %+v", cx)
	}
}

func TestXCNRoundTrip(t *testing.T) {
	x := roundTrip(t, ParseXCN, "899900063480^MAX^LIBRE^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS")
	if x.ID != "899900063480" || x.FamilyName.Surname != "MAX" || x.GivenName != "LIBRE" ||
		x.AssigningAuthority.UniversalID != "1.2.250.1.71.4.2.1" || x.NameTypeCode != "D" || x.IdentifierTypeCode != "IDNPS" {
		t.Fatalf("got %+v", x)
	}
	x = roundTrip(t, ParseXCN, "^van&der&Berg^Jan^^^Dr^^^^^^^^^^^20200101&20301231^^^^^^J&&&&&&&&x")
	if x.FamilyName != (FN{Surname: "van", OwnSurnamePrefix: "der", OwnSurname: "Berg"}) || x.Prefix != "Dr" ||
		x.NameValidityRange != (DR{Start: "20200101", End: "20301231"}) || x.AssigningAgency.OriginalText != "x" {
		t.Fatalf("got %+v", x)
	}
}

func TestXONRoundTrip(t *testing.T) {
	o := roundTrip(t, ParseXON, "CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001")
	if o.Name != "CABINET DR LIBRE" || o.AssigningAuthority.UniversalID != "1.2.250.1.71.4.2.2" ||
		o.IdentifierTypeCode != "IDNST" || o.OrganizationIdentifier != "499900063480001" {
		t.Fatalf("got %+v", o)
	}
	roundTrip(t, ParseXON, `Caf\E\ \T\ Co^^^^^^^^^1.2.3`)
}

func TestXTNRoundTrip(t *testing.T) {
	x := roundTrip(t, ParseXTN, "^NET^Internet^max.libre@example.org")
	if x.Email != "max.libre@example.org" || x.UseCode != "NET" || x.EquipmentType != "Internet" {
		t.Fatalf("got %+v", x)
	}
	x = roundTrip(t, ParseXTN, "^PRN^PH^^33^1^23456789^12^any^p^s^+33123456789")
	if x.UnformattedTelephone != "+33123456789" || x.LocalNumber != "23456789" {
		t.Fatalf("got %+v", x)
	}
}

func TestCWEAndHDRoundTrip(t *testing.T) {
	c := roundTrip(t, ParseCWE, "G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5")
	if c.Identifier != "G15_10/SM26" || c.Text != "Médecin - Qualifié en Médecine Générale (SM)" || c.CodingSystem != "1.2.250.1.213.1.1.4.5" {
		t.Fatalf("got %+v", c)
	}
	roundTrip(t, ParseCWE, "plain")
	h := roundTrip(t, ParseHD, "^1.2.250.1.213.1.4.10^ISO")
	if h != (HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}) {
		t.Fatalf("got %+v", h)
	}
	ci := roundTrip(t, ParseCXi, "A12^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:accession^&urn:oid:1.2.4&ISO")
	if ci.IdentifierTypeCode != "urn:ihe:iti:xds:2013:accession" || ci.AssigningFacility.UniversalID != "urn:oid:1.2.4" {
		t.Fatalf("got %+v", ci)
	}
}

func TestEmptyAndNormalisation(t *testing.T) {
	for _, tt := range []struct{ in, canon string }{
		{"", ""},
		{"^^^", ""},
		{"1^^^&1.2&ISO^^^^", "1^^^&1.2&ISO"},
		{"1^^^&1.2&ISO&&^NH", "1^^^&1.2&ISO^NH"},
		{"1&&^^^&1.2&ISO", "1^^^&1.2&ISO"}, // empty subcomponents of a simple component
	} {
		v, err := ParseCX(tt.in)
		if err != nil {
			t.Fatalf("ParseCX(%q): %v", tt.in, err)
		}
		if got := v.Format(); got != tt.canon {
			t.Errorf("Format(ParseCX(%q)) = %q, want %q", tt.in, got, tt.canon)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name      string
		parse     func(string) error
		in        string
		code      Code
		comp, sub int
		offset    int
	}{
		{"unknown escape", cx, `12\X41\^^^&1.2&ISO`, CodeInvalidEscape, 1, 0, 2},
		{"unterminated escape", cx, `12\F`, CodeInvalidEscape, 1, 0, 2},
		{"lone backslash", cx, `1^^^&1.2\&ISO`, CodeInvalidEscape, 4, 2, 8},
		{"lower-case escape", xcn, `1^a\s\b`, CodeInvalidEscape, 2, 1, 3},
		{"raw pipe", cx, "1|2", CodeUnescapedDelimiter, 0, 0, 1},
		{"raw tilde", xon, "A~B", CodeUnescapedDelimiter, 0, 0, 1},
		{"too many components", cx, "1^2^3^4^5^6^7^8^9^10^11", CodeTooManyComponents, 11, 0, 21},
		{"too many HD subcomponents", cx, "1^^^&1.2&ISO&x", CodeTooManySubcomponents, 4, 4, 13},
		{"subcomponents in a simple component", xcn, "1^^Jean&Paul", CodeTooManySubcomponents, 3, 2, 7},
		{"too many XTN components", xtn, "^^^^^^^^^^^^x", CodeTooManyComponents, 13, 0, 12},
		{"too many CWE components", cwe, "a^b^c^d^e^f^g^h^i^j", CodeTooManyComponents, 10, 0, 18},
		{"HD standalone", hd, "a^b^c^d", CodeTooManyComponents, 4, 0, 6},
		{"CXi type", cxi, "1^2^3^4^5^6^7^8^9^10^11", CodeTooManyComponents, 11, 0, 21},
	}
	for _, tt := range tests {
		err := tt.parse(tt.in)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: err = %v, want *Error", tt.name, err)
			continue
		}
		if e.Code != tt.code || e.Component != tt.comp || e.Subcomponent != tt.sub || e.Offset != tt.offset {
			t.Errorf("%s: got %s at %d.%d byte %d (%v), want %s at %d.%d byte %d",
				tt.name, e.Code, e.Component, e.Subcomponent, e.Offset, e, tt.code, tt.comp, tt.sub, tt.offset)
		}
	}
}

func cx(s string) error  { _, err := ParseCX(s); return err }
func cxi(s string) error { _, err := ParseCXi(s); return err }
func xcn(s string) error { _, err := ParseXCN(s); return err }
func xon(s string) error { _, err := ParseXON(s); return err }
func xtn(s string) error { _, err := ParseXTN(s); return err }
func cwe(s string) error { _, err := ParseCWE(s); return err }
func hd(s string) error  { _, err := ParseHD(s); return err }

func TestParseErrorReturnsZero(t *testing.T) {
	v, err := ParseXCN("1^A^B^^^^^^&1.2&ISO&x")
	if err == nil || !reflect.DeepEqual(v, XCN{}) {
		t.Fatalf("got %+v, %v; want the zero value and an error", v, err)
	}
	if got := err.Error(); got != "XCN.9.4: TOO_MANY_SUBCOMPONENTS: the component has 3 subcomponents (at byte 20)" {
		t.Fatalf("message %q", got)
	}
	ci, err := ParseCXi("1|")
	var e *Error
	if !errors.As(err, &e) || e.Type != "CXi" || ci != (CXi{}) {
		t.Fatalf("ParseCXi: %+v %v", ci, err)
	}
}
