package vet

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

const (
	nsSOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
	nsWSA    = "http://www.w3.org/2005/08/addressing"
	nsXOP    = "http://www.w3.org/2004/08/xop/include"
)

// element is a child of soap:Header or soap:Body, as a DOM, with the
// position of its start tag in the envelope.
type element struct {
	el        *xmltext.Element
	prefix    string
	line, col int
}

// envelope is the structure of a SOAP envelope.
type envelope struct {
	version soap.Version
	headers []element
	body    *element // the first child of soap:Body; nil when the body is empty
}

// header returns the first header block named {space}local.
func (e *envelope) header(space, local string) *element {
	for i := range e.headers {
		if h := &e.headers[i]; h.el.Name.Space == space && h.el.Name.Local == local {
			return h
		}
	}
	return nil
}

// parseEnvelope reads the structure of an envelope leniently (the xsd layer
// reports what strict decoding refuses).
func parseEnvelope(data []byte, file string) (*envelope, error) {
	d := xmltext.NewDecoder(data, xmltext.Options{File: file, Lenient: true})
	tok, err := d.NextElementOrEnd()
	if err != nil {
		return nil, err
	}
	env := &envelope{}
	switch {
	case tok.Kind == xmltext.StartElement && tok.Name == xmltext.Name{Space: soap.NamespaceSOAP12, Local: "Envelope"}:
		env.version = soap.V12
	case tok.Kind == xmltext.StartElement && tok.Name == xmltext.Name{Space: nsSOAP11, Local: "Envelope"}:
		env.version = soap.V11
	default:
		return nil, fmt.Errorf("the document element is %s, not a SOAP Envelope", tok.Name)
	}
	sawBody := false
	for {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return nil, err
		}
		if tok.Kind == xmltext.EndElement {
			break
		}
		if tok.Kind != xmltext.StartElement {
			return nil, d.Errorf(tok.Offset, "text in soap:Envelope")
		}
		switch tok.Name.Local {
		case "Header":
			if env.headers, err = children(d, tok.Name); err != nil {
				return nil, err
			}
		case "Body":
			sawBody = true
			kids, err := children(d, tok.Name)
			if err != nil {
				return nil, err
			}
			if len(kids) > 0 {
				env.body = &kids[0]
			}
		default:
			return nil, d.Errorf(tok.Offset, "unexpected %s in soap:Envelope", tok.Name)
		}
	}
	if !sawBody {
		return nil, errors.New("the envelope has no soap:Body")
	}
	return env, nil
}

// children reads the child elements of the element just started.
func children(d *xmltext.Decoder, parent xmltext.Name) ([]element, error) {
	var out []element
	for {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return nil, err
		}
		switch tok.Kind {
		case xmltext.EndElement:
			return out, nil
		case xmltext.StartElement:
			line, col := d.Position(tok.Offset)
			prefix := tok.Prefix
			el, err := d.ReadElement(tok)
			if err != nil {
				return nil, err
			}
			out = append(out, element{el: el, prefix: prefix, line: line, col: col})
		default:
			return nil, d.Errorf(tok.Offset, "text in %s", parent)
		}
	}
}

// text returns the trimmed text of a header block, "" when absent.
func (e *element) text() string {
	if e == nil {
		return ""
	}
	return strings.TrimSpace(e.el.Text())
}

// find returns the first descendant of el (el included) named local in
// namespace space ("*" for any namespace).
func find(el *xmltext.Element, space, local string) *xmltext.Element {
	if el.Name.Local == local && (space == "*" || el.Name.Space == space) {
		return el
	}
	for _, c := range el.Elements() {
		if f := find(c, space, local); f != nil {
			return f
		}
	}
	return nil
}

// walk calls f on el and each of its descendants, in document order.
func walk(el *xmltext.Element, f func(*xmltext.Element)) {
	f(el)
	for _, c := range el.Elements() {
		walk(c, f)
	}
}
