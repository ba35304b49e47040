//go:build dmpgen_template

package dmp

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/soap"
)

// ErrNoEndpoint reports a transaction whose service has no endpoint.
var ErrNoEndpoint = errors.New("no endpoint for the DMP service")

// ErrRejected reports a response in which the DMP refused the request
// without a SOAP fault or a registry error: an HL7 v3 acknowledgement other
// than AA, a status other than DMPOk.
var ErrRejected = errors.New("request rejected by the DMP")

// Detail is one error the DMP reported: its code (a DMP code such as
// DMPAccessDenied, an IHE code such as XDSRegistryError, an HL7
// acknowledgement detail code) and its text, kept as received.
type Detail struct {
	Code     string
	Text     string
	Severity string // registry errors: the severity URN
	Location string // registry errors: the location
}

// Error is a failed DMP transaction. Err is the underlying error:
// a runtime/soap error (*soap.FaultError, *soap.RegistryError,
// *soap.HTTPError, *soap.ProtocolError, ...), ErrRejected, a validation
// error of the request, or a transport error; errors.As reaches them.
type Error struct {
	Transaction string   // "TD3.1", "TD2.1", ...
	Details     []Detail // the DMP's error codes and texts, in order
	Err         error
}

// Error returns "dmp TD3.1: code: text; …: cause".
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dmp %s", e.Transaction)
	for i, d := range e.Details {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(d.Code)
		if d.Text != "" {
			b.WriteString(": " + d.Text)
		}
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Codes returns the DMP error codes, in order.
func (e *Error) Codes() []string {
	out := make([]string, len(e.Details))
	for i, d := range e.Details {
		out[i] = d.Code
	}
	return out
}

// wrap turns an error of a call into an *Error carrying the codes of a
// registry error or of a SOAP fault.
func wrap(td string, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Transaction: td, Err: err}
	var re *soap.RegistryError
	var fe *soap.FaultError
	switch {
	case errors.As(err, &re):
		for _, r := range re.Errors {
			text := r.CodeContext
			if text == "" {
				text = r.Text
			}
			e.Details = append(e.Details, Detail{Code: r.ErrorCode, Text: text, Severity: r.Severity, Location: r.Location})
		}
	case errors.As(err, &fe):
		code := fe.Code
		if len(fe.Subcodes) > 0 {
			code = fe.Subcodes[len(fe.Subcodes)-1].Local
		}
		e.Details = append(e.Details, Detail{Code: code, Text: fe.Reason})
	}
	// The details repeat what soap's error says: keep Err for errors.As and
	// avoid printing the codes twice.
	if len(e.Details) > 0 {
		e.Err = quiet{err}
	}
	return e
}

// quiet is an error whose text is already carried by the Details of the
// *Error holding it.
type quiet struct{ err error }

func (q quiet) Error() string { return "(" + kind(q.err) + ")" }
func (q quiet) Unwrap() error { return q.err }

func kind(err error) string {
	var re *soap.RegistryError
	if errors.As(err, &re) {
		return "registry response " + re.Status
	}
	return "SOAP fault"
}
