// Package goformat formats generated Go source exactly as gofmt does,
// without parsing it. go/format spends most of its time building and
// printing a syntax tree; a generator's output is regular enough that a
// line-oriented pass reproduces go/printer's decisions directly:
//
//   - one-line blocks ("if err != nil { return err }") are split into lines,
//     except function declarations that go/printer keeps on one line (header
//     and body of at most 100 columns, at most 5 statements);
//   - each line is indented by the brackets left open before it, case and
//     default labels one level less;
//   - doc comments are reformatted through go/doc/comment, and top-level
//     declarations spaced, as go/printer does;
//   - alignment goes through text/tabwriter configured as go/printer does,
//     with the same cell separators (struct fields, const and var groups,
//     key: value elements, trailing comments) and the same section breaks
//     (formfeeds) where go/printer emits them.
//
// Layout handles syntactically valid Go with at most one statement, field,
// spec or element per line. It reports an error for anything outside the
// shapes it knows (multi-line strings or comments, a line closing brackets
// of several lines, a trailing comment on a line that opens a block, ...);
// Source then falls back to go/format, so its output is always gofmt's.
// Layout does not parse and lays out invalid code too ("return 1 +"):
// Source parses its result and returns a *SyntaxError instead.
// The generators' tests check with Check that Layout alone reproduces
// go/format on everything they generate from the kit and the samples.
package goformat

import (
	"bytes"
	"errors"
	"fmt"
	doccomment "go/doc/comment"
	"go/format"
	"go/scanner"
	"math"
	"strings"
	"text/tabwriter"
)

// Source formats generated Go source as gofmt does: with Layout, or with
// go/format for the shapes Layout does not know. Layout does not parse, so
// its result is parsed: source that is not Go is an error (*SyntaxError)
// with the numbered lines around its position, never output. To format
// many files, share a Verifier.
func Source(raw []byte) ([]byte, error) {
	return NewVerifier().Source(raw)
}

// SyntaxError is generated source that does not parse.
type SyntaxError struct {
	Line, Col int
	Msg       string
	// Context is the numbered source around Line, the line marked with ">".
	Context string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%d:%d: %s\n%s", e.Line, e.Col, e.Msg, e.Context)
}

// syntaxError turns a go/parser (or go/format) error on src into a
// SyntaxError showing the lines around the first error.
func syntaxError(src []byte, err error) error {
	e := &SyntaxError{Line: 1, Col: 1, Msg: err.Error()}
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		e.Line, e.Col, e.Msg = list[0].Pos.Line, list[0].Pos.Column, list[0].Msg
	}
	lines := strings.Split(string(src), "\n")
	var b strings.Builder
	for i := max(e.Line-5, 1); i <= min(e.Line+3, len(lines)); i++ {
		mark := " "
		if i == e.Line {
			mark = ">"
		}
		fmt.Fprintf(&b, "%s%5d  %s\n", mark, i, lines[i-1])
	}
	e.Context = b.String()
	return e
}

// Check reports whether Layout alone formats raw as go/format does: nil,
// or an error naming the first line that differs.
func Check(raw []byte) error {
	want, err := format.Source(raw)
	if err != nil {
		return fmt.Errorf("go/format: %w", err)
	}
	got, err := Layout(raw)
	if err != nil {
		return err
	}
	if bytes.Equal(got, want) {
		return nil
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Errorf("line %d: got %q, go/format has %q", i+1, g[i], w[i])
		}
	}
	return errors.New("goformat: layout and go/format differ in their number of lines")
}

