package xsdt

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

type patternCase struct {
	xsd       string
	good, bad []string
}

var patternCases = []patternCase{
	// XSD specifics.
	{`a^b$`, []string{"a^b$"}, []string{"ab", "a^b"}},
	{`abc`, []string{"abc"}, []string{"xabc", "abcx", "ab\nc"}},
	{`.`, []string{"a", "é", "😀", "\t"}, []string{"\n", "\r", "", "ab"}},
	{`\d+`, []string{"0123", "٣", "१२"}, []string{"a", "", "1a"}},
	{`\D`, []string{"a"}, []string{"1", "٣"}},
	{`\s\S`, []string{" a", "\tb", "\r.", "\n\t"[:1] + "x"}, []string{"\fa", "ab", "\u00a0a"}},
	{`\w+`, []string{"abc", "é1", "$+"}, []string{"a b", "a-b", "a_b", "a.b"}},
	{`\W`, []string{" ", "-", "."}, []string{"a", "$"}},
	{`\i\c*`, []string{"a", "_x-1.é", "a:b", "é·"}, []string{"1a", "-a", "", "a b"}},
	{`[\i-[:]][\c-[:]]*`, []string{"ncname", "a-b.c"}, []string{"a:b", ":a"}},
	{`\I\C`, []string{"1 "}, []string{"a1", "1a"}},
	{`[a-z-[aeiou]]+`, []string{"bcd", "xyz"}, []string{"bad", "A"}},
	{`[^a-c]`, []string{"d", "é"}, []string{"a", "c"}},
	{`[^\s-[a]]`, []string{"b"}, []string{"a", " "}},
	{`[\p{L}-[\p{Lu}]]+`, []string{"abé"}, []string{"aB"}},
	{`\p{Lu}\P{Lu}`, []string{"Ab", "É1"}, []string{"AB", "ab"}},
	{`\p{IsBasicLatin}+`, []string{"abc~"}, []string{"é"}},
	{`\p{IsGreek}`, []string{"α"}, []string{"a"}},
	{`\P{IsBasicLatin}`, []string{"é"}, []string{"a"}},
	{`\p{IsPrivateUse}`, []string{"\ue000", "\U000F0000"}, []string{"a"}},
	{`\p{Cn}`, []string{"\u0378"}, []string{"a", "\u0000"[:0] + "\u00ad"}},
	{`\p{C}`, []string{"\u0378", "\u00ad"}, []string{"a"}},
	{`[a-]`, []string{"a", "-"}, []string{"b"}},
	{`[-a]`, []string{"a", "-"}, []string{"b"}},
	{`[\-+]?[0-9]+`, []string{"-1", "+2", "3"}, []string{"--1", "+"}},
	{`a{2,3}`, []string{"aa", "aaa"}, []string{"a", "aaaa"}},
	{`a{2}`, []string{"aa"}, []string{"a", "aaa"}},
	{`a{0,}b`, []string{"b", "aaab"}, []string{"a"}},
	{`x{`, []string{"x{"}, []string{"x"}},
	{`a}`, []string{"a}"}, nil},
	{`(ab|c)*d?`, []string{"", "ababc", "cd"}, []string{"abd d"}},
	{`a|`, []string{"a", ""}, []string{"b"}},
	{``, []string{""}, []string{"a"}},
	{`()`, []string{""}, []string{"a"}},
	{`\n\r\t\\\|\.\?\*\+\(\)\{\}\-\[\]\^`, []string{"\n\r\t\\|.?*+(){}-[]^"}, nil},
	{`[\n\]\[\\]+`, []string{"\n][\\"}, []string{"a"}},
	{`[é-ü]`, []string{"ñ"}, []string{"a"}},
	// Patterns of the kit XSDs.
	{`[0-2](\.(0|[1-9][0-9]*))*`, []string{"1.2.250.1.213.1.1.4.12", "2", "0.0"}, []string{"3.1", "1.02", "1.", ""}},
	{`([1-9][0-9]*)(\.[1-9][0-9]*)*`, []string{"1.2.3"}, []string{"0.1", "1.0"}},
	{`[0-9a-zA-Z]{8}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{12}`,
		[]string{"25f76b8f-2eed-4a72-b66f-b940a4101dda"}, []string{"25f76b8f2eed4a72b66fb940a4101dda"}},
	{`[0-9]{1,8}|([0-9]{9,14}|[0-9]{14,14}\.[0-9]+)([+\-][0-9]{1,4})?`,
		[]string{"2021", "20210519174507", "20210519174507.123+0200", "202105191745-0500"}, []string{"2021-05-19", "20210519174507.", "123456789+12345"}},
	{`[A-Za-z][A-Za-z0-9\-]*`, []string{"fr-FR"}, []string{"1fr"}},
	{`[^\s]+`, []string{"a"}, []string{"a b", ""}},
	{`([^:]+:)?[^:]+`, []string{"p:l", "l"}, []string{"a:b:c", ":a"}},
	{`\*:\i\c*`, []string{"*:a"}, []string{"a:a"}},
	{`\i\c*:\*`, []string{"p:*"}, []string{"p:a"}},
	{`\c*:\c*`, []string{":", "a:b"}, []string{"a"}},
	{`(\.//)?(((child::)?((\i\c*:)?(\i\c*|\*)))|\.)(/(((child::)?((\i\c*:)?(\i\c*|\*)))|\.))*(\|(\.//)?(((child::)?((\i\c*:)?(\i\c*|\*)))|\.)(/(((child::)?((\i\c*:)?(\i\c*|\*)))|\.))*)*`,
		[]string{".//rim:Slot/rim:ValueList", "a|b/c", "child::x"}, []string{"a//b", "@id"}},
}

