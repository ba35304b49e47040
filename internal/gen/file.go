// Package gen prints the IR as Go source. It decides nothing: names, types,
// order and XML details all come from the IR. Output is gofmt'd and
// deterministic; imports are collected from the identifiers used.
package gen

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/goformat"
	"github.com/dmpgen/dmpgen/internal/ir"
)

// file accumulates the body of one Go file and the imports it needs.
type file struct {
	pkg     *ir.Package
	buf     *bytes.Buffer     // reused across the files a worker prints
	imports map[string]string // path → name
	vars    map[string]string // package-level variables: name → value expression
	varIdx  map[string]string // value expression → name
	funcs   map[string]bool   // the vars that are functions (their value a func literal)
	stem    string            // file-specific part of package-level variable names
	format  formatter
	version string // dmpgen release for the header, or ""
}

// newFile starts a file printed into buf (emptied first; nil: a new one).
func newFile(p *ir.Package, version string, format formatter, buf *bytes.Buffer) *file {
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	return &file{pkg: p, buf: buf, imports: map[string]string{}, vars: map[string]string{}, varIdx: map[string]string{}, funcs: map[string]bool{}, format: format, version: version}
}

// P prints its arguments followed by a newline. ir.Ident arguments are
// qualified and imported as needed.
func (f *file) P(args ...any) {
	for _, a := range args {
		switch a := a.(type) {
		case ir.Ident:
			f.buf.WriteString(f.qual(a))
		case string:
			f.buf.WriteString(a)
		default:
			fmt.Fprint(f.buf, a)
		}
	}
	f.buf.WriteByte('\n')
}

// qual returns the identifier as seen from this file.
func (f *file) qual(id ir.Ident) string {
	if id.ImportPath == "" || id.ImportPath == f.pkg.ImportPath {
		return id.Name
	}
	return f.use(id.ImportPath) + "." + id.Name
}

// use imports a package and returns a placeholder for its local name.
// Local names are decided when the file is assembled, from the sorted
// import paths: which import is printed first must not decide which of
// two packages with one base name gets the plain name.
func (f *file) use(path string) string {
	if _, ok := f.imports[path]; !ok {
		f.imports[path] = ""
	}
	return "\x00" + path + "\x00"
}

// fixed imports a package under its own name, written literally in the
// printed code ("strconv.", "fmt.").
func (f *file) fixed(path, name string) { f.imports[path] = name }

// localNames are the identifiers generated functions declare: imported
// packages do not take them.
var localNames = []string{"c", "ctx", "err", "h", "hdr", "opts", "out", "req", "resp", "s", "vals"}

// importNames gives every import its local name: fixed ones first, then
// the others in path order, numbered when their base name is taken.
func (f *file) importNames() map[string]string {
	names := map[string]string{}
	taken := map[string]bool{f.pkg.Name: true}
	// Parameters and variables of the generated clients and handlers.
	for _, n := range localNames {
		taken[n] = true
	}
	var paths []string
	for p, n := range f.imports {
		if n != "" {
			names[p] = n
			taken[n] = true
		} else {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		base := p[strings.LastIndex(p, "/")+1:]
		name := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, strings.ToLower(base))
		for n, i := name, 2; taken[name]; i++ {
			name = n + strconv.Itoa(i)
		}
		taken[name] = true
		names[p] = name
	}
	return names
}

// pkgVar declares a package-level value once and returns its name: prefix,
// the file stem, then hint, a name derived from the value itself (never from
// the order of emission, so that a schema edit renames nothing else). A
// hint that is not already an identifier fragment gets a short hash of
// itself; two values with one name (a hash tie) get a hash of the value.
func (f *file) pkgVar(prefix, hint, expr string) string {
	if n, ok := f.varIdx[expr]; ok {
		return n
	}
	n := prefix + f.stem + identPart(hint)
	if _, taken := f.vars[n]; taken {
		n += "_" + shortHash(expr)
	}
	f.varIdx[expr] = n
	f.vars[n] = expr
	return n
}

// pkgFunc declares a package-level function once, named as pkgVar names a
// variable, and returns its name; lit is its func literal. A function, not
// a variable holding one, so that tables referring to it are initialized
// statically.
func (f *file) pkgFunc(prefix, hint, lit string) string {
	n := f.pkgVar(prefix, hint, lit)
	f.funcs[n] = true
	return n
}

