package xmltext

import (
	"strconv"
)

// Well-known namespace names.
const (
	XMLNamespace   = "http://www.w3.org/XML/1998/namespace" // bound to the prefix "xml"
	XMLNSNamespace = "http://www.w3.org/2000/xmlns/"        // namespace of xmlns attributes; never bindable
	XSINamespace   = "http://www.w3.org/2001/XMLSchema-instance"
)

// Name is an expanded name. Space "" means no namespace.
type Name struct{ Space, Local string }

// String returns "{space}local", or "local" when Space is empty.
func (n Name) String() string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// Attr is an attribute. Value is unescaped and normalised as a CDATA
// attribute (XML 1.0 §3.3.3).
type Attr struct {
	Name  Name
	Value string
}

// NSDecl is a namespace declaration. Prefix "" is the default namespace; URI
// "" (only with Prefix "") undeclares it.
type NSDecl struct{ Prefix, URI string }

// Kind is the kind of a Token.
type Kind uint8

// Token kinds.
const (
	StartElement Kind = iota + 1
	EndElement
	CharData
	Comment
	ProcInst
)

var kindNames = [...]string{"", "StartElement", "EndElement", "CharData", "Comment", "ProcInst"}

// String returns the kind's Go name.
func (k Kind) String() string {
	if int(k) < len(kindNames) && k > 0 {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Token is one unit of the document. It is valid until the next call to a
// Decoder method that reads (Attrs, NS and Text are reused); the strings it
// holds stay valid forever.
type Token struct {
	Kind   Kind
	Name   Name     // StartElement/EndElement; for ProcInst, Local is the target
	Prefix string   // prefix as written (StartElement/EndElement), informative only
	Attrs  []Attr   // StartElement: attributes, namespace declarations excluded
	NS     []NSDecl // StartElement: namespace declarations on this element
	Text   []byte   // CharData (decoded, never empty; CDATA sections merged in), Comment, ProcInst (after the target); do not modify
	Offset int64    // byte offset of the token's first byte in the input
}

// Attr returns the value of the attribute named n and whether it is present.
func (t *Token) Attr(n Name) (string, bool) {
	for i := range t.Attrs {
		if t.Attrs[i].Name == n {
			return t.Attrs[i].Value, true
		}
	}
	return "", false
}

// Options configure a Decoder.
//
// The Max fields are hard limits (see "Limits" in the package
// documentation): exceeding one is a positioned error naming the field to
// raise. Zero or a negative value selects the default.
type Options struct {
	File     string // name used in error positions ("" = "<input>")
	Lenient  bool   // tolerate known quirks (UnknownAttr, UnknownElement, Latin-1 bytes): record a Warning instead of failing
	MaxDepth int    // maximum element nesting; 0 = 256

	MaxAttrs      int // attributes on one element, namespace declarations excluded; 0 = DefaultMaxAttrs
	MaxNSDecls    int // namespace declarations on one element; 0 = DefaultMaxNSDecls
	MaxDocNSDecls int // namespace declarations in the whole document; 0 = DefaultMaxDocNSDecls
	MaxNameLen    int // bytes in an element, attribute or PI target name (prefix included); 0 = DefaultMaxNameLen
	MaxTextLen    int // bytes of markup in one text run (CDATA sections included), attribute value, comment or PI; 0 = DefaultMaxTextLen

	// Types returns a new value of the schema type name, or nil: generated
	// code asks it for an xsi:type derived in another package than the
	// declared type (runtime/xmlbind.Types builds one). nil knows no type.
	Types func(name Name) Unmarshaler
}

// Default limits of a Decoder (see Options).
const (
	DefaultMaxDepth      = 256
	DefaultMaxAttrs      = 512
	DefaultMaxNSDecls    = 128
	DefaultMaxDocNSDecls = 1024
	DefaultMaxNameLen    = 1024
	DefaultMaxTextLen    = 64 << 20
)

// limits are the effective Options limits.
type limits struct {
	depth, attrs, nsDecls, docNSDecls, name, text int
}

func (o Options) limits() limits {
	def := func(v, d int) int {
		if v <= 0 {
			return d
		}
		return v
	}
	return limits{
		depth:      def(o.MaxDepth, DefaultMaxDepth),
		attrs:      def(o.MaxAttrs, DefaultMaxAttrs),
		nsDecls:    def(o.MaxNSDecls, DefaultMaxNSDecls),
		docNSDecls: def(o.MaxDocNSDecls, DefaultMaxDocNSDecls),
		name:       def(o.MaxNameLen, DefaultMaxNameLen),
		text:       def(o.MaxTextLen, DefaultMaxTextLen),
	}
}

// Warning is a tolerated problem recorded in Lenient mode, positioned as an
// Error is.
type Warning struct {
	File      string // Options.File ("<input>" when empty)
	Line, Col int
	Msg       string
}

// String formats w as "file:line:col: msg", as Error does.
func (w Warning) String() string {
	return w.File + ":" + strconv.Itoa(w.Line) + ":" + strconv.Itoa(w.Col) + ": " + w.Msg
}

// Error is a positioned decoding error.
type Error struct {
	File      string
	Line, Col int
	Offset    int64
	Msg       string
}

// Error returns "file:line:col: msg".
func (e *Error) Error() string {
	return e.File + ":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col) + ": " + e.Msg
}
