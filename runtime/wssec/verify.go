package wssec

import (
	"fmt"
	"time"

	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
)

// SOAP envelope namespaces.
const (
	NamespaceSOAP12 = "http://www.w3.org/2003/05/soap-envelope"
	NamespaceSOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
)

// Verify checks the VIHF of a received request (a whole SOAP envelope, or a
// bare wsse:Security header block), as a test DMP or any receiver does: the
// strict signature checks of v (exactly one assertion in the document, one
// Reference to it, trusted certificate), the assertion's place (a child of
// wsse:Security, itself in soap:Header), the time window at now with skew,
// and returns the claims read from the signed bytes only.
func Verify(msg []byte, v *xmldsig.Verifier, now time.Time, skew time.Duration) (*vihf.Token, *xmldsig.Verified, error) {
	ver, err := v.VerifyAssertion(msg)
	if err != nil {
		return nil, nil, err
	}
	if err := checkPlace(ver.Ancestors); err != nil {
		return nil, nil, err
	}
	tok, err := vihf.Read(ver.Element)
	if err != nil {
		return nil, nil, fmt.Errorf("wssec: %w", err)
	}
	if err := tok.CheckTime(now, skew); err != nil {
		return nil, nil, fmt.Errorf("wssec: %w", err)
	}
	return tok, ver, nil
}

func checkPlace(anc []xmldsig.Name) error {
	security := xmldsig.Name{Space: NamespaceWSSE, Local: "Security"}
	ok := false
	switch len(anc) {
	case 1:
		ok = anc[0] == security
	case 3:
		env := anc[0].Space
		ok = (env == NamespaceSOAP12 || env == NamespaceSOAP11) && anc[0].Local == "Envelope" &&
			anc[1] == xmldsig.Name{Space: env, Local: "Header"} && anc[2] == security
	}
	if !ok {
		return fmt.Errorf("wssec: the assertion is not in soap:Header/wsse:Security (ancestors %v)", anc)
	}
	return nil
}
