package xsdt

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

//go:generate go run gen_blocks.go Blocks.txt

// Pattern is a compiled XSD pattern facet.
type Pattern struct {
	src string
	re  *regexp.Regexp
}

// CompilePattern translates and compiles an XSD regular expression.
func CompilePattern(xsd string) (*Pattern, error) {
	rx, err := translate(xsd)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(rx)
	if err != nil {
		// e.g. nested repetitions whose product exceeds 1000
		return nil, &PatternError{Pattern: xsd, Msg: "RE2 cannot compile the translation: " + err.Error()}
	}
	return &Pattern{src: xsd, re: re}, nil
}

// MustPattern is CompilePattern for package-level variables of generated
// code; the generator checks TranslatePattern when it generates.
func MustPattern(xsd string) *Pattern {
	p, err := CompilePattern(xsd)
	if err != nil {
		panic("xsdt: " + err.Error())
	}
	return p
}

// MatchString reports whether the whole of s matches.
func (p *Pattern) MatchString(s string) bool { return p.re.MatchString(s) }

// String returns the original XSD pattern.
func (p *Pattern) String() string { return p.src }

// Regexp returns the translated Go regular expression.
func (p *Pattern) Regexp() *regexp.Regexp { return p.re }

// PatternError is a pattern that is not a valid XSD regular expression, or
// that Go's RE2 engine cannot express.
type PatternError struct {
	Pattern string
	Offset  int // byte offset in Pattern
	Msg     string
}

func (e *PatternError) Error() string {
	return fmt.Sprintf("pattern %q at offset %d: %s", e.Pattern, e.Offset, e.Msg)
}

// TranslatePattern translates an XSD 1.0 regular expression to Go (RE2)
// syntax, anchored at both ends. XSD specifics handled: implicit anchoring
// (^ and $ are ordinary characters), '.' excludes only CR and LF, \s is
// [ \t\n\r], \d is \p{Nd}, \w is [\p{L}\p{M}\p{N}\p{S}] (all but P, Z, C),
// \i and \c are the XML 1.0 fifth-edition NameStartChar and NameChar sets,
// \p{Is<Block>} Unicode blocks (with the XSD 1.0 names IsGreek,
// IsCombiningMarksforSymbols and IsPrivateUse), \p{Cn} (unassigned code
// points; \p{C} includes them, as in Go), and character class subtraction
// [a-z-[aeiou]]. Unicode properties follow Go's Unicode version. Errors: invalid XSD syntax (back-references, lazy or possessive
// quantifiers, unknown escapes, unescaped '[' in a class, misplaced '-') and
// repetition counts above 1000 or programs too large, which RE2 cannot
// express (the translation is compiled to check).
func TranslatePattern(xsd string) (string, error) {
	p, err := CompilePattern(xsd)
	if err != nil {
		return "", err
	}
	return p.re.String(), nil
}

func translate(xsd string) (string, error) {
	p := &rxParser{src: xsd}
	body, err := p.regExp()
	if err != nil {
		return "", err
	}
	if p.pos < len(p.src) {
		return "", p.errf("unbalanced ')'")
	}
	return "^(?:" + body + ")$", nil
}

type rxParser struct {
	src string
	pos int
}

