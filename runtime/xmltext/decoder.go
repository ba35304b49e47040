package xmltext

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/dmpgen/dmpgen/runtime/internal/swar"
)

// Decoder states.
const (
	sProlog  = iota // before the root element
	sContent        // inside the root element
	sEpilog         // after the root element
)

const maxEncodingWarnings = 20

// Decoder reads tokens from an in-memory document. See the package
// documentation for what it checks.
type Decoder struct {
	data    []byte
	inPlace bool // data is the caller's: strings handed out are copied (keep)
	pos     int
	file    string
	lenient bool
	types   func(Name) Unmarshaler
	lim     limits

	state      uint8
	pendingEnd bool // an empty-element tag's EndElement is due
	popDue     bool // the top frame is popped at the next read
	lastKind   Kind
	tokOff     int // offset of the last token
	err        error

	stack     []frame
	sc        nsScope // in-scope bindings, innermost last
	elemNS    nsMemo  // the last element prefix resolved
	nsTotal   int     // namespace declarations read so far
	prefixes  revTrie // every prefix declared so far, for ReadElement
	attrs     []Attr
	attrRaw   []rawAttr
	text      []byte // scratch for decoded text
	textOwned bool   // the last token's Text is in the scratch buffer, not in data
	arena     []byte // append-only storage for decoded strings
	names     map[string]nameEntry
	nameCache [128]nameEntry // direct-mapped cache in front of names
	lastElem  uint8          // nameCache slot of the last start tag's name

	warnings    []Warning
	dropped     int // warnings beyond MaxWarnings
	attrHint    int // AttrOffset's last index, for callers going through the attributes in order
	pc          posCache
	checkpoints []posCache // every posStride bytes, in order, as far as Position went
	posWork     int64      // bytes scanned by Position (resource-bound tests)
	slots       []*slot    // Slot's and Aux's storage, one per depth
	strs        []string   // StringPtr's current block
}

// posStride is the distance between Position checkpoints (a power of 2).
const posStride = 1024

type frame struct {
	rawLen int // length of the qualified name as written, at off+1
	name   Name
	prefix string
	nsMark int
	off    int
}

// rawAttr locates an attribute's qualified name in the input: no pointers,
// so that recording it costs no GC write barrier.
type rawAttr struct {
	off    int // offset of the name
	n      int // length of the name
	prefix int // length of the prefix, 0 if none
}

// rawName returns the attribute's qualified name as written.
func (d *Decoder) rawName(a rawAttr) []byte { return d.data[a.off : a.off+a.n] }

type qname struct{ prefix, local string }

// nsMemo is a resolved prefix, valid while the scope's generation is gen.
type nsMemo struct {
	prefix, uri string
	gen         uint64
}

type posCache struct{ off, line, col int }

// NewDecoder returns a decoder for data. Data must not be modified while the
// decoder is in use (see the package documentation); the strings the decoder
// returns are copies and stay valid when data is reused afterwards.
func NewDecoder(data []byte, opts Options) *Decoder {
	d := &Decoder{
		file:    opts.File,
		lenient: opts.Lenient,
		types:   opts.Types,
		lim:     opts.limits(),
		names:   make(map[string]nameEntry, 64),
		pc:      posCache{0, 1, 1},
	}
	if d.file == "" {
		d.file = "<input>"
	}
	d.sc.init()
	p := prepare(data, opts.Lenient)
	d.data, d.pos, d.inPlace = p.data, p.start, p.inPlace
	for i, w := range p.warn {
		if i == maxEncodingWarnings {
			line, col := d.Position(int64(w.off))
			d.warnings = append(d.warnings, Warning{d.file, line, col, fmt.Sprintf("%d more bytes read as Latin-1", len(p.warn)-i)})
			break
		}
		line, col := d.Position(int64(w.off))
		d.warnings = append(d.warnings, Warning{d.file, line, col, w.msg})
	}
	if p.errAt >= 0 {
		d.fail(p.errAt, "%s", p.err)
	}
	if d.err == nil && d.pos < len(d.data) && bytes.HasPrefix(d.data[d.pos:], []byte("<?xml")) &&
		len(d.data) > d.pos+5 && class[d.data[d.pos+5]]&cSpace != 0 {
		d.xmlDecl()
	}
	return d
}

// str returns b as a string without copying, for strings that do not outlive
// the call or that keep has made safe.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// keep returns b, a sub-slice of data, as a string that outlives the
// decoder and the caller's input: a copy in the arena when data is the
// caller's, else a view of the decoder's own transcoded copy.
func (d *Decoder) keep(b []byte) string {
	if d.inPlace {
		return d.arenaString(b)
	}
	return str(b)
}

// arenaString copies b into append-only storage and returns it as a string.
func (d *Decoder) arenaString(b []byte) string {
	if len(b) == 0 || len(b) > cap(d.arena)-len(d.arena) {
		return d.newArena(b)
	}
	s := len(d.arena)
	d.arena = append(d.arena, b...)
	return unsafe.String(&d.arena[s], len(b))
}

// newArena is arenaString when b does not fit in the current chunk: a
// new chunk, or a string of its own for b beyond a quarter of a chunk.
func (d *Decoder) newArena(b []byte) string {
	const chunk = 8192
	if len(b) == 0 {
		return ""
	}
	if len(b) > chunk/4 {
		return string(b)
	}
	d.arena = make([]byte, 0, chunk)
	d.arena = append(d.arena, b...)
	return unsafe.String(&d.arena[0], len(b))
}

// Canonical tells the decoder that n, typically a name literal of generated
// code, is the name of the StartElement just read: from then on the decoder
// hands out n's strings for that name (the element's local name as written
// with its prefix, and the namespace bound to its prefix), so that later
// comparisons with n find the same pointers and compare no bytes. The
// strings are equal, so nothing else changes. It does nothing when the last
// token is not a StartElement or n is not its name.
func (d *Decoder) Canonical(n Name) {
	if d.lastKind != StartElement || d.popDue || len(d.stack) == 0 {
		return
	}
	f := &d.stack[len(d.stack)-1]
	if f.name != n {
		return
	}
	d.canonicalLocal(d.frameRaw(f), n.Local)
	if i := d.sc.index(f.prefix); i >= 0 {
		d.sc.decls[i].URI = n.Space
	}
	if d.elemNS.prefix == f.prefix {
		d.elemNS.uri = n.Space
	}
	f.name = n
}

