package wsdl_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/wsdl"
	"github.com/dmpgen/dmpgen/internal/xmldom"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// kitWSDLs are the WSDLs of the kit that must load without any error, with
// the number of schema documents each reaches (embedded xs:schema blocks
// count one each; a chameleon document counts once per namespace).
var kitWSDLs = []struct {
	rel  string
	docs int
}{
	{"dmp/annexe-wsdl-schema/wsdl/GestionDossierPatientPartage.wsdl", 74},
	{"dmp/annexe-wsdl-schema/wsdl/Habilitations.wsdl", 1},
	{"dmp/annexe-wsdl-schema/wsdl/PDQSupplier.wsdl", 60},
	{"dmp/annexe-wsdl-schema/wsdl/PatientsSpecific.wsdl", 1},
	{"dmp/annexe-wsdl-schema/wsdl/XDS.b_DocumentRegistry.wsdl", 6},
	{"dmp/annexe-wsdl-schema/wsdl/XDS.b_DocumentRepository.wsdl", 10},
	{"dmp/annexe-wsdl-schema/wsdl/patientCertif.wsdl", 1},
	{"ihe/xds-b/ipf-wsdl/iti18.wsdl", 6},
	{"ihe/xds-b/ipf-wsdl/iti41.wsdl", 8},
	{"ihe/xds-b/ipf-wsdl/iti43.wsdl", 8},
	{"ihe/xds-b/ipf-wsdl/iti57.wsdl", 6},
}

// loadKit loads one kit WSDL with the kit catalog and finishes the schema set.
func loadKit(t testing.TB, kit, rel string) (*wsdl.Definitions, *xsd.Set, diag.List) {
	l, err := xsd.NewLoader(xsd.Config{Catalogs: []string{filepath.Join(kit, "catalog.xml")}})
	if err != nil {
		t.Fatal(err)
	}
	d, errs := wsdl.Load(l, filepath.Join(kit, filepath.FromSlash(rel)))
	s, serrs := l.Finish()
	errs = append(errs, serrs...)
	errs.Sort()
	return d, s, errs
}

func TestKitWSDLs(t *testing.T) {
	kit := testenv.Kit(t)
	for _, tc := range kitWSDLs {
		t.Run(filepath.Base(tc.rel), func(t *testing.T) {
			start := time.Now()
			d, s, errs := loadKit(t, kit, tc.rel)
			elapsed := time.Since(start)
			if len(errs) > 0 {
				t.Fatalf("%d errors:\n%v", len(errs), errs.Rel(kit))
			}
			if len(s.Schemas) != tc.docs {
				var files []string
				for _, sc := range s.Schemas {
					files = append(files, sc.File)
				}
				t.Errorf("%d schema documents, want %d:\n%s", len(s.Schemas), tc.docs, strings.Join(files, "\n"))
			}
			types := 0
			for _, q := range s.TypeNames() {
				if q.Space != xsd.NS {
					types++
				}
			}
			ops := 0
			for _, b := range d.Bindings {
				ops += len(b.Operations)
				if strings.HasPrefix(tc.rel, "dmp/") && b.Version != wsdl.SOAP12 {
					t.Errorf("binding %s is not SOAP 1.2", b.Name)
				}
			}
			if ops == 0 {
				t.Error("no bound operation")
			}
			t.Logf("%d schema documents; %d elements, %d types (+46 built-in), %d attributes, %d groups, %d attribute groups; %d messages, %d bound operations; %v",
				len(s.Schemas), len(s.Elements), types, len(s.Attributes), len(s.Groups), len(s.AttributeGroups), len(d.Messages), ops, elapsed)
			for _, m := range d.Messages {
				for _, p := range m.Parts {
					if _, ok := s.LookupElement(p.Element); !ok {
						t.Errorf("part %s of %s: element %s missing", p.Name, m.Name, p.Element)
					}
				}
			}
		})
	}
}

