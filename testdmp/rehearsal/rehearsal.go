// Package rehearsal runs the DMP compatibility flow against a recording
// test DMP (testdmp/devserver with Config.Record) and turns the recording
// into the evidence pack of dmpgen vet: an approval rehearsal before the
// DMP's own compatibility tests (docs/testdmp.md#approval-rehearsal).
//
// Run starts the test DMP, asks Config.Steps for the software under test
// (ClientSteps for a dmp.Client, or the vendor's own code) and drives it
// through the flow in order: TD0.2 (no DMP), creation, TD0.2 (a DMP),
// TD0.3 (removal, then addition) and TD1.6, TD1.3a, TD2.1 signed with XAdES, TD3.1, TD3.2, TD3.3a
// masking and unmasking, TD3.3d archiving and TD3.3c deletion, with the
// refusals the software must show: a request on a patient without DMP,
// a second creation, a read without authorization, a retrieve of an
// unknown document, a deletion of a document not archived, an expired
// VIHF and a publication with a code outside the value sets. Each refusal
// must reach the caller as an error carrying the DMP's error code (the
// software may refuse the publication itself, sending nothing).
package rehearsal

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xades"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/testdmp/devpki"
	"github.com/dmpgen/dmpgen/testdmp/devserver"
	"github.com/dmpgen/dmpgen/vet"
)

// StepHeader is the HTTP header the rehearsal adds to the requests sent
// through Env.HTTPClient: the ID of the step being run, which ties the
// recorded exchanges to the steps.
const StepHeader = "X-Dmpgen-Rehearsal-Step"

// CAFile is the development CA the recording's signatures chain to,
// written in the recording directory: dmpgen vet -report DIR -trust
// DIR/testdmp-ca.pem checks them again.
const CAFile = "testdmp-ca.pem"

// Env is what the software under test needs to reach the test DMP.
type Env struct {
	// Server is the running test DMP (its PKI files: Server.PKIFiles).
	Server *devserver.Server
	// Endpoints are the test DMP's service URLs.
	Endpoints dmp.Endpoints
	// HTTPClient presents the PKI's client certificate; its requests carry
	// StepHeader.
	HTTPClient *http.Client
	// VIHF signs the VIHF of each request with the PKI's CPS-like
	// certificate, with Claims as claims.
	VIHF *wssec.Provider
	// Signer signs the XAdES signature of TD2.1.
	Signer xmldsig.Signer
	// Claims are the VIHF claims of the professional about Patient.
	Claims vihf.Claims
	// Patient is the patient of the flow (the official examples' INS).
	Patient hl7v2.CX
	// Professional is the author of the GDP requests, Submission the
	// SubmissionSet of the XDS ones: the PKI's professional.
	Professional dmp.Professional
	Submission   dmp.Submission
}

// Client returns a dmp.Client of the test DMP for env.
func (env Env) Client() *dmp.Client {
	loc := dmp.DefaultLocale
	return dmp.New(env.Endpoints, env.HTTPClient, env.VIHF, dmp.Options{Locale: &loc, Sender: dmp.Device{Root: env.Submission.SourceID, Name: "DMPGEN REHEARSAL"}})
}

// Config configures Run.
type Config struct {
	// Dir is the recording directory (created; it must hold no recording).
	Dir string
	// Steps returns the steps of the software under test for env; it is
	// called once for the flow and once for the request with an expired
	// VIHF (env.VIHF then signs VIHFs issued two hours ago). Nil:
	// ClientSteps(env.Client(), env.Submission).
	Steps func(env Env) (Steps, error)
	// PKIDir is the test DMP's PKI directory; empty: a temporary one,
	// removed when Run returns.
	PKIDir string
	// Log receives the test DMP's exchange log (default: none).
	Log *slog.Logger
}