func TestTranslatePattern(t *testing.T) {
	for _, tt := range patternCases {
		p, err := CompilePattern(tt.xsd)
		if err != nil {
			t.Errorf("%q: %v", tt.xsd, err)
			continue
		}
		if p.String() != tt.xsd {
			t.Errorf("String %q", p.String())
		}
		for _, s := range tt.good {
			if !p.MatchString(s) {
				t.Errorf("%q (%s) does not match %q", tt.xsd, p.Regexp(), s)
			}
		}
		for _, s := range tt.bad {
			if p.MatchString(s) {
				t.Errorf("%q (%s) matches %q", tt.xsd, p.Regexp(), s)
			}
		}
	}
}

func TestTranslatePatternErrors(t *testing.T) {
	tests := []struct{ xsd, msg string }{
		{`a**`, "cannot follow a quantifier"},
		{`a*?`, "cannot follow a quantifier"},
		{`a{2}{3}`, "cannot follow a quantifier"},
		{`*a`, "without an atom"},
		{`(a`, "missing ')'"},
		{`a)`, "unbalanced ')'"},
		{`(?:a)`, "'(?' groups are not XSD syntax"},
		{`[a`, "unterminated character class"},
		{`[]`, "empty character class"},
		{`[a[b]]`, "'[' must be escaped"},
		{`[a-b-c]`, "'-' must be escaped"},
		{`[z-a]`, "reversed"},
		{`[a-\d]`, "multi-character escape"},
		{`[a-[b]x]`, "subtraction must end"},
		{`\1`, "invalid escape"},
		{`\b`, "invalid escape"},
		{`\x41`, "invalid escape"},
		{`a\`, "trailing backslash"},
		{`\p{Foo}`, "unknown character property"},
		{`\p{IsKlingon}`, "unknown Unicode block"},
		{`\p{Lu`, "missing '}'"},
		{`\pL`, "expected '{'"},
		{`a{1001}`, "above 1000"},
		{`a{3,2}`, "below the minimum"},
		{`]`, "unescaped ']'"},
		{`((a{1000}){1000}){1000}`, "RE2 cannot compile"},
	}
	for _, tt := range tests {
		_, err := TranslatePattern(tt.xsd)
		var pe *PatternError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%q: got %v, want %q", tt.xsd, err, tt.msg)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("MustPattern did not panic")
		}
	}()
	MustPattern(`(`)
}

// TestKitPatterns translates every xs:pattern of the kit's schemas.
func TestKitPatterns(t *testing.T) {
	kit := testenv.Kit(t)
	const xs = "http://www.w3.org/2001/XMLSchema"
	seen := map[string]bool{}
	err := filepath.WalkDir(kit, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || (filepath.Ext(path) != ".xsd" && filepath.Ext(path) != ".wsdl") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		d := xmltext.NewDecoder(data, xmltext.Options{File: path})
		for {
			tok, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if strings.Contains(err.Error(), "DTD not allowed") {
					return scanPatternsText(t, path, data, seen)
				}
				return err
			}
			if tok.Kind == xmltext.StartElement && tok.Name == (xmltext.Name{Space: xs, Local: "pattern"}) {
				v, _ := tok.Attr(xmltext.Name{Local: "value"})
				seen[v] = true
				if _, err := CompilePattern(v); err != nil {
					line, col := d.Position(tok.Offset)
					t.Errorf("%s:%d:%d: %v", path, line, col, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 20 {
		t.Errorf("found %d distinct kit patterns, want at least 20", len(seen))
	}
	covered := map[string]bool{}
	for _, c := range patternCases {
		covered[c.xsd] = true
	}
	for p := range seen {
		if !covered[p] {
			t.Logf("kit pattern without match cases: %q", p)
		}
	}
}

// scanPatternsText handles the one kit schema with a DTD (XMLSchema.xsd),
// which the decoder rejects: its patterns are found textually.
func scanPatternsText(t *testing.T, path string, data []byte, seen map[string]bool) error {
	re := regexp.MustCompile(`<xs:pattern value=(?:"([^"]*)"|'([^']*)')`)
	for _, m := range re.FindAllSubmatch(data, -1) {
		v := string(m[1]) + string(m[2])
		v = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`, "&apos;", "'").Replace(v)
		seen[v] = true
		if _, err := CompilePattern(v); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
	return nil
}
