// Package wsdl reads WSDL 1.1 documents with their SOAP 1.1 and SOAP 1.2
// bindings and WS-Addressing action annotations.
//
// Schemas embedded in wsdl:types and the documents they include or import are
// loaded into the same xsd.Set as the standalone schemas, so message parts
// resolve against one symbol space. wsdl:import is followed offline like
// xs:import.
package wsdl

import (
	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// Namespaces used in WSDL 1.1 documents.
const (
	NS       = "http://schemas.xmlsoap.org/wsdl/"
	SOAP11NS = "http://schemas.xmlsoap.org/wsdl/soap/"
	SOAP12NS = "http://schemas.xmlsoap.org/wsdl/soap12/"
	// WS-Addressing action attribute namespaces (wsaw:Action, wsam:Action).
	WSAWNS = "http://www.w3.org/2006/05/addressing/wsdl"
	WSAMNS = "http://www.w3.org/2007/05/addressing/metadata"
)

// Definitions is one WSDL document with the documents it imports merged in.
type Definitions struct {
	Pos             diag.Pos
	File            string // absolute path
	Name            string
	TargetNamespace string
	Doc             string
	// Prefixes declared on wsdl:definitions.
	Prefixes map[string]string

	// Components, in document order (imported documents' components follow, in import order).
	Messages  []*Message
	PortTypes []*PortType
	Bindings  []*Binding
	Services  []*Service

	// Deviations are the WS-I Basic Profile deviations found and bound
	// leniently, as deployed stacks (CXF, .NET) do. The caller reports them
	// as warnings, or as errors in strict mode.
	Deviations []Deviation
}

// Deviation is one tolerated WS-I Basic Profile deviation.
type Deviation struct {
	Pos  diag.Pos
	Rule string // Rule* constant
	Msg  string // what deviates
	// Binding says how the deviation is bound, e.g. "the wsdl:fault name is used".
	Binding string
}

// Names of the tolerated Basic Profile deviations.
const (
	// RuleFaultName: a soap:fault or soap12:fault name differs from its
	// wsdl:fault name (BP R2754); the wsdl:fault name is used.
	RuleFaultName = "bp-fault-name"
	// RulePartElemAndType: a wsdl:part has both element and type (BP
	// R2306); the element is used, as in document/literal.
	RulePartElemAndType = "bp-part-element-and-type"
	// RuleBodyNamespace: a soap:body of a document/literal binding has a
	// namespace attribute (BP R2716); it is ignored, the body element's
	// namespace applies.
	RuleBodyNamespace = "bp-body-namespace"
)

// Message is wsdl:message.
type Message struct {
	Pos   diag.Pos
	Name  xsd.QName
	Doc   string
	Parts []*Part
}

// Part is wsdl:part; exactly one of Element and Type is set.
type Part struct {
	Pos     diag.Pos
	Name    string
	Element xsd.QName
	Type    xsd.QName
}

// PortType is wsdl:portType.
type PortType struct {
	Pos        diag.Pos
	Name       xsd.QName
	Doc        string
	Operations []*Operation
}

// Operation is a portType operation.
type Operation struct {
	Pos    diag.Pos
	Name   string
	Doc    string
	Input  *IO // nil for a notification
	Output *IO // nil for one-way
	Faults []*IO
}

// IO is an operation's input, output or fault.
type IO struct {
	Pos     diag.Pos
	Name    string
	Message xsd.QName
	// Action is the wsam:Action, wsaw:Action or wsa:Action attribute, "" when absent.
	Action string
}

// SOAPVersion is the SOAP version of a binding.
type SOAPVersion int

// SOAP versions.
const (
	SOAP11 SOAPVersion = 11
	SOAP12 SOAPVersion = 12
)

// Binding is a wsdl:binding with a SOAP 1.1 or 1.2 binding extension.
// Bindings without a SOAP extension (HTTP, MIME-only) have Version 0.
type Binding struct {
	Pos        diag.Pos
	Name       xsd.QName
	Type       xsd.QName // the portType
	Version    SOAPVersion
	Style      string // "document" (default) or "rpc"
	Transport  string
	Operations []*BindingOperation
}

// BindingOperation is the binding of one operation.
type BindingOperation struct {
	Pos        diag.Pos
	Name       string
	SOAPAction string
	// SOAPActionSet distinguishes soapAction="" from an absent attribute.
	SOAPActionSet bool
	Style         string // "" = the binding's
	Input, Output *BindingIO
	Faults        []*BindingFault
}

// BindingIO is the soap:body and soap:header binding of an input or output.
type BindingIO struct {
	Pos   diag.Pos
	Name  string
	Use   string   // "literal" (also when soap:body has no use) or "encoded"
	Parts []string // soap:body/@parts; nil = all parts
	// Namespace is soap:body/@namespace (the wrapper namespace of rpc style), "" when absent.
	Namespace string
	Headers   []*HeaderBinding
}

// HeaderBinding is soap:header (or one of its soap:headerfault children).
type HeaderBinding struct {
	Pos     diag.Pos
	Message xsd.QName
	Part    string
	Use     string
	// Faults are the soap:headerfault children of a soap:header.
	Faults []*HeaderBinding
}

// BindingFault is soap:fault.
type BindingFault struct {
	Pos  diag.Pos
	Name string
	Use  string
}

// Service is wsdl:service.
type Service struct {
	Pos   diag.Pos
	Name  xsd.QName
	Doc   string
	Ports []*Port
}

// Port is wsdl:port with its soap:address or soap12:address (either one,
// whatever the binding's SOAP version: real WSDLs mix them).
type Port struct {
	Pos     diag.Pos
	Name    string
	Binding xsd.QName
	Address string
}
