package gen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/load"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/textdiff"
)

// TestEditLocality generates examples/sample, applies one small schema edit
// at a time and checks that the regenerated code changes only where the
// edit is: only the declarations of the edited type change (its struct,
// methods, constants), package variables and imports may be added, every
// other declaration stays byte-identical and in place. Names that depend on
// the order of emission (numbered variables) renumber lines all over a file
// and fail this test.
func TestEditLocality(t *testing.T) {
	edits := []struct {
		name   string
		file   string
		old    string
		new    string
		owners []string // Go types whose declarations may change
		// keepAll generates with keep: all, for a type no operation reaches.
		keepAll bool
	}{
		{
			name:   "attribute on a struct with items",
			file:   "sample.xsd",
			old:    `<xs:attribute name="id" type="xs:ID" use="required"/>`,
			new:    `<xs:attribute name="id" type="xs:ID" use="required"/><xs:attribute name="channel" type="xs:string"/>`,
			owners: []string{"Order"},
		},
		{
			name:   "attribute",
			file:   "sample.xsd",
			old:    "      <xs:element name=\"Volume\" type=\"xs:decimal\" minOccurs=\"0\"/>\n    </xs:all>",
			new:    "      <xs:element name=\"Volume\" type=\"xs:decimal\" minOccurs=\"0\"/>\n    </xs:all>\n    <xs:attribute name=\"lab\" type=\"xs:int\"/>",
			owners: []string{"SpecimenType"},
		},
		{
			name:   "element",
			file:   "sample.xsd",
			old:    `<xs:element name="Received" type="xs:dateTime" minOccurs="0"/>`,
			new:    `<xs:element name="Received" type="xs:dateTime" minOccurs="0"/><xs:element name="Site" type="xs:token" minOccurs="0"/>`,
			owners: []string{"OrderResponse"},
		},
		{
			name:   "enumeration value",
			file:   "sample.xsd",
			old:    `<xs:enumeration value="urgent"/>`,
			new:    `<xs:enumeration value="urgent"/><xs:enumeration value="deferred"/>`,
			owners: []string{"PriorityType"},
		},
		{
			name: "type",
			file: "sample.xsd",
			old:  `<xs:simpleType name="StatusType">`,
			new: `<xs:complexType name="BatchType"><xs:sequence>` +
				`<xs:element name="Size" type="xs:positiveInteger"/><xs:element name="Label" type="s:Currency" minOccurs="0"/>` +
				`</xs:sequence><xs:attribute name="origin" type="xs:anyURI"/></xs:complexType>
  <xs:simpleType name="StatusType">`,
			owners:  []string{"BatchType"},
			keepAll: true,
		},
	}
	src := filepath.Join(testenv.RepoRoot(), "examples", "sample")
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			before := generateSample(t, copySample(t, src, "", "", "", e.keepAll))
			after := generateSample(t, copySample(t, src, e.file, e.old, e.new, e.keepAll))
			changed := 0
			for _, path := range unionKeys(before, after) {
				a, b := before[path], after[path]
				if string(a) == string(b) {
					continue
				}
				n, bad := checkLocal(t, path, a, b, e.owners)
				changed += n
				for _, msg := range bad {
					t.Errorf("%s: %s", path, msg)
				}
			}
			if changed == 0 {
				t.Fatalf("the edit changed no generated line")
			}
			t.Logf("%d lines changed", changed)
		})
	}
}

