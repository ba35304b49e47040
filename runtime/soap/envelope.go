package soap

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// addressing holds the WS-Addressing headers of a message.
type addressing struct {
	MessageID string
	To        string
	ReplyTo   string // address of wsa:ReplyTo
	FaultTo   string // address of wsa:FaultTo
	Action    string
	RelatesTo string

	hasTo, hasReplyTo, hasFaultTo, hasRelatesTo bool
}

// outMessage is an envelope to encode.
type outMessage struct {
	version  Version
	request  bool // header order and flags of a request, else of a response
	wsa      addressing
	typed    []typedBlock // bound header blocks, after the WS-Addressing ones
	blocks   [][]byte     // header blocks inserted verbatim after the bound ones
	prefixes []func(*xmltext.Encoder)
	body     func(e *xmltext.Encoder) error // writes the body content (nil: empty body)
}

// encode returns the envelope's bytes.
//
// The WS-Addressing headers follow the order of the DMP's official
// examples: MessageID, To, ReplyTo, Action in requests (ReplyTo and Action
// flagged soap:mustUnderstand; the examples carry an unqualified
// mustUnderstand attribute, which SOAP ignores, so the qualified one is
// written instead), Action, MessageID, To, RelatesTo in responses.
func (m *outMessage) encode() ([]byte, error) {
	ns := m.version.Namespace()
	e := xmltext.NewEncoder(nil)
	for _, p := range m.prefixes {
		p(e)
	}
	e.PreferPrefix(ns, "soap")
	e.PreferPrefix(NamespaceWSA, "wsa")
	e.Start(xmltext.Name{Space: ns, Local: "Envelope"})
	e.DeclareNS("wsa", NamespaceWSA)
	e.Start(xmltext.Name{Space: ns, Local: "Header"})
	mu := xmltext.Name{Space: ns, Local: "mustUnderstand"}
	text := func(local, value string, mustUnderstand bool) {
		e.Start(xmltext.Name{Space: NamespaceWSA, Local: local})
		if mustUnderstand {
			e.Attr(mu, m.version.mustUnderstandTrue())
		}
		if value != "" {
			e.Text(value)
		}
		e.End()
	}
	w := &m.wsa
	if m.request {
		text("MessageID", w.MessageID, false)
		if w.hasTo {
			text("To", w.To, false)
		}
		e.Start(xmltext.Name{Space: NamespaceWSA, Local: "ReplyTo"})
		e.Attr(mu, m.version.mustUnderstandTrue())
		text("Address", AnonymousAddress, false)
		e.End()
		text("Action", w.Action, true)
	} else {
		text("Action", w.Action, false)
		text("MessageID", w.MessageID, false)
		to := w.To // a non-anonymous ReplyTo or FaultTo of the request
		if to == "" {
			to = AnonymousAddress
		}
		text("To", to, false)
		if w.RelatesTo != "" {
			text("RelatesTo", w.RelatesTo, false)
		}
	}
	for i := range m.typed {
		if err := m.typed[i].write(e, m.version); err != nil {
			return nil, err
		}
	}
	for _, b := range m.blocks {
		e.Raw(b)
	}
	e.End()
	e.Start(xmltext.Name{Space: ns, Local: "Body"})
	if m.body != nil {
		if err := m.body(e); err != nil {
			return nil, err
		}
	}
	e.End()
	e.End()
	if err := e.Finish(); err != nil {
		return nil, err
	}
	return e.Bytes(), nil
}

// envelope is a decoded envelope up to the start of its body element.
type envelope struct {
	version Version
	header  []*xmltext.Element // header blocks, each with the bindings it uses
	wsa     addressing
	d       *xmltext.Decoder // positioned after payload's StartElement
	payload xmltext.Token    // the body element; Kind 0 for an empty body
	// types is the type resolver of the decoders (xmltext.Options.Types).
	types func(xmltext.Name) xmltext.Unmarshaler
}

