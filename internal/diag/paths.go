package diag

import (
	"errors"
	"path/filepath"
	"sort"
	"strings"
)

// ShortPath returns p relative to base when that is shorter, else p, as
// the go command prints paths: files under the working directory or near
// it read relative, files far from it stay absolute. Relative paths and an
// empty base leave p unchanged.
func ShortPath(base, p string) string {
	if base == "" || !filepath.IsAbs(p) {
		return p
	}
	if r, err := filepath.Rel(base, p); err == nil && len(r) < len(p) {
		return r
	}
	return p
}

// Paths prints errors for a reader in directory base: the file of every
// position and the absolute paths inside messages (under the directories of
// those files or under extra roots) are shortened alike with ShortPath, so
// both halves of "a.xsd:2:3: ... also defined at b.xsd:4:5" read the same way.
type Paths struct {
	base  string
	roots []string
}

// NewPaths returns a printer for base (usually the working directory);
// roots are further directories whose paths messages may quote, such as the
// kit root and the config's directory.
func NewPaths(base string, roots ...string) *Paths {
	return &Paths{base: base, roots: roots}
}

// Lines formats err one error per line: a List or *Error with its
// positions and messages shortened, any other error with its text shortened.
func (p *Paths) Lines(err error) []string {
	var l List
	if !errors.As(err, &l) {
		var e *Error
		if errors.As(err, &e) {
			l = List{e}
		}
	}
	roots := append([]string{p.base}, p.roots...)
	for _, e := range l {
		if filepath.IsAbs(e.Pos.File) {
			roots = append(roots, filepath.Dir(e.Pos.File))
		}
	}
	r := p.replacer(roots)
	text := func(s string) string { return strings.TrimSuffix(r.Replace(s+end), end) }
	if l == nil {
		return []string{text(err.Error())}
	}
	out := make([]string, len(l))
	for i, e := range l {
		pos := e.Pos
		pos.File = ShortPath(p.base, pos.File)
		out[i] = pos.String() + ": " + text(e.Msg)
	}
	return out
}

// end marks the end of a message for the replacer, which cannot match "$".
const end = "\x00"

// rootEnds are what may follow a path that is a root itself in a message.
var rootEnds = []string{" ", ")", ",", ";", ":", "\n", end}

// replacer rewrites "root/" prefixes inside messages, and roots themselves
// when a delimiter follows, longest root first so that the most specific one
// applies.
func (p *Paths) replacer(roots []string) *strings.Replacer {
	seen := map[string]bool{}
	var uniq []string
	for _, r := range roots {
		r = filepath.Clean(r)
		if r == "" || !filepath.IsAbs(r) || seen[r] || p.base == "" {
			continue
		}
		seen[r] = true
		uniq = append(uniq, r)
	}
	sort.Slice(uniq, func(i, j int) bool {
		if len(uniq[i]) != len(uniq[j]) {
			return len(uniq[i]) > len(uniq[j])
		}
		return uniq[i] < uniq[j]
	})
	var pairs []string
	sep := string(filepath.Separator)
	for _, r := range uniq {
		short := ShortPath(p.base, r)
		if short == r {
			continue
		}
		for _, e := range rootEnds {
			pairs = append(pairs, r+e, short+e)
		}
		if short == "." {
			short = ""
		} else {
			short += sep
		}
		prefix := r + sep
		if r == sep {
			prefix = r
		}
		pairs = append(pairs, prefix, short)
	}
	return strings.NewReplacer(pairs...)
}
