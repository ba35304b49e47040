// Package mtom reads and writes SOAP messages packaged with MTOM/XOP
// (W3C SOAP Message Transmission Optimization Mechanism and XML-binary
// Optimized Packaging): a MIME multipart/related body whose first part, the
// root, holds the SOAP envelope, and whose other parts hold binary content
// that the envelope references with <xop:Include href="cid:..."/>.
//
// Both directions stream. [Writer] copies each attachment from an io.Reader
// to the destination as it goes, and [Reader] hands each attachment to the
// caller as an io.Reader over the incoming body, so a document is never held
// whole in memory. Only the root part is buffered, because it is small XML
// the caller must parse anyway; its size is limited by
// [ReaderOptions.MaxRootSize].
//
// The sending side (ITI-41 ProvideAndRegisterDocumentSet-b):
//
//	w, err := mtom.NewWriter(pipeWriter, mtom.WriterOptions{Action: action})
//	cid, href := w.NewContentID()           // href goes into the envelope
//	root, err := w.CreateRoot()             // write the envelope into root
//	_, err = w.WriteAttachment(&mtom.Part{ContentID: cid, ContentType: "text/xml", Body: doc})
//	err = w.Close()
//	req.Header.Set("Content-Type", w.ContentType())
//
// The receiving side (ITI-43 RetrieveDocumentSet response):
//
//	r, err := mtom.NewReader(resp.Header.Get("Content-Type"), resp.Body, nil)
//	root := r.Root()                        // root.Data is the envelope
//	for {
//		p, err := r.Next()                  // p.Body streams one attachment
//		if err == io.EOF { break }          // only now is the message complete
//		...
//	}
//
// A plain (non-multipart) SOAP body with Content-Type application/soap+xml or
// text/xml is read transparently: its root is the whole body and it has no
// attachments. At the XML level, base64Binary content, inline or as an
// xop:Include, is xmlbind.Binary in the generated types.
//
// Every malformed or over-limit message yields an [*Error] whose Kind is one
// of the Err* sentinels, so callers branch with errors.Is or errors.As.
// Errors from the underlying body reader (network failures) are wrapped with
// context and are not *Error.
//
// Parsing uses mime/multipart, which handles the RFC 2046 delimiter rules
// (CRLF, transport padding after the boundary, the close delimiter) and also
// accepts bare-LF line ends, as found in the DMP TD2.1 capture. This package
// adds the MTOM rules on top: root identification by the start parameter,
// Content-ID matching with RFC 2392 percent-decoding, duplicate and unknown
// Content-IDs, Content-Transfer-Encoding, truncation detection and size limits.
package mtom
