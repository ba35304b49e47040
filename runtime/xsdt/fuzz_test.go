package xsdt

import (
	"bytes"
	"math/big"
	"regexp"
	"strings"
	"testing"
)

// Property for every Parse function: no panic; a parsed value's String
// parses back to the same value; its canonical form parses to an equal value.

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"0", "-0", ".5", "1.", "+1", "007.50", "-12.340", "1e5", "", "123456789012345678901234567890.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseDecimal(s)
		if err != nil {
			return
		}
		back, err := ParseDecimal(v.String())
		if err != nil || back != v {
			t.Fatalf("%q: String %q reads back as %v, %v", s, v.String(), back, err)
		}
		canon, err := ParseDecimal(v.Canonical())
		if err != nil || canon.Cmp(v) != 0 || canon.Rat().Cmp(v.Rat()) != 0 {
			t.Fatalf("%q: canonical %q: %v", s, v.Canonical(), err)
		}
		if r := DecimalFromRat(v.Rat(), v.FractionDigits()); r.Cmp(v) != 0 {
			t.Fatalf("%q: DecimalFromRat gives %s", s, r)
		}
		i, err := ParseInteger(s)
		if err == nil {
			if back, err := ParseInteger(i.String()); err != nil || back != i || i.Big().String() != i.Decimal().Canonical() {
				t.Fatalf("%q: integer round trip %v %v", s, back, err)
			}
		}
	})
}

func FuzzParseNumbers(f *testing.F) {
	for _, s := range []string{"1", "-128", "+0042", "INF", "-INF", "NaN", "1.5E3", ".5e-1", "1e400", "true", "0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, bits := range []int{8, 16, 32, 64} {
			if v, err := ParseInt(s, bits); err == nil {
				if back, err := ParseInt(IntegerFromInt64(v).String(), bits); err != nil || back != v {
					t.Fatalf("ParseInt %q", s)
				}
			}
			if v, err := ParseUint(s, bits); err == nil {
				if back, err := ParseUint(IntegerFromBig(new(big.Int).SetUint64(v)).String(), bits); err != nil || back != v {
					t.Fatalf("ParseUint %q", s)
				}
			}
		}
		for _, bits := range []int{32, 64} {
			if v, err := ParseDouble(s, bits); err == nil {
				back, err := ParseDouble(FormatDouble(v, bits), bits)
				if err != nil || back != v && !(v != v && back != back) {
					t.Fatalf("ParseDouble(%q, %d) = %v, formatted %q reads back %v %v", s, bits, v, FormatDouble(v, bits), back, err)
				}
			}
		}
		if b, err := ParseBoolean(s); err == nil {
			if back, _ := ParseBoolean(FormatBoolean(b)); back != b {
				t.Fatal("boolean")
			}
		}
	})
}

func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"2019-06-26T08:08:55.469Z", "-0001-01-01T00:00:00+14:00", "1999-12-31T24:00:00", "12345-02-29T00:00:00-14:00",
		"2019-06-26", "08:08:55", "2019", "2019-06", "--06", "--02-29", "---31Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range []dtKind{kDateTime, kDate, kTime, kGYear, kGYearMonth, kGMonth, kGMonthDay, kGDay} {
			m, err := parseMoment(s, k)
			if err != nil {
				continue
			}
			back, err := parseMoment(m.format(k), k)
			if err != nil || back != m {
				t.Fatalf("%s %q: %q reads back as %+v, %v", k.name, s, m.format(k), back, err)
			}
			c := m
			c.lex = ""
			canon, err := parseMoment(c.format(k), k)
			if err != nil {
				t.Fatalf("%s %q: canonical %q: %v", k.name, s, c.format(k), err)
			}
			canon.lex = ""
			if canon != c {
				t.Fatalf("%s %q: canonical %q reads back as %+v", k.name, s, c.format(k), canon)
			}
			if r, ok := m.cmp(back); !ok || r != 0 {
				t.Fatalf("%s %q: not equal to itself", k.name, s)
			}
			_ = m.time()
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"P1Y2M3DT4H5M6.7S", "-P0D", "PT", "PT36H", "P1M", "PT.5S", "-PT1.5S"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		back, err := ParseDuration(d.String())
		if err != nil || back.String() != d.String() || back.Parts().Seconds.Cmp(d.Parts().Seconds) != 0 {
			t.Fatalf("%q: reads back as %v, %v", s, back, err)
		}
		canon, err := DurationFromParts(d.Parts())
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseDuration(canon.String())
		if err != nil {
			t.Fatalf("%q: canonical %q: %v", s, canon, err)
		}
		if c, ok := again.Cmp(d); ok && c != 0 {
			t.Fatalf("%q: canonical %q differs", s, canon)
		}
		if std, ok := d.Std(); ok {
			if back, ok := DurationOf(std).Std(); !ok || back != std {
				t.Fatalf("%q: Std round trip", s)
			}
		}
	})
}

func FuzzBinary(f *testing.F) {
	for _, s := range []string{"SGVsbG8=", " SGVs\nbG8= ", "0aFF", "", "=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if b, err := ParseBase64(s); err == nil {
			if back, err := ParseBase64(FormatBase64(b)); err != nil || !bytes.Equal(back, b) {
				t.Fatalf("base64 %q", s)
			}
		}
		if b, err := ParseHex(s); err == nil {
			if back, err := ParseHex(FormatHex(b)); err != nil || !bytes.Equal(back, b) {
				t.Fatalf("hex %q", s)
			}
		}
	})
}

func FuzzTranslatePattern(f *testing.F) {
	for _, c := range patternCases {
		f.Add(c.xsd)
	}
	for _, s := range []string{`[a-[b-[c]]]`, `\p{IsGreek}*`, `[^\P{L}]`, `a{0,1000}`, `(`, `[\W-[\s]]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rx, err := translate(s)
		if err != nil {
			return
		}
		if _, err := regexp.Compile(rx); err != nil && !strings.Contains(err.Error(), "expression too large") && !strings.Contains(err.Error(), "invalid repeat count") {
			t.Fatalf("%q translates to %q, which Go rejects: %v", s, rx, err)
		}
	})
}

// isAnyURIRef is IsAnyURI as first written, one check a pass: the
// reference FuzzAnyURI compares the one-pass version with.
func isAnyURIRef(s string) bool {
	s = Collapse(s)
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])) {
			return false
		}
		if s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' {
			return false
		}
	}
	if strings.Count(s, "#") > 1 {
		return false
	}
	end := strings.IndexAny(s, "/?#")
	if end < 0 {
		end = len(s)
	}
	colon := strings.IndexByte(s[:end], ':')
	if colon < 0 {
		return true
	}
	return isScheme(s[:colon])
}

func FuzzAnyURI(f *testing.F) {
	for _, s := range []string{"http://x/y?z#f", "urn:oid:1.2.250", "a b", "", "#frag", "../x", "%zz", "a%2", "a%2F",
		"a#b#c", ":x", "1a:b", "\x01", "a/b:c", "a?b:c", "a#b:c", "x+1.-:y", " urn:a:b ", "%", "%4", "é:x", "a  b:c", "a\tb", "\na:b", "a b:c", "a:b "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := IsAnyURI(s), isAnyURIRef(s); got != want {
			t.Errorf("IsAnyURI(%q) = %v, reference %v", s, got, want)
		}
	})
}
