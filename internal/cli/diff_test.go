package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

// diffRules is what each constructed case of testdata/diff must report,
// as "class rule" pairs, old→new and new→old. Written by hand: the golden
// reports are regenerated with -update, these are not.
var diffRules = map[string]struct{ forward, reverse []string }{
	"fields": {
		forward: []string{
			"breaking attribute-added-required", "breaking attribute-became-required", "breaking attribute-removed",
			"breaking field-added-required", "breaking field-removed", "breaking max-occurs-crosses-one",
			"breaking max-occurs-lowered", "breaking min-occurs-raised", "breaking type-changed",
			"additive attribute-added-optional", "additive field-added-optional",
		},
		reverse: []string{
			"breaking attribute-became-optional", "breaking attribute-removed", "breaking field-removed",
			"breaking max-occurs-crosses-one", "breaking type-changed",
			"additive attribute-added-optional", "additive field-added-optional", "additive max-occurs-raised",
			"additive min-occurs-lowered",
		},
	},
	"facets": {
		forward: []string{
			"breaking enumeration-removed", "breaking facet-tightened", "breaking pattern-added",
			"breaking pattern-changed", "breaking whitespace-changed",
			"additive enumeration-added", "additive facet-loosened",
			"cosmetic enumeration-order-changed", "cosmetic facet-rewritten",
		},
		reverse: []string{
			"breaking enumeration-removed", "breaking facet-tightened", "breaking pattern-changed",
			"breaking whitespace-changed",
			"additive enumeration-added", "additive facet-loosened", "additive pattern-removed",
			"cosmetic enumeration-order-changed", "cosmetic facet-rewritten",
		},
	},
	"services": {
		forward: []string{
			"breaking action-changed", "breaking element-removed", "breaking endpoint-changed",
			"breaking message-element-changed", "breaking message-parts-changed", "breaking message-removed",
			"breaking operation-removed",
			"additive element-added", "additive fault-added",
			"cosmetic porttype-renamed", "documentation documentation-changed",
		},
		reverse: []string{
			"breaking action-changed", "breaking element-removed", "breaking endpoint-changed", "breaking fault-removed",
			"breaking message-element-changed", "breaking message-parts-changed",
			"additive element-added", "additive message-added", "additive operation-added",
			"cosmetic porttype-renamed", "documentation documentation-changed",
		},
	},
	"pins": {
		forward: []string{"breaking renamed-by-pin", "breaking namespace-changed", "additive target-added"},
		reverse: []string{"breaking renamed-by-pin", "breaking namespace-changed", "breaking target-removed"},
	},
	"namespace": {
		forward: []string{"breaking namespace-changed", "breaking package-changed"},
		reverse: []string{"breaking namespace-changed", "breaking package-changed"},
	},
	"structure": {
		forward: []string{
			"breaking base-changed", "breaking became-abstract", "breaking choice-tightened", "breaking default-changed",
			"breaking field-added-required", "breaking fixed-added", "breaking go-name-changed",
			"breaking group-kind-changed", "breaking kind-changed", "breaking member-order-changed",
			"breaking min-occurs-raised", "breaking nillable-removed", "breaking type-changed",
			"breaking whitespace-changed", "breaking wildcard-narrowed",
			"additive any-added-optional", "additive attribute-added-optional", "additive enumeration-added",
			"additive field-added-optional", "additive min-occurs-lowered", "additive type-added",
			"additive wildcard-loosened",
			"cosmetic attribute-order-changed", "cosmetic member-order-changed",
			"documentation documentation-changed",
		},
		reverse: []string{
			"breaking any-removed", "breaking attribute-removed", "breaking base-changed", "breaking default-changed",
			"breaking enumeration-removed", "breaking field-removed", "breaking go-name-changed",
			"breaking group-kind-changed", "breaking kind-changed", "breaking member-order-changed",
			"breaking min-occurs-raised", "breaking nillable-added", "breaking type-changed", "breaking type-removed",
			"breaking whitespace-changed", "breaking wildcard-tightened",
			"additive became-concrete", "additive choice-loosened", "additive fixed-removed",
			"additive min-occurs-lowered", "additive wildcard-widened",
			"cosmetic attribute-order-changed", "cosmetic member-order-changed",
			"documentation documentation-changed",
		},
	},
}

type jsonReport struct {
	Summary struct{ Breaking int }
	Changes []struct {
		Class, Rule   string
		Documentation bool
	}
}

