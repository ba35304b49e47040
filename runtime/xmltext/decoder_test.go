package xmltext

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unsafe"
)

// dump renders every token of data, one per line, or the error.
func dump(data []byte, opts Options) (string, error) {
	d := NewDecoder(data, opts)
	var b strings.Builder
	for {
		tok, err := d.Next()
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return b.String(), err
		}
		b.WriteString(tokenLine(tok))
		b.WriteByte('\n')
	}
}

// eachToken calls f for each token next returns until io.EOF; an error fails the test.
func eachToken(t testing.TB, next func() (Token, error), f func(Token)) {
	t.Helper()
	for {
		tok, err := next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		f(tok)
	}
}

func tokenLine(t Token) string {
	switch t.Kind {
	case StartElement:
		s := "S " + t.Name.String()
		for _, a := range t.Attrs {
			s += fmt.Sprintf(" %s=%q", a.Name, a.Value)
		}
		for _, n := range t.NS {
			s += fmt.Sprintf(" ns(%s=%s)", n.Prefix, n.URI)
		}
		return s
	case EndElement:
		return "E " + t.Name.String()
	case CharData:
		return fmt.Sprintf("C %q", t.Text)
	case Comment:
		return fmt.Sprintf("! %q", t.Text)
	case ProcInst:
		return fmt.Sprintf("? %s %q", t.Name.Local, t.Text)
	}
	return "?"
}