// parseEnvelope reads data up to and including the start tag of the body
// element; the Header may hold at most maxHeader bytes (0: no limit); types
// (nil: none) resolves the xsi:type of derived types of other packages.
// Errors are *ProtocolError.
func parseEnvelope(data []byte, lenient bool, maxHeader int64, types func(xmltext.Name) xmltext.Unmarshaler) (*envelope, error) {
	d := xmltext.NewDecoder(data, xmltext.Options{File: "envelope", Lenient: lenient, Types: types})
	tok, err := d.NextElementOrEnd()
	if err != nil {
		return nil, protocolErr(ErrNotSOAP, err, "the message is not XML")
	}
	if tok.Kind != xmltext.StartElement {
		return nil, protocolErr(ErrNotSOAP, nil, "the message has no root element")
	}
	env := &envelope{d: d, types: types}
	switch tok.Name {
	case xmltext.Name{Space: NamespaceSOAP12, Local: "Envelope"}:
		env.version = V12
	case xmltext.Name{Space: NamespaceSOAP11, Local: "Envelope"}:
		env.version = V11
	default:
		if tok.Name.Local == "Envelope" {
			return nil, protocolErr(ErrVersionMismatch, nil, "envelope namespace %q is neither SOAP 1.1 nor SOAP 1.2", tok.Name.Space)
		}
		return nil, protocolErr(ErrNotSOAP, nil, "root element is %s, not a SOAP Envelope", tok.Name)
	}
	ns := env.version.Namespace()
	bad := func(err error, format string, args ...any) (*envelope, error) {
		return nil, protocolErr(ErrBadEnvelope, err, format, args...)
	}
	seenHeader := false
	for {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return bad(err, "reading Envelope")
		}
		switch {
		case tok.Kind == xmltext.CharData:
			return bad(d.Errorf(tok.Offset, "text in Envelope"), "")
		case tok.Kind == xmltext.EndElement:
			return bad(d.Errorf(tok.Offset, "Envelope has no Body"), "")
		case tok.Name == xmltext.Name{Space: ns, Local: "Header"} && !seenHeader:
			seenHeader = true
			if err := env.readHeader(tok.Offset, maxHeader); err != nil {
				return nil, err
			}
		case tok.Name == xmltext.Name{Space: ns, Local: "Body"}:
			p, err := d.NextElementOrEnd()
			if err != nil {
				return bad(err, "reading Body")
			}
			switch p.Kind {
			case xmltext.CharData:
				return bad(d.Errorf(p.Offset, "text in Body"), "")
			case xmltext.StartElement:
				env.payload = p
			}
			return env, nil
		default:
			return bad(d.Errorf(tok.Offset, "unexpected element %s in Envelope", tok.Name), "")
		}
	}
}

// readHeader reads the header blocks into DOMs and extracts WS-Addressing;
// the Header, which starts at offset start, may hold at most max bytes (0:
// no limit).
func (env *envelope) readHeader(start, max int64) error {
	d := env.d
	for {
		if max > 0 && d.InputOffset()-start > max {
			return protocolErr(ErrBadEnvelope, &TooLargeError{Limit: max, What: "SOAP Header"}, "")
		}
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return protocolErr(ErrBadEnvelope, err, "reading Header")
		}
		switch tok.Kind {
		case xmltext.EndElement:
			return nil
		case xmltext.CharData:
			return protocolErr(ErrBadEnvelope, d.Errorf(tok.Offset, "text in Header"), "")
		}
		el, err := d.ReadElement(tok)
		if err != nil {
			return protocolErr(ErrBadEnvelope, err, "reading header block %s", tok.Name)
		}
		env.header = append(env.header, el)
		if el.Name.Space != NamespaceWSA {
			continue
		}
		w := &env.wsa
		var dst *string
		var seen *bool
		value := strings.TrimSpace(el.Text())
		switch el.Name.Local {
		case "Action":
			dst, seen = &w.Action, new(bool)
			*seen = w.Action != ""
		case "MessageID":
			dst, seen = &w.MessageID, new(bool)
			*seen = w.MessageID != ""
		case "To":
			dst, seen = &w.To, &w.hasTo
		case "RelatesTo":
			dst, seen = &w.RelatesTo, &w.hasRelatesTo
		case "ReplyTo":
			dst, seen, value = &w.ReplyTo, &w.hasReplyTo, address(el)
		case "FaultTo":
			dst, seen, value = &w.FaultTo, &w.hasFaultTo, address(el)
		default:
			continue
		}
		if *seen {
			return protocolErr(ErrAddressing, d.Errorf(tok.Offset, "repeated wsa:%s header", el.Name.Local), "")
		}
		*seen = true
		*dst = value
	}
}

