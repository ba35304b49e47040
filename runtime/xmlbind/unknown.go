package xmlbind

import "github.com/dmpgen/dmpgen/runtime/xmltext"

// Unknown holds what a lenient decoder found in an element but could not
// bind to the generated struct: attributes the type does not declare and
// child elements its content model does not accept at their place. Each is
// kept, with a warning on the decoder, and written back on encode, so
// lenient decoding loses nothing. Generated structs hold it as a field that
// is nil when nothing was kept; a strict decoder never fills it (unknown
// content is an error there).
//
// Kept attributes are written after the known ones. Kept elements are
// written after the known content of their parent, in their order: an
// element that was out of place comes back after its known siblings.
// Validate does not report kept content (the decoding warnings did); a
// value with kept content may not be schema-valid once encoded.
type Unknown struct {
	// Attrs are the unknown attributes, with their namespace.
	Attrs []xmltext.Attr
	// Elements are the unknown child elements, each with the namespace
	// bindings its subtree uses.
	Elements []*xmltext.Element
}

// KeepAttr handles an attribute of start that the generated type does not
// know. Strict: the positioned error of xmltext's UnknownAttr. Lenient: a
// warning "kept unexpected attribute …", and the attribute is kept in *u.
func KeepAttr(d *xmltext.Decoder, u **Unknown, start *xmltext.Token, a xmltext.Attr) error {
	if !d.Lenient() {
		return d.UnknownAttr(*start, a)
	}
	d.Warn(d.AttrOffset(*start, a.Name), "kept unexpected attribute %s on %s", a.Name, start.Name)
	if *u == nil {
		*u = new(Unknown)
	}
	(*u).Attrs = append((*u).Attrs, a)
	return nil
}

// KeepElement handles a child element of parent that the content model
// does not accept where it appears; tok is its start, the decoder's last
// token. Strict: the positioned error of xmltext's UnknownElement. Lenient:
// a warning "kept unexpected element …", and the element is read as a DOM
// into *u.
func KeepElement(d *xmltext.Decoder, u **Unknown, parent xmltext.Name, tok *xmltext.Token) error {
	if !d.Lenient() {
		return d.UnknownElement(parent, *tok)
	}
	d.Warn(tok.Offset, "kept unexpected element %s in %s", tok.Name, parent)
	el, err := d.ReadElement(*tok)
	if err != nil {
		return err
	}
	if *u == nil {
		*u = new(Unknown)
	}
	(*u).Elements = append((*u).Elements, el)
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
		d.Warn(d.AttrOffset(*tok, a.Name), "unexpected attribute %s on %s, which has simple content: the element is kept unbound", a.Name, tok.Name)
		return false, nil
	}
	return true, nil
}

// WriteAttrs writes the kept attributes (none when u is nil).
func (u *Unknown) WriteAttrs(e *xmltext.Encoder) {
	if u == nil {
		return
	}
	for _, a := range u.Attrs {
		e.Attr(a.Name, a.Value)
	}
}

// WriteElements writes the kept elements (none when u is nil).
func (u *Unknown) WriteElements(e *xmltext.Encoder) {
	if u == nil {
		return
	}
	for _, el := range u.Elements {
		e.WriteElement(el)
	}
}