// StepResult is the outcome of one step of the flow.
type StepResult struct {
	ID string // "td3.2-unknown"
	TD string // "TD3.2", "creation"
	// What the step checks.
	What string
	// Refusal is the DMP error code the step expects the software to
	// report, "" for a step that must succeed.
	Refusal string
	// Err says why the step failed, nil when it passed.
	Err error
	// Exchanges are the sequence numbers of the recorded exchanges of the
	// step.
	Exchanges []int
	// Malformed: the step sends a request the DMP must refuse for its
	// form (an expired VIHF, a code outside the value sets); vet's error
	// findings on its exchanges are expected.
	Malformed bool
	// Local: the software may refuse the request itself, sending nothing
	// (any error then passes the step); LocalRefusal says it did.
	Local, LocalRefusal bool

	err error // the software's error, for a Local step
}

// Result is the outcome of a rehearsal.
type Result struct {
	Dir    string
	Steps  []StepResult
	Report *vet.Report // vet's report of the recording, with its evidence pack
}

// Passed reports whether every step passed and vet found no error but the
// expected ones (UnexpectedErrors).
func (r *Result) Passed() bool {
	for _, s := range r.Steps {
		if s.Err != nil {
			return false
		}
	}
	return len(r.UnexpectedErrors()) == 0
}

// UnexpectedErrors returns vet's error findings but the expected ones:
// those of the requests of malformed steps, and those of the responses of
// the steps expecting a refusal (a registry error reports the refusal).
func (r *Result) UnexpectedErrors() []vet.Finding {
	if r.Report == nil {
		return nil
	}
	expected := map[string]bool{}
	for _, s := range r.Steps {
		for _, seq := range s.Exchanges {
			if s.Malformed {
				expected[fmt.Sprintf("%04d-request", seq)] = true
			}
			if s.Malformed || s.Refusal != "" {
				expected[fmt.Sprintf("%04d-response", seq)] = true
			}
		}
	}
	var out []vet.Finding
	for _, x := range r.Report.Exchanges {
		base := filepath.Base(x.File)
		side := "request"
		if strings.HasSuffix(base, "-response.http") {
			side = "response"
		}
		if i := strings.IndexByte(base, '-'); i > 0 && expected[base[:i]+"-"+side] {
			continue
		}
		for _, f := range x.Findings {
			if f.Severity == vet.Error {
				out = append(out, f)
			}
		}
	}
	return out
}

// Run starts a recording test DMP, runs the flow against the software
// cfg.Steps returns, stops the test DMP and returns the steps' outcomes
// and vet's report of the recording. An error is returned when the
// rehearsal could not run (the test DMP did not start, the recording is
// unreadable), not for a failed step.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Dir == "" {
		return nil, errors.New("rehearsal: no recording directory (Config.Dir)")
	}
	if names, _ := filepath.Glob(filepath.Join(cfg.Dir, devserver.RecordIndex)); len(names) > 0 {
		return nil, fmt.Errorf("rehearsal: %s already holds a recording: give an empty or new directory", cfg.Dir)
	}
	pkiDir := cfg.PKIDir
	if pkiDir == "" {
		d, err := os.MkdirTemp("", "dmpgen-rehearsal-pki-")
		if err != nil {
			return nil, fmt.Errorf("rehearsal: %w", err)
		}
		defer os.RemoveAll(d)
		pkiDir = d
	}
	s, err := devserver.Start(ctx, devserver.Config{Addr: "127.0.0.1:0", Dir: pkiDir, Record: cfg.Dir, Log: cfg.Log})
	if err != nil {
		return nil, fmt.Errorf("rehearsal: starting the test DMP: %w", err)
	}
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.PKI.CA.Raw})
	if err := os.WriteFile(filepath.Join(cfg.Dir, CAFile), ca, 0o644); err != nil {
		s.Close()
		return nil, fmt.Errorf("rehearsal: %w", err)
	}
	r := &runner{cfg: cfg, srv: s}
	r.flow(ctx)
	if err := s.Close(); err != nil {
		return nil, fmt.Errorf("rehearsal: stopping the test DMP: %w", err)
	}
	rep, err := vet.Recording(cfg.Dir, vet.Options{Trust: s.PKI.Pool})
	if err != nil {
		return nil, fmt.Errorf("rehearsal: %w", err)
	}
	if err := r.attribute(rep); err != nil {
		return nil, fmt.Errorf("rehearsal: %w", err)
	}
	r.settle()
	return &Result{Dir: cfg.Dir, Steps: r.results, Report: rep}, nil
}

