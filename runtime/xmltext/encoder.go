package xmltext

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// Encoder writes XML. See the package documentation for its namespace rules.
// Methods do not return errors: the first error is kept and reported by Err
// and Flush, and later calls do nothing.
type Encoder struct {
	w       io.Writer
	buf     []byte
	err     error
	prefer  map[string]string // namespace -> preferred prefix
	gen     map[string]string // namespace -> generated prefix
	ngen    int
	sc      nsScope // bindings in scope, innermost last
	stack   []eframe
	open    bool // the start tag of the top element is buffered
	attrs   []pattr
	attrSet map[Name]struct{}   // attrs' names once there are many
	used    []string            // prefixes the open start tag relies on (names, attributes, QName values)
	usedSet map[string]struct{} // used, once it is long
	roots   int
}

type eframe struct {
	prefix     string // prefix written ("" = none)
	name       Name
	nsMark     int  // sc.decls[nsMark:] are declared on this element
	noDefault  bool // an unprefixed QName value relies on no default namespace
	unprefixed bool // the element name is written without prefix
}

type pattr struct {
	name   Name
	prefix string
	value  string
}

const flushSize = 32 << 10

// NewEncoder returns an encoder writing to w (nil: keep the output in memory, see Bytes).
func NewEncoder(w io.Writer) *Encoder {
	return &Encoder{w: w, prefer: map[string]string{}, gen: map[string]string{}}
}

// PreferPrefix asks for prefix to be used for namespace uri when a binding
// is needed and prefix is free. Invalid or reserved prefixes are ignored.
func (e *Encoder) PreferPrefix(uri, prefix string) {
	if uri == "" || !IsNCName(prefix) || prefix == "xml" || prefix == "xmlns" {
		return
	}
	e.prefer[uri] = prefix
}

// Bytes returns the output of an encoder created with a nil writer.
func (e *Encoder) Bytes() []byte { return e.buf }

// Err returns the first error encountered.
func (e *Encoder) Err() error { return e.err }

// Flush writes the buffered output (except a start tag still open) and
// returns the first error encountered, or the writer's error.
func (e *Encoder) Flush() error {
	if e.err != nil {
		return e.err
	}
	return e.write()
}

func (e *Encoder) write() error {
	if len(e.buf) == 0 || e.w == nil {
		return nil
	}
	_, err := e.w.Write(e.buf)
	e.buf = e.buf[:0]
	if err != nil {
		e.err = fmt.Errorf("xmltext: write: %w", err)
	}
	return e.err
}

func (e *Encoder) fail(format string, args ...any) {
	if e.err == nil {
		e.err = fmt.Errorf("xmltext: "+format, args...)
	}
}

// Depth returns the number of open elements.
func (e *Encoder) Depth() int { return len(e.stack) }

// lookup returns the namespace bound to prefix ("" = no default namespace).
func (e *Encoder) lookup(prefix string) (string, bool) { return e.sc.lookup(prefix) }

// inScopePrefix returns the non-empty prefix of the innermost binding of uri
// that is not shadowed.
func (e *Encoder) inScopePrefix(uri string) (string, bool) {
	if uri == XMLNamespace {
		return "xml", true
	}
	return e.sc.livePrefix(uri)
}

// prefixFor returns the prefix to write a name in namespace uri with,
// declaring one on the open start tag when none is in scope.
func (e *Encoder) prefixFor(uri, what string) string {
	if p, ok := e.inScopePrefix(uri); ok {
		e.use(p)
		return p
	}
	if !e.open {
		e.fail("%s: namespace %q is not in scope and no start tag is open to declare it", what, uri)
		return ""
	}
	p := ""
	if c, ok := e.prefer[uri]; ok && e.free(c) {
		p = c
	} else if c, ok := e.gen[uri]; ok && e.free(c) {
		p = c
	} else {
		for {
			e.ngen++
			c := "ns" + strconv.Itoa(e.ngen)
			if e.free(c) {
				p = c
				break
			}
		}
		e.gen[uri] = p
	}
	e.sc.push(NSDecl{Prefix: p, URI: uri})
	e.use(p)
	return p
}