// IPF rim.xsd imports urn:ihe:iti:xds-b:2007 from xcf.xsd, while iti41.wsdl
// imports it from IHEXDSB.xsd: both documents must contribute (XSD merges
// every document of a namespace; libxml2 keeps only the first import).
func TestKitIPFDocumentFromTwoLocations(t *testing.T) {
	kit := testenv.Kit(t)
	_, s, errs := loadKit(t, kit, "ihe/xds-b/ipf-wsdl/iti41.wsdl")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	doc, ok := s.LookupElement(xsd.QName{Space: "urn:ihe:iti:xds-b:2007", Local: "Document"})
	if !ok || filepath.Base(doc.Schema.File) != "xcf.xsd" {
		t.Fatalf("{urn:ihe:iti:xds-b:2007}Document not loaded from xcf.xsd")
	}
	req, ok := s.LookupElement(xsd.QName{Space: "urn:ihe:iti:xds-b:2007", Local: "ProvideAndRegisterDocumentSetRequest"})
	if !ok || filepath.Base(req.Schema.File) != "IHEXDSB.xsd" {
		t.Fatal("ProvideAndRegisterDocumentSetRequest not loaded from IHEXDSB.xsd")
	}
}

// The DMP Repository WSDL's four xsd:schema blocks each include another
// namespace's file; the MTOM variant of the IHE schema is not reached.
func TestKitRepositoryBlocks(t *testing.T) {
	kit := testenv.Kit(t)
	d, s, errs := loadKit(t, kit, "dmp/annexe-wsdl-schema/wsdl/XDS.b_DocumentRepository.wsdl")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	embedded := 0
	for _, sc := range s.Schemas {
		if sc.File == d.File {
			embedded++
		}
	}
	if embedded != 4 {
		t.Errorf("%d embedded schemas, want 4", embedded)
	}
	op := d.PortTypes[0].Operations
	if len(op) != 2 || op[0].Input.Action == "" {
		t.Errorf("operations = %+v", op)
	}
}

// BenchmarkLoadDMPWSDLs loads the 7 DMP WSDLs, each with a fresh loader as a
// generator run does. The baseline sub-benchmark only reads and parses the
// same documents with xmldom (each once per WSDL, like the loads), the lower
// bound of any loader built on it; "load" reports its time as a multiple of
// the baseline measured in the same run.
func BenchmarkLoadDMPWSDLs(b *testing.B) {
	kit := testenv.Kit(b)
	var rels []string
	for _, tc := range kitWSDLs {
		if strings.HasPrefix(tc.rel, "dmp/") {
			rels = append(rels, tc.rel)
		}
	}
	// The documents each load reads.
	var perWSDL [][]string
	var size int64
	for _, rel := range rels {
		d, s, errs := loadKit(b, kit, rel)
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		files := []string{d.File}
		seen := map[string]bool{d.File: true}
		for _, sc := range s.Schemas {
			if !seen[sc.File] {
				seen[sc.File] = true
				files = append(files, sc.File)
			}
		}
		for _, f := range files {
			st, err := os.Stat(f)
			if err != nil {
				b.Fatal(err)
			}
			size += st.Size()
		}
		perWSDL = append(perWSDL, files)
	}
	var parseNs float64
	b.Run("parse-baseline", func(b *testing.B) {
		b.SetBytes(size)
		for i := 0; i < b.N; i++ {
			for _, files := range perWSDL {
				for _, f := range files {
					data, err := os.ReadFile(f)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := xmldom.Parse(f, data); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		parseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("load", func(b *testing.B) {
		b.SetBytes(size)
		for i := 0; i < b.N; i++ {
			for _, rel := range rels {
				if _, _, errs := loadKit(b, kit, rel); len(errs) > 0 {
					b.Fatal(errs)
				}
			}
		}
		if parseNs > 0 {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/parseNs, "x-baseline")
		}
	})
}
