package lower

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"testing"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/wsdl"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

const pruneXSD = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:element name="Req" type="t:ReqType"/>
  <xs:element name="Resp"><xs:complexType><xs:sequence><xs:element ref="t:Head" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="Fault" type="t:FaultType"/>
  <xs:complexType name="ReqType">
    <xs:sequence>
      <xs:element name="a" type="t:A"/>
      <xs:element name="casing" type="t:foo"/>
    </xs:sequence>
    <xs:attribute name="kind" type="t:Kind"/>
    <xs:attribute name="code" type="t:Code"/>
  </xs:complexType>
  <xs:complexType name="A"><xs:sequence><xs:element name="b" type="t:B" minOccurs="0"/></xs:sequence></xs:complexType>
  <xs:complexType name="B"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>
  <xs:complexType name="BDerived"><xs:complexContent><xs:extension base="t:B"><xs:sequence><xs:element name="y" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="Foo"><xs:sequence><xs:element name="u" type="xs:string"/></xs:sequence></xs:complexType>
  <xs:complexType name="foo"><xs:sequence><xs:element name="v" type="xs:string"/></xs:sequence></xs:complexType>
  <xs:simpleType name="Kind"><xs:restriction base="xs:string"><xs:enumeration value="k"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:pattern value="[0-9]+"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Unused"><xs:restriction base="xs:string"><xs:enumeration value="u"/></xs:restriction></xs:simpleType>
  <xs:element name="Head" abstract="true" type="t:HeadType"/>
  <xs:element name="Member" substitutionGroup="t:Head" type="t:MemberType"/>
  <xs:complexType name="HeadType"/>
  <xs:complexType name="MemberType"><xs:complexContent><xs:extension base="t:HeadType"><xs:attribute name="m" type="xs:string"/></xs:extension></xs:complexContent></xs:complexType>
  <xs:complexType name="FaultType"><xs:sequence><xs:element name="reason" type="xs:string"/></xs:sequence></xs:complexType>
  <xs:complexType name="Orphan"><xs:sequence><xs:element name="o" type="t:Orphan2"/></xs:sequence></xs:complexType>
  <xs:complexType name="Orphan2"><xs:sequence><xs:element name="p" type="xs:string" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
  <xs:element name="Lone"><xs:complexType><xs:sequence><xs:element name="l" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>`

const pruneWSDL = `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" xmlns:tns="urn:svc" targetNamespace="urn:svc">
  <types><xsd:schema targetNamespace="urn:svc"><xsd:import namespace="urn:t" schemaLocation="t.xsd"/></xsd:schema></types>
  <message name="In"><part name="body" element="t:Req"/></message>
  <message name="Out"><part name="body" element="t:Resp"/></message>
  <message name="F"><part name="fault" element="t:Fault"/></message>
  <portType name="PT"><operation name="Do"><input message="tns:In"/><output message="tns:Out"/><fault name="F" message="tns:F"/></operation></portType>
  <binding name="B" type="tns:PT"><soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Do"><soap12:operation soapAction="urn:do"/><input><soap12:body use="literal"/></input><output><soap12:body use="literal"/></output>
      <fault name="F"><soap12:fault name="F" use="literal"/></fault></operation></binding>
</definitions>`

// lowerWSDL lowers the test WSDL and schema with the given keep setting.
func lowerWSDL(t *testing.T, keep string) *ir.Program {
	t.Helper()
	files := map[string]string{"/k/svc.wsdl": pruneWSDL, "/k/t.xsd": pruneXSD}
	l, err := xsd.NewLoader(xsd.Config{ReadFile: func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: %w", p, os.ErrNotExist)
	}})
	if err != nil {
		t.Fatal(err)
	}
	d, errs := wsdl.Load(l, "/k/svc.wsdl")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	set, errs := l.Finish()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	target := &config.Target{Module: "example.com/m", Inputs: []string{"svc.wsdl"}, Keep: keep}
	prog, errs := Lower(Input{Set: set, Defs: []*wsdl.Definitions{d}, Target: target, KitDir: "/k"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return prog
}

// typeNames lists "package.Type" for every generated type, sorted.
func typeNames(p *ir.Program) []string {
	var out []string
	for _, pkg := range p.Packages {
		for _, f := range pkg.Files {
			for _, t := range f.Types {
				out = append(out, pkg.Name+"."+t.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestPruneReachable(t *testing.T) {
	all := typeNames(lowerWSDL(t, config.KeepAll))
	for _, p := range []*ir.Program{lowerWSDL(t, ""), lowerWSDL(t, config.KeepReachable)} {
		got := typeNames(p)
		// foo is "Foo2" whether or not Foo (unreachable) is generated.
		// HeadType: only the base of MemberType, and the head is abstract:
		// no generated code refers to it.
		want := []string{"t.A", "t.B", "t.BDerived", "t.CheckCode", "t.FaultType", "t.Foo2", "t.HeadChoice", "t.Kind",
			"t.MemberType", "t.ReqType", "t.Resp"}
		if !slices.Equal(got, want) {
			t.Errorf("kept types:\n got %v\nwant %v\n(keep: all gives %v)", got, want, all)
		}
		for _, name := range got {
			if !slices.Contains(all, name) {
				t.Errorf("%s is not generated with keep: all: pruning renamed a type", name)
			}
		}
		var elems []string
		for _, pkg := range p.Packages {
			for _, e := range pkg.Elements {
				elems = append(elems, e.XMLName.Local)
			}
		}
		sort.Strings(elems)
		if want := []string{"Fault", "Member", "Req", "Resp"}; !slices.Equal(elems, want) {
			t.Errorf("NewElement elements %v, want %v", elems, want)
		}
	}
	for _, name := range []string{"t.Foo", "t.Foo2", "t.HeadType", "t.Orphan", "t.Orphan2", "t.Unused", "t.Lone"} {
		if !slices.Contains(all, name) {
			t.Errorf("keep: all lost %s (all: %v)", name, all)
		}
	}
}

// A schema-only target keeps everything by default.
func TestPruneSchemaOnlyKeepsAll(t *testing.T) {
	p := lowerSchema(t, pruneXSD)
	for _, name := range []string{"Orphan", "Unused", "Foo", "Lone"} {
		if findType(p, name) == nil {
			t.Errorf("schema-only target lost %s", name)
		}
	}
}
