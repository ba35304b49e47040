package xmlbind

import (
	"fmt"
	"slices"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// Unknown holds what a lenient decoder found in an element but could not
// bind to the generated struct: attributes the type does not declare and
// child elements its content model does not accept at their place. Each is
// kept, with a warning on the decoder, and written back on encode, so
// lenient decoding loses nothing. Generated structs hold it as a field that
// is nil when nothing was kept; a strict decoder fills it only with the
// xsi hints below (unknown content is an error there).
//
// Kept attributes are written after the known ones. Each kept element is
// written back at its place among the known child elements (After), so an
// unchanged value re-encodes in document order; one without a place, or
// whose place is past the known children (which the caller may have
// removed), is written after them. Validate does not report kept content
// (the decoding warnings did); a value with kept content may not be
// schema-valid once encoded. A required attribute the element lacked is
// recorded too (Absent), so that an unchanged value re-encodes without it
// instead of with its field's zero value.
//
// Unknown also keeps the xsi:schemaLocation and xsi:noNamespaceSchemaLocation
// attributes (XSIHints), which every element may carry, strict decoding
// included: they are rare, and a field of their own in every generated
// struct made each one 24 bytes larger.
type Unknown struct {
	// Attrs are the unknown attributes, with their namespace.
	Attrs []xmltext.Attr
	// Elements are the unknown child elements, in document order, each
	// with the namespace bindings its subtree uses.
	Elements []*xmltext.Element
	// After[i] is the number of known child elements that came before
	// Elements[i]; without an entry, Elements[i] goes after all of them.
	After []int
	// XSIType is an xsi:type naming no type derived from the declared one
	// (KeepXSIType), zero if none.
	XSIType xmltext.Name
	// Absent are the required attributes the element did not have
	// (MissingAttr): while its field holds the zero value, such an
	// attribute is left out by the encoder and reported missing by
	// Validate.
	Absent []xmltext.Name
	// XSIHints are the element's xsi:schemaLocation and
	// xsi:noNamespaceSchemaLocation attributes, verbatim, written back after
	// xsi:type and xsi:nil. Generated code of version 5 and before keeps
	// them in a field of its own instead.
	XSIHints []xmltext.Attr
}

// Hints returns the kept xsi:schemaLocation and xsi:noNamespaceSchemaLocation
// attributes (none when u is nil).
func (u *Unknown) Hints() []xmltext.Attr {
	if u == nil {
		return nil
	}
	return u.XSIHints
}

// KeepXSIHint keeps an xsi:schemaLocation or xsi:noNamespaceSchemaLocation
// attribute in *u, allocating it if needed.
func KeepXSIHint(u **Unknown, a xmltext.Attr) {
	k := keep(u)
	k.XSIHints = append(k.XSIHints, a)
}

// keep returns *u, allocated if nil: what a decoder keeps in an Unknown
// allocates it on first use.
func keep(u **Unknown) *Unknown {
	if *u == nil {
		*u = new(Unknown)
	}
	return *u
}

// WriteXSIHints writes the kept xsi hints (none when u is nil).
func (u *Unknown) WriteXSIHints(e *xmltext.Encoder) {
	for _, a := range u.Hints() {
		e.Attr(a.Name, a.Value)
	}
}

// Omits reports whether the required attribute name was absent from the
// decoded element (Absent); the caller checks that its field still holds
// the zero value.
func (u *Unknown) Omits(name xmltext.Name) bool {
	return u != nil && slices.Contains(u.Absent, name)
}

// KeepAttr handles an attribute of start that the generated type does not
// know. Strict: the positioned error of xmltext's UnknownAttr. Lenient: a
// warning "kept unexpected attribute …", and the attribute is kept in *u.
func KeepAttr(d *xmltext.Decoder, u **Unknown, start *xmltext.Token, a xmltext.Attr) error {
	if !d.Lenient() {
		return d.UnknownAttr(*start, a)
	}
	d.Warn(d.AttrOffset(*start, a.Name), "kept unexpected attribute %s on %s", a.Name, start.Name)
	k := keep(u)
	k.Attrs = append(k.Attrs, a)
	return nil
}

// KeepElement handles a child element of parent that the content model
// does not accept where it appears (the generated take said no); tok is its
// start, the decoder's last token, and after the number of known child
// elements before it. Strict: the positioned error of xmltext's
// UnknownElement. Lenient: a warning "kept unexpected element …", and the
// element is read as a DOM into *u, to be written back at its place.
func KeepElement(d *xmltext.Decoder, u **Unknown, parent xmltext.Name, tok *xmltext.Token, after int) error {
	if !d.Lenient() {
		return d.UnknownElement(parent, *tok)
	}
	d.Warn(tok.Offset, "kept unexpected element %s in %s", tok.Name, parent)
	el, err := d.ReadElement(*tok)
	if err != nil {
		return err
	}
	k := keep(u)
	k.Elements = append(k.Elements, el)
	k.After = append(k.After, after)
	return nil
}

// SimpleAttrs checks the attributes of a child element of simple type:
// xsi:nil is an error (the element is not nillable), xsi:type is handled
// by the caller. Another attribute is, strict, the positioned error of
// xmltext's UnknownAttr; lenient, a warning, and SimpleAttrs returns false:
// the caller does not bind the element, so that its parent keeps it whole
// (KeepElement) with the attribute.
func SimpleAttrs(d *xmltext.Decoder, tok *xmltext.Token) (bool, error) {
	for _, a := range tok.Attrs {
		if a.Name == XSINilName {
			return false, d.Errorf(tok.Offset, "xsi:nil on %s, which is not nillable", tok.Name)
		}
		if IsXSI(a.Name) {
			continue
		}
		if !d.Lenient() {
			return false, d.UnknownAttr(*tok, a)
		}
		// A repeated group tries the element twice (its last item, then a
		// new one): one warning.
		off := d.AttrOffset(*tok, a.Name)
		line, col := d.Position(off)
		w := xmltext.Warning{File: d.File(), Line: line, Col: col, Msg: fmt.Sprintf("unexpected attribute %s on %s, which has simple content: the element is kept unbound", a.Name, tok.Name)}
		if ws := d.Warnings(); len(ws) == 0 || ws[len(ws)-1] != w {
			d.Warn(off, "%s", w.Msg)
		}
		return false, nil
	}
	return true, nil
}

// WriteAttrs writes the kept attributes (none when u is nil).
func (u *Unknown) WriteAttrs(e *xmltext.Encoder) {
	if u == nil {
		return
	}
	if u.XSIType != (xmltext.Name{}) {
		e.Attr(XSITypeName, e.QName(u.XSIType))
	}
	for _, a := range u.Attrs {
		e.Attr(a.Name, a.Value)
	}
}

// WriteContent writes the known child elements with content, and the kept
// elements at their place among them. Without kept elements it is content
// itself; with them, the known children are encoded apart first and read
// back (the lenient path only).
func (u *Unknown) WriteContent(e *xmltext.Encoder, content func(*xmltext.Encoder) error) error {
	if u == nil || len(u.Elements) == 0 {
		return content(e)
	}
	var known []*xmltext.Element
	if len(u.After) > 0 {
		var err error
		if known, err = encodeApart(content); err != nil {
			return err
		}
	} else if err := content(e); err != nil {
		return err
	}
	j := 0
	for i, k := range known {
		for ; j < len(u.Elements) && j < len(u.After) && u.After[j] <= i; j++ {
			e.WriteElement(u.Elements[j])
		}
		e.WriteElement(k)
	}
	for ; j < len(u.Elements); j++ {
		e.WriteElement(u.Elements[j])
	}
	return e.Err()
}

// encodeApart encodes content inside a wrapper element and returns the
// child elements written, each with the bindings it uses.
func encodeApart(content func(*xmltext.Encoder) error) ([]*xmltext.Element, error) {
	s := xmltext.NewEncoder(nil)
	s.Start(xmltext.Name{Local: "content"})
	if err := content(s); err != nil {
		return nil, err
	}
	s.End()
	if err := s.Finish(); err != nil {
		return nil, err
	}
	d := xmltext.NewDecoder(s.Bytes(), xmltext.Options{})
	if _, err := d.Next(); err != nil {
		return nil, err
	}
	var known []*xmltext.Element
	for {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return nil, err
		}
		switch tok.Kind {
		case xmltext.EndElement:
			return known, nil
		case xmltext.StartElement:
			el, err := d.ReadElement(tok)
			if err != nil {
				return nil, err
			}
			known = append(known, el)
		default:
			return nil, d.Errorf(tok.Offset, "text among the child elements")
		}
	}
}