// CanonicalAttr is Canonical for the name of the i-th attribute of the
// StartElement just read: from then on the decoder hands out n's local name
// for that attribute name as written. It does nothing when the last token
// is not a StartElement or n is not the name of its i-th attribute.
func (d *Decoder) CanonicalAttr(i int, n Name) {
	if d.lastKind != StartElement || d.popDue || i < 0 || i >= len(d.attrs) || d.attrs[i].Name != n {
		return
	}
	d.canonicalLocal(d.rawName(d.attrRaw[i]), n.Local)
	d.attrs[i].Name.Local = n.Local
}

// canonicalLocal makes local, a string equal to the local part of the
// qualified name raw, the one the decoder hands out for raw.
func (d *Decoder) canonicalLocal(raw []byte, local string) {
	if e := &d.nameCache[cacheIndex(raw)]; e.raw == string(raw) {
		e.q.local = local
	}
	if e, ok := d.names[string(raw)]; ok {
		e.q.local = local
		d.names[e.raw] = e
	}
}

// cacheIndex is the slot of nameCache for the qualified name raw.
func cacheIndex(raw []byte) uint8 {
	n := len(raw)
	return uint8((uint(n)*131 + uint(raw[0])*31 + uint(raw[n/2])*7 + uint(raw[n-1])) % 128)
}

// StringPtr returns a pointer to a new string variable holding s, for
// optional fields of decoded values: the variables are allocated 32 at a
// time, one allocation where new(string) would make 32.
func (d *Decoder) StringPtr(s string) *string {
	if len(d.strs) == cap(d.strs) {
		d.strs = make([]string, 0, 32)
	}
	d.strs = append(d.strs, s)
	return &d.strs[len(d.strs)-1]
}

// Position returns the 1-based line and column of a byte offset. Columns count
// characters. It scans at most 1 KiB from a checkpoint, plus the bytes no
// earlier call scanned, so positions asked in any order cost linear time.
func (d *Decoder) Position(offset int64) (line, col int) {
	off := int(offset)
	if off < 0 {
		off = 0
	}
	if off > len(d.data) {
		off = len(d.data)
	}
	c := d.pc
	// Start from the last checkpoint at or before off when the cache is
	// after off or before that checkpoint, so that a position costs at most
	// posStride bytes of scanning plus the bytes never scanned before.
	k, found := slices.BinarySearchFunc(d.checkpoints, off, func(p posCache, off int) int { return cmp.Compare(p.off, off) })
	if found {
		k++
	}
	switch {
	case k > 0 && (off < c.off || d.checkpoints[k-1].off > c.off):
		c = d.checkpoints[k-1]
	case off < c.off:
		c = posCache{0, 1, 1}
	}
	data := d.data
	for i := c.off; i < off; i++ {
		if i&(posStride-1) == 0 && i > 0 {
			if n := len(d.checkpoints); n == 0 || d.checkpoints[n-1].off < i {
				d.checkpoints = append(d.checkpoints, posCache{i, c.line, c.col})
			}
		}
		d.posWork++
		switch b := data[i]; {
		case b == '\n':
			if i == 0 || data[i-1] != '\r' {
				c.line++
			}
			c.col = 1
		case b == '\r':
			c.line++
			c.col = 1
		case b&0xC0 != 0x80:
			c.col++
		}
	}
	c.off = off
	d.pc = c
	return c.line, c.col
}

// Errorf returns an *Error positioned at offset.
func (d *Decoder) Errorf(offset int64, format string, args ...any) error {
	line, col := d.Position(offset)
	return &Error{File: d.file, Line: line, Col: col, Offset: offset, Msg: fmt.Sprintf(format, args...)}
}

// fail records a sticky positioned error and returns it.
func (d *Decoder) fail(off int, format string, args ...any) error {
	if d.err == nil {
		d.err = d.Errorf(int64(off), format, args...)
	}
	return d.err
}

// MaxWarnings is the number of warnings a Decoder records; after it, one
// last warning counts the others.
const MaxWarnings = 1000

