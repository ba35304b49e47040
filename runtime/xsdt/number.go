package xsdt

import (
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// digits is an exact signed decimal number: an integer part without leading
// zeros and a fraction part without trailing zeros (both "" for zero).
type digits struct {
	neg       bool
	int, frac string
	lex       string // lexical form as read; "" when built from a Go value
}

// parseDigits parses [+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+) (fraction when
// allowFrac) after trimming XML white space.
func parseDigits(s, typ string, allowFrac bool) (digits, error) {
	t := trim(s)
	if t == "" {
		return digits{}, lexErr(typ, s, "empty")
	}
	d := digits{lex: t}
	p := t
	switch p[0] {
	case '-':
		d.neg = true
		p = p[1:]
	case '+':
		p = p[1:]
	}
	ip := p
	if i := strings.IndexByte(p, '.'); i >= 0 {
		if !allowFrac {
			return digits{}, lexErr(typ, s, "a fraction is not allowed")
		}
		ip = p[:i]
		d.frac = p[i+1:]
		if ip == "" && d.frac == "" {
			return digits{}, lexErr(typ, s, "no digits")
		}
		if !allDigits(d.frac) {
			return digits{}, lexErr(typ, s, "")
		}
	} else if ip == "" {
		return digits{}, lexErr(typ, s, "no digits")
	}
	if !allDigits(ip) {
		return digits{}, lexErr(typ, s, "")
	}
	d.int = strings.TrimLeft(ip, "0")
	d.frac = strings.TrimRight(d.frac, "0")
	if d.int == "" && d.frac == "" {
		d.neg = false // -0 is 0
	}
	return d, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (d digits) sign() int {
	switch {
	case d.int == "" && d.frac == "":
		return 0
	case d.neg:
		return -1
	}
	return 1
}

// cmp compares two exact values.
func (d digits) cmp(o digits) int {
	ds, os := d.sign(), o.sign()
	if ds != os {
		if ds < os {
			return -1
		}
		return 1
	}
	c := 0
	switch {
	case len(d.int) != len(o.int):
		c = 1
		if len(d.int) < len(o.int) {
			c = -1
		}
	case d.int != o.int:
		c = strings.Compare(d.int, o.int)
	default:
		c = strings.Compare(d.frac, o.frac)
	}
	return c * ds
}

func (d digits) canonical() string {
	var b strings.Builder
	if d.sign() < 0 {
		b.WriteByte('-')
	}
	if d.int == "" {
		b.WriteByte('0')
	} else {
		b.WriteString(d.int)
	}
	if d.frac != "" {
		b.WriteByte('.')
		b.WriteString(d.frac)
	}
	return b.String()
}

func (d digits) rat() *big.Rat {
	r, ok := new(big.Rat).SetString(d.canonical())
	if !ok {
		panic("xsdt: internal error: bad canonical decimal " + d.canonical())
	}
	return r
}

// Decimal is an exact xs:decimal. The zero value is 0. Compare values with
// Cmp: == also compares lexical forms ("1.0" != "1").
type Decimal struct{ d digits }

// ParseDecimal parses an xs:decimal, keeping its lexical form.
func ParseDecimal(s string) (Decimal, error) {
	d, err := parseDigits(s, "decimal", true)
	return Decimal{d}, err
}

// DecimalFromInt returns i as a Decimal.
func DecimalFromInt(i int64) Decimal {
	d, _ := parseDigits(strconv.FormatInt(i, 10), "decimal", true)
	d.lex = ""
	return Decimal{d}
}

// DecimalFromRat returns r rounded half-to-even to scale fraction digits;
// String writes exactly scale fraction digits (none when scale <= 0).
func DecimalFromRat(r *big.Rat, scale int) Decimal {
	if scale < 0 {
		scale = 0
	}
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)
	num := new(big.Int).Mul(r.Num(), pow)
	q, m := new(big.Int).QuoRem(num, r.Denom(), new(big.Int))
	m.Abs(m).Lsh(m, 1)
	if c := m.Cmp(r.Denom()); c > 0 || c == 0 && q.Bit(0) == 1 {
		if r.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	neg := q.Sign() < 0
	s := q.Abs(q).String()
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if neg {
		s = "-" + s
	}
	d, _ := parseDigits(s, "decimal", true)
	return Decimal{d}
}

// String returns the lexical form read, or the canonical form.
func (d Decimal) String() string {
	if d.d.lex != "" {
		return d.d.lex
	}
	return d.d.canonical()
}

// Canonical returns the canonical form (no leading or trailing zeros, no '+').
func (d Decimal) Canonical() string { return d.d.canonical() }

// Rat returns the exact value.
func (d Decimal) Rat() *big.Rat { return d.d.rat() }

// Float64 returns the nearest float64 (lossy; for display and arithmetic only).
func (d Decimal) Float64() float64 {
	f, _ := d.d.rat().Float64()
	return f
}

// Cmp compares d and o by value: -1, 0 or +1.
func (d Decimal) Cmp(o Decimal) int { return d.d.cmp(o.d) }

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int { return d.d.sign() }

// IsZero reports whether d is zero.
func (d Decimal) IsZero() bool { return d.d.sign() == 0 }

// TotalDigits returns the smallest totalDigits facet value d satisfies.
func (d Decimal) TotalDigits() int {
	n := len(strings.TrimLeft(d.d.int+d.d.frac, "0"))
	if len(d.d.frac) > n {
		n = len(d.d.frac)
	}
	return max(n, 1)
}

// FractionDigits returns the number of significant fraction digits.
func (d Decimal) FractionDigits() int { return len(d.d.frac) }

// Integer is an exact xs:integer (and the unbounded derived types
// nonNegativeInteger, positiveInteger, negativeInteger, nonPositiveInteger).
// The zero value is 0. Compare values with Cmp (== compares lexical forms).
type Integer struct{ d digits }

// ParseInteger parses an xs:integer, keeping its lexical form.
func ParseInteger(s string) (Integer, error) {
	d, err := parseDigits(s, "integer", false)
	return Integer{d}, err
}

func parseSigned(s, typ string, ok func(sign int) bool, want string) (Integer, error) {
	d, err := parseDigits(s, typ, false)
	if err != nil {
		return Integer{}, err
	}
	if !ok(d.sign()) {
		return Integer{}, lexErr(typ, s, "must be "+want)
	}
	return Integer{d}, nil
}

// ParseNonNegativeInteger parses an xs:nonNegativeInteger.
func ParseNonNegativeInteger(s string) (Integer, error) {
	return parseSigned(s, "nonNegativeInteger", func(n int) bool { return n >= 0 }, ">= 0")
}

// ParsePositiveInteger parses an xs:positiveInteger.
func ParsePositiveInteger(s string) (Integer, error) {
	return parseSigned(s, "positiveInteger", func(n int) bool { return n > 0 }, "> 0")
}

// ParseNegativeInteger parses an xs:negativeInteger.
func ParseNegativeInteger(s string) (Integer, error) {
	return parseSigned(s, "negativeInteger", func(n int) bool { return n < 0 }, "< 0")
}

// ParseNonPositiveInteger parses an xs:nonPositiveInteger.
func ParseNonPositiveInteger(s string) (Integer, error) {
	return parseSigned(s, "nonPositiveInteger", func(n int) bool { return n <= 0 }, "<= 0")
}

// IntegerFromInt64 returns i as an Integer.
func IntegerFromInt64(i int64) Integer {
	d, _ := parseDigits(strconv.FormatInt(i, 10), "integer", false)
	d.lex = ""
	return Integer{d}
}

// IntegerFromBig returns a copy of i as an Integer.
func IntegerFromBig(i *big.Int) Integer {
	d, _ := parseDigits(i.String(), "integer", false)
	d.lex = ""
	return Integer{d}
}

// String returns the lexical form read, or the canonical form.
func (i Integer) String() string {
	if i.d.lex != "" {
		return i.d.lex
	}
	return i.d.canonical()
}

// Big returns the value as a new big.Int.
func (i Integer) Big() *big.Int {
	b, _ := new(big.Int).SetString(i.d.canonical(), 10)
	return b
}

// Int64 returns the value and whether it fits in an int64.
func (i Integer) Int64() (int64, bool) {
	v, err := strconv.ParseInt(i.d.canonical(), 10, 64)
	return v, err == nil
}

// Cmp compares i and o by value.
func (i Integer) Cmp(o Integer) int { return i.d.cmp(o.d) }

// Sign returns -1, 0 or +1.
func (i Integer) Sign() int { return i.d.sign() }

// Decimal returns i as a Decimal (for range facets shared with decimals).
func (i Integer) Decimal() Decimal { return Decimal{i.d} }

var intTypes = map[int]string{8: "byte", 16: "short", 32: "int", 64: "long"}
var uintTypes = map[int]string{8: "unsignedByte", 16: "unsignedShort", 32: "unsignedInt", 64: "unsignedLong"}

// ParseInt parses a bounded signed XSD integer type (bits 64 long, 32 int,
// 16 short, 8 byte): optional sign, leading zeros allowed, surrounding white
// space ignored.
func ParseInt(s string, bits int) (int64, error) {
	typ := intTypes[bits]
	if typ == "" {
		typ = "integer"
	}
	d, err := parseDigits(s, typ, false)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseInt(d.canonical(), 10, bits)
	if err != nil {
		return 0, lexErr(typ, s, "out of range")
	}
	return v, nil
}

// ParseUint parses a bounded unsigned XSD integer type (bits 64
// unsignedLong, 32 unsignedInt, 16 unsignedShort, 8 unsignedByte). "-0" is
// accepted, as the types derive from nonNegativeInteger.
func ParseUint(s string, bits int) (uint64, error) {
	typ := uintTypes[bits]
	if typ == "" {
		typ = "nonNegativeInteger"
	}
	d, err := parseDigits(s, typ, false)
	if err != nil {
		return 0, err
	}
	if d.sign() < 0 {
		return 0, lexErr(typ, s, "out of range")
	}
	v, err := strconv.ParseUint(d.canonical(), 10, bits)
	if err != nil {
		return 0, lexErr(typ, s, "out of range")
	}
	return v, nil
}

// ParseBoolean parses an xs:boolean: true, false, 1 or 0.
func ParseBoolean(s string) (bool, error) {
	switch trim(s) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, lexErr("boolean", s, "")
}

// FormatBoolean returns "true" or "false".
func FormatBoolean(b bool) string { return strconv.FormatBool(b) }

// ParseDouble parses an xs:double (bits 64) or xs:float (bits 32): decimal
// or exponent notation, INF, +INF, -INF, NaN. Values beyond the range round
// to ±INF (XSD 1.1).
func ParseDouble(s string, bits int) (float64, error) {
	typ := "double"
	if bits == 32 {
		typ = "float"
	}
	t := trim(s)
	switch t {
	case "INF", "+INF":
		return math.Inf(1), nil
	case "-INF":
		return math.Inf(-1), nil
	case "NaN":
		return math.NaN(), nil
	}
	mant, exp := t, ""
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		mant, exp = t[:i], t[i+1:]
		if exp != "" && (exp[0] == '+' || exp[0] == '-') {
			exp = exp[1:]
		}
		if exp == "" || !allDigits(exp) {
			return 0, lexErr(typ, s, "")
		}
	}
	if _, err := parseDigits(mant, typ, true); err != nil {
		return 0, lexErr(typ, s, "")
	}
	f, err := strconv.ParseFloat(t, bits)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, lexErr(typ, s, "")
	}
	return f, nil
}

// FormatDouble formats f as an xs:double (bits 64) or xs:float (bits 32):
// the shortest form that reads back exactly, INF, -INF or NaN.
func FormatDouble(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	}
	return strconv.FormatFloat(f, 'G', -1, bits)
}
