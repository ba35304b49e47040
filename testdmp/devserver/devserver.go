// Package devserver runs the test DMP (package testdmp) over HTTPS, in a
// test or a program, as cmd/dmpgen-testdmp does: each of the seven DMP
// services at its own URL, client certificates required, the VIHF of every
// request verified with the strict runtime/wssec.Policy and a replay cache,
// every exchange logged with log/slog and, with Config.Record, recorded as
// HTTP dumps for dmpgen vet -report, and, given the DMP kit, each service's
// WSDL and schemas served at ?wsdl.
//
// Its development PKI (testdmp/devpki) gives the server certificate, a
// client certificate (HTTPClient) and a CPS-like signing certificate for the
// VIHF (Provider, Claims).
package devserver

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/testdmp"
	"github.com/dmpgen/dmpgen/testdmp/devpki"
)

// DefaultAddr is the address the test DMP listens on by default.
const DefaultAddr = "127.0.0.1:8443"

// DefaultSkew is the default tolerance on the VIHF's time window.
const DefaultSkew = 5 * time.Minute

// Config configures a test DMP. The zero value is usable.
type Config struct {
	// Addr is the listen address (DefaultAddr when empty; port 0: any
	// free port).
	Addr string
	// Dir is the PKI directory (devpki.DefaultDir() when empty), created
	// when absent.
	Dir string
	// ClientCAs, when set, replaces the development CA as the issuer of
	// the accepted client certificates. Client certificates are always
	// required.
	ClientCAs *x509.CertPool
	// VIHFRoots are trust anchors of VIHF signatures, added to the
	// development CA (and to ClientCAs).
	VIHFRoots []*x509.Certificate
	// Kit is the root of the DMP kit, for ?wsdl; without it, ?wsdl
	// answers 404 saying how to enable it.
	Kit string
	// Skew is the tolerance on the VIHF's time window (DefaultSkew when
	// zero).
	Skew time.Duration
	// Log receives a record per exchange, TLS errors and PKI events
	// (default: none).
	Log *slog.Logger
	// ModernTLS offers TLS 1.2 and 1.3 with crypto/tls's default suites
	// instead of the DMP's published profile (soap.DMPServerTLS: TLS 1.2
	// only, ECDHE-RSA AES-GCM and ChaCha20 suites), the default, which
	// makes a client negotiate here what it will with the DMP.
	ModernTLS bool
	// Record, when set, is a directory (created with its parents) where
	// every exchange is written as it was on the wire: NNNN-TD-request.http
	// and NNNN-TD-response.http HTTP dumps (0600) and index.jsonl
	// (RecordEntry lines), which dmpgen vet -report reads.
	Record string
	// RecordMax caps the body bytes of the recording (DefaultRecordMax when
	// zero): bodies beyond it end with TruncatedMarker and the index says
	// so.
	RecordMax int64
	// LaxMetadata accepts submissions whose XDS metadata breaks the IHE
	// rules or the DMP value sets, which the test DMP refuses by default as
	// the DMP does (testdmp.Options.LaxMetadata).
	LaxMetadata bool
	// LaxRequests accepts stored queries and retrieves that break the IHE
	// request rules (testdmp.Options.LaxRequests).
	LaxRequests bool
}

// Server is a running test DMP.
type Server struct {
	// URL is the server's base URL, https://host:port (a loopback address
	// when listening on all interfaces).
	URL string
	// PKI is the development PKI.
	PKI *devpki.PKI
	// DMP is the served test DMP.
	DMP *testdmp.DMP
	// Kit is the kit ?wsdl serves, "" when none.
	Kit string
	// ClientCAsFromConfig is true when Config.ClientCAs replaced the
	// development CA for client certificates.
	ClientCAsFromConfig bool

	modernTLS                bool
	laxMetadata, laxRequests bool
	log                      *slog.Logger
	srv                      *http.Server
	root                     *os.Root
	rec                      *recorder
	done                     chan error
	stop                     context.CancelFunc
}