// Layout formats raw as gofmt does, or reports that raw has a shape it does
// not know.
func Layout(src []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil { // an unforeseen shape: let go/format decide
			out, err = nil, fmt.Errorf("goformat: %v", r)
		}
	}()
	raws := strings.Split(strings.TrimSpace(string(src)), "\n")
	sp := spacer{out: make([]scanned, 0, len(raws)+len(raws)/2), doc: -1} // split one-line blocks: up to 1.33 lines a raw line in the kit
	for i := 0; i < len(raws); i++ {
		raw := strings.TrimSpace(raws[i])
		if raw == "" && len(sp.out) > 0 && blankLine(sp.out[len(sp.out)-1]) {
			continue // at most one blank line
		}
		if strings.HasPrefix(raw, "//") {
			j := i + 1
			for j < len(raws) && strings.HasPrefix(strings.TrimSpace(raws[j]), "//") {
				j++
			}
			group := raws[i:j]
			if raws[i] == raw && j < len(raws) && raws[j] != "" && raws[j][0] != ' ' && raws[j][0] != '\t' {
				// go/printer reformats an unindented comment group that
				// abuts the next token as a doc comment.
				group = docComment(group)
			}
			for _, c := range group {
				sp.add(scanned{comment: strings.TrimSpace(c)})
			}
			i = j - 1
			continue
		}
		if !expand(raw, &sp) {
			return nil, fmt.Errorf("goformat: line %d: cannot split %q", i+1, raw)
		}
	}
	scs := sp.out
	ls, n := structure(scs)
	if ls == nil {
		return nil, fmt.Errorf("goformat: unexpected brackets in %q", scs[n].code)
	}
	var tw bytes.Buffer
	tw.Grow(len(src) + len(src)/4)
	if n := cells(ls, &tw); n >= 0 {
		return nil, fmt.Errorf("goformat: cannot align %q", ls[n].code)
	}
	var buf bytes.Buffer
	buf.Grow(tw.Len() + tw.Len()/4)
	w := tabwriter.NewWriter(&buf, 0, 8, 1, ' ', tabwriter.DiscardEmptyColumns|tabwriter.TabIndent)
	w.Write(tw.Bytes())
	w.Flush()
	// go/printer's trimmer: no escape characters, no trailing blanks; in
	// place, as the result is never longer.
	b := buf.Bytes()
	res := b[:0]
	for _, c := range b {
		switch c {
		case tabwriter.Escape:
		case '\n':
			res = bytes.TrimRight(res, " \t")
			res = append(res, c)
		default:
			res = append(res, c)
		}
	}
	return res, nil // cells ended the last line
}

// A spacer collects the scanned lines and puts a blank line between
// top-level declarations of different kinds and before a documented
// declaration, as go/printer does.
type spacer struct {
	out   []scanned
	level int
	prev  string // first token of the previous top-level declaration
	doc   int    // index of the comment group before the line, or -1
}

func (s *spacer) add(sc scanned) {
	if s.level == 0 {
		switch {
		case blankLine(sc):
			s.doc = -1
		case sc.code == "":
			if s.doc < 0 {
				s.doc = len(s.out)
			}
		default:
			tok, _, _ := strings.Cut(sc.code, " ")
			if s.prev != "" && (tok != s.prev || s.doc >= 0) {
				at := len(s.out)
				if s.doc >= 0 {
					at = s.doc
				}
				if !blankLine(s.out[at-1]) {
					s.out = append(s.out[:at+1], s.out[at:]...)
					s.out[at] = scanned{}
				}
			}
			s.prev, s.doc = tok, -1
		}
	}
	s.out = append(s.out, sc)
	s.level += sc.opens - sc.closes
}

// docComment reformats a comment group the way go/printer reformats doc
// comments (go/doc/comment).
func docComment(group []string) []string {
	if plainParagraph(group) {
		out := make([]string, len(group))
		for i, c := range group {
			out[i] = strings.TrimSpace(c)
		}
		return out
	}
	var b strings.Builder
	for _, c := range group {
		after, _ := strings.CutPrefix(strings.TrimSpace(c), "//")
		b.WriteString(strings.TrimPrefix(after, " "))
		b.WriteByte('\n')
	}
	var p doccomment.Parser
	var pr doccomment.Printer
	text := string(pr.Comment(p.Parse(b.String())))
	var out []string
	for text != "" {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		switch {
		case line == "":
			line = "//"
		case strings.HasPrefix(line, "\t"):
			line = "//" + line
		default:
			line = "// " + line
		}
		out = append(out, line)
	}
	return out
}

// plainParagraph reports whether a comment group is one paragraph of plain
// text, which go/doc/comment prints unchanged: every line is "// " and text
// that starts with none of the characters that begin an indented block, a
// heading or a link definition, and has no doubled backquote or doubled
// single quote (printed as typographic quotes).
func plainParagraph(group []string) bool {
	for _, c := range group {
		c = strings.TrimSpace(c)
		if len(c) < 4 || !strings.HasPrefix(c, "// ") {
			return false
		}
		switch c[3] {
		case ' ', '\t', '#', '[':
			return false
		}
		if strings.Contains(c, "``") || strings.Contains(c, "''") {
			return false // printed as typographic quotes
		}
	}
	return true
}

