package wssec

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// SecurityHeader returns, from a SOAP envelope, a document made of the
// envelope's start tag, its Header's start tag and its one wsse:Security
// header block, byte for byte, then the closing tags: the signature of a
// VIHF verifies there in the namespace context it was made in (an
// InclusiveNamespaces PrefixList may name a prefix declared on the
// Envelope, such as soap), while the body and the other header blocks are
// left out (an ITI-41 body repeats each ExtrinsicObject/@id as its
// Document/@id, which a document-wide ID check refuses). Policy.Verify
// accepts the result: the assertion is still in soap:Header/wsse:Security.
func SecurityHeader(envelope []byte) ([]byte, error) {
	d := xmltext.NewDecoder(envelope, xmltext.Options{File: "envelope"})
	env, err := d.NextElementOrEnd()
	if err != nil {
		return nil, err
	}
	if env.Kind != xmltext.StartElement || env.Name.Local != "Envelope" ||
		(env.Name.Space != NamespaceSOAP12 && env.Name.Space != NamespaceSOAP11) {
		return nil, errors.New("not a SOAP envelope")
	}
	envTag := d.Bytes(env.Offset, d.InputOffset())
	hdr, err := d.NextElementOrEnd()
	if err != nil {
		return nil, err
	}
	if hdr.Kind != xmltext.StartElement || hdr.Name != (xmltext.Name{Space: env.Name.Space, Local: "Header"}) {
		return nil, errors.New("the envelope has no Header")
	}
	hdrTag := d.Bytes(hdr.Offset, d.InputOffset())
	if bytes.HasSuffix(hdrTag, []byte("/>")) {
		return nil, errors.New("the Header is empty: no wsse:Security block")
	}
	var block []byte
	n := 0
	for {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return nil, err
		}
		if tok.Kind == xmltext.EndElement {
			break
		}
		if tok.Kind != xmltext.StartElement {
			return nil, d.Errorf(tok.Offset, "text in Header")
		}
		if err := d.Skip(); err != nil {
			return nil, err
		}
		if tok.Name == (xmltext.Name{Space: NamespaceWSSE, Local: "Security"}) {
			n++
			block = d.Bytes(tok.Offset, d.InputOffset())
		}
	}
	if n != 1 {
		return nil, fmt.Errorf("%d wsse:Security header blocks, want 1", n)
	}
	var b bytes.Buffer
	b.Grow(len(envTag) + len(hdrTag) + len(block) + 64)
	b.Write(envTag)
	b.Write(hdrTag)
	b.Write(block)
	fmt.Fprintf(&b, "</%s></%s>", rawName(hdrTag), rawName(envTag))
	return b.Bytes(), nil
}

// rawName returns the qualified name of a start tag as written.
func rawName(tag []byte) []byte {
	end := 1
	for end < len(tag) && !bytes.ContainsRune([]byte(" \t\r\n/>"), rune(tag[end])) {
		end++
	}
	return tag[1:end]
}
