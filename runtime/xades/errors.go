package xades

import "fmt"

// Reason classifies why a signature document was refused.
type Reason int

// Refusal reasons.
const (
	// ReasonSignature: the core XML signature, its algorithms or its
	// certificate were refused; the wrapped *xmldsig.VerifyError says which.
	ReasonSignature Reason = iota + 1
	// ReasonStructure: not an IHE DSG signature document (Manifest,
	// SignedProperties, SigningTime… missing or malformed).
	ReasonStructure
	// ReasonCertificate: SigningCertificate does not name the signer.
	ReasonCertificate
	// ReasonAlgorithm: a Manifest or CertDigest digest method outside the
	// Verifier's allow-list.
	ReasonAlgorithm
	// ReasonSigningTime: SigningTime in the future or outside the signing
	// certificate's validity.
	ReasonSigningTime
	// ReasonPurpose: no signed purpose of signature, or one not accepted.
	ReasonPurpose
	// ReasonDocuments: the Manifest does not list exactly the submitted
	// documents with their digests.
	ReasonDocuments
)

func (r Reason) String() string {
	switch r {
	case ReasonSignature:
		return "signature"
	case ReasonStructure:
		return "structure"
	case ReasonCertificate:
		return "certificate"
	case ReasonAlgorithm:
		return "algorithm"
	case ReasonSigningTime:
		return "signing time"
	case ReasonPurpose:
		return "purpose"
	case ReasonDocuments:
		return "documents"
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// Error is returned for every refused signature document; use errors.As to
// read the Reason.
type Error struct {
	Reason Reason
	Detail string
	Err    error // underlying error, if any
}

func (e *Error) Error() string {
	msg := "xades: signature refused (" + e.Reason.String() + ")"
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

func refuse(r Reason, err error, format string, args ...any) *Error {
	return &Error{Reason: r, Detail: fmt.Sprintf(format, args...), Err: err}
}
