package devserver

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/testdmp"
	"github.com/dmpgen/dmpgen/testdmp/devpki"
)

// syncBuffer is a bytes.Buffer safe for the server goroutines' writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs a test DMP on a free port with a PKI in a temporary directory.
func start(t *testing.T, cfg Config) (*Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	cfg.Addr = "127.0.0.1:0"
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	cfg.Log = slog.New(slog.NewTextHandler(logs, nil))
	s, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s, logs
}

func defaultClaims(context.Context, string) (vihf.Claims, error) {
	return Claims(ExamplePatient()), nil
}

// TestServeAndLog: dmp.Client runs TD0.2 against the server with the PKI's
// client certificate and a VIHF signed by its CPS-like certificate; the
// exchange is logged with its transaction, action, MessageID, status,
// duration and client certificate subject.
func TestServeAndLog(t *testing.T) {
	s, logs := start(t, Config{})
	ctx := context.Background()
	var sent string
	c := dmp.New(s.Endpoints(), s.HTTPClient(), s.Provider(defaultClaims), dmp.Options{Sender: dmp.Device{Root: "1.2.250.1.213.1.1.9", Name: "DMPGEN TEST"}})
	ex, err := c.TestExistence(soap.WithCallOptions(ctx, soap.SentMessageID(&sent)), ExamplePatient())
	if err != nil {
		t.Fatal(err)
	}
	if ex.State != dmp.DossierNotFound {
		t.Errorf("TD0.2 on an empty DMP: %v", ex.State)
	}
	line := findLine(t, logs.String(), "msg=exchange")
	for _, want := range []string{
		"level=INFO", "service=GDP", "td=TD0.2/TD1.3a", `transaction="Test d'existence`, "operation=PatientGetDemographics_PRPA_IN201307UV02",
		"action=urn:hl7-org:v3:PRPA_IN201307UV02", "messageID=" + sent, "status=200", "duration=",
		`client="CN=DMPGEN TEST STRUCTURE ` + devpki.StructureID,
	} {
		if sent == "" || !strings.Contains(line, want) {
			t.Errorf("log line lacks %s:\n%s", want, line)
		}
	}
}

func findLine(t *testing.T, logs, sub string) string {
	t.Helper()
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	t.Fatalf("no log line with %s:\n%s", sub, logs)
	return ""
}

// TestRefusals: a request at another service's URL, a request without
// VIHF and a client without certificate are refused; the faults are logged.
func TestRefusals(t *testing.T) {
	s, logs := start(t, Config{})
	ctx := context.Background()
	mode := habilitations.ModeType_TOUTE
	req := &habilitations.ListAuthorizationByPatient{Mode: &mode}

	wrong := habilitations.NewHabilitationsClient(soap.NewClient(s.ServiceURL("GDP"), soap.WithHTTPClient(s.HTTPClient()), soap.WithHeader(s.Provider(defaultClaims))))
	var fe *soap.FaultError
	if _, err := wrong.ListAuthorizationByPatient(ctx, req); !errors.As(err, &fe) || !strings.Contains(fe.Reason, s.ServiceURL("Habilitations")) {
		t.Errorf("an Habilitations request at the GDP URL: %v", err)
	}
	anon := habilitations.NewHabilitationsClient(soap.NewClient(s.ServiceURL("Habilitations"), soap.WithHTTPClient(s.HTTPClient())))
	if _, err := anon.ListAuthorizationByPatient(ctx, req); !errors.As(err, &fe) || !strings.Contains(fe.Reason, "VIHF") {
		t.Errorf("a request without VIHF: %v", err)
	}
	line := findLine(t, logs.String(), "fault=Sender/InvalidSecurityToken")
	if !strings.Contains(line, "level=WARN") || !strings.Contains(line, "td=TD1.6") || !strings.Contains(line, "status=400") {
		t.Errorf("refused VIHF logged as %s", line)
	}
	noCert := soap.NewHTTPClient(&tls.Config{MinVersion: tls.VersionTLS12, RootCAs: s.PKI.Pool})
	noCertClient := habilitations.NewHabilitationsClient(soap.NewClient(s.ServiceURL("Habilitations"), soap.WithHTTPClient(noCert), soap.WithHeader(s.Provider(defaultClaims))))
	if _, err := noCertClient.ListAuthorizationByPatient(ctx, req); err == nil {
		t.Error("a client without certificate was served")
	}
	good := habilitations.NewHabilitationsClient(soap.NewClient(s.ServiceURL("Habilitations"), soap.WithHTTPClient(s.HTTPClient()), soap.WithHeader(s.Provider(defaultClaims))))
	if r, err := good.ListAuthorizationByPatient(ctx, req); err != nil || *r.Output.Status != testdmp.StatusPatientNotFound {
		t.Errorf("listAuthorizationByPatient at its URL: %v", err)
	}
}