func (p *rxParser) errf(format string, args ...any) error {
	return &PatternError{Pattern: p.src, Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *rxParser) peek() (rune, int) {
	if p.pos >= len(p.src) {
		return -1, 0
	}
	return utf8.DecodeRuneInString(p.src[p.pos:])
}

func (p *rxParser) regExp() (string, error) {
	var b strings.Builder
	for {
		br, err := p.branch()
		if err != nil {
			return "", err
		}
		b.WriteString(br)
		if r, _ := p.peek(); r != '|' {
			return b.String(), nil
		}
		p.pos++
		b.WriteByte('|')
	}
}

func (p *rxParser) branch() (string, error) {
	var b strings.Builder
	for {
		r, _ := p.peek()
		if r == -1 || r == '|' || r == ')' {
			return b.String(), nil
		}
		atom, err := p.atom()
		if err != nil {
			return "", err
		}
		b.WriteString(atom)
		q, err := p.quantifier()
		if err != nil {
			return "", err
		}
		b.WriteString(q)
		if r, _ := p.peek(); r == '?' || r == '*' || r == '+' || (q != "" && r == '{' && p.quantifierAhead()) {
			return "", p.errf("a quantifier cannot follow a quantifier (XSD has no lazy or possessive quantifiers)")
		}
	}
}

func (p *rxParser) atom() (string, error) {
	r, n := p.peek()
	switch r {
	case '(':
		p.pos++
		if q, _ := p.peek(); q == '?' {
			return "", p.errf("'(?' groups are not XSD syntax")
		}
		inner, err := p.regExp()
		if err != nil {
			return "", err
		}
		if q, _ := p.peek(); q != ')' {
			return "", p.errf("missing ')'")
		}
		p.pos++
		return "(?:" + inner + ")", nil
	case '[':
		p.pos++
		c, err := p.classExpr()
		if err != nil {
			return "", err
		}
		return c.regexp(), nil
	case '\\':
		c, single, err := p.escape()
		if err != nil {
			return "", err
		}
		if single >= 0 {
			return literal(single), nil
		}
		return c.regexp(), nil
	case '.':
		p.pos++
		return `[^\n\r]`, nil
	case '?', '*', '+':
		return "", p.errf("quantifier %q without an atom", r)
	case ']':
		return "", p.errf("unescaped ']'")
	}
	if r == utf8.RuneError && n <= 1 {
		return "", p.errf("invalid UTF-8")
	}
	p.pos += n
	return literal(r), nil
}

// quantifierAhead reports whether a well-formed {n}, {n,} or {n,m} starts at pos.
func (p *rxParser) quantifierAhead() bool {
	_, _, _, ok := p.scanQuantity()
	return ok
}

func (p *rxParser) scanQuantity() (min, max int, end int, ok bool) {
	s := p.src[p.pos:]
	if !strings.HasPrefix(s, "{") {
		return 0, 0, 0, false
	}
	close := strings.IndexByte(s, '}')
	if close < 0 {
		return 0, 0, 0, false
	}
	body := s[1:close]
	lo, hi, comma := strings.Cut(body, ",")
	if lo == "" || !allDigits(lo) || comma && hi != "" && !allDigits(hi) {
		return 0, 0, 0, false
	}
	var err error
	if min, err = strconv.Atoi(lo); err != nil {
		min = 1 << 30
	}
	switch {
	case !comma:
		max = min
	case hi == "":
		max = -1
	default:
		if max, err = strconv.Atoi(hi); err != nil {
			max = 1 << 30
		}
	}
	return min, max, p.pos + close + 1, true
}

func (p *rxParser) quantifier() (string, error) {
	r, _ := p.peek()
	switch r {
	case '?', '*', '+':
		p.pos++
		return string(r), nil
	case '{':
		min, max, end, ok := p.scanQuantity()
		if !ok {
			return "", nil // a literal '{' follows
		}
		if max >= 0 && max < min {
			return "", p.errf("quantifier {%d,%d}: the maximum is below the minimum", min, max)
		}
		if min > 1000 || max > 1000 {
			return "", p.errf("repetition count above 1000: RE2 cannot express it")
		}
		q := p.src[p.pos:end]
		p.pos = end
		return q, nil
	}
	return "", nil
}

// cls is a character class: a rune set and, when RE2 can express it
// compactly, the text of that set inside [...].
type cls struct {
	snippet string // without the brackets
	negated bool   // the class is [^snippet]
	set     func() []rng
}

func (c cls) regexp() string {
	if c.snippet != "" {
		if c.negated {
			return "[^" + c.snippet + "]"
		}
		return "[" + c.snippet + "]"
	}
	return setRegexp(c.set())
}

// escape parses a backslash escape; for a single-character escape it
// returns the character, else -1 and the class.
func (p *rxParser) escape() (cls, rune, error) {
	p.pos++ // backslash
	r, n := p.peek()
	if r == -1 {
		return cls{}, -1, p.errf("trailing backslash")
	}
	p.pos += n
	switch r {
	case 'n':
		return cls{}, '\n', nil
	case 'r':
		return cls{}, '\r', nil
	case 't':
		return cls{}, '\t', nil
	case '\\', '|', '.', '?', '*', '+', '(', ')', '{', '}', '-', '[', ']', '^':
		return cls{}, r, nil
	case 's', 'S', 'i', 'I', 'c', 'C', 'd', 'D', 'w', 'W':
		return multiEscape(r), -1, nil
	case 'p', 'P':
		if q, _ := p.peek(); q != '{' {
			return cls{}, -1, p.errf("expected '{' after \\%c", r)
		}
		end := strings.IndexByte(p.src[p.pos:], '}')
		if end < 0 {
			return cls{}, -1, p.errf("missing '}' after \\%c{", r)
		}
		name := p.src[p.pos+1 : p.pos+end]
		c, err := property(name, r == 'P')
		if err != nil {
			return cls{}, -1, p.errf("%v", err)
		}
		p.pos += end + 1
		return c, -1, nil
	}
	return cls{}, -1, p.errf("invalid escape \\%c", r)
}

func (p *rxParser) classExpr() (cls, error) {
	start := p.pos - 1
	neg := false
	if r, _ := p.peek(); r == '^' {
		neg = true
		p.pos++
	}
	var items []cls
	var sub *cls
	for {
		r, n := p.peek()
		switch {
		case r == -1:
			p.pos = start
			return cls{}, p.errf("unterminated character class")
		case r == ']':
			if len(items) == 0 {
				return cls{}, p.errf("empty character class")
			}
			p.pos++
			return combine(items, neg, sub), nil
		case r == '[':
			return cls{}, p.errf("'[' must be escaped in a character class")
		case r == '-':
			next, _ := utf8.DecodeRuneInString(p.src[p.pos+1:])
			switch {
			case next == '[' && len(items) > 0:
				p.pos++
				p.pos++
				s, err := p.classExpr()
				if err != nil {
					return cls{}, err
				}
				if q, _ := p.peek(); q != ']' {
					return cls{}, p.errf("a class subtraction must end the character class")
				}
				sub = &s
				continue
			case next == ']' || len(items) == 0:
				p.pos++
				items = append(items, single('-'))
				continue
			}
			return cls{}, p.errf("'-' must be escaped, or be first or last in a character class")
		}
		var lo rune
		if r == '\\' {
			c, ch, err := p.escape()
			if err != nil {
				return cls{}, err
			}
			if ch < 0 {
				items = append(items, c)
				continue
			}
			lo = ch
		} else {
			if r == utf8.RuneError && n <= 1 {
				return cls{}, p.errf("invalid UTF-8")
			}
			lo = r
			p.pos += n
		}
		if q, _ := p.peek(); q == '-' && p.pos+1 < len(p.src) && p.src[p.pos+1] != ']' && p.src[p.pos+1] != '[' {
			p.pos++
			hr, hn := p.peek()
			var hi rune
			switch hr {
			case '\\':
				_, ch, err := p.escape()
				if err != nil {
					return cls{}, err
				}
				if ch < 0 {
					return cls{}, p.errf("a range cannot end with a multi-character escape")
				}
				hi = ch
			case '[', '-':
				return cls{}, p.errf("%q must be escaped as a range end", hr)
			default:
				hi = hr
				p.pos += hn
			}
			if hi < lo {
				return cls{}, p.errf("range %q-%q is reversed", lo, hi)
			}
			items = append(items, rangeCls(lo, hi))
			continue
		}
		items = append(items, single(lo))
	}
}

func single(r rune) cls { return rangeCls(r, r) }

func rangeCls(lo, hi rune) cls {
	s := escRune(lo)
	if hi != lo {
		s += "-" + escRune(hi)
	}
	return cls{snippet: s, set: func() []rng { return []rng{{lo, hi}} }}
}

// combine builds [items], [^items] or [items-[sub]].
func combine(items []cls, neg bool, sub *cls) cls {
	if sub == nil {
		var b strings.Builder
		ok := true
		for _, c := range items {
			if c.snippet == "" {
				ok = false
				break
			}
			b.WriteString(c.snippet)
		}
		if ok {
			s := b.String()
			if neg {
				return cls{snippet: s, negated: true, set: negSet(items)}
			}
			return cls{snippet: s, set: unionSet(items)}
		}
	}
	set := func() []rng {
		s := unionSet(items)()
		if neg {
			s = complement(s)
		}
		if sub != nil {
			s = subtract(s, sub.set())
		}
		return s
	}
	return cls{set: set}
}

func unionSet(items []cls) func() []rng {
	return func() []rng {
		var all []rng
		for _, c := range items {
			all = append(all, c.set()...)
		}
		return normalize(all)
	}
}

func negSet(items []cls) func() []rng {
	return func() []rng { return complement(unionSet(items)()) }
}

func escRune(r rune) string {
	if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
		return string(r)
	}
	return fmt.Sprintf(`\x{%X}`, r)
}

