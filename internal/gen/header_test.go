package gen

import (
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
)

func TestRuntimeVersion(t *testing.T) {
	if RuntimeVersion != xmlbind.GenVersion {
		t.Fatalf("the generator writes version %d, runtime/xmlbind.GenVersion is %d: change both together", RuntimeVersion, xmlbind.GenVersion)
	}
}

func TestHeaderVersion(t *testing.T) {
	for _, tc := range []struct{ version, line string }{
		{"v1.2.3", "// dmpgen v1.2.3\n"},
		{"v1.3.0-rc.1", "// dmpgen v1.3.0-rc.1\n"},
		{"", ""},
		{"(devel)", ""},
		{"v0.0.0-20261207063000-abcdef123456", ""},
		{"v1.2.4-0.20261207063000-abcdef123456", ""},
		{"v1.2.4-rc.1.0.20261207063000-abcdef123456", ""},
		{"v1.2.3+dirty", ""},
		{"v0.3.1-0.20261207063000-abcdef123456+dirty", ""},
		{"1.2.3", ""},
		{"v1.2.3\n// injected", ""},
	} {
		want := Header + "\n" + tc.line + "// source: a.xsd\n"
		if got := header(tc.version, "a.xsd"); got != want {
			t.Errorf("header(%q):\n%s\nwant:\n%s", tc.version, got, want)
		}
	}
}

// TestProgramVersion checks that Options.Version reaches every file and
// changes nothing else.
func TestProgramVersion(t *testing.T) {
	p := &ir.Program{Packages: []*ir.Package{{ImportPath: "example.com/x/p", Name: "p", Dir: "p", Namespaces: []string{"urn:p"}}}}
	plain, err := Program(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	stamped, err := Program(p, Options{Version: "v1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) == 0 || len(plain) != len(stamped) {
		t.Fatalf("%d vs %d files", len(plain), len(stamped))
	}
	for path, src := range plain {
		want := strings.Replace(string(src), Header+"\n", Header+"\n// dmpgen v1.2.3\n", 1)
		if string(stamped[path]) != want {
			t.Errorf("%s:\n%s\nwant:\n%s", path, stamped[path], want)
		}
	}
}
