package wssec

import "fmt"

// Reason classifies why a relying party refused a VIHF.
type Reason int

// Refusal reasons, each with what the sender has to change.
const (
	// ReasonSignature: the XML signature, its algorithms or its certificate
	// were refused; the wrapped *xmldsig.VerifyError says which.
	ReasonSignature Reason = iota + 1
	// ReasonPlace: the assertion is not a child of wsse:Security in soap:Header.
	ReasonPlace
	// ReasonProfile: the assertion is not a VIHF (shape, mode, version,
	// mandatory attributes, values outside their value sets).
	ReasonProfile
	// ReasonIssuer: saml2:Issuer is not the subject of the signing certificate.
	ReasonIssuer
	// ReasonSubject: in DIRECTE mode, the NameID is not the holder of the
	// signing card.
	ReasonSubject
	// ReasonNotYetValid: IssueInstant, AuthnInstant or NotBefore is in the
	// future beyond the clock skew (check the clocks).
	ReasonNotYetValid
	// ReasonExpired: past NotOnOrAfter, or issued longer ago than MaxAge
	// (build a VIHF for each request).
	ReasonExpired
	// ReasonLifetime: the declared validity window exceeds MaxValidity.
	ReasonLifetime
	// ReasonAudience: an AudienceRestriction that does not name this relying
	// party, or none where one is required.
	ReasonAudience
	// ReasonCondition: a condition this relying party cannot evaluate.
	ReasonCondition
	// ReasonReplay: the assertion was already accepted, or the replay cache
	// cannot tell (it is saturated).
	ReasonReplay
)

func (r Reason) String() string {
	switch r {
	case ReasonSignature:
		return "signature"
	case ReasonPlace:
		return "place"
	case ReasonProfile:
		return "profile"
	case ReasonIssuer:
		return "issuer"
	case ReasonSubject:
		return "subject"
	case ReasonNotYetValid:
		return "not yet valid"
	case ReasonExpired:
		return "expired"
	case ReasonLifetime:
		return "lifetime"
	case ReasonAudience:
		return "audience"
	case ReasonCondition:
		return "condition"
	case ReasonReplay:
		return "replay"
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// Error is returned for every refused VIHF; use errors.As to read the Reason
// (and errors.As again for the *xmldsig.VerifyError of ReasonSignature).
type Error struct {
	Reason Reason
	Detail string
	Err    error // underlying error, if any
}

func (e *Error) Error() string {
	msg := "wssec: VIHF refused (" + e.Reason.String() + ")"
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