// free reports whether prefix is bound nowhere in scope.
func (e *Encoder) free(prefix string) bool {
	_, bound := e.lookup(prefix)
	return !bound
}

func (e *Encoder) use(prefix string) {
	if !e.open || e.uses(prefix) {
		return
	}
	e.used = append(e.used, prefix)
	if e.usedSet != nil {
		e.usedSet[prefix] = struct{}{}
	}
}

// smallSet is the size up to which the per-tag sets are scanned linearly.
const smallSet = 16

// uses reports whether the open start tag relies on prefix.
func (e *Encoder) uses(prefix string) bool {
	if len(e.used) <= smallSet {
		for _, p := range e.used {
			e.sc.work++
			if p == prefix {
				return true
			}
		}
		return false
	}
	if e.usedSet == nil {
		e.usedSet = make(map[string]struct{}, 2*len(e.used))
		for _, p := range e.used {
			e.usedSet[p] = struct{}{}
		}
		e.sc.work += int64(len(e.used))
	}
	e.sc.work++
	_, ok := e.usedSet[prefix]
	return ok
}

// hasAttr reports whether the open start tag already has attribute n.
func (e *Encoder) hasAttr(n Name) bool {
	if len(e.attrs) <= smallSet {
		for _, a := range e.attrs {
			e.sc.work++
			if a.name == n {
				return true
			}
		}
		return false
	}
	if e.attrSet == nil {
		e.attrSet = make(map[Name]struct{}, 2*len(e.attrs))
		for _, a := range e.attrs {
			e.attrSet[a.name] = struct{}{}
		}
		e.sc.work += int64(len(e.attrs))
	}
	e.sc.work++
	_, ok := e.attrSet[n]
	return ok
}

// Start opens an element. Attributes and declarations may follow until the
// first content or End.
func (e *Encoder) Start(name Name) {
	if e.err != nil {
		return
	}
	if !IsNCName(name.Local) {
		e.fail("Start: invalid element name %q", name.Local)
		return
	}
	if name.Space == XMLNSNamespace {
		e.fail("Start: element %s is in the reserved xmlns namespace", name)
		return
	}
	e.closeStart()
	e.stack = append(e.stack, eframe{name: name, nsMark: len(e.sc.decls)})
	e.open = true
	e.resetTag()
	f := &e.stack[len(e.stack)-1]
	if name.Space == "" {
		e.needNoDefault()
		f.unprefixed = true
		return
	}
	f.prefix = e.prefixFor(name.Space, "Start")
}

// needNoDefault makes sure no default namespace applies to the open start
// tag, declaring xmlns="" when one is in scope.
func (e *Encoder) needNoDefault() {
	f := &e.stack[len(e.stack)-1]
	f.noDefault = true
	if uri, _ := e.lookup(""); uri == "" {
		return
	}
	if e.sc.declaredSince("", f.nsMark) {
		e.fail("element %s: an unqualified name cannot be written where the element declares a default namespace", f.name)
		return
	}
	e.sc.push(NSDecl{})
}

// Attr adds an attribute to the open start tag.
func (e *Encoder) Attr(name Name, value string) {
	if e.err != nil {
		return
	}
	if !e.open {
		e.fail("Attr %s: no start tag is open", name)
		return
	}
	if !IsNCName(name.Local) {
		e.fail("Attr: invalid attribute name %q", name.Local)
		return
	}
	if name.Space == XMLNSNamespace || name.Space == "" && name.Local == "xmlns" {
		e.fail("Attr %s: use DeclareNS for namespace declarations", name)
		return
	}
	if e.hasAttr(name) {
		e.fail("Attr: duplicate attribute %s on %s", name, e.stack[len(e.stack)-1].name)
		return
	}
	if e.check(value); e.err != nil {
		return
	}
	p := ""
	if name.Space != "" {
		p = e.prefixFor(name.Space, "Attr")
	}
	e.attrs = append(e.attrs, pattr{name: name, prefix: p, value: value})
	if e.attrSet != nil {
		e.attrSet[name] = struct{}{}
	}
}

