package xmldsig

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// Bounds per input byte (plus a constant) that linear code stays under; a
// quadratic regression exceeds them on the seed shapes.
const (
	workPerByte   = 4
	allocsPerByte = 4
	boundSlack    = 4096
)

// c14nWork parses data and canonicalises its root (a second time with
// every in-scope prefix inclusive) and returns the scope work, or -1 when
// data is refused.
func c14nWork(data []byte) int64 {
	doc, err := Parse(data)
	if err != nil {
		return -1
	}
	var buf bytes.Buffer
	w, err := canonicalize(&buf, doc.Root(), C14NOptions{})
	if err != nil {
		return w
	}
	var prefixes []string
	for _, a := range doc.Root().Attr {
		if a.Space == "xmlns" {
			prefixes = append(prefixes, a.Key)
		}
	}
	buf.Reset()
	w2, _ := canonicalize(&buf, doc.Root(), C14NOptions{PrefixList: append(prefixes, "#default")})
	return w + w2
}

// checkBounds fails when canonicalising or verifying data takes more work
// or allocations than linear code would.
func checkBounds(t testing.TB, data []byte) {
	t.Helper()
	if w, limit := c14nWork(data), int64(workPerByte*len(data)+boundSlack); w > limit {
		t.Fatalf("c14n: %d steps for %d bytes (limit %d)", w, len(data), limit)
	}
	limit := float64(allocsPerByte*len(data) + boundSlack)
	if a := testing.AllocsPerRun(1, func() { c14nWork(data) }); a > limit {
		t.Fatalf("parse + c14n: %.0f allocations for %d bytes (limit %.0f)", a, len(data), limit)
	}
	v := &Verifier{}
	if a := testing.AllocsPerRun(1, func() { v.VerifyAssertion(data) }); a > limit {
		t.Fatalf("VerifyAssertion: %.0f allocations for %d bytes (limit %.0f)", a, len(data), limit)
	}
}

// adversarial are shapes that used to be quadratic, at size n, within the
// parser's limits (a root flood of declarations is refused by Parse).
func adversarial(n int) map[string]string {
	var decls, uses, attrs, assertions strings.Builder
	for i := range n {
		if i < 200 { // Parse's depth limit is 256
			fmt.Fprintf(&decls, `<d xmlns:p%d="urn:%d"><p%d:x/>`, i, i, i/2)
		}
		fmt.Fprintf(&uses, `<p%d:c p%d:a="1"/>`, i%100, i%100)
		fmt.Fprintf(&attrs, `<e a="1" b="2" xmlns:q="urn:q" q:c="3"/>`)
		fmt.Fprintf(&assertions, `<s:Assertion xmlns:s="urn:oasis:names:tc:SAML:2.0:assertion"><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/></s:Assertion>`)
	}
	var many strings.Builder
	many.WriteString(`<r`)
	for i := range 100 {
		fmt.Fprintf(&many, ` xmlns:p%d="urn:%d"`, i, i)
	}
	many.WriteString(`>`)
	return map[string]string{
		"inscope":    many.String() + uses.String() + `</r>`,
		"nested":     `<r>` + decls.String() + strings.Repeat(`</d>`, min(n, 200)) + `</r>`,
		"attrs":      `<r>` + attrs.String() + `</r>`,
		"assertions": many.String() + assertions.String() + `</r>`,
	}
}

func TestLinearWork(t *testing.T) {
	for name, doc := range adversarial(2000) {
		t.Run(name, func(t *testing.T) { checkBounds(t, []byte(doc)) })
	}
	for name := range adversarial(1) {
		w1, w2 := c14nWork([]byte(adversarial(1000)[name])), c14nWork([]byte(adversarial(2000)[name]))
		if float64(w2) > 2.3*float64(w1)+boundSlack {
			t.Errorf("%s: c14n work %d at n, %d at 2n (ratio %.2f > 2.3)", name, w1, w2, float64(w2)/float64(w1))
		}
	}
}

// FuzzResourceBounds: Parse, c14n (with and without an inclusive prefix
// list) and VerifyAssertion do work and allocations linear in the input.
func FuzzResourceBounds(f *testing.F) {
	for _, s := range []string{`<a/>`, `<a xmlns:p="urn:p"><p:b p:c="1">t</p:b></a>`} {
		f.Add([]byte(s))
	}
	for _, doc := range adversarial(100) {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkBounds(t, data) })
}

func TestShapesParse(t *testing.T) {
	for name, doc := range adversarial(50) {
		if w := c14nWork([]byte(doc)); w < 0 {
			t.Errorf("%s: refused by Parse", name)
		}
	}
}
