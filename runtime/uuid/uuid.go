// Package uuid generates, parses and formats RFC 9562 UUIDs as XDS uses
// them: entryUUIDs and WS-Addressing MessageIDs are written "urn:uuid:" +
// the lower-case canonical form.
package uuid

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// URNPrefix is the prefix of a UUID URN (RFC 4122 §3).
const URNPrefix = "urn:uuid:"

// UUID is a 128-bit UUID.
type UUID [16]byte

// New returns a random (version 4) UUID read from r, or from crypto/rand
// when r is nil.
func New(r io.Reader) (UUID, error) {
	if r == nil {
		r = rand.Reader
	}
	var u UUID
	if _, err := io.ReadFull(r, u[:]); err != nil {
		return UUID{}, fmt.Errorf("uuid: reading random bytes: %w", err)
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return u, nil
}

// String returns the canonical form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (lower case).
func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// URN returns "urn:uuid:" + String().
func (u UUID) URN() string { return URNPrefix + u.String() }

// Version returns the version nibble.
func (u UUID) Version() int { return int(u[6] >> 4) }

// SyntaxError reports text that is not a UUID.
type SyntaxError struct {
	Text   string
	Offset int // byte offset of the first offending character
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("uuid: invalid UUID %q at byte %d (want [urn:uuid:]xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", e.Text, e.Offset)
}

// Parse parses the canonical form, with or without the "urn:uuid:" prefix
// (matched case-insensitively, as RFC 8141 does for the NID). Hex digits of
// either case are accepted.
func Parse(s string) (UUID, error) {
	body, base := s, 0
	if len(s) >= len(URNPrefix) && strings.EqualFold(s[:len(URNPrefix)], URNPrefix) {
		body, base = s[len(URNPrefix):], len(URNPrefix)
	}
	var u UUID
	if len(body) != 36 {
		return UUID{}, &SyntaxError{Text: s, Offset: base + min(len(body), 36)}
	}
	j := 0
	for i := 0; i < 36; {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if body[i] != '-' {
				return UUID{}, &SyntaxError{Text: s, Offset: base + i}
			}
			i++
			continue
		}
		hi, ok1 := fromHex(body[i])
		lo, ok2 := fromHex(body[i+1])
		if !ok1 {
			return UUID{}, &SyntaxError{Text: s, Offset: base + i}
		}
		if !ok2 {
			return UUID{}, &SyntaxError{Text: s, Offset: base + i + 1}
		}
		u[j] = hi<<4 | lo
		j++
		i += 2
	}
	return u, nil
}

// ParseURN parses "urn:uuid:<uuid>"; the prefix is required.
func ParseURN(s string) (UUID, error) {
	if !IsURN(s) {
		return UUID{}, &SyntaxError{Text: s, Offset: 0}
	}
	return Parse(s)
}

// IsURN reports whether s starts with the "urn:uuid:" prefix (any case).
func IsURN(s string) bool {
	return len(s) >= len(URNPrefix) && strings.EqualFold(s[:len(URNPrefix)], URNPrefix)
}

func fromHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