func literal(r rune) string {
	switch {
	case r == '\n':
		return `\n`
	case r == '\r':
		return `\r`
	case r == '\t':
		return `\t`
	case r < utf8.RuneSelf:
		return regexp.QuoteMeta(string(r))
	}
	return string(r)
}

// rng is an inclusive rune range.
type rng struct{ lo, hi rune }

func normalize(rs []rng) []rng {
	sort.Slice(rs, func(i, j int) bool { return rs[i].lo < rs[j].lo })
	var out []rng
	for _, r := range rs {
		if n := len(out); n > 0 && r.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, r.hi)
			continue
		}
		out = append(out, r)
	}
	return out
}

func complement(rs []rng) []rng {
	var out []rng
	next := rune(0)
	for _, r := range rs {
		if r.lo > next {
			out = append(out, rng{next, r.lo - 1})
		}
		next = r.hi + 1
	}
	if next <= unicode.MaxRune {
		out = append(out, rng{next, unicode.MaxRune})
	}
	return out
}

func subtract(a, b []rng) []rng { return intersect(a, complement(b)) }

func intersect(a, b []rng) []rng {
	var out []rng
	for i, j := 0, 0; i < len(a) && j < len(b); {
		lo, hi := max(a[i].lo, b[j].lo), min(a[i].hi, b[j].hi)
		if lo <= hi {
			out = append(out, rng{lo, hi})
		}
		if a[i].hi < b[j].hi {
			i++
		} else {
			j++
		}
	}
	return out
}

