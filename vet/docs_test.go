package vet

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/vet.md's rule table and the golden files")

// ruleTableMarkdown is the rule table of docs/vet.md.
func ruleTableMarkdown() string {
	var b strings.Builder
	b.WriteString("| rule | layer | severity | what it reports | source |\n|---|---|---|---|---|\n")
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.ID, r.Layer, r.Severity, strings.ReplaceAll(r.Summary, "|", `\|`), r.Ref)
	}
	return b.String()
}

// TestDocsRuleTable keeps docs/vet.md's rule table equal to Rules (go test
// ./vet -run TestDocsRuleTable -update rewrites it).
func TestDocsRuleTable(t *testing.T) {
	path := filepath.Join("..", "docs", "vet.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const open, end = "<!-- rules -->\n", "<!-- /rules -->"
	doc := string(data)
	i, j := strings.Index(doc, open), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s: no %q … %q markers around the rule table", path, strings.TrimSpace(open), end)
	}
	want := ruleTableMarkdown()
	if got := doc[i+len(open) : j]; got != want {
		if *update {
			if err := os.WriteFile(path, []byte(doc[:i+len(open)]+want+doc[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("%s: the rule table differs from vet.Rules(): run go test ./vet -run TestDocsRuleTable -update", path)
	}
}

// TestRulesWellFormed: IDs are unique, prefixed by their layer, and every
// rule has a summary and a source.
func TestRulesWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("rule %s twice", r.ID)
		}
		seen[r.ID] = true
		if !strings.HasPrefix(r.ID, string(r.Layer)+".") {
			t.Errorf("rule %s is not prefixed by its layer %s", r.ID, r.Layer)
		}
		if r.Summary == "" || r.Ref == "" || (r.Severity != Error && r.Severity != Warning && r.Severity != Info) {
			t.Errorf("rule %s: incomplete %+v", r.ID, r)
		}
	}
}
