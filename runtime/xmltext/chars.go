package xmltext

import (
	"unicode/utf8"

	"github.com/dmpgen/dmpgen/runtime/internal/swar"
)

// Byte classes for the ASCII fast paths.
const (
	cNameStart = 1 << iota // ASCII NameStartChar (letters, '_', ':')
	cName                  // ASCII NameChar
	cSpace                 // XML white space: #x20 #x9 #xA #xD
	cText                  // needs attention inside character data
	cAttr                  // needs attention inside an attribute value
	cMisc                  // needs attention inside comments, PIs and CDATA
	cScan                  // what the name scanner runs over: ASCII NameChar, any byte >= 0x80
)

// class holds the byte classes above. Bytes >= 0x80 are not name bytes here
// (the name scanner decodes them); 0xEF is flagged because U+FFFE and U+FFFF
// (EF BF BE / EF BF BF) are not XML characters.
var class = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == ':':
			t[c] |= cNameStart | cName
		case c >= '0' && c <= '9', c == '-', c == '.':
			t[c] |= cName
		}
		if t[c]&cName != 0 || c >= utf8.RuneSelf {
			t[c] |= cScan
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			t[c] |= cSpace
		}
		ctl := c < 0x20 && c != '\t' && c != '\n' && c != '\r'
		if ctl || c == 0xEF || c == '\r' {
			t[c] |= cText | cAttr | cMisc
		}
		switch c {
		case '<', '&', ']':
			t[c] |= cText
		}
		switch c {
		case '<', '&', '\t', '\n', '"', '\'':
			t[c] |= cAttr
		}
		switch c {
		case '-', '?', ']':
			t[c] |= cMisc
		}
	}
	return t
}()

// nameRanges are the non-ASCII NameStartChar ranges of XML 1.0 fifth edition.
var nameStartRanges = [...][2]rune{
	{0xC0, 0xD6}, {0xD8, 0xF6}, {0xF8, 0x2FF}, {0x370, 0x37D}, {0x37F, 0x1FFF},
	{0x200C, 0x200D}, {0x2070, 0x218F}, {0x2C00, 0x2FEF}, {0x3001, 0xD7FF},
	{0xF900, 0xFDCF}, {0xFDF0, 0xFFFD}, {0x10000, 0xEFFFF},
}

// nameExtraRanges are the non-ASCII characters NameChar adds to NameStartChar.
var nameExtraRanges = [...][2]rune{{0xB7, 0xB7}, {0x300, 0x36F}, {0x203F, 0x2040}}

// IsNameStartRune reports whether r may start an XML 1.0 (fifth edition) Name.
func IsNameStartRune(r rune) bool {
	if r < utf8.RuneSelf {
		return class[r]&cNameStart != 0
	}
	for _, g := range nameStartRanges {
		if r < g[0] {
			return false
		}
		if r <= g[1] {
			return true
		}
	}
	return false
}

// IsNameRune reports whether r is an XML 1.0 (fifth edition) NameChar.
func IsNameRune(r rune) bool {
	if r < utf8.RuneSelf {
		return class[r]&cName != 0
	}
	for _, g := range nameExtraRanges {
		if r >= g[0] && r <= g[1] {
			return true
		}
	}
	return IsNameStartRune(r)
}

// NameRuneRanges returns the inclusive rune ranges, sorted, of NameStartChar
// (start=true) or NameChar (start=false). The result is a fresh slice.
func NameRuneRanges(start bool) [][2]rune {
	if start {
		out := [][2]rune{{':', ':'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}
		return append(out, nameStartRanges[:]...)
	}
	return [][2]rune{
		{'-', '.'}, {'0', ':'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}, {0xB7, 0xB7},
		{0xC0, 0xD6}, {0xD8, 0xF6}, {0xF8, 0x37D}, {0x37F, 0x1FFF},
		{0x200C, 0x200D}, {0x203F, 0x2040}, {0x2070, 0x218F}, {0x2C00, 0x2FEF}, {0x3001, 0xD7FF},
		{0xF900, 0xFDCF}, {0xFDF0, 0xFFFD}, {0x10000, 0xEFFFF},
	}
}

// IsName reports whether s matches the XML 1.0 Name production.
func IsName(s string) bool { return isName(s, true) }

// IsNCName reports whether s is a Name without colons (Namespaces in XML).
func IsNCName(s string) bool { return isName(s, false) }

// IsNmtoken reports whether s matches the Nmtoken production (NameChar+).
func IsNmtoken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !IsNameRune(r) {
			return false
		}
	}
	return true
}

func isName(s string, colon bool) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == ':' && !colon {
			return false
		}
		if r == utf8.RuneError {
			return false
		}
		if i == 0 {
			if !IsNameStartRune(r) {
				return false
			}
		} else if !IsNameRune(r) {
			return false
		}
	}
	return true
}

// isXMLChar reports whether r matches the XML 1.0 Char production.
func isXMLChar(r rune) bool {
	switch {
	case r < 0x20:
		return r == '\t' || r == '\n' || r == '\r'
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false
	case r <= 0xFFFD:
		return true
	}
	return r >= 0x10000 && r <= 0x10FFFF
}

// What the word-at-a-time scanners stop at, as swar.Stop takes it (each
// byte repeated); TestStopSets checks them against the byte classes. An
// attribute value's scanner stops at class cAttr (C0 controls below 0x20,
// '<', '&', quotes, 0xEF); the text scanner at class cText (C0 controls,
// '<', '&', ']', 0xEF; tabs and line feeds too, which it passes).
const (
	wCtl  = swar.Ones * 0x20
	wLt   = swar.Ones * '<'
	wAmp  = swar.Ones * '&'
	wQuot = swar.Ones * '"'
	wApos = swar.Ones * '\''
	wRsqb = swar.Ones * ']'
	wEF   = swar.Ones * 0xEF
)
