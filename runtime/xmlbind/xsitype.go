package xmlbind

import (
	"fmt"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// Types combines the NewType functions of generated packages into the type
// resolver of a decoder (xmltext.Options.Types): an xsi:type naming a type
// derived in another package than the declared type is created through it.
// The first function that knows the name wins.
func Types(news ...func(xmltext.Name) Value) func(xmltext.Name) xmltext.Unmarshaler {
	return func(n xmltext.Name) xmltext.Unmarshaler {
		for _, f := range news {
			if v := f(n); v != nil {
				return v
			}
		}
		return nil
	}
}

// TypedMarshaler is implemented by generated types derived from another
// generated type: the base's encoder writes them with xsi:type.
type TypedMarshaler interface {
	MarshalXMLTextTyped(e *xmltext.Encoder, name xmltext.Name) error
}

// NewDerived returns a new value of xt, a type derived from the declared one
// and generated in package pkg, from the decoder's type resolver. Without
// one that knows xt it is a positioned error saying what to pass.
func NewDerived(d *xmltext.Decoder, start *xmltext.Token, xt xmltext.Name, pkg string) (Value, error) {
	if u := d.NewType(xt); u != nil {
		if v, ok := u.(Value); ok && v.XSDType() == xt {
			return v, nil
		}
		return nil, d.Errorf(start.Offset, "xsi:type %s: the decoder's Types returned %T, not a generated value of that type", xt, u)
	}
	return nil, d.Errorf(start.Offset, "xsi:type %s: the type is generated in package %s, which the decoder does not know: pass xmlbind.Types(<that package>.NewType, …) to the decoder (xmltext.Options.Types), a SOAP client (soap.WithTypes) or server (soap.WithServerTypes)", xt, pkg)
}

// KeepXSIType handles an xsi:type xt on start that names no type derived
// from the declared one. Strict: a positioned error. Lenient: a warning, and
// xt is kept in *u (written back by WriteAttrs) while the element is decoded
// as the declared type, what that type does not know being kept as well.
func KeepXSIType(d *xmltext.Decoder, u **Unknown, start *xmltext.Token, xt xmltext.Name, declared string) error {
	if !d.Lenient() {
		return d.Errorf(start.Offset, "xsi:type %s is not a type derived from %s", xt, declared)
	}
	d.Warn(start.Offset, "xsi:type %s is not a type derived from %s: %s decoded as %s, its xsi:type kept", xt, declared, start.Name, declared)
	keep(u).XSIType = xt
	return nil
}

// MarshalForeign writes x, the Derived value of a type whose derived types
// include foreign ones (generated in other packages), through its
// MarshalXMLTextTyped. Another value is an error naming it.
func MarshalForeign(e *xmltext.Encoder, name xmltext.Name, x Value, base string, foreign ...xmltext.Name) error {
	if m, ok := x.(TypedMarshaler); ok {
		for _, f := range foreign {
			if x.XSDType() == f {
				return m.MarshalXMLTextTyped(e, name)
			}
		}
	}
	return fmt.Errorf("%s: Derived holds %T, which is not derived from %s", name.Local, x, base)
}
