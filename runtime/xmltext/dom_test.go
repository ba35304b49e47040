package xmltext

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestReadElementDOM(t *testing.T) {
	in := `<r xmlns="urn:d" xmlns:p="urn:p" xmlns:unused="urn:u" xmlns:q="urn:q"><s:x xmlns:s="urn:s" a="1" p:b="2">t1<!--c--><?pi data?><![CDATA[<c>]]>t2<y/></s:x></r>`
	d := NewDecoder([]byte(in), Options{})
	d.Next()
	tok, _ := d.Next()
	if got := fmt.Sprint(d.InScope()); got != "[{ urn:d} {p urn:p} {unused urn:u} {q urn:q} {s urn:s}]" {
		t.Errorf("InScope %s", got)
	}
	el, err := d.ReadElement(tok)
	if err != nil {
		t.Fatal(err)
	}
	// Own declaration first, then the default namespace and p (used by an
	// attribute name); unused and q are not needed.
	if got := fmt.Sprint(el.NS); got != "[{s urn:s} { urn:d} {p urn:p}]" {
		t.Errorf("NS %s", got)
	}
	if v, ok := el.Attr(Name{"urn:p", "b"}); !ok || v != "2" {
		t.Errorf("Attr %q %v", v, ok)
	}
	if el.Text() != "t1<c>t2" || len(el.Elements()) != 1 || el.Elements()[0].Name != (Name{"urn:d", "y"}) {
		t.Errorf("Text %q Elements %v", el.Text(), el.Elements())
	}
	want := []Node{Text("t1"), CommentNode("c"), ProcInstNode{"pi", "data"}, Text("<c>t2")}
	for i, n := range want {
		if el.Children[i] != n {
			t.Errorf("child %d = %#v, want %#v", i, el.Children[i], n)
		}
	}
	if d.Depth() != 1 {
		t.Errorf("after ReadElement, depth %d", d.Depth())
	}
	var buf bytes.Buffer
	e := NewEncoder(&buf)
	e.WriteElement(el)
	if err := e.Finish(); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != `<s:x xmlns:s="urn:s" xmlns="urn:d" xmlns:p="urn:p" a="1" p:b="2">t1<!--c--><?pi data?>&lt;c&gt;t2<y/></s:x>` {
		t.Errorf("written %s", got)
	}
	// QName values keep their bindings when only the value uses the prefix.
	d = NewDecoder([]byte(`<r xmlns:h="urn:h" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><v xsi:type="h:CE"/></r>`), Options{})
	d.Next()
	tok, _ = d.Next()
	el, _ = d.ReadElement(tok)
	if got := fmt.Sprint(el.NS); got != "[{h urn:h} {xsi http://www.w3.org/2001/XMLSchema-instance}]" {
		t.Errorf("QName value bindings %s", got)
	}
}

func TestWriteElementPrefixConflicts(t *testing.T) {
	check := func(name string, f func(e *Encoder), want string) {
		t.Helper()
		var buf bytes.Buffer
		e := NewEncoder(&buf)
		f(e)
		if err := e.Finish(); err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		if buf.String() != want {
			t.Errorf("%s:\ngot  %s\nwant %s", name, buf.String(), want)
		}
		if _, err := dump(buf.Bytes(), Options{}); err != nil {
			t.Errorf("%s: output does not parse: %v", name, err)
		}
	}
	check("DOM prefix bound to another namespace in scope", func(e *Encoder) {
		e.PreferPrefix("urn:1", "p")
		e.Start(Name{"urn:1", "a"})
		e.WriteElement(&Element{Name: Name{"urn:2", "b"}, Prefix: "p", Children: []Node{&Element{Name: Name{"urn:1", "c"}}}})
		e.End()
	}, `<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><c xmlns="urn:1"/></p:b></p:a>`)
	check("inconsistent DOM declarations", func(e *Encoder) {
		e.WriteElement(&Element{Name: Name{"urn:y", "b"}, Prefix: "p", NS: []NSDecl{{"p", "urn:x"}}})
	}, `<ns1:b xmlns:p="urn:x" xmlns:ns1="urn:y"/>`)
	check("hand-built DOM without declarations", func(e *Encoder) {
		e.WriteElement(&Element{Name: Name{"urn:y", "b"}, Attrs: []Attr{{Name{"urn:z", "at"}, "1"}, {Name{"", "id"}, "2"}},
			Children: []Node{&Element{Name: Name{"", "u"}}, Text("x")}})
	}, `<b xmlns="urn:y" xmlns:ns1="urn:z" ns1:at="1" id="2"><u xmlns=""/>x</b>`)
	check("default namespace in scope, DOM root without one", func(e *Encoder) {
		e.Start(Name{"urn:w", "w"})
		e.DeclareNS("", "urn:d")
		e.WriteElement(&Element{Name: Name{"urn:p", "v"}, Prefix: "p", NS: []NSDecl{{"p", "urn:p"}}, Attrs: []Attr{{Name{XSINamespace, "type"}, "T"}}})
		e.End()
	}, `<ns1:w xmlns:ns1="urn:w" xmlns="urn:d"><p:v xmlns:p="urn:p" xmlns="" xmlns:ns2="http://www.w3.org/2001/XMLSchema-instance" ns2:type="T"/></ns1:w>`)
	check("raw markup", func(e *Encoder) {
		e.Start(Name{"", "a"})
		e.Raw([]byte(`<x:y xmlns:x="u"/>`))
		e.End()
	}, `<a><x:y xmlns:x="u"/></a>`)

	var buf bytes.Buffer
	e := NewEncoder(&buf)
	e.WriteElement(&Element{Name: Name{"", "a"}, Children: []Node{CommentNode("a--b")}})
	if err := e.Finish(); err == nil || !strings.Contains(err.Error(), "cannot be written as an XML comment") {
		t.Errorf("bad comment in DOM: %v", err)
	}
	e = NewEncoder(&buf)
	e.WriteElement(&Element{Name: Name{"", "a"}, NS: []NSDecl{{"xmlns", "urn:x"}}})
	if err := e.Finish(); err == nil || !strings.Contains(err.Error(), "the prefix xmlns cannot be declared") {
		t.Errorf("bad declaration in DOM: %v", err)
	}
	e = NewEncoder(&buf)
	e.WriteElement(nil)
	if e.Err() == nil {
		t.Error("nil element accepted")
	}
}

func TestManyAttributes(t *testing.T) {
	var b strings.Builder
	b.WriteString("<a")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, ` a%d="%d"`, i, i)
	}
	ok := b.String() + "/>"
	if _, err := dump([]byte(ok), Options{}); err != nil {
		t.Fatalf("40 distinct attributes: %v", err)
	}
	dup := b.String() + ` a17="x"/>`
	if _, err := dump([]byte(dup), Options{}); err == nil || !strings.Contains(err.Error(), "duplicate attribute a17") {
		t.Errorf("duplicate among 41 attributes: %v", err)
	}
}
