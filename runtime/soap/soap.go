// Package soap runs the operations that dmpgen generates from WSDL SOAP
// bindings: a [Client] that calls them over HTTPS and a [Server]
// (an http.Handler) that dispatches them to handlers.
//
// Messages are SOAP 1.2 (application/soap+xml; action=…) or SOAP 1.1
// (text/xml and the SOAPAction header) envelopes carrying WS-Addressing
// headers: requests get a wsa:MessageID (urn:uuid), wsa:To, an anonymous
// wsa:ReplyTo and wsa:Action; responses get wsa:Action, wsa:MessageID and
// wsa:RelatesTo, which the client checks. Header blocks that must be signed
// byte for byte (the wsse:Security header of runtime/wssec) come from a
// [HeaderProvider] and are inserted verbatim.
//
// Operations flagged MTOMRequest are sent as MTOM/XOP multipart/related
// messages; their attachments ([Attachment], passed with [WithAttachments])
// are streamed from io.Readers through an io.Pipe, never held in memory.
// MTOM responses are read the same way: the envelope is decoded, then each
// attachment is streamed to the caller ([OnAttachment], [SpoolAttachments]).
// Plain responses and inline base64 content are accepted as well.
//
// Errors callers branch on are typed: [*FaultError] (a SOAP fault, with the
// detail of a declared WSDL fault decoded), [*RegistryError] (an ebRS
// RegistryResponse with status Failure or PartialSuccess), [*HTTPError] (an
// HTTP error status without a SOAP fault), [*TooLargeError] and
// [*ProtocolError] (a malformed or unexpected message; errors.Is against its
// Kind). MTOM packaging errors are runtime/mtom's *mtom.Error, and deadlines
// surface as context.DeadlineExceeded.
package soap

import (
	"fmt"

	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// Namespaces and well-known URIs.
const (
	NamespaceSOAP12 = "http://www.w3.org/2003/05/soap-envelope"
	NamespaceSOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
	NamespaceWSA    = "http://www.w3.org/2005/08/addressing"
	// AnonymousAddress is the WS-Addressing address meaning "the HTTP response".
	AnonymousAddress = NamespaceWSA + "/anonymous"
	// NoneAddress is the WS-Addressing address meaning "no message".
	NoneAddress = NamespaceWSA + "/none"
	// FaultAction is the WS-Addressing action of a SOAP fault.
	FaultAction = NamespaceWSA + "/soap/fault"
)

// Version is a SOAP version.
type Version int

// SOAP versions.
const (
	V11 Version = 11
	V12 Version = 12
)

// Namespace returns the envelope namespace of v ("" for an unknown version).
func (v Version) Namespace() string {
	switch v {
	case V11:
		return NamespaceSOAP11
	case V12:
		return NamespaceSOAP12
	}
	return ""
}

// String returns "SOAP 1.1" or "SOAP 1.2".
func (v Version) String() string {
	switch v {
	case V11:
		return "SOAP 1.1"
	case V12:
		return "SOAP 1.2"
	}
	return fmt.Sprintf("SOAP version %d", int(v))
}

// mustUnderstandTrue is the value of a true soap:mustUnderstand in v.
func (v Version) mustUnderstandTrue() string {
	if v == V11 {
		return "1"
	}
	return "true"
}

// Fault is a declared wsdl:fault of an operation.
type Fault struct {
	Name    string               // wsdl:fault name
	Element xmltext.Name         // the fault detail's element
	New     func() xmlbind.Value // new value for the detail element
}

// Operation describes one bound operation; generated code declares one
// package-level value per operation and never mutates it.
type Operation struct {
	Service        string       // Go name of the service (binding) for messages, e.g. "DocumentRegistry"
	Name           string       // WSDL operation name, e.g. "DocumentRegistry_RegistryStoredQuery"
	Version        Version      // SOAP version of the binding
	SOAPAction     string       // soap:operation/@soapAction (SOAP 1.1 SOAPAction header; SOAP 1.2 action= parameter)
	Action         string       // wsa:Action of the request
	ResponseAction string       // wsa:Action expected on the response
	Request        xmltext.Name // body element of the request (zero with AnyRequest)
	Response       xmltext.Name // body element of the response (zero for one-way and with AnyResponse)
	// AnyRequest and AnyResponse: the body element may be any element (a
	// WSDL part typed xs:anyType, bound to an xmlbind.Raw). A server routes
	// such a request by its wsa:Action or HTTP action only.
	AnyRequest, AnyResponse bool
	MTOMRequest             bool    // send the request as MTOM/XOP
	MTOMResponse            bool    // expect MTOM responses; plain responses are accepted too
	Endpoint                string  // default endpoint, may be ""
	Faults                  []Fault // declared faults
	// RequestHeaders and ResponseHeaders are the header blocks bound by
	// soap:header, in binding order; HeaderFaults those bound by
	// soap:headerfault, carried in the Header of a fault message.
	RequestHeaders, ResponseHeaders, HeaderFaults []Header
	// Types is the type resolver (xmltext.Options.Types) of the decoders of
	// the operation's messages, nil for none: generated services set it to
	// the NewType functions of their target's packages they can import.
	// Resolvers given by WithTypes or WithServerTypes are tried first.
	Types func(xmltext.Name) xmltext.Unmarshaler
}

// String returns "Service.Name".
func (op *Operation) String() string {
	if op.Service == "" {
		return op.Name
	}
	return op.Service + "." + op.Name
}

// oneWay reports whether the operation has no response message.
func (op *Operation) oneWay() bool { return op.Response == (xmltext.Name{}) && !op.AnyResponse }

// check reports an Operation that cannot be executed.
func (op *Operation) check() error {
	if op == nil {
		return fmt.Errorf("soap: nil Operation")
	}
	if op.Version != V11 && op.Version != V12 {
		return fmt.Errorf("soap: operation %s: unknown %v", op, op.Version)
	}
	if op.Request.Local == "" && !op.AnyRequest {
		return fmt.Errorf("soap: operation %s has no request element", op)
	}
	return nil
}

// fault returns the declared fault whose detail element is name.
func (op *Operation) fault(name xmltext.Name) *Fault {
	for i := range op.Faults {
		if op.Faults[i].Element == name {
			return &op.Faults[i]
		}
	}
	return nil
}
