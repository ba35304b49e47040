// Package xmlscaling measures how the XML layer (runtime/xmltext, the c14n
// and verifier of runtime/xmldsig, runtime/wssec and the runtime/soap
// envelope reader) scales on adversarial input shapes: each shape is
// generated at n and 2n and the ratio of the times is reported (linear
// code gives about 2). bench/xml-scaling.sh prints the table.
package xmlscaling

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// Shape is an adversarial document family.
type Shape struct {
	Name string
	// Body returns the content of size n to put inside an element whose
	// start tag is open (attributes and declarations first, then "|" and
	// the children): see Doc.
	Body func(n int) (attrs, children string)
}

// Shapes returns the families measured.
func Shapes() []Shape {
	return []Shape{
		{"nsflood", func(n int) (string, string) {
			// n declarations on one element, each used by a child element and attribute.
			var a, c strings.Builder
			for i := range n {
				fmt.Fprintf(&a, ` xmlns:p%d="urn:x:%d"`, i, i)
				fmt.Fprintf(&c, `<p%d:c p%d:a="p%d:v"/>`, i, i, i)
			}
			return a.String(), c.String()
		}},
		{"attrflood", func(n int) (string, string) {
			var a strings.Builder
			a.WriteString(` xmlns:q="urn:q"`)
			for i := range n {
				if i%2 == 0 {
					fmt.Fprintf(&a, ` a%d="v"`, i)
				} else {
					fmt.Fprintf(&a, ` q:a%d="v"`, i)
				}
			}
			return a.String(), "<c/>"
		}},
		{"deep", func(n int) (string, string) {
			return "", strings.Repeat("<e>", n) + strings.Repeat("</e>", n)
		}},
		{"longname", func(n int) (string, string) {
			name := "n" + strings.Repeat("x", n)
			return ` ` + name + `="v"`, "<" + name + ">t</" + name + ">"
		}},
		{"longtext", func(n int) (string, string) {
			return "", "<t>" + strings.Repeat("abc&amp;def ", n/12+1) + "</t>"
		}},
		{"manysmall", func(n int) (string, string) {
			return "", strings.Repeat(`<e a="1">t</e>`, n/15+1)
		}},
	}
}

// Doc is the shape as a whole document: a root element carrying the
// shape's attributes and children.
func Doc(s Shape, n int) []byte {
	a, c := s.Body(n)
	return []byte(`<r xmlns="urn:root"` + a + `>` + c + `</r>`)
}

// Envelope is the shape inside a SOAP 1.2 header block, with WS-Addressing
// and an empty body: what a server reads before any authentication.
func Envelope(s Shape, n int) []byte {
	a, c := s.Body(n)
	return []byte(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing"><s:Header>` +
		`<wsa:Action>urn:x</wsa:Action><h:H xmlns:h="urn:h"` + a + `>` + c + `</h:H></s:Header><s:Body><b xmlns="urn:b"/></s:Body></s:Envelope>`)
}

// NSFloodRequest is a SOAP request of about size bytes whose envelope
// carries only namespace declarations, without client certificate or token.
func NSFloodRequest(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"`)
	for i := 0; b.Len() < size-200; i++ {
		b.WriteString(` xmlns:n` + strconv.Itoa(i) + `="urn:n:` + strconv.Itoa(i) + `"`)
	}
	b.WriteString(`><s:Header/><s:Body><b xmlns="urn:b"/></s:Body></s:Envelope>`)
	return b.Bytes()
}

// Unlimited raises every decoder limit, to measure the algorithms rather
// than the refusals.
func Unlimited() xmltext.Options {
	return xmltext.Options{MaxDepth: 1 << 30, MaxAttrs: 1 << 30, MaxNSDecls: 1 << 30,
		MaxDocNSDecls: 1 << 30, MaxNameLen: 1 << 30, MaxTextLen: 1 << 30}
}

// Decode reads every token.
func Decode(data []byte, opts xmltext.Options) error {
	d := xmltext.NewDecoder(data, opts)
	for {
		if _, err := d.Next(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// DOM reads the root's start tag, then each child of the root with
// ReadElement (as xs:any content is read).
func DOM(data []byte, opts xmltext.Options) error {
	d := xmltext.NewDecoder(data, opts)
	if _, err := d.Next(); err != nil {
		return err
	}
	for {
		tok, err := d.Next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if tok.Kind == xmltext.StartElement {
			if _, err := d.ReadElement(tok); err != nil {
				return err
			}
		}
	}
}

// Tokens are decoded tokens (with their own copies of attributes and
// declarations), replayed by Encode.
type Tokens []xmltext.Token

// Record decodes data into Tokens.
func Record(data []byte, opts xmltext.Options) (Tokens, error) {
	d := xmltext.NewDecoder(data, opts)
	var out Tokens
	for {
		tok, err := d.Next()
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		tok.Attrs = append([]xmltext.Attr(nil), tok.Attrs...)
		tok.NS = append([]xmltext.NSDecl(nil), tok.NS...)
		tok.Text = append([]byte(nil), tok.Text...)
		out = append(out, tok)
	}
}

// Encode writes the tokens with an Encoder, redeclaring each declaration
// (with its own prefix) on its element.
func Encode(toks Tokens) ([]byte, error) {
	e := xmltext.NewEncoder(nil)
	for i := range toks {
		t := &toks[i]
		switch t.Kind {
		case xmltext.StartElement:
			e.Start(t.Name)
			for _, b := range t.NS {
				if b.Prefix != "" {
					e.DeclareNS(b.Prefix, b.URI)
				}
			}
			for _, a := range t.Attrs {
				e.Attr(a.Name, a.Value)
			}
		case xmltext.EndElement:
			e.End()
		case xmltext.CharData:
			e.Text(string(t.Text))
		}
	}
	if err := e.Finish(); err != nil {
		return nil, err
	}
	return e.Bytes(), nil
}

// C14N parses data for signature processing and canonicalises its root.
func C14N(data []byte) ([]byte, error) {
	doc, err := xmldsig.Parse(data)
	if err != nil {
		return nil, err
	}
	return xmldsig.Canonicalize(doc.Root(), xmldsig.C14NOptions{})
}
