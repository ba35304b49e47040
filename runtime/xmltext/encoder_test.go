package xmltext

import (
	"bytes"
	"strings"
	"testing"
)

func encode(t *testing.T, f func(e *Encoder)) (string, error) {
	t.Helper()
	var buf bytes.Buffer
	e := NewEncoder(&buf)
	f(e)
	err := e.Flush()
	return buf.String(), err
}

func TestEncoderPrefixes(t *testing.T) {
	const a, b, c = "urn:a", "urn:b", "urn:c"
	got, err := encode(t, func(e *Encoder) {
		e.PreferPrefix(a, "pa")
		e.PreferPrefix(c, "pa") // taken inside the pa scope: falls back to nsN
		e.Start(Name{a, "root"})
		e.Attr(Name{"", "id"}, "1")
		e.Attr(Name{b, "x"}, "2")
		e.Start(Name{a, "child"}) // pa in scope: no declaration
		e.Start(Name{c, "deep"})
		e.End()
		e.End()
		e.Start(Name{"", "plain"})
		e.Attr(Name{XMLNamespace, "lang"}, "fr")
		e.End()
		e.Start(Name{a, "typed"})
		e.Attr(Name{XSINamespace, "type"}, e.QName(Name{c, "T"}))
		e.Text(e.QName(Name{b, "v"}))
		e.End()
		e.End()
	})
	want := `<pa:root xmlns:pa="urn:a" xmlns:ns1="urn:b" id="1" ns1:x="2"><pa:child><ns2:deep xmlns:ns2="urn:c"/></pa:child>` +
		`<plain xml:lang="fr"/><pa:typed xmlns:ns2="urn:c" xmlns:ns3="http://www.w3.org/2001/XMLSchema-instance" ns3:type="ns2:T">ns1:v</pa:typed></pa:root>`
	if err != nil || got != want {
		t.Errorf("got  %s\nwant %s\nerr %v", got, want, err)
	}
	// Same calls, same output.
	again, _ := encode(t, func(e *Encoder) {
		e.PreferPrefix(a, "pa")
		e.Start(Name{a, "root"})
		e.End()
	})
	if again != `<pa:root xmlns:pa="urn:a"/>` {
		t.Errorf("got %s", again)
	}
}

func TestEncoderDefaultNamespace(t *testing.T) {
	// A DOM re-emitting a default namespace: unqualified children get xmlns="".
	el := &Element{Name: Name{"urn:d", "a"}, NS: []NSDecl{{"", "urn:d"}}, Children: []Node{
		&Element{Name: Name{"urn:d", "b"}},
		&Element{Name: Name{"", "c"}, Children: []Node{&Element{Name: Name{"", "d"}}}},
	}}
	got, err := encode(t, func(e *Encoder) {
		e.WriteElement(el)
	})
	want := `<a xmlns="urn:d"><b/><c xmlns=""><d/></c></a>`
	if err != nil || got != want {
		t.Errorf("got %s err %v", got, err)
	}
	// Generated code writing an unqualified element inside such a DOM.
	got, err = encode(t, func(e *Encoder) {
		e.Start(Name{"urn:x", "w"})
		e.DeclareNS("", "urn:d")
		e.Start(Name{"", "u"})
		e.Text(e.QName(Name{"", "local"}))
		e.End()
		e.End()
	})
	want = `<ns1:w xmlns:ns1="urn:x" xmlns="urn:d"><u xmlns="">local</u></ns1:w>`
	if err != nil || got != want {
		t.Errorf("got %s err %v", got, err)
	}
}

func TestEncoderEscaping(t *testing.T) {
	got, err := encode(t, func(e *Encoder) {
		e.Start(Name{"", "a"})
		e.Attr(Name{"", "v"}, "<&>\"'\t\n\r é")
		e.Text("<&>\"'\t\n\r é]]>")
		e.End()
	})
	want := "<a v=\"&lt;&amp;>&quot;'&#x9;&#xA;&#xD; é\">&lt;&amp;&gt;\"'\t\n&#xD; é]]&gt;</a>"
	if err != nil || got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// The escaped output decodes back to the same values.
	d := NewDecoder([]byte(got), Options{})
	tok, _ := d.Next()
	if tok.Attrs[0].Value != "<&>\"'\t\n\r é" {
		t.Errorf("attr round trip %q", tok.Attrs[0].Value)
	}
	if s, _ := d.ReadText(tok); s != "<&>\"'\t\n\r é]]>" {
		t.Errorf("text round trip %q", s)
	}
}

