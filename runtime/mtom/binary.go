package mtom

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
)

// Binary is the value of an xs:base64Binary element (such as xdsb:Document)
// in a message that may use XOP. Exactly one form is meaningful:
// ContentID != "" means the element holds <xop:Include href="cid:..."/> and
// the bytes travel in the part with that Content-ID; otherwise Inline holds
// the decoded base64 content of the element.
//
// Binary implements xml.Marshaler and xml.Unmarshaler, so a struct field of
// this type reads both forms and writes the one that is set.
type Binary struct {
	ContentID string
	Inline    []byte
}

var xopInclude = xml.Name{Space: NamespaceXOP, Local: "Include"}

// MarshalXML writes start, then either an xop:Include referencing
// b.ContentID or the base64 encoding of b.Inline, then the end element.
func (b Binary) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if b.ContentID != "" {
		if msg := checkContentID(b.ContentID); msg != "" {
			return &Error{Kind: ErrInvalidContentID, Part: -1, Msg: msg}
		}
		inc := xml.StartElement{Name: xopInclude, Attr: []xml.Attr{{Name: xml.Name{Local: "href"}, Value: Href(b.ContentID)}}}
		if err := e.EncodeToken(inc); err != nil {
			return err
		}
		if err := e.EncodeToken(inc.End()); err != nil {
			return err
		}
	} else if len(b.Inline) > 0 {
		if err := e.EncodeToken(xml.CharData(base64.StdEncoding.EncodeToString(b.Inline))); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// UnmarshalXML reads an element holding either one xop:Include (whitespace
// around it is allowed, as in the pretty-printed DMP TD3.2 response) or
// base64 text (whitespace inside it is allowed, as xs:base64Binary permits).
// Anything else is an error: other child elements, text next to an
// xop:Include, a bad href or bad base64.
func (b *Binary) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var (
		text []byte
		cid  string
	)
	for {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("mtom: reading %s: %w", start.Name.Local, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name != xopInclude || cid != "" {
				return fmt.Errorf("mtom: element {%s}%s inside base64Binary element %s", t.Name.Space, t.Name.Local, start.Name.Local)
			}
			id, ierr := includeID(t)
			if ierr != nil {
				return ierr
			}
			cid = id
			if err := d.Skip(); err != nil {
				return fmt.Errorf("mtom: reading xop:Include in %s: %w", start.Name.Local, err)
			}
		case xml.CharData:
			text = appendNonSpace(text, t)
		case xml.EndElement:
			if cid != "" {
				if len(text) > 0 {
					return fmt.Errorf("mtom: element %s holds both xop:Include and text", start.Name.Local)
				}
				*b = Binary{ContentID: cid}
				return nil
			}
			data := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
			n, err := base64.StdEncoding.Decode(data, text)
			if err != nil {
				return fmt.Errorf("mtom: base64 content of %s: %w", start.Name.Local, err)
			}
			*b = Binary{Inline: data[:n]}
			return nil
		}
	}
}

// appendNonSpace appends the bytes of s that are not XML whitespace.
func appendNonSpace(dst, s []byte) []byte {
	for _, c := range s {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			dst = append(dst, c)
		}
	}
	return dst
}