// namedVar declares a package-level value under a name the IR made unique.
func (f *file) namedVar(name, expr string) string {
	f.vars[name] = expr
	return name
}

// identPart turns s into a fragment of a Go identifier: s itself when it is
// made of ASCII letters, digits and underscores (and not too long), else
// its such characters followed by a hash of s, so that distinct hints stay
// distinct.
func identPart(s string) string {
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, s)
	if clean == s && s != "" && len(s) <= 40 {
		return s
	}
	if len(clean) > 24 {
		clean = clean[:24]
	}
	return strings.Trim(clean, "_") + "_" + shortHash(s)
}

// shortHash is 8 hexadecimal digits of the FNV-1a hash of s.
func shortHash(s string) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	return fmt.Sprintf("%08x", h.Sum32())
}

// content assembles the file and formats it.
func (f *file) content(source string) ([]byte, error) {
	var head bytes.Buffer
	head.WriteString(header(f.version, source))
	head.WriteString("\npackage " + f.pkg.Name + "\n\n")
	names := f.importNames()
	if len(f.imports) > 0 {
		paths := make([]string, 0, len(f.imports))
		for p := range f.imports {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		head.WriteString("import (\n")
		for _, p := range paths {
			fmt.Fprintf(&head, "\t%s %q\n", names[p], p)
		}
		head.WriteString(")\n\n")
	}
	if len(f.vars) > 0 {
		// One declaration a line, sorted by name: a new variable adds one
		// line and realigns none (a var group would align every "=").
		names := make([]string, 0, len(f.vars))
		for n := range f.vars {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if !f.funcs[n] {
				head.WriteString("var " + n + " = " + f.vars[n] + "\n")
			}
		}
		head.WriteString("\n")
		for _, n := range names {
			if f.funcs[n] {
				head.WriteString("func " + n + strings.TrimPrefix(f.vars[n], "func") + "\n\n")
			}
		}
	}
	raw := make([]byte, 0, head.Len()+f.buf.Len())
	raw = resolveImports(raw, head.Bytes(), names)
	raw = resolveImports(raw, f.buf.Bytes(), names)
	return f.format(raw, source)
}

// resolveImports appends src to dst with each import placeholder (see use)
// replaced by the package's local name.
func resolveImports(dst, src []byte, names map[string]string) []byte {
	for {
		i := bytes.IndexByte(src, 0)
		if i < 0 {
			return append(dst, src...)
		}
		j := bytes.IndexByte(src[i+1:], 0)
		if j < 0 {
			return append(dst, src...)
		}
		dst = append(dst, src[:i]...)
		if name, ok := names[string(src[i+1:i+1+j])]; ok {
			dst = append(dst, name...)
		} else {
			dst = append(dst, src[i:i+j+2]...) // not a placeholder: kept, and refused by the parser
		}
		src = src[i+j+2:]
	}
}

// Formatter turns the printer's raw output into the file's final text.
type formatter func(raw []byte, source string) ([]byte, error)

// gofmt formats a generated file as gofmt does (goformat: without
// go/format's cost, but parsed before it is returned).
func gofmt(v *goformat.Verifier, raw []byte, source string) ([]byte, error) {
	src, err := v.Source(raw)
	if err != nil {
		what := "the package documentation file"
		if source != "" {
			what = "the Go file of " + source
		}
		return nil, fmt.Errorf("%s would not compile, nothing was written (a dmpgen bug: please report it with the schema; a names: pin for the construct may avoid it): %w", what, err)
	}
	return src, nil
}

// comment formats documentation as a Go comment; text cannot break out of it.
func comment(prefix, doc string) string {
	doc = strings.TrimSpace(doc)
	if doc == "" {
		return ""
	}
	doc = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(doc) // the Go scanner drops CRs in comments
	var b strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		line = strings.TrimRight(strings.ReplaceAll(line, "\t", "    "), " ")
		b.WriteString(prefix + "//")
		if line != "" {
			b.WriteString(" " + line)
		}
		b.WriteString("\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}