// Warn records a Warning at offset.
func (d *Decoder) Warn(offset int64, format string, args ...any) {
	if len(d.warnings) >= MaxWarnings {
		d.dropped++
		last := &d.warnings[len(d.warnings)-1]
		if d.dropped == 1 {
			d.warnings = append(d.warnings, Warning{File: d.file, Line: last.Line, Col: last.Col})
			last = &d.warnings[len(d.warnings)-1]
		}
		last.Msg = fmt.Sprintf("%d more warnings not recorded (limit MaxWarnings)", d.dropped)
		return
	}
	line, col := d.Position(offset)
	d.warnings = append(d.warnings, Warning{File: d.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// Warnings returns the warnings recorded so far (Lenient mode).
func (d *Decoder) Warnings() []Warning { return d.warnings }

// Lenient reports whether the decoder was created with Options.Lenient.
func (d *Decoder) Lenient() bool { return d.lenient }

// NewType returns a new value of the schema type name from Options.Types,
// or nil when it knows none.
func (d *Decoder) NewType(name Name) Unmarshaler {
	if d.types == nil {
		return nil
	}
	return d.types(name)
}

// File returns the file name used in error positions.
func (d *Decoder) File() string { return d.file }

// Depth returns the number of open elements: 1 after the root's StartElement,
// 0 after its EndElement.
func (d *Decoder) Depth() int {
	if d.popDue {
		return len(d.stack) - 1
	}
	return len(d.stack)
}

// Slot returns a token for the caller to read the children of the element
// it has just opened into, the same for every element at this depth (one
// allocation per depth for the decoder's life). A decoder that hands each
// child's start to the child's UnmarshalXMLText through an interface would
// otherwise move a local token to the heap for every element it decodes.
// The token is the caller's until it returns from decoding the element.
func (d *Decoder) Slot() *Token { return &d.slot().tok }

// Aux returns a value the caller may keep for the elements at this depth,
// as Slot a token (nil until the caller sets it): the binding layer keeps
// its scratch buffers there.
func (d *Decoder) Aux() *any { return &d.slot().aux }

type slot struct {
	tok Token
	aux any
}

func (d *Decoder) slot() *slot {
	k := d.Depth()
	for len(d.slots) <= k {
		d.slots = append(d.slots, new(slot))
	}
	return d.slots[k]
}

// InputOffset returns the offset just after the last token read. After
// Skip, Bytes(start.Offset, InputOffset()) is the element's markup.
func (d *Decoder) InputOffset() int64 { return int64(d.pos) }

// Bytes returns the UTF-8 text the decoder works on between two offsets
// (the input itself unless it was transcoded). Do not modify it.
func (d *Decoder) Bytes(from, to int64) []byte {
	from, to = max(from, 0), min(to, int64(len(d.data)))
	if from > to {
		return nil
	}
	return d.data[from:to:to]
}

// TokenOffset returns the offset of the last token returned.
func (d *Decoder) TokenOffset() int64 { return int64(d.tokOff) }

// LookupNS returns the namespace bound to prefix at the current token; the
// prefix "xml" is always bound and "" is bound to "" when no default
// namespace is declared.
func (d *Decoder) LookupNS(prefix string) (uri string, ok bool) { return d.sc.lookup(prefix) }

// InScope returns the namespace bindings in scope at the current token,
// innermost last, each prefix once (the innermost binding), "xml" excluded.
// It costs the number of declarations in scope: call it once, not per token.
func (d *Decoder) InScope() []NSDecl { return d.sc.inScope(len(d.sc.decls)) }

// ResolveQName resolves a QName value ("p:local" or "local", surrounding XML
// white space ignored) with the bindings in scope at the current token. An
// unprefixed name takes the default namespace, as xs:QName does.
func (d *Decoder) ResolveQName(s string) (Name, error) {
	s = trimSpace(s)
	prefix, local := "", s
	if i := indexByte(s, ':'); i >= 0 {
		prefix, local = s[:i], s[i+1:]
		if !IsNCName(prefix) {
			return Name{}, d.Errorf(int64(d.tokOff), "invalid QName %q", s)
		}
	}
	if !IsNCName(local) {
		return Name{}, d.Errorf(int64(d.tokOff), "invalid QName %q", s)
	}
	uri, ok := d.LookupNS(prefix)
	if !ok {
		return Name{}, d.Errorf(int64(d.tokOff), "QName %q: prefix %q is not bound", s, prefix)
	}
	return Name{Space: uri, Local: local}, nil
}

func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && class[s[i]]&cSpace != 0 {
		i++
	}
	for j > i && class[s[j-1]]&cSpace != 0 {
		j--
	}
	return s[i:j]
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// Next returns the next token: io.EOF after the root element has closed and
// the trailing comments and PIs have been read. White space outside the root
// element is not returned; the XML declaration is checked and not returned.
func (d *Decoder) Next() (Token, error) {
	var t Token
	err := d.NextInto(&t)
	return t, err
}

// NextInto is Next storing the token in *t, which saves a copy of the token
// per call in hot loops.
func (d *Decoder) NextInto(t *Token) error {
	if d.err != nil {
		return d.err
	}
	if d.advance() {
		d.emptyEnd(t)
		return nil
	}
	return d.next(t)
}

// advance pops the frame of the element whose EndElement was the last token
// and reports whether the EndElement of an empty-element tag is due.
func (d *Decoder) advance() bool {
	if d.popDue {
		d.pop()
	}
	return d.pendingEnd
}

// pop pops the top frame and its namespace declarations.
func (d *Decoder) pop() {
	f := &d.stack[len(d.stack)-1]
	d.sc.popTo(f.nsMark)
	d.stack = d.stack[:len(d.stack)-1]
	d.popDue = false
	if len(d.stack) == 0 {
		d.state = sEpilog
	}
}

// emptyEnd stores the EndElement of the empty-element tag just read.
func (d *Decoder) emptyEnd(t *Token) {
	d.pendingEnd = false
	d.popDue = true
	f := &d.stack[len(d.stack)-1]
	d.lastKind = EndElement
	t.fill(EndElement, f.name, f.prefix, nil, nil, nil, int64(d.tokOff))
}

// next scans the next token; each scanner records the token's kind and
// offset (lastKind, tokOff) on success.
func (d *Decoder) next(t *Token) error {
	data := d.data
	for {
		p := d.pos
		if d.state != sContent {
			for p < len(data) && class[data[p]]&cSpace != 0 {
				p++
			}
			d.pos = p
		}
		if p >= len(data) {
			switch d.state {
			case sProlog:
				return d.fail(p, "no root element")
			case sContent:
				f := &d.stack[len(d.stack)-1]
				return d.fail(p, "unexpected end of input: element <%s> opened at %s is not closed", d.frameRaw(f), d.lineCol(f.off))
			}
			return io.EOF
		}
		if data[p] != '<' {
			if d.state != sContent {
				return d.fail(p, "character data outside the root element")
			}
			return d.charData(t)
		}
		if p+1 >= len(data) {
			return d.fail(p, "unexpected end of input after '<'")
		}
		switch data[p+1] {
		case '/':
			if d.state != sContent {
				return d.fail(p, "end tag outside the root element")
			}
			return d.endTag(t)
		case '?':
			return d.procInst(t)
		case '!':
			if bytes.HasPrefix(data[p:], []byte("<!--")) {
				return d.comment(t)
			}
			if bytes.HasPrefix(data[p:], []byte("<![CDATA[")) {
				if d.state != sContent {
					return d.fail(p, "CDATA section outside the root element")
				}
				if err := d.charData(t); err != nil || len(t.Text) > 0 {
					return err
				}
				continue // empty CDATA sections make no token
			}
			if bytes.HasPrefix(data[p:], []byte("<!DOCTYPE")) {
				return d.fail(p, "DTD not allowed")
			}
			return d.fail(p, "invalid markup after '<!'")
		default:
			if d.state == sEpilog {
				return d.fail(p, "content after the root element")
			}
			return d.startTag(t)
		}
	}
}

func (d *Decoder) lineCol(off int) string {
	line, col := d.Position(int64(off))
	return strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

// scanName returns the end of the name-like run starting at p: ASCII name
// bytes and any non-ASCII bytes (validated by the caller on first sight).
func (d *Decoder) scanName(p int) int {
	data := d.data
	for p < len(data) && class[data[p]]&cScan != 0 {
		p++
	}
	return p
}

// qname splits and interns a qualified name, checking it on first sight.
func (d *Decoder) qname(raw []byte, off int, what string) (qname, error) {
	q, _, err := d.qnameSlot(raw, off, what)
	return q, err
}

// qnameSlot is qname that also returns the name's nameCache slot.
func (d *Decoder) qnameSlot(raw []byte, off int, what string) (qname, uint8, error) {
	n := len(raw)
	if n > d.lim.name {
		return qname{}, 0, d.nameTooLong(off, what, n)
	}
	i := cacheIndex(raw)
	e := &d.nameCache[i]
	if e.raw == string(raw) {
		return e.q, i, nil
	}
	if ne, ok := d.names[string(raw)]; ok {
		*e = nameEntry{raw: ne.raw, q: ne.q}
		return ne.q, i, nil
	}
	s := d.keep(raw)
	if !IsName(s) {
		return qname{}, 0, d.fail(off, "invalid %s name %q", what, s)
	}
	var q qname
	if i := indexByte(s, ':'); i >= 0 {
		q = qname{s[:i], s[i+1:]}
		if !IsNCName(q.prefix) || !IsNCName(q.local) {
			return qname{}, 0, d.fail(off, "invalid qualified %s name %q", what, s)
		}
		q.prefix = d.internPrefix(q.prefix)
	} else {
		q.local = s
	}
	*e = nameEntry{raw: s, q: q}
	d.names[s] = *e
	return q, i, nil
}

// internPrefix returns the string the decoder first kept with the text of
// the prefix p, so that the prefixes of different names compare by pointer
// (startTag's check of the last element prefix). The prefix enters names
// as the unprefixed name it also is (an NCName, checked by the caller).
func (d *Decoder) internPrefix(p string) string {
	if e, ok := d.names[p]; ok {
		return e.raw
	}
	d.names[p] = nameEntry{raw: p, q: qname{local: p}}
	return p
}

// predicted reports whether the name at p is guess, a nameCache entry:
// its bytes followed by a byte that cannot continue a name, so that
// scanName would end it at the same place. A cached name was checked (and
// measured against the name limit) when it entered the cache.
func (d *Decoder) predicted(p int, guess *nameEntry) bool {
	n := len(guess.raw)
	return n > 0 && p+n < len(d.data) && string(d.data[p:p+n]) == guess.raw && class[d.data[p+n]]&cScan == 0
}

func (d *Decoder) nameTooLong(off int, what string, n int) error {
	return d.fail(off, "%s name of %d bytes is longer than %d (limit Options.MaxNameLen)", what, n, d.lim.name)
}

// tooLong fails when the content of what, from start to end, exceeds the
// text limit.
func (d *Decoder) tooLong(start, end int, what string) error {
	if end-start <= d.lim.text {
		return nil
	}
	return d.fail(start, "%s of %d bytes is longer than %d (limit Options.MaxTextLen)", what, end-start, d.lim.text)
}

// samePrefix is a == b, without comparing bytes when both are the same
// interned string (internPrefix).
func samePrefix(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// fill sets every field of t. It stores them one by one: *t = Token{…}
// builds the token in a temporary and copies it (with a write barrier over
// the whole of it while the collector marks), which cost more than the
// rest of a start tag.
func (t *Token) fill(kind Kind, name Name, prefix string, attrs []Attr, ns []NSDecl, text []byte, off int64) {
	t.Kind = kind
	t.Name = name
	t.Prefix = prefix
	t.Attrs = attrs
	t.NS = ns
	t.Text = text
	t.Offset = off
}

// nameEntry is a slot of the direct-mapped cache in front of Decoder.names.
// startTag predicts names from their predecessors: nextElem is the slot of
// the name of the start tag that followed the last start tag of this name,
// nextAttr the slot of the name of the attribute that followed it in its
// tag (the first attribute, after an element's name). A slot taken since
// by another name only makes a prediction fail.
type nameEntry struct {
	raw                string
	q                  qname
	nextElem, nextAttr uint8
}

// frameRaw returns the qualified name of f's element as written.
func (d *Decoder) frameRaw(f *frame) []byte {
	return d.data[f.off+1 : f.off+1+f.rawLen]
}

// pushAttr appends an attribute to d.attrs and returns it, zero but for
// Name.Local and Value, which the caller sets. The fields are stored one
// by one: append(d.attrs, Attr{…}) builds the value in a stack temporary
// with 8-byte stores and copies it with 16-byte loads, which the processor
// cannot forward from those stores. That line had 8% of a tokenizer
// profile; without it, tokenizing an ITI-18 response is about 5% faster.
func (d *Decoder) pushAttr() *Attr {
	n := len(d.attrs)
	if n == cap(d.attrs) {
		d.attrs = append(d.attrs, make([]Attr, max(n, 8))...)[:n] // doubled
	}
	d.attrs = d.attrs[:n+1]
	a := &d.attrs[n]
	a.Name.Space = ""
	return a
}

// pushFrame appends a frame to d.stack and returns it, with the previous
// frame's values when reused: the caller sets every field (as pushAttr,
// without a stack temporary).
//
// Both double their slice when it is full (append(s, make(…)...) grows it
// without a temporary; written out in each, as for the raw attribute names,
// since a helper call puts them over the inlining budget): append alone grows a large slice by a quarter,
// which allocates five times its final size and copies four times it.
// With the limits raised, a decoder's stacks grow with the input: 100,000
// levels of nesting allocated 40 MB for the element stack, 15 MB now.
func (d *Decoder) pushFrame() *frame {
	n := len(d.stack)
	if n == cap(d.stack) {
		d.stack = append(d.stack, make([]frame, max(n, 8))...)[:n] // doubled
	}
	d.stack = d.stack[:n+1]
	return &d.stack[n]
}

// appendSeg is append(buf, seg...), doubling buf's capacity when it must
// grow: text and attribute values with references or carriage returns are
// copied segment by segment, and append grows a large buffer by a quarter
// at a time, allocating five times the final text and copying four times
// it (2 MB of text with an entity every 12 bytes: 6.7 MB allocated).
func appendSeg(buf, seg []byte) []byte {
	if len(buf)+len(seg) > cap(buf) {
		buf = grown(buf, len(seg))
	}
	return append(buf, seg...)
}

// grown returns buf with room for n more bytes and at least twice its
// capacity. Not inlined, so that appendSeg is.
//
//go:noinline
func grown(buf []byte, n int) []byte { return slices.Grow(buf, max(n, cap(buf))) }

func (d *Decoder) startTag(t *Token) error {
	data := d.data
	start := d.pos
	p := start + 1
	// Names are predicted from the names before them (nameEntry): a right
	// guess costs one comparison instead of scanName and a cache look-up.
	var q qname
	var ne int
	last := &d.nameCache[d.lastElem]
	slot := last.nextElem
	if guess := &d.nameCache[slot]; d.predicted(p, guess) {
		q, ne = guess.q, p+len(guess.raw)
	} else {
		ne = d.scanName(p)
		if ne == p {
			return d.fail(p, "invalid character %s after '<'", d.quoteAt(p))
		}
		var err error
		if q, slot, err = d.qnameSlot(data[p:ne], p, "element"); err != nil {
			return err
		}
		last.nextElem = slot
	}
	d.lastElem = slot
	raw := data[p:ne]
	p = ne
	d.attrs = d.attrs[:0]
	d.attrRaw = d.attrRaw[:0]
	nsMark := len(d.sc.decls)
	empty := false
	for {
		sp := p
		for p < len(data) && class[data[p]]&cSpace != 0 {
			p++
		}
		if p >= len(data) {
			return d.fail(p, "unexpected end of input in start tag <%s>", raw)
		}
		c := data[p]
		if c == '>' {
			p++
			break
		}
		if c == '/' {
			if p+1 < len(data) && data[p+1] == '>' {
				p += 2
				empty = true
				break
			}
			return d.fail(p, "expected '>' after '/' in start tag <%s>", raw)
		}
		if p == sp {
			return d.fail(p, "expected white space, '>' or '/>' in start tag <%s>, found %s", raw, d.quoteAt(p))
		}
		an := p
		prev := &d.nameCache[slot]
		var aq qname
		var ae int
		aslot := prev.nextAttr
		guess := &d.nameCache[aslot]
		known := d.predicted(p, guess)
		if known {
			aq, ae = guess.q, p+len(guess.raw)
		} else {
			ae = d.scanName(p)
			if ae == p {
				return d.fail(p, "invalid character %s in start tag <%s>", d.quoteAt(p), raw)
			}
		}
		p = ae
		for p < len(data) && class[data[p]]&cSpace != 0 {
			p++
		}
		if p >= len(data) || data[p] != '=' {
			return d.fail(p, "expected '=' after attribute name %s", data[an:ae])
		}
		p++
		for p < len(data) && class[data[p]]&cSpace != 0 {
			p++
		}
		if p >= len(data) || (data[p] != '"' && data[p] != '\'') {
			return d.fail(p, "expected a quoted value for attribute %s", data[an:ae])
		}
		var val string
		var err error
		val, p, err = d.attrValue(p)
		if err != nil {
			return err
		}
		araw := data[an:ae]
		if len(araw) > d.lim.name {
			return d.nameTooLong(an, "attribute", len(araw))
		}
		if len(araw) >= 5 && string(araw[:5]) == "xmlns" && (len(araw) == 5 || araw[5] == ':') {
			if err := d.declare(araw, val, an, nsMark); err != nil {
				return err
			}
			continue
		}
		if !known {
			if aq, aslot, err = d.qnameSlot(araw, an, "attribute"); err != nil {
				return err
			}
			prev.nextAttr = aslot
		}
		slot = aslot
		if len(d.attrs) == d.lim.attrs {
			return d.fail(an, "element <%s> has more than %d attributes (limit Options.MaxAttrs)", raw, d.lim.attrs)
		}
		if n := len(d.attrRaw); n == cap(d.attrRaw) {
			d.attrRaw = append(d.attrRaw, make([]rawAttr, max(n, 8))...)[:n] // doubled
		}
		d.attrRaw = append(d.attrRaw, rawAttr{an, len(araw), len(aq.prefix)})
		a := d.pushAttr()
		a.Name.Local, a.Value = aq.local, val
	}
	if len(d.stack) >= d.lim.depth {
		return d.fail(start, "element nesting deeper than %d (limit Options.MaxDepth)", d.lim.depth)
	}
	if q.prefix == "xmlns" {
		return d.fail(start+1, "element <%s>: the prefix xmlns is reserved", raw)
	}
	space := d.elemNS.uri
	if !samePrefix(q.prefix, d.elemNS.prefix) || d.sc.gen != d.elemNS.gen {
		var ok bool
		if space, ok = d.LookupNS(q.prefix); !ok {
			return d.fail(start+1, "element <%s>: prefix %q is not bound", raw, q.prefix)
		}
		d.elemNS = nsMemo{q.prefix, space, d.sc.gen}
	}
	for i := range d.attrRaw {
		ra := d.attrRaw[i]
		if ra.prefix == 0 {
			continue
		}
		uri, ok := d.LookupNS(str(data[ra.off : ra.off+ra.prefix]))
		if !ok {
			return d.fail(ra.off, "attribute %s: prefix %q is not bound", d.rawName(ra), data[ra.off:ra.off+ra.prefix])
		}
		d.attrs[i].Name.Space = uri
	}
	if len(d.attrs) > 1 {
		if err := d.checkDuplicates(); err != nil {
			return err
		}
	}
	f := d.pushFrame()
	f.rawLen, f.name.Space, f.name.Local, f.prefix, f.nsMark, f.off = len(raw), space, q.local, q.prefix, nsMark, start
	d.state = sContent
	d.pendingEnd = empty
	d.pos = p
	d.lastKind, d.tokOff = StartElement, start
	t.fill(StartElement, Name{space, q.local}, q.prefix, d.attrs, d.sc.decls[nsMark:len(d.sc.decls):len(d.sc.decls)], nil, int64(start))
	return nil
}

func (d *Decoder) checkDuplicates() error {
	as := d.attrs
	if len(as) <= 16 {
		for i := 1; i < len(as); i++ {
			for j := 0; j < i; j++ {
				if as[i].Name == as[j].Name {
					return d.duplicate(i, j)
				}
			}
		}
		return nil
	}
	seen := make(map[Name]int, len(as))
	for i := range as {
		if j, ok := seen[as[i].Name]; ok {
			return d.duplicate(i, j)
		}
		seen[as[i].Name] = i
	}
	return nil
}

func (d *Decoder) duplicate(i, j int) error {
	a, b := d.rawName(d.attrRaw[i]), d.rawName(d.attrRaw[j])
	if bytes.Equal(a, b) {
		return d.fail(d.attrRaw[i].off, "duplicate attribute %s", a)
	}
	return d.fail(d.attrRaw[i].off, "attribute %s duplicates %s (both are %s)", a, b, d.attrs[i].Name)
}

// declare records the namespace declaration attribute raw="val".
func (d *Decoder) declare(raw []byte, uri string, off, nsMark int) error {
	prefix := ""
	if len(raw) > 5 {
		prefix = d.keep(raw[6:])
		if !IsNCName(prefix) {
			return d.fail(off, "invalid namespace prefix %q", prefix)
		}
	}
	if d.sc.declaredSince(prefix, nsMark) {
		return d.fail(off, "duplicate namespace declaration %s", raw)
	}
	if len(d.sc.decls)-nsMark == d.lim.nsDecls {
		return d.fail(off, "element has more than %d namespace declarations (limit Options.MaxNSDecls)", d.lim.nsDecls)
	}
	if d.nsTotal == d.lim.docNSDecls {
		return d.fail(off, "document has more than %d namespace declarations (limit Options.MaxDocNSDecls)", d.lim.docNSDecls)
	}
	d.nsTotal++
	switch {
	case prefix == "xmlns":
		return d.fail(off, "the prefix xmlns must not be declared")
	case prefix == "xml":
		if uri != XMLNamespace {
			return d.fail(off, "the prefix xml must not be bound to %q", uri)
		}
		return nil // implicit binding, not recorded
	case uri == XMLNamespace:
		return d.fail(off, "the XML namespace must not be bound to a prefix other than xml")
	case uri == XMLNSNamespace:
		return d.fail(off, "the xmlns namespace must not be declared")
	case prefix != "" && uri == "":
		return d.fail(off, "prefix %s cannot be undeclared (xmlns:%s=\"\") in XML 1.0", prefix, prefix)
	}
	d.sc.push(NSDecl{Prefix: prefix, URI: uri})
	if prefix != "" {
		d.prefixes.add(prefix, &d.sc.work)
	}
	return nil
}

// quoteAt describes the character at p for error messages.
func (d *Decoder) quoteAt(p int) string {
	if p >= len(d.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(d.data[p:])
	return strconv.QuoteRune(r)
}

// attrValue reads a quoted attribute value at p and returns it with the
// offset after the closing quote.
func (d *Decoder) attrValue(p int) (string, int, error) {
	data := d.data
	q := data[p]
	p++
	s := p
	for {
		for p+8 <= len(data) {
			if m := swar.Stop(swar.Load(data, p), wCtl, wLt, wAmp, wQuot, wApos, wEF); m != 0 {
				p += swar.First(m)
				break
			}
			p += 8
		}
		for p < len(data) && class[data[p]]&cAttr == 0 {
			p++
		}
		if p >= len(data) {
			return "", p, d.fail(s-1, "unterminated attribute value")
		}
		c := data[p]
		if c == q {
			if p-s > d.lim.text {
				return "", p, d.tooLong(s, p, "attribute value")
			}
			return d.keep(data[s:p]), p + 1, nil
		}
		if c == '"' || c == '\'' {
			p++
			continue
		}
		break
	}
	buf := append(d.text[:0], data[s:p]...)
	for {
		seg := p
		for p < len(data) && class[data[p]]&cAttr == 0 {
			p++
		}
		buf = appendSeg(buf, data[seg:p])
		if p >= len(data) {
			d.text = buf
			return "", p, d.fail(s-1, "unterminated attribute value")
		}
		switch c := data[p]; c {
		case q:
			d.text = buf
			if err := d.tooLong(s, p, "attribute value"); err != nil {
				return "", p, err
			}
			return d.arenaString(buf), p + 1, nil
		case '"', '\'', '\t', '\n':
			if c == '\t' || c == '\n' {
				c = ' '
			}
			buf = append(buf, c)
			p++
		case '\r':
			buf = append(buf, ' ')
			p++
			if p < len(data) && data[p] == '\n' {
				p++
			}
		case '&':
			var err error
			buf, p, err = d.reference(buf, p)
			if err != nil {
				d.text = buf
				return "", p, err
			}
		case '<':
			d.text = buf
			return "", p, d.fail(p, "'<' not allowed in attribute value")
		default:
			np, err := d.special(p)
			if err != nil {
				d.text = buf
				return "", p, err
			}
			buf = appendSeg(buf, data[p:np])
			p = np
		}
	}
}

// special checks the byte at p that the class tables flag as a possible
// invalid character (a C0 control or the lead byte 0xEF) and returns the
// offset after it.
func (d *Decoder) special(p int) (int, error) {
	c := d.data[p]
	if c == 0xEF {
		if p+2 < len(d.data) && d.data[p+1] == 0xBF && (d.data[p+2] == 0xBE || d.data[p+2] == 0xBF) {
			return p, d.fail(p, "character U+FFF%c is not allowed in XML", "EF"[d.data[p+2]-0xBE])
		}
		return p + 1, nil
	}
	if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
		return p, d.fail(p, "character U+%04X is not allowed in XML", c)
	}
	return p + 1, nil
}

// reference decodes the entity or character reference at p and appends it.
func (d *Decoder) reference(buf []byte, p int) ([]byte, int, error) {
	data := d.data
	start := p
	p++
	end := p
	for end < len(data) && end-p < 16 && data[end] != ';' {
		end++
	}
	if end >= len(data) || data[end] != ';' {
		return buf, start, d.fail(start, "invalid reference: '&' must start an entity or character reference (write &amp;)")
	}
	name := data[p:end]
	if len(name) > 1 && name[0] == '#' {
		var r uint64
		var err error
		if name[1] == 'x' {
			if len(name) == 2 || !allHex(name[2:]) {
				return buf, start, d.fail(start, "invalid character reference &%s;", name)
			}
			r, err = strconv.ParseUint(str(name[2:]), 16, 32)
		} else {
			if !allDigits(name[1:]) {
				return buf, start, d.fail(start, "invalid character reference &%s;", name)
			}
			r, err = strconv.ParseUint(str(name[1:]), 10, 32)
		}
		if err != nil || !isXMLChar(rune(r)) {
			return buf, start, d.fail(start, "character reference &%s; is not an XML character", name)
		}
		return utf8.AppendRune(buf, rune(r)), end + 1, nil
	}
	switch string(name) {
	case "lt":
		buf = append(buf, '<')
	case "gt":
		buf = append(buf, '>')
	case "amp":
		buf = append(buf, '&')
	case "apos":
		buf = append(buf, '\'')
	case "quot":
		buf = append(buf, '"')
	default:
		if IsName(str(name)) {
			return buf, start, d.fail(start, "undefined entity &%s; (no DTD: only lt, gt, amp, apos, quot and character references)", name)
		}
		return buf, start, d.fail(start, "invalid reference: '&' must start an entity or character reference (write &amp;)")
	}
	return buf, end + 1, nil
}

func allHex(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// charData reads character data and CDATA sections up to the next markup
// other than a CDATA section.
func (d *Decoder) charData(t *Token) error {
	data := d.data
	start := d.pos
	p := start
	seg := start
	owned := false
	buf := d.text[:0]
	for {
		for p < len(data) && class[data[p]]&cText == 0 {
			p++
		}
		if p >= len(data) {
			break
		}
		switch c := data[p]; c {
		case '<':
			if !bytes.HasPrefix(data[p:], []byte("<![CDATA[")) {
				goto done
			}
			buf = appendSeg(buf, data[seg:p])
			owned = true
			var err error
			if buf, p, err = d.cdata(buf, p); err != nil {
				return err
			}
			seg = p
		case '&':
			buf = appendSeg(buf, data[seg:p])
			owned = true
			var err error
			if buf, p, err = d.reference(buf, p); err != nil {
				return err
			}
			seg = p
		case '\r':
			buf, p = d.newline(buf, seg, p)
			owned = true
			seg = p
		case ']':
			if p+2 < len(data) && data[p+1] == ']' && data[p+2] == '>' {
				return d.fail(p, "']]>' not allowed in character data")
			}
			p++
		default:
			var err error
			if p, err = d.special(p); err != nil {
				return err
			}
		}
	}
done:
	if err := d.tooLong(start, p, "character data"); err != nil {
		return err
	}
	d.pos = p
	text := data[start:p]
	d.textOwned = owned
	if owned {
		buf = appendSeg(buf, data[seg:p])
		d.text = buf
		text = buf
	}
	d.lastKind, d.tokOff = CharData, start
	t.fill(CharData, Name{}, "", nil, nil, text, int64(start))
	return nil
}

// newline appends data[seg:p] and a line feed for the line end at p (CR or
// CR LF) and returns the offset after it.
func (d *Decoder) newline(buf []byte, seg, p int) ([]byte, int) {
	buf = appendSeg(buf, d.data[seg:p])
	buf = append(buf, '\n')
	p++
	if p < len(d.data) && d.data[p] == '\n' {
		p++
	}
	return buf, p
}

// cdata appends the content of the CDATA section at p.
func (d *Decoder) cdata(buf []byte, p int) ([]byte, int, error) {
	data := d.data
	start := p
	p += len("<![CDATA[")
	seg := p
	for {
		for p < len(data) && class[data[p]]&cMisc == 0 {
			p++
		}
		if p >= len(data) {
			return buf, p, d.fail(start, "unterminated CDATA section")
		}
		switch data[p] {
		case ']':
			if p+2 < len(data) && data[p+1] == ']' && data[p+2] == '>' {
				buf = appendSeg(buf, data[seg:p])
				return buf, p + 3, nil
			}
			p++
		case '\r':
			buf, p = d.newline(buf, seg, p)
			seg = p
		case '-', '?':
			p++
		default:
			var err error
			if p, err = d.special(p); err != nil {
				return buf, p, err
			}
		}
	}
}

// misc scans comment or PI content from p up to the terminator term ("--"
// or "?>") and returns the decoded content and the offset of the terminator.
func (d *Decoder) misc(p int, term byte, start int, what string) ([]byte, int, error) {
	data := d.data
	seg := p
	s := p
	owned := false
	buf := d.text[:0]
	for {
		for p < len(data) && class[data[p]]&cMisc == 0 {
			p++
		}
		if p >= len(data) {
			return nil, p, d.fail(start, "unterminated %s", what)
		}
		switch c := data[p]; c {
		case term:
			second := byte('-') // a comment ends at "--"
			if term == '?' {
				second = '>' // a PI ends at "?>"
			}
			if p+1 < len(data) && data[p+1] == second {
				if err := d.tooLong(s, p, what); err != nil {
					return nil, p, err
				}
				var text []byte
				if owned {
					buf = appendSeg(buf, data[seg:p])
					d.text = buf
					text = buf
				} else {
					text = data[s:p]
				}
				d.textOwned = owned
				return text, p, nil
			}
			p++
		case '-', '?', ']':
			p++
		case '\r':
			buf, p = d.newline(buf, seg, p)
			owned = true
			seg = p
		default:
			var err error
			if p, err = d.special(p); err != nil {
				return nil, p, err
			}
		}
	}
}

func (d *Decoder) comment(t *Token) error {
	start := d.pos
	text, p, err := d.misc(start+4, '-', start, "comment")
	if err != nil {
		return err
	}
	// p is at "--"; it must be followed by '>'.
	if p+2 >= len(d.data) || d.data[p+2] != '>' {
		return d.fail(p, "'--' not allowed inside a comment")
	}
	d.pos = p + 3
	d.lastKind, d.tokOff = Comment, start
	t.fill(Comment, Name{}, "", nil, nil, text, int64(start))
	return nil
}

func (d *Decoder) procInst(t *Token) error {
	data := d.data
	start := d.pos
	p := start + 2
	ne := d.scanName(p)
	if ne == p {
		return d.fail(p, "invalid processing instruction target %s", d.quoteAt(p))
	}
	if ne-p > d.lim.name {
		return d.nameTooLong(p, "processing instruction target", ne-p)
	}
	target := d.keep(data[p:ne])
	if !IsNCName(target) {
		return d.fail(p, "invalid processing instruction target %q", target)
	}
	if len(target) == 3 && (target[0]|0x20) == 'x' && (target[1]|0x20) == 'm' && (target[2]|0x20) == 'l' {
		if target == "xml" {
			return d.fail(start, "XML declaration allowed only at the start of the document")
		}
		return d.fail(p, "processing instruction target %q is reserved", target)
	}
	p = ne
	var text []byte
	if p+1 < len(data) && data[p] == '?' && data[p+1] == '>' {
		d.pos = p + 2
	} else {
		if p >= len(data) || class[data[p]]&cSpace == 0 {
			return d.fail(p, "expected white space after processing instruction target %s", target)
		}
		for p < len(data) && class[data[p]]&cSpace != 0 {
			p++
		}
		var err error
		if text, p, err = d.misc(p, '?', start, "processing instruction"); err != nil {
			return err
		}
		d.pos = p + 2
	}
	d.lastKind, d.tokOff = ProcInst, start
	t.fill(ProcInst, Name{Local: target}, "", nil, nil, text, int64(start))
	return nil
}

func (d *Decoder) endTag(t *Token) error {
	data := d.data
	start := d.pos
	p := start + 2
	f := &d.stack[len(d.stack)-1]
	fraw := d.frameRaw(f)
	// The name must be the open element's: compare it in place and check
	// that it ends there, instead of scanning it first.
	ne := p + len(fraw)
	if ne > len(data) || string(data[p:ne]) != string(fraw) || (ne < len(data) && class[data[ne]]&cScan != 0) {
		ne = d.scanName(p)
		if ne == p {
			return d.fail(p, "invalid character %s in end tag", d.quoteAt(p))
		}
		return d.fail(start, "end tag </%s> does not match start tag <%s> at %s", data[p:ne], fraw, d.lineCol(f.off))
	}
	p = ne
	for p < len(data) && class[data[p]]&cSpace != 0 {
		p++
	}
	if p >= len(data) || data[p] != '>' {
		return d.fail(p, "expected '>' to end the end tag </%s>", fraw)
	}
	d.pos = p + 1
	d.popDue = true
	d.lastKind, d.tokOff = EndElement, start
	t.fill(EndElement, f.name, f.prefix, nil, nil, nil, int64(start))
	return nil
}

// xmlDecl checks the XML declaration at the start of the document.
func (d *Decoder) xmlDecl() {
	data := d.data
	start := d.pos
	end := bytes.Index(data[start:], []byte("?>"))
	if end < 0 {
		d.fail(start, "unterminated XML declaration")
		return
	}
	end += start
	p := start + 5
	seen := 0 // 1 version, 2 encoding, 3 standalone
	for {
		sp := p
		for p < end && class[data[p]]&cSpace != 0 {
			p++
		}
		if p == end {
			break
		}
		if p == sp {
			d.fail(p, "malformed XML declaration: expected white space")
			return
		}
		ns := p
		for p < end && data[p] >= 'a' && data[p] <= 'z' {
			p++
		}
		name := string(data[ns:p])
		for p < end && class[data[p]]&cSpace != 0 {
			p++
		}
		if p >= end || data[p] != '=' {
			d.fail(p, "malformed XML declaration: expected '=' after %q", name)
			return
		}
		p++
		for p < end && class[data[p]]&cSpace != 0 {
			p++
		}
		if p >= end || (data[p] != '"' && data[p] != '\'') {
			d.fail(p, "malformed XML declaration: expected a quoted value for %q", name)
			return
		}
		q := data[p]
		vs := p + 1
		ve := bytes.IndexByte(data[vs:end], q)
		if ve < 0 {
			d.fail(p, "malformed XML declaration: unterminated value for %q", name)
			return
		}
		val := string(data[vs : vs+ve])
		p = vs + ve + 1
		var order int
		ok := true
		switch name {
		case "version":
			order = 1
			ok = len(val) > 2 && val[:2] == "1." && allDigits([]byte(val[2:]))
		case "encoding":
			order = 2
			ok = val != "" && isEncName(val)
		case "standalone":
			order = 3
			ok = val == "yes" || val == "no"
		default:
			d.fail(ns, "malformed XML declaration: unknown pseudo-attribute %q", name)
			return
		}
		if order <= seen || (seen == 0 && order != 1) {
			d.fail(ns, "malformed XML declaration: %q out of order or missing version", name)
			return
		}
		if !ok {
			d.fail(vs, "malformed XML declaration: invalid %s %q", name, val)
			return
		}
		seen = order
	}
	if seen == 0 {
		d.fail(start, "malformed XML declaration: version is required")
		return
	}
	d.pos = end + 2
}

func isEncName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if i == 0 && !letter || !(letter || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
