// Package gen prints the IR as Go source. It decides nothing: names, types,
// order and XML details all come from the IR. Output is gofmt'd and
// deterministic; imports are collected from the identifiers used.
package gen

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/goformat"
	"github.com/dmpgen/dmpgen/internal/ir"
)

// file accumulates the body of one Go file and the imports it needs.
type file struct {
	pkg     *ir.Package
	buf     bytes.Buffer
	imports map[string]string // path → name
	vars    []string          // package-level declarations (patterns, names)
	varIdx  map[string]string
	stem    string // file-specific part of package-level variable names
	format  formatter
	version string // dmpgen release for the header, or ""
}

func newFile(p *ir.Package, version string, format formatter) *file {
	return &file{pkg: p, imports: map[string]string{}, varIdx: map[string]string{}, format: format, version: version}
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
			fmt.Fprint(&f.buf, a)
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

// use imports a package and returns its local name.
func (f *file) use(path string) string {
	if n, ok := f.imports[path]; ok {
		return n
	}
	base := path[strings.LastIndex(path, "/")+1:]
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.ToLower(base))
	taken := map[string]bool{f.pkg.Name: true}
	for _, n := range f.imports {
		taken[n] = true
	}
	for n, i := name, 2; taken[name]; i++ {
		name = n + strconv.Itoa(i)
	}
	f.imports[path] = name
	return name
}

// pkgVar declares a package-level value once and returns its name.
func (f *file) pkgVar(prefix, expr string) string {
	if n, ok := f.varIdx[expr]; ok {
		return n
	}
	n := fmt.Sprintf("%s%s%d", prefix, f.stem, len(f.vars))
	f.varIdx[expr] = n
	f.vars = append(f.vars, fmt.Sprintf("%s = %s", n, expr))
	return n
}

// namedVar declares a package-level value under a name the IR made unique.
func (f *file) namedVar(name, expr string) string {
	f.vars = append(f.vars, fmt.Sprintf("%s = %s", name, expr))
	return name
}

// content assembles the file and formats it.
func (f *file) content(source string) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString(header(f.version, source))
	out.WriteString("\npackage " + f.pkg.Name + "\n\n")
	if len(f.imports) > 0 {
		paths := make([]string, 0, len(f.imports))
		for p := range f.imports {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		out.WriteString("import (\n")
		for _, p := range paths {
			fmt.Fprintf(&out, "\t%s %q\n", f.imports[p], p)
		}
		out.WriteString(")\n\n")
	}
	if len(f.vars) > 0 {
		out.WriteString("var (\n")
		for _, v := range f.vars {
			out.WriteString("\t" + v + "\n")
		}
		out.WriteString(")\n\n")
	}
	out.Write(f.buf.Bytes())
	return f.format(out.Bytes(), source)
}

// Formatter turns the printer's raw output into the file's final text.
type formatter func(raw []byte, source string) ([]byte, error)

// gofmt formats a generated file as gofmt does (goformat: without
// parsing, except for shapes the layout does not know).
func gofmt(raw []byte, source string) ([]byte, error) {
	src, err := goformat.Source(raw)
	if err != nil {
		return nil, fmt.Errorf("formatting generated %s: %v\n%s", source, err, numbered(raw))
	}
	return src, nil
}

func numbered(b []byte) string {
	var s strings.Builder
	for i, line := range strings.Split(string(b), "\n") {
		fmt.Fprintf(&s, "%5d  %s\n", i+1, line)
	}
	return s.String()
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