func TestEncoderErrors(t *testing.T) {
	tests := []struct {
		name string
		f    func(e *Encoder)
		msg  string
	}{
		{"attr after text", func(e *Encoder) { e.Start(Name{"", "a"}); e.Text("x"); e.Attr(Name{"", "b"}, "1") }, "no start tag is open"},
		{"duplicate attr", func(e *Encoder) { e.Start(Name{"", "a"}); e.Attr(Name{"u", "b"}, "1"); e.Attr(Name{"u", "b"}, "2") }, "duplicate attribute {u}b"},
		{"bad name", func(e *Encoder) { e.Start(Name{"", "a b"}) }, `invalid element name "a b"`},
		{"colon name", func(e *Encoder) { e.Start(Name{"", "p:a"}) }, `invalid element name`},
		{"control char", func(e *Encoder) { e.Start(Name{"", "a"}); e.Text("\x00") }, "U+0000 cannot be represented"},
		{"fffe", func(e *Encoder) { e.Start(Name{"", "a"}); e.Attr(Name{"", "b"}, "\uFFFE") }, "U+FFFE"},
		{"bad utf8", func(e *Encoder) { e.Start(Name{"", "a"}); e.Text("\xff") }, "invalid UTF-8"},
		{"end without start", func(e *Encoder) { e.End() }, "no element is open"},
		{"text at top", func(e *Encoder) { e.Text("x") }, "outside an element"},
		{"xmlns attr", func(e *Encoder) { e.Start(Name{"", "a"}); e.Attr(Name{"", "xmlns"}, "u") }, "use DeclareNS"},
		{"qname after content", func(e *Encoder) { e.Start(Name{"", "a"}); e.Text("x"); e.QName(Name{"urn:q", "x"}) }, "not in scope and no start tag is open"},
		{"default captures unqualified", func(e *Encoder) { e.Start(Name{"", "a"}); e.DeclareNS("", "urn:d") }, "would capture the unqualified names"},
		{"redeclare used prefix", func(e *Encoder) {
			e.PreferPrefix("urn:a", "p")
			e.Start(Name{"urn:a", "a"})
			e.Start(Name{"urn:a", "b"})
			e.DeclareNS("p", "urn:other")
		}, `prefix "p" is already used`},
		{"undeclare prefix", func(e *Encoder) { e.Start(Name{"", "a"}); e.DeclareNS("p", "") }, "cannot be undeclared"},
		{"bad comment", func(e *Encoder) { e.Start(Name{"", "a"}); e.Comment("a--b") }, "cannot be written as an XML comment"},
		{"bad pi", func(e *Encoder) { e.Start(Name{"", "a"}); e.ProcInst("xml", "") }, "invalid target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := encode(t, tt.f)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v, want %q", err, tt.msg)
			}
		})
	}
}

type marshalFunc func(e *Encoder, name Name) error

func (f marshalFunc) MarshalXMLText(e *Encoder, name Name) error { return f(e, name) }

type unmarshalFunc func(d *Decoder, start *Token) error

func (f unmarshalFunc) UnmarshalXMLText(d *Decoder, start *Token) error { return f(d, start) }

func TestMarshalUnmarshal(t *testing.T) {
	name := Name{"urn:m", "msg"}
	out, err := Marshal(marshalFunc(func(e *Encoder, n Name) error {
		e.Start(n)
		e.Text("hi")
		e.End()
		return nil
	}), name)
	if err != nil || string(out) != `<ns1:msg xmlns:ns1="urn:m">hi</ns1:msg>` {
		t.Fatalf("Marshal: %s %v", out, err)
	}
	if _, err := Marshal(marshalFunc(func(e *Encoder, n Name) error { e.Start(n); return nil }), name); err == nil {
		t.Error("unclosed element accepted")
	}
	if _, err := Marshal(marshalFunc(func(e *Encoder, n Name) error { e.Start(n); e.End(); e.Start(n); e.End(); return nil }), name); err == nil {
		t.Error("two roots accepted")
	}
	var text string
	got, err := Unmarshal(append([]byte("<!--c-->"), out...), unmarshalFunc(func(d *Decoder, start *Token) error {
		var err error
		text, err = d.ReadText(*start)
		return err
	}), Options{})
	if err != nil || got != name || text != "hi" {
		t.Errorf("Unmarshal: %v %q %v", got, text, err)
	}
	_, err = Unmarshal(out, unmarshalFunc(func(d *Decoder, start *Token) error { return nil }), Options{})
	if err == nil || !strings.Contains(err.Error(), "stopped before its end tag") {
		t.Errorf("partial consumption: %v", err)
	}
	_, err = Unmarshal(append(out, "<x/>"...), unmarshalFunc(func(d *Decoder, start *Token) error { return d.Skip() }), Options{})
	if err == nil || !strings.Contains(err.Error(), "content after the root element") {
		t.Errorf("trailing element: %v", err)
	}
}
