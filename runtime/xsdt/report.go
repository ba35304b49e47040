package xsdt

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Violation is one validation failure. Code is one of "pattern", "length",
// "minLength", "maxLength", "enumeration", "minInclusive", "maxInclusive",
// "minExclusive", "maxExclusive", "totalDigits", "fractionDigits",
// "required", "minOccurs", "maxOccurs", "choice", "lexical", "fixed",
// "nillable".
type Violation struct{ Path, Code, Msg string }

// String formats v as "path: code: msg".
func (v Violation) String() string {
	p := v.Path
	if p == "" {
		p = "/"
	}
	return p + ": " + v.Code + ": " + v.Msg
}

// Violations is a list of violations; as an error it prints one per line.
type Violations []Violation

func (vs Violations) Error() string {
	lines := make([]string, len(vs))
	for i, v := range vs {
		lines[i] = v.String()
	}
	return strings.Join(lines, "\n")
}

// Report collects violations under a path stack. Pushing and popping cost
// no allocation once the stack has grown; paths are built only when a
// violation is recorded.
type Report struct {
	root string
	segs []pathSeg
	vs   Violations
}

type pathSeg struct {
	name  string
	index int // -1: none
	attr  bool
}

// NewReport returns an empty report whose paths start with root, e.g.
// "/query:AdhocQueryResponse" (may be "").
func NewReport(root string) *Report { return &Report{root: root} }

// Push enters the path segment seg ("rim:Slot", "@id").
func (r *Report) Push(seg string) { r.segs = append(r.segs, pathSeg{seg, -1, false}) }

// PushAttr enters the segment of the attribute local ("@" local), without
// building that string unless a violation needs the path.
func (r *Report) PushAttr(local string) { r.segs = append(r.segs, pathSeg{local, -1, true}) }

// PushIndex enters seg[i+1] (i is 0-based; paths are 1-based as in XPath).
func (r *Report) PushIndex(seg string, i int) { r.segs = append(r.segs, pathSeg{seg, i, false}) }

// Pop leaves the innermost segment.
func (r *Report) Pop() {
	if len(r.segs) > 0 {
		r.segs = r.segs[:len(r.segs)-1]
	}
}

// Path returns the current path.
func (r *Report) Path() string {
	var b strings.Builder
	b.WriteString(r.root)
	for _, s := range r.segs {
		b.WriteByte('/')
		if s.attr {
			b.WriteByte('@')
		}
		b.WriteString(s.name)
		if s.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index + 1))
			b.WriteByte(']')
		}
	}
	return b.String()
}

// Add records a violation at the current path.
func (r *Report) Add(code, format string, args ...any) {
	r.vs = append(r.vs, Violation{Path: r.Path(), Code: code, Msg: fmt.Sprintf(format, args...)})
}

// Len returns the number of violations.
func (r *Report) Len() int { return len(r.vs) }

// Violations returns the violations recorded so far.
func (r *Report) Violations() Violations { return r.vs }

// Err returns nil, or the violations as a Violations error.
func (r *Report) Err() error {
	if len(r.vs) == 0 {
		return nil
	}
	return append(Violations(nil), r.vs...)
}

// Length checks the length facet in characters.
func (r *Report) Length(s string, n int) bool {
	return r.checkLen("length", utf8.RuneCountInString(s), n, "characters")
}

// MinLength checks the minLength facet in characters.
func (r *Report) MinLength(s string, n int) bool {
	return r.checkLen("minLength", utf8.RuneCountInString(s), n, "characters")
}

// MaxLength checks the maxLength facet in characters.
func (r *Report) MaxLength(s string, n int) bool {
	return r.checkLen("maxLength", utf8.RuneCountInString(s), n, "characters")
}

// LengthBytes checks the length facet of binary data in octets.
func (r *Report) LengthBytes(b []byte, n int) bool { return r.checkLen("length", len(b), n, "octets") }

// MinLengthBytes checks the minLength facet of binary data in octets.
func (r *Report) MinLengthBytes(b []byte, n int) bool {
	return r.checkLen("minLength", len(b), n, "octets")
}

// MaxLengthBytes checks the maxLength facet of binary data in octets.
func (r *Report) MaxLengthBytes(b []byte, n int) bool {
	return r.checkLen("maxLength", len(b), n, "octets")
}

// LengthItems checks a length facet (code "length", "minLength" or
// "maxLength") on the number of items of a list.
func (r *Report) LengthItems(code string, items, n int) bool {
	return r.checkLen(code, items, n, "items")
}

func (r *Report) checkLen(code string, got, n int, unit string) bool {
	var ok bool
	switch code {
	case "length":
		ok = got == n
	case "minLength":
		ok = got >= n
	default:
		ok = got <= n
	}
	if !ok {
		r.Add(code, "%d %s, %s is %d", got, unit, code, n)
	}
	return ok
}

// Pattern checks the pattern facet.
func (r *Report) Pattern(s string, p *Pattern) bool {
	if p.MatchString(s) {
		return true
	}
	r.Add("pattern", "%q does not match %q", abbrev(s), p.String())
	return false
}

// Enumeration checks that s is one of values.
func (r *Report) Enumeration(s string, values ...string) bool {
	for _, v := range values {
		if s == v {
			return true
		}
	}
	r.Add("enumeration", "%q is not one of %s", abbrev(s), quoteList(values))
	return false
}

