package diff

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

// TestPropRuleBothWays checks the class of each property change old→new
// and new→old.
func TestPropRuleBothWays(t *testing.T) {
	for _, tc := range []struct {
		kind         Kind
		prop, a, b   string
		ab, ba       Class
		ruleA, ruleB string
	}{
		{KindField, "minOccurs", "0", "1", Breaking, Additive, "min-occurs-raised", "min-occurs-lowered"},
		{KindField, "maxOccurs", "1", "unbounded", Breaking, Breaking, "max-occurs-crosses-one", "max-occurs-crosses-one"},
		{KindField, "maxOccurs", "3", "unbounded", Additive, Breaking, "max-occurs-raised", "max-occurs-lowered"},
		{KindAttribute, "use", "optional", "required", Breaking, Breaking, "attribute-became-required", "attribute-became-optional"},
		{KindField, "nillable", "no", "yes", Additive, Breaking, "nillable-added", "nillable-removed"},
		{KindField, "fixed", "", `"x"`, Breaking, Additive, "fixed-added", "fixed-removed"},
		{KindField, "default", `"a"`, `"b"`, Breaking, Breaking, "default-changed", "default-changed"},
		{KindType, "pattern", "", "[0-9]+", Breaking, Additive, "pattern-added", "pattern-removed"},
		{KindType, "maxLength", "10", "20", Additive, Breaking, "facet-loosened", "facet-tightened"},
		{KindType, "minLength", "1", "2", Breaking, Additive, "facet-tightened", "facet-loosened"},
		{KindType, "minInclusive", `"-1.5"`, `"0"`, Breaking, Additive, "facet-tightened", "facet-loosened"},
		{KindType, "maxExclusive", `"2020-01-01"`, `"2021-01-01"`, Breaking, Breaking, "facet-tightened", "facet-tightened"}, // not a number: any change
		{KindType, "maxInclusive", `"100"`, `"100.00"`, Cosmetic, Cosmetic, "facet-rewritten", "facet-rewritten"},
		{KindType, "totalDigits", "5", "", Additive, Breaking, "facet-loosened", "facet-tightened"},
		{KindType, "item maxLength", "5", "6", Additive, Breaking, "facet-loosened", "facet-tightened"},
		{KindAny, "namespaces", "urn:a", "urn:a urn:b", Additive, Breaking, "wildcard-widened", "wildcard-narrowed"},
		{KindAny, "namespaces", "##other (not urn:a)", "##any", Additive, Breaking, "wildcard-widened", "wildcard-narrowed"},
		{KindAny, "processContents", "strict", "skip", Additive, Breaking, "wildcard-loosened", "wildcard-tightened"},
		{KindField, "choice", "", "required choice", Breaking, Additive, "choice-tightened", "choice-loosened"},
		{KindType, "abstract", "no", "yes", Breaking, Additive, "became-abstract", "became-concrete"},
		{KindOperation, "faults", "A=element x", "A=element x, B=element y", Additive, Breaking, "fault-added", "fault-removed"},
		{KindService, "portType", "{u}A", "{u}B", Cosmetic, Cosmetic, "porttype-renamed", "porttype-renamed"},
		{KindNamespace, "prefix", "a", "b", Cosmetic, Cosmetic, "prefix-changed", "prefix-changed"},
		{KindOperation, "mtomRequest", "no", "yes", Breaking, Breaking, "mtom-changed", "mtom-changed"},
		{KindService, "soap", "1.1", "1.2", Breaking, Breaking, "soap-version-changed", "soap-version-changed"},
		{KindOperation, "endpoint", "", "https://x", Breaking, Breaking, "endpoint-changed", "endpoint-changed"},
		{KindOperation, "responseAction", "urn:a", "urn:b", Breaking, Breaking, "action-changed", "action-changed"},
		{KindElement, "substitutionGroup", "", "element {u}h", Breaking, Breaking, "substitution-group-changed", "substitution-group-changed"},
		{KindType, "mixed", "", "text", Breaking, Breaking, "content-model-changed", "content-model-changed"},
		{KindType, "value type", "xs:int", "xs:long", Breaking, Breaking, "type-changed", "type-changed"},
		{KindNamespace, "package", "a/x", "a/y", Breaking, Breaking, "package-changed", "package-changed"},
		{KindType, "frobnication", "a", "b", Breaking, Breaking, "changed", "changed"},
	} {
		ab, ba := propRule(tc.kind, tc.prop, tc.a, tc.b), propRule(tc.kind, tc.prop, tc.b, tc.a)
		if ab.class != tc.ab || ab.rule != tc.ruleA || ba.class != tc.ba || ba.rule != tc.ruleB {
			t.Errorf("%s %s %q↔%q: got %v %s / %v %s, want %v %s / %v %s", tc.kind, tc.prop, tc.a, tc.b,
				ab.class, ab.rule, ba.class, ba.rule, tc.ab, tc.ruleA, tc.ba, tc.ruleB)
		}
	}
}

