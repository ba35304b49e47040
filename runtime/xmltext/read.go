package xmltext

import (
	"errors"

	"github.com/dmpgen/dmpgen/runtime/internal/swar"
)

// errNoStart is returned by the subtree readers when the last token was not
// a StartElement.
var errNoStart = errors.New("xmltext: the last token is not a StartElement")

// NextElementOrEnd returns the next StartElement, EndElement or CharData
// token, skipping comments, processing instructions and character data that
// is only white space.
func (d *Decoder) NextElementOrEnd() (Token, error) {
	var t Token
	err := d.NextElementOrEndInto(&t)
	return t, err
}

// NextElementOrEndInto is NextElementOrEnd storing the token in *t, which
// saves a copy of the token per call in hot loops (generated decoders).
func (d *Decoder) NextElementOrEndInto(t *Token) error {
	for {
		if d.err != nil {
			return d.err
		}
		if d.advance() {
			d.emptyEnd(t)
			return nil
		}
		d.skipSpaceText()
		if d.state == sContent && d.pos+1 < len(d.data) && d.data[d.pos] == '<' {
			// Tags, the usual case, without next's dispatch.
			switch c := d.data[d.pos+1]; c {
			case '/':
				return d.endTag(t)
			case '!', '?':
			default:
				return d.startTag(t)
			}
		}
		if err := d.next(t); err != nil {
			return err
		}
		switch t.Kind {
		case Comment, ProcInst:
			continue
		case CharData:
			if isSpace(t.Text) {
				continue
			}
		}
		return nil
	}
}

// skipSpaceText moves past white space in content that is a whole
// character data token (followed by markup other than a CDATA section),
// which NextElementOrEnd would skip, without making the token. Runs longer
// than Options.MaxTextLen are left for the scanner to refuse.
func (d *Decoder) skipSpaceText() {
	if d.state != sContent {
		return
	}
	data := d.data
	p := skipSpace(data, d.pos)
	if p == d.pos || p+1 >= len(data) || data[p] != '<' || data[p+1] == '!' || p-d.pos > d.lim.text {
		return
	}
	d.pos = p
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if class[c]&cSpace == 0 {
			return false
		}
	}
	return true
}

// Skip consumes the rest of the element whose StartElement was the last
// token, through its matching EndElement.
func (d *Decoder) Skip() error {
	if d.err != nil {
		return d.err
	}
	if d.lastKind != StartElement || d.popDue {
		return errNoStart
	}
	target := d.Depth() - 1
	for {
		tok, err := d.Next()
		if err != nil {
			return err
		}
		if tok.Kind == EndElement && d.Depth() == target {
			return nil
		}
	}
}

// ReadText reads the character data of the element whose StartElement was
// the last token (start), through its matching EndElement. Comments and
// processing instructions are skipped; a child element is a positioned error.
func (d *Decoder) ReadText(start Token) (string, error) { return d.ReadElementText(&start) }

// ReadElementText is ReadText with the StartElement passed by address,
// which saves a copy of the token per call (generated decoders).
func (d *Decoder) ReadElementText(start *Token) (string, error) {
	if d.err != nil {
		return "", d.err
	}
	if d.lastKind != StartElement || d.popDue {
		return "", errNoStart
	}
	if s, ok, err := d.plainText(); ok {
		return s, err
	}
	var (
		first  string
		buf    []byte
		pieces int
	)
	for {
		tok, err := d.Next()
		if err != nil {
			return "", err
		}
		switch tok.Kind {
		case CharData:
			pieces++
			switch pieces {
			case 1:
				first = d.tokenString(tok.Text)
			case 2:
				buf = append(append(buf, first...), tok.Text...)
			default:
				buf = append(buf, tok.Text...)
			}
		case StartElement:
			return "", d.fail(int(tok.Offset), "element %s not allowed in the simple content of %s", tok.Name, start.Name)
		case EndElement:
			if pieces > 1 {
				return d.arenaString(buf), nil
			}
			return first, nil
		}
	}
}

