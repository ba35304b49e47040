package importrules

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

const module = "github.com/dmpgen/dmpgen"

// pkg is what go list reports of a package.
type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
	Deps       []string
}

// list runs go list -deps on patterns from the repository root.
func list(t *testing.T, patterns ...string) map[string]pkg {
	t.Helper()
	goBin := testenv.Tool(t, "go")
	cmd := exec.Command(goBin, append([]string{"list", "-deps", "-json=ImportPath,Dir,GoFiles,Imports,Deps"}, patterns...)...)
	cmd.Dir = testenv.RepoRoot()
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list %v: %v\n%s", patterns, err, ee.Stderr)
		}
		t.Fatalf("go list %v: %v", patterns, err)
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs[p.ImportPath] = p
		if strings.HasPrefix(p.ImportPath, module+"/") {
			// go test caches a result keyed on the files the test
			// opens or stats, not on what go list read: stat them.
			os.Stat(p.Dir)
			for _, f := range p.GoFiles {
				os.Stat(filepath.Join(p.Dir, f))
			}
		}
	}
	return pkgs
}

func under(path, dir string) bool {
	p := module + "/" + dir
	return path == p || strings.HasPrefix(path, p+"/")
}

// exceptions returns the violations of today, each with its reason; key
// "importer -> imported".
func exceptions() map[string]string {
	return map[string]string{
		// internal/ir positions its nodes with diag.Pos (file:line:col of the
		// schema); moving Pos into ir is a restructuring of its own.
		module + "/internal/ir -> " + module + "/internal/diag": "ir nodes carry diag.Pos",
		// xmldsigtest, a test helper package of runtime/xmldsig, finds xmlsec1
		// and node with testenv.Tool (skip, or fail under CI=true).
		module + "/runtime/xmldsig/xmldsigtest -> " + module + "/internal/testenv": "test helper package",
	}
}

// TestImportRules checks the rules of the package documentation.
func TestImportRules(t *testing.T) {
	pkgs := list(t, "./cmd/dmpgen", "./runtime/...", "./internal/gen", "./internal/ir")
	exc := exceptions()
	var violations []string
	add := func(from, to, rule string) {
		key := from + " -> " + to
		if _, ok := exc[key]; ok {
			violations = append(violations, key)
			return
		}
		t.Errorf("%s -> %s (imported directly or through a dependency): %s", from, to, rule)
	}
	for _, d := range pkgs[module+"/cmd/dmpgen"].Deps {
		if under(d, "generated") || under(d, "testdmp") || under(d, "examples") {
			add(module+"/cmd/dmpgen", d, "the generator must not depend on its output (nor on testdmp, which dmpgen testdmp runs as cmd/dmpgen-testdmp)")
		}
	}
	for path, p := range pkgs {
		switch {
		case under(path, "runtime"):
			for _, i := range p.Imports {
				if under(i, "internal") || under(i, "generated") {
					add(path, i, "runtime/ is imported by users and generated code: nothing from internal/ or generated/")
				}
			}
		case path == module+"/internal/gen":
			for _, d := range p.Deps {
				if under(d, "internal/xsd") || under(d, "internal/wsdl") {
					add(path, d, "emission works from the IR, not from the XSD/WSDL models")
				}
			}
		case path == module+"/internal/ir":
			for _, i := range p.Imports {
				if strings.HasPrefix(i, module+"/") {
					add(path, i, "the IR imports nothing else from the repository")
				}
			}
		}
	}
	sort.Strings(violations)
	for _, v := range violations {
		t.Logf("known violation: %s (%s)", v, exc[v])
	}
	for k := range exc {
		if !slices.Contains(violations, k) {
			t.Errorf("exception %q is no longer needed: remove it from the list", k)
		}
	}
}