// A line is one output line with what the layout needs to know about it.
type line struct {
	code    string // without indentation and trailing comment
	comment string // the trailing comment, or the whole line's comment
	indent  int
	lead    int    // closing brackets at the start of the line
	opens   *frame // the frame this line opens, if any
	in      *frame // the innermost frame open at the start of the line
	closes  *frame // the frame this line's leading closers close
	label   bool   // a case or default label
}

// A frame is a bracketed region opened by one line.
type frame struct {
	kind   frameKind
	open   int // brackets of the opening line still open
	items  []int
	parent *frame
	depth  int  // frames around it, the file's excluded
	celled bool // cells has decided its items
}

type frameKind int

const (
	fileFrame    frameKind = iota
	blockFrame             // statements: function, if, for, else, case bodies
	switchFrame            // case clauses
	structFrame            // fields
	specFrame              // const or var specs
	importFrame            // import specs, interface methods: no cells
	literalFrame           // composite literal elements
	listFrame              // call arguments, parameters, other expression lists
)

// structure computes indentation and frames.
// It returns nil and the index of the line it cannot place on failure.
func structure(src []scanned) ([]line, int) {
	ls := make([]line, len(src))
	top := &frame{kind: fileFrame}
	for i, sc := range src {
		l := &ls[i]
		if sc.code == "" {
			l.comment, l.in, l.indent = sc.comment, top, top.depth
			continue
		}
		code, comment, closes, lead := sc.code, sc.comment, sc.closes, sc.lead
		l.code, l.comment, l.lead = code, comment, lead
		// A line starting with closers sits at the level of the line that
		// opened the frame it closes; other lines must not close earlier
		// lines' brackets. A frame left open (") || func() bool {") takes
		// the line's new brackets.
		if closes > 0 && lead == 0 {
			return nil, i
		}
		if lead > 0 {
			l.closes = top
		}
		var reopen *frame
		for n := 0; n < closes; n++ {
			if top.kind == fileFrame || n > 0 && reopen == nil {
				return nil, i // closing the frames of several lines
			}
			top.open--
			if top.open > 0 {
				reopen = top
				continue
			}
			top, reopen = top.parent, nil
		}
		if reopen != nil {
			l.in, l.indent = reopen, reopen.depth-1
			reopen.open += sc.opens
			if sc.opens > 0 {
				reopen.kind = kindOf(code, sc.last, reopen.parent)
			}
			continue
		}
		l.in, l.indent = top, top.depth
		if top.kind == switchFrame && (strings.HasPrefix(code, "case ") || code == "default:") {
			l.label = true
			l.indent--
		}
		if sc.opens > 0 {
			if comment != "" {
				return nil, i
			}
			f := &frame{kind: kindOf(code, sc.last, top), open: sc.opens, parent: top, depth: top.depth + 1}
			l.opens, top = f, f
		}
	}
	if top.kind != fileFrame {
		return nil, len(src) - 1
	}
	// Items: lines that start an element of their frame on a new line.
	for i := range ls {
		l := &ls[i]
		if l.code != "" && l.lead == 0 && !l.label {
			l.in.items = append(l.in.items, i)
		}
	}
	return ls, -1
}

// kindOf classifies the frame opened by the last bracket of code.
func kindOf(code string, br byte, in *frame) frameKind {
	switch br {
	case '(':
		switch code {
		case "var (", "const (":
			return specFrame
		case "import (":
			return importFrame
		}
		return listFrame
	case '[':
		return listFrame
	}
	switch {
	case strings.HasSuffix(code, "struct {"):
		return structFrame
	case strings.HasSuffix(code, "interface {"):
		return importFrame
	case strings.HasPrefix(code, "switch ") || code == "switch {" || strings.HasPrefix(code, "select "):
		return switchFrame
	case code == "{":
		if in.kind == blockFrame || in.kind == switchFrame {
			return blockFrame
		}
		return literalFrame
	case keyword(code) || strings.Contains(code, "func("):
		return blockFrame
	}
	return literalFrame
}

// keyword reports whether a line opening a block starts with a statement
// keyword.
func keyword(code string) bool {
	for _, k := range []string{"if ", "for ", "else ", "} else", "func ", "for {"} {
		if strings.HasPrefix(code, k) {
			return true
		}
	}
	return false
}

// scanned is what the layout needs to know of a line's text.
type scanned struct {
	code    string // without trailing comment
	comment string // trailing comment, or the whole line's comment
	opens   int    // brackets left open at the end of the line
	last    byte   // the last of them
	closes  int    // brackets closing earlier lines' brackets
	lead    int    // how many of these come before anything else
}

