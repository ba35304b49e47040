package xmldsig

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// MaxDocumentBytes bounds what Parse accepts (a VIHF is ~4 KB, a SOAP
// envelope a few tens of KB; attachments never go through this parser).
const MaxDocumentBytes = 8 << 20

// maxParseDepth bounds element nesting.
const maxParseDepth = 256

// Parse reads an XML document for signature processing. It refuses what a
// signature verifier must never process: a DTD or any other directive (so no
// entity declarations and no external references), entity references other
// than the five predefined ones, a declared encoding other than UTF-8, invalid
// UTF-8, duplicate attributes, undeclared namespace prefixes and documents
// larger than MaxDocumentBytes or nested deeper than 256 elements.
func Parse(b []byte) (*etree.Document, error) {
	if len(b) > MaxDocumentBytes {
		return nil, rejectf(ReasonMalformed, "document of %d bytes exceeds the %d byte limit", len(b), MaxDocumentBytes)
	}
	if bytes.Contains(b, []byte("<!")) {
		// Comments and CDATA are fine; anything else (<!DOCTYPE, <!ENTITY…) is refused
		// before the decoder sees it. The tree walk below catches the rest.
		for rest := b; ; {
			i := bytes.Index(rest, []byte("<!"))
			if i < 0 {
				break
			}
			rest = rest[i+2:]
			if !bytes.HasPrefix(rest, []byte("--")) && !bytes.HasPrefix(rest, []byte("[CDATA[")) {
				return nil, rejectf(ReasonMalformed, "DTD or markup declaration (<!%s) is not allowed", truncate(string(rest), 12))
			}
		}
	}
	if err := checkLimits(b); err != nil {
		return nil, err
	}
	b = normalizeAttrWhitespace(b)
	doc := etree.NewDocument()
	doc.ReadSettings = etree.ReadSettings{
		CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
			if !strings.EqualFold(charset, "utf-8") {
				return nil, fmt.Errorf("encoding %q is not supported (UTF-8 only)", charset)
			}
			return input, nil
		},
		PreserveDuplicateAttrs: true,
		MaxDepth:               maxParseDepth,
	}
	if err := doc.ReadFromBytes(b); err != nil {
		return nil, rejectf(ReasonMalformed, "parse: %v", err)
	}
	if doc.Root() == nil {
		return nil, rejectf(ReasonMalformed, "no root element")
	}
	for _, t := range doc.Child {
		switch t := t.(type) {
		case *etree.Directive:
			return nil, rejectf(ReasonMalformed, "DTD or directive is not allowed")
		case *etree.CharData:
			if !t.IsWhitespace() {
				return nil, rejectf(ReasonMalformed, "text outside the root element")
			}
		}
	}
	if err := checkTree(doc.Root(), newScope()); err != nil {
		return nil, err
	}
	return doc, nil
}

// checkLimits reads b with the runtime/xmltext decoder under its default
// limits (see docs/limits.md) before the tree is built: a flood of
// namespace declarations or attributes, deep nesting, a huge name or text is
// refused in time linear in the bytes read so far, with its position.
func checkLimits(b []byte) error {
	d := xmltext.NewDecoder(b, xmltext.Options{File: "document"})
	for {
		_, err := d.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return rejectf(ReasonMalformed, "%v", err)
		}
	}
}

// normalizeAttrWhitespace applies the XML attribute-value normalisation that
// encoding/xml omits: a literal tab, newline, carriage return or CRLF inside
// an attribute value becomes one space (character references such as &#10;
// are kept). Without it our canonical form would differ from every other
// XML stack's on such input.
func normalizeAttrWhitespace(b []byte) []byte {
	if !attrWhitespace(b) {
		return b
	}
	return rewriteAttrWhitespace(b)
}

// rewriteAttrWhitespace does the normalisation (returning b when unchanged).
func rewriteAttrWhitespace(b []byte) []byte {
	var out []byte // nil until a change is needed
	inTag, quote := false, byte(0)
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\t' || c == '\n' || c == '\r' {
				if out == nil {
					out = append(make([]byte, 0, len(b)), b[:i]...)
				}
				if c == '\r' && i+1 < len(b) && b[i+1] == '\n' {
					i++
				}
				out = append(out, ' ')
				continue
			}
		case inTag:
			if c == '"' || c == '\'' {
				quote = c
			} else if c == '>' {
				inTag = false
			}
		case c == '<':
			rest := b[i:]
			var end string
			switch {
			case bytes.HasPrefix(rest, []byte("<!--")):
				end = "-->"
			case bytes.HasPrefix(rest, []byte("<![CDATA[")):
				end = "]]>"
			case bytes.HasPrefix(rest, []byte("<?")):
				end = "?>"
			case bytes.HasPrefix(rest, []byte("<!")):
				end = ">"
			default:
				inTag = true
			}
			if end != "" {
				j := bytes.Index(rest[2:], []byte(end))
				if j < 0 {
					j = len(rest) - 2 - len(end)
				}
				n := 2 + j + len(end)
				if out != nil {
					out = append(out, rest[:n]...)
				}
				i += n - 1
				continue
			}
		}
		if out != nil {
			out = append(out, c)
		}
	}
	if out == nil {
		return b
	}
	return out
}

