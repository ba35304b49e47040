package xsd_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/xmldom"
	"github.com/dmpgen/dmpgen/internal/xsd"
	"github.com/dmpgen/dmpgen/internal/xsd/xsdtest"
)

const (
	nsA = "urn:a"
	nsB = "urn:b"
)

func TestChameleonInclude(t *testing.T) {
	files := memFS{
		"/t/main.xsd": xs(`targetNamespace="urn:a" xmlns:a="urn:a"`, `<xs:include schemaLocation="sub/cham.xsd"/>
<xs:element name="Root" type="a:T"/>`),
		// No targetNamespace: takes urn:a; its unprefixed references too.
		"/t/sub/cham.xsd": xs(``, `<xs:complexType name="T"><xs:sequence><xs:element name="e" type="U"/><xs:element ref="G"/></xs:sequence></xs:complexType>
<xs:simpleType name="U"><xs:restriction base="xs:string"/></xs:simpleType>
<xs:element name="G" type="U"/>`),
	}
	s := mustLoad(t, files, "/t/main.xsd")
	ct, ok := s.Types[q(nsA, "T")].(*xsd.ComplexType)
	if !ok {
		t.Fatalf("{urn:a}T missing: %v", s.TypeNames())
	}
	seq := ct.Particle.(*xsd.ModelGroup)
	if e := seq.Particles[0].(*xsd.ElementDecl); e.Type != q(nsA, "U") || e.Name != q("", "e") {
		t.Errorf("local element = %v type %v", e.Name, e.Type)
	}
	if r := seq.Particles[1].(*xsd.ElementDecl); r.Ref != q(nsA, "G") {
		t.Errorf("ref = %v", r.Ref)
	}
	if ct.Schema.File != "/t/sub/cham.xsd" || !ct.Schema.Chameleon || ct.Schema.TargetNamespace != nsA {
		t.Errorf("schema = %+v", ct.Schema)
	}
	if ct.Pos != (diag.Pos{File: "/t/sub/cham.xsd", Line: 2, Col: 1}) {
		t.Errorf("pos = %v", ct.Pos)
	}
}

func TestChameleonTwoNamespaces(t *testing.T) {
	files := memFS{
		"/t/a.xsd":    xs(`targetNamespace="urn:a"`, `<xs:include schemaLocation="c.xsd"/>`),
		"/t/b.xsd":    xs(`targetNamespace="urn:b"`, `<xs:include schemaLocation="c.xsd"/>`),
		"/t/c.xsd":    xs(``, `<xs:simpleType name="C"><xs:restriction base="xs:token"/></xs:simpleType>`),
		"/t/both.xsd": xs(``, `<xs:import namespace="urn:a" schemaLocation="a.xsd"/><xs:import namespace="urn:b" schemaLocation="b.xsd"/>`),
	}
	s := mustLoad(t, files, "/t/both.xsd")
	for _, ns := range []string{nsA, nsB} {
		if _, ok := s.Types[q(ns, "C")]; !ok {
			t.Errorf("{%s}C missing", ns)
		}
	}
	if len(s.Schemas) != 5 {
		t.Errorf("%d schema documents, want 5 (c.xsd read once per namespace)", len(s.Schemas))
	}
}

// Two documents contribute to one namespace; each is imported from a
// different place (the IPF rim.xsd/xcf.xsd vs IHEXDSB.xsd case).
func TestMergeNamespaceFromTwoDocuments(t *testing.T) {
	files := memFS{
		"/t/wsdl-types.xsd": xs(`xmlns:b="urn:b" xmlns:a="urn:a"`, `<xs:import namespace="urn:b" schemaLocation="big.xsd"/>
<xs:import namespace="urn:a" schemaLocation="a.xsd"/>
<xs:element name="x" type="b:Big"/>`),
		"/t/a.xsd": xs(`targetNamespace="urn:a" xmlns:b="urn:b"`, `<xs:import namespace="urn:b" schemaLocation="small.xsd"/>
<xs:complexType name="A"><xs:sequence><xs:element ref="b:Doc"/><xs:element ref="b:Other"/></xs:sequence></xs:complexType>`),
		"/t/small.xsd": xs(`targetNamespace="urn:b"`, `<xs:element name="Doc" type="xs:base64Binary"/>`),
		"/t/big.xsd":   xs(`targetNamespace="urn:b"`, `<xs:element name="Other" type="xs:string"/><xs:complexType name="Big"/>`),
	}
	s := mustLoad(t, files, "/t/wsdl-types.xsd")
	if d, ok := s.LookupElement(q(nsB, "Doc")); !ok || d.Schema.File != "/t/small.xsd" {
		t.Errorf("{urn:b}Doc from small.xsd: %v", ok)
	}
	if _, ok := s.LookupElement(q(nsB, "Other")); !ok {
		t.Error("{urn:b}Other from big.xsd missing")
	}
}

func TestIncludeImportCycles(t *testing.T) {
	files := memFS{
		"/t/a.xsd":  xs(`targetNamespace="urn:a" xmlns:b="urn:b"`, `<xs:include schemaLocation="a2.xsd"/><xs:import namespace="urn:b" schemaLocation="b.xsd"/><xs:element name="A" type="b:B"/>`),
		"/t/a2.xsd": xs(`targetNamespace="urn:a"`, `<xs:include schemaLocation="a.xsd"/><xs:include schemaLocation="./sub/../a2.xsd"/>`),
		"/t/b.xsd":  xs(`targetNamespace="urn:b" xmlns:a="urn:a"`, `<xs:import namespace="urn:a" schemaLocation="a.xsd"/><xs:complexType name="B"><xs:sequence><xs:element ref="a:A"/></xs:sequence></xs:complexType>`),
	}
	s := mustLoad(t, files, "/t/a.xsd", "/t/b.xsd")
	if len(s.Schemas) != 3 {
		t.Errorf("%d schema documents, want 3", len(s.Schemas))
	}
}

