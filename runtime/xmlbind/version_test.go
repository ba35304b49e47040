package xmlbind

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"testing"
)

// TestEnforceVersion type-checks the guard that generated code declares,
// against the declarations of version.go as they are, for generated-code
// versions inside and outside the supported window.
func TestEnforceVersion(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "version.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	runtime, err := (&types.Config{}).Check("github.com/dmpgen/dmpgen/runtime/xmlbind", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if GenVersion != MaxVersion || MinVersion > GenVersion || MinVersion < 1 {
		t.Fatalf("window [%d, %d], GenVersion %d", MinVersion, MaxVersion, GenVersion)
	}
	check := func(v int) error {
		src := "package gen\n\nimport \"github.com/dmpgen/dmpgen/runtime/xmlbind\"\n\nconst (\n" +
			"\t_ = xmlbind.EnforceVersion(" + strconv.Itoa(v) + " - xmlbind.MinVersion)\n" +
			"\t_ = xmlbind.EnforceVersion(xmlbind.MaxVersion - " + strconv.Itoa(v) + ")\n)\n"
		g, err := parser.ParseFile(fset, "doc.go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		conf := types.Config{Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == runtime.Path() {
				return runtime, nil
			}
			return importer.Default().Import(path)
		})}
		_, err = conf.Check("example.com/gen", fset, []*ast.File{g}, nil)
		return err
	}
	for _, tc := range []struct {
		name string
		v    int
		ok   bool
	}{
		{"current", GenVersion, true},
		{"oldest supported", MinVersion, true},
		{"too old", MinVersion - 1, false},
		{"too new (needs a newer runtime)", MaxVersion + 1, false},
	} {
		err := check(tc.v)
		switch {
		case tc.ok && err != nil:
			t.Errorf("%s (version %d): %v", tc.name, tc.v, err)
		case !tc.ok && (err == nil || !strings.Contains(err.Error(), "overflows")):
			t.Errorf("%s (version %d): compiles (%v), want a constant overflow", tc.name, tc.v, err)
		case !tc.ok:
			t.Logf("%s (version %d): %v", tc.name, tc.v, err)
		}
	}
	if !SupportPackageIsVersion1 {
		t.Error("code generated before the window refers to SupportPackageIsVersion1 (version 1, still supported)")
	}
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