// attrWhitespace reports whether some attribute value holds a literal tab,
// newline or carriage return (a fast scan that jumps between markup).
func attrWhitespace(b []byte) bool {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return false
		}
		i += j
		rest := b[i:]
		if bytes.HasPrefix(rest, []byte("<!")) || bytes.HasPrefix(rest, []byte("<?")) {
			end := ">"
			switch {
			case bytes.HasPrefix(rest, []byte("<!--")):
				end = "-->"
			case bytes.HasPrefix(rest, []byte("<![CDATA[")):
				end = "]]>"
			case rest[1] == '?':
				end = "?>"
			}
			k := bytes.Index(rest[2:], []byte(end))
			if k < 0 {
				return false
			}
			i += 2 + k + len(end)
			continue
		}
		k := i + 1
		for k < len(b) && b[k] != '>' {
			if q := b[k]; q == '"' || q == '\'' {
				e := bytes.IndexByte(b[k+1:], q)
				if e < 0 { // unterminated (the parser rejects it); be exact anyway
					return bytes.ContainsAny(b[k+1:], "\t\n\r")
				}
				if bytes.ContainsAny(b[k+1:k+1+e], "\t\n\r") {
					return true
				}
				k += e + 2
				continue
			}
			k++
		}
		i = k
	}
	return false
}

// checkTree refuses directives, duplicate attributes and undeclared prefixes.
func checkTree(el *etree.Element, scope *scope) error {
	m := scope.mark()
	defer scope.popTo(m)
	scope.pushDecls(el)
	if el.Space != "" && el.Space != "xml" {
		if uri, ok := scope.lookup(el.Space); !ok || uri == "" {
			return rejectf(ReasonMalformed, "element <%s>: undeclared namespace prefix %q", el.FullTag(), el.Space)
		}
	}
	if el.Space == "xmlns" {
		return rejectf(ReasonMalformed, "element <%s>: reserved prefix", el.FullTag())
	}
	seen := make(map[string]bool, len(el.Attr))
	for _, a := range el.Attr {
		key := a.Space + ":" + a.Key
		if a.Space == "" {
			key = a.Key
		} else if a.Space != "xmlns" && a.Space != "xml" {
			uri, ok := scope.lookup(a.Space)
			if !ok || uri == "" {
				return rejectf(ReasonMalformed, "attribute %s:%s on <%s>: undeclared namespace prefix", a.Space, a.Key, el.FullTag())
			}
			key = "{" + uri + "}" + a.Key
		}
		if seen[key] {
			return rejectf(ReasonMalformed, "element <%s>: duplicate attribute %s", el.FullTag(), key)
		}
		seen[key] = true
	}
	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.Element:
			if err := checkTree(t, scope); err != nil {
				return err
			}
		case *etree.Directive:
			return rejectf(ReasonMalformed, "directive inside <%s>", el.FullTag())
		}
	}
	return nil
}

// NamespaceOf returns the namespace URI of el's name, resolved through its
// ancestors ("" when unqualified and no default namespace is in scope).
func NamespaceOf(el *etree.Element) string {
	return resolvePrefix(el, el.Space)
}

func resolvePrefix(el *etree.Element, prefix string) string {
	if prefix == "xml" {
		return NamespaceXML
	}
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			if prefix == "" && a.Space == "" && a.Key == "xmlns" {
				return a.Value
			}
			if prefix != "" && a.Space == "xmlns" && a.Key == prefix {
				return a.Value
			}
		}
	}
	return ""
}

// Is reports whether el is the element {ns}local.
func Is(el *etree.Element, ns, local string) bool {
	return el != nil && el.Tag == local && NamespaceOf(el) == ns
}

// Serialize writes el as the bytes to send: the same escaping as c14n for
// text and attribute values, so a parser reading the bytes back sees exactly
// the tree that was signed (no attribute-value normalisation surprises).
func Serialize(el *etree.Element) []byte {
	var buf bytes.Buffer
	buf.Grow(4096)
	el.WriteTo(&buf, &etree.WriteSettings{CanonicalText: true, CanonicalAttrVal: true})
	return buf.Bytes()
}
