package goformat

import (
	"go/token"
	"slices"
	"unicode/utf8"
)

// kinds appends to out the tokens of src as go/scanner returns them without
// comments (kinds, and whether a semicolon was inserted at a newline or at
// the end), for the subset of Go a generator prints. It reports false, with
// out unspecified, for anything outside that subset or anything go/scanner
// would report as an error: then the caller asks go/parser. It allocates
// nothing but out's growth.
func kinds(src []byte, out []shape, ops *operators) ([]shape, bool) {
	semi := false // go/scanner's insertSemi
	i := 0
	emit := func(t token.Token, s bool) {
		out = append(out, shape{tok: t})
		semi = s
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
			continue
		case c == '\n':
			if semi {
				out = append(out, shape{tok: token.SEMICOLON, auto: true})
				semi = false
			}
			i++
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			j := i + 2
			for j < len(src) && src[j] != '\n' {
				if !commentByte(src, &j) {
					return out, false
				}
			}
			i = j // the newline, if any, inserts the semicolon
			continue
		case isLetter(c):
			j := i + 1
			for j < len(src) && (isLetter(src[j]) || isDigit(src[j])) {
				j++
			}
			if j < len(src) && src[j] >= utf8.RuneSelf {
				return out, false // a Unicode letter or digit may follow
			}
			t := keywordToken(src[i:j])
			emit(t, t == token.IDENT || t == token.BREAK || t == token.CONTINUE || t == token.FALLTHROUGH || t == token.RETURN)
			i = j
			continue
		case isDigit(c):
			j, t := number(src, i)
			if t == token.ILLEGAL {
				return out, false
			}
			emit(t, true)
			i = j
			continue
		case c == '"':
			j, ok := interpreted(src, i+1)
			if !ok {
				return out, false
			}
			emit(token.STRING, true)
			i = j
			continue
		case c == '`':
			j := i + 1
			for j < len(src) && src[j] != '`' {
				if !commentByte(src, &j) {
					return out, false
				}
			}
			if j == len(src) {
				return out, false
			}
			emit(token.STRING, true)
			i = j + 1
			continue
		}
		t, n := ops.at(src[i:])
		if n == 0 {
			return out, false
		}
		if t == token.SEMICOLON {
			out = append(out, shape{tok: token.SEMICOLON})
			semi = false
		} else {
			emit(t, t == token.INC || t == token.DEC || t == token.RPAREN || t == token.RBRACK || t == token.RBRACE)
		}
		i += n
	}
	if semi {
		out = append(out, shape{tok: token.SEMICOLON, auto: true})
	}
	return out, true
}

