package cli

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/gen")

// TestBadInput runs each case of testdata/gen and compares what dmpgen
// prints with the case's stderr.txt (exit status 1, positioned messages).
func TestBadInput(t *testing.T) {
	root := filepath.Join(testenv.RepoRoot(), "testdata", "gen")
	cases, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		dir := filepath.Join(root, c.Name())
		t.Run(c.Name(), func(t *testing.T) {
			t.Chdir(dir)
			var stdout, stderr bytes.Buffer
			code := Main([]string{"generate", "-config", "dmpgen.yaml"}, &stdout, &stderr)
			os.RemoveAll(filepath.Join(dir, "out"))
			if code != ExitInput {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitInput, stderr.String())
			}
			golden := filepath.Join(dir, "stderr.txt")
			if *update {
				if err := os.WriteFile(golden, stderr.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if stderr.String() != string(want) {
				t.Fatalf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
			}
		})
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, ExitUsage, "usage:"},
		{[]string{"frobnicate"}, ExitUsage, `unknown command "frobnicate"`},
		{[]string{"generate", "-nope"}, ExitUsage, "flag provided but not defined"},
		{[]string{"generate", "-out", "x", "-config", "c.yaml", "a.xsd"}, ExitUsage, "give either -config or -out"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr.String(), tc.code, tc.want)
		}
	}
}

// TestSampleFresh checks that examples/sample/gen is what generate writes.
func TestSampleFresh(t *testing.T) {
	t.Chdir(testenv.RepoRoot())
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"check", "-config", "examples/sample/dmpgen.yaml"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}

// TestKitDeterministic generates every target of the repository's config
// twice, the second time with the inputs in reverse order, and compares.
func TestKitDeterministic(t *testing.T) {
	kit := testenv.Kit(t)
	cfg, err := config.Load(filepath.Join(testenv.RepoRoot(), "dmpgen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range cfg.Targets {
		a, errs := Generate(cfg, tg, kit)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", tg.Name, errs)
		}
		rev := *tg
		rev.Inputs = append([]string(nil), tg.Inputs...)
		sort.Sort(sort.Reverse(sort.StringSlice(rev.Inputs)))
		b, errs := Generate(cfg, &rev, kit)
		if len(errs) > 0 {
			t.Fatalf("%s reversed: %v", tg.Name, errs)
		}
		if len(a) != len(b) {
			t.Fatalf("%s: %d vs %d files", tg.Name, len(a), len(b))
		}
		for p, src := range a {
			if !bytes.Equal(src, b[p]) {
				t.Errorf("%s: %s differs when the inputs are reordered", tg.Name, p)
			}
		}
	}
}

// TestEndToEnd generates the sample into a fresh module in a temporary
// directory, builds a program against it and runs it on the sample order.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	root := testenv.RepoRoot()
	dir := t.TempDir()
	sample := filepath.Join(root, "examples", "sample")
	var stdout, stderr bytes.Buffer
	code := Main([]string{"generate", "-kit", sample, "-out", filepath.Join(dir, "gen"), "-module", "e2e.test/gen", filepath.Join(sample, "sample.wsdl")}, &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("generate: exit %d\n%s", code, stderr.String())
	}
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module e2e.test\n\ngo 1.26\n\nrequire github.com/dmpgen/dmpgen v0.0.0\n\nreplace github.com/dmpgen/dmpgen => "+root+"\n")
	write("main.go", `package main

import (
	"fmt"
	"os"

	"e2e.test/gen/sample1"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var o sample1.OrderType
	name, err := xmltext.Unmarshal(data, &o, xmltext.Options{})
	if err != nil {
		fmt.Println("decode:", err)
		os.Exit(1)
	}
	fmt.Println(name.Local, len(o.Item), "items", *o.Priority)
	*o.Priority = "later"
	fmt.Println(o.Validate())
}
`)
	gosum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
	write("go.sum", string(gosum))
	cmd := exec.Command("go", "run", ".", filepath.Join(sample, "order.xml"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	got := string(out)
	for _, want := range []string{"Order 3 items urgent", `enumeration: "later" is not a value of PriorityType`} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
