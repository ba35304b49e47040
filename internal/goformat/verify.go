package goformat

import (
	"go/format"
	"go/parser"
	"go/token"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A Verifier checks that laid-out source parses, for all the files of one
// generation. Generated files repeat a few thousand declaration shapes
// hundreds of thousands of times, so it parses each shape once: go/parser's
// decisions depend only on the kinds of the tokens (and on whether a
// semicolon was inserted at a newline), so a top-level declaration whose
// token kinds match an already parsed one parses too. Every file is still
// fully scanned (kinds: what go/scanner would report as an error, or does
// not know, sends the file to go/parser), and a file with a declaration
// shape that does not parse is parsed whole, for go/parser's own
// positioned error. A Verifier is safe for concurrent use.
type Verifier struct {
	mu   sync.Mutex
	seen map[string]bool // token-kind keys of the declarations that parse
	bufs sync.Pool       // *scratch, reused across files
	ops  *operators
	// Time spent in Layout (and go/format) and in Verify, in nanoseconds,
	// summed over the files.
	layout, verify atomic.Int64
}

// Times returns the time Source spent laying out and verifying, summed
// over the files (formatted concurrently, so it may exceed the wall time).
func (v *Verifier) Times() (layout, verify time.Duration) {
	return time.Duration(v.layout.Load()), time.Duration(v.verify.Load())
}

// NewVerifier returns a Verifier with no shape seen yet.
func NewVerifier() *Verifier {
	return &Verifier{seen: map[string]bool{}, ops: newOperators()}
}

// Source formats raw as gofmt does, with Layout or, for the shapes Layout
// does not know, go/format, and returns a *SyntaxError with the numbered
// lines around the first error when the result is not Go.
func (v *Verifier) Source(raw []byte) ([]byte, error) {
	t0 := time.Now()
	src, err := Layout(raw)
	if err != nil {
		src, err = format.Source(raw)
		v.layout.Add(int64(time.Since(t0)))
		if err != nil {
			return nil, syntaxError(raw, err)
		}
		return src, nil // go/format parsed it
	}
	t1 := time.Now()
	v.layout.Add(int64(t1.Sub(t0)))
	err = v.Verify(src)
	v.verify.Add(int64(time.Since(t1)))
	if err != nil {
		return nil, err
	}
	return src, nil
}

// Verify reports whether src parses as a Go file: nil, or a *SyntaxError.
func (v *Verifier) Verify(src []byte) error {
	if v.shapesParse(src) {
		return nil
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution); err != nil {
		return syntaxError(src, err)
	}
	return nil
}

// scratch holds the buffers of one file's check.
type scratch struct {
	toks []shape
	key  []byte
}

// shape is one token of a declaration: its kind, and for a semicolon
// whether the scanner inserted it at a newline.
type shape struct {
	tok  token.Token
	auto bool
}

// shapesParse reports whether src scans without error, has the structure
// package clause, imports, other declarations, and every top-level
// declaration has a shape that parses. False means "parse the file".
func (v *Verifier) shapesParse(src []byte) bool {
	sc, _ := v.bufs.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	toks, ok := kinds(src, sc.toks[:0], v.ops)
	sc.toks = toks
	defer v.bufs.Put(sc)
	if !ok || len(toks) < 3 || toks[0].tok != token.PACKAGE || toks[1].tok != token.IDENT || toks[2].tok != token.SEMICOLON {
		return false
	}
	var open []token.Token // brackets open, innermost last
	start, imports := 3, true
	for k := 3; k < len(toks); k++ {
		sh := toks[k]
		if k == start {
			switch sh.tok {
			case token.IMPORT:
				if !imports {
					return false // go/parser refuses imports after declarations
				}
			case token.CONST, token.VAR, token.TYPE, token.FUNC:
				imports = false
			default:
				return false
			}
		}
		switch sh.tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			open = append(open, sh.tok)
		case token.RPAREN, token.RBRACE, token.RBRACK:
			if len(open) == 0 || closing(open[len(open)-1]) != sh.tok {
				return false // unbalanced: go/parser says where
			}
			open = open[:len(open)-1]
		case token.SEMICOLON:
			if len(open) == 0 {
				if !v.declParses(sc, toks[start:k+1]) {
					return false
				}
				start = k + 1
			}
		}
	}
	return len(open) == 0 && start == len(toks)
}

