package soap_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/pkcs11"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/wssec"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
)

// A DMP client: mutual TLS with the CPS card's authentication key, the
// signed VIHF on every request, an ITI-41 document streamed from a file,
// and an ITI-43 document streamed to one.
func Example_dmpClient() {
	ctx := context.Background()
	card, err := pkcs11.Open(ctx, pkcs11.Config{KeyLabel: "CPS_ID_KEY", PIN: askPIN})
	if err != nil {
		log.Fatal(err)
	}
	defer card.Close()
	cert, err := soap.SignerCertificate(card, card.Certificate())
	if err != nil {
		log.Fatal(err)
	}
	roots := x509.NewCertPool() // the DMP's CA (IGC-Santé) certificates
	hc := soap.NewHTTPClient(soap.ClientTLS(cert, roots))
	vihf := &wssec.Provider{ /* Signer, Claims: see runtime/wssec */ }
	c := soap.NewClient("https://dmp.example/si-dmp-server/v2/services/DocumentRepository",
		soap.WithHTTPClient(hc), soap.WithHeader(vihf))
	repo := xdsb.NewDocumentRepositoryClient(c)

	// ITI-41: the document's Binary refers to an attachment streamed from disk.
	f, err := os.Open("cda.xml")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	pnr := &xdsb.ProvideAndRegisterDocumentSetRequestType{ /* SubmitObjectsRequest: the XDS metadata */ }
	pnr.Document = append(pnr.Document, xdsb.ProvideAndRegisterDocumentSetRequestTypeDocument{
		Id: "Document01", Value: xmlbind.Binary{Include: "doc1@dmpgen"}})
	_, err = repo.ProvideAndRegisterDocumentSetB(ctx, pnr,
		soap.WithAttachments(soap.Attachment{ContentID: "doc1@dmpgen", ContentType: "text/xml", Body: f}))
	var fault *soap.FaultError
	var registry *soap.RegistryError
	switch {
	case errors.As(err, &registry):
		for _, e := range registry.Errors {
			fmt.Println(e.ErrorCode, e.CodeContext) // DMP error code and text
		}
	case errors.As(err, &fault):
		fmt.Println(fault.Code, fault.Subcodes, fault.Reason)
	case err != nil:
		log.Fatal(err)
	}

	// ITI-43: each returned document streams to a file as it arrives.
	_, err = repo.RetrieveDocumentSet(ctx, &xdsb.RetrieveDocumentSetRequestType{ /* DocumentRequest */ },
		soap.OnAttachment(func(p *mtom.Part) error {
			out, err := os.Create(p.ContentID)
			if err != nil {
				return err
			}
			defer out.Close()
			_, err = io.Copy(out, p.Body)
			return err
		}))
	if err != nil {
		log.Fatal(err) // what was written is incomplete: discard it
	}
}

func askPIN(context.Context, pkcs11.TokenInfo) (string, error) { return "", errors.New("no PIN") }
