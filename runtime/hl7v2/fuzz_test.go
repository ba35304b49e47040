package hl7v2

import "testing"

// seeds are shared by every fuzz target: real DMP values and edge cases.
var seeds = []string{
	"",
	"207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH",
	"207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH^^20100907",
	"899900063480^MAX^LIBRE^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS",
	"CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001",
	"G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5",
	"^NET^Internet^max.libre@example.org",
	"^PRN^PH^^33^1^23456789",
	`a\S\b\T\c\F\d\R\e\E\f`,
	`\X41\`, `\`, `\F`, "a|b", "a~b", "^^^&&&^^^", "&&&", "1^2^3^4^5^6^7^8^9^10^11^12^13",
	"20100319183244", "2010", "20240229", "2010-03", "20100319183244.5",
}

// fuzzRoundTrip checks the parser contract: no panic; a parsed value
// formats to text that parses back to the same value, and formatting is
// idempotent; validation never panics.
func fuzzRoundTrip[T comparable](f *testing.F, parse func(string) (T, error), format func(T) string, validate func(T, Profile) error) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parse(s)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("parse(%q) error %T is not *Error", s, err)
			}
			return
		}
		out := format(v)
		v2, err := parse(out)
		if err != nil {
			t.Fatalf("parse(Format(parse(%q))) = %v (formatted %q)", s, err, out)
		}
		if v2 != v {
			t.Fatalf("round trip of %q changed the value:\n%+v\n%+v", s, v, v2)
		}
		if out2 := format(v2); out2 != out {
			t.Fatalf("Format not idempotent: %q then %q", out, out2)
		}
		if validate != nil {
			_ = validate(v, IHE)
			_ = validate(v, DMP)
		}
	})
}

func FuzzCX(f *testing.F)  { fuzzRoundTrip(f, ParseCX, CX.Format, ValidateCX) }
func FuzzCXi(f *testing.F) { fuzzRoundTrip(f, ParseCXi, CXi.Format, ValidateCXi) }
func FuzzHD(f *testing.F)  { fuzzRoundTrip(f, ParseHD, HD.Format, ValidateHD) }
func FuzzXCN(f *testing.F) { fuzzRoundTrip(f, ParseXCN, XCN.Format, ValidateXCN) }
func FuzzXON(f *testing.F) { fuzzRoundTrip(f, ParseXON, XON.Format, ValidateXON) }
func FuzzXTN(f *testing.F) { fuzzRoundTrip(f, ParseXTN, XTN.Format, ValidateXTN) }
func FuzzCWE(f *testing.F) { fuzzRoundTrip(f, ParseCWE, CWE.Format, ValidateCWE) }
func FuzzDTM(f *testing.F) { fuzzRoundTrip(f, ParseDTM, DTM.Format, nil) }
