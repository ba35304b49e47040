// Package oid validates ISO object identifiers (OIDs) as IHE XDS uses them,
// mints XDS uniqueIds under a root OID, and converts UUIDs to OIDs under the
// 2.25 arc (ITU-T X.667).
//
// Validation follows Open eHealth IPF's OIDValidator: the dotted-decimal form
// [1-9][0-9]*(\.(0|[1-9][0-9]*))+ with at most 64 characters (the ebRIM/XDS
// limit for OIDs used as uniqueId, sourceId and assigning authorities).
package oid

import (
	"fmt"
	"strings"
)

// MaxLen is the maximum length of an OID in XDS metadata.
const MaxLen = 64

// Code is the stable code of a validation failure (IPF ValidationMessage names).
type Code string

// Validation failure codes.
const (
	// CodeInvalid: the text is not a dotted-decimal OID.
	CodeInvalid Code = "INVALID_OID"
	// CodeTooLong: the OID is longer than MaxLen characters.
	CodeTooLong Code = "OID_TOO_LONG"
)

// Error is an OID validation failure.
type Error struct {
	Code  Code
	OID   string // the offending text
	Index int    // byte index of the first offending character, -1 when not applicable
}

func (e *Error) Error() string {
	if e.Index >= 0 {
		return fmt.Sprintf("%s: %q at byte %d", e.Code, e.OID, e.Index)
	}
	return fmt.Sprintf("%s: %q", e.Code, e.OID)
}

// Validate reports whether s is a valid XDS OID; the error is an *Error.
func Validate(s string) error {
	if i := syntaxError(s); i >= 0 {
		return &Error{Code: CodeInvalid, OID: s, Index: i}
	}
	if len(s) > MaxLen {
		return &Error{Code: CodeTooLong, OID: s, Index: MaxLen}
	}
	return nil
}

// Valid reports whether s is a valid XDS OID.
func Valid(s string) bool { return Validate(s) == nil }

// syntaxError returns the byte index where s stops matching
// [1-9][0-9]*(\.(0|[1-9][0-9]*))+, or -1 when it matches.
func syntaxError(s string) int {
	arcs := 0
	i := 0
	for {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		switch {
		case i == start: // empty arc
			return i
		case arcs == 0 && s[start] == '0': // the first arc is 1-9 led (IPF)
			return start
		case i-start > 1 && s[start] == '0': // leading zero
			return start
		}
		arcs++
		if i == len(s) {
			if arcs < 2 {
				return i
			}
			return -1
		}
		if s[i] != '.' {
			return i
		}
		i++
	}
}

// Arcs splits a valid OID into its arcs (decimal strings).
func Arcs(s string) ([]string, error) {
	if err := Validate(s); err != nil {
		return nil, err
	}
	return strings.Split(s, "."), nil
}