// TestNoKit: without a kit, ?wsdl answers 404 saying how to enable it, and
// the banner says so; / lists the services.
func TestNoKit(t *testing.T) {
	s, _ := start(t, Config{})
	status, body := get(t, s, s.ServiceURL("GDP")+"?wsdl")
	if status != http.StatusNotFound || !strings.Contains(body, "-kit DIR or DMPGEN_KIT") {
		t.Errorf("?wsdl without kit: %d %s", status, body)
	}
	if status, body := get(t, s, s.URL+"/"); status != 200 || !strings.Contains(body, s.ServiceURL("PatientCertif")) {
		t.Errorf("GET /: %d %s", status, body)
	}
	if status, body := get(t, s, s.URL+"/nope"); status != http.StatusNotFound || !strings.Contains(body, "no service at /nope") {
		t.Errorf("GET /nope: %d %s", status, body)
	}
	var b bytes.Buffer
	if err := s.Banner(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "?wsdl is not served: no DMP kit") {
		t.Errorf("banner:\n%s", b.String())
	}
}

func get(t *testing.T, s *Server, u string) (int, string) {
	t.Helper()
	resp, err := s.HTTPClient().Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestWSDLFromKit: each service's ?wsdl is its kit WSDL with the address
// rewritten to the served URL and the schema locations to ?xsd= URLs,
// which serve the schemas; paths outside the kit are refused.
func TestWSDLFromKit(t *testing.T) {
	kit := testenv.Kit(t)
	s, _ := start(t, Config{Kit: kit})
	for _, svc := range Services() {
		u := s.URL + svc.Path
		status, body := get(t, s, u+"?wsdl")
		if status != 200 || !strings.Contains(body, `address location="`+u+`"`) {
			t.Errorf("%s?wsdl: %d, no address %s", svc.Path, status, u)
		}
		if strings.Contains(body, "servicelocation") || strings.Contains(body, "dmp.gouv.fr") {
			t.Errorf("%s?wsdl keeps a kit address", svc.Path)
		}
	}
	gdp := s.ServiceURL("GDP")
	_, body := get(t, s, gdp+"?wsdl")
	xsd := "dmp/annexe-wsdl-schema/schema/HL7V3/NE2009/multicacheschemas/PRPA_IN201307UV02.xsd"
	want := `schemaLocation="` + gdp + "?xsd=" + url.QueryEscape(xsd) + `"`
	if !strings.Contains(body, want) {
		t.Fatalf("GDP ?wsdl lacks %s", want)
	}
	if status, body := get(t, s, gdp+"?xsd="+url.QueryEscape(xsd)); status != 200 || !strings.Contains(body, "PRPA_IN201307UV02") {
		t.Errorf("?xsd=%s: %d", xsd, status)
	}
	for _, q := range []string{"../../etc/passwd", "/etc/passwd", "dmp/../../x.xsd", "dmp/annexe-wsdl-schema/missing.xsd"} {
		if status, _ := get(t, s, gdp+"?xsd="+url.QueryEscape(q)); status != http.StatusNotFound {
			t.Errorf("?xsd=%s: %d, want 404", q, status)
		}
	}
}

// TestEveryOperationHasATransaction: the transaction table covers every
// operation of the seven services, and nothing else.
func TestEveryOperationHasATransaction(t *testing.T) {
	txns := Transactions()
	n := 0
	for _, svc := range Services() {
		for _, o := range svc.Operations() {
			n++
			if tx, ok := txns[o]; !ok || tx.Name == "" {
				t.Errorf("%s: no transaction", o)
			}
		}
	}
	if _, ok := txns[nil]; ok || len(txns) != n {
		t.Errorf("the table has %d entries for %d operations (a name no longer matches an operation)", len(txns), n)
	}
}
