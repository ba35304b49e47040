package mtom

import (
	"net/url"
	"strconv"
	"strings"
)

// hrefSafe lists the bytes Href leaves unencoded besides ASCII letters and
// digits: RFC 3986 unreserved characters, "@" and the sub-delimiters other
// than "&". ":" and "/" are encoded, as Apache CXF and the DMP server do.
const hrefSafe = "-._~@!$'()*+,;="

// Href returns the cid: URL (RFC 2392) that references the part with the
// given Content-ID (without angle brackets), percent-encoding every byte
// that is not an ASCII letter, digit or one of -._~@!$'()*+,;=.
func Href(contentID string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len("cid:") + len(contentID))
	b.WriteString("cid:")
	for i := 0; i < len(contentID); i++ {
		c := contentID[i]
		if isAlnum(c) || strings.IndexByte(hrefSafe, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// ParseHref returns the Content-ID referenced by a cid: URL, such as the
// href of an xop:Include: the scheme is matched case-insensitively, the rest
// is percent-decoded (RFC 2392), surrounding XML whitespace is ignored.
// "cid:a%3Ab@c" yields "a:b@c", which matches "Content-ID: <a:b@c>".
// Errors are [*Error] of kind [ErrInvalidContentID].
func ParseHref(href string) (string, error) {
	h := strings.Trim(href, " \t\r\n")
	if len(h) < 4 || !strings.EqualFold(h[:4], "cid:") {
		return "", &Error{Kind: ErrInvalidContentID, Part: -1, Msg: "href " + quote(href) + " is not a cid: URL"}
	}
	id, err := url.PathUnescape(h[4:])
	if err != nil {
		return "", &Error{Kind: ErrInvalidContentID, Part: -1, Msg: "href " + quote(href), Err: err}
	}
	if msg := checkContentID(id); msg != "" {
		return "", &Error{Kind: ErrInvalidContentID, Part: -1, Msg: "href " + quote(href) + ": " + msg}
	}
	return id, nil
}

// checkContentID returns why id is not an acceptable Content-ID (without its
// angle brackets), or "". Accepted: 1 to 998 visible ASCII characters other
// than "<" and ">". This is laxer than RFC 5322 msg-id, which real stacks do
// not follow (soapUI uses file names, CXF puts ":" in the right-hand side).
func checkContentID(id string) string {
	if id == "" {
		return "empty Content-ID"
	}
	if len(id) > 998 {
		return "Content-ID longer than 998 bytes"
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f || c == '<' || c == '>' {
			return "Content-ID " + quote(id) + " contains a byte that is not visible ASCII or is an angle bracket"
		}
	}
	return ""
}

// headerContentID extracts the identifier from a Content-ID header value or a
// start parameter: surrounding whitespace and one pair of angle brackets are
// removed (some stacks omit the brackets).
func headerContentID(v string) string {
	v = strings.Trim(v, " \t")
	if len(v) >= 2 && v[0] == '<' && v[len(v)-1] == '>' {
		v = strings.Trim(v[1:len(v)-1], " \t")
	}
	return v
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// quote quotes s for an error message, shortened to keep messages readable.
func quote(s string) string {
	const max = 120
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strconv.Quote(s)
}
