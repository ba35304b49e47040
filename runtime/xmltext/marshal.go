package xmltext

import (
	"fmt"
	"io"
)

// Marshaler is implemented by generated types.
type Marshaler interface {
	// MarshalXMLText writes exactly one element named name.
	MarshalXMLText(e *Encoder, name Name) error
}

// Unmarshaler is implemented by generated types.
type Unmarshaler interface {
	// UnmarshalXMLText decodes the element whose StartElement is start,
	// consuming tokens through its EndElement.
	UnmarshalXMLText(d *Decoder, start *Token) error
}

// Marshal encodes v as the single element name (no XML declaration).
func Marshal(v Marshaler, name Name) ([]byte, error) {
	e := NewEncoder(nil) // keeps everything in its buffer
	if err := v.MarshalXMLText(e, name); err != nil {
		return nil, fmt.Errorf("marshal %s: %w", name, err)
	}
	if err := e.Finish(); err != nil {
		return nil, fmt.Errorf("marshal %s: %w", name, err)
	}
	return e.buf, nil
}

// Finish checks that exactly one complete element was written and flushes.
func (e *Encoder) Finish() error {
	if e.err != nil {
		return e.err
	}
	if len(e.stack) > 0 {
		e.fail("element %s is not closed", e.stack[len(e.stack)-1].name)
		return e.err
	}
	if e.roots != 1 {
		e.fail("%d elements written at the top level, want 1", e.roots)
		return e.err
	}
	return e.Flush()
}

// Unmarshal decodes the root element of data into v and returns its name.
// In Lenient mode the warnings are not returned: use NewDecoder and Decode
// to read them.
func Unmarshal(data []byte, v Unmarshaler, opts Options) (Name, error) {
	return Decode(NewDecoder(data, opts), v)
}

// Decode reads the root element from d into v, then checks the rest of the
// document, and returns the root's name.
func Decode(d *Decoder, v Unmarshaler) (Name, error) {
	var tok Token
	for {
		var err error
		if tok, err = d.Next(); err != nil {
			return Name{}, err
		}
		if tok.Kind == StartElement {
			break
		}
	}
	name := tok.Name
	if err := v.UnmarshalXMLText(d, &tok); err != nil {
		return name, err
	}
	if d.Depth() != 0 {
		return name, d.Errorf(d.TokenOffset(), "decoding %s stopped before its end tag", name)
	}
	for {
		if _, err := d.Next(); err == io.EOF {
			return name, nil
		} else if err != nil {
			return name, err
		}
	}
}
