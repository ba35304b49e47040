package xdsrim_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

const (
	nsLCM   = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"
	nsQuery = "urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"
	nsRIM   = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
)

var (
	nameSubmit   = xmltext.Name{Space: nsLCM, Local: "SubmitObjectsRequest"}
	nameResponse = xmltext.Name{Space: nsQuery, Local: "AdhocQueryResponse"}
)

// quirk is a documented defect of a kit example (docs/kit-defects.md) that the
// generated decoder must tolerate: Warn lists the decode warnings it
// explains, Pre edits the original before decoding, Norm normalises both
// sides before comparison.
type quirk struct {
	Warn []string
	Pre  func(*xmltext.Element)
	Norm func(*xmltext.Element)
}

var (
	missingRefs = quirk{
		Warn: []string{"required attribute registryObject missing", "required attribute classifiedObject missing"},
		Norm: func(root *xmltext.Element) {
			xmlcmp.Walk(root, func(el *xmltext.Element) {
				out := el.Attrs[:0]
				for _, a := range el.Attrs {
					// an absent required attribute is re-encoded empty
					if (a.Name.Local == "registryObject" || a.Name.Local == "classifiedObject") && a.Name.Space == "" && a.Value == "" {
						continue
					}
					out = append(out, a)
				}
				el.Attrs = out
			})
		},
	}
	unqualifiedClassification = quirk{
		Warn: []string{"unexpected element Classification"},
		Pre: func(root *xmltext.Element) {
			xmlcmp.Walk(root, func(el *xmltext.Element) {
				out := el.Children[:0]
				for _, c := range el.Children {
					if ce, ok := c.(*xmltext.Element); ok && ce.Name == (xmltext.Name{Local: "Classification"}) {
						continue
					}
					out = append(out, c)
				}
				el.Children = out
			})
		},
	}
	noNamespace = quirk{
		Pre: func(root *xmltext.Element) {
			xmlcmp.Walk(root, func(el *xmltext.Element) {
				if el.Name.Space != "" {
					return
				}
				el.Prefix = ""
				if el.Name.Local == "SubmitObjectsRequest" {
					el.Name.Space = nsLCM
				} else {
					el.Name.Space = nsRIM
				}
			})
		},
	}
)

// example is a kit file holding XDS metadata.
type example struct {
	rel    string
	quirks []quirk
}

var examples = []example{
	{rel: "dmp/examples/messages-v02.05.00/TD2.1_Alimentation_requete.xml"},
	{rel: "dmp/examples/messages-v02.05.00/TD3.1_Recherche-de-document_reponse.xml"},
	{rel: "dmp/examples/messages-v02.05.00/TD3.3c_Supprimer-un-document_requete.xml", quirks: []quirk{missingRefs}},
	{rel: "dmp/examples/messages-v02.05.00/TD3.3d_Archiver-un-document_requete.xml", quirks: []quirk{missingRefs}},
	{rel: "dmp/examples/kit-2.06.01-templates/template_XDS.xml", quirks: []quirk{unqualifiedClassification}},
	{rel: "dmp/examples/kit-2.06.01-templates/template_archivage.xml", quirks: []quirk{missingRefs}},
	{rel: "dmp/examples/kit-2.06.01-templates/template_depublication.xml", quirks: []quirk{missingRefs}},
	{rel: "dmp/examples/kit-2.06.01-templates/template_depublicationCVA.xml", quirks: []quirk{missingRefs}},
	{rel: "dmp/examples/kit-2.06.01-templates/template_masquage.xml", quirks: []quirk{noNamespace, missingRefs}},
	{rel: "ihe/xds-b/examples/ipf/SubmitObjectsRequest_ebrs30.xml"},
	{rel: "ihe/xds-b/examples/ipf/SubmitObjectsRequest_ebrs30_2.xml"},
	{rel: "ihe/xds-b/examples/ipf/SubmitObjectsRequest_ebrs30_update.xml"},
	{rel: "ihe/xds-b/examples/ipf/SubmitObjectsRequest_ebrs30_update_sameLid.xml"},
	{rel: "ihe/xds-b/examples/ipf/SubmitObjectsRequest_ebrs3_extra_metadata.xml"},
	{rel: "ihe/xds-b/examples/nist/deprecate_12319.xml"},
}

// container is a decoded SubmitObjectsRequest or AdhocQueryResponse.
type container struct {
	name  xmltext.Name
	value xmlbind.Value
	list  **rim.RegistryObjectListType
	orig  []byte // the element as serialised from the (pre-edited) original
	norms []func(*xmltext.Element)
}

