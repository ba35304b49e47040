package xmlbind

import "github.com/dmpgen/dmpgen/runtime/xmltext"

// TextRun is a run of character data in typed mixed content: its text and
// its place, the number of child elements (bound or kept) before it.
type TextRun struct {
	After int
	Text  string
}

// AddText appends character data at place after, joining it to the last
// run when that run is at the same place (text split by a comment, a PI or
// a CDATA section).
func AddText(runs []TextRun, after int, text []byte) []TextRun {
	if n := len(runs); n > 0 && runs[n-1].After == after {
		runs[n-1].Text += string(text)
		return runs
	}
	return append(runs, TextRun{After: after, Text: string(text)})
}

// NextContent returns the next StartElement, EndElement or CharData token
// of mixed content: comments and processing instructions are skipped,
// white space is content.
func NextContent(d *xmltext.Decoder) (xmltext.Token, error) {
	for {
		tok, err := d.Next()
		if err != nil || (tok.Kind != xmltext.Comment && tok.Kind != xmltext.ProcInst) {
			return tok, err
		}
	}
}

// Len returns the number of kept elements (0 for nil).
func (u *Unknown) Len() int {
	if u == nil {
		return 0
	}
	return len(u.Elements)
}

// WriteMixed writes typed mixed content: the child elements of content and
// the kept elements of u in their order (WriteContent), with the text runs
// at their place; a run placed after more elements than there are is
// written at the end.
func WriteMixed(e *xmltext.Encoder, runs []TextRun, u *Unknown, content func(*xmltext.Encoder) error) error {
	if len(runs) == 0 {
		return u.WriteContent(e, content)
	}
	// The child elements in order, bound and kept, encoded apart.
	elems, err := encodeApart(func(s *xmltext.Encoder) error { return u.WriteContent(s, content) })
	if err != nil {
		return err
	}
	j := 0
	for i, el := range elems {
		for ; j < len(runs) && runs[j].After <= i; j++ {
			e.Text(runs[j].Text)
		}
		e.WriteElement(el)
	}
	for ; j < len(runs); j++ {
		e.Text(runs[j].Text)
	}
	return e.Err()
}
