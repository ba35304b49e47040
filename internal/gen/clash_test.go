package gen

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

// TestCasesTypeCheck type-checks what dmpgen generates for each case of
// testdata/gen that succeeds (cmd.txt "exit: 0"): schemas whose names clash
// with what the emitter declares must give code that compiles. (The cases
// that fail are checked by internal/cli's TestBadInput against stderr.txt.)
func TestCasesTypeCheck(t *testing.T) {
	root := filepath.Join(testenv.RepoRoot(), "testdata", "gen")
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
		if err != nil || !strings.Contains(string(cmd), "exit: 0") || strings.Contains(string(cmd), "args:") {
			continue
		}
		n++
		t.Run(c.Name(), func(t *testing.T) {
			for _, g := range generateConfig(t, filepath.Join(dir, "dmpgen.yaml")) {
				imp := &genImporter{fset: fset, module: g.target.Module, files: g.files, done: map[string]*types.Package{}, runtime: runtime, srcDir: testenv.RepoRoot()}
				for _, p := range g.prog.Packages {
					if _, err := imp.Import(p.ImportPath); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no case of testdata/gen generates successfully")
	}
}

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