// scan splits a line into code and trailing comment and counts its
// brackets. It reports false for a literal or comment it cannot see the end
// of.
func scan(s string) (sc scanned, ok bool) {
	var stack [32]byte // brackets opened on this line and not closed yet
	leading := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"', '\'', '`':
			j := skipString(s, i)
			if j < 0 {
				return sc, false
			}
			i = j
		case '/':
			if i+1 < len(s) && s[i+1] == '/' {
				sc.code, sc.comment = strings.TrimRight(s[:i], " "), s[i:]
				return sc, sc.finish(stack[:])
			}
			if i+1 < len(s) && s[i+1] == '*' {
				return sc, false
			}
		case '(', '[', '{':
			if sc.opens == len(stack) {
				return sc, false
			}
			stack[sc.opens] = c
			sc.opens++
		case ')', ']', '}':
			if sc.opens > 0 {
				sc.opens--
			} else {
				sc.closes++
				if leading {
					sc.lead++
				}
			}
			continue
		}
		leading = false
	}
	sc.code = s
	return sc, sc.finish(stack[:])
}

func blankLine(sc scanned) bool { return sc.code == "" && sc.comment == "" }

func (sc *scanned) finish(stack []byte) bool {
	if sc.opens > 0 {
		sc.last = stack[sc.opens-1]
	}
	return true
}

// skipString returns the index of the quote closing the literal at s[i], or
// -1 if it does not end on this line. Callers other than scan only see
// lines scan accepted, whose literals are closed.
func skipString(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if q != '`' {
				j++
			}
		case q:
			return j
		}
	}
	return -1
}

// expand adds s, scanned, to lines, splitting one-line blocks the way
// go/printer does. It reports false for shapes it does not handle.
func expand(s string, lines *spacer) bool {
	sc, ok := scan(s)
	if !ok {
		return false
	}
	code := sc.code
	if !strings.HasSuffix(code, "}") || !blockStart(code) {
		lines.add(sc)
		return true
	}
	open := matching(code)
	if open < 0 {
		lines.add(sc)
		return true
	}
	head := strings.TrimRight(code[:open], " ")
	body := strings.TrimSpace(code[open+1 : len(code)-1])
	stmts := splitStatements(body)
	if strings.HasPrefix(code, "func ") && oneLineFunc(head, stmts) {
		lines.add(sc)
		return true
	}
	if sc.comment != "" {
		return false
	}
	lines.add(scanned{code: head + " {", opens: 1, last: '{'})
	for _, st := range stmts {
		if !expand(st, lines) {
			return false
		}
	}
	lines.add(scanned{code: "}", closes: 1, lead: 1})
	return true
}

// blockStart reports whether a line ending in "}" is a statement or
// function declaration whose final braces hold a block.
func blockStart(code string) bool {
	for _, k := range []string{"if ", "for ", "func "} {
		if strings.HasPrefix(code, k) {
			return true
		}
	}
	return false
}

// oneLineFunc applies go/printer's rule for keeping a function body on the
// line of its header.
func oneLineFunc(head string, stmts []string) bool {
	const maxSize = 100
	if len(stmts) > 5 {
		return false
	}
	size := len(head) + 1 // go/printer measures the header from a column before "func"
	for i, st := range stmts {
		if i > 0 {
			size += 2
		}
		size += len(st)
	}
	return size <= maxSize
}

// matching returns the index of the bracket opening the one that ends code.
func matching(code string) int {
	var stack []int
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"', '\'', '`':
			i = skipString(code, i)
		case '(', '[', '{':
			stack = append(stack, i)
		case ')', ']', '}':
			if len(stack) == 0 {
				return -1
			}
			if i == len(code)-1 {
				return stack[len(stack)-1]
			}
			stack = stack[:len(stack)-1]
		}
	}
	return -1
}

// splitStatements splits a block body at its top-level semicolons.
func splitStatements(body string) []string {
	if body == "" {
		return nil
	}
	var out []string
	for {
		i := topLevel(body, func(i int) bool { return body[i] == ';' })
		if i < 0 {
			return append(out, strings.TrimSpace(body))
		}
		out = append(out, strings.TrimSpace(body[:i]))
		body = body[i+1:]
	}
}

// Separators between cells and lines, as go/printer writes them.
const (
	vtab     = '\v'
	htab     = '\t'
	newline  = '\n'
	formfeed = '\f'
)

