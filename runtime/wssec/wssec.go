// Package wssec produces the WS-Security header of DMP requests: a
// wsse:Security element carrying the signed VIHF.
//
// Provider implements the SOAP runtime's header hook,
//
//	interface{ HeaderBlock(ctx context.Context, action string) ([]byte, error) }
//
// and returns one self-contained element (every namespace it uses is declared
// on itself) whose bytes are exactly the signed ones: the SOAP runtime inserts
// them verbatim into soap:Header, nothing re-marshals them.
//
// Policy.Verify is the receiving side (the test DMP, or any relying party):
// strict signature verification, the assertion's place in the header, the
// VIHF profile, the binding of Issuer and NameID to the signing
// certificate, the token's lifetime, its conditions and replays, and the
// claims read from the signed bytes only. ReplayCache remembers accepted
// assertions in bounded memory.
package wssec

import (
	"context"
	"errors"
	"fmt"

	"github.com/beevik/etree"
	"github.com/dmpgen/dmpgen/runtime/clockskew"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
)

// NamespaceWSSE is the WS-Security 1.0 secext namespace.
const NamespaceWSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"

// ClaimsFunc returns the VIHF claims for one request (the patient usually
// varies per request; action is the wsa:Action of the request).
type ClaimsFunc func(ctx context.Context, action string) (vihf.Claims, error)

// Provider builds, signs and serialises the wsse:Security header. It is safe
// for concurrent use when Claims is; every call builds and signs a fresh
// assertion (new ID and IssueInstant).
type Provider struct {
	// Builder builds the assertion (clock and ID source).
	Builder vihf.Builder
	// Signer holds the key (software key, or runtime/pkcs11 for a CPS card),
	// the certificates for KeyInfo and the hash (SHA-256 by default, SHA-1
	// for older DMP endpoints).
	Signer xmldsig.Signer
	// Claims supplies the claims of each request.
	Claims ClaimsFunc
	// Clock, when set, checks the local clock against the DMP's before
	// each signature (at most once per its Interval while they agree):
	// a VIHF is not signed when the clocks are further apart than its
	// Tolerance, since the DMP would refuse its times.
	Clock *clockskew.Guard
	// MustUnderstandNS, when set to a SOAP envelope namespace, adds
	// mustUnderstand="1" in that namespace (valid in SOAP 1.1 and 1.2; the
	// official samples omit it).
	MustUnderstandNS string
}

// HeaderBlock returns the signed wsse:Security element for one request.
// When the claims leave Issuer empty, it is the subject DN of the signing
// certificate (RFC 4514, in the certificate's order).
func (p *Provider) HeaderBlock(ctx context.Context, action string) ([]byte, error) {
	if p.Claims == nil {
		return nil, errors.New("wssec: Provider.Claims is nil")
	}
	if p.Clock != nil {
		if err := p.Clock.Check(ctx); err != nil {
			return nil, fmt.Errorf("wssec: not signing the VIHF: %w", err)
		}
	}
	claims, err := p.Claims(ctx, action)
	if err != nil {
		return nil, fmt.Errorf("wssec: claims for %s: %w", action, err)
	}
	if claims.Issuer == "" && len(p.Signer.Certificates) > 0 {
		claims.Issuer = issuerName(p.Signer.Certificates[0])
	}
	a, err := p.Builder.Build(claims)
	if err != nil {
		return nil, fmt.Errorf("wssec: %w", err)
	}
	sec := etree.NewElement("wsse:Security")
	sec.CreateAttr("xmlns:wsse", NamespaceWSSE)
	if p.MustUnderstandNS != "" {
		sec.CreateAttr("xmlns:soap", p.MustUnderstandNS)
		sec.CreateAttr("soap:mustUnderstand", "1")
	}
	sec.AddChild(a.Element)
	// A card signature takes human time (PIN entry): give up early if the
	// request is already cancelled.
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("wssec: %w", err)
	}
	if err := p.Signer.SignEnveloped(a.Element, a.ID, a.Issuer); err != nil {
		return nil, fmt.Errorf("wssec: signing the VIHF: %w", err)
	}
	return xmldsig.Serialize(sec), nil
}
