package xmltext

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

var fuzzSeeds = []string{
	`<a/>`,
	`<?xml version="1.0" encoding="UTF-8"?><!--c--><a b="1" xmlns="urn:x"><b xmlns="">t&amp;&#x41;<![CDATA[<>]]></b><?p d?></a>`,
	`<p:a xmlns:p="urn:p" xmlns:q="urn:q" q:x="1" y="2"><q:b p:z="3" xsi:type="p:T" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></p:a>`,
	"<a v=\" x\ty\nz\r\nw\"> \r\n</a>",
	`<a xml:lang="fr"><b xmlns:p="urn:1"><p:c xmlns:p="urn:2"/></b></a>`,
	`<!DOCTYPE a><a/>`,
	`<a><b></a>`,
	"<a>\xe8</a>",
	"\xef\xbb\xbf<a>é</a>",
	`<?xml version="1.0" encoding="ISO-8859-1"?><a>` + "\xe9</a>",
	`<a b="&lt;&quot;" c='"'>]]&gt;</a>`,
	`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x xmlns="urn:hl7-org:v3"><id root="1.2"/></x></s:Body></s:Envelope>`,
}

// addSeeds adds the static seeds and, when the kit is present, a few kit examples.
func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	if kit := testenv.KitDir(); kit != "" {
		files, _ := filepath.Glob(filepath.Join(kit, "dmp/examples/messages-v02.05.00/*_reponse.xml"))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil && len(data) < 16<<10 {
				f.Add(data)
			}
		}
	}
}

// FuzzDecoder: no panic, every error positioned and sticky, strict and
// lenient; on valid UTF-8 both modes give the same tokens or error.
func FuzzDecoder(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if utf8.Valid(data) && !bytes.Contains(data, []byte("encoding")) {
			strict, serr := dump(data, Options{})
			lenient, lerr := dump(data, Options{Lenient: true})
			if strict != lenient || fmt.Sprint(serr) != fmt.Sprint(lerr) {
				t.Fatalf("strict and lenient differ on valid UTF-8:\n%s%v\n--\n%s%v", strict, serr, lenient, lerr)
			}
		}
		for _, lenient := range []bool{false, true} {
			d := NewDecoder(data, Options{Lenient: lenient, MaxDepth: 64})
			for i := 0; ; i++ {
				tok, err := d.Next()
				if err == io.EOF {
					if d.Depth() != 0 {
						t.Fatalf("EOF at depth %d", d.Depth())
					}
					break
				}
				if err != nil {
					var xe *Error
					if !errors.As(err, &xe) || xe.Line < 1 || xe.Col < 1 {
						t.Fatalf("error %v (%T) is not positioned", err, err)
					}
					if _, err2 := d.Next(); err2 != err {
						t.Fatalf("error not sticky: %v then %v", err, err2)
					}
					break
				}
				if tok.Kind == StartElement && i%3 == 1 {
					if _, err := d.ReadElement(tok); err != nil {
						break
					}
				}
			}
		}
	})
}

// FuzzRoundTrip: a well-formed document's root read into a DOM and written
// back re-parses to the same canonical token sequence.
func FuzzRoundTrip(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := dump(data, Options{}); err == nil {
			checkRoundTrip(t, data)
		}
	})
}

// checkRoundTrip checks that the root of the well-formed document data,
// read into a DOM and written back, re-parses to the same canonical tokens.
func checkRoundTrip(t testing.TB, data []byte) {
	t.Helper()
	var want []string
	err := subtrees(kitDoc{"in", data}, 1, func(d *Decoder, tok Token) error {
		var err error
		want, err = canonFrom(d, tok)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = subtrees(kitDoc{"in", data}, 1, func(d *Decoder, tok Token) error {
		el, err := d.ReadElement(tok)
		if err != nil {
			return err
		}
		e := NewEncoder(&out)
		e.WriteElement(el)
		return e.Finish()
	})
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	d := NewDecoder(out.Bytes(), Options{File: "out"})
	tok, err := d.Next()
	if err != nil {
		t.Fatalf("re-parse %q: %v", out.Bytes(), err)
	}
	got, err := canonFrom(d, tok)
	if err != nil {
		t.Fatalf("re-parse %q: %v", out.Bytes(), err)
	}
	if diff := firstDiff(want, got); diff != "" {
		t.Fatalf("%s\ninput  %q\noutput %q", diff, data, out.Bytes())
	}
}

// FuzzDiffEncodingXML compares the token stream with encoding/xml's for
// documents both accept. Intentional differences, normalised here:
//   - whitespace outside the root and the XML declaration are not tokens;
//   - namespace declarations are in Token.NS, not in Attrs;
//   - attribute values are normalised (encoding/xml does not do XML 1.0
//     §3.3.3 normalisation), so tab, LF and CR compare as spaces;
//   - comment and PI text have their line ends normalised;
//   - adjacent character data (CDATA sections) is merged, and empty CDATA
//     sections make no token.
//
// We reject more: DOCTYPE, unbound prefixes, content after the root, several
// roots, undeclared entities, reserved prefixes misuse; such inputs are not
// compared.
func FuzzDiffEncodingXML(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ours, err := dump(data, Options{})
		if err != nil {
			return
		}
		theirs, ok := stdTokens(data)
		if !ok {
			return
		}
		if got := normOurs(ours); got != theirs {
			t.Fatalf("token streams differ for %q\nours:\n%s\nencoding/xml:\n%s", data, got, theirs)
		}
	})
}