func TestDecodeWellFormed(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty root", `<a/>`, "S a\nE a\n"},
		{"decl and misc", "\uFEFF<?xml version=\"1.0\" encoding='UTF-8' standalone=\"yes\"?>\n<!-- c --><?pi  data ?>\n<a>x</a>\n<!--after--> \n",
			"! \" c \"\n? pi \"data \"\nS a\nC \"x\"\nE a\n! \"after\"\n"},
		{"default ns", `<a xmlns="urn:x"><b/></a>`, "S {urn:x}a ns(=urn:x)\nS {urn:x}b\nE {urn:x}b\nE {urn:x}a\n"},
		{"undeclare default", `<a xmlns="urn:x"><b xmlns=""><c/></b></a>`,
			"S {urn:x}a ns(=urn:x)\nS b ns(=)\nS c\nE c\nE b\nE {urn:x}a\n"},
		{"prefixes and attrs", `<p:a xmlns:p="urn:p" xmlns:q="urn:q" q:x="1" y="2"><q:b p:z="3"/></p:a>`,
			"S {urn:p}a {urn:q}x=\"1\" y=\"2\" ns(p=urn:p) ns(q=urn:q)\nS {urn:q}b {urn:p}z=\"3\"\nE {urn:q}b\nE {urn:p}a\n"},
		{"default ns does not apply to attributes", `<a xmlns="urn:x" b="1"/>`, "S {urn:x}a b=\"1\" ns(=urn:x)\nE {urn:x}a\n"},
		{"xml prefix", `<a xml:lang="fr" xml:space='preserve'/>`,
			"S a {http://www.w3.org/XML/1998/namespace}lang=\"fr\" {http://www.w3.org/XML/1998/namespace}space=\"preserve\"\nE a\n"},
		{"xml prefix declared", `<a xmlns:xml="http://www.w3.org/XML/1998/namespace"/>`, "S a\nE a\n"},
		{"rebinding", `<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"/><p:c/></p:a>`,
			"S {urn:1}a ns(p=urn:1)\nS {urn:2}b ns(p=urn:2)\nE {urn:2}b\nS {urn:1}c\nE {urn:1}c\nE {urn:1}a\n"},
		{"attr normalisation", "<a v=\" x\ty\nz\r\nw\rv &#9;&#10;&#13;&lt;&amp;&gt;&quot;&apos;'\"/>",
			"S a v=\" x y z w v \\t\\n\\r<&>\\\"''\"\nE a\n"},
		{"single quoted attr with double quote", `<a v='say "hi"'/>`, "S a v=\"say \\\"hi\\\"\"\nE a\n"},
		{"char refs", `<a>&#x41;&#66;&#x1F600;&#xe9;</a>`, "S a\nC \"AB😀é\"\nE a\n"},
		{"line ends", "<a>1\r\n2\r3\n</a>", "S a\nC \"1\\n2\\n3\\n\"\nE a\n"},
		{"cdata merged", `<a>x<![CDATA[<&]]>y&amp;</a>`, "S a\nC \"x<&y&\"\nE a\n"},
		{"empty cdata", `<a><![CDATA[]]></a>`, "S a\nE a\n"},
		{"empty cdata inside text", `<a>x<![CDATA[]]>y</a>`, "S a\nC \"xy\"\nE a\n"},
		{"cdata only", "<a><![CDATA[ a]b]]c\r\n]]></a>", "S a\nC \" a]b]]c\\n\"\nE a\n"},
		{"gt in text", `<a>]>x>]]</a>`, "S a\nC \"]>x>]]\"\nE a\n"},
		{"comment splits text", `<a>x<!--c-->y</a>`, "S a\nC \"x\"\n! \"c\"\nC \"y\"\nE a\n"},
		{"comment with dash", `<a><!-- a-b - --></a>`, "S a\n! \" a-b - \"\nE a\n"},
		{"pi no data", `<a><?t?></a>`, "S a\n? t \"\"\nE a\n"},
		{"pi xml-prefixed target", `<a><?xml-stylesheet href="x"?></a>`, "S a\n? xml-stylesheet \"href=\\\"x\\\"\"\nE a\n"},
		{"whitespace in tags", "<a  b = 'c'\n></a\t>", "S a b=\"c\"\nE a\n"},
		{"non-ascii names", `<é:ü xmlns:é="urn:e" ö="1">ç</é:ü>`, "S {urn:e}ü ö=\"1\" ns(é=urn:e)\nC \"ç\"\nE {urn:e}ü\n"},
		{"same local different ns attrs", `<a xmlns:p="urn:p" p:x="1" x="2"/>`, "S a {urn:p}x=\"1\" x=\"2\" ns(p=urn:p)\nE a\n"},
		{"version 1.1 decl", `<?xml version="1.1"?><a/>`, "S a\nE a\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dump([]byte(tt.in), Options{})
			if err != nil {
				t.Fatalf("error: %v\ntokens so far:\n%s", err, got)
			}
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ in, pos, msg string }{
		{``, "1:1", "no root element"},
		{"  \n ", "2:2", "no root element"},
		{`<a>`, "1:4", "element <a> opened at 1:1 is not closed"},
		{"<a>\n</b>", "2:1", "end tag </b> does not match start tag <a> at 1:1"},
		{`<a></a><b/>`, "1:8", "content after the root element"},
		{`x<a/>`, "1:1", "character data outside the root element"},
		{`<a/>x`, "1:5", "character data outside the root element"},
		{`<!DOCTYPE a><a/>`, "1:1", "DTD not allowed"},
		{"<a>\n<!DOCTYPE a></a>", "2:1", "DTD not allowed"},
		{`<1a/>`, "1:2", "invalid element name"},
		{`< a/>`, "1:2", "invalid character ' ' after '<'"},
		{`<a b="1" b="2"/>`, "1:10", "duplicate attribute b"},
		{`<a xmlns:p="urn:x" xmlns:q="urn:x" p:b="1" q:b="2"/>`, "1:44", "attribute q:b duplicates p:b (both are {urn:x}b)"},
		{`<p:a/>`, "1:2", `prefix "p" is not bound`},
		{`<a p:b="1"/>`, "1:4", `prefix "p" is not bound`},
		{`<a xmlns:p=""/>`, "1:4", "cannot be undeclared"},
		{`<a xmlns:xml="urn:x"/>`, "1:4", "prefix xml must not be bound"},
		{`<a xmlns:x="http://www.w3.org/XML/1998/namespace"/>`, "1:4", "XML namespace must not be bound"},
		{`<a xmlns:xmlns="urn:x"/>`, "1:4", "prefix xmlns must not be declared"},
		{`<a xmlns="http://www.w3.org/2000/xmlns/"/>`, "1:4", "xmlns namespace must not be declared"},
		{`<a xmlns:p="urn:1" xmlns:p="urn:2"/>`, "1:20", "duplicate namespace declaration xmlns:p"},
		{`<a:b:c xmlns:a="urn:a"/>`, "1:2", "invalid qualified element name"},
		{`<a b="<"/>`, "1:7", "'<' not allowed in attribute value"},
		{`<a b="&x;"/>`, "1:7", "undefined entity &x;"},
		{`<a>&</a>`, "1:4", "'&' must start an entity or character reference"},
		{`<a>&#0;</a>`, "1:4", "&#0; is not an XML character"},
		{`<a>&#xD800;</a>`, "1:4", "not an XML character"},
		{`<a>&#x110000;</a>`, "1:4", "not an XML character"},
		{`<a>&#x;</a>`, "1:4", "invalid character reference"},
		{`<a>x]]>y</a>`, "1:5", "']]>' not allowed"},
		{"<a>\x01</a>", "1:4", "U+0001 is not allowed"},
		{"<a b='\x1f'/>", "1:7", "U+001F is not allowed"},
		{"<a>\uFFFE</a>", "1:4", "U+FFFE is not allowed"},
		{"<a><!-- \uFFFF --></a>", "1:9", "U+FFFF is not allowed"},
		{`<a><!-- a -- b --></a>`, "1:11", "'--' not allowed inside a comment"},
		{`<a><!-- a ---></a>`, "1:11", "'--' not allowed inside a comment"},
		{`<a><!-- a </a>`, "1:4", "unterminated comment"},
		{`<a><![CDATA[ x </a>`, "1:4", "unterminated CDATA section"},
		{`<![CDATA[x]]><a/>`, "1:1", "CDATA section outside the root element"},
		{`<a><?xml version="1.0"?></a>`, "1:4", "XML declaration allowed only at the start"},
		{` <?xml version="1.0"?><a/>`, "1:2", "XML declaration allowed only at the start"},
		{`<a><?XmL x?></a>`, "1:6", "is reserved"},
		{`<a><?p:q x?></a>`, "1:6", "invalid processing instruction target"},
		{`<?xml version="2.0"?><a/>`, "1:16", "invalid version"},
		{`<?xml encoding="UTF-8"?><a/>`, "1:7", "out of order or missing version"},
		{`<?xml version="1.0" standalone="maybe"?><a/>`, "1:33", "invalid standalone"},
		{`<?xml version="1.0" encoding="EBCDIC"?><a/>`, "1:21", "unsupported encoding"},
		{`<a b="1"c="2"/>`, "1:9", "expected white space"},
		{`<a b/>`, "1:5", "expected '=' after attribute name b"},
		{`<a b=1/>`, "1:6", "expected a quoted value"},
		{`<a b="1/>`, "1:6", "unterminated attribute value"},
		{`<a/ >`, "1:3", "expected '>' after '/'"},
		{`<a></a x>`, "1:8", "expected '>' to end the end tag"},
		{"<a>\n\n  <b>\xe8</b></a>", "3:6", "invalid UTF-8 byte 0xE8"},
		{`<a xmlns:é="urn:x"><é:b/></a x>`, "1:30", "expected '>'"},
		{`</a>`, "1:1", "end tag outside the root element"},
		{`<a><b></a></b>`, "1:7", "end tag </a> does not match start tag <b> at 1:4"},
		{`<xmlns:a/>`, "1:2", "prefix xmlns is reserved"},
		{`<a>&#x41</a>`, "1:4", "'&' must start"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := dump([]byte(tt.in), Options{File: "f.xml"})
			var xe *Error
			if !errors.As(err, &xe) {
				t.Fatalf("got %v, want *Error", err)
			}
			want := "f.xml:" + tt.pos + ": "
			if !strings.HasPrefix(err.Error(), want) || !strings.Contains(xe.Msg, tt.msg) {
				t.Errorf("got %q, want %q...%q", err, want, tt.msg)
			}
		})
	}
}

