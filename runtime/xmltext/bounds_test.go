package xmltext

import (
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// work returns the steps the decoder's namespace scope, prefix trie and
// Position took so far.
func (d *Decoder) work() int64 { return d.sc.work + d.posWork }

// raised lifts every limit, so that the bound tests exercise the
// algorithms on inputs the defaults would refuse.
var raised = Options{MaxDepth: 1 << 20, MaxAttrs: 1 << 20, MaxNSDecls: 1 << 20, MaxDocNSDecls: 1 << 20, MaxNameLen: 1 << 20, MaxTextLen: 1 << 30}

// Bounds per input byte (plus a constant for tiny inputs) that linear code
// stays under; a quadratic regression exceeds them on the seed shapes.
const (
	workPerByte   = 8
	allocsPerByte = 2
	boundSlack    = 512
)

// decodeAll reads data token by token, reading every third element with
// ReadElement and asking positions out of order, and returns the decoder's
// work. (InScope is left out: its result alone is as long as the scope.)
func decodeAll(data []byte, opts Options) int64 {
	d := NewDecoder(data, opts)
	for i := 0; ; i++ {
		tok, err := d.Next()
		if err != nil {
			break
		}
		if i%64 == 3 {
			d.Position(tok.Offset / 2) // out of order: restarts from a checkpoint
		}
		if tok.Kind == StartElement && d.Lenient() {
			for _, a := range tok.Attrs { // as generated code does with unknown attributes
				d.UnknownAttr(tok, a)
			}
		}
		if tok.Kind == StartElement && i%3 == 1 {
			if _, err := d.ReadElement(tok); err != nil {
				break
			}
		}
	}
	return d.work()
}

// encodeAll decodes data and writes its tokens back with an Encoder
// (declarations redeclared, QName-like attribute values resolved), and
// returns the encoder's work.
func encodeAll(data []byte, opts Options) int64 {
	d := NewDecoder(data, opts)
	e := NewEncoder(io.Discard)
	for {
		tok, err := d.Next()
		if err != nil {
			break
		}
		switch tok.Kind {
		case StartElement:
			e.Start(tok.Name)
			for _, b := range tok.NS {
				e.DeclareNS(b.Prefix, b.URI)
			}
			for _, a := range tok.Attrs {
				e.Attr(a.Name, a.Value)
			}
			e.QName(Name{Space: tok.Name.Space, Local: "q"})
		case EndElement:
			e.End()
		case CharData:
			e.Text(string(tok.Text))
		}
	}
	return e.sc.work
}

// checkBounds fails when decoding or encoding data takes more work or
// allocations than linear code would.
func checkBounds(t testing.TB, data []byte) {
	t.Helper()
	limit := int64(workPerByte*len(data) + boundSlack)
	if w := decodeAll(data, raised); w > limit {
		t.Fatalf("decoder: %d steps for %d bytes (limit %d)", w, len(data), limit)
	}
	lenient := raised
	lenient.Lenient = true
	if w := decodeAll(data, lenient); w > limit {
		t.Fatalf("lenient decoder: %d steps for %d bytes (limit %d)", w, len(data), limit)
	}
	if w := encodeAll(data, raised); w > limit {
		t.Fatalf("encoder: %d steps for %d bytes (limit %d)", w, len(data), limit)
	}
	allocs := testing.AllocsPerRun(1, func() { decodeAll(data, raised) })
	if max := float64(allocsPerByte*len(data) + boundSlack); allocs > max {
		t.Fatalf("decoder: %.0f allocations for %d bytes (limit %.0f)", allocs, len(data), max)
	}
}

// adversarial are the shapes that used to be quadratic, at size n.
func adversarial(n int) map[string]string {
	var decls, uses, shadow, colons, attrs strings.Builder
	for i := range n {
		fmt.Fprintf(&decls, ` xmlns:p%d="urn:%d"`, i, i)
		fmt.Fprintf(&uses, `<p%d:c p%d:a="p%d:v"/>`, i, i, i)
		fmt.Fprintf(&shadow, ` xmlns:p%d="urn:other"`, i)
		fmt.Fprintf(&colons, `%s:`, strings.Repeat("p", i%40))
		fmt.Fprintf(&attrs, ` a%d="1"`, i)
	}
	return map[string]string{
		// declarations on the root, each used below, children read as DOM
		"nsflood": `<r` + decls.String() + `>` + uses.String() + `</r>`,
		// the same prefixes bound to one namespace, then all shadowed:
		// lookups of that namespace must not walk the dead bindings
		"shadowed": `<r` + strings.ReplaceAll(decls.String(), `="urn:`, `="urn:same`) + `><s` + shadow.String() + `>` +
			strings.Repeat(`<x xmlns:y="urn:same0"><y:e/></x>`, n) + `</s></r>`,
		// text full of colons after runs of prefix characters
		"colons":    `<r` + decls.String() + `><t>` + colons.String() + `</t>` + strings.Repeat(`<t>p1:x</t>`, n) + `</r>`,
		"attrflood": `<r` + attrs.String() + `/>`,
		"attrs":     `<r>` + strings.Repeat(`<e`+attrs.String()[:strings.LastIndex(attrs.String()[:min(len(attrs.String()), 400)], " ")]+`/>`, n/20) + `</r>`,
		"deep":      strings.Repeat(`<e xmlns:p="urn:p">`, n) + strings.Repeat(`</e>`, n),
	}
}

func TestLinearWork(t *testing.T) {
	for name, doc := range adversarial(2000) {
		t.Run(name, func(t *testing.T) { checkBounds(t, []byte(doc)) })
	}
	// The doubling itself: work grows by about 2, not 4.
	for name := range adversarial(1) {
		small, big := []byte(adversarial(1000)[name]), []byte(adversarial(2000)[name])
		for _, f := range []struct {
			what string
			run  func([]byte, Options) int64
		}{{"decoder", decodeAll}, {"encoder", encodeAll}} {
			w1, w2 := f.run(small, raised), f.run(big, raised)
			if float64(w2) > 2.3*float64(w1)+boundSlack {
				t.Errorf("%s/%s: work %d at n, %d at 2n (ratio %.2f > 2.3)", name, f.what, w1, w2, float64(w2)/float64(w1))
			}
		}
	}
}

// FuzzDecoderBounds: the decoder, ReadElement, InScope, Position and the
// encoder do work and allocations linear in the input, on any input.
func FuzzDecoderBounds(f *testing.F) {
	addSeeds(f)
	for _, doc := range adversarial(300) {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkBounds(t, data) })
}

