package xsdt

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestWhitespace(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "a": "a", " a ": "a", "a  b": "a b", "\ta\r\n\tb \n": "a b", "a\u00a0b": "a\u00a0b", "   ": "",
	} {
		if got := Collapse(in); got != want {
			t.Errorf("Collapse(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Replace("a\tb\r\nc "); got != "a b  c " {
		t.Errorf("Replace %q", got)
	}
	if got := ParseList(" a\tb\n\nc\u00a0d "); strings.Join(got, "|") != "a|b|c\u00a0d" {
		t.Errorf("ParseList %q", got)
	}
	if got := ParseList("  "); got != nil {
		t.Errorf("ParseList(blank) %q", got)
	}
	if FormatList([]string{"1", "2"}) != "1 2" {
		t.Error("FormatList")
	}
}

func TestLexicalChecks(t *testing.T) {
	checks := []struct {
		name      string
		f         func(string) bool
		good, bad []string
	}{
		{"NCName", IsNCName, []string{"a", "_a-1.b", "é"}, []string{"", "a:b", "1a", "-a", "a b"}},
		{"Name", IsName, []string{"a:b", ":a", "a"}, []string{"", "1a", "a b"}},
		{"NMTOKEN", IsNMTOKEN, []string{"1a", "-", "a:b"}, []string{"", "a b", "a,b"}},
		{"language", IsLanguage, []string{"fr", "fr-FR", "i-klingon", "x-a1b2c3d4"}, []string{"", "fr_FR", "toolonglang", "fr-", "1fr", "-fr"}},
		{"anyURI", IsAnyURI, []string{"http://x/y?z#f", "urn:oid:1.2.250", "1.2.250.1", "a b", "", "#frag", "../x", "é"},
			[]string{"%zz", "a%2", "a#b#c", ":x", "1a:b", "\x01"}},
	}
	for _, c := range checks {
		for _, s := range c.good {
			if !c.f(s) {
				t.Errorf("%s(%q) = false", c.name, s)
			}
		}
		for _, s := range c.bad {
			if c.f(s) {
				t.Errorf("%s(%q) = true", c.name, s)
			}
		}
	}
}

func TestBinary(t *testing.T) {
	b, err := ParseBase64(" SGVs\nbG8=\r\n")
	if err != nil || string(b) != "Hello" {
		t.Errorf("%q %v", b, err)
	}
	if FormatBase64([]byte("Hello")) != "SGVsbG8=" {
		t.Error("FormatBase64")
	}
	for _, in := range []string{"SGVsbG8", "SGVsbG9=", "SGV*bG8=", "===="} {
		if _, err := ParseBase64(in); err == nil {
			t.Errorf("ParseBase64(%q) accepted", in)
		}
	}
	if b, err := ParseBase64(""); err != nil || len(b) != 0 {
		t.Errorf("empty base64: %v", err)
	}
	h, err := ParseHex(" 0aFf ")
	if err != nil || !bytes.Equal(h, []byte{0x0a, 0xff}) || FormatHex(h) != "0AFF" {
		t.Errorf("hex %x %v", h, err)
	}
	for _, in := range []string{"0", "0g", "0a ff"} {
		if _, err := ParseHex(in); err == nil {
			t.Errorf("ParseHex(%q) accepted", in)
		}
	}
}

func TestReport(t *testing.T) {
	r := NewReport("/query:AdhocQueryResponse")
	if r.Err() != nil || r.Len() != 0 {
		t.Fatal("new report not empty")
	}
	r.Push("rim:RegistryObjectList")
	r.PushIndex("rim:ExtrinsicObject", 1)
	r.Push("@mimeType")
	r.MinLength("", 1)
	r.Pattern("x y", MustPattern(`[^\s]+`))
	r.Enumeration("c", "a", "b")
	r.Fixed("1", "2")
	r.Pop()
	r.Occurs("rim:Slot", 0, 1, -1)
	r.Occurs("rim:Name", 2, 0, 1)
	r.Required("@id", false)
	_, perr := ParseDecimal("x")
	r.Lexical(perr)
	r.Pop()
	r.Pop()
	r.Pop() // extra Pop is harmless
	one, _ := ParseDecimal("1")
	ten, _ := ParseDecimal("10")
	v, _ := ParseDecimal("10.255")
	r.DecimalRange(v, &one, &ten, nil, nil)
	r.Digits(v, 4, 2)
	r.LengthBytes([]byte{1, 2}, 3)
	i := int64(5)
	OrderedRange(r, int64(7), nil, &i, nil, nil)
	d1, _ := ParseDateTime("2000-01-01T00:00:00Z")
	d2, _ := ParseDateTime("2000-01-01T05:00:00")
	PartialRange(r, d2, &d1, nil, nil, nil)
	if !r.Length("ééé", 3) || !r.MaxLength("ab", 2) || !r.Occurs("x", 1, 1, 1) {
		t.Error("passing checks recorded a violation")
	}
	err := r.Err()
	var vs Violations
	if !errors.As(err, &vs) {
		t.Fatalf("Err %T", err)
	}
	want := `/query:AdhocQueryResponse/rim:RegistryObjectList/rim:ExtrinsicObject[2]/@mimeType: minLength: 0 characters, minLength is 1
/query:AdhocQueryResponse/rim:RegistryObjectList/rim:ExtrinsicObject[2]/@mimeType: pattern: "x y" does not match "[^\\s]+"
/query:AdhocQueryResponse/rim:RegistryObjectList/rim:ExtrinsicObject[2]/@mimeType: enumeration: "c" is not one of "a", "b"
/query:AdhocQueryResponse/rim:RegistryObjectList/rim:ExtrinsicObject[2]/@mimeType: fixed: "1", the fixed value is "2"
/query:AdhocQueryResponse/rim:RegistryObjectList/rim:ExtrinsicObject[2]: minOccurs: rim:Slot occurs 0 times, at least 1 required
/query:AdhocQueryResponse/rim:RegistryObjectList/rim:ExtrinsicObject[2]: maxOccurs: rim:Name occurs 2 times, at most 1 allowed
/query:AdhocQueryResponse/rim:RegistryObjectList/rim:ExtrinsicObject[2]: required: @id is required
/query:AdhocQueryResponse/rim:RegistryObjectList/rim:ExtrinsicObject[2]: lexical: invalid xs:decimal "x"
/query:AdhocQueryResponse: maxInclusive: 10.255 is out of range: maxInclusive is 10
/query:AdhocQueryResponse: totalDigits: 10.255 has 5 digits, totalDigits is 4
/query:AdhocQueryResponse: fractionDigits: 10.255 has 3 fraction digits, fractionDigits is 2
/query:AdhocQueryResponse: length: 2 octets, length is 3
/query:AdhocQueryResponse: maxInclusive: 7 is out of range: maxInclusive is 5
/query:AdhocQueryResponse: minInclusive: 2000-01-01T05:00:00 cannot be ordered against minInclusive 2000-01-01T00:00:00Z`
	if got := err.Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if (Violation{Code: "c", Msg: "m"}).String() != "/: c: m" {
		t.Error("empty path")
	}
}

func TestReportPushPopAllocs(t *testing.T) {
	r := NewReport("")
	r.Push("a")
	r.Pop()
	allocs := testing.AllocsPerRun(100, func() {
		r.Push("a")
		r.PushIndex("b", 3)
		r.Pop()
		r.Pop()
	})
	if allocs != 0 {
		t.Errorf("Push/Pop allocate %v times", allocs)
	}
}

// TestLexicalChecksCollapse: the lexical checks of built-in types whose
// whiteSpace facet is collapse accept surrounding and repeated white space
// (a pretty-printed wsa:Action or Algorithm attribute), and still refuse
// what the collapsed value does not allow.
func TestLexicalChecksCollapse(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(string) bool
		in   string
		want bool
	}{
		{"anyURI", IsAnyURI, "\n  urn:ihe:iti:2007:RegistryStoredQuery\n", true},
		{"anyURI", IsAnyURI, " http://www.w3.org/2001/10/xml-exc-c14n# ", true},
		{"anyURI", IsAnyURI, " 1http://x ", false},
		{"NCName", IsNCName, "\tabc ", true},
		{"NCName", IsNCName, " a b ", false},
		{"Name", IsName, " a:b\n", true},
		{"NMTOKEN", IsNMTOKEN, " 12-x ", true},
		{"language", IsLanguage, " fr-FR\n", true},
		{"language", IsLanguage, " fr FR ", false},
	} {
		if got := c.f(c.in); got != c.want {
			t.Errorf("%s(%q) = %v, want %v", c.name, c.in, got, c.want)
		}
	}
}

