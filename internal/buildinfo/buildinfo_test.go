package buildinfo

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

func TestModulePath(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(string(b), "\n"); first != "module "+Module {
		t.Fatalf("go.mod starts with %q, want module %s", first, Module)
	}
}

func TestFrom(t *testing.T) {
	dep := func(v string, r *debug.Module) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "example.com/vendor", Version: "(devel)"},
			Deps: []*debug.Module{{Path: "golang.org/x/text", Version: "v0.1.0"}, {Path: Module, Version: v, Sum: "h1:x", Replace: r}}}
	}
	for _, tc := range []struct {
		name           string
		bi             *debug.BuildInfo
		version, rel   string
		main, revision string
		replace        string
	}{
		{"main module, go run", &debug.BuildInfo{Main: debug.Module{Path: Module, Version: "(devel)"}}, "(devel)", "", "", "", ""},
		{"main module, go build in a checkout", &debug.BuildInfo{Main: debug.Module{Path: Module, Version: "v0.3.1-0.20261207063000-abcdef123456+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abcdef123456"}, {Key: "vcs.modified", Value: "true"}}},
			"v0.3.1-0.20261207063000-abcdef123456+dirty", "", "", "abcdef123456", ""},
		{"main module, go install @v1.2.0", &debug.BuildInfo{Main: debug.Module{Path: Module, Version: "v1.2.0"}}, "v1.2.0", "v1.2.0", "", "", ""},
		{"dependency, released", dep("v1.2.3", nil), "v1.2.3", "v1.2.3", "example.com/vendor", "", ""},
		{"dependency, pre-release", dep("v1.3.0-rc.1", nil), "v1.3.0-rc.1", "v1.3.0-rc.1", "example.com/vendor", "", ""},
		{"dependency, pseudo-version", dep("v0.0.0-20261207063000-abcdef123456", nil), "v0.0.0-20261207063000-abcdef123456", "", "example.com/vendor", "", ""},
		{"pseudo-version after a tag", dep("v1.2.4-0.20261207063000-abcdef123456", nil), "v1.2.4-0.20261207063000-abcdef123456", "", "example.com/vendor", "", ""},
		{"replaced by a directory", dep("v1.2.3", &debug.Module{Path: "../dmpgen"}), "v1.2.3", "", "example.com/vendor", "", "../dmpgen"},
		{"replaced by another version", dep("v1.2.3", &debug.Module{Path: Module, Version: "v1.2.5", Sum: "h1:y"}), "v1.2.5", "v1.2.5", "example.com/vendor", "", Module + " v1.2.5"},
		{"replaced by a fork", dep("v1.2.3", &debug.Module{Path: "example.com/fork", Version: "v1.2.3"}), "v1.2.3", "", "example.com/vendor", "", "example.com/fork v1.2.3"},
		// What go version -m shows for go tool dmpgen in a vendor module:
		// the main package's module is dmpgen, at the required version.
		{"go tool dmpgen, released", &debug.BuildInfo{Main: debug.Module{Path: Module, Version: "v1.2.3", Sum: "h1:x"}}, "v1.2.3", "v1.2.3", "", "", ""},
		{"go tool dmpgen, replaced by a directory", &debug.BuildInfo{Main: debug.Module{Path: Module, Version: "v0.9.0",
			Replace: &debug.Module{Path: "../dmpgen", Version: "(devel)"}}}, "v0.9.0", "", "", "", "../dmpgen"},
		{"not in the binary", &debug.BuildInfo{Main: debug.Module{Path: "example.com/other"}}, "", "", "example.com/other", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := From(tc.bi)
			if i.Version != tc.version || i.Released() != tc.rel || i.Main != tc.main || i.Revision != tc.revision || i.Replace != tc.replace {
				t.Fatalf("got version %q released %q main %q revision %q replace %q\nwant %q %q %q %q %q",
					i.Version, i.Released(), i.Main, i.Revision, i.Replace, tc.version, tc.rel, tc.main, tc.revision, tc.replace)
			}
		})
	}
}

func TestString(t *testing.T) {
	i := From(&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "example.com/vendor"},
		Deps: []*debug.Module{{Path: Module, Version: "v1.2.3", Sum: "h1:abc"}}})
	want := "dmpgen v1.2.3\nmodule: github.com/dmpgen/dmpgen (a dependency of example.com/vendor)\nsum: h1:abc\n" +
		"generated headers: // dmpgen v1.2.3\ngo: go1.26.0\n"
	if got := i.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
