package xmlbind

import (
	"fmt"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// Raw is an element kept as a DOM: the body or header block of a WSDL
// part typed xs:anyType, or bound to an element without a complex type
// (xs:anyType, no type, a simple type), whose schema is validated
// elsewhere. Decoding keeps every node, attribute and namespace
// declaration; encoding writes them back (prefixes are reused when they
// do not clash).
type Raw struct {
	Element *xmltext.Element
}

// UnmarshalXMLText reads the element whose start tag is start.
func (r *Raw) UnmarshalXMLText(d *xmltext.Decoder, start *xmltext.Token) error {
	el, err := d.ReadElement(*start)
	if err != nil {
		return err
	}
	r.Element = el
	return nil
}

// MarshalXMLText writes the kept element. A zero name accepts any element
// (a part typed xs:anyType); otherwise the element must be named name.
func (r *Raw) MarshalXMLText(e *xmltext.Encoder, name xmltext.Name) error {
	if r.Element == nil {
		return fmt.Errorf("raw element %s: no Element to write", name)
	}
	if name != (xmltext.Name{}) && r.Element.Name != name {
		return fmt.Errorf("raw element is %s, want %s", r.Element.Name, name)
	}
	e.WriteElement(r.Element)
	return e.Err()
}

// ValidateXSD records nothing: xs:anyType accepts any element; the content
// of a raw element is checked where its schema is known.
func (r *Raw) ValidateXSD(*xsdt.Report) {}

// XSDType returns xs:anyType.
func (r *Raw) XSDType() xmltext.Name {
	return xmltext.Name{Space: "http://www.w3.org/2001/XMLSchema", Local: "anyType"}
}
