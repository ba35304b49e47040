package render_test

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/load"
	"github.com/dmpgen/dmpgen/internal/render"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/textdiff"
)

// repoTargets loads and lowers every target of the repository's dmpgen.yaml.
func repoTargets(t *testing.T) (*config.Config, []render.Target) {
	t.Helper()
	kit := testenv.Kit(t)
	cfg, err := config.Load(filepath.Join(testenv.RepoRoot(), "dmpgen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []render.Target
	for _, tg := range cfg.Targets {
		res, errs := load.Target(load.Input{Kit: kit, KitFrom: "-kit", Catalogs: load.Catalogs(cfg, kit), Target: tg})
		if len(errs) > 0 {
			t.Fatalf("target %s: %v", tg.Name, errs)
		}
		out = append(out, render.Target{Name: tg.Name, Inputs: tg.Inputs, Program: res.Program})
	}
	return cfg, out
}

// checkTemplates type-checks templates/dmp/xdsrim then templates/dmp
// (which imports the former), the other imports from export data.
func checkTemplates(t *testing.T) []render.TemplatePackage {
	t.Helper()
	root := filepath.Join(testenv.RepoRoot(), "templates")
	fset := token.NewFileSet()
	dirs := []string{"dmp/xdsrim", "dmp"}
	parsed := map[string]map[string]*ast.File{}
	imports := map[string]bool{}
	for _, d := range dirs {
		parsed[d] = map[string]*ast.File{}
		names, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(d), "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			f, err := parser.ParseFile(fset, n, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			parsed[d][filepath.Base(n)] = f
			for _, s := range f.Imports {
				p, _ := strconv.Unquote(s.Path.Value)
				if !strings.HasPrefix(p, render.TemplatePath) {
					imports[p] = true
				}
			}
		}
	}
	exports := exportData(t, imports)
	gc := importer.ForCompiler(fset, "gc", func(p string) (io.ReadCloser, error) {
		f, ok := exports[p]
		if !ok {
			return nil, os.ErrNotExist
		}
		return os.Open(f)
	})
	checked := map[string]*types.Package{}
	imp := importerFunc(func(p string) (*types.Package, error) {
		if rel, ok := strings.CutPrefix(p, render.TemplatePath+"/"); ok && checked["dmp/"+rel] != nil {
			return checked["dmp/"+rel], nil
		}
		return gc.Import(p)
	})
	var out []render.TemplatePackage
	for _, d := range dirs {
		var files []*ast.File
		for _, n := range sortedNames(parsed[d]) {
			files = append(files, parsed[d][n])
		}
		info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
		conf := types.Config{Importer: imp}
		p, err := conf.Check(path.Join(render.TemplatePath, strings.TrimPrefix(d, "dmp")), fset, files, info)
		if err != nil {
			t.Fatalf("type-checking templates/%s: %v", d, err)
		}
		checked[d] = p
		out = append(out, render.TemplatePackage{Dir: d, Fset: fset, Files: parsed[d], Info: info})
	}
	return out
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(p string) (*types.Package, error) { return f(p) }

// exportData returns the export data file of each package imported, and
// of their dependencies, built by go list -export.
func exportData(t *testing.T, imports map[string]bool) map[string]string {
	t.Helper()
	args := []string{"list", "-export", "-deps", "-json=ImportPath,Export"}
	for p := range imports {
		args = append(args, p)
	}
	sort.Strings(args[4:])
	cmd := exec.Command("go", args...)
	cmd.Dir = testenv.RepoRoot()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -export: %v\n%s", err, stderr.Bytes())
	}
	exports := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct{ ImportPath, Export string }
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		exports[p.ImportPath] = p.Export
	}
	return exports
}

func sortedNames(m map[string]*ast.File) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestManifestFresh recomputes templates/manifest.json from the templates
// and the kit; DMPGEN_UPDATE=1 rewrites it.
func TestManifestFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the export data of the generated packages")
	}
	_, targets := repoTargets(t)
	m, err := render.BuildManifest(checkTemplates(t), targets)
	if err != nil {
		t.Fatal(err)
	}
	got := m.Marshal()
	file := filepath.Join(testenv.RepoRoot(), "templates", "manifest.json")
	if os.Getenv("DMPGEN_UPDATE") == "1" {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("templates/manifest.json is stale: run DMPGEN_UPDATE=1 go test -run TestManifestFresh ./internal/render\n%s",
			textdiff.Unified("templates/manifest.json", "computed", want, got))
	}
	for _, u := range m.Uses {
		if u.Component == "" && u.Package != render.ValueSetsPath && !generic(u.Ident) {
			t.Errorf("%s.%s: no XML component, and not a known part of the generated API", path.Base(u.Package), u.Ident)
		}
	}
}