// Start listens, loads or creates the PKI and serves in the background
// until Close or the end of ctx.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.Skew == 0 {
		cfg.Skew = DefaultSkew
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Dir == "" {
		d, err := devpki.DefaultDir()
		if err != nil {
			return nil, err
		}
		cfg.Dir = d
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("devserver: address %q: %w", cfg.Addr, err)
	}
	pki, err := devpki.Load(cfg.Dir, devpki.Options{Hosts: []string{host}, Log: log})
	if err != nil {
		return nil, err
	}
	s := &Server{PKI: pki, log: log, done: make(chan error, 1), modernTLS: cfg.ModernTLS, laxMetadata: cfg.LaxMetadata, laxRequests: cfg.LaxRequests}
	if cfg.Kit != "" {
		if s.root, err = openKit(cfg.Kit); err != nil {
			return nil, err
		}
		s.Kit = cfg.Kit
	}
	clientCAs := pki.Pool
	if cfg.ClientCAs != nil {
		clientCAs, s.ClientCAsFromConfig = cfg.ClientCAs, true
	}
	vihfRoots := pki.Pool.Clone()
	if cfg.ClientCAs != nil {
		vihfRoots = cfg.ClientCAs.Clone()
		vihfRoots.AddCert(pki.CA)
	}
	for _, c := range cfg.VIHFRoots {
		vihfRoots.AddCert(c)
	}
	handler := s.handler(&xmldsig.Verifier{Roots: vihfRoots}, cfg.Skew)
	if cfg.Record != "" {
		if s.rec, err = newRecorder(cfg.Record, cfg.RecordMax, log, handler); err != nil {
			s.closeRoot()
			return nil, err
		}
		handler = s.rec
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		s.closeRoot()
		return nil, fmt.Errorf("devserver: %w", err)
	}
	tlsCfg := soap.ServerTLS(pki.Server, clientCAs)
	if !cfg.ModernTLS {
		if tlsCfg, err = soap.DMPServerTLS(pki.Server, clientCAs); err != nil {
			ln.Close()
			s.closeRoot()
			return nil, fmt.Errorf("devserver: %w", err)
		}
	}
	s.srv = soap.NewHTTPServer(handler, tlsCfg)
	s.srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	s.URL = "https://" + urlHost(ln.Addr().(*net.TCPAddr))
	ctx, s.stop = context.WithCancel(ctx)
	shut := make(chan struct{})
	go func() {
		<-ctx.Done()
		s.shutdown()
		close(shut)
	}()
	go func() {
		err := s.srv.ServeTLS(ln, "", "")
		// Serve returns as soon as Shutdown starts: wait for the requests
		// in flight, and shut down when serving failed by itself.
		s.stop()
		<-shut
		s.done <- err
	}()
	return s, nil
}

// urlHost is the host:port clients use: loopback for an unspecified
// address.
func urlHost(a *net.TCPAddr) string {
	ip := a.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
}

// openKit opens the kit root, checking it holds the WSDLs.
func openKit(dir string) (*os.Root, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("devserver: kit: %w", err)
	}
	for _, svc := range Services() {
		if _, err := fs.Stat(root.FS(), svc.WSDL); err != nil {
			root.Close()
			return nil, fmt.Errorf("devserver: kit %s has no %s (is it the DMP kit root?): %w", dir, svc.WSDL, err)
		}
	}
	return root, nil
}

// Close stops the server, letting the requests in flight finish (5 s at
// most).
func (s *Server) Close() error {
	s.stop()
	return s.Wait()
}

// Wait blocks until the server has stopped and finished the requests in
// flight, returning why it stopped (nil after Close or the end of Start's
// context).
func (s *Server) Wait() error {
	err := <-s.done
	s.done <- err
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func (s *Server) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		s.log.Warn("shutdown", "err", err)
	}
	s.closeRoot()
}

func (s *Server) closeRoot() {
	if s.root != nil {
		s.root.Close()
	}
	if s.rec != nil {
		if err := s.rec.close(); err != nil {
			s.log.Error("recording", "err", err)
		}
	}
}

// Endpoints returns the URL of each service, for dmp.New.
func (s *Server) Endpoints() dmp.Endpoints {
	return dmp.Endpoints{
		Registry: s.URL + "/registry", Repository: s.URL + "/repository", GDP: s.URL + "/gdp", PDQ: s.URL + "/pdq",
		Habilitations: s.URL + "/habilitations", Patients: s.URL + "/patients",
	}
}

// ServiceURL returns the URL of a service (Service.Name), "" for an unknown
// name.
func (s *Server) ServiceURL(name string) string {
	for _, svc := range Services() {
		if svc.Name == name {
			return s.URL + svc.Path
		}
	}
	return ""
}

// HTTPClient returns an HTTP client presenting the PKI's client
// certificate and trusting only its CA.
func (s *Server) HTTPClient() *http.Client {
	return soap.NewHTTPClient(soap.ClientTLS(s.PKI.Client, s.PKI.Pool))
}

// Provider returns a VIHF provider signing with the PKI's CPS-like
// certificate; claims gives the claims of each request (Claims for the
// default ones).
func (s *Server) Provider(claims func(ctx context.Context, action string) (vihf.Claims, error)) *wssec.Provider {
	return &wssec.Provider{
		Signer: xmldsig.Signer{Key: s.PKI.Signing.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{s.PKI.Signing.Leaf}},
		Claims: claims,
	}
}

