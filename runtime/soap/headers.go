package soap

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// Header is a header block bound in the WSDL: a soap:header of an input or
// output, or a soap:headerfault. Bound blocks are understood: they may
// arrive flagged mustUnderstand.
type Header struct {
	Part    string               // wsdl:part name
	Element xmltext.Name         // the block's element
	New     func() xmlbind.Value // new value for the block
}

// HeadersHandlerFunc handles an operation with bound header blocks: in[i]
// is the decoded and validated block op.RequestHeaders[i]; the returned
// out[i] is sent as op.ResponseHeaders[i].
type HeadersHandlerFunc func(ctx context.Context, req xmlbind.Value, in []xmlbind.Value) (resp xmlbind.Value, out []xmlbind.Value, err error)

// MustUnderstand flags the bound request header blocks named (every bound
// block when no name is given) with soap:mustUnderstand. By default no
// bound block is flagged: the receiver may then ignore what it does not
// know.
func MustUnderstand(names ...xmltext.Name) CallOption {
	return func(c *call) {
		if c.mustUnderstand == nil {
			c.mustUnderstand = map[xmltext.Name]bool{}
		}
		if len(names) == 0 {
			c.mustUnderstandAll = true
		}
		for _, n := range names {
			c.mustUnderstand[n] = true
		}
	}
}

// CallHeaders is Call for an operation with bound header blocks (WSDL
// soap:header): in[i] is sent as op.RequestHeaders[i], and the response's
// blocks op.ResponseHeaders[i] are decoded, validated and returned in the
// same order. Every bound block must be given and must come back (WS-I
// Basic Profile R2738); a lenient client (WithLenientDecoding) accepts a
// missing or invalid response block with a warning, and returns nil for a
// missing one.
func (c *Client) CallHeaders(ctx context.Context, op *Operation, req, resp xmlbind.Value, in []xmlbind.Value, opts ...CallOption) ([]xmlbind.Value, error) {
	var out []xmlbind.Value
	opts = append(opts, func(cl *call) { cl.headersIn, cl.headersOut = in, &out })
	if err := c.Call(ctx, op, req, resp, opts...); err != nil {
		var re *RegistryError
		if errors.As(err, &re) {
			return out, err
		}
		return nil, err
	}
	return out, nil
}

// HandleHeaders registers the handler of an operation with bound header
// blocks (see Handle and HeadersHandlerFunc).
func (s *Server) HandleHeaders(op *Operation, newReq func() xmlbind.Value, h HeadersHandlerFunc) {
	if h == nil {
		panic(fmt.Sprintf("soap: HandleHeaders %s: nil handler", op))
	}
	s.handle(op, newReq, nil, h)
}

// typedBlock is a bound header block to encode.
type typedBlock struct {
	name           xmltext.Name
	value          xmlbind.Value
	mustUnderstand bool
}

// requestBlocks pairs the caller's header values with the operation's
// bound request headers.
func requestBlocks(op *Operation, cl *call) ([]typedBlock, error) {
	if len(cl.headersIn) > len(op.RequestHeaders) {
		return nil, fmt.Errorf("%d request header values given, the operation binds %d", len(cl.headersIn), len(op.RequestHeaders))
	}
	var blocks []typedBlock
	for i, h := range op.RequestHeaders {
		var v xmlbind.Value
		if i < len(cl.headersIn) {
			v = cl.headersIn[i]
		}
		if isNil(v) {
			return nil, fmt.Errorf("request header block %s (part %s) is missing: every bound header must be sent (WS-I Basic Profile R2738)", h.Element, h.Part)
		}
		blocks = append(blocks, typedBlock{name: h.Element, value: v, mustUnderstand: cl.mustUnderstandAll || cl.mustUnderstand[h.Element]})
	}
	for n := range cl.mustUnderstand {
		if !bound(op.RequestHeaders, n) {
			return nil, fmt.Errorf("soap.MustUnderstand(%s): not a bound request header block of the operation", n)
		}
	}
	return blocks, nil
}

// responseBlocks pairs a handler's header values with the operation's
// bound response headers.
func responseBlocks(op *Operation, out []xmlbind.Value) ([]typedBlock, error) {
	if len(out) > len(op.ResponseHeaders) {
		return nil, fmt.Errorf("the handler returned %d response header values, the operation binds %d", len(out), len(op.ResponseHeaders))
	}
	var blocks []typedBlock
	for i, h := range op.ResponseHeaders {
		var v xmlbind.Value
		if i < len(out) {
			v = out[i]
		}
		if isNil(v) {
			return nil, fmt.Errorf("the handler returned no response header block %s (part %s): every bound header must be sent (WS-I Basic Profile R2738)", h.Element, h.Part)
		}
		blocks = append(blocks, typedBlock{name: h.Element, value: v})
	}
	return blocks, nil
}

