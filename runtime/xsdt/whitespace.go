package xsdt

import (
	"strings"

	"github.com/dmpgen/dmpgen/runtime/internal/swar"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// QName values are resolved with xmltext.Decoder.ResolveQName and written
// with xmltext.Encoder.QName.
type QName = xmltext.Name

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// trim removes leading and trailing XML white space.
func trim(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// Collapse applies the whiteSpace facet "collapse": tab, LF and CR become
// spaces, runs of spaces become one, leading and trailing spaces go.
func Collapse(s string) string {
	if !needsCollapse(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isSpace(c) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

func needsCollapse(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\t', '\n', '\r':
			return true
		case ' ':
			if i == 0 || i == len(s)-1 || s[i+1] == ' ' {
				return true
			}
		}
	}
	return false
}

// Replace applies the whiteSpace facet "replace": tab, LF and CR become spaces.
func Replace(s string) string {
	if !strings.ContainsAny(s, "\t\n\r") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}

// ParseList splits an xs:list value into its items (collapse, then split on
// spaces). Only XML white space separates items.
func ParseList(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		if j > i {
			out = append(out, s[i:j])
		}
		i = j
	}
	return out
}

// FormatList joins list items with single spaces.
func FormatList(items []string) string { return strings.Join(items, " ") }

// The lexical checks below apply to the value after the whiteSpace facet
// of their type, "collapse" for all of them (XSD 1.0 Part 2 §4.3.6): a
// pretty-printed value with surrounding white space is valid, and the
// decoded value keeps its exact lexical form.

// IsNCName reports whether s, collapsed, is an xs:NCName.
func IsNCName(s string) bool { return xmltext.IsNCName(Collapse(s)) }

// IsName reports whether s, collapsed, is an xs:Name.
func IsName(s string) bool { return xmltext.IsName(Collapse(s)) }

// IsNMTOKEN reports whether s, collapsed, is an xs:NMTOKEN.
func IsNMTOKEN(s string) bool { return xmltext.IsNmtoken(Collapse(s)) }

// IsLanguage reports whether s, collapsed, is an xs:language:
// [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*.
func IsLanguage(s string) bool { return LanguageShape(Collapse(s)) }

// LanguageShape reports whether s as it is, white space included, matches
// [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*: subtags of 1 to 8 characters separated
// by '-', letters in the first, letters and digits in the others. One pass
// and no allocation: the schema checks xml:lang on every LocalizedString and
// the XDS rules every languageCode.
func LanguageShape(s string) bool {
	first, n := true, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-':
			if n == 0 {
				return false
			}
			first, n = false, 0
			continue
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && !first:
		default:
			return false
		}
		if n++; n > 8 {
			return false
		}
	}
	return n > 0
}

// IsAnyURI reports whether s, collapsed, is an acceptable xs:anyURI: an RFC 3986 URI
// reference once characters outside the URI syntax are %-escaped (as XSD
// 1.0 specifies via XLink). It rejects malformed %-escapes, more than one
// '#', an invalid scheme, and a ':' in the first segment of a relative path.
func IsAnyURI(s string) bool {
	if isUUIDURN(s) {
		return true // the ids of XDS metadata: most anyURI values checked
	}
	return isAnyURI(s)
}

// isUUIDURN reports whether s is urn:uuid: followed by 36 hexadecimal
// digits and hyphens (the shape of a UUID, loosely), which isAnyURI accepts
// (TestUUIDURN).
func isUUIDURN(s string) bool {
	if len(s) != 45 || s[:9] != "urn:uuid:" {
		return false
	}
	u := s[9:45]
	for len(u) >= 4 { // four at a time: 36 bytes
		if uuidByte[u[0]]&uuidByte[u[1]]&uuidByte[u[2]]&uuidByte[u[3]] == 0 {
			return false
		}
		u = u[4:]
	}
	return true
}

// uuidByte is 1 for hexadecimal digits and '-'.
var uuidByte = func() (t [256]uint8) {
	for _, c := range "0123456789abcdefABCDEF-" {
		t[c] = 1
	}
	return t
}()

func isAnyURI(s string) bool {
	// One pass: escapes and characters, the '#' count, the end of the first
	// segment (the first '/', '?' or '#') and the first ':' before it. Bytes
	// of no interest are stepped over with a table lookup.
	end, colon, hashes := len(s), -1, 0
	for i := 0; i < len(s); i++ {
		for i+8 <= len(s) {
			if m := swar.Stop(swar.Load(s, i), wUriCtl, wPct, wHash, wSlash, wQmark, wColon); m != 0 {
				i += swar.First(m)
				break
			}
			i += 8
		}
		for i < len(s) && !uriSpecial[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		switch c := s[i]; c {
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
		case '#', '/', '?':
			if c == '#' {
				if hashes++; hashes > 1 {
					return false
				}
			}
			end = min(end, i)
		case ':':
			if colon < 0 && i < end {
				colon = i
			}
		case ' ', '\t', '\n', '\r':
			if c != ' ' || i == 0 || i == len(s)-1 || s[i+1] == ' ' {
				return IsAnyURI(Collapse(s)) // collapsed once: no such space left
			}
		default: // other C0 controls
			return false
		}
	}
	if colon < 0 {
		return true
	}
	if colon == 0 {
		return false
	}
	return isScheme(s[:colon])
}

// The bytes of uriSpecial as swar.Stop takes them (each repeated):
// controls and space (below 0x21), '%', '#', '/', '?', ':'. TestURIStop
// checks them against uriSpecial.
const (
	wUriCtl = swar.Ones * 0x21
	wPct    = swar.Ones * '%'
	wHash   = swar.Ones * '#'
	wSlash  = swar.Ones * '/'
	wQmark  = swar.Ones * '?'
	wColon  = swar.Ones * ':'
)

// uriSpecial marks the bytes IsAnyURI looks at.
var uriSpecial = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	for _, c := range "%#/?: " {
		t[c] = true
	}
	return t
}()

// isScheme reports whether s is an RFC 3986 scheme.
func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		alpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !alpha && (i == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