func TestDepthLimit(t *testing.T) {
	in := strings.Repeat("<a>", 5) + strings.Repeat("</a>", 5)
	if _, err := dump([]byte(in), Options{MaxDepth: 5}); err != nil {
		t.Fatalf("depth 5 with MaxDepth 5: %v", err)
	}
	_, err := dump([]byte(in), Options{MaxDepth: 4})
	if err == nil || !strings.Contains(err.Error(), "1:13: element nesting deeper than 4") {
		t.Fatalf("got %v", err)
	}
	deep := strings.Repeat("<a>", 300)
	if _, err := dump([]byte(deep), Options{}); err == nil || !strings.Contains(err.Error(), "deeper than 256") {
		t.Fatalf("default depth: got %v", err)
	}
}

func TestEncodings(t *testing.T) {
	latin1 := []byte("<?xml version='1.0' encoding='ISO-8859-1'?><a b='\xe9'>caf\xe9</a>")
	got, err := dump(latin1, Options{})
	if err != nil || got != "S a b=\"é\"\nC \"café\"\nE a\n" {
		t.Errorf("latin1: %q %v", got, err)
	}
	cp := []byte("<?xml version='1.0' encoding='windows-1252'?><a>\x80\x93x\x94</a>")
	got, err = dump(cp, Options{})
	if err != nil || got != "S a\nC \"€“x”\"\nE a\n" {
		t.Errorf("cp1252: %q %v", got, err)
	}
	u16 := []byte{0xFF, 0xFE}
	for _, r := range "<a>é😀</a>" {
		if r > 0xFFFF {
			r -= 0x10000
			hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
			u16 = append(u16, byte(hi), byte(hi>>8), byte(lo), byte(lo>>8))
			continue
		}
		u16 = append(u16, byte(r), byte(r>>8))
	}
	got, err = dump(u16, Options{})
	if err != nil || got != "S a\nC \"é😀\"\nE a\n" {
		t.Errorf("utf16: %q %v", got, err)
	}
	ascii := []byte("<?xml version='1.0' encoding='US-ASCII'?><a>\xc3\xa9</a>")
	if _, err = dump(ascii, Options{}); err == nil || !strings.Contains(err.Error(), "1:45: byte 0xC3 in a document declared US-ASCII") {
		t.Errorf("ascii: %v", err)
	}
	if _, err = dump([]byte("<\x00a\x00/\x00>\x00"), Options{}); err == nil {
		t.Error("UTF-16 without BOM accepted")
	}
}

