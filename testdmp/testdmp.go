// Package testdmp is an embedded test DMP, for testing DMP client code
// offline, from Go tests or as a local process (dmpgen testdmp). It serves,
// through the generated handlers, every operation of the DMP's WSDLs
// (docs/transactions.md) over in-memory state:
//
//   - XDS.b registry and repository: ITI-41, ITI-18, ITI-43 and ITI-57 as the
//     DMP uses them (TD2.1, TD3.1, TD3.2, TD3.3c/d), and ITI-57 metadata
//     updates (masking to professionals, TD3.3a): a new version of an entry,
//     checked against the current version of its lineage, which becomes
//     Deprecated. The confidentialityCodes (MASQUE_PS) are stored and
//     returned; no visibility rule filters masked documents;
//   - patient administration (GDP): dossier creation (PRPA_IN201311UV02),
//     existence test and consultation (TD0.2, TD1.3a), modification of the
//     demographics and oppositions (TD1.3b) and closure (TD1.4);
//   - PDQ patient search over the stored demographics (TD0.5);
//   - authorizations of professionals, with the role MEDECIN_TRAITANT (TD0.3,
//     TD1.6), and the list of a professional's patients (TD0.4);
//   - identity certification (patientCertif).
//
// The professional and the patient of a request come from its VIHF, through
// Options.Claims.
package testdmp

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/generated/dmp/patients"
	"github.com/dmpgen/dmpgen/generated/gdp/gdp"
	"github.com/dmpgen/dmpgen/generated/pdq/pdqv3"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/uuid"
)

// DMP is an in-memory test DMP. Its zero value is not usable: call New.
type DMP struct {
	xds *registry
	st  *state
}

// Claims are the facts of the request's VIHF the test DMP acts on.
type Claims struct {
	// PS is the professional's national identifier (saml2:Subject/NameID,
	// e.g. "899900063480").
	PS string
	// Patient is the patient's INS as an HL7 v2 CX
	// (urn:oasis:names:tc:xacml:2.0:resource:resource-id, e.g.
	// "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH"); empty when the
	// request concerns no patient.
	Patient string
}

// Options configure a test DMP.
type Options struct {
	// Attachments resolves the Content-ID of an xop:Include in the current
	// request to the attachment's bytes. When nil, a DMP served by a
	// runtime/soap Server reads the request's MTOM attachments.
	Attachments func(ctx context.Context, contentID string) ([]byte, error)
	// Claims returns the VIHF claims of the request being served. Every
	// operation but the XDS ones needs them and fails without.
	Claims func(ctx context.Context) (Claims, error)
	// Now is the clock (default time.Now).
	Now func() time.Time
	// LaxMetadata accepts submissions (ITI-41, ITI-57) whose XDS metadata
	// break the IHE rules or leave the DMP value sets; by default they
	// are refused with the registry error codes the DMP answers
	// (XDSRegistryMetadataError…), each violation listed.
	LaxMetadata bool
	// LaxRequests accepts stored queries (ITI-18) and retrieves (ITI-43)
	// that break the IHE request rules (xds.ValidateQuery,
	// xds.ValidateRetrieve); by default they are refused with the registry
	// error code of each violation (XDSStoredQueryMissingParam,
	// XDSUnknownRepositoryId…, xds.RequestErrorCode).
	LaxRequests bool
}

// New returns an empty test DMP.
func New(opts Options) *DMP {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	r := newRegistry()
	r.attachments = opts.Attachments
	r.now = now
	r.lax = opts.LaxMetadata
	r.laxRequests = opts.LaxRequests
	return &DMP{xds: r, st: &state{
		now: now, claims: opts.Claims, xds: r,
		byID: map[idKey]*patient{},
	}}
}

// Register adds the DMP's services to a SOAP server.
func (d *DMP) Register(s *soap.Server) {
	xdsb.RegisterDocumentRepository(s, d.xds)
	xdsb.RegisterDocumentRegistry(s, d.xds)
	gdp.RegisterGDP(s, gdpService{d.st})
	pdqv3.RegisterPDQSupplier(s, pdqService{d.st})
	habilitations.RegisterHabilitations(s, habService{d.st})
	patients.RegisterPatientSpecific(s, patientListService{d.st})
	patients.RegisterPatientCertification(s, certService{d.st})
}

// idKey is an instance identifier: an HL7 v3 II (root, extension), or the
// ID and assigning authority of a CX.
type idKey struct{ root, ext string }

func (k idKey) String() string { return k.ext + "@" + k.root }

// cxKey returns the identifier a CX names (CX.1 and the OID of CX.4).
func cxKey(cx string) (idKey, error) {
	c, err := hl7v2.ParseCX(cx)
	if err != nil {
		return idKey{}, fmt.Errorf("patient identifier %q: %w", cx, err)
	}
	if c.ID == "" || c.AssigningAuthority.UniversalID == "" {
		return idKey{}, fmt.Errorf("patient identifier %q: want ID^^^&OID&ISO", cx)
	}
	return idKey{root: c.AssigningAuthority.UniversalID, ext: c.ID}, nil
}

// state is the patient administration of the DMP: dossiers, their
// demographics and the professionals authorized on each.
type state struct {
	now    func() time.Time
	claims func(ctx context.Context) (Claims, error)
	xds    *registry

	mu       sync.Mutex
	patients []*patient // creation order
	byID     map[idKey]*patient
}

// errNoClaims is returned by operations that need the VIHF of the caller
// when Options.Claims is nil.
var errNoClaims = errors.New("testdmp: no VIHF claims source (Options.Claims is nil)")

// caller returns the claims of the request, which must name the PS.
func (s *state) caller(ctx context.Context) (Claims, error) {
	if s.claims == nil {
		return Claims{}, errNoClaims
	}
	c, err := s.claims(ctx)
	if err != nil {
		return Claims{}, fmt.Errorf("testdmp: VIHF: %w", err)
	}
	if c.PS == "" {
		return Claims{}, errors.New("testdmp: the VIHF names no professional (NameID)")
	}
	return c, nil
}

// lookup returns the dossier one of ids names; s.mu must be held.
func (s *state) lookup(ids ...idKey) *patient {
	for _, id := range ids {
		if p := s.byID[id]; p != nil {
			return p
		}
	}
	return nil
}

// newID returns a fresh UUID string for message identifiers.
func newID() string {
	u, err := uuid.New(rand.Reader)
	if err != nil {
		// crypto/rand does not fail on supported platforms.
		panic(fmt.Sprintf("testdmp: %v", err))
	}
	return u.String()
}

// hl7Time formats t as an HL7 TS to the second (the DMP examples' form).
func hl7Time(t time.Time) string { return t.Format("20060102150405") }
