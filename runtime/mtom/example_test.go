package mtom_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// The sending side of an ITI-41 request: the envelope references the
// document with an xop:Include, the document streams after it.
func ExampleWriter() {
	var body bytes.Buffer // an io.Pipe feeding an HTTP request in real use
	w, err := mtom.NewWriter(&body, mtom.WriterOptions{
		Boundary:      "MIMEBoundary_1", // fixed here for a stable output; leave empty in real use
		RootContentID: "root@example",
		Action:        "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b",
	})
	if err != nil {
		panic(err)
	}
	docID := "doc-1@urn:ihe:iti:xds-b:2007" // or: docID, href := w.NewContentID()
	root, _ := w.CreateRoot()
	fmt.Fprintf(root, `<Document><xop:Include xmlns:xop="%s" href="%s"/></Document>`, mtom.NamespaceXOP, mtom.Href(docID))
	if _, err := w.WriteAttachment(&mtom.Part{ContentID: docID, ContentType: "text/xml", Body: strings.NewReader("<ClinicalDocument/>")}); err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	fmt.Println(w.ContentType())
	fmt.Print(strings.ReplaceAll(body.String(), "\r\n", "\n"))
	// Output:
	// multipart/related; type="application/xop+xml"; boundary="MIMEBoundary_1"; start="<root@example>"; start-info="application/soap+xml"; action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"
	// --MIMEBoundary_1
	// Content-ID: <root@example>
	// Content-Transfer-Encoding: binary
	// Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"; action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"
	//
	// <Document><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:doc-1@urn%3Aihe%3Aiti%3Axds-b%3A2007"/></Document>
	// --MIMEBoundary_1
	// Content-ID: <doc-1@urn:ihe:iti:xds-b:2007>
	// Content-Transfer-Encoding: binary
	// Content-Type: text/xml
	//
	// <ClinicalDocument/>
	// --MIMEBoundary_1--
}

// The receiving side of an ITI-43 response: unmarshal the envelope, then
// stream each document where it belongs.
func ExampleReader() {
	contentType := `multipart/related; type="application/xop+xml"; boundary="b"; start="<r@x>"; start-info="application/soap+xml"`
	body := strings.NewReader("--b\r\nContent-ID: <r@x>\r\nContent-Type: application/xop+xml; type=\"application/soap+xml\"\r\n\r\n" +
		`<Document><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:d%3A1@x"/></Document>` +
		"\r\n--b\r\nContent-ID: <d:1@x>\r\nContent-Type: text/xml\r\n\r\n<ClinicalDocument/>\r\n--b--\r\n")

	r, err := mtom.NewReader(contentType, body, nil)
	if err != nil {
		panic(err)
	}
	// The generated response types decode base64Binary content this way.
	d := xmltext.NewDecoder(r.Root().Data, xmltext.Options{})
	start, err := d.Next()
	if err != nil {
		panic(err)
	}
	doc, err := xmlbind.DecodeBinary(d, &start)
	if err != nil {
		panic(err)
	}
	fmt.Printf("document in part <%s>\n", doc.Include)
	for {
		p, err := r.Next()
		if err == io.EOF {
			break // only now is the whole message known to be complete
		}
		if err != nil {
			panic(err) // discard what was streamed
		}
		fmt.Printf("part <%s> %s: ", p.ContentID, p.ContentType)
		io.Copy(os.Stdout, p.Body)
		fmt.Println()
	}
	// Output:
	// document in part <d:1@x>
	// part <d:1@x> text/xml: <ClinicalDocument/>
}
