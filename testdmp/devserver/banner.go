package devserver

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/template"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/testdmp/devpki"
)

// Markers around the Go snippet of the banner.
const (
	SnippetBegin = "----- Go snippet (dmp.Client) -----"
	SnippetEnd   = "----- end of snippet -----"
)

// Banner writes what a client of the server needs: the URL of each service,
// the PKI files, whether ?wsdl is served, and a Go program that calls the
// server through dmp.Client (between SnippetBegin and SnippetEnd).
func (s *Server) Banner(w io.Writer) error {
	var b strings.Builder
	profile := "TLS 1.2 with the DMP's suites"
	if s.modernTLS {
		profile = "TLS 1.2 or 1.3"
	}
	fmt.Fprintf(&b, "dmpgen test DMP listening on %s (%s, client certificate required)\n\nServices:\n", s.URL, profile)
	for _, svc := range Services() {
		wsdl := ""
		if s.Kit != "" {
			wsdl = "   WSDL: " + s.URL + svc.Path + "?wsdl"
		}
		fmt.Fprintf(&b, "  %-14s %s%s%s\n", svc.Name, s.URL, svc.Path, wsdl)
	}
	if s.Kit == "" {
		b.WriteString("  ?wsdl is not served: no DMP kit (give -kit DIR or set DMPGEN_KIT)\n")
	}
	fmt.Fprintf(&b, "\nDevelopment PKI in %s:\n", s.PKI.Dir)
	fmt.Fprintf(&b, "  trust the CA         %s\n", s.PKI.Path(devpki.CAFile))
	if s.ClientCAsFromConfig {
		b.WriteString("  client certificate   one issued by a CA of -ca (the development client certificate is refused)\n")
	} else {
		fmt.Fprintf(&b, "  client certificate   %s  key %s\n", s.PKI.Path(devpki.ClientCertFile), s.PKI.Path(devpki.ClientKeyFile))
	}
	fmt.Fprintf(&b, "  VIHF signing (CPS)   %s  key %s  (CN=%s: the DIRECTE NameID)\n",
		s.PKI.Path(devpki.SigningCertFile), s.PKI.Path(devpki.SigningKeyFile), devpki.NationalID)
	b.WriteString("\n" + SnippetBegin + "\n")
	code, err := s.Snippet()
	if err != nil {
		return err
	}
	b.WriteString(code + SnippetEnd + "\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// Snippet returns the Go program of the banner.
func (s *Server) Snippet() (string, error) {
	t, err := template.New("snippet").Funcs(template.FuncMap{"q": strconv.Quote}).Parse(snippetText)
	if err != nil {
		return "", fmt.Errorf("devserver: snippet: %w", err)
	}
	data := struct {
		PKIDir, NationalID                           string
		CAFile, ClientCert, ClientKey, Card, CardKey string
		Endpoints                                    dmp.Endpoints
	}{s.PKI.Dir, devpki.NationalID, devpki.CAFile, devpki.ClientCertFile, devpki.ClientKeyFile, devpki.SigningCertFile, devpki.SigningKeyFile, s.Endpoints()}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("devserver: snippet: %w", err)
	}
	return b.String(), nil
}

// snippetText is a whole program, so that it compiles as pasted
// (TestBannerSnippetRuns).
const snippetText = `package main

import (
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
)

func main() {
	pki := {{q .PKIDir}}
	client, err := tls.LoadX509KeyPair(filepath.Join(pki, {{q .ClientCert}}), filepath.Join(pki, {{q .ClientKey}}))
	if err != nil {
		log.Fatal(err)
	}
	card, err := tls.LoadX509KeyPair(filepath.Join(pki, {{q .Card}}), filepath.Join(pki, {{q .CardKey}}))
	if err != nil {
		log.Fatal(err)
	}
	caPEM, err := os.ReadFile(filepath.Join(pki, {{q .CAFile}}))
	if err != nil {
		log.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)

	patient := hl7v2.CX{ID: "207058575627097", AssigningAuthority: hl7v2.HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"}, IdentifierTypeCode: "NH"}
	claims := vihf.Claims{
		Mode: vihf.Directe, Version: vihf.V3, SubjectID: {{q .NationalID}}, SubjectName: "MAX LIBRE",
		SecteurActivite: vihf.CodeRef{Code: "SA07", OID: "1.2.250.1.71.4.2.4"},
		Roles:           []vihf.Code{{"{{"}}Code: "10", CodeSystem: "1.2.250.1.71.1.2.7"}, {Code: "SM26", CodeSystem: "1.2.250.1.71.4.2.5"{{"}}"}},
		Patient:         patient,
		LPSID:           "01.01.01.01", LPSName: "DMPGEN", LPSVersion: "1", LPSHomologation: "NumAutorisation",
	}
	provider := &wssec.Provider{
		Signer: xmldsig.Signer{Key: card.PrivateKey.(crypto.Signer), Certificates: []*x509.Certificate{card.Leaf}},
		Claims: func(context.Context, string) (vihf.Claims, error) { return claims, nil },
	}
	c := dmp.New(dmp.Endpoints{
		Registry:      {{q .Endpoints.Registry}},
		Repository:    {{q .Endpoints.Repository}},
		GDP:           {{q .Endpoints.GDP}},
		PDQ:           {{q .Endpoints.PDQ}},
		Habilitations: {{q .Endpoints.Habilitations}},
		Patients:      {{q .Endpoints.Patients}},
	}, soap.NewHTTPClient(soap.ClientTLS(client, roots)), provider, dmp.Options{
		Sender: dmp.Device{Root: "1.2.250.1.213.1.1.9", Name: "MY LPS"}, // your software's OID and name
	})

	ex, err := c.TestExistence(context.Background(), patient) // TD0.2
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("TD0.2 state:", ex.State)
}
`
