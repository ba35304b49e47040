// Package kittest runs the generated bindings over the official kit's
// example messages.
package kittest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	cdahl7 "github.com/dmpgen/dmpgen/generated/cda/hl7v3"
	"github.com/dmpgen/dmpgen/generated/cda/ihelab"
	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
	"github.com/dmpgen/dmpgen/generated/dmp/patients"
	legacypatients "github.com/dmpgen/dmpgen/generated/dmplegacy/patients"
	"github.com/dmpgen/dmpgen/generated/gdp/gdp"
	gdphl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	iherim "github.com/dmpgen/dmpgen/generated/ihe/rim"
	pdqhl7 "github.com/dmpgen/dmpgen/generated/pdq/hl7v3"
	"github.com/dmpgen/dmpgen/generated/ws/saml"
	"github.com/dmpgen/dmpgen/generated/ws/soap11"
	"github.com/dmpgen/dmpgen/generated/ws/soap12"
	"github.com/dmpgen/dmpgen/generated/ws/wsa"
	"github.com/dmpgen/dmpgen/generated/ws/wsse"
	"github.com/dmpgen/dmpgen/generated/ws/wsu"
	"github.com/dmpgen/dmpgen/generated/ws/xmldsig"
	"github.com/dmpgen/dmpgen/generated/xades/xades"
	xadesdsig "github.com/dmpgen/dmpgen/generated/xades/xmldsig"
	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/generated/xds/rs"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

type registry func(xmltext.Name) xmlbind.Value

// The DMP annex's bindings first; the IPF (generic IHE) copies for the IPF
// and NIST examples; SOAP/WS-*/SAML for headers; CDA and XAdES for documents.
var (
	dmpRegs = []registry{xdsb.NewElement, rim.NewElement, rs.NewElement, query.NewElement, lcm.NewElement,
		habilitations.NewElement, patients.NewElement, legacypatients.NewElement, gdp.NewElement, gdphl7.NewElement, pdqhl7.NewElement}
	iheRegs = []registry{iherim.NewElement}
	wsRegs  = []registry{soap12.NewElement, soap11.NewElement, wsa.NewElement, wsse.NewElement, wsu.NewElement,
		saml.NewElement, xmldsig.NewElement}
	docRegs = []registry{cdahl7.NewElement, ihelab.NewElement, xades.NewElement, xadesdsig.NewElement}
)

// quirk is a documented defect of an official example (docs/kit-defects.md).
// A file with quirks decodes leniently; every decode warning must match one
// of its quirks' Warn substrings (nothing else may be dropped), Pre edits
// the original before decoding, and Norm is applied to both the original
// and the re-encoded element before they are compared.
type quirk struct {
	Name string
	Warn []string
	Pre  xmlcmp.Normalizer
	Norm xmlcmp.Normalizer
}

var (
	wsaMustUnderstand = quirk{
		Name: "unqualified mustUnderstand on the WS-Addressing headers of every request",
		Warn: []string{"kept unexpected attribute mustUnderstand"},
	}
	latin1 = quirk{
		Name: "Latin-1 byte 0xE8 without an encoding declaration (VIHF DIRECTE samples)",
	}
	ebrimRequiredRefs = quirk{
		Name: "ITI-57 bodies omit the ebRIM-required @registryObject and @classifiedObject",
		Warn: []string{"required attribute registryObject missing", "required attribute classifiedObject missing"},
		Norm: func(root *xmltext.Element) {
			removeAttr("registryObject", "", "")(root)
			removeAttr("classifiedObject", "", "")(root)
		},
	}
	unqualifiedClassification = quirk{
		Name: "template_XDS: an eventCodeList Classification (with its children) in no namespace",
		Warn: []string{"kept unexpected element Classification"},
	}
	noNamespace = quirk{
		Name: "template_masquage: the whole document has no namespace (ebRS lcm/rim intended)",
		Pre:  qualifyEbRS,
	}
	pdqResponse = quirk{
		Name: "TD0.5 response: code/@codeSystem not allowed (NE2008), typeCode/classCode missing",
		Warn: []string{"kept unexpected attribute codeSystem", "required attribute typeCode missing", "required attribute classCode missing"},
		Norm: func(root *xmltext.Element) {
			removeAttr("typeCode", "", "")(root)
			removeAttr("classCode", "", "")(root)
		},
	}
	td13aRequest = quirk{
		Name: "TD1.3a request: NE2009 mismatch (asAgent where asLocatedEntity expected, typeCode/classCode missing; " +
			"an xsi:nil reasonOf placeholder before overseer/authorOrPerformer/dataEnterer/informationRecipient, against the sequence order)",
		Warn: []string{"required attribute typeCode missing", "required attribute classCode missing",
			// kept at their place: the misplaced placeholders, and the
			// members that follow reasonOf, out of order after it
			"kept unexpected element {urn:hl7-org:v3}asAgent", "kept unexpected element {urn:hl7-org:v3}reasonOf",
			"kept unexpected element {urn:hl7-org:v3}overseer", "kept unexpected element {urn:hl7-org:v3}authorOrPerformer",
			"kept unexpected element {urn:hl7-org:v3}dataEnterer", "kept unexpected element {urn:hl7-org:v3}informationRecipient"},
		Norm: func(root *xmltext.Element) {
			removeAttr("typeCode", "", "")(root)
			removeAttr("classCode", "", "")(root)
		},
	}
)

