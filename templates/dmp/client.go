//go:build dmpgen_template

// Package dmp is the typed API of the DMP (Dossier Médical Partagé)
// transactions: one method of Client per transaction of the DMP interfaces
// (docs/transactions.md), built on the generated SOAP clients, runtime/soap and the
// XDS metadata model of runtime/xds.
//
//	TD3.1  FindDocuments           ITI-18 FindDocuments
//	       GetDocuments            ITI-18 GetDocuments
//	TD3.2  Retrieve                ITI-43, documents streamed to the caller
//	TD2.1  Publish                 ITI-41, MTOM, hash and size computed while streaming,
//	                               optional XAdES signature document ("signs")
//	TD3.3  Archive, Delete         ITI-57 UpdateAvailabilityStatus
//	TD3.3a Mask, Unmask            ITI-57 metadata update: next version of the entry with
//	                               confidentialityCode MASQUE_PS added or removed
//	                               (the kit's template_masquage.xml; TD number a GUESS)
//	TD0.2  TestExistence           HL7 v3 Get Demographics, reason TEST_EXST
//	TD1.3a ReadDMP                 HL7 v3 Get Demographics, reason CNSLT_DATA
//	       CreateDMP               HL7 v3 Patient Add (no example; TD number unknown)
//	TD1.3b UpdateDMP               HL7 v3 Patient Revise, reason MODIF_DATA (oppositions)
//	TD1.4  CloseDMP                HL7 v3 Patient Revise, reason FERM
//	TD0.5  SearchPatients          PDQ v3 FindCandidates (PRPA_IN201305UV02)
//	TD0.3  SetAuthorization        Habilitations setAuthorization
//	TD1.6  ListAuthorizations      Habilitations listAuthorizationByPatient
//	TD0.4  ListAuthorizedPatients  PatientsSpecific patientList
//	TD1.5a CreatePatientAccess     legacy PatientsSpecific createPatientAccess
//	TD1.5b UpdatePatientOTP        legacy PatientsSpecific patientOTPUpdate
//	TD1.5d UpdatePatientAccess     legacy PatientsSpecific updatePatientAccess
//
// The TD1.5 transactions are legacy: removed from PatientsSpecific.wsdl
// 1.0.2 (2024); endpoints that still serve kit 2.06.01 (Endpoints.LegacyPatients).
//
// Every request that carries generated identifiers or times takes them from
// Options (NewUUID, NewUniqueID, Now), so tests build reproducible messages.
// Failures are *Error values that keep the DMP error codes and texts and wrap
// runtime/soap's typed errors (*soap.FaultError, *soap.RegistryError, ...).
//
// Per-call SOAP options travel in the context (soap.WithCallOptions): for
// instance soap.SentMessageID to log the wsa:MessageID of each transaction,
// the identifier DMP support asks for. With a lenient client
// (Options.SOAP: soap.WithLenientDecoding), soap.CollectWarnings there
// collects what each call tolerated, whatever the method returns or fails
// with:
//
//	var warnings []string
//	res, err := c.FindDocuments(soap.WithCallOptions(ctx, soap.CollectWarnings(&warnings)), q)
//
// A lenient client keeps the elements and attributes a response holds
// beyond the schema in the generated values (their Unknown field), with a
// warning for each; the results of this package hold what they map, so the
// warnings are how a caller learns that a response held more.
package dmp

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"time"

	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/generated/dmp/patients"
	legacypatients "github.com/dmpgen/dmpgen/generated/dmplegacy/patients"
	"github.com/dmpgen/dmpgen/generated/gdp/gdp"
	"github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/generated/xds/rs"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/oid"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/uuid"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// Endpoints are the URLs of the DMP services. An empty URL means the
// service is not used (its methods fail with ErrNoEndpoint).
type Endpoints struct {
	Registry      string // XDS.b DocumentRegistry (TD3.1, TD3.3)
	Repository    string // XDS.b DocumentRepository (TD2.1, TD3.2)
	GDP           string // GestionDossierPatientPartage (TD0.2, TD1.3, TD1.4, creation)
	PDQ           string // PDQSupplier (TD0.5)
	Habilitations string // Habilitations (TD0.3, TD1.6)
	Patients      string // PatientsSpecific (TD0.4)
	// LegacyPatients is a PatientsSpecific endpoint that still serves kit
	// 2.06.01 (TD1.5a, TD1.5b, TD1.5d: legacy, removed from
	// PatientsSpecific.wsdl 1.0.2 (2024)).
	LegacyPatients string
}

