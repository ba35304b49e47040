package xds

import (
	"regexp"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// TestShapesMatchRegexps checks isMimeType and xsdt.LanguageShape (the
// languageCode rule's check) against the regular expressions they replace,
// on every string of up to 5 bytes over an alphabet of each class of byte
// they tell apart, and on longer ones.
func TestShapesMatchRegexps(t *testing.T) {
	mime := regexp.MustCompile(`^\w+/[-+.\w]+$`)
	lang := regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)
	check := func(s string) {
		if got, want := isMimeType(s), mime.MatchString(s); got != want {
			t.Fatalf("isMimeType(%q) = %v, the regexp says %v", s, got, want)
		}
		if got, want := xsdt.LanguageShape(s), lang.MatchString(s); got != want {
			t.Fatalf("xsdt.LanguageShape(%q) = %v, the regexp says %v", s, got, want)
		}
	}
	alphabet := "aZ0_/-+. \xe9"
	var walk func(prefix string, n int)
	walk = func(prefix string, n int) {
		check(prefix)
		if n == 0 {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			walk(prefix+alphabet[i:i+1], n-1)
		}
	}
	walk("", 5)
	for _, s := range []string{
		"text/xml", "application/pdf", "application/hl7-v3+xml", "image/svg+xml", "a/b/c",
		"fr-FR", "fr", "abcdefgh-12345678", "abcdefghi", "fr-123456789", "x-abcdefgh-ab", "fr--FR",
		"fr-", "-fr", "1a", "fr-FR-x1",
	} {
		check(s)
	}
}