// runDiffMain runs dmpgen diff and returns its output and exit status.
func runDiffMain(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(append([]string{"diff"}, args...), &stdout, &stderr)
	if code == DiffTrouble {
		t.Fatalf("dmpgen diff %v: exit %d\n%s", args, code, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
	return stdout.String(), code
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs; got:\n%s", path, got)
	}
}

// TestDiffCases compares each constructed pair of testdata/diff both ways
// with the golden reports, and checks the rules each direction reports.
func TestDiffCases(t *testing.T) {
	root := filepath.Join(testenv.RepoRoot(), "testdata", "diff")
	for name, want := range diffRules {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(root, name)
			t.Chdir(dir)
			old, cur := "old", "new"
			if _, err := os.Stat(filepath.Join(dir, "old", "dmpgen.yaml")); err == nil {
				old, cur = "old/dmpgen.yaml", "new/dmpgen.yaml"
			}
			for _, dirn := range []struct {
				a, b, golden string
				rules        []string
			}{{old, cur, "want.txt", want.forward}, {cur, old, "want-reverse.txt", want.reverse}} {
				text, code := runDiffMain(t, "-kit", ".", "-old", dirn.a, "-new", dirn.b)
				checkGolden(t, dirn.golden, text)
				js, jcode := runDiffMain(t, "-kit", ".", "-old", dirn.a, "-new", dirn.b, "-format", "json")
				var rep jsonReport
				if err := json.Unmarshal([]byte(js), &rep); err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, c := range rep.Changes {
					class := c.Class
					if c.Documentation {
						class = "documentation"
					}
					if s := class + " " + c.Rule; !slices.Contains(got, s) {
						got = append(got, s)
					}
				}
				sort.Strings(got)
				exp := append([]string(nil), dirn.rules...)
				sort.Strings(exp)
				if strings.Join(got, "\n") != strings.Join(exp, "\n") {
					t.Errorf("%s → %s: rules\n%s\nwant\n%s", dirn.a, dirn.b, strings.Join(got, "\n"), strings.Join(exp, "\n"))
				}
				wantCode := DiffOK
				if rep.Summary.Breaking > 0 {
					wantCode = DiffBreaking
				}
				if code != wantCode || jcode != wantCode {
					t.Errorf("%s → %s: exit %d (json %d), want %d", dirn.a, dirn.b, code, jcode, wantCode)
				}
				if _, code := runDiffMain(t, "-kit", ".", "-old", dirn.a, "-new", dirn.b, "-allow-breaking"); code != DiffOK {
					t.Errorf("-allow-breaking: exit %d", code)
				}
			}
			// A kit compared with itself reports nothing.
			for _, side := range []string{old, cur} {
				if text, code := runDiffMain(t, "-kit", ".", "-old", side, "-new", side); code != DiffOK || !strings.Contains(text, "\n0 breaking, 0 additive, 0 cosmetic, 0 documentation\n") || strings.Count(text, "\n") != 2 {
					t.Errorf("%s against itself: exit %d\n%s", side, code, text)
				}
			}
		})
	}
}