// removeAttr removes an attribute; with empty "" as the only value allowed
// when only is "": otherwise only where the element's xsi-less type is not
// known, so only is a marker kept for readability of the quirk table.
func removeAttr(local, space, only string) xmlcmp.Normalizer {
	return func(root *xmltext.Element) {
		xmlcmp.Walk(root, func(el *xmltext.Element) {
			out := el.Attrs[:0]
			for _, a := range el.Attrs {
				if !(a.Name.Local == local && a.Name.Space == space) {
					out = append(out, a)
				}
			}
			el.Attrs = out
		})
	}
}

func qualifyEbRS(root *xmltext.Element) {
	xmlcmp.Walk(root, func(el *xmltext.Element) {
		if el.Name.Space != "" {
			return
		}
		el.Prefix = ""
		if el.Name.Local == "SubmitObjectsRequest" {
			el.Name.Space = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"
		} else {
			el.Name.Space = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
		}
	})
}

// quirks maps example files (relative to the kit) to their quirks.
var quirks = map[string][]quirk{
	"dmp/examples/messages-v02.05.00/vihf/VIHF_DIRECTE_non-signe.xml":                  {latin1},
	"dmp/examples/messages-v02.05.00/vihf/VIHF_DIRECTE_signe.xml":                      {latin1},
	"dmp/examples/messages-v02.05.00/TD3.3c_Supprimer-un-document_requete.xml":         {ebrimRequiredRefs},
	"dmp/examples/messages-v02.05.00/TD3.3d_Archiver-un-document_requete.xml":          {ebrimRequiredRefs},
	"dmp/examples/kit-2.06.01-templates/template_archivage.xml":                        {ebrimRequiredRefs},
	"dmp/examples/kit-2.06.01-templates/template_depublication.xml":                    {ebrimRequiredRefs},
	"dmp/examples/kit-2.06.01-templates/template_depublicationCVA.xml":                 {ebrimRequiredRefs},
	"dmp/examples/kit-2.06.01-templates/template_XDS.xml":                              {unqualifiedClassification},
	"dmp/examples/kit-2.06.01-templates/template_masquage.xml":                         {noNamespace, ebrimRequiredRefs},
	"dmp/examples/messages-v02.05.00/TD0.5_Recherche-dun-patient-sans-INS_reponse.xml": {pdqResponse},
	"dmp/examples/messages-v02.05.00/TD1.3a_Consultation_requete.xml":                  {td13aRequest},
}

func quirksOf(rel string) []quirk {
	q := append([]quirk(nil), quirks[rel]...)
	if strings.Contains(rel, "messages-v02.05.00/TD") && strings.Contains(rel, "requete") {
		q = append(q, wsaMustUnderstand)
	}
	return q
}

func TestRoundTripKitExamples(t *testing.T) {
	kit := testenv.Kit(t)
	files, err := exampleFiles(kit)
	if err != nil {
		t.Fatal(err)
	}
	passed, elements := 0, 0
	for _, p := range files {
		rel, _ := filepath.Rel(kit, p)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			n, err := roundTripFile(p, rel)
			if err != nil {
				t.Fatal(err)
			}
			passed++
			elements += n
		})
	}
	t.Logf("round trip: %d of %d example files, %d top-level elements decoded, re-encoded and compared", passed, len(files), elements)
	fmt.Printf("kit round trip: %d/%d example messages (%d elements)\n", passed, len(files), elements)
}