// naiveScope is the reference nsScope is checked against: linear scans.
type naiveScope []NSDecl

func (s naiveScope) lookup(prefix string) (string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i].Prefix == prefix {
			return s[i].URI, true
		}
	}
	switch prefix {
	case "xml":
		return XMLNamespace, true
	case "":
		return "", true
	}
	return "", false
}

func (s naiveScope) livePrefix(uri string) (string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if b := s[i]; b.URI == uri && b.Prefix != "" {
			if u, _ := s.lookup(b.Prefix); u == uri {
				return b.Prefix, true
			}
		}
	}
	return "", false
}

func (s naiveScope) inScope() []NSDecl {
	var out []NSDecl
	for i := len(s) - 1; i >= 0; i-- {
		if !slices.ContainsFunc(out, func(b NSDecl) bool { return b.Prefix == s[i].Prefix }) {
			out = append(out, s[i])
		}
	}
	slices.Reverse(out)
	return out
}

// TestScopeMatchesNaive drives nsScope and the naive reference with random
// element starts, declarations (rebinding and shadowing prefixes among few
// namespaces) and ends, comparing every query.
func TestScopeMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	prefixes := []string{"", "a", "b", "c", "d"}
	uris := []string{"", "u1", "u2", "u3"}
	for round := range 200 {
		var s nsScope
		s.init()
		var ref naiveScope
		var marks []int
		for step := range 200 {
			switch op := r.IntN(10); {
			case op < 3 || len(marks) == 0: // open an element with declarations
				marks = append(marks, len(s.decls))
				seen := map[string]bool{}
				for range r.IntN(4) {
					b := NSDecl{Prefix: prefixes[r.IntN(len(prefixes))], URI: uris[r.IntN(len(uris))]}
					if seen[b.Prefix] || b.Prefix != "" && b.URI == "" {
						continue
					}
					seen[b.Prefix] = true
					s.push(b)
					ref = append(ref, b)
				}
			case op < 5: // close it
				m := marks[len(marks)-1]
				marks = marks[:len(marks)-1]
				s.popTo(m)
				ref = ref[:m]
			}
			for _, p := range prefixes {
				gu, gok := s.lookup(p)
				wu, wok := ref.lookup(p)
				if gu != wu || gok != wok {
					t.Fatalf("round %d step %d: lookup(%q) = %q %v, want %q %v", round, step, p, gu, gok, wu, wok)
				}
			}
			for _, u := range uris[1:] {
				gp, gok := s.livePrefix(u)
				wp, wok := ref.livePrefix(u)
				if gp != wp || gok != wok {
					t.Fatalf("round %d step %d: livePrefix(%q) = %q %v, want %q %v (scope %v)", round, step, u, gp, gok, wp, wok, ref)
				}
			}
			if got, want := s.inScope(len(s.decls)), ref.inScope(); !slices.Equal(got, want) {
				t.Fatalf("round %d step %d: inScope = %v, want %v", round, step, got, want)
			}
		}
	}
}