func TestRedefine(t *testing.T) {
	files := memFS{
		"/t/base.xsd": xs(`targetNamespace="urn:a" xmlns:a="urn:a"`, `<xs:complexType name="T"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>
<xs:simpleType name="S"><xs:restriction base="xs:string"/></xs:simpleType>
<xs:group name="G"><xs:sequence><xs:element name="g1" type="xs:int"/></xs:sequence></xs:group>
<xs:attributeGroup name="AG"><xs:attribute name="a1" type="xs:int"/></xs:attributeGroup>
<xs:element name="Use" type="a:T"/>`),
		"/t/main.xsd": xs(`targetNamespace="urn:a" xmlns:a="urn:a"`, `<xs:redefine schemaLocation="base.xsd">
  <xs:complexType name="T"><xs:complexContent><xs:extension base="a:T"><xs:sequence><xs:element name="y" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
  <xs:simpleType name="S"><xs:restriction base="a:S"><xs:maxLength value="3"/></xs:restriction></xs:simpleType>
  <xs:group name="G"><xs:sequence><xs:group ref="a:G"/><xs:element name="g2" type="xs:int"/></xs:sequence></xs:group>
  <xs:attributeGroup name="AG"><xs:attributeGroup ref="a:AG"/><xs:attribute name="a2" type="xs:int"/></xs:attributeGroup>
</xs:redefine>`),
	}
	s := mustLoad(t, files, "/t/main.xsd")
	red := s.Types[q(nsA, "T")].(*xsd.ComplexType)
	orig := s.Types[q(nsA, "T#original")].(*xsd.ComplexType)
	if red.Schema.File != "/t/main.xsd" || red.Method != xsd.Extension || red.Base != q(nsA, "T#original") {
		t.Errorf("redefined T: file %s method %v base %v", red.Schema.File, red.Method, red.Base)
	}
	if orig.Schema.File != "/t/base.xsd" || orig.Name != q(nsA, "T#original") {
		t.Errorf("original T: %s %v", orig.Schema.File, orig.Name)
	}
	if st := s.Types[q(nsA, "S")].(*xsd.SimpleType); st.Base != q(nsA, "S#original") || *st.Facets.MaxLength != 3 {
		t.Errorf("redefined S base %v", st.Base)
	}
	g := s.Groups[q(nsA, "G")]
	if r := g.Model.Particles[0].(*xsd.GroupRef); r.Ref != q(nsA, "G#original") || s.Groups[r.Ref].Schema.File != "/t/base.xsd" {
		t.Errorf("group self reference = %v", r.Ref)
	}
	ag := s.AttributeGroups[q(nsA, "AG")]
	if r := ag.Attributes[0].(*xsd.AttributeGroupRef); r.Ref != q(nsA, "AG#original") {
		t.Errorf("attribute group self reference = %v", r.Ref)
	}
	// The base document's own references see the redefinition.
	if s.Elements[q(nsA, "Use")].Type != q(nsA, "T") {
		t.Error("Use type changed")
	}
}

func TestRedefineErrors(t *testing.T) {
	files := memFS{
		"/t/base.xsd": xs(`targetNamespace="urn:a"`, `<xs:complexType name="T"/>`),
		"/t/main.xsd": xs(`targetNamespace="urn:a" xmlns:a="urn:a"`, `<xs:redefine schemaLocation="base.xsd">
<xs:complexType name="Missing"><xs:complexContent><xs:extension base="a:Missing"/></xs:complexContent></xs:complexType>
<xs:complexType name="T"><xs:complexContent><xs:extension base="xs:anyType"/></xs:complexContent></xs:complexType>
</xs:redefine>`),
	}
	_, errs := load(t, files, nil, "/t/main.xsd")
	wantErrors(t, errs,
		`/t/main.xsd:3:1: xs:redefine: /t/base.xsd has no type {urn:a}Missing to redefine`,
		`/t/main.xsd:3:51: unresolved type {urn:a}Missing in base="a:Missing"`,
		`/t/main.xsd:4:1: the redefinition of complex type {urn:a}T must derive from T itself`,
	)
}

