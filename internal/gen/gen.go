package gen

import (
	"bytes"
	"fmt"
	"path"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dmpgen/dmpgen/internal/goformat"
	"github.com/dmpgen/dmpgen/internal/ir"
)

// Runtime packages.
const (
	xmltextPkg = "github.com/dmpgen/dmpgen/runtime/xmltext"
	xsdtPkg    = "github.com/dmpgen/dmpgen/runtime/xsdt"
	xmlbindPkg = "github.com/dmpgen/dmpgen/runtime/xmlbind"
)

var (
	xName     = ir.Ident{ImportPath: xmltextPkg, Name: "Name"}
	xEncoder  = ir.Ident{ImportPath: xmltextPkg, Name: "Encoder"}
	xDecoder  = ir.Ident{ImportPath: xmltextPkg, Name: "Decoder"}
	xToken    = ir.Ident{ImportPath: xmltextPkg, Name: "Token"}
	xAttr     = ir.Ident{ImportPath: xmltextPkg, Name: "Attr"}
	xElement  = ir.Ident{ImportPath: xmltextPkg, Name: "Element"}
	xNode     = ir.Ident{ImportPath: xmltextPkg, Name: "Node"}
	xReport   = ir.Ident{ImportPath: xsdtPkg, Name: "Report"}
	xValue    = ir.Ident{ImportPath: xmlbindPkg, Name: "Value"}
	xBinary   = ir.Ident{ImportPath: xmlbindPkg, Name: "Binary"}
	xWildcard = ir.Ident{ImportPath: xmlbindPkg, Name: "Wildcard"}
	xUnknown  = ir.Ident{ImportPath: xmlbindPkg, Name: "Unknown"}
)

// Options are the settings of the printer.
type Options struct {
	// Version is the dmpgen version written in the header of every file; ""
	// (or anything but a release, see Header) writes no version line.
	Version string
	// Verifier formats and checks the files; nil means a new one. Programs
	// printed with one Verifier parse each declaration shape once.
	Verifier *goformat.Verifier
	// Stats, when not nil, adds the time spent printing (before formatting).
	Stats *Stats
}

// Stats is the time Program spends printing files before they are
// formatted, summed over the files (printed concurrently). Safe for
// concurrent use; the zero value is ready.
type Stats struct{ print atomic.Int64 }

// Print returns the printing time added so far.
func (s *Stats) Print() time.Duration { return time.Duration(s.print.Load()) }

// Program prints every package of a program. The result maps slash-separated
// paths relative to the output root to file contents.
func Program(p *ir.Program, opts Options) (map[string][]byte, error) {
	v := opts.Verifier
	if v == nil {
		v = goformat.NewVerifier()
	}
	return program(p, opts.Version, func(raw []byte, source string) ([]byte, error) {
		return gofmt(v, raw, source)
	}, opts.Stats)
}