// languageBySplit is IsLanguage as the XSD pattern reads
// ([a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*), subtag by subtag: the reference for
// the single pass.
func languageBySplit(s string) bool {
	s = Collapse(s)
	if s == "" {
		return false
	}
	for i, part := range strings.Split(s, "-") {
		if len(part) < 1 || len(part) > 8 {
			return false
		}
		for j := 0; j < len(part); j++ {
			c := part[j]
			alpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
			if !alpha && (i == 0 || c < '0' || c > '9') {
				return false
			}
		}
	}
	return true
}

// TestIsLanguageMatchesSplit compares IsLanguage with the reference on
// every string of up to 6 bytes over letters, digits, '-', '_' and white
// space, and on subtags around the 8-character limit.
func TestIsLanguageMatchesSplit(t *testing.T) {
	const alphabet = "aZ9-_ \n"
	var walk func(s string)
	walk = func(s string) {
		if got, want := IsLanguage(s), languageBySplit(s); got != want {
			t.Fatalf("IsLanguage(%q) = %v, want %v", s, got, want)
		}
		if len(s) == 6 {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			walk(s + alphabet[i:i+1])
		}
	}
	walk("")
	for _, s := range []string{"abcdefgh", "abcdefghi", "fr-abcdefgh", "fr-abcdefgh9", "fr-12345678", "fr-123456789", "a-b-c-d", "a--b", "\u00e9"} {
		if got, want := IsLanguage(s), languageBySplit(s); got != want {
			t.Errorf("IsLanguage(%q) = %v, want %v", s, got, want)
		}
	}
}