// plainText reads, after a start tag, text that needs no decoding (no
// reference, CR, CDATA section or character to check) up to an end tag,
// and that end tag; ok is false, and nothing is read, for anything else.
func (d *Decoder) plainText() (s string, ok bool, err error) {
	if d.pendingEnd {
		return "", false, nil
	}
	data := d.data
	p := d.pos
	for {
		for p+8 <= len(data) {
			if m := swar.Stop(swar.Load(data, p), wCtl, wLt, wAmp, wRsqb, wEF, wEF); m != 0 {
				p += swar.First(m)
				break
			}
			p += 8
		}
		if p < len(data) && (data[p] == '\t' || data[p] == '\n') {
			p++ // flagged by the word test, plain text here
			continue
		}
		for p < len(data) && class[data[p]]&cText == 0 {
			p++
		}
		break
	}
	if p+1 >= len(data) || data[p] != '<' || data[p+1] != '/' || p-d.pos > d.lim.text {
		return "", false, nil
	}
	text := data[d.pos:p]
	d.pos = p
	var end Token
	if err := d.endTag(&end); err != nil {
		return "", true, err
	}
	return d.keep(text), true, nil
}

// tokenString returns the Text of the current token as a string that
// stays valid.
func (d *Decoder) tokenString(b []byte) string {
	if d.textOwned {
		return d.arenaString(b)
	}
	return d.keep(b)
}

// UnknownAttr reports an attribute the caller does not know on owner. Strict:
// an *Error "unexpected attribute ... on ..."; Lenient: a Warning and nil.
func (d *Decoder) UnknownAttr(owner Token, a Attr) error {
	off := d.AttrOffset(owner, a.Name)
	if d.lenient {
		d.Warn(off, "ignored unexpected attribute %s on %s", a.Name, owner.Name)
		return nil
	}
	return d.Errorf(off, "unexpected attribute %s on %s", a.Name, owner.Name)
}

// UnknownElement reports a child element the caller does not know in parent.
// Strict: an *Error; Lenient: a Warning, and the element is skipped.
func (d *Decoder) UnknownElement(parent Name, start Token) error {
	if !d.lenient {
		return d.Errorf(start.Offset, "unexpected element %s in %s", start.Name, parent)
	}
	d.Warn(start.Offset, "skipped unexpected element %s in %s", start.Name, parent)
	if start.Kind == StartElement && d.lastKind == StartElement && int64(d.tokOff) == start.Offset {
		return d.Skip()
	}
	return nil
}

// XSIType returns the resolved xsi:type of start, which must be the last
// token (its namespace bindings resolve the value), and whether it has one.
func (d *Decoder) XSIType(start Token) (Name, bool, error) {
	v, ok := start.Attr(Name{XSINamespace, "type"})
	if !ok {
		return Name{}, false, nil
	}
	n, err := d.ResolveQName(v)
	if err != nil {
		return Name{}, true, d.Errorf(d.AttrOffset(start, Name{XSINamespace, "type"}), "xsi:type %q: %v", v, errMsg(err))
	}
	return n, true, nil
}

// XSINil reports whether start carries xsi:nil="true" (or "1"); a value
// other than true, false, 1 or 0 is a positioned error.
func (d *Decoder) XSINil(start Token) (bool, error) {
	v, ok := start.Attr(Name{XSINamespace, "nil"})
	if !ok {
		return false, nil
	}
	switch trimSpace(v) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, d.Errorf(d.AttrOffset(start, Name{XSINamespace, "nil"}), "invalid xsi:nil %q", v)
}

// AttrOffset returns the offset of attribute n of start when start is the
// last token (for errors positioned at the attribute), else start's offset.
func (d *Decoder) AttrOffset(start Token, n Name) int64 {
	if int(start.Offset) == d.tokOff && d.lastKind == StartElement {
		// Callers usually go through the attributes in order: try the one
		// after the last found first, so that doing so costs linear time.
		for _, i := range [2]int{d.attrHint + 1, d.attrHint} {
			if i < len(d.attrs) && i < len(d.attrRaw) && d.attrs[i].Name == n {
				d.attrHint = i
				return int64(d.attrRaw[i].off)
			}
		}
		for i := range d.attrs {
			d.sc.work++
			if d.attrs[i].Name == n && i < len(d.attrRaw) {
				d.attrHint = i
				return int64(d.attrRaw[i].off)
			}
		}
	}
	return start.Offset
}

// errMsg returns the message of an *Error without its position.
func errMsg(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Msg
	}
	return err.Error()
}

// skipSpace returns the end of the white space at p, eight spaces at a time
// through indentation.
func skipSpace(data []byte, p int) int {
	for p < len(data) {
		c := data[p]
		if c == ' ' && p+8 <= len(data) {
			// The spaces at p, up to eight: at least one.
			x := swar.Load(data, p) ^ swar.Spaces
			if x == 0 {
				p += 8
			} else {
				p += swar.First(x)
			}
			continue
		}
		if class[c]&cSpace == 0 {
			break
		}
		p++
	}
	return p
}
