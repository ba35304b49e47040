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
	toks sync.Pool       // *[]shape buffers, reused across files
	ops  operators
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
	buf, _ := v.toks.Get().(*[]shape)
	if buf == nil {
		buf = new([]shape)
	}
	toks, ok := kinds(src, (*buf)[:0], v.ops)
	defer func() {
		*buf = toks
		v.toks.Put(buf)
	}()
	if !ok || len(toks) < 3 || toks[0].tok != token.PACKAGE || toks[1].tok != token.IDENT || toks[2].tok != token.SEMICOLON {
		return false
	}
	var key []byte
	depth, start, imports := 0, 3, true
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
		key = append(key, byte(sh.tok))
		if sh.auto {
			key = append(key, 0xff)
		}
		switch sh.tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
		case token.SEMICOLON:
			if depth == 0 {
				if !v.declParses(key, toks[start:k+1]) {
					return false
				}
				key, start = key[:0], k+1
			}
		}
	}
	return depth == 0 && start == len(toks)
}

// declParses reports whether a declaration of this shape parses, parsing
// the shape the first time it is seen.
func (v *Verifier) declParses(key []byte, decl []shape) bool {
	v.mu.Lock()
	ok := v.seen[string(key)]
	v.mu.Unlock()
	if ok {
		return true
	}
	var b strings.Builder
	b.WriteString("package p\n")
	for _, sh := range decl {
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
	if _, err := parser.ParseFile(token.NewFileSet(), "", b.String(), parser.SkipObjectResolution); err != nil {
		return false
	}
	v.mu.Lock()
	v.seen[string(key)] = true
	v.mu.Unlock()
	return true
}
