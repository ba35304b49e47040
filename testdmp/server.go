package testdmp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// NewServer returns a new test DMP and the SOAP server (an http.Handler)
// that serves it: every request must carry a VIHF that v verifies
// (VerifyVIHF, with skew as the tolerance on its time window). When
// opts.Claims is nil the DMP takes the verified claims (ClaimsFromContext);
// when opts.Attachments is nil, ITI-41 reads the MTOM attachments of the
// request. ITI-43 answers with MTOM attachments.
func NewServer(v *xmldsig.Verifier, skew time.Duration, opts Options, sopts ...soap.ServerOption) (*DMP, *soap.Server) {
	if opts.Claims == nil {
		opts.Claims = ClaimsFromContext
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	d := New(opts)
	sopts = append([]soap.ServerOption{
		soap.WithHeaderHook(VerifyVIHF(v, now, skew)),
		soap.WithUnderstoodHeaders(xmltext.Name{Space: wssec.NamespaceWSSE, Local: "Security"}),
	}, sopts...)
	s := soap.NewServer(sopts...)
	d.Register(s)
	return d, s
}

type claimsKey struct{}

// faultInvalidToken is the WS-Security fault subcode of a VIHF that does
// not verify.
var faultInvalidToken = xmltext.Name{Space: wssec.NamespaceWSSE, Local: "InvalidSecurityToken"}

// VerifyVIHF returns a header hook that verifies the VIHF of every request
// with the strict runtime/wssec.Policy (signature chained to v's roots, the
// assertion's place in wsse:Security, the VIHF profile, its binding to the
// signing certificate, its time window at now within skew) and a
// wssec.ReplayCache of its own, and passes its claims to the handlers
// (ClaimsFromContext). A request whose VIHF does not verify, or replays one
// already accepted, gets a Sender fault.
//
// It verifies the wsse:Security header block in its place, as received:
// the Envelope and Header start tags with the block, byte for byte
// (wssec.SecurityHeader), so that a signature whose InclusiveNamespaces
// names a prefix of the Envelope verifies, while the body, whose IDs may
// repeat (an ITI-41 body repeats each ExtrinsicObject/@id as its
// Document/@id, as IHE requires), is left out.
func VerifyVIHF(v *xmldsig.Verifier, now func() time.Time, skew time.Duration) soap.HeaderHook {
	policy := &wssec.Policy{ClockSkew: skew, Replay: wssec.NewReplayCache(0)}
	return func(ctx context.Context, r *soap.Request) (context.Context, error) {
		doc, err := wssec.SecurityHeader(r.Envelope)
		if err != nil {
			return nil, soap.SenderFault("VIHF: "+err.Error(), faultInvalidToken)
		}
		tok, _, err := policy.Verify(doc, v, now())
		if err != nil {
			return nil, soap.SenderFault("VIHF: "+err.Error(), faultInvalidToken)
		}
		c := Claims{PS: tok.Claims.SubjectID}
		if tok.Claims.Patient.ID != "" {
			c.Patient = tok.Claims.Patient.Format()
		}
		return context.WithValue(ctx, claimsKey{}, c), nil
	}
}

// ClaimsFromContext returns the claims VerifyVIHF verified for the request
// being served; it is the Options.Claims of a DMP served by NewServer.
func ClaimsFromContext(ctx context.Context) (Claims, error) {
	c, ok := ctx.Value(claimsKey{}).(Claims)
	if !ok {
		return Claims{}, errors.New("no verified VIHF for this request")
	}
	return c, nil
}

// requestAttachments returns a resolver of the MTOM attachments of the
// request being served (nil outside a SOAP server): the first call reads
// them all, in message order.
func requestAttachments(ctx context.Context) func(ctx context.Context, contentID string) ([]byte, error) {
	if _, ok := soap.RequestFromContext(ctx); !ok {
		return nil
	}
	var parts map[string][]byte
	return func(ctx context.Context, contentID string) ([]byte, error) {
		if parts == nil {
			parts = map[string][]byte{}
			atts := soap.RequestAttachments(ctx)
			for {
				p, err := atts.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					return nil, fmt.Errorf("reading the attachments: %w", err)
				}
				b, err := io.ReadAll(p.Body)
				if err != nil {
					return nil, fmt.Errorf("reading attachment <%s>: %w", p.ContentID, err)
				}
				parts[p.ContentID] = b
			}
		}
		b, ok := parts[contentID]
		if !ok {
			return nil, fmt.Errorf("the request has no attachment <%s>", contentID)
		}
		return b, nil
	}
}