// closing returns the bracket that closes open.
func closing(open token.Token) token.Token {
	switch open {
	case token.LPAREN:
		return token.RPAREN
	case token.LBRACE:
		return token.RBRACE
	}
	return token.RBRACK
}

// declParses reports whether a top-level declaration, whose brackets are
// balanced, parses. A function
// is checked as its signature with an empty body and each statement of its
// body on its own (a block is a list of statements, each parsed alone), so
// that the statements generated files repeat are parsed once whatever the
// function around them; other declarations are checked whole.
func (v *Verifier) declParses(sc *scratch, decl []shape) bool {
	n := len(decl)
	if decl[0].tok != token.FUNC || n < 3 || decl[n-2].tok != token.RBRACE {
		return v.parses(sc, 'd', decl, "package p\n", "\n")
	}
	lb, depth := -1, 0 // the body's opening brace
	for k := n - 2; k >= 0 && lb < 0; k-- {
		switch decl[k].tok {
		case token.RBRACE, token.RPAREN, token.RBRACK:
			depth++
		case token.LBRACE, token.LPAREN, token.LBRACK:
			if depth--; depth == 0 {
				lb = k
			}
		}
	}
	if lb <= 0 || !v.parses(sc, 'f', decl[:lb], "package p\n", " {}\n") {
		return false
	}
	// Statements end at a semicolon outside brackets and outside the
	// header of an if, for, switch or select, whose semicolons separate
	// its clauses. Any split is sound: pieces that each parse as statements
	// ending with a semicolon concatenate to statements; a split in the
	// wrong place only makes a piece fail, and the file is parsed whole.
	body := decl[lb+1 : n-2]
	for len(body) > 0 {
		end, depth, header := len(body), 0, false
	scan:
		for k, sh := range body {
			switch sh.tok {
			case token.IF, token.FOR, token.SWITCH, token.SELECT:
				header = header || depth == 0
			case token.LBRACE:
				header = header && depth != 0
				depth++
			case token.LPAREN, token.LBRACK:
				depth++
			case token.RBRACE, token.RPAREN, token.RBRACK:
				depth--
			case token.SEMICOLON:
				if depth == 0 && !header {
					end = k + 1
					break scan
				}
			}
		}
		if !v.parses(sc, 's', body[:end], "package p\nfunc _() {\n", "\n}\n") {
			return false
		}
		body = body[end:]
	}
	return true
}

// parses reports whether the tokens toks parse between prefix and suffix,
// parsing each shape (context, token kinds, inserted semicolons) once.
func (v *Verifier) parses(sc *scratch, context byte, toks []shape, prefix, suffix string) bool {
	key := append(sc.key[:0], context)
	for _, sh := range toks {
		key = append(key, byte(sh.tok))
		if sh.auto {
			key = append(key, 0xff)
		}
	}
	sc.key = key
	v.mu.Lock()
	ok := v.seen[string(key)]
	v.mu.Unlock()
	if ok {
		return true
	}
	var b strings.Builder
	b.WriteString(prefix)
	for _, sh := range toks {
		switch {
		case sh.tok == token.SEMICOLON && sh.auto:
			b.WriteString("\n")
			continue
		case sh.tok == token.IDENT:
			b.WriteString("x")
		case sh.tok == token.INT:
			b.WriteString("0")
		case sh.tok == token.FLOAT:
			b.WriteString("0.0")
		case sh.tok == token.IMAG:
			b.WriteString("0i")
		case sh.tok == token.CHAR:
			b.WriteString("'x'")
		case sh.tok == token.STRING:
			b.WriteString(`""`)
		default:
			b.WriteString(sh.tok.String())
		}
		b.WriteByte(' ')
	}
	b.WriteString(suffix)
	if _, err := parser.ParseFile(token.NewFileSet(), "", b.String(), parser.SkipObjectResolution); err != nil {
		return false
	}
	v.mu.Lock()
	v.seen[string(key)] = true
	v.mu.Unlock()
	return true
}
