package xsdt

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// ParseBase64 decodes an xs:base64Binary. XML white space anywhere is
// ignored; padding is required and the unused bits must be zero.
func ParseBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, " \t\n\r") {
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, s)
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, lexErr("base64Binary", abbrev(s), err.Error())
	}
	return b, nil
}

// FormatBase64 encodes b as xs:base64Binary without line breaks.
func FormatBase64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// ParseHex decodes an xs:hexBinary (either case; surrounding white space ignored).
func ParseHex(s string) ([]byte, error) {
	t := trim(s)
	b, err := hex.DecodeString(t)
	if err != nil {
		return nil, lexErr("hexBinary", abbrev(s), err.Error())
	}
	return b, nil
}

// FormatHex encodes b as canonical (upper-case) xs:hexBinary.
func FormatHex(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

// abbrev shortens long values in error messages.
func abbrev(s string) string {
	if len(s) > 64 {
		return s[:60] + "..."
	}
	return s
}
