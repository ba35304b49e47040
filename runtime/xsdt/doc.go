// Package xsdt holds the XSD built-in value types that generated code binds
// to, the whitespace and lexical checks of the built-ins, XSD pattern
// translation to Go regular expressions, and the validation Report with its
// facet helpers.
//
// Values parsed from XML keep their exact lexical form (after the whiteSpace
// collapse of their type), so that decoding then encoding is faithful:
// String returns what was read. Values built from Go values format
// canonically. Decimal and Integer are exact (never via float64); the date
// and time types keep their time zone, or its absence; years beyond 9999 and
// negative years are supported (XSD 1.0: there is no year 0000, "-0001" is
// 1 BCE), up to 9 digits.
//
// Parse functions return a *LexicalError (usable with errors.As) naming the
// XSD type and the rejected text.
package xsdt

import "fmt"

// LexicalError reports a value that is not in the lexical space of its type,
// or out of its range.
type LexicalError struct {
	Type   string // XSD type name, e.g. "decimal"
	Value  string
	Reason string // optional detail
}

func (e *LexicalError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("invalid xs:%s %q: %s", e.Type, e.Value, e.Reason)
	}
	return fmt.Sprintf("invalid xs:%s %q", e.Type, e.Value)
}

func lexErr(typ, value, reason string) error {
	return &LexicalError{Type: typ, Value: value, Reason: reason}
}