func TestCatalogMapsAbsoluteURL(t *testing.T) {
	files := memFS{
		"/cat/catalog.xml": `<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <uri name="http://example.org/w.xsd" uri="../local/w.xsd"/>
  <group xml:base="file:///local/">
    <rewriteURI uriStartString="http://example.org/r/" rewritePrefix="rew/"/>
  </group>
  <nextCatalog catalog="next.xml"/>
</catalog>`,
		"/cat/next.xml": `<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <system systemId="http://example.org/s.xsd" uri="/local/s.xsd"/>
</catalog>`,
		"/t/main.xsd": xs(`xmlns:w="urn:w" xmlns:r="urn:r" xmlns:s="urn:s"`, `<xs:import namespace="urn:w" schemaLocation="http://example.org/w.xsd"/>
<xs:import namespace="urn:r" schemaLocation="http://example.org/r/deep/r.xsd"/>
<xs:import namespace="urn:s" schemaLocation="http://example.org/s.xsd"/>
<xs:element name="e1" type="w:W"/><xs:element name="e2" type="r:R"/><xs:element name="e3" type="s:S"/>`),
		"/local/w.xsd":          xs(`targetNamespace="urn:w"`, `<xs:complexType name="W"/>`),
		"/local/rew/deep/r.xsd": xs(`targetNamespace="urn:r"`, `<xs:complexType name="R"/>`),
		"/local/s.xsd":          xs(`targetNamespace="urn:s"`, `<xs:complexType name="S"/>`),
	}
	s, errs := load(t, files, []string{"/cat/catalog.xml"}, "/t/main.xsd")
	wantErrors(t, errs)
	for _, n := range []xsd.QName{q("urn:w", "W"), q("urn:r", "R"), q("urn:s", "S")} {
		if _, ok := s.Types[n]; !ok {
			t.Errorf("%v missing", n)
		}
	}

	// Without the catalog: never the network.
	_, errs = load(t, files, nil, "/t/main.xsd")
	wantErrors(t, errs,
		`/t/main.xsd:2:1: schemaLocation "http://example.org/w.xsd": "http://example.org/w.xsd" is an absolute URL and no XML catalog is configured (dmpgen never uses the network); map it to a local copy with an XML catalog entry such as <uri name="http://example.org/w.xsd" uri="LOCAL/PATH.xsd"/>, or <rewriteURI uriStartString="http://example.org/" rewritePrefix="LOCAL/DIR/"/> for its whole folder (paths relative to the catalog file), and name the catalog in catalogs: of dmpgen.yaml or with -catalog FILE`,
		`/t/main.xsd:3:1: schemaLocation "http://example.org/r/deep/r.xsd": "http://example.org/r/deep/r.xsd" is an absolute URL and no XML catalog is configured (dmpgen never uses the network); map it to a local copy with an XML catalog entry such as <uri name="http://example.org/r/deep/r.xsd" uri="LOCAL/PATH.xsd"/>, or <rewriteURI uriStartString="http://example.org/r/deep/" rewritePrefix="LOCAL/DIR/"/> for its whole folder (paths relative to the catalog file), and name the catalog in catalogs: of dmpgen.yaml or with -catalog FILE`,
		`/t/main.xsd:4:1: schemaLocation "http://example.org/s.xsd": "http://example.org/s.xsd" is an absolute URL and no XML catalog is configured (dmpgen never uses the network); map it to a local copy with an XML catalog entry such as <uri name="http://example.org/s.xsd" uri="LOCAL/PATH.xsd"/>, or <rewriteURI uriStartString="http://example.org/" rewritePrefix="LOCAL/DIR/"/> for its whole folder (paths relative to the catalog file), and name the catalog in catalogs: of dmpgen.yaml or with -catalog FILE`,
		`/t/main.xsd:5:1: unresolved type {urn:w}W in type="w:W": no schema document for namespace "urn:w" was loaded`,
		`/t/main.xsd:5:35: unresolved type {urn:r}R in type="r:R": no schema document for namespace "urn:r" was loaded`,
		`/t/main.xsd:5:69: unresolved type {urn:s}S in type="s:S": no schema document for namespace "urn:s" was loaded`,
	)
}

