package gen

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

// TestCases checks what dmpgen generates for each case of testdata/gen
// that succeeds (cmd.txt "exit: 0"): schemas whose names clash with what
// the emitter declares must give code that type-checks and round-trips the
// case's *.xml documents (decode, Validate, encode, compare). The cases
// that fail are checked by internal/cli's TestBadInput against stderr.txt.
func TestCases(t *testing.T) {
	root := filepath.Join(testenv.RepoRoot(), "testdata", "gen")
	check := func(t *testing.T, dir, module string, gens []generated) {
		encoded := roundTrip(t, dir, module, gens)
		if xsds := caseSchemas(dir, gens); xsds != nil && encoded != "" {
			docs, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
			t.Run("xmllint", func(t *testing.T) { xmllintCase(t, xsds, docs, encoded) })
		}
	}
	if eachGenerated(t, root, "casetmp", check) == 0 {
		t.Fatal("no case of testdata/gen generates successfully")
	}
}

// roundTrip builds a program over the generated packages and runs it on
// the case's *.xml documents, and returns the directory where it wrote
// their encodings ("" without documents). A case with a loopback.go (a main package
// importing the generated packages under module) runs it too, with a
// directory where it writes the XML it sent and received; each file there
// must be valid against the case's schemas (xmllint), but for the
// invalid*.xml ones, which must be invalid.
func roundTrip(t *testing.T, dir, module string, gens []generated) (encoded string) {
	docs, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	loopback, _ := os.ReadFile(filepath.Join(dir, "loopback.go"))
	if len(docs) == 0 && loopback == nil {
		t.Fatalf("no *.xml document to round-trip and no loopback.go in %s", dir)
	}
	goTool := testenv.Tool(t, "go")
	tmp := t.TempDir()
	modDir := filepath.Join(testenv.RepoRoot(), filepath.FromSlash(strings.TrimPrefix(module, "github.com/dmpgen/dmpgen/")))
	overlay := map[string]string{}
	add := func(rel string, src []byte) {
		backing := filepath.Join(tmp, fmt.Sprintf("f%d.go", len(overlay)))
		if err := os.WriteFile(backing, src, 0o644); err != nil {
			t.Fatal(err)
		}
		overlay[filepath.Join(modDir, filepath.FromSlash(rel))] = backing
	}
	var imports, news, prefixes, types strings.Builder
	for _, g := range gens {
		for name, src := range g.files {
			add(g.target.Name+"/"+name, src)
		}
		for i, p := range g.prog.Packages {
			alias := fmt.Sprintf("p%d_%d", len(overlay), i)
			fmt.Fprintf(&imports, "\t%s %q\n", alias, p.ImportPath)
			fmt.Fprintf(&news, "\tif v := %s.NewElement(n); v != nil {\n\t\treturn v\n\t}\n", alias)
			fmt.Fprintf(&prefixes, "\t%s.Prefixes(e)\n", alias)
			if len(p.DerivedTypes) > 0 {
				fmt.Fprintf(&types, "%s.NewType, ", alias)
			}
		}
	}
	add("main/main.go", []byte(fmt.Sprintf(roundTripMain, imports.String(), news.String(), types.String(), prefixes.String())))
	if loopback != nil {
		add("loopback/main.go", loopback)
	}
	ov, _ := json.Marshal(map[string]any{"Replace": overlay})
	ovFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(ovFile, ov, 0o644); err != nil {
		t.Fatal(err)
	}
	build := func(pkg string) string {
		bin := filepath.Join(tmp, path.Base(pkg))
		cmd := exec.Command(goTool, "build", "-overlay", ovFile, "-o", bin, module+"/"+pkg)
		cmd.Dir = testenv.RepoRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		return bin
	}
	encDir := ""
	if len(docs) > 0 {
		encDir = filepath.Join(tmp, "encoded")
		if err := os.Mkdir(encDir, 0o755); err != nil {
			t.Fatal(err)
		}
		run := exec.Command(build("main"), docs...)
		run.Env = append(os.Environ(), "DMPGEN_ROUNDTRIP_OUT="+encDir)
		if out, err := run.CombinedOutput(); err != nil {
			t.Fatalf("round trip: %v\n%s", err, out)
		}
	}
	if loopback == nil {
		return encDir
	}
	sent := t.TempDir()
	if out, err := exec.Command(build("loopback"), sent).CombinedOutput(); err != nil {
		t.Fatalf("loopback: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(sent, "*.xml"))
	if len(files) == 0 {
		t.Fatal("loopback wrote no XML to validate")
	}
	t.Run("xmllint-loopback", func(t *testing.T) {
		xmllint := testenv.Tool(t, "xmllint")
		xsds, _ := filepath.Glob(filepath.Join(dir, "*.xsd"))
		schema := schemaOf(t, xsds)
		for _, f := range files {
			out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", schema, f).CombinedOutput()
			data, _ := os.ReadFile(f)
			switch invalid := strings.HasPrefix(filepath.Base(f), "invalid"); {
			case err != nil && !invalid:
				t.Errorf("%s is not valid: %v\n%s\n%s", filepath.Base(f), err, out, data)
			case err == nil && invalid:
				t.Errorf("xmllint accepts %s, which the generated Validate refuses:\n%s", filepath.Base(f), data)
			}
		}
	})
	return encDir
}

// caseSchemas returns the schemas of a case whose inputs are all XSD
// files, nil when one is a WSDL (no single schema to give xmllint).
func caseSchemas(dir string, gens []generated) []string {
	var xsds []string
	for _, g := range gens {
		for _, in := range g.target.Inputs {
			if !strings.HasSuffix(in, ".xsd") {
				return nil
			}
			xsds = append(xsds, filepath.Join(dir, filepath.FromSlash(in)))
		}
	}
	return xsds
}

// schemaOf returns a schema for xmllint: xsds[0], or a schema importing
// every one of xsds.
func schemaOf(t *testing.T, xsds []string) string {
	if len(xsds) == 1 {
		return xsds[0]
	}
	var b strings.Builder
	b.WriteString(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">` + "\n")
	for _, x := range xsds {
		data, err := os.ReadFile(x)
		if err != nil {
			t.Fatal(err)
		}
		m := targetNSRE.FindSubmatch(data)
		if m == nil {
			t.Fatalf("%s has no targetNamespace", x)
		}
		fmt.Fprintf(&b, "  <xs:import namespace=%q schemaLocation=%q/>\n", m[1], (&url.URL{Scheme: "file", Path: filepath.ToSlash(x)}).String())
	}
	b.WriteString("</xs:schema>\n")
	f := filepath.Join(t.TempDir(), "all.xsd")
	if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// xmllintCase validates the case's documents and our encodings of them
// with xmllint against the case's schemas xsds: each document and its
// encoding must be valid; invalid*.xml, lenient*.xml and error*.xml
// (which is not encoded) invalid.
func xmllintCase(t *testing.T, xsds, docs []string, encDir string) {
	xmllint := testenv.Tool(t, "xmllint")
	schema := schemaOf(t, xsds)
	for _, doc := range docs {
		enc := filepath.Join(encDir, filepath.Base(doc))
		files := []string{doc, enc}
		if strings.HasPrefix(filepath.Base(doc), "error") {
			files = files[:1] // not decoded, not encoded
		}
		invalid := strings.HasPrefix(filepath.Base(doc), "invalid") || strings.HasPrefix(filepath.Base(doc), "lenient") || strings.HasPrefix(filepath.Base(doc), "error")
		for _, f := range files {
			out, err := exec.Command(xmllint, "--noout", "--schema", schema, f).CombinedOutput()
			switch {
			case err != nil && !invalid:
				t.Errorf("xmllint: %s is invalid: %v\n%s", f, err, out)
			case err == nil && invalid:
				t.Errorf("xmllint: %s is valid, want invalid", f)
			}
		}
	}
}

var targetNSRE = regexp.MustCompile(`targetNamespace="([^"]*)"`)

// roundTripMain decodes each document named on the command line with the
// generated packages (and their NewType functions as the xsi:type
// resolver), validates, encodes and compares it with the input.
// Documents named invalid*.xml must fail validation with the report in the
// sibling invalid*.want file (and still round-trip); lenient*.xml are
// decoded leniently, their warnings being the .want file (and round-trip);
// error*.xml must fail to decode (strict) with the error of the .want file.
const roundTripMain = `package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
%s)

func newElement(n xmltext.Name) xmlbind.Value {
%s	return nil
}

var types = xmlbind.Types(%s)

func main() {
	failed := false
	for _, file := range os.Args[1:] {
		if err := roundTrip(file); err != nil {
			fmt.Println(file+":", err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

func roundTrip(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	base := filepath.Base(file)
	want := func() (string, error) {
		b, err := os.ReadFile(strings.TrimSuffix(file, ".xml") + ".want")
		return strings.TrimSpace(string(b)), err
	}
	lenient := strings.HasPrefix(base, "lenient")
	d := xmltext.NewDecoder(data, xmltext.Options{File: base, Lenient: lenient, Types: types})
	tok, err := d.Next()
	for err == nil && tok.Kind != xmltext.StartElement {
		tok, err = d.Next()
	}
	if err != nil {
		return err
	}
	v := newElement(tok.Name)
	if v == nil {
		return fmt.Errorf("no generated type for %%s", tok.Name)
	}
	err = v.UnmarshalXMLText(d, &tok)
	if strings.HasPrefix(base, "error") {
		w, werr := want()
		if werr != nil {
			return werr
		}
		if fmt.Sprint(err) != w {
			return fmt.Errorf("decoding error:\n%%v\nwant:\n%%s", err, w)
		}
		return nil
	}
	if err != nil {
		return err
	}
	if lenient {
		var ws []string
		for _, x := range d.Warnings() {
			ws = append(ws, x.String())
		}
		w, werr := want()
		if werr != nil {
			return werr
		}
		if got := strings.Join(ws, "\n"); got != w {
			return fmt.Errorf("lenient warnings:\n%%s\nwant:\n%%s", got, w)
		}
	}
	r := xsdt.NewReport("")
	v.ValidateXSD(r)
	if strings.HasPrefix(filepath.Base(file), "invalid") {
		// An invalid*.xml document must be reported invalid, with the
		// report of the sibling *.want file.
		want, err := os.ReadFile(strings.TrimSuffix(file, ".xml") + ".want")
		if err != nil {
			return err
		}
		got := fmt.Sprint(r.Err())
		if got != strings.TrimSpace(string(want)) {
			return fmt.Errorf("validation report:\n%%s\nwant:\n%%s", got, want)
		}
	} else if err := r.Err(); err != nil {
		return fmt.Errorf("valid document reported invalid: %%v", err)
	}
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
%s	if err := v.MarshalXMLText(e, tok.Name); err != nil {
		return err
	}
	if err := e.Flush(); err != nil {
		return err
	}
	// $DMPGEN_ROUNDTRIP_OUT: a directory where each encoding is written
	// (for xmllint).
	if out := os.Getenv("DMPGEN_ROUNDTRIP_OUT"); out != "" {
		if err := os.WriteFile(filepath.Join(out, filepath.Base(file)), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	diff, err := xmlcmp.Diff(data, buf.Bytes())
	if err != nil {
		return err
	}
	if diff != "" {
		return fmt.Errorf("round trip differs: %%s\n%%s", diff, buf.String())
	}
	return nil
}
`

// genImporter type-checks generated packages from memory and the rest
// (the runtime) from the repository's sources.
type genImporter struct {
	fset    *token.FileSet
	module  string
	files   map[string][]byte // slash path under the output root → source
	done    map[string]*types.Package
	runtime types.ImporterFrom
	srcDir  string
}

func (g *genImporter) Import(importPath string) (*types.Package, error) {
	if p, ok := g.done[importPath]; ok {
		return p, nil
	}
	dir, ok := strings.CutPrefix(importPath, g.module+"/")
	if !ok {
		return g.runtime.ImportFrom(importPath, g.srcDir, 0)
	}
	var names []string
	for name := range g.files {
		if path.Dir(name) == dir {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("no generated file for %s", importPath)
	}
	var asts []*ast.File
	for _, name := range names {
		f, err := parser.ParseFile(g.fset, name, g.files[name], parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		asts = append(asts, f)
	}
	var errs []string
	conf := types.Config{Importer: g, Error: func(err error) {
		if len(errs) < 10 {
			errs = append(errs, err.Error())
		}
	}}
	p, _ := conf.Check(importPath, g.fset, asts, nil)
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s does not compile:\n%s", importPath, strings.Join(errs, "\n"))
	}
	g.done[importPath] = p
	return p, nil
}
