// Package diag carries source positions and positioned error lists.
//
// Every error the generator reports about its input is a *Error with a Pos,
// printed as "file:line:col: message". A List collects many of them so that
// all problems are reported at once, sorted by position.
package diag

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// Pos is a position in an input file. Line and Col are 1-based; zero means unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

// IsValid reports whether p names a file.
func (p Pos) IsValid() bool { return p.File != "" }

// String formats p as file:line:col, omitting unknown parts.
func (p Pos) String() string {
	switch {
	case p.File == "":
		return "-"
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Rel returns p with File made relative to base when possible.
func (p Pos) Rel(base string) Pos {
	if base == "" || p.File == "" || !filepath.IsAbs(p.File) {
		return p
	}
	if r, err := filepath.Rel(base, p.File); err == nil {
		p.File = r
	}
	return p
}

// Less orders positions by file, line and column.
func (p Pos) Less(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// Error is an error at a position.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Errorf returns a positioned error.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// List is a list of positioned errors. The zero value is ready to use.
type List []*Error

// Add appends a positioned error.
func (l *List) Add(pos Pos, format string, args ...any) {
	*l = append(*l, Errorf(pos, format, args...))
}

// AddErr appends err, keeping its position when it is (or wraps) an *Error or a List.
func (l *List) AddErr(pos Pos, err error) {
	if err == nil {
		return
	}
	var sub List
	if errors.As(err, &sub) {
		*l = append(*l, sub...)
		return
	}
	var e *Error
	if errors.As(err, &e) {
		*l = append(*l, e)
		return
	}
	*l = append(*l, &Error{Pos: pos, Msg: err.Error()})
}

// Sort sorts the list by position, then message, and removes exact duplicates.
func (l *List) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Pos != s[j].Pos {
			return s[i].Pos.Less(s[j].Pos)
		}
		return s[i].Msg < s[j].Msg
	})
	out := s[:0]
	for i, e := range s {
		if i > 0 && e.Pos == s[i-1].Pos && e.Msg == s[i-1].Msg {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// Err returns the list as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Rel returns a copy of the list with file names relative to base.
func (l List) Rel(base string) List {
	out := make(List, len(l))
	for i, e := range l {
		out[i] = &Error{Pos: e.Pos.Rel(base), Msg: e.Msg}
	}
	return out
}

func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}