// runner runs the flow; current is the ID of the step whose requests are
// being sent.
type runner struct {
	cfg     Config
	srv     *devserver.Server
	current atomic.Pointer[string]
	results []StepResult
}

// tagger adds StepHeader to each request.
type tagger struct {
	base    http.RoundTripper
	current *atomic.Pointer[string]
}

func (t tagger) RoundTrip(req *http.Request) (*http.Response, error) {
	if id := t.current.Load(); id != nil {
		req = req.Clone(req.Context())
		req.Header.Set(StepHeader, *id)
	}
	return t.base.RoundTrip(req)
}

// env returns the environment of the software under test; issued is the
// age of the VIHFs it signs.
func (r *runner) env(issued time.Duration) Env {
	s := r.srv
	patient := devserver.ExamplePatient()
	claims := devserver.Claims(patient)
	hc := s.HTTPClient()
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = tagger{base: base, current: &r.current}
	p := s.Provider(func(context.Context, string) (vihf.Claims, error) { return claims, nil })
	if issued != 0 {
		p.Builder.Now = func() time.Time { return time.Now().Add(-issued) }
	}
	author := xds.Author{
		Person:       devpki.NationalID + "^LIBRE^MAX^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS",
		Institutions: []string{"CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^" + devpki.StructureID},
		Specialties:  []string{"G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5"},
	}
	return Env{
		Server: s, Endpoints: s.Endpoints(), HTTPClient: hc, VIHF: p,
		Signer: xmldsig.Signer{Key: s.PKI.Signing.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{s.PKI.Signing.Leaf}},
		Claims: claims, Patient: patient,
		Professional: dmp.Professional{ID: dmp.PatientID{Root: "1.2.250.1.71.4.2.1", Extension: devpki.NationalID}, Name: dmp.PersonName{Family: "LIBRE", Given: "MAX"},
			Organization: dmp.Organization{ID: dmp.PatientID{Root: "1.2.250.1.71.4.2.2", Extension: devpki.StructureID}, Name: "CABINET DR LIBRE"}},
		Submission: dmp.Submission{
			Title: "Note de consultation", Authors: []xds.Author{author}, SourceID: "1.2.250.1.213.1.1.9",
			ContentType: xds.Code{Code: "04", Scheme: "1.2.250.1.213.2.2", Display: "Hospitalisation de jour"},
		},
	}
}

// steps returns the software's steps for env.
func (r *runner) steps(env Env) (Steps, error) {
	if r.cfg.Steps == nil {
		return ClientSteps(env.Client(), env.Submission), nil
	}
	st, err := r.cfg.Steps(env)
	if err != nil {
		return Steps{}, fmt.Errorf("Config.Steps: %w", err)
	}
	if m := st.missing(); len(m) > 0 {
		return Steps{}, fmt.Errorf("Config.Steps: no %s: give every step (start from ClientSteps)", strings.Join(m, ", "))
	}
	return st, nil
}

// step runs one step: f for a step that must succeed; with refusal, f's
// error must carry that DMP error code.
func (r *runner) step(s StepResult, f func() error) bool {
	r.current.Store(&s.ID)
	err := f()
	r.current.Store(nil)
	switch {
	case s.Refusal == "":
		s.Err = err
	case err == nil:
		s.Err = fmt.Errorf("accepted: the DMP refuses it with %s, which the software must report as an error", s.Refusal)
	case !carries(err, s.Refusal):
		s.Err = fmt.Errorf("the error does not carry the DMP's code %s, which the software must show: %w", s.Refusal, err)
		s.err = err
	}
	r.results = append(r.results, s)
	return s.Err == nil
}

// settle passes the Local steps whose request the software refused
// without sending it, once the exchanges are attributed.
func (r *runner) settle() {
	for i := range r.results {
		s := &r.results[i]
		if s.Local && s.err != nil && len(s.Exchanges) == 0 {
			s.Err, s.LocalRefusal = nil, true
		}
	}
}