func TestLenientLatin1(t *testing.T) {
	in := []byte("<a>\n <b x='\xe8'>M\xe9decin \xc3\xa9</b></a>")
	if _, err := dump(in, Options{}); err == nil || !strings.Contains(err.Error(), "2:8: invalid UTF-8 byte 0xE8") {
		t.Fatalf("strict: %v", err)
	}
	d := NewDecoder(in, Options{Lenient: true})
	var text []string
	eachToken(t, d.Next, func(tok Token) {
		if tok.Kind == StartElement && tok.Name.Local == "b" {
			text = append(text, tok.Attrs[0].Value)
		}
		if tok.Kind == CharData {
			text = append(text, string(tok.Text))
		}
	})
	if got := strings.Join(text, "|"); got != "\n |è|Médecin é" {
		t.Errorf("text %q", got)
	}
	w := d.Warnings()
	if len(w) != 2 || w[0].Line != 2 || w[0].Col != 8 || w[1].Col != 12 || !strings.Contains(w[0].Msg, "0xE8") {
		t.Errorf("warnings %v", w)
	}
}

// TestWarningNamesFile: a warning is positioned as an error is, with the
// decoder's file name ("<input>" when Options.File is empty).
func TestWarningNamesFile(t *testing.T) {
	in := []byte("<r a='\xe8'/>")
	for file, want := range map[string]string{"resp.xml": "resp.xml:1:7: ", "": "<input>:1:7: "} {
		d := NewDecoder(in, Options{Lenient: true, File: file})
		eachToken(t, d.Next, func(Token) {})
		if w := d.Warnings(); len(w) != 1 || w[0].File != d.File() || !strings.HasPrefix(w[0].String(), want) {
			t.Errorf("File %q: warnings %v, want the prefix %q", file, w, want)
		}
	}
}

func TestPositionsCountCharacters(t *testing.T) {
	d := NewDecoder([]byte("<a>\r\nééé\r\r\n<b/></a>"), Options{})
	for {
		tok, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		if tok.Kind == StartElement && tok.Name.Local == "b" {
			if l, c := d.Position(tok.Offset); l != 4 || c != 1 {
				t.Errorf("b at %d:%d, want 4:1", l, c)
			}
			break
		}
	}
	if l, c := d.Position(8); l != 2 || c != 3 { // second é
		t.Errorf("offset 8 at %d:%d, want 2:3", l, c)
	}
}

