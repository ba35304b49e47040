package xmltext

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

type kitDoc struct {
	name string
	data []byte
}

// latin1Samples are the official VIHF samples that contain byte 0xE8 without
// an encoding declaration (docs/kit-defects.md#vihf-samples): strict mode must reject them with
// a positioned error, Lenient mode must read them with a warning.
var latin1Samples = map[string]bool{
	"dmp/examples/messages-v02.05.00/vihf/VIHF_DIRECTE_non-signe.xml": true,
	"dmp/examples/messages-v02.05.00/vihf/VIHF_DIRECTE_signe.xml":     true,
}

// kitExamples returns every XML example of the kit. The MIME package
// TD2.1_Alimentation_requete.xml is split into its XML parts.
func kitExamples(t *testing.T) []kitDoc {
	t.Helper()
	kit := testenv.Kit(t)
	var docs []kitDoc
	for _, dir := range []string{"dmp/examples", "ihe/xds-b/examples"} {
		err := filepath.WalkDir(filepath.Join(kit, dir), func(path string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(path, ".xml") {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(kit, path)
			rel = filepath.ToSlash(rel)
			if bytes.HasPrefix(data, []byte("--")) {
				parts, err := mimeParts(data)
				if err != nil {
					return fmt.Errorf("%s: %w", rel, err)
				}
				for i, p := range parts {
					docs = append(docs, kitDoc{fmt.Sprintf("%s#part%d", rel, i+1), p})
				}
				return nil
			}
			docs = append(docs, kitDoc{rel, data})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(docs) < 60 {
		t.Fatalf("found %d kit examples, want at least 60", len(docs))
	}
	return docs
}

func mimeParts(data []byte) ([][]byte, error) {
	line, _, _ := bufio.NewReader(bytes.NewReader(data)).ReadLine()
	boundary := strings.TrimPrefix(strings.TrimSpace(string(line)), "--")
	r := multipart.NewReader(bytes.NewReader(data), boundary)
	var out [][]byte
	for {
		p, err := r.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		ct, _, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if err != nil {
			return nil, err
		}
		if !strings.Contains(ct, "xml") {
			continue
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, errors.New("no XML part")
	}
	return out, nil
}

func optsFor(doc kitDoc) Options {
	return Options{File: doc.name, Lenient: latin1Samples[doc.name]}
}

func TestKitExamplesParse(t *testing.T) {
	for _, doc := range kitExamples(t) {
		opts := optsFor(doc)
		d := NewDecoder(doc.data, opts)
		n := 0
		for {
			_, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%v", err)
				break
			}
			n++
		}
		if n == 0 {
			t.Errorf("%s: no tokens", doc.name)
		}
		if !opts.Lenient {
			continue
		}
		if len(d.Warnings()) == 0 {
			t.Errorf("%s: no Latin-1 warning in Lenient mode", doc.name)
		}
		_, err := dump(doc.data, Options{File: doc.name})
		var xe *Error
		if !errors.As(err, &xe) || !strings.Contains(xe.Msg, "invalid UTF-8 byte 0xE8") || xe.Line != 1 {
			t.Errorf("%s in strict mode: %v", doc.name, err)
		}
	}
}

func TestKitSchemasParse(t *testing.T) {
	kit := testenv.Kit(t)
	n := 0
	err := filepath.WalkDir(kit, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		if ext := filepath.Ext(path); ext != ".xsd" && ext != ".wsdl" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		rel, _ := filepath.Rel(kit, path)
		_, derr := dump(data, Options{File: rel})
		if bytes.Contains(data, []byte("<!DOCTYPE")) {
			// The schema for schemas carries a DTD: rejected, with a position.
			if derr == nil || !strings.Contains(derr.Error(), ": DTD not allowed") {
				t.Errorf("%s: got %v, want DTD not allowed", rel, derr)
			}
			return nil
		}
		if derr != nil {
			t.Errorf("%v", derr)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 150 {
		t.Errorf("parsed %d schema/WSDL files, want at least 150", n)
	}
}

// canonFrom renders the subtree of start (the last token of d) as canonical
// lines: expanded names, attributes in order, text, comments and PIs, and
// for each attribute value that is a resolvable QName, its expansion.
func canonFrom(d *Decoder, start Token) ([]string, error) {
	var lines []string
	depth := d.Depth() - 1
	tok := start
	for {
		switch tok.Kind {
		case StartElement:
			s := "S " + tok.Name.String()
			for _, a := range tok.Attrs {
				s += fmt.Sprintf(" %s=%q", a.Name, a.Value)
				if a.Name == (Name{XSINamespace, "type"}) || strings.Contains(a.Value, ":") && !strings.ContainsAny(a.Value, " /") {
					if n, err := d.ResolveQName(a.Value); err == nil {
						s += "->" + n.String()
					}
				}
			}
			lines = append(lines, s)
		default:
			lines = append(lines, tokenLine(tok))
		}
		if tok.Kind == EndElement && d.Depth() == depth {
			return lines, nil
		}
		var err error
		if tok, err = d.Next(); err != nil {
			return lines, err
		}
	}
}

// subtrees visits each element at depth k of doc with a fresh decoder.
func subtrees(doc kitDoc, k int, f func(d *Decoder, tok Token) error) error {
	d := NewDecoder(doc.data, optsFor(doc))
	for {
		tok, err := d.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if tok.Kind == StartElement && d.Depth() == k {
			if err := f(d, tok); err != nil {
				return err
			}
		}
	}
}

func TestKitRoundTrip(t *testing.T) {
	outDir := t.TempDir()
	var outputs []string
	for _, doc := range kitExamples(t) {
		for k := 1; k <= 3; k++ {
			var want, got [][]string
			err := subtrees(doc, k, func(d *Decoder, tok Token) error {
				lines, err := canonFrom(d, tok)
				want = append(want, lines)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			err = subtrees(doc, k, func(d *Decoder, tok Token) error {
				el, err := d.ReadElement(tok)
				if err != nil {
					return err
				}
				var buf bytes.Buffer
				e := NewEncoder(&buf)
				e.WriteElement(el)
				if err := e.Finish(); err != nil {
					return fmt.Errorf("%s: WriteElement: %w", doc.name, err)
				}
				f := filepath.Join(outDir, fmt.Sprintf("%03d-%d-%d.xml", len(outputs), k, len(got)))
				if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
					return err
				}
				outputs = append(outputs, f)
				d2 := NewDecoder(buf.Bytes(), Options{File: f})
				tok2, err := d2.Next()
				if err != nil {
					return fmt.Errorf("%s: re-parse: %w", doc.name, err)
				}
				lines, err := canonFrom(d2, tok2)
				if err != nil {
					return fmt.Errorf("%s: re-parse: %w", doc.name, err)
				}
				got = append(got, lines)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s depth %d: %d subtrees written, %d read", doc.name, k, len(got), len(want))
			}
			for i := range want {
				if diff := firstDiff(want[i], got[i]); diff != "" {
					t.Errorf("%s depth %d subtree %d: %s", doc.name, k, i, diff)
				}
			}
		}
	}
	t.Logf("%d subtrees re-encoded; checking them with xmllint", len(outputs))
	xmllint := testenv.Tool(t, "xmllint")
	for len(outputs) > 0 {
		batch := outputs[:min(len(outputs), 200)]
		outputs = outputs[len(batch):]
		// xmllint exits 0 on namespace errors: any output is a failure.
		if out, err := exec.Command(xmllint, append([]string{"--noout", "--nonet"}, batch...)...).CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("xmllint rejects re-encoded output: %v\n%s", err, out)
		}
	}
}

// TestKitLenientQuirks: the unqualified mustUnderstand attributes of the
// official requests (docs/kit-defects.md#every-request) are positioned errors in strict mode and
// warnings in Lenient mode, reported through UnknownAttr as generated code does.
func TestKitLenientQuirks(t *testing.T) {
	const wsa = "http://www.w3.org/2005/08/addressing"
	data, err := os.ReadFile(testenv.KitFile(t, "dmp/examples/messages-v02.05.00/TD0.2_Test-dexistence_requete.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, lenient := range []bool{false, true} {
		d := NewDecoder(data, Options{File: "TD0.2.xml", Lenient: lenient})
		var errs []string
		eachToken(t, d.Next, func(tok Token) {
			if tok.Kind != StartElement || tok.Name.Space != wsa {
				return
			}
			for _, a := range tok.Attrs {
				if a.Name == (Name{Local: "mustUnderstand"}) {
					if err := d.UnknownAttr(tok, a); err != nil {
						errs = append(errs, err.Error())
					}
				}
			}
		})
		if lenient {
			if len(errs) != 0 || len(d.Warnings()) != 2 {
				t.Errorf("lenient: errors %v, warnings %v", errs, d.Warnings())
			}
			continue
		}
		want := "TD0.2.xml:5:16: unexpected attribute mustUnderstand on {http://www.w3.org/2005/08/addressing}ReplyTo"
		if len(errs) != 2 || errs[0] != want {
			t.Errorf("strict: got %q, want 2 errors, the first %q", errs, want)
		}
	}
}

func firstDiff(want, got []string) string {
	for i := 0; i < len(want) || i < len(got); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant %s\ngot  %s", i, w, g)
		}
	}
	return ""
}
