package vet

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
)

// checkVIHF reads the VIHF of a request and checks its profile, its time
// window at the message time and, with trust anchors, its signature.
func (x *exchange) checkVIHF() {
	if x.dir != Request {
		return
	}
	sec := x.env.header(wssec.NamespaceWSSE, "Security")
	if sec == nil || find(sec.el, vihf.NamespaceSAML2, "Assertion") == nil {
		x.root.add("vihf.missing", 0, 0, "soap:Header", "no wsse:Security header with a saml2:Assertion: every DMP request carries a signed VIHF (docs/vihf.md)")
		return
	}
	add := func(id, msg string) { x.root.add(id, sec.line, sec.col, "", msg) }
	block, err := wssec.SecurityHeader(x.c.root)
	if err != nil {
		add("vihf.unreadable", err.Error())
		x.skipped(LayerVIHF, "the VIHF could not be read")
		return
	}
	doc, err := xmldsig.Parse(block)
	if err != nil {
		add("vihf.unreadable", err.Error())
		x.skipped(LayerVIHF, "the VIHF could not be read")
		return
	}
	var assertion *etree.Element
	for _, el := range doc.FindElements("//Assertion") {
		if xmldsig.Is(el, vihf.NamespaceSAML2, "Assertion") {
			assertion = el
			break
		}
	}
	if assertion == nil {
		add("vihf.unreadable", "no saml2:Assertion in the wsse:Security block cut from the envelope")
		return
	}
	tok, err := vihf.Read(assertion)
	if err != nil {
		add("vihf.shape", err.Error())
		x.skipped(LayerVIHF, "the assertion is not a VIHF: its attributes were not checked")
		return
	}
	if err := vihf.Check(tok.Claims); err != nil {
		var ve *vihf.Error
		if errors.As(err, &ve) {
			for _, p := range ve.Problems {
				add(vihfRule(p), p)
			}
		} else {
			add("vihf.shape", err.Error())
		}
	}
	at, from := x.c.date, "the HTTP Date header"
	if at.IsZero() {
		at, from = x.o.At, "the time given to vet"
	}
	if at.IsZero() {
		add("vihf.time-unchecked", fmt.Sprintf("IssueInstant %s not compared with the message time: the capture has no HTTP Date header; give one (dmpgen-vet -at)", vihf.FormatTime(tok.IssueInstant)))
	} else if err := tok.CheckTime(at, x.o.skew()); err != nil {
		add("vihf.time", fmt.Sprintf("at %s (%s): %v", vihf.FormatTime(at), from, err))
	}
	signed := false
	for _, c := range assertion.ChildElements() {
		signed = signed || xmldsig.Is(c, xmldsig.NamespaceDSig, "Signature")
	}
	if !signed {
		add("vihf.unsigned", "the saml2:Assertion has no ds:Signature: sign the VIHF (runtime/wssec Provider) with the card or the structure's certificate")
		return
	}
	if x.o.Trust == nil {
		add("vihf.signature-unchecked", "no trust anchors given (dmpgen-vet -trust CA.pem): the signature was not verified")
		return
	}
	now := at
	if now.IsZero() {
		now = tok.IssueInstant
	}
	v := &xmldsig.Verifier{Roots: x.o.Trust, Now: func() time.Time { return now }}
	p := &wssec.Policy{ClockSkew: x.o.skew(), AllowIncompleteVIHF: true, MaxAge: -1}
	if _, _, err := p.Verify(block, v, now); err != nil {
		var we *wssec.Error
		if errors.As(err, &we) && (we.Reason == wssec.ReasonNotYetValid || we.Reason == wssec.ReasonExpired) {
			return // the time window is the vihf.time finding
		}
		add("vihf.signature", err.Error())
	}
}

// vihfRule classifies a problem of vihf.Check.
func vihfRule(p string) string {
	switch {
	case strings.HasPrefix(p, "unknown mode"):
		return "vihf.mode-unknown"
	case strings.HasPrefix(p, "unknown VIHF_Version"):
		return "vihf.version-unknown"
	case strings.Contains(p, " is mandatory in mode "), strings.HasSuffix(p, " is missing"):
		return "vihf.attr-missing"
	case strings.Contains(p, " is not defined in VIHF "):
		return "vihf.attr-undefined"
	case strings.HasPrefix(p, "Conditions"):
		return "vihf.conditions"
	}
	return "vihf.attr-value"
}