func TestResolveQNameAndLookup(t *testing.T) {
	d := NewDecoder([]byte(`<a xmlns="urn:d" xmlns:p="urn:p"><b xmlns:p="urn:q" t=" p:x "/></a>`), Options{File: "q.xml"})
	d.Next()
	tok, _ := d.Next()
	n, err := d.ResolveQName(tok.Attrs[0].Value)
	if err != nil || n != (Name{"urn:q", "x"}) {
		t.Errorf("p:x -> %v %v", n, err)
	}
	if n, _ := d.ResolveQName("y"); n != (Name{"urn:d", "y"}) {
		t.Errorf("y -> %v", n)
	}
	if u, ok := d.LookupNS("xml"); !ok || u != XMLNamespace {
		t.Error("xml prefix not bound")
	}
	if _, err := d.ResolveQName("z:y"); err == nil || !strings.HasPrefix(err.Error(), "q.xml:1:34: ") {
		t.Errorf("unbound: %v", err)
	}
	if _, err := d.ResolveQName("p:"); err == nil {
		t.Error("p: accepted")
	}
	d.Next() // End b
	if u, _ := d.LookupNS("p"); u != "urn:q" {
		t.Errorf("at </b>, p = %q (the element's bindings apply to its end tag)", u)
	}
	d.Next() // End a
	if u, _ := d.LookupNS("p"); u != "urn:p" {
		t.Errorf("at </a>, p = %q", u)
	}
	if d.Depth() != 0 {
		t.Errorf("depth %d", d.Depth())
	}
}

func TestReadTextSkipUnknown(t *testing.T) {
	in := `<r><t>a&amp;<!--c-->b<![CDATA[<c>]]></t><u><x><y/></x>tail</u><v>no<w/></v></r>`
	d := NewDecoder([]byte(in), Options{File: "t.xml"})
	d.Next()
	start, _ := d.Next()
	s, err := d.ReadText(start)
	if err != nil || s != "a&b<c>" {
		t.Fatalf("ReadText %q %v", s, err)
	}
	u, _ := d.Next()
	if err := d.UnknownElement(Name{Local: "r"}, u); err == nil || err.Error() != "t.xml:1:41: unexpected element u in r" {
		t.Fatalf("strict UnknownElement: %v", err)
	}
	if err := d.Skip(); err != nil {
		t.Fatal(err)
	}
	v, _ := d.Next()
	if v.Name.Local != "v" {
		t.Fatalf("after Skip: %v", v.Name)
	}
	if _, err := d.ReadText(v); err == nil || err.Error() != "t.xml:1:68: element w not allowed in the simple content of v" {
		t.Fatalf("ReadText child: %v", err)
	}

	d = NewDecoder([]byte(`<r a="1" z:b="2" xmlns:z="urn:z"><u><x/></u><v/></r>`), Options{Lenient: true})
	r, _ := d.Next()
	if err := d.UnknownAttr(r, r.Attrs[1]); err != nil {
		t.Fatal(err)
	}
	u, _ = d.Next()
	if err := d.UnknownElement(r.Name, u); err != nil {
		t.Fatal(err)
	}
	v, _ = d.Next()
	if v.Name.Local != "v" || len(d.Warnings()) != 2 {
		t.Fatalf("lenient: %v %v", v.Name, d.Warnings())
	}
	if w := d.Warnings()[0]; w.Col != 10 || !strings.Contains(w.Msg, "{urn:z}b on r") {
		t.Errorf("warning %v", w)
	}
	d = NewDecoder([]byte(`<r a="1" b="2"/>`), Options{File: "s.xml"})
	r, _ = d.Next()
	if err := d.UnknownAttr(r, r.Attrs[1]); err == nil || err.Error() != "s.xml:1:10: unexpected attribute b on r" {
		t.Errorf("strict UnknownAttr: %v", err)
	}
}

func TestNextElementOrEnd(t *testing.T) {
	d := NewDecoder([]byte("<a>\n <!--x--> <?p?> <b/> t </a>"), Options{})
	var got []string
	eachToken(t, d.NextElementOrEnd, func(tok Token) { got = append(got, tokenLine(tok)) })
	if s := strings.Join(got, ";"); s != `S a;S b;E b;C " t ";E a` {
		t.Errorf("got %s", s)
	}
}