var attrNorm = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
var lineNorm = strings.NewReplacer("\r\n", "\n", "\r", "\n")

func normOurs(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if strings.HasPrefix(line, "S ") {
			// drop ns(...) markers and normalise attribute whitespace escapes
			if i := strings.Index(line, " ns("); i >= 0 {
				line = line[:i] + "\n"
			}
			line = strings.NewReplacer(`\t`, " ", `\n`, " ", `\r`, " ").Replace(line)
		}
		b.WriteString(line)
	}
	return b.String()
}

func stdTokens(data []byte) (string, bool) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var b strings.Builder
	depth := 0
	var text []byte
	inText := false
	flush := func() {
		if inText && len(text) > 0 { // empty CDATA sections make no token
			fmt.Fprintf(&b, "C %q\n", text)
		}
		text, inText = text[:0], false
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			flush()
			return b.String(), depth == 0
		}
		if err != nil {
			return "", false
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			flush()
			depth++
			s := "S " + stdName(tok.Name)
			for _, a := range tok.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				s += fmt.Sprintf(" %s=%q", stdName(a.Name), attrNorm.Replace(a.Value))
			}
			s = strings.NewReplacer(`\t`, " ", `\n`, " ", `\r`, " ").Replace(s)
			b.WriteString(s + "\n")
		case xml.EndElement:
			flush()
			depth--
			b.WriteString("E " + stdName(tok.Name) + "\n")
		case xml.CharData:
			if depth > 0 {
				text = append(text, tok...)
				inText = true
			}
		case xml.Comment:
			flush()
			fmt.Fprintf(&b, "! %q\n", lineNorm.Replace(string(tok)))
		case xml.ProcInst:
			if tok.Target == "xml" {
				continue
			}
			flush()
			inst := strings.TrimLeft(lineNorm.Replace(string(tok.Inst)), " \t\n")
			fmt.Fprintf(&b, "? %s %q\n", tok.Target, inst)
		case xml.Directive:
			return "", false
		}
	}
}

func stdName(n xml.Name) string { return Name{Space: n.Space, Local: n.Local}.String() }

// encoderOps drives an encoder with the operations coded in ops and returns
// its output and the tokens the output must decode to; ok is false when the
// encoder reported an error (which it may, for conflicting requests).
func encoderOps(ops []byte) (out []byte, want []string, ok bool) {
	spaces := []string{"", "urn:a", "urn:b", XMLNamespace, "urn:c"}
	locals := []string{"a", "b", "c", "lang", "é"}
	var buf bytes.Buffer
	e := NewEncoder(&buf)
	attrs := map[Name]bool{}
	for i := 0; i+1 < len(ops); i += 2 {
		n := Name{spaces[int(ops[i+1])%len(spaces)], locals[int(ops[i+1]/8)%len(locals)]}
		switch ops[i] % 8 {
		case 0:
			if n.Space == XMLNamespace || e.Depth() == 0 && e.roots > 0 {
				continue
			}
			e.Start(n)
			want = append(want, "S "+n.String())
			attrs = map[Name]bool{}
		case 1:
			if e.Depth() == 0 || attrs[n] || !e.open {
				continue
			}
			e.Attr(n, "v")
			attrs[n] = true
			want[len(want)-1] += fmt.Sprintf(" %s=%q", n, "v")
		case 2:
			if e.Depth() > 0 {
				e.Text("t")
				if last := len(want) - 1; strings.HasPrefix(want[last], "C ") {
					want[last] = want[last][:len(want[last])-1] + `t"` // adjacent text is one token
				} else {
					want = append(want, `C "t"`)
				}
			}
		case 3:
			if e.Depth() > 0 {
				e.End()
				want = append(want, "E")
			}
		case 4:
			if e.open && !attrs[Name{"urn:q", "qn"}] {
				e.Attr(Name{"urn:q", "qn"}, e.QName(n))
				attrs[Name{"urn:q", "qn"}] = true
				want[len(want)-1] += fmt.Sprintf(" {urn:q}qn=%q", n)
			}
		case 5:
			if e.open && n.Space != XMLNamespace {
				e.DeclareNS(n.Local[:1], n.Space)
			}
		case 6:
			e.PreferPrefix(n.Space, n.Local)
		case 7:
			if e.open {
				e.DeclareNS("", n.Space)
			}
		}
	}
	for e.Depth() > 0 && e.Err() == nil {
		e.End()
		want = append(want, "E")
	}
	if e.Err() != nil || e.roots == 0 || e.Flush() != nil {
		return nil, nil, false
	}
	return buf.Bytes(), want, true
}