// TestAddedRemovedBothWays checks that what one direction adds, the other
// removes, with the classes of the rules.
func TestAddedRemovedBothWays(t *testing.T) {
	for _, tc := range []struct {
		kind  Kind
		props map[string]string
		added Class
	}{
		{KindField, map[string]string{"minOccurs": "1"}, Breaking},
		{KindField, map[string]string{"minOccurs": "0"}, Additive},
		{KindField, map[string]string{"minOccurs": "0", "choice": "required choice"}, Additive},
		{KindGroup, map[string]string{"minOccurs": "2"}, Breaking},
		{KindAttribute, map[string]string{"use": "required"}, Breaking},
		{KindAttribute, map[string]string{"use": "optional"}, Additive},
		{KindEnum, nil, Additive},
		{KindOperation, nil, Additive},
		{KindType, nil, Additive},
	} {
		n := &Node{Path: []Seg{{KindType, nameOf("T")}, {tc.kind, nameOf("x")}}, Props: tc.props}
		if v := addedRule(n); v.class != tc.added {
			t.Errorf("%s %v added: %v (%s), want %v", tc.kind, tc.props, v.class, v.rule, tc.added)
		}
		if v := removedRule(tc.kind); v.class != Breaking {
			t.Errorf("%s removed: %v, want breaking", tc.kind, v.class)
		}
	}
}

// caseInput loads one side of a constructed case of testdata/diff.
func caseInput(t *testing.T, dir string, reverse bool) Input {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.wsdl"))
	if len(files) == 0 {
		files, _ = filepath.Glob(filepath.Join(dir, "*.xsd"))
	}
	if len(files) == 0 {
		t.Fatalf("%s: no input", dir)
	}
	if reverse {
		slices.Reverse(files)
	}
	return Input{Kit: dir, Root: filepath.Dir(dir), Target: &config.Target{Name: "t", Module: "example.com/gen", Inputs: files}}
}

func cases(t *testing.T) []string {
	root := filepath.Join(testenv.RepoRoot(), "testdata", "diff")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(root, e.Name(), "old")); err == nil {
			out = append(out, filepath.Join(root, e.Name()))
		}
	}
	if len(out) < 5 {
		t.Fatalf("only %d cases in %s", len(out), root)
	}
	return out
}

func mustLoad(t *testing.T, in Input) *Model {
	t.Helper()
	m, errs := Load(in)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return m
}

