package soap

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// Kinds of [ProtocolError]; test with errors.Is(err, soap.ErrNotSOAP) and so on.
var (
	// ErrNotSOAP reports a message that is not XML or whose root is not a
	// SOAP envelope, or a Content-Type that cannot carry one.
	ErrNotSOAP = errors.New("not a SOAP message")
	// ErrVersionMismatch reports an envelope in a namespace other than the
	// SOAP 1.1 and 1.2 ones, or of the other SOAP version than the operation.
	ErrVersionMismatch = errors.New("SOAP version mismatch")
	// ErrBadEnvelope reports a malformed envelope: XML errors, children out
	// of order, several body elements, text where elements belong.
	ErrBadEnvelope = errors.New("malformed SOAP envelope")
	// ErrUnexpectedBody reports a body element that is not the one the
	// operation expects, or that the generated type cannot decode.
	ErrUnexpectedBody = errors.New("unexpected body")
	// ErrAddressing reports WS-Addressing headers that do not match the
	// exchange: a wrong wsa:Action, a missing or wrong wsa:RelatesTo, a
	// repeated header.
	ErrAddressing = errors.New("WS-Addressing mismatch")
	// ErrMustUnderstand reports a header block flagged mustUnderstand that
	// nothing here processes.
	ErrMustUnderstand = errors.New("header not understood")
	// ErrHeader reports a header block bound in the WSDL (soap:header)
	// that is missing, repeated, or that its generated type cannot decode
	// or validate.
	ErrHeader = errors.New("bad header block")
	// ErrAttachments reports attachments that do not match the xop:Include
	// elements of the envelope (sending side), or received attachments that
	// the caller gave no way to consume.
	ErrAttachments = errors.New("attachment mismatch")
)

// ProtocolError is a message that cannot be accepted. errors.Is(err, Kind)
// holds for it.
type ProtocolError struct {
	Kind error  // one of the Err* kinds of this package
	Msg  string // what exactly is wrong
	Err  error  // underlying cause (often a positioned *xmltext.Error), or nil
}

// Error returns "kind: msg: cause".
func (e *ProtocolError) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is reports whether target is the Kind of e.
func (e *ProtocolError) Is(target error) bool { return target == e.Kind }

// Unwrap returns the underlying cause.
func (e *ProtocolError) Unwrap() error { return e.Err }

func protocolErr(kind error, err error, format string, args ...any) *ProtocolError {
	return &ProtocolError{Kind: kind, Msg: fmt.Sprintf(format, args...), Err: err}
}

// Fault codes (SOAP 1.2 names; SOAP 1.1 Client and Server read as Sender and
// Receiver).
const (
	CodeSender              = "Sender"
	CodeReceiver            = "Receiver"
	CodeMustUnderstand      = "MustUnderstand"
	CodeVersionMismatch     = "VersionMismatch"
	CodeDataEncodingUnknown = "DataEncodingUnknown"
)

// FaultError is a SOAP fault: received by a [Client], or returned by a
// handler to make a [Server] send a specific fault.
type FaultError struct {
	// Code is the fault code in SOAP 1.2 terms (CodeSender, CodeReceiver…).
	// It is "" for a SOAP 1.1 faultcode outside the envelope namespace,
	// which is then Subcodes[0].
	Code string
	// Subcodes are the SOAP 1.2 Subcode values, outermost first (for a
	// SOAP 1.1 fault: its faultcode when not in the envelope namespace, as
	// wsse:InvalidSecurity). A server writes Subcodes[0] as the SOAP 1.1
	// faultcode.
	Subcodes []xmltext.Name
	Reason   string // first reason text (SOAP 1.1 faultstring)
	Lang     string // xml:lang of Reason ("en" when a server writes "")
	Node     string // SOAP 1.2 Node
	Role     string // SOAP 1.2 Role (SOAP 1.1 faultactor)

	// Name is the wsdl:fault name of a declared fault whose element is in
	// the detail; Detail is its decoded value. A handler sets Detail (and
	// Name when several declared faults share a Go type) to send one.
	Name   string
	Detail xmlbind.Value
	// DetailElements are the detail entries as received. A handler may set
	// them to send arbitrary detail entries.
	DetailElements []*xmltext.Element
	// Headers are the soap:headerfault blocks of the operation found in
	// the Header of a received fault, decoded; a handler sets them to send
	// them (each value's Go type names its block).
	Headers []xmlbind.Value

	Version    Version          // envelope version of a received fault
	HTTPStatus int              // HTTP status of a received fault
	Action     string           // wsa:Action of a received fault
	Element    *xmltext.Element // the received soap:Fault element, intact
}