// load reads a kit example and decodes every SubmitObjectsRequest and
// AdhocQueryResponse it holds with the generated bindings. A decode warning
// not explained by a documented quirk fails the test.
func load(t testing.TB, ex example) []*container {
	t.Helper()
	data, err := os.ReadFile(testenv.KitFile(t, ex.rel))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(data, []byte("--")) {
		if data, err = mimeRoot(data); err != nil {
			t.Fatalf("%s: %v", ex.rel, err)
		}
	}
	root, err := parseDOM(data, ex.rel, len(ex.quirks) > 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range ex.quirks {
		if q.Pre != nil {
			q.Pre(root)
		}
	}
	var out []*container
	var walk func(el *xmltext.Element)
	walk = func(el *xmltext.Element) {
		var c *container
		switch el.Name {
		case nameSubmit:
			v := new(lcm.SubmitObjectsRequest)
			c = &container{name: el.Name, value: v, list: &v.RegistryObjectList}
		case nameResponse:
			v := new(query.AdhocQueryResponse)
			c = &container{name: el.Name, value: v, list: &v.RegistryObjectList}
		default:
			for _, ch := range el.Elements() {
				walk(ch)
			}
			return
		}
		c.orig = serialize(t, el)
		d := xmltext.NewDecoder(c.orig, xmltext.Options{File: ex.rel, Lenient: len(ex.quirks) > 0})
		tok, err := d.Next()
		for err == nil && tok.Kind != xmltext.StartElement {
			tok, err = d.Next()
		}
		if err == nil {
			err = c.value.UnmarshalXMLText(d, &tok)
		}
		if err != nil {
			t.Fatalf("%s: decode %s: %v", ex.rel, el.Name.Local, err)
		}
		for _, w := range d.Warnings() {
			if !explained(w.Msg, ex.quirks) {
				t.Fatalf("%s: decode warning not explained by a documented quirk: %d:%d: %s", ex.rel, w.Line, w.Col, w.Msg)
			}
		}
		for _, q := range ex.quirks {
			if q.Norm != nil {
				c.norms = append(c.norms, q.Norm)
			}
		}
		out = append(out, c)
	}
	walk(root)
	if len(out) == 0 {
		t.Fatalf("%s: no SubmitObjectsRequest or AdhocQueryResponse", ex.rel)
	}
	return out
}

func explained(msg string, qs []quirk) bool {
	for _, q := range qs {
		for _, w := range q.Warn {
			if strings.Contains(msg, w) {
				return true
			}
		}
	}
	return false
}

// encode serialises the container's value.
func (c *container) encode(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	rim.Prefixes(e)
	if err := c.value.MarshalXMLText(e, c.name); err != nil {
		t.Fatal(err)
	}
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// diff compares the container's encoding with the original element.
func (c *container) diff(t testing.TB) string {
	t.Helper()
	norms := make([]xmlcmp.Normalizer, len(c.norms))
	for i, n := range c.norms {
		norms[i] = n
	}
	d, err := xmlcmp.Diff(c.orig, c.encode(t), norms...)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func parseDOM(data []byte, file string, lenient bool) (*xmltext.Element, error) {
	d := xmltext.NewDecoder(data, xmltext.Options{File: file, Lenient: lenient})
	for {
		tok, err := d.Next()
		if err != nil {
			return nil, err
		}
		if tok.Kind == xmltext.StartElement {
			return d.ReadElement(tok)
		}
	}
}

func serialize(t testing.TB, el *xmltext.Element) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	e.WriteElement(el)
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// mimeRoot extracts the root part of a raw MIME capture that starts at its
// first boundary line (TD2.1), as internal/kittest does.
func mimeRoot(data []byte) ([]byte, error) {
	first, _, ok := bytes.Cut(data, []byte("\n"))
	if !ok || !bytes.HasPrefix(first, []byte("--")) {
		return nil, fmt.Errorf("MIME capture does not start with a boundary line")
	}
	boundary := strings.TrimSpace(string(first[2:]))
	ct := fmt.Sprintf(`multipart/related; type="application/xop+xml"; boundary="%s"`, boundary)
	r, err := mtom.NewReader(ct, bytes.NewReader(data), nil)
	if err != nil {
		return nil, err
	}
	root := r.Root().Data
	for {
		if _, err := r.Next(); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
	}
	return root, nil
}
