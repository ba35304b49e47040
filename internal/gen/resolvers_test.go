package gen

import (
	"reflect"
	"testing"

	"github.com/dmpgen/dmpgen/internal/ir"
)

// pkgWith returns a package at path whose one type has a field of each type
// of refs (import paths), with derived types across packages when derived,
// and a service when service.
func pkgWith(path string, derived, service bool, refs ...string) *ir.Package {
	t := &ir.Type{Kind: ir.Struct, Name: "T"}
	for _, r := range refs {
		t.Content = append(t.Content, &ir.Member{Kind: ir.ElemMember, Struct: &ir.Ident{ImportPath: r, Name: "X"}})
	}
	f := &ir.File{Name: "f.go", Types: []*ir.Type{t}}
	if service {
		f.Services = []*ir.Service{{Name: "S"}}
	}
	p := &ir.Package{ImportPath: path, Name: path, Files: []*ir.File{f}}
	if derived {
		p.DerivedTypes = []*ir.Element{{GoName: "D"}}
	}
	return p
}

// TestPlanResolvers: a service package passes the NewType of every package
// it can import, its own included, and leaves the others to the user; the
// imports it adds count for the next service package, so that two
// packages' choices together make no cycle either. A base's record of its
// foreign derived types is no import.
func TestPlanResolvers(t *testing.T) {
	base := pkgWith("base", false, false)
	base.Files[0].Types[0].ForeignDerived = []*ir.Foreign{{Ident: &ir.Ident{ImportPath: "ext", Name: "Cat"}}}
	prog := &ir.Program{Packages: []*ir.Package{
		pkgWith("back", true, false, "s1"), // depends on s1
		base,
		pkgWith("ext", true, false),
		pkgWith("p1", true, false, "s2"),   // depends on s2
		pkgWith("s1", true, true, "base"),  // has NewType itself
		pkgWith("s2", false, true, "base"), // p1 depends on it
	}}
	if g := importGraph(prog); len(g["base"]) != 0 || !g["back"]["s1"] || !g["s1"]["base"] {
		t.Fatalf("import graph %v", g)
	}
	plan := planResolvers(prog)
	names := func(tr *typeResolvers) (use, cannot []string) {
		for _, id := range tr.use {
			use = append(use, id.ImportPath+"."+id.Name)
		}
		for _, p := range tr.cannot {
			cannot = append(cannot, p.ImportPath)
		}
		return use, cannot
	}
	for _, c := range []struct {
		pkg         string
		use, cannot []string
	}{
		// s1 imports ext and p1 (p1 → s2, not s1); back depends on s1.
		{"s1", []string{"ext.NewType", "p1.NewType", "s1.NewType"}, []string{"back"}},
		// s2: p1 depends on it, and s1 (whose NewType it would pass) now
		// imports p1; back depends on s1.
		{"s2", []string{"ext.NewType"}, []string{"back", "p1", "s1"}},
	} {
		use, cannot := names(plan[c.pkg])
		if !reflect.DeepEqual(use, c.use) || !reflect.DeepEqual(cannot, c.cannot) {
			t.Errorf("%s: uses %v, cannot %v; want %v, %v", c.pkg, use, cannot, c.use, c.cannot)
		}
	}
	if len(plan) != 2 {
		t.Errorf("plan for %d packages, want the 2 with services", len(plan))
	}
	if planResolvers(&ir.Program{Packages: []*ir.Package{pkgWith("s", false, true), pkgWith("d", false, false)}}) != nil {
		t.Error("a program without NewType has a plan")
	}
}