// Error returns "soap fault Code[/Subcode…]: Reason".
func (e *FaultError) Error() string {
	var b strings.Builder
	b.WriteString("soap fault ")
	code := e.Code
	if code == "" {
		code = "?"
	}
	b.WriteString(code)
	for _, s := range e.Subcodes {
		b.WriteString("/")
		b.WriteString(s.String())
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Name != "" {
		b.WriteString(" [" + e.Name + "]")
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	return b.String()
}

// SenderFault returns a fault blaming the request.
func SenderFault(reason string, subcodes ...xmltext.Name) *FaultError {
	return &FaultError{Code: CodeSender, Reason: reason, Subcodes: subcodes}
}

// ReceiverFault returns a fault blaming the receiver.
func ReceiverFault(reason string, subcodes ...xmltext.Name) *FaultError {
	return &FaultError{Code: CodeReceiver, Reason: reason, Subcodes: subcodes}
}

// Registry response statuses (ebRS 3.0 and IHE).
const (
	StatusSuccess           = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
	StatusFailure           = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"
	StatusPartialSuccess    = "urn:ihe:iti:2007:ResponseStatusType:PartialSuccess"
	StatusPartialSuccessRS  = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:PartialSuccess"
	NamespaceRS             = "urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0"
	SeverityError           = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"
	SeverityWarning         = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning"
	statusPrefixRegrep      = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:"
	statusPrefixIHE         = "urn:ihe:iti:2007:ResponseStatusType:"
	defaultRegistrySeverity = SeverityError
)

// RegistryError is an ebRS registry response (rs:RegistryResponse, or a
// response carrying the same status and RegistryErrorList, such as
// query:AdhocQueryResponse or the RegistryResponse inside an ITI-43
// RetrieveDocumentSetResponse) whose status is not Success.
type RegistryError struct {
	Status  string               // the status URN as received
	Errors  []RegistryErrorEntry // rs:RegistryErrorList, in order
	Element xmltext.Name         // the element carrying the status
	// Response is the decoded response body: with PartialSuccess it holds
	// the part that succeeded. Attachments were delivered as usual.
	Response xmlbind.Value
}

// RegistryErrorEntry is one rs:RegistryError, kept as received.
type RegistryErrorEntry struct {
	ErrorCode   string // errorCode (DMP or IHE code, e.g. XDSRegistryError)
	CodeContext string // codeContext: the human-readable message
	Severity    string // severity URN (Error when absent)
	Location    string
	Text        string // element content
}

// PartialSuccess reports whether the status is PartialSuccess (IHE or ebRS).
func (e *RegistryError) PartialSuccess() bool {
	return e.Status == StatusPartialSuccess || e.Status == StatusPartialSuccessRS
}

// Error returns "registry response Failure: code: context; …".
func (e *RegistryError) Error() string {
	var b strings.Builder
	b.WriteString("registry response ")
	b.WriteString(statusName(e.Status))
	for i, r := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(r.ErrorCode)
		if r.CodeContext != "" {
			b.WriteString(": ")
			b.WriteString(r.CodeContext)
		}
		if r.Severity == SeverityWarning {
			b.WriteString(" (warning)")
		}
	}
	if len(e.Errors) == 0 {
		b.WriteString(" without RegistryErrorList")
	}
	return b.String()
}

func statusName(s string) string {
	for _, p := range []string{statusPrefixRegrep, statusPrefixIHE} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest
		}
	}
	return s
}

// HTTPError is an HTTP error status whose body is not a SOAP fault (or a
// success status with a body that is not SOAP at all).
type HTTPError struct {
	StatusCode  int
	Status      string
	ContentType string
	Body        []byte // first bytes of the body (up to 4 KiB)
	Err         error  // why the body is not a SOAP message, if it was read
}

// Error returns "HTTP 500 Internal Server Error (Content-Type …): body…: cause".
func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("HTTP %s (Content-Type %q)", e.Status, e.ContentType)
	if len(e.Body) > 0 {
		body := string(e.Body)
		if len(body) > 200 {
			body = body[:200] + "…"
		}
		msg += ": " + strings.Join(strings.Fields(body), " ")
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns why the body is not a SOAP message.
func (e *HTTPError) Unwrap() error { return e.Err }

// TooLargeError reports a message larger than the configured limit.
type TooLargeError struct {
	Limit int64  // bytes
	What  string // "response" or "request"
}

// Error returns "response larger than N bytes".
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s larger than %d bytes", e.What, e.Limit)
}
