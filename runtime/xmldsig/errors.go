package xmldsig

import "fmt"

// Reason classifies why a signature was rejected.
type Reason int

// Rejection reasons.
const (
	// ReasonMalformed: the bytes are not acceptable XML (DTD, entity, bad encoding, …).
	ReasonMalformed Reason = iota + 1
	// ReasonStructure: the signature or the signed element has the wrong shape
	// (wrapping, duplicate IDs, several References, unexpected transforms, …).
	ReasonStructure
	// ReasonAlgorithm: an algorithm outside the allow-list.
	ReasonAlgorithm
	// ReasonDigest: a Reference digest does not match.
	ReasonDigest
	// ReasonSignature: the SignatureValue does not verify.
	ReasonSignature
	// ReasonCertificate: the certificate is missing, untrusted, expired or unfit.
	ReasonCertificate
)

func (r Reason) String() string {
	switch r {
	case ReasonMalformed:
		return "malformed"
	case ReasonStructure:
		return "structure"
	case ReasonAlgorithm:
		return "algorithm"
	case ReasonDigest:
		return "digest"
	case ReasonSignature:
		return "signature"
	case ReasonCertificate:
		return "certificate"
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// VerifyError is returned for every rejected document; use errors.As to read the Reason.
type VerifyError struct {
	Reason Reason
	Detail string
	Err    error // underlying error, if any
}

func (e *VerifyError) Error() string {
	msg := "xmldsig: rejected (" + e.Reason.String() + "): " + e.Detail
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *VerifyError) Unwrap() error { return e.Err }

func rejectf(r Reason, format string, args ...any) *VerifyError {
	return &VerifyError{Reason: r, Detail: fmt.Sprintf(format, args...)}
}

func rejectErr(r Reason, err error, format string, args ...any) *VerifyError {
	return &VerifyError{Reason: r, Detail: fmt.Sprintf(format, args...), Err: err}
}
