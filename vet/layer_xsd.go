package vet

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/dmpgen/dmpgen/generated/ws/saml"
	"github.com/dmpgen/dmpgen/generated/ws/soap11"
	"github.com/dmpgen/dmpgen/generated/ws/soap12"
	"github.com/dmpgen/dmpgen/generated/ws/wsa"
	"github.com/dmpgen/dmpgen/generated/ws/wsse"
	"github.com/dmpgen/dmpgen/generated/ws/wsu"
	"github.com/dmpgen/dmpgen/generated/ws/xmldsig"
	"github.com/dmpgen/dmpgen/generated/xades/xades"
	xadesdsig "github.com/dmpgen/dmpgen/generated/xades/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// missingAttr matches the lenient decoder's warning for a missing required
// attribute.
var missingAttr = regexp.MustCompile(`^required attribute (\S+) missing`)

var (
	// wsRegs decode header blocks and faults.
	wsRegs = []registry{soap12.NewElement, soap11.NewElement, wsa.NewElement, wsse.NewElement, wsu.NewElement, saml.NewElement, xmldsig.NewElement}
	// xadesRegs decode the XAdES signature document of TD2.1.
	xadesRegs = []registry{xadesdsig.NewElement, xades.NewElement}
)

// decoded is the result of the xsd layer on one envelope.
type decoded struct {
	body xmlbind.Value // nil when the body could not be decoded
}

// sink collects the findings of one document: an envelope or an attachment.
type sink struct {
	c        *capture
	lineBase int    // lines of the file before the document; -1 when unknown
	label    string // where the document is ("part <cid>")
	// attachment prefixes every path with label.
	attachment bool
	data       []byte     // the document, for positions
	pos        *positions // built at the first violation
	out        []Finding
}

func (s *sink) add(id string, line, col int, path, msg string) {
	if s.attachment {
		path = strings.TrimSpace(s.label + " " + path)
	}
	switch {
	case line > 0 && s.lineBase > 0:
		line += s.lineBase
	case line > 0 && s.lineBase < 0:
		path = strings.TrimSpace(fmt.Sprintf("line %d col %d %s", line, col, path))
		if !s.attachment {
			path = s.label + " " + path
		}
		line, col = 0, 0
	}
	s.out = append(s.out, s.c.at(id, line, col, path, msg))
}

// decodeEnvelope decodes every header block with the WS-* bindings and the
// body element with the transaction's bindings (all DMP bindings when the
// transaction is unknown), then validates each value.
func decodeEnvelope(s *sink, data []byte, bodyRegs []registry) decoded {
	s.data = data
	d := xmltext.NewDecoder(data, xmltext.Options{File: s.c.file, Lenient: true})
	var out decoded
	failed := false
	// start reads the next child's start tag; false at the parent's end
	// or on an error (reported, failed set).
	start := func() (xmltext.Token, bool) {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			s.positioned("xsd.decode", err)
			failed = true
			return tok, false
		}
		return tok, tok.Kind == xmltext.StartElement
	}
	if _, ok := start(); !ok { // soap:Envelope
		return out
	}
	for {
		part, ok := start() // soap:Header, soap:Body
		if !ok {
			return out
		}
		inBody := part.Name.Local == "Body"
		for first := true; ; first = false {
			tok, ok := start()
			if failed {
				return out
			}
			if !ok {
				break
			}
			regs := wsRegs
			if inBody && first {
				regs = append(append([]registry(nil), bodyRegs...), wsRegs...)
			}
			v, ok := decodeElement(s, d, tok, regs)
			if !ok {
				return out
			}
			if inBody && first {
				out.body = v
			}
		}
	}
}

// decodeDocument decodes a standalone document (an attachment).
func decodeDocument(s *sink, data []byte, regs []registry) xmlbind.Value {
	s.data = data
	d := xmltext.NewDecoder(data, xmltext.Options{File: s.c.file, Lenient: true})
	tok, err := d.NextElementOrEnd()
	if err != nil {
		s.positioned("xsd.decode", err)
		return nil
	}
	v, _ := decodeElement(s, d, tok, regs)
	return v
}

// decodeElement decodes the element started by tok leniently: each warning
// is a finding (strict decoding refuses it), then Validate's violations
// are. It returns false when the decoder cannot go on.
func decodeElement(s *sink, d *xmltext.Decoder, tok xmltext.Token, regs []registry) (xmlbind.Value, bool) {
	var v xmlbind.Value
	for _, r := range regs {
		if v = r(tok.Name); v != nil {
			break
		}
	}
	if v == nil {
		line, col := d.Position(tok.Offset)
		s.add("xsd.unbound", line, col, "", fmt.Sprintf("no generated binding for %s: it was not decoded nor validated", tok.Name))
		if err := d.Skip(); err != nil {
			s.positioned("xsd.decode", err)
			return nil, false
		}
		return nil, true
	}
	before := len(d.Warnings())
	offset := tok.Offset
	prefix := tok.Prefix
	name := tok.Name
	err := v.UnmarshalXMLText(d, &tok)
	// A required attribute that strict decoding misses is one finding, not
	// also Validate's report of it.
	missing := map[string]bool{}
	for _, w := range d.Warnings()[before:] {
		s.add("xsd.strict", w.Line, w.Col, "", w.Msg)
		if m := missingAttr.FindStringSubmatch(w.Msg); m != nil {
			missing[m[1]] = true
		}
	}
	if err != nil {
		s.positioned("xsd.decode", err)
		return nil, false
	}
	root := "/" + name.Local
	if prefix != "" {
		root = "/" + prefix + ":" + name.Local
	}
	r := xsdt.NewReport(root)
	v.ValidateXSD(r)
	var vs xsdt.Violations
	if errors.As(r.Err(), &vs) {
		for _, x := range vs {
			if i := strings.LastIndex(x.Path, "/@"); i >= 0 && missing[x.Path[i+2:]] && x.Code == "required" {
				continue
			}
			id := "xsd." + x.Code
			if !known(id) {
				id = "xsd.other"
			}
			line, col := s.locate(offset, x.Path)
			s.add(id, line, col, x.Path, x.Msg)
		}
	}
	return v, true
}

// locate positions a violation path of the element at offset.
func (s *sink) locate(offset int64, path string) (int, int) {
	if s.pos == nil {
		s.pos = elementPositions(s.data)
	}
	return s.pos.locate(offset, path)
}

// positioned adds a finding for a decoding error, at its position when it
// has one.
func (s *sink) positioned(id string, err error) {
	var xe *xmltext.Error
	if errors.As(err, &xe) {
		s.add(id, xe.Line, xe.Col, "", xe.Msg)
		return
	}
	s.add(id, 0, 0, "", err.Error())
}