func setRegexp(rs []rng) string {
	if len(rs) == 0 {
		return `[^\x{0}-\x{10FFFF}]` // matches nothing
	}
	return "[" + setSnippet(rs) + "]"
}

func setSnippet(rs []rng) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(escRune(r.lo))
		if r.hi != r.lo {
			b.WriteByte('-')
			b.WriteString(escRune(r.hi))
		}
	}
	return b.String()
}

func fromTable(t *unicode.RangeTable) []rng {
	var out []rng
	add := func(lo, hi, stride rune) {
		if stride == 1 {
			out = append(out, rng{lo, hi})
			return
		}
		for c := lo; c <= hi; c += stride {
			out = append(out, rng{c, c})
		}
	}
	for _, r := range t.R16 {
		add(rune(r.Lo), rune(r.Hi), rune(r.Stride))
	}
	for _, r := range t.R32 {
		add(rune(r.Lo), rune(r.Hi), rune(r.Stride))
	}
	return normalize(out)
}

func fromPairs(ps [][2]rune) []rng {
	out := make([]rng, len(ps))
	for i, p := range ps {
		out[i] = rng{p[0], p[1]}
	}
	return normalize(out)
}

// smallSet returns a class whose snippet lists the ranges of s.
func smallSet(s []rng) cls {
	return cls{snippet: setSnippet(s), set: func() []rng { return s }}
}