// cells writes the tabwriter input: indentation, cell separators and line
// breaks.
// It returns the index of a line it cannot align, or -1.
func cells(ls []line, w *bytes.Buffer) int {
	sep := make([]byte, len(ls)) // line break before each line
	text := make([]string, len(ls))
	for i := range sep {
		sep[i] = formfeed
	}
	for i := range ls {
		if f := ls[i].in; !f.celled {
			f.celled = true
			if n := items(ls, f, sep, text); n >= 0 {
				return n
			}
		}
	}
	for i := range ls {
		l := &ls[i]
		if blank(l) && i+1 < len(ls) && ls[i+1].closes != nil {
			switch ls[i+1].closes.kind {
			case blockFrame, switchFrame:
			default:
				continue // go/printer ends lists right after their last item
			}
		}
		if i > 0 {
			w.WriteByte(sep[i])
		}
		if blank(l) {
			continue // blank lines carry no indentation
		}
		for n := 0; n < l.indent; n++ {
			w.WriteByte(htab)
		}
		if l.code == "" {
			w.WriteString(escaped(l.comment))
			continue
		}
		if text[i] != "" {
			w.WriteString(text[i])
			continue
		}
		w.WriteString(l.code)
		if l.comment != "" {
			w.WriteByte(htab)
			w.WriteString(escaped(l.comment))
		}
	}
	w.WriteByte(newline)
	return -1
}

func blank(l *line) bool { return l.code == "" && l.comment == "" }

// items decides the line breaks before the items of frame f and the cells
// of the items that have some.
// It returns the index of a line it cannot align, or -1.
func items(ls []line, f *frame, sep []byte, text []string) int {
	prev := -1 // previous item, if it was on a single line
	single := func(i int) bool { return ls[i].opens == nil }
	adjacent := func(i int) bool { return prev >= 0 && prev == i-1 }
	var lit literalSizes
	keep := keepType(ls, f)
	for k, i := range f.items {
		l := &ls[i]
		switch f.kind {
		case fileFrame:
			// Consecutive one-line function declarations align their
			// bodies; everything else at the top level stands alone.
			if open := oneLiner(l.code); open > 0 {
				if adjacent(i) && oneLiner(ls[prev].code) > 0 {
					sep[i] = newline
				}
				text[i] = l.code[:open] + string(vtab) + l.code[open+1:]
				if l.comment != "" {
					return i
				}
			}
		case blockFrame, switchFrame:
			if adjacent(i) && !strings.HasPrefix(l.code, "case ") && l.code != "default:" {
				sep[i] = newline
			}
		case structFrame:
			if adjacent(i) {
				sep[i] = newline
			}
			text[i] = field(l, len(f.items) == 1)
		case specFrame:
			if adjacent(i) {
				sep[i] = newline
			}
			t, ok := spec(l, len(f.items) > 1, keep[k])
			if !ok {
				return i
			}
			text[i] = t
		case importFrame:
			if adjacent(i) {
				sep[i] = newline
			}
		case literalFrame, listFrame:
			key, size := element(l, single(i))
			useFF := lit.next(size, k == 0 || !adjacent(i))
			if k > 0 && !useFF && adjacent(i) {
				sep[i] = newline
			}
			if len(f.items) > 1 && key != "" && size > 0 {
				if l.comment != "" {
					return i
				}
				text[i] = key + ":" + string(vtab) + strings.TrimLeft(l.code[len(key)+1:], " ")
			}
		}
		if single(i) {
			prev = i
		} else {
			prev = -1
		}
	}
	return -1
}

// oneLiner returns the index of the opening brace of a function declaration
// kept on one line ("func f() { return 1 }"), or -1.
func oneLiner(code string) int {
	if !strings.HasPrefix(code, "func ") || !strings.HasSuffix(code, "}") {
		return -1
	}
	open := matching(code)
	if open < 1 || code[open-1] != ' ' {
		return -1
	}
	return open - 1
}

// literalSizes follows go/printer's exprList: consecutive single-line
// elements stay in one alignment section while their key sizes are small or
// close to the geometric mean of the section's sizes.
type literalSizes struct {
	size  int
	lnsum float64
	count int
}

// next records an element of the given size (0: spans lines) and reports
// whether a formfeed precedes it. brk is set when the element does not
// follow a single-line element directly.
func (s *literalSizes) next(size int, brk bool) (useFF bool) {
	prev := s.size
	s.size = size
	useFF = true
	if prev > 0 && size > 0 {
		const smallSize = 40
		if s.count == 0 || prev <= smallSize && size <= smallSize {
			useFF = false
		} else {
			const r = 2.5
			geomean := math.Exp(s.lnsum / float64(s.count))
			ratio := float64(size) / geomean
			useFF = r*ratio <= 1 || r <= ratio
		}
	}
	if useFF || brk {
		s.lnsum, s.count = 0, 0
	}
	if size > 0 {
		s.lnsum += math.Log(float64(size))
		s.count++
	}
	return useFF
}