// ExamplePatient returns the INS of the official examples' patient.
func ExamplePatient() hl7v2.CX {
	return hl7v2.CX{ID: "207058575627097", AssigningAuthority: hl7v2.HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"}
}

// Claims returns DIRECTE mode VIHF claims of the signing certificate's
// professional (devpki.NationalID, a general practitioner) about patient,
// which the test DMP accepts.
func Claims(patient hl7v2.CX) vihf.Claims {
	return vihf.Claims{
		Mode: vihf.Directe, Version: vihf.V3, SubjectID: devpki.NationalID,
		SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
		Roles: []vihf.Code{
			{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7", DisplayName: "Médecin"},
			{Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5", DisplayName: "Qualifié en Médecine Générale (SM)"},
		},
		SubjectName: "MAX LIBRE",
		Patient:     patient,
		LPSID:       "01.01.01.01", LPSName: "DMPGEN", LPSVersion: "1", LPSHomologation: "NumAutorisation",
	}
}

// handler returns the test DMP's HTTP handler: one SOAP server per service
// path, all sharing one DMP, one VIHF hook (and its replay cache) and the
// exchange log.
func (s *Server) handler(v *xmldsig.Verifier, skew time.Duration) http.Handler {
	verify := testdmp.VerifyVIHF(v, time.Now, skew)
	txns := Transactions()
	d := testdmp.New(testdmp.Options{Claims: testdmp.ClaimsFromContext, LaxMetadata: s.laxMetadata, LaxRequests: s.laxRequests})
	s.DMP = d
	mux := http.NewServeMux()
	for _, svc := range Services() {
		own := map[*soap.Operation]bool{}
		for _, o := range svc.Operations() {
			own[o] = true
		}
		hook := func(ctx context.Context, r *soap.Request) (context.Context, error) {
			if !own[r.Operation] {
				return nil, soap.SenderFault(fmt.Sprintf("operation %s is not a %s operation: send it to %s",
					r.Operation, svc.Name, s.serviceOf(r.Operation)), soap.SubcodeActionNotSupported)
			}
			return verify(ctx, r)
		}
		opts := []soap.ServerOption{
			soap.WithHeaderHook(hook),
			soap.WithUnderstoodHeaders(xmltext.Name{Space: wssec.NamespaceWSSE, Local: "Security"}),
			soap.WithLogf(func(format string, args ...any) { s.log.Error(fmt.Sprintf(format, args...)) }),
			soap.WithExchangeLog(func(x soap.Exchange) { s.logExchange(svc.Name, txns, x) }),
		}
		if s.root != nil {
			opts = append(opts, soap.WithWSDL(s.root.FS(), svc.WSDL))
		}
		srv := soap.NewServer(opts...)
		d.Register(srv)
		mux.Handle(svc.Path, s.wsdlGuard(srv))
	}
	mux.HandleFunc("/", s.index)
	return mux
}

// serviceOf returns the URL of the service an operation belongs to.
func (s *Server) serviceOf(o *soap.Operation) string {
	for _, svc := range Services() {
		for _, x := range svc.Operations() {
			if x == o {
				return s.URL + svc.Path
			}
		}
	}
	return "another service"
}

// NoKitMessage is the answer to ?wsdl without a kit.
const NoKitMessage = "the test DMP serves the WSDLs from the DMP kit, which it was started without: " +
	"start it with -kit DIR or DMPGEN_KIT=DIR (devserver.Config.Kit)"

// wsdlGuard answers ?wsdl and ?xsd with 404 when no kit is configured.
func (s *Server) wsdlGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query(); s.root == nil && r.Method != http.MethodPost && (q.Has("wsdl") || q.Has("xsd")) {
			http.Error(w, NoKitMessage, http.StatusNotFound)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// index lists the services at /.
func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.Error(w, "no service at "+r.URL.Path+": see "+s.URL+"/", http.StatusNotFound)
		return
	}
	var b strings.Builder
	b.WriteString("dmpgen test DMP\n\n")
	for _, svc := range Services() {
		fmt.Fprintf(&b, "%-14s %s%s\n", svc.Name, s.URL, svc.Path)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, b.String())
}

// logExchange writes the record of one exchange.
func (s *Server) logExchange(service string, txns map[*soap.Operation]Transaction, x soap.Exchange) {
	attrs := []slog.Attr{slog.String("service", service)}
	noteExchange(x, txns[x.Operation])
	if x.Operation != nil {
		t := txns[x.Operation]
		attrs = append(attrs, slog.String("td", t.TD), slog.String("transaction", t.Name), slog.String("operation", x.Operation.Name))
	}
	attrs = append(attrs, slog.String("action", x.Action), slog.String("messageID", x.MessageID), slog.Int("status", x.Status))
	level := slog.LevelInfo
	if x.Fault != nil {
		level = slog.LevelWarn
		code := x.Fault.Code
		for _, sc := range x.Fault.Subcodes {
			code += "/" + sc.Local
		}
		attrs = append(attrs, slog.String("fault", code), slog.String("reason", x.Fault.Reason))
	}
	if x.Err != nil {
		level = slog.LevelError
		attrs = append(attrs, slog.String("err", x.Err.Error()))
	}
	client := ""
	if x.HTTP != nil && x.HTTP.TLS != nil && len(x.HTTP.TLS.PeerCertificates) > 0 {
		client = x.HTTP.TLS.PeerCertificates[0].Subject.String()
	}
	attrs = append(attrs, slog.Duration("duration", x.Duration), slog.String("client", client))
	s.log.LogAttrs(context.Background(), level, "exchange", attrs...)
}

// PKIFiles returns the PKI files a client needs: the CA to trust, the
// client certificate and key, the signing certificate and key.
func (s *Server) PKIFiles() []string {
	var out []string
	for _, f := range []string{devpki.CAFile, devpki.ClientCertFile, devpki.ClientKeyFile, devpki.SigningCertFile, devpki.SigningKeyFile} {
		out = append(out, s.PKI.Path(f))
	}
	return out
}