// generic reports whether a generated identifier is part of the API every
// generated package or type has, which no schema component names.
func generic(ident string) bool {
	last := ident[strings.LastIndex(ident, ".")+1:]
	switch last {
	case "Prefixes", "NewElement", "Validate", "ValidateXSD", "MarshalXMLText", "UnmarshalXMLText",
		"Value", "XSINil", "XSIType", "Unknown", "Content", "Derived", "Text", "Nodes", "AnyAttrs":
		return true
	}
	return !strings.Contains(ident, ".") && strings.HasSuffix(last, "Name")
}

// TestRenderKitChangeOnTheKit removes one element that TD3.1 uses from the
// lowered kit, as a new kit would, and checks the error.
func TestRenderKitChangeOnTheKit(t *testing.T) {
	cfg, targets := repoTargets(t)
	removed := false
	for _, tg := range targets {
		for _, p := range tg.Program.Packages {
			for _, f := range p.Files {
				for _, ty := range f.Types {
					if p.ImportPath == render.GeneratedPrefix+"xds/query" && ty.Name == "AdhocQueryRequest" {
						for i, m := range ty.Content {
							if m.Name == "ResponseOption" {
								ty.Content = append(ty.Content[:i], ty.Content[i+1:]...)
								removed = true
								break
							}
						}
					}
				}
			}
		}
	}
	if !removed {
		t.Fatal("query.AdhocQueryRequest.ResponseOption not found in the lowered kit")
	}
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "templates", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := render.ParseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	files, errs := render.Render(render.Input{
		Templates: os.DirFS(filepath.Join(testenv.RepoRoot(), "templates")), Manifest: m,
		Out: filepath.Join(cfg.Dir(), "dmp"), ImportPath: "github.com/dmpgen/dmpgen/dmp",
		ValueSets: render.ValueSetsPath, Targets: targets, Pos: cfg.PosOf("api"),
	})
	if files != nil {
		t.Error("files rendered despite the error")
	}
	// Two uses: the request built by storedQuery, and xdsrim.Query that
	// reads it back for the request rules.
	want := []string{
		filepath.Join(cfg.Dir(), "dmp", "xds.go") + ": Client.storedQuery (via Client.FindDocuments (TD3.1), Client.GetDocuments (TD3.1)) uses query.AdhocQueryRequest.ResponseOption (element {urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0}AdhocQueryRequest/ResponseOption), which the kit no longer defines; compare kits with dmpgen diff",
		filepath.Join(cfg.Dir(), "dmp", "xdsrim", "request.go") + ": Query (via Client.FindDocuments (TD3.1), Client.GetDocuments (TD3.1)) uses query.AdhocQueryRequest.ResponseOption (element {urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0}AdhocQueryRequest/ResponseOption), which the kit no longer defines; compare kits with dmpgen diff",
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRepositoryRendering checks that dmp/ is the rendering of the
// templates for this repository's configuration (what dmpgen check does in
// CI), and that the rendered files are those of the templates, one for one.
func TestRepositoryRendering(t *testing.T) {
	cfg, targets := repoTargets(t)
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "templates", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := render.ParseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(cfg.Dir(), filepath.FromSlash(cfg.API.Out))
	files, errs := render.Render(render.Input{
		Templates: os.DirFS(filepath.Join(testenv.RepoRoot(), "templates")), Manifest: m,
		Out: out, ImportPath: "github.com/dmpgen/dmpgen/dmp", ValueSets: render.ValueSetsPath, Targets: targets,
	})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tpls, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(), "templates", "dmp", "*.go"))
	sub, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(), "templates", "dmp", "xdsrim", "*.go"))
	if len(files) != len(tpls)+len(sub) || len(files) == 0 {
		t.Errorf("%d files rendered from %d templates", len(files), len(tpls)+len(sub))
	}
	for p, b := range files {
		cur, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil || !bytes.Equal(cur, b) {
			t.Errorf("dmp/%s is not the rendering of templates/dmp/%s: run dmpgen generate", p, p)
		}
	}
}