// address returns the wsa:Address of an endpoint reference.
func address(epr *xmltext.Element) string {
	for _, c := range epr.Elements() {
		if c.Name == (xmltext.Name{Space: NamespaceWSA, Local: "Address"}) {
			return strings.TrimSpace(c.Text())
		}
	}
	return ""
}

// isFault reports whether the body element is soap:Fault.
func (env *envelope) isFault() bool {
	return env.payload.Kind == xmltext.StartElement &&
		env.payload.Name == xmltext.Name{Space: env.version.Namespace(), Local: "Fault"}
}

// decodePayload decodes the body element into v and checks the rest of the
// envelope.
func (env *envelope) decodePayload(v xmltext.Unmarshaler) error {
	if err := v.UnmarshalXMLText(env.d, &env.payload); err != nil {
		return protocolErr(ErrUnexpectedBody, err, "decoding %s", env.payload.Name)
	}
	if env.d.Depth() != 2 {
		return protocolErr(ErrUnexpectedBody, nil, "decoding %s stopped before its end tag", env.payload.Name)
	}
	return env.finish()
}

// finish checks what follows the body element (or the empty body): the end
// of Body, of Envelope and of the document.
func (env *envelope) finish() error {
	d := env.d
	if env.payload.Kind == xmltext.StartElement {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return protocolErr(ErrBadEnvelope, err, "reading Body")
		}
		if tok.Kind != xmltext.EndElement {
			return protocolErr(ErrBadEnvelope, d.Errorf(tok.Offset, "Body holds more than one element"), "")
		}
	}
	tok, err := d.NextElementOrEnd()
	if err != nil {
		return protocolErr(ErrBadEnvelope, err, "reading Envelope")
	}
	if tok.Kind != xmltext.EndElement {
		return protocolErr(ErrBadEnvelope, d.Errorf(tok.Offset, "content after Body"), "")
	}
	for {
		_, err := d.Next()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return protocolErr(ErrBadEnvelope, err, "after Envelope")
		}
	}
}

// mustUnderstand returns the first header block flagged mustUnderstand
// whose name is not understood.
func (env *envelope) mustUnderstand(understood func(xmltext.Name) bool) *xmltext.Element {
	mu := xmltext.Name{Space: env.version.Namespace(), Local: "mustUnderstand"}
	for _, h := range env.header {
		v, ok := h.Attr(mu)
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if (v == "1" || v == "true") && !understood(h.Name) {
			return h
		}
	}
	return nil
}

// skipper consumes an element.
type skipper struct{}

func (skipper) UnmarshalXMLText(d *xmltext.Decoder, _ *xmltext.Token) error { return d.Skip() }

// checkBlock checks that a header block is one well-formed element.
func checkBlock(b []byte) error {
	if _, err := xmltext.Unmarshal(b, skipper{}, xmltext.Options{File: "header block"}); err != nil {
		return err
	}
	if !bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("<")) || bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("<?")) {
		return fmt.Errorf("header block must start with its element (no XML declaration)")
	}
	return nil
}

// includes returns the Content-IDs referenced by xop:Include elements of a
// serialised envelope, in order, without repetition.
func includes(data []byte) ([]string, error) {
	if !bytes.Contains(data, []byte(xmlbind.XOP)) {
		return nil, nil
	}
	d := xmltext.NewDecoder(data, xmltext.Options{File: "envelope"})
	seen := map[string]bool{}
	var ids []string
	for {
		tok, err := d.Next()
		if err != nil {
			if err == io.EOF {
				return ids, nil
			}
			return nil, err
		}
		if tok.Kind != xmltext.StartElement || tok.Name != (xmltext.Name{Space: xmlbind.XOP, Local: "Include"}) {
			continue
		}
		href, _ := tok.Attr(xmltext.Name{Local: "href"})
		id, err := xmlbind.ContentIDFromHref(href)
		if err != nil {
			return nil, d.Errorf(tok.Offset, "xop:Include: %v", err)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
}
