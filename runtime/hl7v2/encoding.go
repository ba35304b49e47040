package hl7v2

import (
	"strconv"
	"strings"
)

// The XDS encoding characters (HL7 v2 defaults).
const (
	componentSep    = '^'
	subcomponentSep = '&'
	escapeChar      = '\\'
)

// unescape decodes the five standard escape sequences of s, which starts at
// byte offset base in the parsed text.
func unescape(s string, base int) (string, int, bool) {
	if strings.IndexByte(s, escapeChar) < 0 {
		return s, 0, true
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != escapeChar {
			b.WriteByte(c)
			continue
		}
		if i+2 >= len(s) || s[i+2] != escapeChar {
			return "", base + i, false
		}
		switch s[i+1] {
		case 'F':
			b.WriteByte('|')
		case 'S':
			b.WriteByte('^')
		case 'T':
			b.WriteByte('&')
		case 'R':
			b.WriteByte('~')
		case 'E':
			b.WriteByte('\\')
		default:
			return "", base + i, false
		}
		i += 2
	}
	return b.String(), 0, true
}

// escape encodes the delimiters of s as escape sequences.
func escape(s string) string {
	if !strings.ContainsAny(s, "|^&~\\") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '|':
			b.WriteString(`\F\`)
		case '^':
			b.WriteString(`\S\`)
		case '&':
			b.WriteString(`\T\`)
		case '~':
			b.WriteString(`\R\`)
		case '\\':
			b.WriteString(`\E\`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// subcomposite is a component made of subcomponents (HD, CWE, FN, DR).
type subcomposite interface {
	subparts() []*string
}

// parseParts fills parts from s split at sep (component or subcomponent
// level). Each part is either a *string (one subcomponent) or, at the
// component level only, a subcomposite.
func parseParts(typ, s string, sep byte, parts []any) error {
	if i := strings.IndexAny(s, "|~"); i >= 0 {
		return &Error{Code: CodeUnescapedDelimiter, Type: typ, Offset: i,
			Detail: "raw '" + s[i:i+1] + "' (write it as an escape sequence)"}
	}
	// Split into components with their offsets, dropping trailing empties.
	var comps []string
	var offs []int
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == sep {
			comps = append(comps, s[start:i])
			offs = append(offs, start)
			start = i + 1
		}
	}
	for len(comps) > 0 && comps[len(comps)-1] == "" {
		comps = comps[:len(comps)-1]
	}
	if len(comps) > len(parts) {
		e := &Error{Code: CodeTooManyComponents, Type: typ, Component: len(parts) + 1, Offset: offs[len(parts)],
			Detail: typ + " has " + itoa(len(parts)) + " components"}
		if sep == subcomponentSep {
			e.Code, e.Component, e.Subcomponent = CodeTooManySubcomponents, 0, len(parts)+1
			e.Detail = "the component has " + itoa(len(parts)) + " subcomponents"
		}
		return e
	}
	for i, c := range comps {
		switch p := parts[i].(type) {
		case *string:
			if sep == componentSep && strings.IndexByte(c, subcomponentSep) >= 0 {
				j := strings.IndexByte(c, subcomponentSep)
				// Trailing empty subcomponents are dropped like trailing components.
				if strings.Trim(c[j:], "&") != "" {
					return &Error{Code: CodeTooManySubcomponents, Type: typ, Component: i + 1, Subcomponent: 2,
						Offset: offs[i] + j, Detail: "component " + itoa(i+1) + " has no subcomponents"}
				}
				c = c[:j]
			}
			v, at, ok := unescape(c, offs[i])
			if !ok {
				return escapeError(typ, sep, i, at)
			}
			*p = v
		case subcomposite:
			if err := parseParts(typ, c, subcomponentSep, asAny(p.subparts())); err != nil {
				e := err.(*Error)
				e.Component = i + 1
				if e.Offset >= 0 {
					e.Offset += offs[i]
				}
				return e
			}
		}
	}
	return nil
}

func escapeError(typ string, sep byte, i, at int) *Error {
	e := &Error{Code: CodeInvalidEscape, Type: typ, Component: i + 1, Offset: at,
		Detail: `only \F\ \S\ \T\ \R\ \E\ are supported`}
	if sep == subcomponentSep {
		e.Component, e.Subcomponent = 0, i+1
	}
	return e
}

// formatParts is the inverse of parseParts.
func formatParts(sep byte, parts []any) string {
	enc := make([]string, len(parts))
	n := 0
	for i, p := range parts {
		switch p := p.(type) {
		case *string:
			enc[i] = escape(*p)
		case subcomposite:
			enc[i] = formatParts(subcomponentSep, asAny(p.subparts()))
		}
		if enc[i] != "" {
			n = i + 1
		}
	}
	return strings.Join(enc[:n], string(sep))
}

func asAny(ps []*string) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
