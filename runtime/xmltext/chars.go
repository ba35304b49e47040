package xmltext

import "unicode/utf8"

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

// Word-at-a-time (SWAR) scanning: eight bytes of the input are loaded as a
// little-endian uint64 and tested at once. The tests below are exact for
// the lowest byte they flag (a borrow only flags bytes above a true one),
// so bits.TrailingZeros64(mask)/8 is the index of the first byte found.
const (
	lsb     = 0x0101010101010101
	msb     = 0x8080808080808080
	spaces8 = 0x2020202020202020 // eight ' '
)

// load8 returns data[p:p+8] as a little-endian word; p+8 <= len(data).
func load8(data []byte, p int) uint64 {
	b := data[p : p+8 : p+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// attrStop flags the bytes of w that an attribute value's scanner must look
// at: the bytes of class cAttr (C0 controls, '<', '&', quotes, 0xEF).
func attrStop(w uint64) uint64 {
	x1, x2, x3, x4, x5 := w^(lsb*'<'), w^(lsb*'&'), w^(lsb*'"'), w^(lsb*'\''), w^(lsb*0xEF)
	m := (w - lsb*0x20) &^ w
	m |= (x1 - lsb) &^ x1
	m |= (x2 - lsb) &^ x2
	m |= (x3 - lsb) &^ x3
	m |= (x4 - lsb) &^ x4
	m |= (x5 - lsb) &^ x5
	return m & msb
}

// textStop flags the bytes of w that the character data scanner must look
// at: the bytes of class cText (C0 controls but tab and line feed, '<',
// '&', ']', CR, 0xEF), and tabs and line feeds, which the caller passes.
func textStop(w uint64) uint64 {
	x1, x2, x3, x4 := w^(lsb*'<'), w^(lsb*'&'), w^(lsb*']'), w^(lsb*0xEF)
	m := (w - lsb*0x20) &^ w
	m |= (x1 - lsb) &^ x1
	m |= (x2 - lsb) &^ x2
	m |= (x3 - lsb) &^ x3
	m |= (x4 - lsb) &^ x4
	return m & msb
}