// element returns the key of a key: value element and its size as
// go/printer measures it: the key's, or the whole element's when it has no
// key; 0 when it spans lines.
func element(l *line, single bool) (key string, size int) {
	if !single {
		return "", 0
	}
	expr := strings.TrimSuffix(l.code, ",")
	if c := keyEnd(expr); c > 0 {
		return expr[:c], c
	}
	return "", len(expr)
}

// keyEnd returns the index of the colon ending an element's key, or -1.
func keyEnd(expr string) int {
	return topLevel(expr, func(i int) bool { return expr[i] == ':' && i+1 < len(expr) && expr[i+1] == ' ' })
}

// topLevel returns the index of the first byte of s outside brackets and
// literals for which match is true, or -1.
func topLevel(s string, match func(i int) bool) int {
	level := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '\'', '`':
			i = skipString(s, i)
		case '(', '[', '{':
			level++
		case ')', ']', '}':
			level--
		default:
			if level == 0 && match(i) {
				return i
			}
		}
	}
	return -1
}

// field returns the cells of a struct field: name, type and comment.
func field(l *line, only bool) string {
	sep := string(vtab)
	if only {
		sep = " "
	}
	name, typ, named := strings.Cut(l.code, " ")
	typ = strings.TrimSpace(typ) // input aligned by hand
	var b strings.Builder
	extra := 2
	if named {
		b.WriteString(name + sep + typ)
		extra = 1
	} else {
		b.WriteString(l.code)
	}
	if l.comment != "" {
		if only {
			b.WriteByte(htab)
		} else {
			b.WriteString(strings.Repeat(sep, extra))
		}
		b.WriteString(escaped(l.comment))
	}
	return b.String()
}

// spec returns the cells of a const or var spec: names, type, values and
// comment.
func spec(l *line, group, keepType bool) (string, bool) {
	lhs, rhs, hasValue := cutTop(l.code, " = ")
	lhs, rhs = strings.TrimSpace(lhs), strings.TrimSpace(rhs) // input aligned by hand
	name, typ, typed := strings.Cut(lhs, " ")
	typ = strings.TrimSpace(typ)
	if strings.Contains(name, ",") {
		return "", false
	}
	var b strings.Builder
	b.WriteString(name)
	if !group {
		b.WriteString(l.code[len(name):])
		if l.comment != "" {
			b.WriteByte(htab)
			b.WriteString(escaped(l.comment))
		}
		return b.String(), true
	}
	extra := 3
	if typed || keepType {
		b.WriteByte(vtab)
		b.WriteString(typ)
		extra--
	}
	if hasValue {
		b.WriteByte(vtab)
		b.WriteString("= " + rhs)
		extra--
	}
	if l.comment != "" {
		b.WriteString(strings.Repeat(string(vtab), extra))
		b.WriteString(escaped(l.comment))
	}
	return b.String(), true
}

// keepType computes go/printer's keepTypeColumn for the specs of f: in a
// run of specs with values, the type column is kept for all of them if one
// has a type.
func keepType(ls []line, f *frame) []bool {
	if f.kind != specFrame {
		return nil
	}
	keep := make([]bool, len(f.items))
	i0, kt := -1, false
	populate := func(i, j int) {
		for ; kt && i < j; i++ {
			keep[i] = true
		}
	}
	for k, i := range f.items {
		lhs, _, hasValue := cutTop(ls[i].code, " = ")
		if hasValue {
			if i0 < 0 {
				i0, kt = k, false
			}
		} else if i0 >= 0 {
			populate(i0, k)
			i0 = -1
		}
		if strings.Contains(strings.TrimSpace(lhs), " ") {
			kt = true
		}
	}
	if i0 >= 0 {
		populate(i0, len(f.items))
	}
	return keep
}

// cutTop cuts s around the first sep outside brackets and literals.
func cutTop(s, sep string) (before, after string, found bool) {
	i := topLevel(s, func(i int) bool { return strings.HasPrefix(s[i:], sep) })
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// escaped protects a comment's text from the tabwriter (tabwriter.Escape).
func escaped(comment string) string {
	return "\xff" + comment + "\xff" // tabwriter.Escape
}