// number returns the end and the kind of the number at src[i]: a decimal
// integer, or a decimal float with digits on both sides of its point and an
// optional exponent; ILLEGAL for the other forms (octal, hexadecimal,
// binary, separators, imaginaries), which go/scanner decides.
func number(src []byte, i int) (int, token.Token) {
	digits := func(j int) int {
		for j < len(src) && isDigit(src[j]) {
			j++
		}
		return j
	}
	j, t := digits(i), token.INT
	if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) {
		j, t = digits(j+1), token.FLOAT
		if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
			k := j + 1
			if k < len(src) && (src[k] == '+' || src[k] == '-') {
				k++
			}
			if k == len(src) || !isDigit(src[k]) {
				return j, token.ILLEGAL
			}
			j = digits(k)
		}
	} else if src[i] == '0' && j > i+1 {
		return j, token.ILLEGAL // octal
	}
	if j < len(src) && (isLetter(src[j]) || src[j] == '.' || src[j] >= utf8.RuneSelf) {
		return j, token.ILLEGAL
	}
	return j, t
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isHex(c byte) bool    { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// commentByte advances *j over one character of a comment or raw string,
// reporting false for what go/scanner refuses there: NUL, a byte order
// mark, invalid UTF-8.
func commentByte(src []byte, j *int) bool {
	c := src[*j]
	if c == 0 {
		return false
	}
	if c < utf8.RuneSelf {
		*j++
		return true
	}
	r, n := utf8.DecodeRune(src[*j:])
	if r == utf8.RuneError && n == 1 || r == 0xFEFF {
		return false
	}
	*j += n
	return true
}

// interpreted returns the index after the interpreted string literal whose
// content starts at i, and false where go/scanner reports an error.
func interpreted(src []byte, i int) (int, bool) {
	for i < len(src) {
		switch c := src[i]; {
		case c == '"':
			return i + 1, true
		case c == '\n':
			return i, false
		case c == '\\':
			if i+1 == len(src) {
				return i, false
			}
			switch e := src[i+1]; e {
			case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\', '"':
				i += 2
			case 'x':
				if i+4 > len(src) || !isHex(src[i+2]) || !isHex(src[i+3]) {
					return i, false
				}
				i += 4
			case 'u', 'U':
				n := 4
				if e == 'U' {
					n = 8
				}
				if i+2+n > len(src) {
					return i, false
				}
				v := rune(0)
				for _, h := range src[i+2 : i+2+n] {
					if !isHex(h) {
						return i, false
					}
					v = v<<4 | rune(hexVal(h))
				}
				if v > utf8.MaxRune || v >= 0xD800 && v < 0xE000 {
					return i, false
				}
				i += 2 + n
			default:
				return i, false // octal escapes and the rest: go/parser decides
			}
		default:
			if !commentByte(src, &i) {
				return i, false
			}
		}
	}
	return i, false
}

func hexVal(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// keywordToken returns the keyword token spelled by b, or IDENT.
func keywordToken(b []byte) token.Token {
	switch string(b) {
	case "break":
		return token.BREAK
	case "case":
		return token.CASE
	case "chan":
		return token.CHAN
	case "const":
		return token.CONST
	case "continue":
		return token.CONTINUE
	case "default":
		return token.DEFAULT
	case "defer":
		return token.DEFER
	case "else":
		return token.ELSE
	case "fallthrough":
		return token.FALLTHROUGH
	case "for":
		return token.FOR
	case "func":
		return token.FUNC
	case "go":
		return token.GO
	case "goto":
		return token.GOTO
	case "if":
		return token.IF
	case "import":
		return token.IMPORT
	case "interface":
		return token.INTERFACE
	case "map":
		return token.MAP
	case "package":
		return token.PACKAGE
	case "range":
		return token.RANGE
	case "return":
		return token.RETURN
	case "select":
		return token.SELECT
	case "struct":
		return token.STRUCT
	case "switch":
		return token.SWITCH
	case "type":
		return token.TYPE
	case "var":
		return token.VAR
	}
	return token.IDENT
}

// operators lists, by first byte, the spelling of every Go operator and
// delimiter with its token, longest first, from go/token's own list.
type operators [128][]operator

type operator struct {
	spelling string
	tok      token.Token
}

func newOperators() *operators {
	ops := new(operators)
	for t := token.Token(0); t < 128; t++ {
		if t.IsOperator() {
			s := t.String()
			ops[s[0]] = append(ops[s[0]], operator{s, t})
		}
	}
	for _, l := range ops {
		slices.SortFunc(l, func(a, b operator) int { return len(b.spelling) - len(a.spelling) })
	}
	return ops
}

// at returns the operator or delimiter at the start of b, longest match
// first as go/scanner reads them, and its length; 0 for anything else (then
// go/scanner decides: character literals, floats starting with '.', block
// comments, stray characters).
func (ops *operators) at(b []byte) (token.Token, int) {
	if b[0] >= 128 || b[0] == '.' && len(b) > 1 && isDigit(b[1]) || b[0] == '/' && len(b) > 1 && b[1] == '*' {
		return 0, 0
	}
	for _, o := range ops[b[0]] {
		if len(b) >= len(o.spelling) && string(b[:len(o.spelling)]) == o.spelling {
			return o.tok, len(o.spelling)
		}
	}
	return 0, 0
}