// skip records a step that could not run.
func (r *runner) skip(s StepResult, why string) {
	s.Err = errors.New("not run: " + why)
	r.results = append(r.results, s)
}

// carries reports whether err carries the DMP error code: a *dmp.Error
// with it, or its text.
func carries(err error, code string) bool {
	var de *dmp.Error
	if errors.As(err, &de) && slices.Contains(de.Codes(), code) {
		return true
	}
	return strings.Contains(err.Error(), code)
}

// cda is the document published by the flow.
const cda = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3"><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
<id root="1.2.250.1.213.1.1.9.1.4242"/><code code="11488-4" codeSystem="2.16.840.1.113883.6.1" displayName="Note de consultation"/>
<title>Note de consultation</title><effectiveTime value="20261124100000+0100"/>
<confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/><languageCode code="fr-FR"/>
<recordTarget><patientRole><id root="1.2.250.1.213.1.4.10" extension="207058575627097"/>
<patient><name><given>LAURENCE</given><family>PATB-QUATRE</family></name></patient></patientRole></recordTarget>
<author><time value="20261124100000+0100"/><assignedAuthor><id root="1.2.250.1.71.4.2.1" extension="899900063480"/>
<assignedPerson><name><given>MAX</given><family>LIBRE</family></name></assignedPerson></assignedAuthor></author>
<custodian><assignedCustodian><representedCustodianOrganization><id root="1.2.250.1.213.4.1" extension="DMP"/>
</representedCustodianOrganization></assignedCustodian></custodian></ClinicalDocument>
`

// The test DMP's error codes the refusals expect (testdmp/hl7.go and the
// IHE registry error codes).
const (
	codeNotFound    = "DMPPatientNotFound"
	codeExists      = "DMPPatientAlreadyExists"
	codeDenied      = "DMPAccessDenied"
	codeUnknownDoc  = "XDSDocumentUniqueIdError"
	codeUpdate      = "XDSMetadataUpdateError"
	codeInvalidVIHF = "InvalidSecurityToken"
	codeMetadata    = "XDSRegistryMetadataError"
)

// flow runs the compatibility flow.
func (r *runner) flow(ctx context.Context) {
	env := r.env(0)
	st, err := r.steps(env)
	if err != nil {
		r.results = append(r.results, StepResult{ID: "setup", What: "the software's steps", Err: err})
		return
	}
	patient := env.Patient
	dossier := dmp.DossierData{Patient: dmp.DossierPatient{INS: patient, Name: dmp.PersonName{Family: "PATB-QUATRE", Given: "LAURENCE"}}}

	r.step(StepResult{ID: "td0.2-absent", TD: "TD0.2", What: "existence test: the patient has no DMP"}, func() error {
		exists, err := st.TestExistence(ctx, patient)
		if err == nil && exists {
			return errors.New("the software reports a DMP the test DMP does not have")
		}
		return err
	})
	r.step(StepResult{ID: "td0.3-no-dmp", TD: "TD0.3", What: "authorization on a patient without DMP is refused", Refusal: codeNotFound}, func() error {
		return st.SetAuthorization(ctx, true)
	})
	created := r.step(StepResult{ID: "creation", TD: "creation", What: "creation of the DMP"}, func() error {
		return st.CreateDMP(ctx, dossier, env.Professional)
	})
	r.step(StepResult{ID: "creation-exists", TD: "creation", What: "a second creation is refused", Refusal: codeExists}, func() error {
		return st.CreateDMP(ctx, dossier, env.Professional)
	})
	r.step(StepResult{ID: "td0.2-present", TD: "TD0.2", What: "existence test: the patient has a DMP"}, func() error {
		exists, err := st.TestExistence(ctx, patient)
		if err == nil && !exists {
			return errors.New("the software reports no DMP after its creation")
		}
		return err
	})
	// The creator is authorized: remove the authorization, read, add it.
	r.step(StepResult{ID: "td0.3-remove", TD: "TD0.3", What: "removal of the professional's authorization"}, func() error {
		return st.SetAuthorization(ctx, false)
	})
	r.step(StepResult{ID: "td1.3a-denied", TD: "TD1.3a", What: "reading the DMP without authorization is refused", Refusal: codeDenied}, func() error {
		return st.ReadDMP(ctx, patient)
	})
	authorized := r.step(StepResult{ID: "td0.3", TD: "TD0.3", What: "authorization of the professional"}, func() error {
		return st.SetAuthorization(ctx, true)
	})
	r.step(StepResult{ID: "td1.6", TD: "TD1.6", What: "the professional is listed as authorized"}, func() error {
		ids, err := st.ListAuthorizations(ctx)
		if err == nil && !slices.Contains(ids, devpki.NationalID) {
			return fmt.Errorf("professional %s is not among the authorized %v", devpki.NationalID, ids)
		}
		return err
	})
	r.step(StepResult{ID: "td1.3a", TD: "TD1.3a", What: "reading the DMP once authorized"}, func() error {
		return st.ReadDMP(ctx, patient)
	})
	if !created || !authorized {
		r.skip(StepResult{ID: "td2.1", TD: "TD2.1", What: "publication"}, "the DMP was not created and authorized")
		return
	}
	var uid string
	if !r.step(StepResult{ID: "td2.1", TD: "TD2.1", What: "publication signed with XAdES"}, func() error {
		var err error
		uid, err = st.Publish(ctx, publication(env))
		return err
	}) {
		return
	}
	r.step(StepResult{ID: "td2.1-valueset", TD: "TD2.1", What: "a publication with a typeCode outside the value sets is refused", Refusal: codeMetadata, Malformed: true, Local: true}, func() error {
		p := publication(env)
		e := &p.Documents[0].Entry
		e.UniqueID += ".1"
		e.TypeCode = xds.Code{Code: "00000-0", Scheme: "2.16.840.1.113883.6.1", Display: "Code absent des jeux de valeurs"}
		_, err := st.Publish(ctx, p)
		return err
	})
	var entry *xds.DocumentEntry
	find := func(want func(*xds.DocumentEntry) error) func() error {
		return func() error {
			docs, err := st.FindDocuments(ctx, patient)
			if err != nil {
				return err
			}
			entry = nil
			for _, d := range docs {
				if d.UniqueID == uid {
					entry = d
				}
			}
			if entry == nil {
				return fmt.Errorf("the published document %s is not among the %d found", uid, len(docs))
			}
			return want(entry)
		}
	}
	found := func(*xds.DocumentEntry) error { return nil }
	if !r.step(StepResult{ID: "td3.1", TD: "TD3.1", What: "search finds the published document"}, find(found)) {
		return
	}
	r.step(StepResult{ID: "td3.2", TD: "TD3.2", What: "retrieval returns the published document"}, func() error {
		got, err := st.Retrieve(ctx, entry)
		if err == nil && string(got) != cda {
			return fmt.Errorf("retrieved %d bytes differing from the %d published", len(got), len(cda))
		}
		return err
	})
	r.step(StepResult{ID: "td3.2-unknown", TD: "TD3.2", What: "retrieving an unknown document is refused", Refusal: codeUnknownDoc}, func() error {
		unknown := *entry
		unknown.UniqueID = entry.UniqueID + ".999"
		_, err := st.Retrieve(ctx, &unknown)
		return err
	})
	masked := func(want bool) func(*xds.DocumentEntry) error {
		return func(e *xds.DocumentEntry) error {
			if dmp.IsMasked(e) != want {
				return fmt.Errorf("masked %v after the update, want %v", dmp.IsMasked(e), want)
			}
			return nil
		}
	}
	if r.step(StepResult{ID: "td3.3a-mask", TD: "TD3.3a", What: "masking to professionals"}, func() error { return st.Mask(ctx, patient, entry) }) {
		r.step(StepResult{ID: "td3.1-masked", TD: "TD3.1", What: "search shows the document masked"}, find(masked(true)))
		if r.step(StepResult{ID: "td3.3a-unmask", TD: "TD3.3a", What: "unmasking"}, func() error { return st.Unmask(ctx, patient, entry) }) {
			r.step(StepResult{ID: "td3.1-unmasked", TD: "TD3.1", What: "search shows the document unmasked"}, find(masked(false)))
		}
	}
	r.step(StepResult{ID: "td3.3c-approved", TD: "TD3.3c", What: "deleting a document not archived is refused", Refusal: codeUpdate}, func() error {
		return st.Delete(ctx, patient, entry)
	})
	if r.step(StepResult{ID: "td3.3d", TD: "TD3.3d", What: "archiving"}, func() error { return st.Archive(ctx, patient, entry) }) {
		r.step(StepResult{ID: "td3.3c", TD: "TD3.3c", What: "deletion of the archived document"}, func() error { return st.Delete(ctx, patient, entry) })
	}

	// A VIHF issued two hours ago: the DMP refuses it.
	old, err := r.steps(r.env(2 * time.Hour))
	if err != nil {
		r.results = append(r.results, StepResult{ID: "vihf-expired", What: "the software's steps", Err: err})
		return
	}
	r.step(StepResult{ID: "vihf-expired", TD: "TD0.2", What: "a request with an expired VIHF is refused", Refusal: codeInvalidVIHF, Malformed: true}, func() error {
		_, err := old.TestExistence(ctx, patient)
		return err
	})
}

// publication is the flow's TD2.1: one CDA document, signed.
func publication(env Env) dmp.Publication {
	a := env.Submission.Authors[0]
	return dmp.Publication{
		Patient: env.Patient, Submission: env.Submission,
		Documents: []dmp.PublishDocument{{Content: strings.NewReader(cda), Entry: xds.DocumentEntry{
			Base:     xds.Base{Title: xds.NewText("Note de consultation")},
			UniqueID: "1.2.250.1.213.1.1.9.1.4242", MimeType: "text/xml", LanguageCode: "fr-FR",
			CreationTime: "20261124090000", SourcePatientID: env.Patient.Format(), Authors: []xds.Author{a},
			ClassCode:                  xds.Code{Code: "10", Scheme: "1.2.250.1.213.1.1.4.1", Display: "Compte rendu"},
			TypeCode:                   xds.Code{Code: "11488-4", Scheme: "2.16.840.1.113883.6.1", Display: "Note de consultation"},
			FormatCode:                 xds.Code{Code: "urn:ihe:iti:xds-sd:text:2008", Scheme: "1.3.6.1.4.1.19376.1.2.3", Display: "Document à corps non structuré en texte"},
			HealthcareFacilityTypeCode: xds.Code{Code: "SA07", Scheme: "1.2.250.1.71.4.2.4", Display: "Cabinet individuel"},
			PracticeSettingCode:        xds.Code{Code: "ETABLISSEMENT", Scheme: "1.2.250.1.213.1.1.4.9", Display: "Etablissement de santé"},
			ConfidentialityCodes:       []xds.Code{{Code: "N", Scheme: "2.16.840.1.113883.5.25", Display: "Normal"}},
		}}},
		Sign: &xades.Options{Signer: env.Signer},
	}
}

// attribute fills each step's Exchanges from StepHeader in the recorded
// requests.
func (r *runner) attribute(rep *vet.Report) error {
	if rep.Evidence == nil {
		return nil
	}
	idx := map[string]int{}
	for i, s := range r.results {
		idx[s.ID] = i
	}
	for _, e := range rep.Evidence.Exchanges {
		id, err := stepOf(e.Request)
		if err != nil {
			return err
		}
		if i, ok := idx[id]; ok {
			r.results[i].Exchanges = append(r.results[i].Exchanges, e.Seq)
		}
	}
	return nil
}

// stepOf returns StepHeader of a recorded request, "" when absent.
func stepOf(file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 16<<10)
	n, _ := f.Read(head)
	h, _, _ := strings.Cut(string(head[:n]), "\r\n\r\n")
	for _, line := range strings.Split(h, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && http.CanonicalHeaderKey(k) == StepHeader {
			return strings.TrimSpace(v), nil
		}
	}
	return "", nil
}
