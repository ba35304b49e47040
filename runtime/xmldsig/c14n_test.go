package xmldsig_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
)

// TestC14NAgainstXmllint compares our exc-c14n of whole documents with
// libxml2's (xmllint --exc-c14n), on the seeds and the templates.
func TestC14NAgainstXmllint(t *testing.T) {
	bin := testenv.Tool(t, "xmllint")
	inputs := map[string][]byte{}
	for i, s := range c14nSeeds {
		inputs[string(rune('a'+i))] = []byte(s)
	}
	dir := filepath.Join(testenv.RepoRoot(), "testdata", "security", "templates")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		inputs[e.Name()] = b
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "in.xml")
			if err := os.WriteFile(f, in, 0o600); err != nil {
				t.Fatal(err)
			}
			want, err := exec.Command(bin, "--nonet", "--exc-c14n", f).Output()
			if err != nil {
				t.Fatalf("xmllint: %v", err)
			}
			doc, err := xmldsig.Parse(in)
			if err != nil {
				t.Fatal(err)
			}
			// xmllint --exc-c14n keeps comments.
			got, err := xmldsig.Canonicalize(doc.Root(), xmldsig.C14NOptions{WithComments: true})
			if err != nil {
				t.Fatal(err)
			}
			// Document-level c14n adds PIs and comments outside the root; the
			// inputs have none.
			if !bytes.Equal(got, bytes.TrimRight(want, "\n")) {
				t.Errorf("c14n differs\n ours: %s\nlibxml: %s", got, want)
			}
		})
	}
}

// TestC14NPrefixListAncestor: a PrefixList prefix bound on an ancestor of the
// canonicalised subtree is rendered on the subtree's apex (the goxmldsig gap).
func TestC14NPrefixListAncestor(t *testing.T) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(`<soap:E xmlns:soap="urn:soap" xmlns:u="urn:unused"><a:A xmlns:a="urn:a"><a:B/></a:A></soap:E>`); err != nil {
		t.Fatal(err)
	}
	a := doc.FindElement("//a:A")
	got, err := xmldsig.Canonicalize(a, xmldsig.C14NOptions{PrefixList: []string{"soap", "a", "missing"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `<a:A xmlns:a="urn:a" xmlns:soap="urn:soap"><a:B></a:B></a:A>`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	got, _ = xmldsig.Canonicalize(a, xmldsig.C14NOptions{})
	if want := `<a:A xmlns:a="urn:a"><a:B></a:B></a:A>`; string(got) != want {
		t.Errorf("without PrefixList: %s", got)
	}
}
