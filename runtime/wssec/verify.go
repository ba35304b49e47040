package wssec

import (
	"crypto/sha256"
	"crypto/x509"
	"slices"
	"time"

	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
)

// SOAP envelope namespaces.
const (
	NamespaceSOAP12 = "http://www.w3.org/2003/05/soap-envelope"
	NamespaceSOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
)

// Defaults of a Policy.
const (
	// DefaultClockSkew is the tolerance on every time comparison: two
	// minutes between the sender's clock and the relying party's.
	DefaultClockSkew = 2 * time.Minute
	// DefaultMaxAge bounds how long after its IssueInstant a VIHF is
	// accepted. A VIHF is built for each request: the kit's samples carry no
	// Conditions and an AuthnInstant equal to the IssueInstant, and Provider
	// signs a fresh one per call; five minutes cover a slow request.
	DefaultMaxAge = 5 * time.Minute
	// DefaultMaxValidity bounds the validity window a VIHF may declare
	// (NotOnOrAfter minus NotBefore, or minus IssueInstant): no per-request
	// token needs more than an hour, and a long window is what a leaked or
	// forged token wants.
	DefaultMaxValidity = time.Hour
)

// Policy is what a relying party requires of a VIHF beyond its XML
// signature (which the xmldsig.Verifier checks: trust anchors, algorithms,
// key usage). The zero value is the strict default; every rule can be
// relaxed by its named field. Configure it before use; it is then safe for
// concurrent use.
type Policy struct {
	// ClockSkew is the tolerance on every time comparison: DefaultClockSkew
	// when zero, none when negative.
	ClockSkew time.Duration
	// MaxAge bounds now minus IssueInstant: DefaultMaxAge when zero, no
	// bound when negative.
	MaxAge time.Duration
	// MaxValidity bounds the validity window the token declares:
	// DefaultMaxValidity when zero, no bound when negative.
	MaxValidity time.Duration

	// Audiences are this relying party's identifiers. A token carrying an
	// AudienceRestriction is accepted only if each restriction names one of
	// them; with no Audiences configured such a token is refused, since it
	// is meant for someone else (a VIHF for the DMP carries none).
	Audiences []string
	// RequireAudience refuses tokens without an AudienceRestriction naming
	// one of Audiences.
	RequireAudience bool
	// AllowUnknownConditions accepts conditions other than
	// AudienceRestriction and OneTimeUse (ProxyRestriction, extensions)
	// without evaluating them.
	AllowUnknownConditions bool

	// Replay, when set, refuses an assertion already accepted (by signer and
	// ID) while it is still valid; a OneTimeUse condition needs it. Servers
	// should set it; nil disables replay detection.
	Replay *ReplayCache

	// AllowIncompleteVIHF accepts assertions that fail vihf.Check (mode,
	// version, mandatory attributes, value sets). Read's shape checks still
	// apply.
	AllowIncompleteVIHF bool
	// AllowIssuerMismatch accepts a saml2:Issuer other than the signing
	// certificate's subject.
	AllowIssuerMismatch bool
	// AllowNameIDMismatch accepts, in DIRECTE mode, a NameID other than the
	// identifier of the signing card's holder.
	AllowNameIDMismatch bool
	// HolderID returns the identifier of a signing certificate's holder, to
	// which the NameID of a DIRECTE VIHF must be equal: the subject's single
	// CommonName when nil (CPS and IGC-Santé personal certificates carry the
	// national identifier there, e.g. CN=899900063480).
	HolderID func(*x509.Certificate) (string, error)
}

// Verify checks the VIHF of a received request (a whole SOAP envelope, or a
// bare wsse:Security header block) with the default Policy and the given
// clock skew (DefaultClockSkew when zero): see Policy.Verify. It does not
// detect replays: a server keeps a Policy with a ReplayCache instead.
func Verify(msg []byte, v *xmldsig.Verifier, now time.Time, skew time.Duration) (*vihf.Token, *xmldsig.Verified, error) {
	p := Policy{ClockSkew: skew}
	return p.Verify(msg, v, now)
}

// Verify checks the VIHF of a received request (a whole SOAP envelope, or a
// bare wsse:Security header block) as a relying party: the strict signature
// checks of v (exactly one assertion in the document, one Reference to it,
// allowed algorithms, a trusted certificate meant for signing), the
// assertion's place (a child of wsse:Security, itself in soap:Header), the
// VIHF profile, the Issuer and (DIRECTE) the NameID against the signing
// certificate, the time window at now, the conditions, and replays. It
// returns the claims read from the signed bytes only. Every refusal is an
// *Error with its Reason.
func (p *Policy) Verify(msg []byte, v *xmldsig.Verifier, now time.Time) (*vihf.Token, *xmldsig.Verified, error) {
	if p == nil {
		p = &Policy{}
	}
	ver, err := v.VerifyAssertion(msg)
	if err != nil {
		return nil, nil, refuse(ReasonSignature, err, "")
	}
	if err := checkPlace(ver.Ancestors); err != nil {
		return nil, nil, err
	}
	tok, err := vihf.Read(ver.Element)
	if err != nil {
		return nil, nil, refuse(ReasonProfile, err, "not a VIHF")
	}
	if err := p.checkTime(tok, now); err != nil {
		return nil, nil, err
	}
	if err := p.checkConditions(tok); err != nil {
		return nil, nil, err
	}
	if !p.AllowIncompleteVIHF {
		if err := vihf.Check(tok.Claims); err != nil {
			return nil, nil, refuse(ReasonProfile, err, "not a complete VIHF")
		}
	}
	if !p.AllowIssuerMismatch {
		if err := sameSubject(tok.Claims.Issuer, ver.Certificate); err != nil {
			return nil, nil, refuse(ReasonIssuer, nil, "saml2:Issuer must be the signing certificate's subject: %v", err)
		}
	}
	if tok.Claims.Mode == vihf.Directe && !p.AllowNameIDMismatch {
		holder := p.HolderID
		if holder == nil {
			holder = holderID
		}
		id, err := holder(ver.Certificate)
		if err != nil {
			return nil, nil, refuse(ReasonSubject, err, "DIRECTE mode: cannot read the card holder's identifier")
		}
		if id != tok.Claims.SubjectID {
			return nil, nil, refuse(ReasonSubject, nil, "DIRECTE mode: NameID %q is not the holder of the signing card (%q); a professional signs with their own card, a structure uses INDIRECTE mode", tok.Claims.SubjectID, id)
		}
	}
	if p.Replay != nil {
		h := sha256.New()
		h.Write(ver.Certificate.Raw)
		h.Write([]byte{0})
		h.Write([]byte(tok.ID))
		if err := p.Replay.Record(string(h.Sum(nil)), p.expiry(tok), now); err != nil {
			return nil, nil, refuse(ReasonReplay, err, "assertion %s", tok.ID)
		}
	}
	return tok, ver, nil
}