// program prints the files of p; stats (nil: none) adds the printing time,
// that of the formatter excluded.
func program(p *ir.Program, version string, format formatter, stats *Stats) (map[string][]byte, error) {
	if stats != nil {
		inner := format
		format = func(raw []byte, source string) ([]byte, error) {
			t0 := time.Now()
			src, err := inner(raw, source)
			stats.print.Add(-int64(time.Since(t0)))
			return src, err
		}
	}
	type job struct {
		pkg  *ir.Package
		file *ir.File // nil: the package's doc.go
		path string
	}
	var jobs []job
	resolvers := planResolvers(p)
	for _, pkg := range p.Packages {
		for _, f := range pkg.Files {
			jobs = append(jobs, job{pkg, f, path.Join(pkg.Dir, f.Name)})
		}
		jobs = append(jobs, job{pkg, nil, path.Join(pkg.Dir, "doc.go")})
	}
	// Printing and gofmt'ing files is independent work: spread it over the
	// CPUs. Results are keyed by path, so the output does not depend on
	// scheduling.
	srcs := make([][]byte, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch bytes.Buffer
			for i := range next {
				j := jobs[i]
				t0 := time.Now()
				if j.file == nil {
					srcs[i], errs[i] = packageDoc(j.pkg, version, format, &scratch)
				} else {
					srcs[i], errs[i] = printFile(j.pkg, j.file, resolvers[j.pkg.ImportPath], version, format, &scratch)
				}
				if stats != nil {
					stats.print.Add(int64(time.Since(t0)))
				}
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	out := make(map[string][]byte, len(jobs))
	for i, j := range jobs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out[j.path] = srcs[i]
	}
	return out, nil
}

func packageDoc(p *ir.Package, version string, format formatter, scratch *bytes.Buffer) ([]byte, error) {
	f := newFile(p, version, format, scratch)
	var b strings.Builder
	b.WriteString("// Package " + p.Name + " holds the Go bindings of these XML namespaces:\n")
	for _, ns := range p.Namespaces {
		b.WriteString("//   - " + ns + "\n")
	}
	b.WriteString("package " + p.Name + "\n\n")
	f.P("// Prefixes are the namespace prefixes the schemas declare; encoders prefer them.")
	f.P("func Prefixes(e *", xEncoder, ") {")
	for _, pr := range p.Prefixes {
		f.P("e.PreferPrefix(", strconv.Quote(pr.URI), ", ", strconv.Quote(pr.Prefix), ")")
	}
	f.P("}")
	f.P("")
	v := strconv.Itoa(RuntimeVersion)
	enforce := ir.Ident{ImportPath: xmlbindPkg, Name: "EnforceVersion"}
	f.P("const (")
	f.P("// The generated code is recent enough for runtime/xmlbind.")
	f.P("_ = ", enforce, "(", v, " - ", ir.Ident{ImportPath: xmlbindPkg, Name: "MinVersion"}, ")")
	f.P("// runtime/xmlbind is recent enough for the generated code.")
	f.P("_ = ", enforce, "(", ir.Ident{ImportPath: xmlbindPkg, Name: "MaxVersion"}, " - ", v, ")")
	f.P(")")
	f.P("")
	f.P("// NewElement returns a new value for a global element of this package, or nil.")
	f.P("func NewElement(name ", xName, ") ", xValue, " {")
	if len(p.Elements) > 0 {
		f.P("switch name {")
		for _, e := range p.Elements {
			f.P("case ", xName, "{Space: ", strconv.Quote(e.XMLName.Space), ", Local: ", strconv.Quote(e.XMLName.Local), "}:")
			f.P("return new(", *e.Struct, ")")
		}
		f.P("}")
	}
	f.P("return nil")
	f.P("}")
	f.P("")
	if len(p.DerivedTypes) > 0 {
		f.P("// NewType returns a new value of a type of this package derived from a type")
		f.P("// of another package, or nil: give it to the decoder's type resolver")
		f.P("// (xmltext.Options{Types: xmlbind.Types(NewType, …)}) to decode an xsi:type naming it.")
		f.P("func NewType(name ", xName, ") ", xValue, " {")
		f.P("switch name {")
		for _, e := range p.DerivedTypes {
			f.P("case ", xName, "{Space: ", strconv.Quote(e.XMLName.Space), ", Local: ", strconv.Quote(e.XMLName.Local), "}:")
			f.P("return new(", *e.Struct, ")")
		}
		f.P("}")
		f.P("return nil")
		f.P("}")
		f.P("")
	}
	f.P("func b2i(b bool) int {")
	f.P("if b { return 1 }")
	f.P("return 0")
	f.P("}")
	body, err := f.content("")
	if err != nil {
		return nil, err
	}
	// Put the package comment in front of the package clause.
	s := string(body)
	i := strings.Index(s, "package ")
	return []byte(s[:i] + strings.Replace(b.String(), "package "+p.Name+"\n\n", "", 1) + s[i:]), nil
}

// File prints one generated file. Its services know the NewType functions
// of p only (Program gives them those of the whole program).
func File(p *ir.Package, f *ir.File, opts Options) ([]byte, error) {
	v := goformat.NewVerifier()
	return printFile(p, f, planResolvers(&ir.Program{Packages: []*ir.Package{p}})[p.ImportPath], opts.Version, func(raw []byte, source string) ([]byte, error) {
		return gofmt(v, raw, source)
	}, nil)
}

// printFile prints one file, into scratch (nil: a new buffer); types (nil:
// none) are the NewType functions its services pass or document.
func printFile(p *ir.Package, f *ir.File, types *typeResolvers, version string, format formatter, scratch *bytes.Buffer) ([]byte, error) {
	g := &generator{file: newFile(p, version, format, scratch), types: types, derived: derivedTypes(p), local: localTypes(p)}
	g.file.stem = fileStem(f.Name)
	for _, t := range f.Types {
		if err := g.typ(t); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", f.Source, t.Name, err)
		}
	}
	for _, s := range f.Services {
		g.service(s)
	}
	return g.file.content(f.Source)
}

