package lower

import (
	"fmt"
	"os"
	"testing"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// lowerSchema lowers one in-memory schema document.
func lowerSchema(t *testing.T, schema string) *ir.Program {
	t.Helper()
	files := map[string]string{"/k/a.xsd": schema}
	l, err := xsd.NewLoader(xsd.Config{ReadFile: func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: %w", p, os.ErrNotExist)
	}})
	if err != nil {
		t.Fatal(err)
	}
	l.AddSchemaFile("/k/a.xsd")
	set, errs := l.Finish()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	prog, errs := Lower(Input{Set: set, Target: &config.Target{Module: "example.com/m"}, KitDir: "/k"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return prog
}

func findType(p *ir.Program, name string) *ir.Type {
	for _, pkg := range p.Packages {
		for _, f := range pkg.Files {
			for _, t := range f.Types {
				if t.Name == name {
					return t
				}
			}
		}
	}
	return nil
}

// A member that is itself a head (ebRIM: Identifiable → RegistryObject →
// ExtrinsicObject) gives each element exactly one alternative.
func TestSubstitutionNestedHeads(t *testing.T) {
	p := lowerSchema(t, `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:element name="H" type="xs:string" abstract="true"/>
  <xs:element name="M1" type="xs:string" substitutionGroup="t:H"/>
  <xs:element name="M2" type="xs:string" substitutionGroup="t:M1"/>
  <xs:complexType name="L"><xs:sequence><xs:element ref="t:H" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
</xs:schema>`)
	item := findType(p, "HChoice")
	if item == nil {
		t.Fatal("no HChoice item type")
	}
	var got []string
	for _, m := range item.Content {
		got = append(got, m.XMLName.Local)
	}
	if fmt.Sprint(got) != "[M1 M2]" {
		t.Fatalf("alternatives %v, want [M1 M2]", got)
	}
}

// Names do not depend on declaration order, and case-only clashes are numbered.
func TestNamesCaseClash(t *testing.T) {
	a := lowerSchema(t, `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
  <xs:complexType name="foo"/><xs:complexType name="Foo"/></xs:schema>`)
	b := lowerSchema(t, `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
  <xs:complexType name="Foo"/><xs:complexType name="foo"/></xs:schema>`)
	for _, p := range []*ir.Program{a, b} {
		if findType(p, "Foo") == nil || findType(p, "Foo2") == nil || findType(p, "Foo").XMLName.Local != "Foo" {
			t.Fatalf("want Foo for Foo and Foo2 for foo")
		}
	}
}

// A choice whose alternatives are all optional may be empty: the generated
// check must allow zero alternatives (HL7 COCT_MT090003UV01.AssignedEntity).
func TestChoiceOfOptionalAlternatives(t *testing.T) {
	p := lowerSchema(t, `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:complexType name="T"><xs:sequence>
    <xs:choice><xs:element name="a" type="xs:string" minOccurs="0"/><xs:element name="b" type="xs:string" minOccurs="0"/></xs:choice>
    <xs:choice><xs:element name="c" type="xs:string"/><xs:element name="d" type="xs:string"/></xs:choice>
  </xs:sequence></xs:complexType></xs:schema>`)
	typ := findType(p, "T")
	want := map[string]int{"a": 0, "b": 0, "c": 1, "d": 1}
	for _, m := range typ.Content {
		if m.ChoiceMin != want[m.XMLName.Local] {
			t.Errorf("%s: ChoiceMin %d, want %d", m.XMLName.Local, m.ChoiceMin, want[m.XMLName.Local])
		}
	}
}