// oldUses is the former, quadratic definition of the bindings a captured
// subtree may use, kept as the reference for ReadElement.
func oldUses(e *Element, b NSDecl) bool {
	pfx := b.Prefix + ":"
	if e.Name.Space == b.URI {
		return true
	}
	for _, a := range e.Attrs {
		if a.Name.Space == b.URI || strings.Contains(a.Value, pfx) {
			return true
		}
	}
	for _, c := range e.Children {
		switch c := c.(type) {
		case *Element:
			if oldUses(c, b) {
				return true
			}
		case Text:
			if strings.Contains(string(c), pfx) {
				return true
			}
		}
	}
	return false
}

// checkReadElementNS reads every element of data with ReadElement and
// compares the bindings it adds to the root with the former definition.
func checkReadElementNS(t testing.TB, data []byte) {
	t.Helper()
	d := NewDecoder(data, raised)
	for {
		tok, err := d.Next()
		if err != nil {
			return
		}
		if tok.Kind != StartElement {
			continue
		}
		own := len(tok.NS)
		outer := d.sc.inScope(d.stack[len(d.stack)-1].nsMark)
		el, err := d.ReadElement(tok)
		if err != nil {
			return
		}
		var want []NSDecl
		for _, b := range outer {
			if slices.ContainsFunc(el.NS[:own], func(x NSDecl) bool { return x.Prefix == b.Prefix }) {
				continue
			}
			if b.Prefix == "" && b.URI != "" || b.Prefix != "" && oldUses(el, b) {
				want = append(want, b)
			}
		}
		if got := el.NS[own:]; !slices.Equal(got, want) {
			t.Fatalf("ReadElement %s at %d: outer bindings %v, want %v", tok.Name, tok.Offset, got, want)
		}
	}
}

// FuzzReadElementNS: ReadElement's linear search for the outer bindings a
// subtree uses finds exactly what the former definition did.
func FuzzReadElementNS(f *testing.F) {
	addSeeds(f)
	for _, doc := range adversarial(20) {
		f.Add([]byte(doc))
	}
	f.Add([]byte(`<r xmlns:ab="urn:1" xmlns:b="urn:2" xmlns:xab="urn:3"><s xmlns:b="urn:4"><x a="xab:1 ab:2">b:</x></s><y>xa:b</y></r>`))
	f.Fuzz(func(t *testing.T, data []byte) { checkReadElementNS(t, data) })
}

func TestMaxWarnings(t *testing.T) {
	var b strings.Builder
	b.WriteString("<r>")
	for i := range MaxWarnings + 500 {
		fmt.Fprintf(&b, `<e a%d="1"/>`, i)
	}
	b.WriteString("</r>")
	d := NewDecoder([]byte(b.String()), Options{Lenient: true})
	for {
		tok, err := d.Next()
		if err != nil {
			break
		}
		for _, a := range tok.Attrs {
			d.UnknownAttr(tok, a)
		}
	}
	w := d.Warnings()
	if len(w) != MaxWarnings+1 || w[len(w)-1].Msg != "500 more warnings not recorded (limit MaxWarnings)" {
		t.Fatalf("%d warnings, last %v", len(w), w[len(w)-1])
	}
}

// allocated returns the bytes allocated by a second decode of doc (token
// by token, limits raised), the first one having grown what is reused.
func allocated(t *testing.T, doc []byte) uint64 {
	t.Helper()
	decode := func() {
		d := NewDecoder(doc, raised)
		for {
			if _, err := d.Next(); err != nil {
				if err != io.EOF {
					t.Fatal(err)
				}
				return
			}
		}
	}
	decode()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	decode()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDeepStackMemory: the element stack doubles when full, so a deep
// document allocates about twice the final stack (72-byte frames): 150
// bytes per level, where append's quarter growth made it 405.
func TestDeepStackMemory(t *testing.T) {
	const levels = 100_000
	doc := []byte(strings.Repeat(`<e>`, levels) + strings.Repeat(`</e>`, levels))
	if per := allocated(t, doc) / levels; per > 250 {
		t.Errorf("%d bytes allocated per level of nesting, want at most 250", per)
	}
}

// TestLongTextMemory: a long text copied segment by segment (an entity
// every 12 bytes) doubles its buffer when it grows: about 1.5 bytes
// allocated per byte of text, where append's quarter growth made it 3.2.
func TestLongTextMemory(t *testing.T) {
	text := strings.Repeat("abc&amp;def ", 1<<21/12)
	doc := []byte("<t>" + text + "</t>")
	if per := float64(allocated(t, doc)) / float64(len(text)); per > 2.2 {
		t.Errorf("%.2f bytes allocated per byte of text, want at most 2.2", per)
	}
}
