package cli

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/gen"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/gen and testdata/corpus")

// TestBadInput runs each case of testdata/gen and compares what dmpgen
// prints on stderr with the case's stderr.txt. A case runs
// "dmpgen generate -config dmpgen.yaml" in its directory and expects exit
// status 1, unless its cmd.txt says otherwise, with lines such as
//
//	args: check -kit /nonexistent
//	env: DMPGEN_KIT=nothere
//	exit: 2
//
// go test ./internal/cli -run TestBadInput -update rewrites stderr.txt.
func TestBadInput(t *testing.T) {
	runGolden(t, "gen")
}

// runGolden runs each case (directory) of testdata/<set> as TestBadInput
// describes.
func runGolden(t *testing.T, set string) {
	root := filepath.Join(testenv.RepoRoot(), "testdata", set)
	cases, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		dir := filepath.Join(root, c.Name())
		t.Run(c.Name(), func(t *testing.T) {
			args, env, exit := readCmd(t, filepath.Join(dir, "cmd.txt"))
			t.Setenv("DMPGEN_KIT", "")
			for k, v := range env {
				t.Setenv(k, v)
			}
			t.Chdir(dir)
			var stdout, stderr bytes.Buffer
			code := Main(args, &stdout, &stderr)
			os.RemoveAll(filepath.Join(dir, "out"))
			if code != exit {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, exit, stderr.String())
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

// readCmd reads a case's cmd.txt; without one, the defaults.
func readCmd(t *testing.T, file string) (args []string, env map[string]string, exit int) {
	args, env, exit = []string{"generate", "-config", "dmpgen.yaml"}, map[string]string{}, ExitInput
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		key, val, _ := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		switch key {
		case "args":
			args = strings.Fields(val)
		case "env":
			k, v, _ := strings.Cut(val, "=")
			env[k] = v
		case "exit":
			if exit, err = strconv.Atoi(val); err != nil {
				t.Fatalf("%s:%d: %v", file, i+1, err)
			}
		default:
			t.Fatalf("%s:%d: want args:, env: or exit:", file, i+1)
		}
	}
	return
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

// copySample copies the sample (schemas, config, generated code) into a
// temporary directory and returns it.
func copySample(t *testing.T) string {
	t.Helper()
	src := filepath.Join(testenv.RepoRoot(), "examples", "sample")
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, r), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, r), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestCheckDiff makes the sample's generated code stale three ways (a
// changed line, a missing file, a file no longer generated), checks what
// check and check -diff print, that patch(1) applies the diff to give what
// generate writes, and what -v reports.
func TestCheckDiff(t *testing.T) {
	dir := copySample(t)
	t.Chdir(dir)
	t.Setenv("DMPGEN_KIT", "")
	sample := filepath.Join("gen", "order", "sample.go")
	orig, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(orig), "package order", "package order\n\n// edited by hand", 1)
	if err := os.WriteFile(sample, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join("gen", "common", "doc.go")); err != nil {
		t.Fatal(err)
	}
	stray := filepath.Join("gen", "order", "old.go")
	if err := os.WriteFile(stray, []byte(gen.Header+"\n\npackage order\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	if code := Main([]string{"check"}, &stdout, &stderr); code != ExitInput {
		t.Fatalf("check: exit %d\n%s", code, stderr.String())
	}
	wantList := "gen/common/doc.go: missing\ngen/order/old.go: no longer generated\ngen/order/sample.go: differs\n"
	if stdout.String() != wantList {
		t.Errorf("check stdout:\n%s\nwant:\n%s", stdout.String(), wantList)
	}
	wantLast := "dmpgen check: 3 generated file(s) differ from what dmpgen generate would write; run dmpgen generate to update them, or dmpgen check -diff to see the changes\n"
	if stderr.String() != wantLast {
		t.Errorf("check stderr:\n%s\nwant:\n%s", stderr.String(), wantLast)
	}

	stdout.Reset()
	stderr.Reset()
	if code := Main([]string{"check", "-diff"}, &stdout, &stderr); code != ExitInput {
		t.Fatalf("check -diff: exit %d\n%s", code, stderr.String())
	}
	d := stdout.String()
	for _, want := range []string{
		"--- /dev/null\n+++ b/gen/common/doc.go\n@@ -0,0 +1,",
		"--- a/gen/order/old.go\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-" + gen.Header + "\n-\n-package order\n",
		"--- a/gen/order/sample.go\n+++ b/gen/order/sample.go\n@@ -",
		"-// edited by hand\n",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("check -diff lacks %q:\n%s", want, d)
		}
	}
	if !strings.HasSuffix(stderr.String(), "; run dmpgen generate to update them\n") {
		t.Errorf("check -diff stderr: %s", stderr.String())
	}
	if p, err := exec.LookPath("patch"); err == nil || testenv.InCI() {
		if err != nil {
			t.Fatalf("patch(1) is required under CI=true: %v", err)
		}
		cmd := exec.Command(p, "-p1", "-s")
		cmd.Stdin = strings.NewReader(d)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch -p1: %v\n%s", err, out)
		}
		stdout.Reset()
		stderr.Reset()
		if code := Main([]string{"check"}, &stdout, &stderr); code != ExitOK {
			t.Fatalf("check after applying the diff: exit %d\n%s%s", code, stdout.String(), stderr.String())
		}
	} else {
		t.Log("patch(1) is not installed: the diff is not applied back; generate repairs the tree instead")
		if code := Main([]string{"generate"}, &stdout, &stderr); code != ExitOK {
			t.Fatalf("generate: exit %d\n%s", code, stderr.String())
		}
	}

	// Stale again, then generate -v repairs it and says what it did.
	if err := os.WriteFile(sample, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	if code := Main([]string{"generate", "-v"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("generate -v: exit %d\n%s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "dmpgen: target sample: 4 documents loaded, 3 packages, 6 files: 1 written, 5 unchanged, 0 deleted (") ||
		!strings.HasPrefix(lines[1], "dmpgen: stages, wall time summed over concurrent work: load ") ||
		!strings.Contains(lines[1], ", lower ") || !strings.Contains(lines[1], ", print ") || !strings.Contains(lines[1], ", layout ") ||
		!strings.Contains(lines[1], ", verify ") || !strings.Contains(lines[1], ", write ") ||
		!strings.HasPrefix(lines[2], "dmpgen: done in ") {
		t.Errorf("generate -v:\n%s", stderr.String())
	}
	stderr.Reset()
	if code := Main([]string{"check"}, &stdout, &stderr); code != ExitOK || stderr.Len() != 0 {
		t.Fatalf("check after generate: exit %d, stderr %q (quiet by default)", code, stderr.String())
	}
}

// TestKitLock: generate writes the kit lock (every file read, catalogs
// and imports included); check names the kit file that changed and points
// to dmpgen diff; generate brings the lock back in line.
func TestKitLock(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(testenv.RepoRoot(), "examples", "sample")
	for _, f := range []string{"sample.wsdl", "sample.xsd", "common.xsd", "xml.xsd"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := os.ReadFile(filepath.Join(src, "dmpgen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg = append(cfg, "lock:\n  out: spec/kit.lock\n  kitVersion: sample 1\n"...)
	if err := os.WriteFile(filepath.Join(dir, "dmpgen.yaml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"check"}, &stdout, &stderr); code != ExitInput || !strings.Contains(stdout.String(), "spec/kit.lock: missing") {
		t.Fatalf("check before generate: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if code := Main([]string{"generate"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("generate: exit %d\n%s", code, stderr.String())
	}
	got, err := os.ReadFile(filepath.Join(dir, "spec", "kit.lock"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nkit-version sample 1\n", "  common.xsd  sample\n", "  sample.wsdl  sample\n", "  sample.xsd  sample\n", "  xml.xsd  sample\n"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("lock lacks %q:\n%s", want, got)
		}
	}
	stdout.Reset()
	stderr.Reset()
	if code := Main([]string{"check"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("check after generate: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}

	// A documentation-only edit leaves the Go output as it was but the
	// kit is no longer the one the output came from.
	xsd := filepath.Join(dir, "common.xsd")
	b, err := os.ReadFile(xsd)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(xsd, append(b, "<!-- kit 2 -->\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := Main([]string{"check"}, &stdout, &stderr); code != ExitInput {
		t.Fatalf("check after a kit change: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	wantOut := "spec/kit.lock: kit file changed common.xsd (target sample)\n" +
		"spec/kit.lock: the kit changed since the output was generated: run dmpgen generate; to review the API change first, run dmpgen diff -old OLD.yaml -new dmpgen.yaml, where OLD.yaml is a copy of the config with kit: set to the previous kit\n"
	if stdout.String() != wantOut {
		t.Errorf("check stdout:\n%s\nwant:\n%s", stdout.String(), wantOut)
	}
	if !strings.Contains(stderr.String(), "1 generated file(s) differ") {
		t.Errorf("check stderr: %s", stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	if code := Main([]string{"generate"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("generate: exit %d\n%s", code, stderr.String())
	}
	if code := Main([]string{"check"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("check after regenerating: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}

// TestResourceRootCatalog: the catalog entry that the resourceroot case's
// error proposes, given with -catalog, makes the generation succeed.
func TestResourceRootCatalog(t *testing.T) {
	src := filepath.Join(testenv.RepoRoot(), "testdata", "gen", "resourceroot")
	dir := t.TempDir()
	for _, f := range []string{"dmpgen.yaml", "kit/wsdl/types.xsd", "kit/schema/common.xsd"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"generate"}, &stdout, &stderr); code != ExitInput {
		t.Fatalf("without the catalog: exit %d", code)
	}
	m := regexp.MustCompile(`<uriSuffix [^>]*/>`).FindString(stderr.String())
	placed := regexp.MustCompile(`in a catalog file placed in (\S+),`).FindStringSubmatch(stderr.String())
	if m == "" || placed == nil {
		t.Fatalf("no catalog entry proposed:\n%s", stderr.String())
	}
	cat := `<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">` + m + `</catalog>`
	if err := os.WriteFile(filepath.Join(placed[1], "rr-catalog.xml"), []byte(cat), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := Main([]string{"generate", "-catalog", filepath.Join(placed[1], "rr-catalog.xml")}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("with the proposed catalog: exit %d\n%s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err != nil {
		t.Fatalf("nothing generated: %v", err)
	}
}

// TestNothingWrittenOnError: when one target fails, the targets that
// generated are not written either.
func TestNothingWrittenOnError(t *testing.T) {
	dir := copySample(t)
	t.Chdir(dir)
	if err := os.RemoveAll("gen"); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile("dmpgen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg = append(cfg, "  - name: broken\n    out: gen2\n    module: example.com/gen2\n    inputs: [missing.xsd]\n"...)
	if err := os.WriteFile("dmpgen.yaml", cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"generate"}, &stdout, &stderr); code != ExitInput || !strings.Contains(stderr.String(), "missing.xsd does not exist") {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if _, err := os.Stat("gen"); !os.IsNotExist(err) {
		t.Fatalf("the sample target was written although another target failed (%v)", err)
	}
}

// TestFilesNeedNoKit: files named on the command line generate without a
// kit (a service other than the DMP's): the working directory is the root.
func TestFilesNeedNoKit(t *testing.T) {
	t.Setenv("DMPGEN_KIT", "")
	t.Chdir(t.TempDir())
	xsd := `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x" elementFormDefault="qualified">
  <xs:element name="Note"><xs:complexType><xs:sequence><xs:element name="Text" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>
`
	if err := os.WriteFile("note.xsd", []byte(xsd), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"generate", "-out", "out", "-module", "example.com/x/out", "note.xsd"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	files, _ := filepath.Glob(filepath.Join("out", "*", "*.go"))
	if len(files) == 0 {
		t.Error("nothing generated")
	}
}
