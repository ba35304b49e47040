package xmltext

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// prepared is the decoder's UTF-8 view of its input: the input itself when
// it is valid UTF-8 (inPlace), else a transcoded copy.
type prepared struct {
	data    []byte
	inPlace bool
	start   int            // offset of the first byte after a UTF-8 byte order mark
	errAt   int            // offset of an encoding error, -1 if none
	err     string         // the encoding error
	warn    []encodingWarn // Lenient mode: bytes read as Latin-1
}

type encodingWarn struct {
	off int
	msg string
}

// prepare detects the encoding of in and transcodes it to UTF-8 when
// needed (see the package documentation for the accepted encodings).
func prepare(in []byte, lenient bool) prepared {
	p := prepared{errAt: -1}
	switch {
	case len(in) >= 2 && (in[0] == 0xFE && in[1] == 0xFF || in[0] == 0xFF && in[1] == 0xFE):
		data, ok := fromUTF16(in[2:], in[0] == 0xFE)
		p.data = data
		if !ok {
			p.errAt, p.err = 0, "invalid UTF-16 (unpaired surrogate or odd length)"
			return p
		}
		if enc := declaredEncoding(data); enc != "" && !strings.EqualFold(enc, "UTF-16") && !strings.EqualFold(enc, "UTF16") {
			p.errAt, p.err = 0, fmt.Sprintf("document has a UTF-16 byte order mark but declares encoding %q", enc)
		}
		return p
	case len(in) >= 4 && (in[0] == 0 && in[1] == '<' && in[2] == 0 && in[3] == '?' || in[0] == '<' && in[1] == 0 && in[2] == '?' && in[3] == 0):
		p.data = append([]byte(nil), in...)
		p.errAt, p.err = 0, "UTF-16 without a byte order mark is not supported"
		return p
	}
	if len(in) >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF {
		p.start = 3
	}
	enc := strings.ToLower(declaredEncoding(in[p.start:]))
	switch enc {
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "iso-ir-100", "cp819", "ibm819":
		p.data = fromSingleByte(in, nil)
		return p
	case "windows-1252", "cp1252", "x-cp1252":
		p.data = fromSingleByte(in, &cp1252)
		return p
	case "utf-16", "utf16":
		p.data = append([]byte(nil), in...)
		p.errAt, p.err = 0, "encoding UTF-16 declared but the document has no UTF-16 byte order mark"
		return p
	case "", "utf-8", "utf8", "us-ascii", "ascii":
	default:
		p.data = append([]byte(nil), in...)
		p.errAt, p.err = bytes.Index(in, []byte("encoding")), fmt.Sprintf("unsupported encoding %q (UTF-8, UTF-16 with BOM, US-ASCII, ISO-8859-1 and windows-1252 are supported)", enc)
		return p
	}
	ascii := enc == "us-ascii" || enc == "ascii"
	if ascii {
		if i := firstNonASCII(in); i >= 0 {
			if !lenient {
				p.data = append([]byte(nil), in...)
				p.errAt, p.err = i, fmt.Sprintf("byte 0x%02X in a document declared US-ASCII", in[i])
				return p
			}
			p.warn = append(p.warn, encodingWarn{i, fmt.Sprintf("byte 0x%02X in a document declared US-ASCII; reading it as UTF-8", in[i])})
		}
	}
	if utf8.Valid(in) {
		p.data, p.inPlace = in, true
		return p
	}
	if !lenient {
		i := firstInvalidUTF8(in)
		p.data = append([]byte(nil), in...)
		p.errAt, p.err = i, fmt.Sprintf("invalid UTF-8 byte 0x%02X (declare the encoding in the XML declaration)", in[i])
		return p
	}
	// Lenient: read each byte that is not part of valid UTF-8 as Latin-1.
	out := make([]byte, 0, len(in)+16)
	for i := 0; i < len(in); {
		r, n := utf8.DecodeRune(in[i:])
		if r == utf8.RuneError && n <= 1 {
			b := in[i]
			p.warn = append(p.warn, encodingWarn{len(out), fmt.Sprintf("invalid UTF-8 byte 0x%02X read as Latin-1 %q", b, rune(b))})
			out = utf8.AppendRune(out, rune(b))
			i++
			continue
		}
		out = append(out, in[i:i+n]...)
		i += n
	}
	p.data = out
	return p
}

func firstNonASCII(b []byte) int {
	for i, c := range b {
		if c >= utf8.RuneSelf {
			return i
		}
	}
	return -1
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// declaredEncoding returns the encoding named by an XML declaration at the
// start of b, or "". Malformed declarations return "" and are reported by the
// tokenizer.
func declaredEncoding(b []byte) string {
	if !bytes.HasPrefix(b, []byte("<?xml")) || len(b) < 6 || class[b[5]]&cSpace == 0 {
		return ""
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 {
		return ""
	}
	s := string(b[5:end])
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return ""
		}
		name := strings.TrimRight(s[:eq], " \t\r\n")
		s = strings.TrimLeft(s[eq+1:], " \t\r\n")
		if s == "" || (s[0] != '"' && s[0] != '\'') {
			return ""
		}
		q := strings.IndexByte(s[1:], s[0])
		if q < 0 {
			return ""
		}
		if name == "encoding" {
			return s[1 : q+1]
		}
		s = s[q+2:]
	}
}

func fromUTF16(b []byte, bigEndian bool) ([]byte, bool) {
	if len(b)%2 != 0 {
		return nil, false
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	out := make([]byte, 0, len(u))
	for i := 0; i < len(u); i++ {
		r := rune(u[i])
		if utf16.IsSurrogate(r) {
			if i+1 >= len(u) {
				return out, false
			}
			r = utf16.DecodeRune(r, rune(u[i+1]))
			if r == utf8.RuneError {
				return out, false
			}
			i++
		}
		out = utf8.AppendRune(out, r)
	}
	return out, true
}

// cp1252 maps windows-1252 bytes 0x80..0x9F; the five undefined bytes map to
// the C1 controls of the same value, as the WHATWG encoding standard does.
var cp1252 = [32]rune{
	0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
}

func fromSingleByte(in []byte, high *[32]rune) []byte {
	out := make([]byte, 0, len(in)+len(in)/8)
	for _, c := range in {
		switch {
		case c < 0x80:
			out = append(out, c)
		case c < 0xA0 && high != nil:
			out = utf8.AppendRune(out, high[c-0x80])
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}