// TestSymmetry loads every constructed case and checks that a kit compared
// with itself, or with its inputs in another order, reports nothing, and
// that each direction adds what the other removes.
func TestSymmetry(t *testing.T) {
	for _, dir := range cases(t) {
		old := mustLoad(t, caseInput(t, filepath.Join(dir, "old"), false))
		cur := mustLoad(t, caseInput(t, filepath.Join(dir, "new"), false))
		rev := mustLoad(t, caseInput(t, filepath.Join(dir, "new"), true))
		for _, same := range [][2]*Model{{old, old}, {cur, cur}, {cur, rev}, {rev, cur}} {
			if cs := Compare("t", same[0], same[1]); len(cs) > 0 {
				t.Errorf("%s: a kit differs from itself: %s %s", dir, cs[0].Path, cs[0].What())
			}
		}
		fwd, back := Compare("t", old, cur), Compare("t", cur, old)
		if len(fwd) == 0 {
			t.Errorf("%s: no change found", dir)
		}
		if a, b := summarize(fwd, false), summarize(back, true); a != b {
			t.Errorf("%s: forward and backward differ:\n%s\n---\n%s", dir, a, b)
		}
	}
}

// summarize lists changes as direction-free facts: what is only on one
// side, and which aspect of what changed (with old and new swapped when
// flip is set).
func summarize(cs []*Change, flip bool) string {
	var out []string
	for _, c := range cs {
		op, was, now := c.Op, c.Old, c.New
		if flip {
			was, now = now, was
			switch op {
			case Added:
				op = Removed
			case Removed:
				op = Added
			}
		}
		if c.Aspect == "order" {
			was, now = "", "" // the order is described with each side's names
		}
		// The path is the new side's: for components matched by another
		// identity than their name, it differs between directions.
		where := lastStep(c.Path)
		switch c.Kind {
		case KindNamespace, KindGroup, KindAny:
			where = ""
		}
		out = append(out, strings.Join([]string{string(op), string(c.Kind), where, c.Aspect, was, now}, " | "))
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// TestReportDeterministic builds the same report twice, in every format.
func TestReportDeterministic(t *testing.T) {
	dir := cases(t)[0]
	var outs [2]string
	for i := range outs {
		old := mustLoad(t, caseInput(t, filepath.Join(dir, "old"), i == 1))
		cur := mustLoad(t, caseInput(t, filepath.Join(dir, "new"), i == 0))
		r := &Report{Old: "old", New: "new", Changes: Compare("t", old, cur)}
		var b strings.Builder
		for _, w := range []func(*strings.Builder) error{
			func(b *strings.Builder) error { return r.WriteText(b) },
			func(b *strings.Builder) error { return r.WriteMarkdown(b) },
			func(b *strings.Builder) error { return r.WriteJSON(b) },
		} {
			if err := w(&b); err != nil {
				t.Fatal(err)
			}
		}
		outs[i] = b.String()
	}
	if outs[0] != outs[1] {
		t.Errorf("reports differ between runs:\n%s\n---\n%s", outs[0], outs[1])
	}
}

func nameOf(local string) ir.Name { return ir.Name{Space: "urn:t", Local: local} }

// TestRulesDocumented checks that every rule name written in rules.go and
// compare.go is listed in the package documentation.
func TestRulesDocumented(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(strings.ReplaceAll(string(doc), "//", "")), " ")
	re := regexp.MustCompile(`(?:breaking|additive|cosmetic)\("([a-z-]+)"|Rule: "([a-z-]+)"`)
	n := 0
	for _, f := range []string{"rules.go", "compare.go"} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			rule := m[1] + m[2]
			n++
			if !regexp.MustCompile(`(^|[ ,(])` + regexp.QuoteMeta(rule) + `([ ,;.)]|$)`).MatchString(text) {
				t.Errorf("rule %s is not documented in doc.go", rule)
			}
		}
	}
	if n < 40 {
		t.Errorf("found only %d rules", n)
	}
}

func TestFew(t *testing.T) {
	l := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	if got := strings.Join(few(l), ","); got != "a,b,c,d,e,f,(2 more)" {
		t.Errorf("few: %s", got)
	}
	if got := strings.Join(l, ""); got != "abcdefgh" {
		t.Errorf("few changed its input: %s", got)
	}
	if got := code(few(l)); !strings.HasSuffix(got, "`f`, (2 more)") {
		t.Errorf("code: %s", got)
	}
}