type generator struct {
	file *file
	// noEncoder/noDecoder: code printed in a context without e or d
	// (validation, getters), where QName values use their lexical form.
	noEncoder, noDecoder bool
	// types are the type resolvers of the package's services (nil: none).
	types *typeResolvers
	// derived are the types of the package derived from another of its
	// types: a base's encoder calls their MarshalXMLTextTyped.
	derived map[*ir.Type]bool
	// local are the package's types by Go name.
	local map[string]*ir.Type
}

// localTypes returns the types of p by Go name.
func localTypes(p *ir.Package) map[string]*ir.Type {
	m := map[string]*ir.Type{}
	for _, f := range p.Files {
		for _, t := range f.Types {
			m[t.Name] = t
		}
	}
	return m
}

// derivedTypes returns the types of p that another type of p lists as
// derived from it.
func derivedTypes(p *ir.Package) map[*ir.Type]bool {
	m := map[*ir.Type]bool{}
	for _, f := range p.Files {
		for _, t := range f.Types {
			for _, d := range t.Derived {
				m[d] = true
			}
		}
	}
	return m
}

func (g *generator) P(args ...any) { g.file.P(args...) }

// name returns a package-level variable holding an XML name, named after
// it: name_<file>_<local> without a namespace, name_<file>_<ns>_<local>
// with one, <ns> being the namespace's preferred prefix (or a hash).
func (g *generator) name(n ir.Name) string {
	hint := n.Local
	if n.Space != "" {
		hint = nsTag(g.file.pkg, n.Space) + "_" + identPart(n.Local)
	}
	return g.file.pkgVar("name", hint, fmt.Sprintf("%s{Space: %q, Local: %q}", g.file.qual(xName), n.Space, n.Local))
}

// nsTag is a short identifier fragment for a namespace: its prefix when the
// package prefers one that is an identifier and no other namespace uses,
// "xml" and "xs" for the W3C namespaces, else a hash of the URI.
func nsTag(p *ir.Package, ns string) string {
	switch ns {
	case "http://www.w3.org/XML/1998/namespace":
		return "xml"
	case "http://www.w3.org/2001/XMLSchema":
		return "xs"
	}
	tag := ""
	for _, pr := range p.Prefixes {
		if pr.URI == ns {
			tag = pr.Prefix
		}
	}
	if tag == "" || identPart(tag) != tag || tag == "xml" || tag == "xs" {
		return "ns" + shortHash(ns)
	}
	for _, pr := range p.Prefixes {
		if pr.Prefix == tag && pr.URI != ns {
			return "ns" + shortHash(ns)
		}
	}
	return tag
}

func (g *generator) typ(t *ir.Type) error {
	switch t.Kind {
	case ir.Struct:
		return g.structType(t)
	case ir.Enum:
		return g.enumType(t)
	case ir.Simple:
		return g.simpleCheck(t)
	}
	return fmt.Errorf("unknown type kind %d", t.Kind)
}

// goType returns the Go type of a value; element content of base64Binary is a Binary.
func (g *generator) goType(v *ir.Value, element bool) string {
	return g.goTypeOf(v.Type, element)
}

func (g *generator) goTypeOf(t ir.GoType, element bool) string {
	if t.List != nil {
		return "[]" + g.goTypeOf(*t.List, false)
	}
	if element && t.Builtin == "base64Binary" {
		return g.file.qual(xBinary)
	}
	return g.file.qual(t.Ident)
}

// fileStem turns a file name into the part of package-level variable names
// that keeps them unique across the files of one package ("rim.go" → "_rim_").
func fileStem(name string) string {
	name = strings.TrimSuffix(name, ".go")
	return "_" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name) + "_"
}
