package xmltext

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// genDoc writes a random document from a small XML grammar: namespaces
// (default, prefixed, undeclared default, rebinding), attributes with
// references and white space, text with references and CR LF, CDATA,
// comments and PIs. Some documents are not namespace-well-formed on purpose.
func genDoc(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(3) == 0 {
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\r\n")
	}
	if r.IntN(4) == 0 {
		b.WriteString("<!-- pre -->\n")
	}
	genElem(r, &b, 0)
	if r.IntN(4) == 0 {
		b.WriteString("\n<?post x?>\n")
	}
	return b.String()
}

var (
	genPrefixes = []string{"", "p", "q", "xml"}
	genLocals   = []string{"a", "b", "é", "x-1", "_y", "ab", "a.é"}
	genURIs     = []string{"urn:1", "urn:2", "", "http://e/x?a&amp;b"}
	genTexts    = []string{"t", " ", "\r\n\t", "&lt;&amp;&gt;&quot;&apos;", "&#x41;&#10;&#13;", "é😀", "]]&gt;", "a\rb", "]", "&#9;", ">"}
	// genBad are fragments that make a document not well-formed.
	genBad = []string{"]]>", "&bogus;", "\x01", "&#0;", "<", "&", "&#xD800;", "\uFFFE", "&#x110000;", "\xe9"}
)

func genText(r *rand.Rand) string {
	if r.IntN(40) == 0 {
		return genBad[r.IntN(len(genBad))]
	}
	return genTexts[r.IntN(len(genTexts))]
}

func genName(r *rand.Rand) string {
	p := genPrefixes[r.IntN(len(genPrefixes))]
	l := genLocals[r.IntN(len(genLocals))]
	if p == "" || p == "xml" && r.IntN(2) == 0 {
		return l
	}
	return p + ":" + l
}

func genElem(r *rand.Rand, b *strings.Builder, depth int) {
	name := genName(r)
	b.WriteString("<" + name)
	seen := map[string]bool{}
	for i := r.IntN(4); i > 0; i-- {
		var an string
		switch r.IntN(3) {
		case 0:
			an = "xmlns"
			if p := genPrefixes[1+r.IntN(2)]; r.IntN(2) == 0 {
				an += ":" + p
			}
		default:
			an = genName(r)
		}
		if seen[an] {
			continue
		}
		seen[an] = true
		q := `"`
		if r.IntN(3) == 0 {
			q = "'"
		}
		v := genText(r)
		if strings.HasPrefix(an, "xmlns") {
			v = genURIs[r.IntN(len(genURIs))]
		}
		fmt.Fprintf(b, "%s%s=%s%s%s", []string{" ", "\n  ", "\t"}[r.IntN(3)], an, q, v, q)
	}
	if depth > 4 || r.IntN(4) == 0 {
		b.WriteString("/>")
		return
	}
	b.WriteString(">")
	for i := r.IntN(4); i > 0; i-- {
		switch r.IntN(6) {
		case 0, 1:
			genElem(r, b, depth+1)
		case 2:
			b.WriteString(genText(r))
		case 3:
			b.WriteString("<![CDATA[" + []string{"", "<&>", "]]", "x\r\ny"}[r.IntN(4)] + "]]>")
		case 4:
			b.WriteString("<!--" + []string{"", " c ", "a-b", "\r\n"}[r.IntN(4)] + "-->")
		case 5:
			b.WriteString("<?pi" + []string{"", " d", " a\r\nb "}[r.IntN(3)] + "?>")
		}
	}
	b.WriteString("</" + name + ">")
}

// TestDiffEncodingXMLGenerated runs the differential comparison of
// FuzzDiffEncodingXML and the DOM round trip of FuzzRoundTrip on generated
// documents, which reach far more namespace and reference combinations than
// byte mutation does.
func TestDiffEncodingXMLGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	compared := 0
	for i := 0; i < 8000; i++ {
		doc := genDoc(r)
		ours, err := dump([]byte(doc), Options{})
		theirs, ok := stdTokens([]byte(doc))
		if err == nil && !ok {
			t.Errorf("accepted, but encoding/xml rejects it: %q", doc)
		}
		if err == nil {
			checkRoundTrip(t, []byte(doc))
			checkRetained(t, []byte(doc))
		}
		if err != nil || !ok {
			continue
		}
		compared++
		if got := normOurs(ours); got != theirs {
			t.Fatalf("token streams differ for %q\nours:\n%s\nencoding/xml:\n%s", doc, got, theirs)
		}
	}
	if compared < 1500 {
		t.Errorf("only %d of 8000 generated documents accepted by both", compared)
	}
}

// checkRetained checks that the strings a decoder returns (names, attribute
// values, namespace URIs, DOM text) keep their value after decoding goes on.
func checkRetained(t *testing.T, data []byte) {
	t.Helper()
	var kept, copies []string
	keep := func(s string) {
		kept = append(kept, s)
		copies = append(copies, strings.Clone(s))
	}
	d := NewDecoder(data, Options{})
	eachToken(t, d.Next, func(tok Token) {
		keep(tok.Name.Space)
		keep(tok.Name.Local)
		for _, a := range tok.Attrs {
			keep(a.Name.Space)
			keep(a.Name.Local)
			keep(a.Value)
		}
		for _, n := range tok.NS {
			keep(n.URI)
		}
		if tok.Kind == StartElement && d.Depth() == 2 {
			el, err := d.ReadElement(tok)
			if err != nil {
				t.Fatal(err)
			}
			var walk func(e *Element)
			walk = func(e *Element) {
				for _, c := range e.Children {
					switch c := c.(type) {
					case Text:
						keep(string(c))
					case CommentNode:
						keep(string(c))
					case ProcInstNode:
						keep(c.Inst)
					case *Element:
						walk(c)
					}
				}
			}
			walk(el)
		}
	})
	for i := range kept {
		if kept[i] != copies[i] {
			t.Fatalf("string %d changed from %q to %q in %q", i, copies[i], kept[i], data)
		}
	}
}