// TestNextElementOrEndSpace checks that white space skipped without making
// a token (skipSpaceText) is skipped exactly when Next would return it as a
// whole token, and that limits and positions stay those of Next.
func TestNextElementOrEndSpace(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"<a> \r\n\t<b> </b>\n</a>", `S a;S b;E b;E a`},
		{"<a> <![CDATA[x]]> <b/></a>", `S a;C " x ";S b;E b;E a`},
		{"<a> <![CDATA[]]> <b/></a>", `S a;S b;E b;E a`},
		{"<a>  t  <b/> &amp; </a>", `S a;C "  t  ";S b;E b;C " & ";E a`},
		{"<a><b/>  </a>  ", `S a;S b;E b;E a`},
	} {
		d := NewDecoder([]byte(c.in), Options{})
		var got []string
		eachToken(t, d.NextElementOrEnd, func(tok Token) { got = append(got, tokenLine(tok)) })
		if s := strings.Join(got, ";"); s != c.want {
			t.Errorf("%q: got %s, want %s", c.in, s, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		opts Options
		want string
	}{
		{"<a>\n      <b/></a>", Options{MaxTextLen: 4}, "<input>:1:4: character data of 7 bytes is longer than 4 (limit Options.MaxTextLen)"},
		{"<a>\n  \n  </c></a>", Options{}, "<input>:3:3: end tag </c> does not match start tag <a> at 1:1"},
		{"<a>\n  ", Options{}, "<input>:2:3: unexpected end of input: element <a> opened at 1:1 is not closed"},
		{"<a>\n \x01<b/></a>", Options{}, "<input>:2:2: character U+0001 is not allowed in XML"},
	} {
		d := NewDecoder([]byte(c.in), c.opts)
		var err error
		for err == nil {
			_, err = d.NextElementOrEnd()
		}
		if err.Error() != c.want {
			t.Errorf("%q: got %v, want %s", c.in, err, c.want)
		}
	}
}

// TestElementNamespaceMemo checks the memo of the last element prefix
// resolved (Decoder.elemNS) across rebinding and the end of scopes.
func TestElementNamespaceMemo(t *testing.T) {
	in := `<p:a xmlns:p="u1" xmlns="d1"><p:b xmlns:p="u2"><e xmlns=""/><f/><p:c/></p:b><p:d/><g/></p:a>`
	got, err := dump([]byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range strings.Split(got, "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "S" {
			names = append(names, f[1])
		}
	}
	want := "{u1}a {u2}b e {d1}f {u2}c {u1}d {d1}g"
	if s := strings.Join(names, " "); s != want {
		t.Errorf("got %s, want %s", s, want)
	}
}

// TestReadTextPlain checks that ReadText, whose plain-text path reads the
// text and the end tag in one step, gives what the tokens give: the same
// text, the same error, the same decoder state after it.
func TestReadTextPlain(t *testing.T) {
	for _, c := range []struct {
		in   string
		opts Options
	}{
		{"<r><a>v 1</a><z/></r>", Options{}},
		{"<r><a></a><z/></r>", Options{}},
		{"<r><a/><z/></r>", Options{}},
		{"<r><a>é</a ><z/></r>", Options{}},
		{"<r><a>x]y</a><z/></r>", Options{}},
		{"<r><a>x &amp; y</a><z/></r>", Options{}},
		{"<r><a>x\r\ny</a><z/></r>", Options{}},
		{"<r><a>x<![CDATA[<]]>y</a><z/></r>", Options{}},
		{"<r><a>x<!--c-->y</a><z/></r>", Options{}},
		{"<r><a>xy</b><z/></r>", Options{}},
		{"<r><a>xy</a", Options{}},
		{"<r><a>xy", Options{}},
		{"<r><a>12345</a><z/></r>", Options{MaxTextLen: 4}},
		{"<r><a>x<b/></a></r>", Options{}},
	} {
		want := readTextByTokens(c.in, c.opts)
		d := NewDecoder([]byte(c.in), c.opts)
		d.Next()
		a, _ := d.Next()
		got, err := d.ReadText(a)
		g := fmt.Sprintf("%q %v", got, err)
		if err == nil {
			next, err := d.Next()
			g += fmt.Sprintf(" %d %s %v", d.Depth(), tokenLine(next), err)
		}
		if g != want {
			t.Errorf("%q: ReadText gives %s, tokens give %s", c.in, g, want)
		}
	}
}

// readTextByTokens reads the text of the second element of in with Next.
func readTextByTokens(in string, opts Options) string {
	d := NewDecoder([]byte(in), opts)
	d.Next()
	d.Next()
	var text string
	for {
		tok, err := d.Next()
		if err != nil {
			return fmt.Sprintf("%q %v", "", err)
		}
		switch tok.Kind {
		case CharData:
			text += string(tok.Text)
			continue
		case StartElement:
			return fmt.Sprintf("%q %v", "", d.Errorf(tok.Offset, "element %s not allowed in the simple content of a", tok.Name))
		case EndElement:
		default:
			continue
		}
		next, err := d.Next()
		return fmt.Sprintf("%q %v %d %s %v", text, nil, d.Depth(), tokenLine(next), err)
	}
}

// domString renders every string of a DOM subtree.
func domString(e *Element) string {
	s := fmt.Sprintf("<%s %s %v %v>", e.Name, e.Prefix, e.NS, e.Attrs)
	for _, c := range e.Children {
		if el, ok := c.(*Element); ok {
			s += domString(el)
		} else {
			s += fmt.Sprintf("%#v", c)
		}
	}
	return s
}

func TestTokenStringsStayValid(t *testing.T) {
	in := []byte(`<?pi x?><p:a xmlns:p="urn:p" x="v1"><b y="v&amp;2">t1</b><c>t&amp;2</c><!--k--></p:a>`)
	d := NewDecoder(in, Options{})
	var keep []string
	for {
		tok, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		keep = append(keep, tok.Name.Space, tok.Name.Local, tok.Prefix)
		for _, a := range tok.Attrs {
			keep = append(keep, a.Name.Local, a.Value)
		}
		for _, n := range tok.NS {
			keep = append(keep, n.Prefix, n.URI)
		}
		if tok.Kind == StartElement && tok.Name.Local != "a" {
			s, err := d.ReadText(tok)
			if err != nil {
				t.Fatal(err)
			}
			keep = append(keep, s)
		}
	}
	dd := NewDecoder(in, Options{})
	root, err := dd.NextElementOrEnd()
	if err != nil {
		t.Fatal(err)
	}
	dom, err := dd.ReadElement(root)
	if err != nil {
		t.Fatal(err)
	}
	before := domString(dom)
	for i := range in {
		in[i] = 'X' // the strings handed out do not share the input
	}
	want := ",pi,,urn:p,a,p,x,v1,p,urn:p,,b,,y,v&2,t1,,c,,t&2,,,,urn:p,a,p"
	if got := strings.Join(keep, ","); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if after := domString(dom); after != before {
		t.Errorf("DOM changed with the input: %s, was %s", after, before)
	}
}

func TestXSITypeAndNil(t *testing.T) {
	in := `<r xmlns="urn:d" xmlns:h="urn:h" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<a xsi:type="h:CE" xsi:nil="true"/><b xsi:type="CD" xsi:nil=" 0 "/><c xsi:type="z:X"/><d xsi:nil="yes"/><e/></r>`
	d := NewDecoder([]byte(in), Options{File: "x.xml"})
	d.Next()
	var got []string
	eachToken(t, d.Next, func(tok Token) {
		if tok.Kind != StartElement {
			return
		}
		typ, hasType, terr := d.XSIType(tok)
		isNil, nerr := d.XSINil(tok)
		got = append(got, fmt.Sprintf("%s %v %v %v %v %v", tok.Name.Local, typ, hasType, terr, isNil, nerr))
	})
	want := []string{
		"a {urn:h}CE true <nil> true <nil>",
		"b {urn:d}CD true <nil> false <nil>",
		`c  true x.xml:1:158: xsi:type "z:X": QName "z:X": prefix "z" is not bound false <nil>`,
		`d  false <nil> false x.xml:1:177: invalid xsi:nil "yes"`,
		"e  false <nil> false <nil>",
	}
	if diff := firstDiff(want, got); diff != "" {
		t.Error(diff)
	}
}

func TestRawSubtree(t *testing.T) {
	in := "<r><s:a xmlns:s='u'>x<b/></s:a>\n</r>"
	d := NewDecoder([]byte(in), Options{})
	d.Next()
	tok, _ := d.Next()
	if err := d.Skip(); err != nil {
		t.Fatal(err)
	}
	if got := string(d.Bytes(tok.Offset, d.InputOffset())); got != "<s:a xmlns:s='u'>x<b/></s:a>" {
		t.Errorf("raw %q", got)
	}
	if d.Bytes(5, 2) != nil || len(d.Bytes(-1, 1000)) != len(in) {
		t.Error("Bytes bounds")
	}
}

// TestCanonical: after Canonical, later tokens of the same element name hold
// the given strings (same pointers), with the same content; a name that is
// not the last StartElement's changes nothing.
func TestCanonical(t *testing.T) {
	d := NewDecoder([]byte(`<p:a xmlns:p="urn:x"><p:b/><p:b/><p:c/></p:a>`), Options{})
	b := secondToken(t, d)
	// Equal to b's name, but other strings.
	lit := Name{Space: string([]byte("urn:x")), Local: string([]byte("b"))}
	d.Canonical(Name{Space: "urn:x", Local: "zz"}) // not its name: no effect
	d.Canonical(lit)
	var names []Name
	for {
		tok, err := d.Next()
		if err != nil {
			break
		}
		if tok.Kind == StartElement || tok.Kind == EndElement {
			names = append(names, tok.Name)
		}
	}
	// </p:b> <p:b> </p:b> <p:c> </p:c> </p:a>
	if len(names) != 6 {
		t.Fatalf("%d names: %v", len(names), names)
	}
	same := func(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }
	for i, n := range names[:3] {
		if n != lit || !same(n.Local, lit.Local) || !same(n.Space, lit.Space) {
			t.Errorf("token %d: %v, want the canonical strings of %v", i, n, lit)
		}
	}
	if c := names[3]; c.Local != "c" || !same(c.Space, lit.Space) || same(b.Name.Space, lit.Space) {
		t.Errorf("<p:c> is %v: its namespace should be the canonical string, the first <p:b>'s not", c)
	}
	if names[5] != (Name{"urn:x", "a"}) {
		t.Errorf("</p:a> is %v", names[5])
	}
}

// secondToken reads the first two tokens of d and returns the second.
func secondToken(t *testing.T, d *Decoder) Token {
	t.Helper()
	if _, err := d.Next(); err != nil {
		t.Fatal(err)
	}
	b, err := d.Next()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCanonicalAttr checks that after CanonicalAttr the decoder hands out
// the given local name's string for that attribute name, in the current
// token and the later ones, and nothing else changes.
func TestCanonicalAttr(t *testing.T) {
	d := NewDecoder([]byte(`<a><b x="1" y="2"/><b y="3" x="4"/><c x="5"/></a>`), Options{})
	b := secondToken(t, d)
	lit := Name{Local: string([]byte("x"))}
	same := func(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }
	d.CanonicalAttr(1, lit)                              // y, not x: no effect
	d.CanonicalAttr(5, lit)                              // no such attribute: no effect
	d.CanonicalAttr(0, Name{Space: "urn:z", Local: "x"}) // other namespace: no effect
	if same(b.Attrs[0].Name.Local, lit.Local) || same(b.Attrs[1].Name.Local, lit.Local) {
		t.Fatal("CanonicalAttr changed a name it does not name")
	}
	d.CanonicalAttr(0, lit)
	if !same(b.Attrs[0].Name.Local, lit.Local) {
		t.Errorf("x of the current token: not the canonical string")
	}
	var xs []Attr
	for {
		tok, err := d.Next()
		if err != nil {
			break
		}
		if tok.Kind == StartElement {
			xs = append(xs, tok.Attrs...)
		}
	}
	want := []Attr{{Name{Local: "y"}, "3"}, {Name{Local: "x"}, "4"}, {Name{Local: "x"}, "5"}}
	if len(xs) != len(want) {
		t.Fatalf("attributes %v, want %v", xs, want)
	}
	for i, a := range xs {
		if a != want[i] {
			t.Errorf("attribute %d: %v, want %v", i, a, want[i])
		}
		if a.Name.Local == "x" && !same(a.Name.Local, lit.Local) {
			t.Errorf("attribute %d: x is not the canonical string", i)
		}
	}
}
