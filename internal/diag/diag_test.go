package diag

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestListSortDedupRel(t *testing.T) {
	var l List
	l.Add(Pos{File: "/k/b.xsd", Line: 2, Col: 1}, "second")
	l.Add(Pos{File: "/k/a.xsd", Line: 9, Col: 4}, "first")
	l.Add(Pos{File: "/k/b.xsd", Line: 2, Col: 1}, "second")
	l.AddErr(Pos{File: "/k/c.xsd"}, fmt.Errorf("wrapped: %w", Errorf(Pos{File: "/k/a.xsd", Line: 1}, "inner")))
	l.AddErr(Pos{File: "/k/c.xsd", Line: 3, Col: 7}, errors.New("plain"))
	l.Sort()
	got := l.Rel("/k").Error()
	want := "a.xsd:1: inner\na.xsd:9:4: first\nb.xsd:2:1: second\nc.xsd:3:7: plain"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if (List{}).Err() != nil {
		t.Fatal("empty list must be a nil error")
	}
}

func TestShortPath(t *testing.T) {
	for _, tc := range []struct{ base, p, want string }{
		{"/work/repo", "/work/repo/a.xsd", "a.xsd"},
		{"/work/repo", "/work/shared/kit/a.xsd", "../shared/kit/a.xsd"},
		{"/tmp/x/y/z", "/work/kit/a.xsd", "/work/kit/a.xsd"}, // ../../../../work/kit/a.xsd is longer
		{"/work/repo", "rel/a.xsd", "rel/a.xsd"},
		{"", "/work/a.xsd", "/work/a.xsd"},
	} {
		if got := ShortPath(tc.base, tc.p); got != tc.want {
			t.Errorf("ShortPath(%q, %q) = %q, want %q", tc.base, tc.p, got, tc.want)
		}
	}
}

// TestPathsLines checks that positions and the paths quoted in messages are
// shortened the same way, and that text that is not under a root is kept.
func TestPathsLines(t *testing.T) {
	p := NewPaths("/work/repo", "/work/shared/kit")
	var l List
	l.Add(Pos{File: "/work/shared/kit/b/x.xsd", Line: 2, Col: 3}, "duplicate type {urn:t}T: also defined at /work/shared/kit/a/x.xsd:4:5")
	l.Add(Pos{File: "/work/repo/dmpgen.yaml", Line: 1, Col: 1}, "input /work/repo/in.wsdl and /work/repository/other.wsdl, pattern \"/work/repo\"")
	l.Add(Pos{File: "/far/away/c.xsd", Line: 1}, "see /far/away/d.xsd")
	l.Add(Pos{File: "/work/repo/x.yaml", Line: 1}, "kit /work/shared/kit (from -kit), dir /work/repo: here /work/repo")
	got := strings.Join(p.Lines(l), "\n")
	want := "../shared/kit/b/x.xsd:2:3: duplicate type {urn:t}T: also defined at ../shared/kit/a/x.xsd:4:5\n" +
		"dmpgen.yaml:1:1: input in.wsdl and /work/repository/other.wsdl, pattern \"/work/repo\"\n" +
		"/far/away/c.xsd:1: see /far/away/d.xsd\n" +
		"x.yaml:1: kit ../shared/kit (from -kit), dir .: here ."
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if got := p.Lines(errors.New("open /work/shared/kit/x: no such file")); len(got) != 1 || got[0] != "open ../shared/kit/x: no such file" {
		t.Fatalf("plain error: %q", got)
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"name", "out", "module", "inputs", "packages", "names", "operations"}
	for _, tc := range []struct{ word, want string }{
		{"pakages", "packages"},
		{"Packages", "packages"},
		{"input", "inputs"},
		{"operation", "operations"},
		{"nam", "name"},
		{"xyz", ""},
		{"catalogs", ""},
	} {
		if got := Suggest(tc.word, keys); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
	ns := []string{"urn:hl7-org:v3", "urn:ihe:iti:xds-b:2007", "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"}
	if got := Suggest("urn:oasis:names:tc:ebxml-regrep:xsd:rim:2.1", ns); got != ns[2] {
		t.Errorf("namespace suggestion = %q", got)
	}
}