// Options configure a Client. Zero fields take the defaults given.
type Options struct {
	// Now is the clock of submission, creation and message times
	// (time.Now).
	Now func() time.Time
	// NewUUID generates UUIDs: HL7 message and query ids, XDS entryUUIDs
	// when asked for (random version 4 UUIDs from crypto/rand).
	NewUUID func() (uuid.UUID, error)
	// NewUniqueID generates the XDS uniqueId of a submission set or of a
	// signature document when the caller gives none (an OID under 2.25
	// from a random UUID).
	NewUniqueID func() (string, error)
	// Sender is the HL7 v3 sending device (the software): its id root OID
	// and name, as in the TD0.2 example (1.3.6.1.4.1.48364 "LPS GIE-SV").
	Sender Device
	// MessageIDRoot and QueryIDRoot root the ids of the HL7 v3 messages
	// and queries sent (id/@root, queryId/@root; the extension is a new
	// UUID): Sender.Root+".1.1" and Sender.Root+".2" when empty, as in the
	// official examples.
	MessageIDRoot, QueryIDRoot string
	// ProcessingCode is the HL7 v3 processingCode of the messages sent:
	// "D" when empty, as in every official example (what the production
	// DMP expects is UNVERIFIED).
	ProcessingCode string
	// Locale, when set, is written as xml:lang and charset="UTF8" on every
	// LocalizedString of the XDS metadata built here, as the DMP examples
	// do (DefaultLocale).
	Locale *Locale
	// NoValueSets turns off the check of the submitted coded metadata
	// (classCode, typeCode, formatCode…) against the DMP value sets
	// (xdsrim.DMPValueSets), which Publish and the status and metadata
	// updates apply before sending, with the IHE rules, so that a code the
	// DMP refuses is reported before the DMP refuses it.
	NoValueSets bool
	// NoRequestChecks turns off the IHE request rules (xds.ValidateQuery
	// for ITI-18, xds.ValidateRetrieve for ITI-43) that FindDocuments,
	// GetDocuments and Retrieve apply before sending, so that a request
	// the DMP would refuse is reported with its rule and nothing is sent.
	NoRequestChecks bool
	// SOAP are options for every soap.Client that New creates, after its
	// own (soap.WithLenientDecoding for a server that answers as some
	// official examples do, soap.WithMaxResponseSize, ...). NewFromSOAP
	// ignores them: its soap.Client is configured by the caller. The
	// warnings of a lenient client are collected per call through the
	// context (see the package documentation).
	SOAP []soap.Option
}

// Locale is the xml:lang and charset of the LocalizedStrings of XDS
// metadata.
type Locale struct {
	Lang    string
	Charset string
}

// DefaultLocale is the locale of the official DMP examples.
var DefaultLocale = Locale{Lang: "FR", Charset: "UTF8"}

// Device is an HL7 v3 device (sender or receiver of a message).
type Device struct {
	Root string // id/@root
	Name string // softwareName
}

// DMPDevice is the HL7 v3 receiver device of every DMP message.
var DMPDevice = Device{Root: "1.2.250.1.213.4.1.1.1", Name: "DMP"}

// Client calls the DMP transactions. It is safe for concurrent use.
type Client struct {
	registry   *xdsb.DocumentRegistryClient
	repository *xdsb.DocumentRepositoryClient
	gdp        *gdp.GDPClient
	opts       Options
	ends       Endpoints
	soaps      map[string]*soap.Client
}

// New returns a client for the endpoints, sending over hc (soap.NewHTTPClient
// with the client certificate) with the header block of provider (the VIHF:
// a *wssec.Provider) on every request. wsa:To is left empty, as in the DMP
// examples.
func New(ends Endpoints, hc *http.Client, provider soap.HeaderProvider, o Options) *Client {
	mk := func(url string) *soap.Client {
		if url == "" {
			return nil
		}
		opts := []soap.Option{soap.WithAddressingTo(""), soap.WithPrefixes(prefixes)}
		if hc != nil {
			opts = append(opts, soap.WithHTTPClient(hc))
		}
		if provider != nil {
			opts = append(opts, soap.WithHeader(provider))
		}
		return soap.NewClient(url, append(opts, o.SOAP...)...)
	}
	return newClient(ends, o, map[string]*soap.Client{
		"Registry": mk(ends.Registry), "Repository": mk(ends.Repository), "GDP": mk(ends.GDP),
		"PDQ": mk(ends.PDQ), "Habilitations": mk(ends.Habilitations), "Patients": mk(ends.Patients),
		"LegacyPatients": mk(ends.LegacyPatients),
	})
}

// NewFromSOAP returns a client that sends every transaction through c (one
// endpoint serving every DMP service, as the test DMP does).
func NewFromSOAP(c *soap.Client, o Options) *Client {
	m := map[string]*soap.Client{}
	for _, s := range []string{"Registry", "Repository", "GDP", "PDQ", "Habilitations", "Patients", "LegacyPatients"} {
		m[s] = c
	}
	return newClient(Endpoints{}, o, m)
}

func newClient(ends Endpoints, o Options, m map[string]*soap.Client) *Client {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NewUUID == nil {
		o.NewUUID = func() (uuid.UUID, error) { return uuid.New(rand.Reader) }
	}
	if o.NewUniqueID == nil {
		o.NewUniqueID = func() (string, error) { return oid.NewFromUUID(rand.Reader) }
	}
	c := &Client{opts: o, ends: ends, soaps: m}
	if s := m["Registry"]; s != nil {
		c.registry = xdsb.NewDocumentRegistryClient(s)
	}
	if s := m["Repository"]; s != nil {
		c.repository = xdsb.NewDocumentRepositoryClient(s)
	}
	if s := m["GDP"]; s != nil {
		c.gdp = gdp.NewGDPClient(s)
	}
	return c
}

// prefixes registers the namespace prefixes of the generated packages.
func prefixes(e *xmltext.Encoder) {
	for _, f := range []func(*xmltext.Encoder){rim.Prefixes, query.Prefixes, lcm.Prefixes, rs.Prefixes, xdsb.Prefixes, hl7v3.Prefixes, habilitations.Prefixes, patients.Prefixes, legacypatients.Prefixes} {
		f(e)
	}
	e.PreferPrefix(xmlbind.XSI, "xsi")
}

func (c *Client) soapClient(service, td string) (*soap.Client, error) {
	s := c.soaps[service]
	if s == nil {
		return nil, &Error{Transaction: td, Err: fmt.Errorf("%w: %s", ErrNoEndpoint, service)}
	}
	return s, nil
}

func (c *Client) newUUID() (string, error) {
	u, err := c.opts.NewUUID()
	if err != nil {
		return "", fmt.Errorf("generating a UUID: %w", err)
	}
	return u.String(), nil
}