func TestCatalogErrors(t *testing.T) {
	files := memFS{
		"/cat/c.xml": `<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
<uri name="x"/>
<bogus/>
<nextCatalog catalog="missing.xml"/>
</catalog>`,
	}
	_, err := xsd.NewLoader(xsd.Config{Catalogs: []string{"/cat/c.xml"}, ReadFile: files.read})
	want := "/cat/c.xml:2:1: catalog entry <uri> lacks the uri attribute\n" +
		"/cat/c.xml:3:1: unsupported XML catalog entry <bogus>\n" +
		"/cat/c.xml:4:1: cannot read XML catalog: open /cat/missing.xml: file does not exist"
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

func TestUnmappedURLWithCatalog(t *testing.T) {
	files := memFS{
		"/cat/c.xml":  `<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"/>`,
		"/t/main.xsd": xs(``, `<xs:include schemaLocation="https://example.org/x.xsd"/>`),
	}
	_, errs := load(t, files, []string{"/cat/c.xml"}, "/t/main.xsd")
	wantErrors(t, errs, `/t/main.xsd:2:1: schemaLocation "https://example.org/x.xsd": "https://example.org/x.xsd" is not mapped by the XML catalog (dmpgen never uses the network); map it to a local copy with an XML catalog entry such as <uri name="https://example.org/x.xsd" uri="LOCAL/PATH.xsd"/>, or <rewriteURI uriStartString="https://example.org/" rewritePrefix="LOCAL/DIR/"/> for its whole folder (paths relative to the catalog file), and name the catalog in catalogs: of dmpgen.yaml or with -catalog FILE`)
}

func TestMissingFile(t *testing.T) {
	files := memFS{
		"/t/main.xsd": xs(`targetNamespace="urn:a"`, `  <xs:include schemaLocation="nope.xsd"/>`),
	}
	_, errs := load(t, files, nil, "/t/main.xsd", "/t/absent.xsd")
	wantErrors(t, errs,
		`/t/absent.xsd: cannot read /t/absent.xsd: file does not exist`,
		`/t/main.xsd:2:3: cannot read /t/nope.xsd: file does not exist`,
	)
}

func TestNotWellFormed(t *testing.T) {
	files := memFS{
		"/t/main.xsd": xs(`targetNamespace="urn:a"`, `<xs:include schemaLocation="bad.xsd"/><xs:include schemaLocation="bad.xsd"/>`),
		"/t/bad.xsd":  "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:element name=\"a\">\n</xs:schema>\n",
	}
	_, errs := load(t, files, nil, "/t/main.xsd")
	wantErrors(t, errs, `/t/bad.xsd:3:1: not well-formed: end tag </xs:schema> does not match start tag <xs:element> at 2:3`)
}

func TestNotASchema(t *testing.T) {
	files := memFS{"/t/x.xml": `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"/>`}
	_, errs := load(t, files, nil, "/t/x.xml")
	wantErrors(t, errs, `/t/x.xml:1:1: /t/x.xml is not an XML Schema document: its root element is {http://schemas.xmlsoap.org/wsdl/}definitions`)
}

func TestUnresolvedReferences(t *testing.T) {
	files := memFS{
		"/t/main.xsd": xs(`targetNamespace="urn:a" xmlns:a="urn:a" xmlns:n="urn:n" xmlns:m="urn:m"`, `<xs:import namespace="urn:n"/>
<xs:element name="e1" type="a:Missing"/>
<xs:element name="e2" type="n:T"/>
<xs:element name="e3" type="m:T"/>
<xs:element name="e4" type="zz:T"/>
<xs:element name="e5" type="xs:strin"/>
<xs:complexType name="C"><xs:sequence><xs:element ref="a:Nope"/><xs:group ref="a:G"/></xs:sequence><xs:attribute ref="a:at"/><xs:attributeGroup ref="a:AG"/></xs:complexType>
<xs:simpleType name="S"><xs:restriction base="a:C"/></xs:simpleType>
<xs:simpleType name="L"><xs:list itemType="a:Gone"/></xs:simpleType>
<xs:simpleType name="U"><xs:union memberTypes="xs:int a:Gone2"/></xs:simpleType>
<xs:element name="e6" substitutionGroup="a:Head"/>
<xs:complexType name="D"><xs:complexContent><xs:extension base="a:Base"/></xs:complexContent></xs:complexType>`),
	}
	_, errs := load(t, files, nil, "/t/main.xsd")
	wantErrors(t, errs,
		`/t/main.xsd:3:1: unresolved type {urn:a}Missing in type="a:Missing"`,
		`/t/main.xsd:4:1: unresolved type {urn:n}T in type="n:T": no schema document for namespace "urn:n" was loaded (xs:import at /t/main.xsd:2:1 has no schemaLocation)`,
		`/t/main.xsd:5:1: unresolved type {urn:m}T in type="m:T": no schema document for namespace "urn:m" was loaded`,
		`/t/main.xsd:6:1: undeclared namespace prefix "zz" in type="zz:T"`,
		`/t/main.xsd:7:1: unresolved type {http://www.w3.org/2001/XMLSchema}strin in type="xs:strin" (not an XML Schema built-in type)`,
		`/t/main.xsd:8:39: unresolved element {urn:a}Nope in ref="a:Nope"`,
		`/t/main.xsd:8:65: unresolved group {urn:a}G in ref="a:G"`,
		`/t/main.xsd:8:100: unresolved attribute {urn:a}at in ref="a:at"`,
		`/t/main.xsd:8:126: unresolved attribute group {urn:a}AG in ref="a:AG"`,
		`/t/main.xsd:9:25: base="a:C": {urn:a}C is a complex type; a simple type is required here`,
		`/t/main.xsd:10:25: unresolved type {urn:a}Gone in itemType="a:Gone"`,
		`/t/main.xsd:11:25: unresolved type {urn:a}Gone2 in memberTypes="a:Gone2"`,
		`/t/main.xsd:12:1: unresolved element {urn:a}Head in substitutionGroup="a:Head"`,
		`/t/main.xsd:13:45: unresolved type {urn:a}Base in base="a:Base"`,
	)
}

func TestInvalidQName(t *testing.T) {
	files := memFS{"/t/a.xsd": xs(`xmlns:a="urn:a"`, `<xs:element name="e" type="a:b:c"/><xs:element name="f" type=":x"/><xs:element name="1g"/>`)}
	_, errs := load(t, files, nil, "/t/a.xsd")
	wantErrors(t, errs,
		`/t/a.xsd:2:1: invalid QName "a:b:c" in type="a:b:c"`,
		`/t/a.xsd:2:36: invalid QName ":x" in type=":x"`,
		`/t/a.xsd:2:68: invalid name "1g" on xs:element`,
	)
}

// An import without schemaLocation is fine when another document loads the namespace.
func TestImportWithoutLocation(t *testing.T) {
	files := memFS{
		"/t/a.xsd": xs(`targetNamespace="urn:a" xmlns:b="urn:b"`, `<xs:import namespace="urn:b"/><xs:element name="A" type="b:B"/>`),
		"/t/b.xsd": xs(`targetNamespace="urn:b"`, `<xs:complexType name="B"/>`),
	}
	mustLoad(t, files, "/t/a.xsd", "/t/b.xsd")
}

func TestQNameUsesInScopeBindings(t *testing.T) {
	files := memFS{
		"/t/a.xsd": xs(`targetNamespace="urn:a" xmlns:p="urn:a"`, `<xs:complexType name="T"><xs:sequence>
<xs:element name="x" type="p:U" xmlns:p="urn:b"/>
<xs:element name="y" type="p:T"/>
</xs:sequence></xs:complexType>`),
		"/t/b.xsd": xs(`targetNamespace="urn:b"`, `<xs:simpleType name="U"><xs:restriction base="xs:string"/></xs:simpleType>`),
	}
	s := mustLoad(t, files, "/t/a.xsd", "/t/b.xsd")
	ps := s.Types[q(nsA, "T")].(*xsd.ComplexType).Particle.(*xsd.ModelGroup).Particles
	if got := ps[0].(*xsd.ElementDecl).Type; got != q(nsB, "U") {
		t.Errorf("x type = %v", got)
	}
	if got := ps[1].(*xsd.ElementDecl).Type; got != q(nsA, "T") {
		t.Errorf("y type = %v", got)
	}
}

func TestDuplicateDefinitions(t *testing.T) {
	files := memFS{
		"/t/a.xsd": xs(`targetNamespace="urn:a"`, `<xs:include schemaLocation="b.xsd"/>
<xs:complexType name="T"/>
<xs:element name="E" type="xs:string"/>`),
		"/t/b.xsd": xs(`targetNamespace="urn:a"`, `<xs:simpleType name="T"><xs:restriction base="xs:string"/></xs:simpleType>
<xs:element name="E" type="xs:int"/>
<xs:element name="E" type="xs:int"/>
<xs:simpleType name="string"/>`),
	}
	_, errs := load(t, files, nil, "/t/b.xsd", "/t/a.xsd")
	wantErrors(t, errs,
		`/t/b.xsd:2:1: duplicate type {urn:a}T: also defined at /t/a.xsd:3:1`,
		`/t/b.xsd:3:1: duplicate element {urn:a}E: also defined at /t/a.xsd:4:1`,
		`/t/b.xsd:4:1: duplicate element {urn:a}E: also defined at /t/a.xsd:4:1`,
		`/t/b.xsd:5:1: xs:simpleType requires xs:restriction, xs:list or xs:union`,
	)
}

// Copies of one schema (xml.xsd is everywhere) define the same components:
// they are merged; definitions that differ are duplicates.
func TestEquivalentDuplicatesMerge(t *testing.T) {
	lang := `<xs:attribute name="lang"><xs:annotation><xs:documentation>%s</xs:documentation></xs:annotation>
<xs:simpleType><xs:union memberTypes="xs:language"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value=""/></xs:restriction></xs:simpleType></xs:union></xs:simpleType></xs:attribute>`
	files := memFS{
		"/t/a/xml.xsd": xs(`targetNamespace="http://www.w3.org/XML/1998/namespace"`, fmt.Sprintf(lang, "copy A")+`<xs:attribute name="space" default="preserve" type="xs:NCName"/>`),
		"/t/b/xml.xsd": xs(`targetNamespace="http://www.w3.org/XML/1998/namespace"`, "\n\n"+fmt.Sprintf(lang, "copy B, other comments")+`<xs:attribute name="space" type="xs:NCName"/>`),
	}
	s, errs := load(t, files, nil, "/t/b/xml.xsd", "/t/a/xml.xsd")
	wantErrors(t, errs, `/t/b/xml.xsd:5:201: duplicate attribute {http://www.w3.org/XML/1998/namespace}space: also defined at /t/a/xml.xsd:3:201`)
	if a := s.Attributes[q(xmldom.XMLNS, "lang")]; a.Schema.File != "/t/a/xml.xsd" || a.Doc != "copy A" {
		t.Errorf("kept xml:lang from %s", a.Schema.File)
	}
}

func TestUnsupportedConstructs(t *testing.T) {
	files := memFS{
		"/t/a.xsd": xs(`targetNamespace="urn:a" xmlns:jaxb="http://java.sun.com/xml/ns/jaxb" jaxb:version="2.0"`, `<xs:complexType name="T" jaxb:foo="1">
  <xs:sequence><xs:element name="x" type="xs:string" inheritable="true"/></xs:sequence>
  <xs:assert test="x"/>
</xs:complexType>
<xs:override schemaLocation="b.xsd"/>
<xs:complexType name="V"><xs:openContent/></xs:complexType>
<xs:element name="E"><xs:sequence/></xs:element>
<jaxb:bindings/>
<xs:simpleType name="S"><xs:restriction base="xs:string"><xs:maxLength value="-1"/><xs:whiteSpace value="trim"/><xs:explicitTimezone value="required"/></xs:restriction></xs:simpleType>`),
	}
	_, errs := load(t, files, nil, "/t/a.xsd")
	wantErrors(t, errs,
		`/t/a.xsd:3:16: unsupported attribute inheritable on xs:element`,
		`/t/a.xsd:4:3: unsupported construct xs:assert`,
		`/t/a.xsd:6:1: unsupported construct xs:override`,
		`/t/a.xsd:7:26: unsupported construct xs:openContent`,
		`/t/a.xsd:8:22: xs:sequence is not allowed in xs:element`,
		`/t/a.xsd:10:58: invalid xs:maxLength value "-1" (want a non-negative integer)`,
		`/t/a.xsd:10:84: invalid xs:whiteSpace value "trim"`,
		`/t/a.xsd:10:113: unsupported construct xs:explicitTimezone`,
	)
}

func TestIdentityConstraintsAndNotationsIgnored(t *testing.T) {
	files := memFS{
		"/t/a.xsd": xs(`targetNamespace="urn:a" xmlns:a="urn:a"`, `<xs:notation name="png" public="image/png"/>
<xs:element name="E"><xs:complexType><xs:sequence><xs:element name="i" type="xs:ID" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
  <xs:key name="k"><xs:selector xpath="i"/><xs:field xpath="."/></xs:key>
  <xs:keyref name="kr" refer="a:k"><xs:selector xpath="i"/><xs:field xpath="."/></xs:keyref>
  <xs:unique name="u"><xs:annotation/><xs:selector xpath="i"/><xs:field xpath="."/></xs:unique>
</xs:element>`),
	}
	mustLoad(t, files, "/t/a.xsd")
}

func TestBuiltins(t *testing.T) {
	s := mustLoad(t, memFS{"/t/e.xsd": xs(``, ``)}, "/t/e.xsd")
	n := 0
	for _, name := range s.TypeNames() {
		if name.Space == xsd.NS {
			n++
		}
	}
	if n != 46 {
		t.Errorf("%d built-in types, want 46 (anyType, anySimpleType, 44 primitive and derived)", n)
	}
	if at, ok := s.LookupType(q(xsd.NS, "anyType")); !ok || !at.(*xsd.ComplexType).Builtin {
		t.Error("xs:anyType must be a built-in ComplexType")
	}
	chain := []string{"int", "long", "integer", "decimal", "anySimpleType", "anyType"}
	cur := q(xsd.NS, "unsignedByte")
	for _, want := range []string{"unsignedShort", "unsignedInt", "unsignedLong", "nonNegativeInteger", "integer"} {
		cur = s.Types[cur].(*xsd.SimpleType).Base
		if cur.Local != want {
			t.Errorf("unsignedByte chain: got %v, want %s", cur, want)
		}
	}
	cur = q(xsd.NS, "int")
	for _, want := range chain[1:] {
		st := s.Types[cur].(*xsd.SimpleType)
		if !st.Builtin {
			t.Errorf("%v not Builtin", cur)
		}
		cur = st.Base
		if cur != q(xsd.NS, want) {
			t.Fatalf("base = %v, want xs:%s", cur, want)
		}
	}
	if st := s.Types[q(xsd.NS, "int")].(*xsd.SimpleType); *st.Facets.MaxInclusive != "2147483647" {
		t.Error("xs:int facets")
	}
	if st := s.Types[q(xsd.NS, "IDREFS")].(*xsd.SimpleType); st.Variety != xsd.List || st.ItemType != q(xsd.NS, "IDREF") {
		t.Error("xs:IDREFS must be a list of xs:IDREF")
	}
	if !xsd.IsBuiltin(q(xsd.NS, "NOTATION")) || xsd.IsBuiltin(q(xsd.NS, "schema")) || xsd.IsBuiltin(q("", "string")) {
		t.Error("IsBuiltin")
	}
}

func TestSubstitutionGroups(t *testing.T) {
	files := memFS{"/t/a.xsd": xs(`targetNamespace="urn:a" xmlns:a="urn:a"`, `<xs:element name="Head" abstract="true"/>
<xs:element name="Z" substitutionGroup="a:Head"/>
<xs:element name="B" substitutionGroup="a:Z"/>
<xs:element name="A" substitutionGroup="a:Head"/>
<xs:element name="C" substitutionGroup="a:B"/>`)}
	s := mustLoad(t, files, "/t/a.xsd")
	var got []string
	for _, e := range s.SubstitutionMembers(q(nsA, "Head")) {
		got = append(got, e.Name.Local)
	}
	if want := "A B C Z"; join(got) != want {
		t.Errorf("members = %s, want %s", join(got), want)
	}
	if d := s.Substitutes[q(nsA, "Head")]; len(d) != 2 || d[0].Name.Local != "A" || d[1].Name.Local != "Z" {
		t.Errorf("direct substitutes = %v", d)
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func TestCycles(t *testing.T) {
	files := memFS{"/t/a.xsd": xs(`targetNamespace="urn:a" xmlns:a="urn:a"`, `<xs:complexType name="T1"><xs:complexContent><xs:extension base="a:T2"/></xs:complexContent></xs:complexType>
<xs:complexType name="T2"><xs:complexContent><xs:extension base="a:T1"/></xs:complexContent></xs:complexType>
<xs:element name="E" substitutionGroup="a:E"/>
<xs:group name="G"><xs:sequence><xs:group ref="a:G"/></xs:sequence></xs:group>`)}
	_, errs := load(t, files, nil, "/t/a.xsd")
	wantErrors(t, errs,
		`/t/a.xsd:2:1: circular type derivation: {urn:a}T1 -> {urn:a}T2 -> {urn:a}T1`,
		`/t/a.xsd:4:1: circular substitution group: {urn:a}E -> {urn:a}E`,
		`/t/a.xsd:5:1: circular group reference: {urn:a}G -> {urn:a}G`,
	)
}

func TestComponentDetails(t *testing.T) {
	files := memFS{"/t/a.xsd": xs(`targetNamespace="urn:a" xmlns:a="urn:a" xmlns:xmime="http://www.w3.org/2005/05/xmlmime" elementFormDefault="qualified" blockDefault="#all"`, `<xs:annotation><xs:documentation>Schema doc.</xs:documentation></xs:annotation>
<xs:element name="Doc" type="xs:base64Binary" xmime:expectedContentTypes="application/octet-stream">
  <xs:annotation>
    <xs:documentation>
      First line
        indented <b>bold</b> text
    </xs:documentation>
    <xs:appinfo>ignored</xs:appinfo>
    <xs:documentation>Second.</xs:documentation>
  </xs:annotation>
</xs:element>
<xs:simpleType name="Q"><xs:restriction base="xs:QName"><xs:enumeration value="a:x" xmlns:z="urn:z"/></xs:restriction></xs:simpleType>
<xs:simpleType name="Q2"><xs:restriction base="a:Q"><xs:enumeration value="z:y" xmlns:z="urn:z"/></xs:restriction></xs:simpleType>
<xs:simpleType name="Str"><xs:restriction base="xs:string"><xs:enumeration value=" v "><xs:annotation><xs:documentation>V.</xs:documentation></xs:annotation></xs:enumeration><xs:pattern value="\d+"/><xs:pattern value="[a-z]"/></xs:restriction></xs:simpleType>
<xs:complexType name="C" mixed="true"><xs:sequence minOccurs="0" maxOccurs="unbounded">
  <xs:element name="loc" form="unqualified" type="xs:string" minOccurs="0" maxOccurs="3" default="d"/>
  <xs:element name="q" type="xs:string" nillable="true" xmime:expectedContentTypes="image/*"/>
  <xs:any namespace="##other" processContents="lax"/>
</xs:sequence>
<xs:attribute name="at" type="xs:int" use="required"/>
<xs:attribute name="qa" form="qualified" type="xs:int" fixed="1"/>
<xs:anyAttribute namespace="##any"/>
</xs:complexType>
<xs:complexType name="SC"><xs:simpleContent><xs:restriction base="a:SC0"><xs:enumeration value="a:e"/></xs:restriction></xs:simpleContent></xs:complexType>
<xs:complexType name="SC0"><xs:simpleContent><xs:extension base="xs:QName"><xs:attribute name="x" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType>`)}
	s := mustLoad(t, files, "/t/a.xsd")
	if s.Schemas[0].Doc != "Schema doc." {
		t.Errorf("schema doc %q", s.Schemas[0].Doc)
	}
	d := s.Elements[q(nsA, "Doc")]
	if d.ExpectedContentTypes != "application/octet-stream" {
		t.Errorf("expectedContentTypes = %q", d.ExpectedContentTypes)
	}
	if want := "First line\n  indented bold text\n\nSecond."; d.Doc != want {
		t.Errorf("doc = %q, want %q", d.Doc, want)
	}
	if len(d.Block) != 1 || d.Block[0] != "#all" {
		t.Errorf("block (from blockDefault) = %v", d.Block)
	}
	qe := s.Types[q(nsA, "Q")].(*xsd.SimpleType).Facets.Enumeration[0]
	if qe.NS["a"] != nsA || qe.NS["z"] != "urn:z" || qe.Value != "a:x" {
		t.Errorf("QName enumeration = %+v", qe)
	}
	if q2 := s.Types[q(nsA, "Q2")].(*xsd.SimpleType).Facets.Enumeration[0]; q2.NS["z"] != "urn:z" {
		t.Errorf("derived QName enumeration NS = %v", q2.NS)
	}
	str := s.Types[q(nsA, "Str")].(*xsd.SimpleType)
	if e := str.Facets.Enumeration[0]; e.Value != " v " || e.Doc != "V." || e.NS != nil {
		t.Errorf("string enumeration = %+v", e)
	}
	if len(str.Facets.Pattern) != 2 || str.Facets.Pattern[0] != `\d+` || str.Facets.Pos["pattern"].Col == 0 {
		t.Errorf("patterns = %v %v", str.Facets.Pattern, str.Facets.Pos)
	}
	if sc := s.Types[q(nsA, "SC")].(*xsd.ComplexType); sc.SimpleType.Facets.Enumeration[0].NS["a"] != nsA {
		t.Error("simpleContent restriction of QName content: enumeration NS not filled")
	}
	c := s.Types[q(nsA, "C")].(*xsd.ComplexType)
	if !c.Mixed || c.Base != q(xsd.NS, "anyType") || c.Method != xsd.Restriction || c.Content != xsd.ComplexContent {
		t.Errorf("C = %+v", c)
	}
	seq := c.Particle.(*xsd.ModelGroup)
	if mn, mx := seq.Occurs(); mn != 0 || mx != xsd.Unbounded {
		t.Errorf("sequence occurs %d %d", mn, mx)
	}
	loc := seq.Particles[0].(*xsd.ElementDecl)
	if loc.Name != q("", "loc") || loc.Qualified || loc.Min != 0 || loc.Max != 3 || *loc.Default != "d" {
		t.Errorf("loc = %+v", loc)
	}
	qe2 := seq.Particles[1].(*xsd.ElementDecl)
	if qe2.Name != q(nsA, "q") || !qe2.Qualified || !qe2.Nillable || qe2.ExpectedContentTypes != "image/*" {
		t.Errorf("q = %+v", qe2)
	}
	if w := seq.Particles[2].(*xsd.Wildcard); w.Namespace != "##other" || w.ProcessContents != "lax" || w.TargetNamespace != nsA {
		t.Errorf("any = %+v", w)
	}
	at := c.Attributes[0].(*xsd.AttributeUse)
	if at.Name != q("", "at") || at.Use != "required" {
		t.Errorf("at = %+v", at)
	}
	if qa := c.Attributes[1].(*xsd.AttributeUse); qa.Name != q(nsA, "qa") || *qa.Fixed != "1" || qa.Use != "optional" {
		t.Errorf("qa = %+v", qa)
	}
	if c.AnyAttribute == nil || c.AnyAttribute.ProcessContents != "strict" {
		t.Errorf("anyAttribute = %+v", c.AnyAttribute)
	}
}

func TestEmbeddedSchemaUsesAncestorBindings(t *testing.T) {
	files := memFS{
		"/w/s.wsdl": `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="urn:a" xmlns:hl7="urn:b">
<types>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a">
  <xsd:import namespace="urn:b" schemaLocation="xsd/b.xsd"/>
  <xsd:element name="R" type="tns:RT"/>
  <xsd:complexType name="RT"><xsd:sequence><xsd:element ref="hl7:B"/></xsd:sequence></xsd:complexType>
</xsd:schema>
</types></definitions>`,
		"/w/xsd/b.xsd": xs(`targetNamespace="urn:b"`, `<xs:element name="B" type="xs:string"/>`),
	}
	l, err := xsd.NewLoader(xsd.Config{ReadFile: files.read})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := l.ReadDocument("/w/s.wsdl")
	if err != nil {
		t.Fatal(err)
	}
	l.AddEmbedded(doc.Root.Children[0].Children[0], "/w/s.wsdl")
	s, errs := l.Finish()
	wantErrors(t, errs)
	if e := s.Elements[q(nsA, "R")]; e == nil || e.Type != q(nsA, "RT") || e.Schema.File != "/w/s.wsdl" || e.Schema.Pos.Line != 3 {
		t.Fatalf("R = %+v", e)
	}
	if p := s.Elements[q(nsA, "R")].Schema.Prefixes; p["hl7"] != nsB || p["tns"] != nsA || p["xsd"] != xsd.NS || p[""] != "http://schemas.xmlsoap.org/wsdl/" {
		t.Errorf("embedded schema prefixes = %v", p)
	}
}

func TestXMLSchemaNamespaceIsBuiltIn(t *testing.T) {
	files := memFS{"/t/a.xsd": xs(`targetNamespace="urn:a"`, `<xs:import namespace="http://www.w3.org/2001/XMLSchema" schemaLocation="XMLSchema.xsd"/><xs:element name="E" type="xs:NCName"/>`)}
	s := mustLoad(t, files, "/t/a.xsd")
	if len(s.Schemas) != 1 {
		t.Errorf("the schema for schemas must not be read")
	}
}

func TestNamespaceMismatch(t *testing.T) {
	files := memFS{
		"/t/a.xsd": xs(`targetNamespace="urn:a"`, `<xs:include schemaLocation="b.xsd"/>
<xs:import namespace="urn:c" schemaLocation="b.xsd"/>
<xs:import schemaLocation="b.xsd"/>
<xs:import namespace="urn:a" schemaLocation="a.xsd"/>`),
		"/t/b.xsd": xs(`targetNamespace="urn:b"`, ``),
	}
	_, errs := load(t, files, nil, "/t/a.xsd")
	wantErrors(t, errs,
		`/t/a.xsd:2:1: the included document /t/b.xsd has targetNamespace "urn:b", not the including schema's "urn:a"`,
		`/t/a.xsd:3:1: the imported document /t/b.xsd has targetNamespace "urn:b", but xs:import declares "urn:c"`,
		`/t/a.xsd:4:1: the imported document /t/b.xsd has targetNamespace "urn:b", but xs:import declares no namespace`,
		`/t/a.xsd:5:1: xs:import of the schema's own target namespace "urn:a" (use xs:include)`,
	)
}

// The xsd.Set does not depend on the order in which inputs are added.
func TestDeterministicOrder(t *testing.T) {
	files := memFS{
		"/t/a.xsd": xs(`targetNamespace="urn:a" xmlns:b="urn:b"`, `<xs:import namespace="urn:b" schemaLocation="b.xsd"/><xs:include schemaLocation="c.xsd"/><xs:element name="A" type="b:B"/>`),
		"/t/b.xsd": xs(`targetNamespace="urn:b" xmlns:b="urn:b"`, `<xs:complexType name="B"/><xs:element name="H"/><xs:element name="M1" substitutionGroup="b:H"/>`),
		"/t/c.xsd": xs(``, `<xs:simpleType name="C"><xs:restriction base="xs:string"><xs:enumeration value="x"/></xs:restriction></xs:simpleType>`),
		"/t/d.xsd": xs(`targetNamespace="urn:b" xmlns:b="urn:b"`, `<xs:element name="M0" substitutionGroup="b:H"/>`),
		"/t/e.xsd": xs(`targetNamespace="urn:a"`, `<xs:include schemaLocation="c.xsd"/>`),
	}
	inputs := []string{"/t/a.xsd", "/t/b.xsd", "/t/c.xsd", "/t/d.xsd", "/t/e.xsd"}
	ref := xsdtest.Dump(mustLoad(t, files, inputs...))
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 10; i++ {
		r.Shuffle(len(inputs), func(i, j int) { inputs[i], inputs[j] = inputs[j], inputs[i] })
		if got := xsdtest.Dump(mustLoad(t, files, inputs...)); got != ref {
			t.Fatalf("order %v gives a different set:\n%s\nvs\n%s", inputs, got, ref)
		}
	}
}

func TestFinishTwice(t *testing.T) {
	l, _ := xsd.NewLoader(xsd.Config{ReadFile: memFS{"/t/a.xsd": xs(``, `<xs:element name="E"/>`)}.read})
	l.AddSchemaFile("/t/a.xsd")
	s1, _ := l.Finish()
	s2, _ := l.Finish()
	if s1 != s2 || len(s1.Elements) != 1 {
		t.Error("Finish must be idempotent")
	}
}