func multiEscape(r rune) cls {
	switch r {
	case 's':
		return smallSet([]rng{{'\t', '\n'}, {'\r', '\r'}, {' ', ' '}})
	case 'S':
		return smallSet(complement([]rng{{'\t', '\n'}, {'\r', '\r'}, {' ', ' '}}))
	case 'i':
		return smallSet(fromPairs(xmltext.NameRuneRanges(true)))
	case 'I':
		return smallSet(complement(fromPairs(xmltext.NameRuneRanges(true))))
	case 'c':
		return smallSet(fromPairs(xmltext.NameRuneRanges(false)))
	case 'C':
		return smallSet(complement(fromPairs(xmltext.NameRuneRanges(false))))
	case 'd':
		c, _ := property("Nd", false)
		return c
	case 'D':
		c, _ := property("Nd", true)
		return c
	case 'w':
		return cls{snippet: `\p{L}\p{M}\p{N}\p{S}`, set: wordSet}
	}
	return cls{set: func() []rng { return complement(wordSet()) }} // 'W'
}

func wordSet() []rng {
	var all []rng
	for _, c := range []string{"L", "M", "N", "S"} {
		all = append(all, fromTable(unicode.Categories[c])...)
	}
	return normalize(all)
}

// xsdCategories are the category names XSD 1.0 allows in \p{}.
var xsdCategories = map[string]bool{
	"L": true, "Lu": true, "Ll": true, "Lt": true, "Lm": true, "Lo": true,
	"M": true, "Mn": true, "Mc": true, "Me": true,
	"N": true, "Nd": true, "Nl": true, "No": true,
	"P": true, "Pc": true, "Pd": true, "Ps": true, "Pe": true, "Pi": true, "Pf": true, "Po": true,
	"Z": true, "Zs": true, "Zl": true, "Zp": true,
	"S": true, "Sm": true, "Sc": true, "Sk": true, "So": true,
	"C": true, "Cc": true, "Cf": true, "Co": true, "Cn": true,
}

// property returns the class of \p{name} (or \P{name} when neg).
func property(name string, neg bool) (cls, error) {
	var set func() []rng
	snippet := ""
	switch {
	case xsdCategories[name]:
		switch name {
		case "Cn": // Go has no Cn table
			set = unassigned
		default:
			t := unicode.Categories[name]
			set = func() []rng { return fromTable(t) }
			snippet = `\p{` + name + `}`
			if neg {
				snippet = `\P{` + name + `}`
			}
		}
	case strings.HasPrefix(name, "Is"):
		rs, ok := block(name)
		if !ok {
			return cls{}, fmt.Errorf("unknown Unicode block %q", name)
		}
		set = func() []rng { return rs }
		if !neg {
			snippet = setSnippet(rs)
		}
	default:
		return cls{}, fmt.Errorf("unknown character property %q", name)
	}
	if neg && snippet == "" {
		pos := set
		set = func() []rng { return complement(pos()) }
	}
	return cls{snippet: snippet, set: set}, nil
}

// unassigned returns the unassigned code points (Cn): Go's C table holds
// them along with Cc, Cf, Co and Cs.
func unassigned() []rng {
	var named []rng
	for _, c := range []string{"Cc", "Cf", "Co", "Cs"} {
		named = append(named, fromTable(unicode.Categories[c])...)
	}
	return subtract(fromTable(unicode.Categories["C"]), normalize(named))
}

func block(name string) ([]rng, bool) {
	switch name {
	case "IsGreek": // XSD 1.0 name of "Greek and Coptic"
		name = "IsGreekandCoptic"
	case "IsCombiningMarksforSymbols": // XSD 1.0 name
		name = "IsCombiningDiacriticalMarksforSymbols"
	case "IsPrivateUse": // XSD 1.0: the three private use blocks
		return []rng{{0xE000, 0xF8FF}, {0xF0000, 0xFFFFD}, {0x100000, 0x10FFFD}}, true
	}
	r, ok := unicodeBlocks[name]
	if !ok {
		return nil, false
	}
	return []rng{{r[0], r[1]}}, true
}
