package gen

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path"
	"path/filepath"
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
	if runCases(t, "gen", true) == 0 {
		t.Fatal("no case of testdata/gen generates successfully")
	}
}

// runCases runs each case of testdata/<set> that generates successfully
// (cmd.txt "exit: 0"): its generated packages must type-check and its
// documents round-trip (roundTrip). With needDocs, a case without
// documents fails. It returns the number of such cases.
func runCases(t *testing.T, set string, needDocs bool) int {
	root := filepath.Join(testenv.RepoRoot(), "testdata", set)
	cases, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	// The runtime packages are type-checked from source, once.
	runtime := importer.ForCompiler(fset, "source", nil).(types.ImporterFrom)
	n := 0
	for _, c := range cases {
		dir := filepath.Join(root, c.Name())
		cmd, err := os.ReadFile(filepath.Join(dir, "cmd.txt"))
		if !c.IsDir() || err != nil || !strings.Contains(string(cmd), "exit: 0") || strings.Contains(string(cmd), "args:") {
			continue
		}
		n++
		t.Run(c.Name(), func(t *testing.T) {
			// The generated packages get import paths inside this module
			// (given to the go command as an overlay, never on disk), so
			// that the round-trip program can be built offline.
			module := "github.com/dmpgen/dmpgen/internal/gen/" + set + "tmp/" + c.Name()
			gens := generateConfig(t, filepath.Join(dir, "dmpgen.yaml"), module)
			for _, g := range gens {
				imp := &genImporter{fset: fset, module: g.target.Module, files: g.files, done: map[string]*types.Package{}, runtime: runtime, srcDir: testenv.RepoRoot()}
				for _, p := range g.prog.Packages {
					if _, err := imp.Import(p.ImportPath); err != nil {
						t.Error(err)
					}
				}
			}
			if t.Failed() {
				return
			}
			docs := caseDocs(dir)
			switch {
			case len(docs) > 0:
				roundTrip(t, dir, module, gens, docs)
			case needDocs:
				t.Fatalf("no *.xml document to round-trip in %s", dir)
			}
		})
	}
	return n
}

// caseDocs returns the documents of a case: messages/*.xml when the case
// has a messages directory, else its *.xml.
func caseDocs(dir string) []string {
	if st, err := os.Stat(filepath.Join(dir, "messages")); err == nil && st.IsDir() {
		dir = filepath.Join(dir, "messages")
	}
	docs, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	return docs
}

// roundTrip builds a program over the generated packages and runs it on
// docs. When the case's messages directory has a schemas.txt ("DOC.xml
// SCHEMA.xsd" lines, the schema relative to the case), each re-encoded
// document is validated with xmllint against its schema.
func roundTrip(t *testing.T, dir, module string, gens []generated, docs []string) {
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
	var imports, news, prefixes strings.Builder
	for _, g := range gens {
		for name, src := range g.files {
			add(g.target.Name+"/"+name, src)
		}
		for i, p := range g.prog.Packages {
			alias := fmt.Sprintf("p%d_%d", len(overlay), i)
			fmt.Fprintf(&imports, "\t%s %q\n", alias, p.ImportPath)
			fmt.Fprintf(&news, "\tif v := %s.NewElement(n); v != nil {\n\t\treturn v\n\t}\n", alias)
			fmt.Fprintf(&prefixes, "\t%s.Prefixes(e)\n", alias)
		}
	}
	add("main/main.go", []byte(fmt.Sprintf(roundTripMain, imports.String(), news.String(), prefixes.String())))
	ov, _ := json.Marshal(map[string]any{"Replace": overlay})
	ovFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(ovFile, ov, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(tmp, "roundtrip")
	build := exec.Command(goTool, "build", "-overlay", ovFile, "-o", bin, module+"/main")
	build.Dir = testenv.RepoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	encoded := filepath.Join(tmp, "encoded")
	if err := os.Mkdir(encoded, 0o755); err != nil {
		t.Fatal(err)
	}
	run := exec.Command(bin, docs...)
	run.Env = append(os.Environ(), "DMPGEN_ROUNDTRIP_OUT="+encoded)
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("round trip: %v\n%s", err, out)
	}
	validateEncodings(t, dir, filepath.Join(filepath.Dir(docs[0]), "schemas.txt"), encoded)
}

// validateEncodings validates with xmllint each encoding in encoded that
// list ("DOC.xml SCHEMA.xsd" lines, schemas relative to dir) names; a
// missing list validates nothing.
func validateEncodings(t *testing.T, dir, list, encoded string) {
	data, err := os.ReadFile(list)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	xmllint := testenv.Tool(t, "xmllint")
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		doc, schema, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			t.Fatalf("%s:%d: want DOC.xml SCHEMA.xsd", list, i+1)
		}
		out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", filepath.Join(dir, filepath.FromSlash(strings.TrimSpace(schema))), filepath.Join(encoded, doc)).CombinedOutput()
		if err != nil {
			t.Errorf("%s:%d: xmllint refuses our encoding of %s: %v\n%s", list, i+1, doc, err, out)
		}
	}
}

// roundTripMain decodes each document named on the command line with the
// generated packages, validates, encodes and compares it with the input;
// with $DMPGEN_ROUNDTRIP_OUT, it writes each encoding there.
// Documents named invalid*.xml must fail validation with the report in the
// sibling invalid*.want file (and still round-trip).
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
	d := xmltext.NewDecoder(data, xmltext.Options{File: file})
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
	if err := v.UnmarshalXMLText(d, &tok); err != nil {
		return err
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