func (p *Policy) skew() time.Duration {
	switch {
	case p.ClockSkew == 0:
		return DefaultClockSkew
	case p.ClockSkew < 0:
		return 0
	}
	return p.ClockSkew
}

func orDefault(d, dflt time.Duration) time.Duration {
	if d == 0 {
		return dflt
	}
	return d
}

func (p *Policy) checkTime(tok *vihf.Token, now time.Time) error {
	skew := p.skew()
	late := now.Add(skew)
	if tok.IssueInstant.After(late) {
		return refuse(ReasonNotYetValid, nil, "IssueInstant %s is ahead of this server's clock (%s, skew %s): check the sender's clock",
			vihf.FormatTime(tok.IssueInstant), vihf.FormatTime(now), skew)
	}
	if tok.AuthnInstant.After(late) {
		return refuse(ReasonNotYetValid, nil, "AuthnInstant %s is in the future: check the sender's clock", vihf.FormatTime(tok.AuthnInstant))
	}
	if age := now.Sub(tok.IssueInstant); maxAge(p) > 0 && age > maxAge(p)+skew {
		return refuse(ReasonExpired, nil, "issued %s ago (IssueInstant %s), more than the %s allowed: build a VIHF for each request",
			age.Round(time.Second), vihf.FormatTime(tok.IssueInstant), maxAge(p))
	}
	c := tok.Claims.Conditions
	if c == nil {
		return nil
	}
	if !c.NotBefore.IsZero() && c.NotBefore.After(late) {
		return refuse(ReasonNotYetValid, nil, "not valid before %s", vihf.FormatTime(c.NotBefore))
	}
	if !c.NotOnOrAfter.IsZero() && !now.Add(-skew).Before(c.NotOnOrAfter) {
		return refuse(ReasonExpired, nil, "expired at %s (NotOnOrAfter)", vihf.FormatTime(c.NotOnOrAfter))
	}
	if limit := orDefault(p.MaxValidity, DefaultMaxValidity); limit > 0 && !c.NotOnOrAfter.IsZero() {
		start := tok.IssueInstant
		if !c.NotBefore.IsZero() {
			start = c.NotBefore
		}
		if w := c.NotOnOrAfter.Sub(start); w > limit {
			return refuse(ReasonLifetime, nil, "declares a validity of %s (%s to %s), more than the %s allowed: issue short-lived tokens",
				w, vihf.FormatTime(start), vihf.FormatTime(c.NotOnOrAfter), limit)
		}
	}
	return nil
}

func maxAge(p *Policy) time.Duration { return orDefault(p.MaxAge, DefaultMaxAge) }

// expiry is the last instant at which the time checks still accept tok.
func (p *Policy) expiry(tok *vihf.Token) time.Time {
	var end time.Time
	if m := maxAge(p); m > 0 {
		end = tok.IssueInstant.Add(m)
	}
	if c := tok.Claims.Conditions; c != nil && !c.NotOnOrAfter.IsZero() && (end.IsZero() || c.NotOnOrAfter.Before(end)) {
		end = c.NotOnOrAfter
	}
	if end.IsZero() {
		return time.Unix(1<<62, 0) // no bound: remembered until evicted
	}
	return end.Add(p.skew())
}

func (p *Policy) checkConditions(tok *vihf.Token) error {
	if len(tok.OtherConditions) > 0 && !p.AllowUnknownConditions {
		return refuse(ReasonCondition, nil, "conditions %v cannot be evaluated by this relying party", tok.OtherConditions)
	}
	if tok.OneTimeUse && p.Replay == nil {
		return refuse(ReasonCondition, nil, "a OneTimeUse token needs replay detection, which this relying party does not run (Policy.Replay)")
	}
	if len(tok.Audiences) == 0 {
		if p.RequireAudience {
			return refuse(ReasonAudience, nil, "no AudienceRestriction: the token must name this relying party (%v)", p.Audiences)
		}
		return nil
	}
	if len(p.Audiences) == 0 {
		return refuse(ReasonAudience, nil, "the token is restricted to %v, and this relying party has no audience configured (Policy.Audiences)", tok.Audiences)
	}
	for _, r := range tok.Audiences {
		if !slices.ContainsFunc(r, func(a string) bool { return slices.Contains(p.Audiences, a) }) {
			return refuse(ReasonAudience, nil, "the token is for %v, not for this relying party (%v)", r, p.Audiences)
		}
	}
	return nil
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
		return refuse(ReasonPlace, nil, "the assertion is not in soap:Header/wsse:Security (ancestors %v)", anc)
	}
	return nil
}