// exampleFiles lists the XML files of the kit's example folders, sorted.
func exampleFiles(kit string) ([]string, error) {
	var files []string
	for _, dir := range []string{"dmp/examples", "ihe/xds-b/examples"} {
		err := filepath.WalkDir(filepath.Join(kit, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(p, ".xml") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}

// roundTripFile decodes every bound element of a file (the envelope's header
// blocks and body children, or the root), re-encodes and compares it.
func roundTripFile(path, rel string) (int, error) {
	return roundTripFileWith(path, rel, nil)
}

// encoded receives each element's original serialization and our encoding.
type encoded func(rel string, name xmltext.Name, orig, out []byte, quirky bool)

func roundTripFileWith(path, rel string, sink encoded) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("--")) || bytes.Contains(data[:min(len(data), 400)], []byte("Content-Type:")) {
		if data, err = mtomRoot(data); err != nil {
			return 0, err
		}
	}
	qs := quirksOf(rel)
	lenient := len(qs) > 0
	root, err := parse(data, rel, lenient)
	if err != nil {
		return 0, err
	}
	for _, q := range qs {
		if q.Pre != nil {
			q.Pre(root)
		}
	}
	regs := append(append(append([]registry(nil), dmpRegs...), wsRegs...), docRegs...)
	if strings.HasPrefix(rel, "ihe/") {
		regs = append(append([]registry(nil), iheRegs...), regs...)
	}
	var targets []*xmltext.Element
	if isEnvelope(root.Name) {
		for _, c := range root.Elements() {
			targets = append(targets, c.Elements()...)
		}
	} else {
		targets = []*xmltext.Element{root}
	}
	for _, el := range targets {
		if err := roundTripElement(el, regs, rel, qs, sink); err != nil {
			return 0, fmt.Errorf("%s: %w", el.Name, err)
		}
	}
	return len(targets), nil
}

func isEnvelope(n xmltext.Name) bool {
	return n.Local == "Envelope" && (n.Space == "http://www.w3.org/2003/05/soap-envelope" || n.Space == "http://schemas.xmlsoap.org/soap/envelope/")
}

func parse(data []byte, file string, lenient bool) (*xmltext.Element, error) {
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

func serialize(el *xmltext.Element) ([]byte, error) {
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	e.WriteElement(el)
	err := e.Flush()
	return buf.Bytes(), err
}

func roundTripElement(el *xmltext.Element, regs []registry, rel string, qs []quirk, sink encoded) error {
	var v xmlbind.Value
	for _, r := range regs {
		if v = r(el.Name); v != nil {
			break
		}
	}
	if v == nil {
		return fmt.Errorf("no generated type for element %s", el.Name)
	}
	orig, err := serialize(el)
	if err != nil {
		return err
	}
	d := xmltext.NewDecoder(orig, xmltext.Options{File: rel, Lenient: len(qs) > 0})
	tok, err := d.Next()
	for err == nil && tok.Kind != xmltext.StartElement {
		tok, err = d.Next()
	}
	if err != nil {
		return err
	}
	if err := v.UnmarshalXMLText(d, &tok); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	for _, w := range d.Warnings() {
		if !covered(w.Msg, qs) {
			return fmt.Errorf("decode warning not covered by a documented quirk: %d:%d: %s", w.Line, w.Col, w.Msg)
		}
	}
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	if err := v.MarshalXMLText(e, el.Name); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	if err := e.Flush(); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	var norms []xmlcmp.Normalizer
	for _, q := range qs {
		if q.Norm != nil {
			norms = append(norms, q.Norm)
		}
	}
	diff, err := xmlcmp.Diff(orig, buf.Bytes(), norms...)
	if err != nil {
		return err
	}
	if diff != "" {
		return fmt.Errorf("round trip differs: %s", diff)
	}
	if sink != nil {
		sink(rel, el.Name, orig, buf.Bytes(), len(qs) > 0)
	}
	return nil
}

func covered(msg string, qs []quirk) bool {
	for _, q := range qs {
		for _, w := range q.Warn {
			if strings.Contains(msg, w) {
				return true
			}
		}
	}
	return false
}

// mtomRoot extracts the root part of a raw MIME capture (TD2.1): the
// capture starts at the first boundary line, without HTTP headers.
func mtomRoot(data []byte) ([]byte, error) {
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