// DeclareNS declares prefix (or the default namespace when prefix is "") on
// the open start tag.
func (e *Encoder) DeclareNS(prefix, uri string) {
	if e.err != nil {
		return
	}
	if !e.open {
		e.fail("DeclareNS %s=%q: no start tag is open", prefix, uri)
		return
	}
	if err := checkDecl(prefix, uri); err != nil {
		e.fail("DeclareNS: %v", err)
		return
	}
	if prefix == "xml" {
		return
	}
	f := &e.stack[len(e.stack)-1]
	if i := e.sc.index(prefix); i >= int32(f.nsMark) {
		if b := e.sc.decls[i]; b.URI != uri {
			e.fail("DeclareNS: prefix %q is already declared as %q on %s", prefix, b.URI, f.name)
		}
		return
	}
	if cur, _ := e.lookup(prefix); cur != uri {
		if prefix == "" && (f.unprefixed || f.noDefault) && uri != "" {
			e.fail("DeclareNS: default namespace %q would capture the unqualified names of %s", uri, f.name)
			return
		}
		if e.uses(prefix) {
			e.fail("DeclareNS: prefix %q is already used on %s for %q", prefix, f.name, cur)
			return
		}
	}
	e.sc.push(NSDecl{Prefix: prefix, URI: uri})
}

func checkDecl(prefix, uri string) error {
	switch {
	case prefix != "" && !IsNCName(prefix):
		return fmt.Errorf("invalid prefix %q", prefix)
	case prefix == "xmlns":
		return errors.New("the prefix xmlns cannot be declared")
	case prefix == "xml" && uri != XMLNamespace:
		return fmt.Errorf("the prefix xml cannot be bound to %q", uri)
	case prefix != "xml" && uri == XMLNamespace:
		return errors.New("the XML namespace can only be bound to the prefix xml")
	case uri == XMLNSNamespace:
		return errors.New("the xmlns namespace cannot be declared")
	case prefix != "" && uri == "":
		return fmt.Errorf("prefix %q cannot be undeclared in XML 1.0", prefix)
	}
	return nil
}

// QName returns the text of a QName value for n, declaring a binding on the
// open start tag when none is in scope. Call it before the element's content.
func (e *Encoder) QName(n Name) string {
	if e.err != nil {
		return ""
	}
	if !IsNCName(n.Local) {
		e.fail("QName: invalid local name %q", n.Local)
		return ""
	}
	if n.Space == "" {
		if uri, _ := e.lookup(""); uri != "" {
			if !e.open {
				e.fail("QName %s: a default namespace is in scope and no start tag is open to undeclare it", n)
				return ""
			}
			e.needNoDefault()
		} else if e.open {
			e.stack[len(e.stack)-1].noDefault = true
		}
		return n.Local
	}
	p := e.prefixFor(n.Space, "QName")
	if p == "" {
		return ""
	}
	return p + ":" + n.Local
}

// Text writes escaped character data.
func (e *Encoder) Text(s string) {
	if e.err != nil {
		return
	}
	if len(e.stack) == 0 {
		e.fail("Text: character data outside an element")
		return
	}
	e.closeStart()
	e.buf = e.escape(e.buf, s, false)
}

// Comment writes a comment.
func (e *Encoder) Comment(s string) {
	if e.err != nil {
		return
	}
	if !utf8.ValidString(s) || !validChars(s) || containsDashDash(s) || len(s) > 0 && s[len(s)-1] == '-' {
		e.fail("Comment: %q cannot be written as an XML comment", s)
		return
	}
	e.closeStart()
	e.buf = append(e.buf, "<!--"...)
	e.buf = append(e.buf, s...)
	e.buf = append(e.buf, "-->"...)
}

// ProcInst writes a processing instruction.
func (e *Encoder) ProcInst(target, inst string) {
	if e.err != nil {
		return
	}
	if !IsNCName(target) || len(target) == 3 && (target[0]|0x20) == 'x' && (target[1]|0x20) == 'm' && (target[2]|0x20) == 'l' {
		e.fail("ProcInst: invalid target %q", target)
		return
	}
	if !utf8.ValidString(inst) || !validChars(inst) || containsString(inst, "?>") {
		e.fail("ProcInst: %q cannot be written as processing instruction content", inst)
		return
	}
	e.closeStart()
	e.buf = append(e.buf, "<?"...)
	e.buf = append(e.buf, target...)
	if inst != "" {
		e.buf = append(e.buf, ' ')
		e.buf = append(e.buf, inst...)
	}
	e.buf = append(e.buf, "?>"...)
}

