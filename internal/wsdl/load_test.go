package wsdl_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/wsdl"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

type memFS map[string]string

func (m memFS) read(p string) ([]byte, error) {
	s, ok := m[p]
	if !ok {
		return nil, &os.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	return []byte(s), nil
}

// load loads path, finishes the schema set and returns everything.
func load(t *testing.T, files memFS, path string) (*wsdl.Definitions, *xsd.Set, diag.List) {
	t.Helper()
	l, err := xsd.NewLoader(xsd.Config{ReadFile: files.read})
	if err != nil {
		t.Fatal(err)
	}
	d, errs := wsdl.Load(l, path)
	s, serrs := l.Finish()
	errs = append(errs, serrs...)
	errs.Sort()
	return d, s, errs
}

func wantErrors(t *testing.T, errs diag.List, want ...string) {
	t.Helper()
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

const head = `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
  xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:wsam="http://www.w3.org/2007/05/addressing/metadata" xmlns:wsp="http://www.w3.org/ns/ws-policy"
  xmlns:tns="urn:svc" xmlns:a="urn:a" xmlns:b="urn:b" targetNamespace="urn:svc" name="Svc">
`

var good = memFS{
	"/w/svc.wsdl": head + `<documentation>The service.</documentation>
<types>
  <xsd:schema targetNamespace="urn:a"><xsd:include schemaLocation="a.xsd"/></xsd:schema>
  <xsd:schema targetNamespace="urn:b"><xsd:element name="Hdr" type="a:T"/></xsd:schema>
</types>
<message name="Req"><part name="body" element="a:Req"/><part name="hdr" element="b:Hdr"/></message>
<message name="Resp"><documentation>Response.</documentation><part name="body" element="a:Resp"/></message>
<message name="Err"><part name="detail" type="a:T"/></message>
<portType name="PT">
  <operation name="Op">
    <documentation>Does it.</documentation>
    <input name="OpIn" message="tns:Req" wsam:Action="urn:svc:Op"/>
    <output message="tns:Resp" wsam:Action="urn:svc:OpResponse"/>
    <fault name="F" message="tns:Err"/>
  </operation>
</portType>
<binding name="B" type="tns:PT">
  <wsp:PolicyReference URI="#p"/>
  <soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
  <operation name="Op">
    <soap12:operation soapAction="urn:svc:Op"/>
    <input><soap12:body use="literal" parts="body"/><soap12:header message="tns:Req" part="hdr" use="literal"/></input>
    <output><soap12:body/></output>
    <fault name="F"><soap12:fault name="F" use="literal"/></fault>
  </operation>
</binding>
<service name="S"><port name="P" binding="tns:B"><soap12:address location="https://example.org/svc"/></port></service>
</definitions>
`,
	"/w/a.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a">
<xs:element name="Req" type="xs:string"/><xs:element name="Resp" type="xs:string"/>
<xs:complexType name="T"/>
</xs:schema>`,
}

func TestLoad(t *testing.T) {
	d, s, errs := load(t, good, "/w/svc.wsdl")
	wantErrors(t, errs)
	if d.Name != "Svc" || d.TargetNamespace != "urn:svc" || d.Doc != "The service." || d.File != "/w/svc.wsdl" || d.Prefixes["tns"] != "urn:svc" {
		t.Errorf("definitions = %+v", d)
	}
	if _, ok := s.LookupElement(xsd.QName{Space: "urn:b", Local: "Hdr"}); !ok {
		t.Error("second embedded schema not loaded")
	}
	if len(d.Messages) != 3 || d.Messages[1].Doc != "Response." || d.Messages[0].Parts[1].Element != (xsd.QName{Space: "urn:b", Local: "Hdr"}) {
		t.Errorf("messages = %+v", d.Messages)
	}
	if p := d.Messages[2].Parts[0]; p.Type != (xsd.QName{Space: "urn:a", Local: "T"}) || !p.Element.IsZero() {
		t.Errorf("type part = %+v", p)
	}
	op := d.PortTypes[0].Operations[0]
	if op.Doc != "Does it." || op.Input.Name != "OpIn" || op.Input.Action != "urn:svc:Op" || op.Output.Action != "urn:svc:OpResponse" ||
		op.Input.Message != (xsd.QName{Space: "urn:svc", Local: "Req"}) || len(op.Faults) != 1 || op.Faults[0].Name != "F" {
		t.Errorf("operation = %+v", op)
	}
	b := d.Bindings[0]
	if b.Version != wsdl.SOAP12 || b.Style != "document" || b.Transport != "http://schemas.xmlsoap.org/soap/http" || b.Type != (xsd.QName{Space: "urn:svc", Local: "PT"}) {
		t.Errorf("binding = %+v", b)
	}
	bo := b.Operations[0]
	if bo.SOAPAction != "urn:svc:Op" || !bo.SOAPActionSet || bo.Style != "" {
		t.Errorf("binding operation = %+v", bo)
	}
	if in := bo.Input; in.Use != "literal" || len(in.Parts) != 1 || in.Parts[0] != "body" || len(in.Headers) != 1 || in.Headers[0].Part != "hdr" {
		t.Errorf("input = %+v", in)
	}
	if out := bo.Output; out.Use != "literal" || out.Parts != nil {
		t.Errorf("output = %+v", out)
	}
	if f := bo.Faults[0]; f.Name != "F" || f.Use != "literal" {
		t.Errorf("fault = %+v", f)
	}
	if p := d.Services[0].Ports[0]; p.Address != "https://example.org/svc" || p.Binding != b.Name || p.Name != "P" {
		t.Errorf("port = %+v", p)
	}
	if d.Services[0].Pos != (diag.Pos{File: "/w/svc.wsdl", Line: 31, Col: 1}) {
		t.Errorf("service pos = %v", d.Services[0].Pos)
	}
}

func TestLoadErrors(t *testing.T) {
	files := memFS{
		"/w/bad.wsdl": head + `<types><xsd:schema targetNamespace="urn:a"><xsd:element name="E" type="xsd:string"/></xsd:schema><foo:types xmlns:foo="urn:foo"/></types>
<message name="M"><part name="p" element="a:Missing"/><part name="q" type="a:NoType"/><part name="r"/></message>
<message name="M"/>
<portType name="PT">
  <operation name="Op1"><input message="tns:M"/><output message="tns:Nope"/></operation>
  <operation name="Op2"><input message="tns:M"/></operation>
  <bogus/>
</portType>
<binding name="B" type="tns:PT">
  <soap12:binding/>
  <operation name="Op1">
    <soap:operation soapAction="x"/>
    <input><soap12:body parts="zz"/><soap12:header message="tns:M" part="nopart"/></input>
    <soap12:unknown/>
  </operation>
  <operation name="Op3"/>
  <ext:thing xmlns:ext="urn:ext" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" wsdl:required="true"/>
</binding>
<binding name="B2" type="tns:Nowhere"/>
<service name="S"><port name="P" binding="tns:Missing"/></service>
</definitions>
`,
	}
	_, _, errs := load(t, files, "/w/bad.wsdl")
	wantErrors(t, errs,
		`/w/bad.wsdl:5:98: unsupported type system in wsdl:types: {urn:foo}types (only XML Schema is supported)`,
		`/w/bad.wsdl:6:19: unresolved element {urn:a}Missing in element="a:Missing"`,
		`/w/bad.wsdl:6:55: unresolved type {urn:a}NoType in type="a:NoType"`,
		`/w/bad.wsdl:6:87: wsdl:part r has neither element nor type`,
		`/w/bad.wsdl:7:1: duplicate wsdl:message {urn:svc}M: also defined at /w/bad.wsdl:6:1`,
		`/w/bad.wsdl:9:49: unresolved message {urn:svc}Nope in message="tns:Nope"`,
		`/w/bad.wsdl:11:3: unsupported WSDL element wsdl:bogus in wsdl:portType`,
		`/w/bad.wsdl:13:1: operation Op2 of portType {urn:svc}PT is not bound in binding {urn:svc}B`,
		`/w/bad.wsdl:15:3: binding operation Op1 has no wsdl:output, but its portType operation has one`,
		`/w/bad.wsdl:16:5: SOAP 1.1 element soap:operation in a SOAP 1.2 binding`,
		`/w/bad.wsdl:17:5: soap:body parts: message {urn:svc}M has no part zz`,
		`/w/bad.wsdl:17:37: soap:header: message {urn:svc}M has no part nopart`,
		`/w/bad.wsdl:18:5: unsupported SOAP binding element soap12:unknown in wsdl:operation`,
		`/w/bad.wsdl:20:3: binding operation Op3: portType {urn:svc}PT has no operation Op3`,
		`/w/bad.wsdl:21:3: required extension element {urn:ext}thing is not supported`,
		`/w/bad.wsdl:23:1: unresolved portType {urn:svc}Nowhere in type="tns:Nowhere"`,
		`/w/bad.wsdl:24:19: unresolved binding {urn:svc}Missing in binding="tns:Missing"`,
	)
}

func TestImports(t *testing.T) {
	files := memFS{
		"/w/main.wsdl": head + `<import namespace="urn:other" location="sub/other.wsdl"/>
<import namespace="urn:a" location="a.xsd"/>
<binding name="B" type="o:PT" xmlns:o="urn:other"><soap:binding/><operation name="Op"><soap:operation soapAction=""/><input><soap:body/></input></operation></binding>
<service name="S"><port name="P" binding="tns:B"><soap:address location="http://x"/></port></service>
</definitions>`,
		"/w/sub/other.wsdl": `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:o="urn:other" xmlns:a="urn:a" targetNamespace="urn:other">
<import namespace="urn:svc" location="../main.wsdl"/>
<message name="M"><part name="p" element="a:E"/></message>
<portType name="PT"><operation name="Op"><input message="o:M"/></operation></portType>
</definitions>`,
		"/w/a.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a"><xs:element name="E"/></xs:schema>`,
	}
	d, s, errs := load(t, files, "/w/main.wsdl")
	wantErrors(t, errs)
	if len(d.Messages) != 1 || len(d.PortTypes) != 1 || d.PortTypes[0].Name.Space != "urn:other" || d.Bindings[0].Version != wsdl.SOAP11 {
		t.Errorf("merged definitions = %+v", d)
	}
	if op := d.Bindings[0].Operations[0]; !op.SOAPActionSet || op.SOAPAction != "" {
		t.Errorf("soapAction=\"\" must be set: %+v", op)
	}
	if _, ok := s.LookupElement(xsd.QName{Space: "urn:a", Local: "E"}); !ok {
		t.Error("schema imported by wsdl:import not loaded")
	}
}

func TestImportErrors(t *testing.T) {
	files := memFS{
		"/w/main.wsdl": head + `<import namespace="urn:x" location="other.wsdl"/>
<import namespace="urn:x" location="missing.wsdl"/>
<import namespace="urn:x" location="http://example.org/x.wsdl"/>
<import namespace="urn:x" location="notwsdl.xml"/>
</definitions>`,
		"/w/other.wsdl":  `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:y"/>`,
		"/w/notwsdl.xml": `<root/>`,
	}
	_, _, errs := load(t, files, "/w/main.wsdl")
	wantErrors(t, errs,
		`/w/main.wsdl:5:1: the imported WSDL document /w/other.wsdl has targetNamespace "urn:y", but wsdl:import declares "urn:x"`,
		`/w/main.wsdl:6:1: cannot read /w/missing.wsdl: file does not exist`,
		`/w/main.wsdl:7:1: location "http://example.org/x.wsdl": "http://example.org/x.wsdl" is an absolute URL and no XML catalog is configured (dmpgen never uses the network); map it to a local copy with an XML catalog entry such as <uri name="http://example.org/x.wsdl" uri="LOCAL/PATH.wsdl"/>, or <rewriteURI uriStartString="http://example.org/" rewritePrefix="LOCAL/DIR/"/> for its whole folder (paths relative to the catalog file), and name the catalog in catalogs: of dmpgen.yaml or with -catalog FILE`,
		`/w/main.wsdl:8:1: /w/notwsdl.xml is not a WSDL 1.1 document: its root element is {}root`,
	)
}

func TestLoadMissingOrBroken(t *testing.T) {
	files := memFS{"/w/broken.wsdl": "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\">\n<message>\n</definitions>"}
	d, _, errs := load(t, files, "/w/none.wsdl")
	if d != nil {
		t.Error("Definitions for a missing file")
	}
	wantErrors(t, errs, `/w/none.wsdl: cannot read /w/none.wsdl: file does not exist`)
	_, _, errs = load(t, files, "/w/broken.wsdl")
	wantErrors(t, errs, `/w/broken.wsdl:3:1: not well-formed: end tag </definitions> does not match start tag <message> at 2:1`)
}

// TestDeviations checks that the tolerated Basic Profile deviations are
// bound (not errors) and recorded with their rule.
func TestDeviations(t *testing.T) {
	const doc = `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:d" targetNamespace="urn:d">
  <types><xsd:schema targetNamespace="urn:d"><xsd:element name="E" type="xsd:string"/></xsd:schema></types>
  <message name="M"><part name="p" element="tns:E" type="xsd:string"/></message>
  <portType name="P"><operation name="o"><input message="tns:M"/><fault name="F" message="tns:M"/></operation></portType>
  <binding name="B" type="tns:P"><soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="o"><input><soap12:body use="literal"/></input><fault name="F"><soap12:fault name="G" use="literal"/></fault></operation>
  </binding>
</definitions>`
	d, _, errs := load(t, memFS{"/k/d.wsdl": doc}, "/k/d.wsdl")
	wantErrors(t, errs)
	var got []string
	for _, dv := range d.Deviations {
		got = append(got, dv.Pos.String()+" "+dv.Rule+": "+dv.Msg)
	}
	want := []string{
		`/k/d.wsdl:4:21 bp-part-element-and-type: wsdl:part p has both element and type`,
		`/k/d.wsdl:7:84 bp-fault-name: soap12:fault name "G" differs from the wsdl:fault name "F"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("deviations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := d.Messages[0].Parts[0]; p.Element.Local != "E" || !p.Type.IsZero() {
		t.Errorf("part bound to element %v, type %v; want the element only", p.Element, p.Type)
	}
	if f := d.Bindings[0].Operations[0].Faults[0]; f.Name != "F" {
		t.Errorf("binding fault name %q, want F", f.Name)
	}
}
