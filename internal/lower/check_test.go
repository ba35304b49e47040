package lower

import (
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/ir"
)

// TestCheckRefuses: the last pass reports, at the schema component, every
// clash the resolver would have let through.
func TestCheckRefuses(t *testing.T) {
	at := func(line int) diag.Pos { return diag.Pos{File: "a.xsd", Line: line, Col: 3} }
	str := ir.Value{Type: ir.GoType{Ident: ir.Ident{Name: "string"}, Builtin: "string"}}
	prog := &ir.Program{Packages: []*ir.Package{{
		Name: "p", Dir: "p", ImportPath: "example.com/m/p",
		Files: []*ir.File{
			{Name: "a.go", Source: "a.xsd", Types: []*ir.Type{
				{Kind: ir.Struct, Name: "NewElement", Pos: at(1)},
				{Kind: ir.Struct, Name: "T", Pos: at(2),
					Attrs:   []*ir.Attr{{Name: "XSDType", XMLName: ir.Name{Local: "x"}, Value: str, Pos: at(3)}},
					Content: []*ir.Member{{Kind: ir.ElemMember, Name: "A", Pos: at(4)}, {Kind: ir.ElemMember, Name: "A", Pos: at(5)}}},
				{Kind: ir.Enum, Name: "T", Pos: at(6)},
			}},
			{Name: "doc.go", Source: "doc.xsd"},
		},
	}}}
	prog.Packages[0].Files[0].Services = []*ir.Service{{Name: "S", Pos: at(7), Operations: []*ir.Operation{
		{Name: "Get", WSDLName: "get", Pos: at(8)}, {Name: "Get", WSDLName: "Get", Pos: at(9)},
	}}}
	l := &lowerer{prog: prog}
	l.check()
	var got []string
	for _, e := range l.errs {
		got = append(got, e.Error())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		"a.xsd:1:3: type NewElement: Go name NewElement in package p is also a name dmpgen declares",
		"a.xsd:3:3: attribute x of type T: Go name XSDType in the fields and methods of T is also a name dmpgen declares",
		"a.xsd:5:3: member A of type T: Go name A in the fields and methods of T is also another declaration at a.xsd:4:3",
		"a.xsd:6:3: type T: Go name T in package p is also another declaration at a.xsd:2:3",
		"a.xsd:9:3: operation Get: Go name Get in service S is also another declaration at a.xsd:8:3",
		"doc.xsd: generated file p/doc.go is also written for another document",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
	if len(got) != 6 {
		t.Errorf("%d errors, want 6:\n%s", len(got), all)
	}
}