// faultBlocks names the header fault values of fe after the operation's
// soap:headerfault blocks, by Go type.
func faultBlocks(op *Operation, fe *FaultError) ([]typedBlock, error) {
	var blocks []typedBlock
	for _, v := range fe.Headers {
		if isNil(v) {
			continue
		}
		var name xmltext.Name
		if op != nil {
			t := reflect.TypeOf(v)
			for _, h := range op.HeaderFaults {
				if h.New != nil && reflect.TypeOf(h.New()) == t {
					name = h.Element
					break
				}
			}
		}
		if name == (xmltext.Name{}) {
			return nil, fmt.Errorf("fault header %T is not a soap:headerfault of operation %s", v, op)
		}
		blocks = append(blocks, typedBlock{name: name, value: v})
	}
	return blocks, nil
}

func bound(hs []Header, n xmltext.Name) bool {
	for _, h := range hs {
		if h.Element == n {
			return true
		}
	}
	return false
}

// isNil reports a nil interface or a nil pointer in one.
func isNil(v xmlbind.Value) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// write encodes the block; a block flagged mustUnderstand is encoded apart,
// flagged, then written.
func (b *typedBlock) write(e *xmltext.Encoder, v Version) error {
	if !b.mustUnderstand {
		if err := b.value.MarshalXMLText(e, b.name); err != nil {
			return fmt.Errorf("header block %s: %w", b.name, err)
		}
		return nil
	}
	data, err := xmltext.Marshal(b.value, b.name)
	if err != nil {
		return fmt.Errorf("header block %s: %w", b.name, err)
	}
	d := xmltext.NewDecoder(data, xmltext.Options{File: "header block"})
	tok, err := d.NextElementOrEnd()
	if err != nil {
		return fmt.Errorf("header block %s: %w", b.name, err)
	}
	el, err := d.ReadElement(tok)
	if err != nil {
		return fmt.Errorf("header block %s: %w", b.name, err)
	}
	mu := xmltext.Name{Space: v.Namespace(), Local: "mustUnderstand"}
	el.Attrs = append(el.Attrs, xmltext.Attr{Name: mu, Value: v.mustUnderstandTrue()})
	e.WriteElement(el)
	return e.Err()
}

// decodeHeaders decodes the header blocks of the envelope data bound by
// parts, in place in the envelope so that errors carry the envelope's
// line:col, and validates each. A missing, repeated or invalid block is an
// error; lenient, a missing or invalid one is a warning (and a missing one
// nil). The decoder's own warnings are returned too. types (nil: none)
// resolves the xsi:type of derived types of other packages.
func decodeHeaders(data []byte, lenient bool, parts []Header, types func(xmltext.Name) xmltext.Unmarshaler) ([]xmlbind.Value, []string, error) {
	vals := make([]xmlbind.Value, len(parts))
	var warnings []string
	d := xmltext.NewDecoder(data, xmltext.Options{File: "envelope", Lenient: lenient, Types: types})
	env, err := d.NextElementOrEnd()
	if err != nil {
		return nil, nil, err
	}
	tok, err := d.NextElementOrEnd()
	if err != nil {
		return nil, nil, err
	}
	if tok.Kind == xmltext.StartElement && tok.Name == (xmltext.Name{Space: env.Name.Space, Local: "Header"}) {
		for {
			tok, err := d.NextElementOrEnd()
			if err != nil {
				return nil, nil, err
			}
			if tok.Kind != xmltext.StartElement {
				break
			}
			i := -1
			for j := range parts {
				if parts[j].Element == tok.Name {
					i = j
					break
				}
			}
			if i < 0 {
				if err := d.Skip(); err != nil {
					return nil, nil, err
				}
				continue
			}
			if vals[i] != nil {
				return nil, nil, d.Errorf(tok.Offset, "repeated header block %s", tok.Name)
			}
			v := parts[i].New()
			tok.Attrs = blockAttrs(tok.Attrs, env.Name.Space)
			if err := v.UnmarshalXMLText(d, &tok); err != nil {
				return nil, nil, fmt.Errorf("header block %s: %w", tok.Name, err)
			}
			if d.Depth() != 2 {
				return nil, nil, d.Errorf(tok.Offset, "decoding header block %s stopped before its end tag", tok.Name)
			}
			r := xsdt.NewReport("")
			v.ValidateXSD(r)
			if err := r.Err(); err != nil {
				verr := d.Errorf(tok.Offset, "header block %s is not valid: %v", tok.Name, err)
				if !lenient {
					return nil, nil, verr
				}
				warnings = append(warnings, verr.Error())
			}
			vals[i] = v
		}
	}
	for _, w := range d.Warnings() {
		warnings = append(warnings, w.String())
	}
	for i, v := range vals {
		if v != nil {
			continue
		}
		msg := fmt.Sprintf("header block %s (part %s) is missing: every bound header must be sent (WS-I Basic Profile R2738)", parts[i].Element, parts[i].Part)
		if !lenient {
			return nil, nil, errors.New(msg)
		}
		warnings = append(warnings, msg)
	}
	return vals, warnings, nil
}

// blockAttrs returns the attributes of a header block without the SOAP
// ones (mustUnderstand, role or actor, relay, encodingStyle), which belong
// to the envelope, not to the block's schema.
func blockAttrs(attrs []xmltext.Attr, envNS string) []xmltext.Attr {
	var out []xmltext.Attr
	for _, a := range attrs {
		if a.Name.Space != envNS {
			out = append(out, a)
		}
	}
	return out
}