// FuzzEncoder drives the encoder with arbitrary operations: whenever it
// reports no error, its output is well-formed and namespace-correct, and
// re-parses to the requested names, values and QName values.
func FuzzEncoder(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 0, 4, 3, 3})
	f.Add([]byte{6, 0, 5, 0, 9, 1, 2, 12, 3, 3})
	f.Add([]byte{0, 0, 0, 13, 1, 3, 0, 7, 3, 3, 3})
	f.Fuzz(func(t *testing.T, ops []byte) {
		out, want, ok := encoderOps(ops)
		if !ok {
			return
		}
		d := NewDecoder(out, Options{})
		var got []string
		for {
			tok, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("output %q does not parse: %v", out, err)
			}
			switch tok.Kind {
			case StartElement:
				s := "S " + tok.Name.String()
				for _, a := range tok.Attrs {
					v := a.Value
					if a.Name == (Name{"urn:q", "qn"}) {
						r, err := d.ResolveQName(v)
						if err != nil {
							t.Fatalf("output %q: QName value: %v", out, err)
						}
						v = r.String()
					}
					s += fmt.Sprintf(" %s=%q", a.Name, v)
				}
				got = append(got, s)
			case EndElement:
				got = append(got, "E")
			case CharData:
				got = append(got, fmt.Sprintf("C %q", tok.Text))
			}
		}
		if diff := firstDiff(want, got); diff != "" {
			t.Fatalf("%s\noutput %q", diff, out)
		}
	})
}

// TestEncoderOutputXmllint checks with xmllint the output of 300
// pseudo-random encoder operation sequences.
func TestEncoderOutputXmllint(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	dir := t.TempDir()
	rnd := rand.New(rand.NewPCG(1, 2))
	var files []string
	for i := 0; len(files) < 300 && i < 10000; i++ {
		ops := make([]byte, 2+rnd.IntN(60))
		for j := range ops {
			ops[j] = byte(rnd.IntN(256))
		}
		out, _, ok := encoderOps(ops)
		if !ok {
			continue
		}
		f := filepath.Join(dir, fmt.Sprintf("%03d.xml", len(files)))
		if err := os.WriteFile(f, out, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) < 300 {
		t.Fatalf("only %d successful sequences", len(files))
	}
	// xmllint exits 0 on namespace errors: any output is a failure.
	if out, err := exec.Command(xmllint, append([]string{"--noout", "--nonet"}, files...)...).CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}

// FuzzFastPaths: NextElementOrEnd and ReadText, which step over white
// space, scan tags and read plain text without going through Next, give the
// tokens, texts and errors that Next gives on the same input.
func FuzzFastPaths(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range []Options{{}, {MaxTextLen: 8, MaxDepth: 16}} {
			fast := walkFast(NewDecoder(data, opts))
			ref := walkRef(NewDecoder(data, opts))
			if fast != ref {
				t.Fatalf("%+v: fast paths:\n%s\nNext:\n%s", opts, fast, ref)
			}
		}
	})
}

// walkFast reads d with NextElementOrEnd, calling ReadText on every other
// StartElement, and renders what it got.
func walkFast(d *Decoder) string {
	var b strings.Builder
	for i := 0; ; i++ {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			fmt.Fprintf(&b, "error %v\n", err)
			return b.String()
		}
		fmt.Fprintf(&b, "%d %s\n", tok.Offset, tokenLine(tok))
		if tok.Kind == StartElement && i%2 == 1 {
			s, err := d.ReadText(tok)
			if err != nil {
				fmt.Fprintf(&b, "error %v\n", err)
				return b.String()
			}
			fmt.Fprintf(&b, "text %q %d\n", s, d.Depth())
		}
	}
}

// walkRef is walkFast with Next alone.
func walkRef(d *Decoder) string {
	var b strings.Builder
	for i := 0; ; {
		tok, err := d.Next()
		if err != nil {
			fmt.Fprintf(&b, "error %v\n", err)
			return b.String()
		}
		if tok.Kind == Comment || tok.Kind == ProcInst || tok.Kind == CharData && isSpace(tok.Text) {
			continue
		}
		fmt.Fprintf(&b, "%d %s\n", tok.Offset, tokenLine(tok))
		if tok.Kind == StartElement && i%2 == 1 {
			text, err := readTextRef(d, tok)
			if err != nil {
				fmt.Fprintf(&b, "error %v\n", err)
				return b.String()
			}
			fmt.Fprintf(&b, "text %q %d\n", text, d.Depth())
		}
		i++
	}
}

// readTextRef is ReadText with Next alone.
func readTextRef(d *Decoder, start Token) (string, error) {
	var text []byte
	for {
		tok, err := d.Next()
		if err != nil {
			return "", err
		}
		switch tok.Kind {
		case CharData:
			text = append(text, tok.Text...)
		case StartElement:
			return "", d.Errorf(tok.Offset, "element %s not allowed in the simple content of %s", tok.Name, start.Name)
		case EndElement:
			return string(text), nil
		}
	}
}