// End closes the innermost element, as <x/> when it has no content.
func (e *Encoder) End() {
	if e.err != nil {
		return
	}
	if len(e.stack) == 0 {
		e.fail("End: no element is open")
		return
	}
	f := e.stack[len(e.stack)-1]
	if e.open {
		e.writeStart(true)
	} else {
		e.buf = append(e.buf, "</"...)
		e.buf = appendQName(e.buf, f.prefix, f.name.Local)
		e.buf = append(e.buf, '>')
	}
	e.sc.popTo(f.nsMark)
	e.stack = e.stack[:len(e.stack)-1]
	if len(e.stack) == 0 {
		e.roots++
	}
	if len(e.buf) >= flushSize {
		e.write()
	}
}

// Raw writes pre-serialised, well-formed markup verbatim. The caller
// guarantees that it declares its own namespaces.
func (e *Encoder) Raw(b []byte) {
	if e.err != nil {
		return
	}
	e.closeStart()
	e.buf = append(e.buf, b...)
}

func appendQName(b []byte, prefix, local string) []byte {
	if prefix != "" {
		b = append(b, prefix...)
		b = append(b, ':')
	}
	return append(b, local...)
}

func (e *Encoder) closeStart() {
	if e.open {
		e.writeStart(false)
	}
}

func (e *Encoder) writeStart(empty bool) {
	f := &e.stack[len(e.stack)-1]
	e.buf = append(e.buf, '<')
	e.buf = appendQName(e.buf, f.prefix, f.name.Local)
	for _, b := range e.sc.decls[f.nsMark:] {
		e.buf = append(e.buf, " xmlns"...)
		if b.Prefix != "" {
			e.buf = append(e.buf, ':')
			e.buf = append(e.buf, b.Prefix...)
		}
		e.buf = append(e.buf, '=', '"')
		e.buf = e.escape(e.buf, b.URI, true)
		e.buf = append(e.buf, '"')
	}
	for _, a := range e.attrs {
		e.buf = append(e.buf, ' ')
		e.buf = appendQName(e.buf, a.prefix, a.name.Local)
		e.buf = append(e.buf, '=', '"')
		e.buf = e.escape(e.buf, a.value, true)
		e.buf = append(e.buf, '"')
	}
	if empty {
		e.buf = append(e.buf, '/', '>')
	} else {
		e.buf = append(e.buf, '>')
	}
	e.open = false
	e.resetTag()
}

// resetTag forgets the attributes and prefixes of the previous start tag.
func (e *Encoder) resetTag() {
	e.used = e.used[:0]
	e.attrs = e.attrs[:0]
	e.usedSet, e.attrSet = nil, nil
}

// check records an error if s cannot be written as XML character data.
func (e *Encoder) check(s string) { e.escapeTo(nil, s, true, false) }

// escape appends s escaped for text (attr=false: & < > CR) or for a
// double-quoted attribute value (attr=true: & < " TAB LF CR).
func (e *Encoder) escape(buf []byte, s string, attr bool) []byte {
	return e.escapeTo(buf, s, attr, true)
}

func (e *Encoder) escapeTo(buf []byte, s string, attr, write bool) []byte {
	if !utf8.ValidString(s) {
		e.fail("invalid UTF-8 in %q", s)
		return buf
	}
	mask := uint8(escText)
	if attr {
		mask = escAttr
	}
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if escClass[c]&mask == 0 {
			continue
		}
		var esc string
		switch c {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		case '\r':
			esc = "&#xD;"
		case '\n':
			esc = "&#xA;"
		case '\t':
			esc = "&#x9;"
		case 0xEF:
			if i+2 < len(s) && s[i+1] == 0xBF && s[i+2] >= 0xBE {
				e.fail("character U+FFF%c cannot be represented in XML", "EF"[s[i+2]-0xBE])
				return buf
			}
			continue
		default:
			e.fail("character U+%04X cannot be represented in XML 1.0", c)
			return buf
		}
		if write {
			buf = append(buf, s[last:i]...)
			buf = append(buf, esc...)
		}
		last = i + 1
	}
	if !write {
		return buf
	}
	return append(buf, s[last:]...)
}

