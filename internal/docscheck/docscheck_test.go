package docscheck

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// pending are the documentation pages that other changes write: links to
// them are accepted while they do not exist, and logged.
func pending() map[string]bool {
	return map[string]bool{}
}

func repoFiles(t *testing.T) (string, []string) {
	t.Helper()
	root := testenv.RepoRoot()
	files, err := RepositoryFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("only %d files listed under %s: the listing is broken", len(files), root)
	}
	return root, files
}

func read(t *testing.T, root, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkFiles runs check over files and reports its findings as errors; it
// fails the test when fewer than 20 links or references were found, which
// means the search is broken.
func checkFiles(t *testing.T, what, root string, files []string, check func(file string, data []byte) (Result, error)) {
	t.Helper()
	var all Result
	for _, f := range files {
		r, err := check(f, read(t, root, f))
		if err != nil {
			t.Fatal(err)
		}
		all.add(r)
	}
	for _, f := range all.Findings {
		t.Errorf("%s: %s", what, f)
	}
	for _, f := range all.Pending {
		t.Logf("allowed while missing: %s", f)
	}
	if all.Checked < 20 {
		t.Fatalf("only %d %ss found in %d files: the search is broken", all.Checked, what, len(files))
	}
	t.Logf("%d %ss in %d files checked", all.Checked, what, len(files))
}

// TestNoForeignNotes: no file of the repository points readers to the
// engineering notes kept outside it.
func TestNoForeignNotes(t *testing.T) {
	root, files := repoFiles(t)
	for _, f := range files {
		for _, x := range ForeignNotes(f, read(t, root, f)) {
			t.Error(x)
		}
	}
}

// TestMarkdownLinks: the links of README.md and docs/*.md lead to files and
// headings of the repository.
func TestMarkdownLinks(t *testing.T) {
	root, files := repoFiles(t)
	c := &Checker{Root: root, Pending: pending()}
	var pages []string
	for _, f := range files {
		if f == "README.md" || (strings.HasPrefix(f, "docs/") && strings.HasSuffix(f, ".md")) {
			pages = append(pages, f)
		}
	}
	if len(pages) < 2 {
		t.Fatalf("pages checked: %v", pages)
	}
	checkFiles(t, "link", root, pages, c.Links)
}

// TestDocReferences: the docs/….md references of every file (Go comments,
// dmpgen.yaml, scripts) name pages and headings that exist.
func TestDocReferences(t *testing.T) {
	root, files := repoFiles(t)
	c := &Checker{Root: root, Pending: pending()}
	checkFiles(t, "reference", root, files, c.DocRefs)
}

// TestXDSRuleCodesDocumented: docs/xds.md lists every rule code of
// runtime/xds, so the page cannot fall behind the code.
func TestXDSRuleCodesDocumented(t *testing.T) {
	root := testenv.RepoRoot()
	page := string(read(t, root, "docs/xds.md"))
	for _, r := range xds.Rules() {
		if !strings.Contains(page, "| `"+string(r.Code)+"` |") {
			t.Errorf("docs/xds.md does not list the rule %s (%s): %s", r.Code, r.Origin, r.Summary)
		}
	}
}

func TestForeignNotesFindsMentions(t *testing.T) {
	name := strings.ToUpper("domain") + ".md"
	word := strings.ToUpper("domain")
	data := []byte("ok line\n// see " + name + " §3\n// " + "Runtime" + "-Notes too\n// mysty" + "le.md is another file\n// (" + word + " §7.1)\n")
	got := ForeignNotes("x.go", data)
	if len(got) != 4 || got[0].Line != 2 || got[1].Line != 2 || got[2].Line != 3 || got[3].Line != 5 || !strings.Contains(got[0].Msg+got[1].Msg, name) {
		t.Fatalf("got %v, want mentions on lines 2 (twice: file and word), 3 and 5", got)
	}
	fine := "docs/kit-defects.md and ../shared/spec-corpus are fine; a " + strings.ToLower(word) + " or " + word + "S, " + word + "_NAME, MY" + word + " too"
	if got := ForeignNotes("y.go", []byte(fine)); len(got) != 0 {
		t.Fatalf("false positives: %v", got)
	}
}

// sandbox writes files (slash paths to contents) under a new root.
func sandbox(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func messages(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	sort.Strings(out)
	return out
}

func TestLinksFindsBrokenOnes(t *testing.T) {
	pages := map[string]string{
		"pages/a.md": "# Title\n\n## Second part: XDS.b, TD2.1\n\n## Second part: XDS.b, TD2.1\n<a id=\"manual\"></a>\n",
		"README.md":  "",
	}
	pages["pages/b.md"] = strings.Join([]string{
		"[ok](a.md) [ok](a.md#second-part-xdsb-td21) [ok](a.md#second-part-xdsb-td21-1) [ok](a.md#manual)",
		"[ok](../README.md) [ok](#local) [ok](https://example.org/x) [ok](mailto:someone@example.org)",
		"[pending](later.md#whatever)",
		"`[code span](nowhere.md)`",
		"```",
		"[in a block](nowhere.md)",
		"```",
		"## Local",
		"[missing](nowhere.md)",
		"[no heading](a.md#third)",
		"[outside](../../etc/passwd)",
		"[no local heading](#elsewhere)",
		"",
	}, "\n")
	root := sandbox(t, pages)
	c := &Checker{Root: root, Pending: map[string]bool{"pages/later.md": true}}
	r, err := c.Links("pages/b.md", []byte(pages["pages/b.md"]))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`pages/b.md:10: "a.md#third": pages/a.md has no heading #third`,
		`pages/b.md:11: link "../../etc/passwd" points outside the repository`,
		`pages/b.md:12: "#elsewhere": pages/b.md has no heading #elsewhere`,
		`pages/b.md:9: "nowhere.md": pages/nowhere.md does not exist`,
	}
	if got := messages(r.Findings); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}
	if len(r.Pending) != 1 || r.Pending[0].Line != 3 {
		t.Errorf("pending %v, want the link to later.md", r.Pending)
	}
	// Once the pending page exists, its headings are checked too.
	if err := os.WriteFile(filepath.Join(root, "pages", "later.md"), []byte("# Whatever\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c = &Checker{Root: root, Pending: map[string]bool{"pages/later.md": true}}
	if r, err := c.Links("pages/b.md", []byte("[x](later.md#nothing)")); err != nil || len(r.Findings) != 1 || len(r.Pending) != 0 {
		t.Errorf("written pending page: %v %v", r, err)
	}
}

func TestDocRefsFindsBrokenOnes(t *testing.T) {
	// The references are assembled so that this file holds none.
	docs := func(rest string) string { return "docs" + "/" + rest }
	root := sandbox(t, map[string]string{docs("a.md"): "# The part\n"})
	c := &Checker{Root: root}
	src := "// see " + docs("a.md") + " and " + docs("a.md#the-part") + "\n// " + docs("a.md#other-part") + "\n// " + docs("gone.md") + "\n" +
		"// my" + docs("x.md") + " and ../" + docs("y.md") + " are not references\n"
	r, err := c.DocRefs("x.go", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`x.go:2: "` + docs("a.md#other-part") + `": ` + docs("a.md") + ` has no heading #other-part`,
		`x.go:3: "` + docs("gone.md") + `": ` + docs("gone.md") + ` does not exist`,
	}
	if got := messages(r.Findings); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}
}

func TestHeadingIDs(t *testing.T) {
	ids := HeadingIDs([]byte("# dmpgen.yaml (version 1)\n### `soap.Operation`: the [data](x.md) é\n  ## Twice\n## Twice\n#not a heading\n    # code\n"))
	for _, want := range []string{"dmpgenyaml-version-1", "soapoperation-the-data-é", "twice", "twice-1"} {
		if !ids[want] {
			t.Errorf("no id %q in %v", want, ids)
		}
	}
	if len(ids) != 4 {
		t.Errorf("ids %v, want 4", ids)
	}
}