// TestDiffPatientsSpecific compares the legacy PatientsSpecific WSDL of the
// kit with the current one, in the three formats and backwards.
func TestDiffPatientsSpecific(t *testing.T) {
	kit := testenv.Kit(t)
	golden := filepath.Join(testenv.RepoRoot(), "testdata", "diff", "kit-patientsspecific")
	t.Chdir(kit)
	legacy := "dmp/annexe-wsdl-schema/wsdl-legacy/PatientsSpecific_v1.0.1_kit-2.06.01.wsdl"
	current := "dmp/annexe-wsdl-schema/wsdl/PatientsSpecific.wsdl"
	for _, tc := range []struct {
		old, new, format, file string
	}{
		{legacy, current, "text", "want.txt"},
		{legacy, current, "markdown", "want.md"},
		{legacy, current, "json", "want.json"},
		{current, legacy, "text", "want-reverse.txt"},
	} {
		out, code := runDiffMain(t, "-kit", ".", "-old", tc.old, "-new", tc.new, "-format", tc.format)
		if code != DiffBreaking {
			t.Errorf("%s → %s: exit %d, want %d", tc.old, tc.new, code, DiffBreaking)
		}
		checkGolden(t, filepath.Join(golden, tc.file), out)
	}
	// The acceptance criterion, independently of the golden files: the
	// three removed operations and their six messages are breaking.
	js, _ := runDiffMain(t, "-kit", ".", "-old", legacy, "-new", current, "-format", "json")
	var rep struct {
		Changes []struct{ Class, Rule, Kind, Path string }
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	var ops, msgs []string
	for _, c := range rep.Changes {
		switch {
		case c.Rule == "operation-removed" && c.Class == "breaking":
			ops = append(ops, c.Path[strings.LastIndex(c.Path, "/")+1:])
		case c.Rule == "message-removed" && c.Class == "breaking":
			msgs = append(msgs, c.Path[strings.LastIndex(c.Path, "}")+1:])
		}
	}
	if got := strings.Join(ops, " "); got != "createPatientAccess patientOTPUpdate updatePatientAccess" {
		t.Errorf("removed operations: %s", got)
	}
	if got := strings.Join(msgs, " "); got != "createPatientAccess createPatientAccessResponse patientOTPUpdate patientOTPUpdateResponse updatePatientAccess updatePatientAccessResponse" {
		t.Errorf("removed messages: %s", got)
	}
}

// TestDiffKitItself compares the repository's configuration with itself,
// then with a copy whose targets and inputs are in reverse order: both
// report nothing.
func TestDiffKitItself(t *testing.T) {
	kit := testenv.Kit(t)
	cfgPath := filepath.Join(testenv.RepoRoot(), "dmpgen.yaml")
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(cfg.Targets)
	for _, tg := range cfg.Targets {
		slices.Reverse(tg.Inputs)
	}
	data, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rev := filepath.Join(t.TempDir(), "dmpgen.yaml")
	if err := os.WriteFile(rev, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, other := range []string{cfgPath, rev} {
		text, code := runDiffMain(t, "-kit", kit, "-old", cfgPath, "-new", other)
		if code != DiffOK || strings.Count(text, "\n") != 2 {
			t.Errorf("%s against %s: exit %d\n%s", cfgPath, other, code, text)
		}
	}
}

func TestDiffUsage(t *testing.T) {
	dir := filepath.Join(testenv.RepoRoot(), "testdata", "diff", "pins")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"diff"}, "usage:"},
		{[]string{"diff", "-old", "x"}, "usage:"},
		{[]string{"diff", "-old", dir, "-new", dir, "-format", "html"}, `-format "html"`},
		{[]string{"diff", "-old", filepath.Join(dir, "nope"), "-new", dir}, "no such file"},
		{[]string{"diff", "-old", filepath.Join(dir, "old"), "-new", dir}, "no .wsdl or .xsd file"},
		{[]string{"diff", "-kit", dir, "-old", filepath.Join(dir, "old", "shop.xsd"), "-new", filepath.Join(dir, "new", "dmpgen.yaml")}, "needs -target"},
		{[]string{"diff", "-kit", dir, "-target", "nope", "-old", filepath.Join(dir, "old", "dmpgen.yaml"), "-new", filepath.Join(dir, "new", "dmpgen.yaml")}, `no target "nope"`},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(tc.args, &stdout, &stderr); code != DiffTrouble || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr.String(), DiffTrouble, tc.want)
		}
	}
	// A config reduced to one target compares with a file of that target.
	var stdout, stderr bytes.Buffer
	code := Main([]string{"diff", "-kit", dir, "-target", "shop", "-old", filepath.Join(dir, "old", "shop.xsd"), "-new", filepath.Join(dir, "new", "dmpgen.yaml")}, &stdout, &stderr)
	if code != DiffBreaking || !strings.Contains(stdout.String(), "[shop] field {urn:example:shop}Thing/title") {
		t.Errorf("config against file: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}

// TestDiffVerbose checks -v: one line per target loaded on each side, then
// the total, on stderr; the report on stdout is unchanged.
func TestDiffVerbose(t *testing.T) {
	dir := filepath.Join(testenv.RepoRoot(), "testdata", "diff", "fields")
	var quiet, stdout, stderr bytes.Buffer
	code := Main([]string{"diff", "-old", filepath.Join(dir, "old"), "-new", filepath.Join(dir, "new")}, &quiet, &stderr)
	if stderr.Len() != 0 {
		t.Fatalf("diff without -v wrote on stderr: %s", stderr.String())
	}
	code2 := Main([]string{"diff", "-v", "-old", filepath.Join(dir, "old"), "-new", filepath.Join(dir, "new")}, &stdout, &stderr)
	if code != code2 || stdout.String() != quiet.String() {
		t.Fatalf("-v changed the result: exit %d vs %d", code, code2)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "dmpgen diff: old: target (files) loaded (") ||
		!strings.HasPrefix(lines[1], "dmpgen diff: new: target (files) loaded (") || !strings.Contains(lines[2], " changes in ") {
		t.Fatalf("-v stderr:\n%s", stderr.String())
	}
}