// copySample copies the sample's schemas into a temporary directory, with
// old replaced by new in file (which must contain old once), and keep: all
// added to its target when keepAll is set.
func copySample(t *testing.T, src, file, old, new string, keepAll bool) string {
	t.Helper()
	dir := t.TempDir()
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range ents {
		name := ent.Name()
		if ext := filepath.Ext(name); ext != ".xsd" && ext != ".wsdl" && ext != ".yaml" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == file {
			if strings.Count(string(b), old) != 1 {
				t.Fatalf("%s: %q occurs %d times, want once", name, old, strings.Count(string(b), old))
			}
			b = []byte(strings.Replace(string(b), old, new, 1))
		}
		if name == "dmpgen.yaml" && keepAll {
			const target = "  - name: sample\n"
			if strings.Count(string(b), target) != 1 {
				t.Fatalf("%s: %q occurs %d times, want once", name, target, strings.Count(string(b), target))
			}
			b = []byte(strings.Replace(string(b), target, target+"    keep: all\n", 1))
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// generateSample generates every target of dir/dmpgen.yaml in memory.
func generateSample(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, g := range generateConfig(t, filepath.Join(dir, "dmpgen.yaml"), "") {
		for name, src := range g.files {
			out[g.target.Name+"/"+name] = src
		}
	}
	return out
}

// generated is the output of one target of a config.
type generated struct {
	target *config.Target
	prog   *ir.Program
	files  map[string][]byte
}

// generateConfig generates every target of a config in memory; a module
// other than "" replaces the targets' (module/<target name>).
func generateConfig(t *testing.T, path, module string) []generated {
	t.Helper()
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if module != "" {
		for _, target := range cfg.Targets {
			target.Module = module + "/" + target.Name
		}
	}
	kit := filepath.Join(filepath.Dir(path), cfg.Kit)
	var out []generated
	for _, target := range cfg.Targets {
		res, errs := load.Target(load.Input{Kit: kit, Catalogs: load.Catalogs(cfg, kit), Target: target})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		files, err := Program(res.Program, Options{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, generated{target, res.Program, files})
	}
	return out
}

func unionKeys(a, b map[string][]byte) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// checkLocal returns the number of changed lines between a and b and a
// message for each declaration outside owners that changed: every other
// declaration must be kept byte for byte and in order; package variables
// and imports may only be added.
func checkLocal(t *testing.T, path string, a, b []byte, owners []string) (int, []string) {
	own := map[string]bool{}
	for _, o := range owners {
		own[o] = true
	}
	n := 0
	for _, e := range textdiff.Lines(strings.Split(string(a), "\n"), strings.Split(string(b), "\n")) {
		if e.Op != textdiff.Equal {
			n++
		}
	}
	da, db := decls(t, path, a), decls(t, path, b)
	var bad []string
	others := func(ds []decl) []decl {
		var out []decl
		for _, d := range ds {
			if !own[d.owner] && d.owner != "var" && d.owner != "import" {
				out = append(out, d)
			}
		}
		return out
	}
	oa, ob := others(da), others(db)
	for i := 0; i < len(oa) || i < len(ob); i++ {
		switch {
		case i >= len(oa):
			bad = append(bad, "declaration added outside "+strings.Join(owners, ", ")+":\n"+ob[i].text)
		case i >= len(ob):
			bad = append(bad, "declaration removed outside "+strings.Join(owners, ", ")+":\n"+oa[i].text)
		case oa[i].text != ob[i].text:
			bad = append(bad, "declaration of "+oa[i].owner+" changed:\n"+textdiff.Unified("before", "after", []byte(oa[i].text), []byte(ob[i].text)))
			return n, bad // the rest is shifted
		}
	}
	lines := func(ds []decl, kind string) map[string]bool {
		m := map[string]bool{}
		for _, d := range ds {
			if d.owner == kind {
				for _, l := range strings.Split(d.text, "\n") {
					m[strings.TrimSpace(l)] = true
				}
			}
		}
		return m
	}
	for _, kind := range []string{"var", "import"} {
		la, lb := lines(da, kind), lines(db, kind)
		for l := range la {
			if !lb[l] {
				bad = append(bad, kind+" line removed or changed: "+l)
			}
		}
	}
	return n, bad
}

type decl struct{ owner, text string }

// decls lists the top-level declarations of a Go file with their doc
// comments and owner: the type declared, the receiver of a method, the
// type of a group of constants, the name of a function; "var" and
// "import" for those.
func decls(t *testing.T, path string, src []byte) []decl {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		t.Fatalf("%s does not parse: %v", path, err)
	}
	var out []decl
	for _, d := range f.Decls {
		start := d.Pos()
		var owner string
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Doc != nil {
				start = d.Doc.Pos()
			}
			owner = d.Name.Name
			if d.Recv != nil && len(d.Recv.List) == 1 {
				rt := d.Recv.List[0].Type
				if s, ok := rt.(*ast.StarExpr); ok {
					rt = s.X
				}
				owner = rt.(*ast.Ident).Name
			}
		case *ast.GenDecl:
			if d.Doc != nil {
				start = d.Doc.Pos()
			}
			switch d.Tok {
			case token.IMPORT:
				owner = "import"
			case token.VAR:
				owner = "var"
			case token.TYPE:
				owner = d.Specs[0].(*ast.TypeSpec).Name.Name
			case token.CONST:
				if vs, ok := d.Specs[0].(*ast.ValueSpec); ok && vs.Type != nil {
					if id, ok := vs.Type.(*ast.Ident); ok {
						owner = id.Name
					}
				}
			}
		}
		out = append(out, decl{owner, string(src[fset.Position(start).Offset:fset.Position(d.End()).Offset])})
	}
	return out
}

// TestProgramRefusesInvalidGo: a file that would not parse fails the whole
// program (no file at all), with the numbered lines around the error.
func TestProgramRefusesInvalidGo(t *testing.T) {
	g := generateConfig(t, filepath.Join(testenv.RepoRoot(), "examples", "sample", "dmpgen.yaml"), "")[0]
	for _, p := range g.prog.Packages {
		for _, f := range p.Files {
			for _, ty := range f.Types {
				if ty.Name == "Order" {
					ty.Name = "Order Type" // what no resolver lets through
				}
			}
		}
	}
	files, err := Program(g.prog, Options{})
	if err == nil || files != nil {
		t.Fatalf("Program: %d files, err %v; want no file and an error", len(files), err)
	}
	for _, want := range []string{"the Go file of sample.xsd would not compile, nothing was written", "> ", "type Order Type struct"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