// Escape classes: which bytes need attention in text and in attribute values.
const (
	escText = 1 << iota
	escAttr
)

var escClass = func() (t [256]uint8) {
	for c := 0; c < 0x20; c++ {
		if c != '\t' && c != '\n' {
			t[c] = escText | escAttr // C0 controls are errors; CR is escaped
		}
	}
	t['\t'] |= escAttr
	t['\n'] |= escAttr
	t['&'] = escText | escAttr
	t['<'] = escText | escAttr
	t['>'] = escText
	t['"'] = escAttr
	t[0xEF] = escText | escAttr // possible U+FFFE/U+FFFF
	return t
}()

func validChars(s string) bool {
	for _, r := range s {
		if !isXMLChar(r) {
			return false
		}
	}
	return true
}

func containsDashDash(s string) bool { return containsString(s, "--") }

func containsString(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// WriteElement writes a DOM subtree, reusing its prefixes and declarations
// when they do not conflict with the bindings in scope.
func (e *Encoder) WriteElement(el *Element) {
	if e.err != nil {
		return
	}
	if el == nil {
		e.fail("WriteElement: nil element")
		return
	}
	e.writeElement(el, true)
}

func (e *Encoder) writeElement(el *Element, root bool) {
	n := el.Name
	if !IsNCName(n.Local) || n.Space == XMLNSNamespace {
		e.fail("WriteElement: invalid element name %s", n)
		return
	}
	e.closeStart()
	e.stack = append(e.stack, eframe{name: n, nsMark: len(e.sc.decls)})
	e.open = true
	e.resetTag()
	declaresDefault := false
	for _, b := range el.NS {
		if err := checkDecl(b.Prefix, b.URI); err != nil {
			e.fail("WriteElement %s: %v", n, err)
			return
		}
		if b.Prefix == "xml" {
			continue
		}
		if b.Prefix == "" {
			declaresDefault = true
		}
		if cur, ok := e.lookup(b.Prefix); ok && cur == b.URI {
			continue // already in scope
		}
		e.DeclareNS(b.Prefix, b.URI)
	}
	f := &e.stack[len(e.stack)-1]
	switch {
	case n.Space == "":
		e.needNoDefault()
		f.unprefixed = true
	case el.Prefix == "":
		if cur, _ := e.lookup(""); cur == n.Space {
			f.unprefixed = true
			break
		}
		if !declaresDefault {
			e.DeclareNS("", n.Space)
			f.unprefixed = true
			break
		}
		f.prefix = e.prefixFor(n.Space, "WriteElement")
	default:
		if cur, ok := e.lookup(el.Prefix); ok && cur == n.Space {
			e.use(el.Prefix)
			f.prefix = el.Prefix
			break
		}
		if !e.sc.declaredSince(el.Prefix, f.nsMark) && checkDecl(el.Prefix, n.Space) == nil {
			e.DeclareNS(el.Prefix, n.Space)
			e.use(el.Prefix)
			f.prefix = el.Prefix
			break
		}
		f.prefix = e.prefixFor(n.Space, "WriteElement")
	}
	if root && !declaresDefault && !f.unprefixed {
		// QName values in the subtree were resolved without a default namespace.
		if cur, _ := e.lookup(""); cur != "" {
			e.sc.push(NSDecl{})
		}
	}
	for _, a := range el.Attrs {
		e.Attr(a.Name, a.Value)
	}
	for _, c := range el.Children {
		if e.err != nil {
			return
		}
		switch c := c.(type) {
		case *Element:
			e.writeElement(c, false)
		case Text:
			e.Text(string(c))
		case CommentNode:
			e.Comment(string(c))
		case ProcInstNode:
			e.ProcInst(c.Target, c.Inst)
		default:
			e.fail("WriteElement: unknown node type %T", c)
		}
	}
	e.End()
}