// Enum checks that key, the whiteSpace-normalized value of a value of the
// enumerated type typ, is one of its values, sorted as slices.Sort sorts
// them: the ValidateXSD of a generated string enumeration. The message
// quotes value as written.
func (r *Report) Enum(key, value, typ string, sorted []string) bool {
	if _, ok := slices.BinarySearch(sorted, key); ok {
		return true
	}
	r.Add("enumeration", "%q is not a value of %s", value, typ)
	return false
}

func quoteList(vs []string) string {
	if len(vs) > 8 {
		return quoteList(vs[:8]) + fmt.Sprintf(" (and %d more)", len(vs)-8)
	}
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

// Fixed checks a fixed value.
func (r *Report) Fixed(got, want string) bool {
	if got == want {
		return true
	}
	r.Add("fixed", "%q, the fixed value is %q", abbrev(got), want)
	return false
}

// Lexical records err (from a Parse function) as a "lexical" violation.
func (r *Report) Lexical(err error) bool {
	if err == nil {
		return true
	}
	r.Add("lexical", "%v", err)
	return false
}

// Occurs checks that name occurs between min and max times (max < 0:
// unbounded).
func (r *Report) Occurs(name string, n, min, max int) bool {
	if n < min {
		r.Add("minOccurs", "%s occurs %d times, at least %d required", name, n, min)
		return false
	}
	if max >= 0 && n > max {
		r.Add("maxOccurs", "%s occurs %d times, at most %d allowed", name, n, max)
		return false
	}
	return true
}

// Required checks that a required attribute or element is present.
func (r *Report) Required(name string, present bool) bool {
	if !present {
		r.Add("required", "%s is required", name)
	}
	return present
}

// DecimalRange checks the range facets of a decimal; nil bounds are absent.
func (r *Report) DecimalRange(v Decimal, minIncl, maxIncl, minExcl, maxExcl *Decimal) bool {
	return TotalRange(r, v, minIncl, maxIncl, minExcl, maxExcl)
}

// IntegerRange checks the range facets of an unbounded integer.
func (r *Report) IntegerRange(v Integer, minIncl, maxIncl, minExcl, maxExcl *Integer) bool {
	return TotalRange(r, v, minIncl, maxIncl, minExcl, maxExcl)
}

// Digits checks totalDigits and fractionDigits (-1 = absent).
func (r *Report) Digits(v Decimal, total, fraction int) bool {
	ok := true
	if total >= 0 && v.TotalDigits() > total {
		r.Add("totalDigits", "%s has %d digits, totalDigits is %d", v, v.TotalDigits(), total)
		ok = false
	}
	if fraction >= 0 && v.FractionDigits() > fraction {
		r.Add("fractionDigits", "%s has %d fraction digits, fractionDigits is %d", v, v.FractionDigits(), fraction)
		ok = false
	}
	return ok
}

// TotalRange checks range facets for totally ordered values (Decimal,
// Integer); nil bounds are absent.
func TotalRange[T interface {
	Cmp(T) int
	String() string
}](r *Report, v T, minIncl, maxIncl, minExcl, maxExcl *T) bool {
	return PartialRange(r, totalOrder[T]{v}, wrap(minIncl), wrap(maxIncl), wrap(minExcl), wrap(maxExcl))
}

type totalOrder[T interface {
	Cmp(T) int
	String() string
}] struct{ v T }

func (t totalOrder[T]) Cmp(o totalOrder[T]) (int, bool) { return t.v.Cmp(o.v), true }
func (t totalOrder[T]) String() string                  { return t.v.String() }

func wrap[T interface {
	Cmp(T) int
	String() string
}](p *T) *totalOrder[T] {
	if p == nil {
		return nil
	}
	return &totalOrder[T]{*p}
}

// PartialRange checks range facets for partially ordered values (the date
// and time types, Duration). An indeterminate comparison is a violation.
func PartialRange[T interface {
	Cmp(T) (int, bool)
	String() string
}](r *Report, v T, minIncl, maxIncl, minExcl, maxExcl *T) bool {
	check := func(code string, bound *T, ok func(c int) bool) bool {
		if bound == nil {
			return true
		}
		c, det := v.Cmp(*bound)
		if det && ok(c) {
			return true
		}
		if !det {
			r.Add(code, "%s cannot be ordered against %s %s", v, code, *bound)
		} else {
			r.Add(code, "%s is out of range: %s is %s", v, code, *bound)
		}
		return false
	}
	a := check("minInclusive", minIncl, func(c int) bool { return c >= 0 })
	b := check("maxInclusive", maxIncl, func(c int) bool { return c <= 0 })
	c := check("minExclusive", minExcl, func(c int) bool { return c > 0 })
	d := check("maxExclusive", maxExcl, func(c int) bool { return c < 0 })
	return a && b && c && d
}

// OrderedRange checks range facets for Go ordered values (bounded integers,
// float64). NaN is never in range.
func OrderedRange[T cmp.Ordered](r *Report, v T, minIncl, maxIncl, minExcl, maxExcl *T) bool {
	w := func(p *T) *ordered[T] {
		if p == nil {
			return nil
		}
		return &ordered[T]{*p}
	}
	return PartialRange(r, ordered[T]{v}, w(minIncl), w(maxIncl), w(minExcl), w(maxExcl))
}

type ordered[T cmp.Ordered] struct{ v T }

func (o ordered[T]) Cmp(p ordered[T]) (int, bool) {
	return cmp.Compare(o.v, p.v), o.v == o.v && p.v == p.v // NaN is unordered
}
func (o ordered[T]) String() string { return fmt.Sprint(o.v) }
