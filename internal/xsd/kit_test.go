package xsd_test

import (
	"math/rand"
	"path/filepath"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/xsd"
	"github.com/dmpgen/dmpgen/internal/xsd/xsdtest"
)

// loadKitFiles loads kit schema files (paths relative to the kit) with the
// kit catalog.
func loadKitFiles(t testing.TB, kit string, rels ...string) (*xsd.Set, diag.List) {
	t.Helper()
	l, err := xsd.NewLoader(xsd.Config{Catalogs: []string{filepath.Join(kit, "catalog.xml")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range rels {
		l.AddSchemaFile(filepath.Join(kit, filepath.FromSlash(rel)))
	}
	return l.Finish()
}

// The standalone schemas of the kit load without error, each on its own,
// with the number of schema documents each reaches (through the catalog for
// the absolute http:// locations of WS-* and SAML).
func TestKitStandaloneSchemas(t *testing.T) {
	kit := testenv.Kit(t)
	for _, tc := range []struct {
		rel  string
		docs int
		root xsd.QName // a global element that must be there
	}{
		{"ws/soap-1.2.xsd", 2, xsd.QName{Space: "http://www.w3.org/2003/05/soap-envelope", Local: "Envelope"}},
		{"ws/ws-addr200508.xsd", 1, xsd.QName{Space: "http://www.w3.org/2005/08/addressing", Local: "Action"}},
		{"ws/oasis-200401-wss-wssecurity-secext-1.0.xsd", 5, xsd.QName{Space: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd", Local: "Security"}},
		{"ws/oasis-200401-wss-wssecurity-utility-1.0.xsd", 1, xsd.QName{Space: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd", Local: "Timestamp"}},
		{"ws/xmldsig-core-schema.xsd", 1, xsd.QName{Space: "http://www.w3.org/2000/09/xmldsig#", Local: "Signature"}},
		{"ws/saml-schema-assertion-2.0.xsd", 4, xsd.QName{Space: "urn:oasis:names:tc:SAML:2.0:assertion", Local: "Assertion"}},
		{"dmp/kit-2.06.01-library-schemas/XAdES.xsd", 2, xsd.QName{Space: "http://uri.etsi.org/01903/v1.1.1#", Local: "QualifyingProperties"}},
		{"cda/infrastructure-cda/CDA_extended.xsd", 19, xsd.QName{Space: "urn:hl7-org:v3", Local: "ClinicalDocument"}},
	} {
		t.Run(filepath.Base(tc.rel), func(t *testing.T) {
			start := time.Now()
			s, errs := loadKitFiles(t, kit, tc.rel)
			elapsed := time.Since(start)
			if len(errs) > 0 {
				t.Fatalf("%d errors:\n%v", len(errs), errs.Rel(kit))
			}
			if len(s.Schemas) != tc.docs {
				for _, sc := range s.Schemas {
					t.Log(sc.File, sc.TargetNamespace)
				}
				t.Errorf("%d schema documents, want %d", len(s.Schemas), tc.docs)
			}
			if _, ok := s.LookupElement(tc.root); !ok {
				t.Errorf("%v missing", tc.root)
			}
			t.Logf("%d schema documents; %d elements, %d types (with 46 built-in), %d attributes, %d groups, %d attribute groups; %v",
				len(s.Schemas), len(s.Elements), len(s.Types), len(s.Attributes), len(s.Groups), len(s.AttributeGroups), elapsed)
		})
	}
}

// The CDA schema set includes the HL7 datatypes chameleon-style from three
// namespaces; each gets its own copy.
func TestKitCDAChameleon(t *testing.T) {
	kit := testenv.Kit(t)
	s, errs := loadKitFiles(t, kit, "cda/infrastructure-cda/CDA_extended.xsd")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, ns := range []string{"urn:hl7-org:v3", "urn:ihe:pharm:medication", "urn:dicom-org:ps3-20"} {
		cd, ok := s.LookupType(xsd.QName{Space: ns, Local: "CD"})
		if !ok {
			t.Errorf("{%s}CD missing", ns)
			continue
		}
		if sc := cd.(*xsd.ComplexType).Schema; !sc.Chameleon || filepath.Base(sc.File) != "datatypes-base.xsd" {
			t.Errorf("{%s}CD from %s (chameleon %v)", ns, sc.File, sc.Chameleon)
		}
	}
}

// The set is the same whatever the order of the inputs (with libxml2,
// which keeps only the first import of a namespace, the IPF
// rim.xsd/IHEXDSB.xsd result depends on the order).
// (ws/soap-1.2.xsd and the wsse schemas are left out: through the catalog
// they use ws/xml.xsd, the 2001 version, whose xml:lang and xml:space
// differ from the 2009 copies used by IPF and CDA: a genuine conflict.)
func TestKitDeterministic(t *testing.T) {
	kit := testenv.Kit(t)
	inputs := []string{
		"ihe/xds-b/ipf-wsdl/schema/IHE/IHEXDSB.xsd",
		"ihe/xds-b/ipf-wsdl/schema/ebRS30/rim.xsd",
		"ihe/xds-b/ipf-wsdl/schema/IHE/xcf.xsd",
		"ihe/xds-b/ipf-wsdl/schema/ebRS30/query.xsd",
		"ws/saml-schema-protocol-2.0.xsd",
		"ws/ws-addr200508.xsd",
		// Its own copy of the 2009 xml.xsd, equal to IPF's apart from comments.
		"cda/infrastructure-cda/CDA_extended.xsd",
	}
	dumpOf := func(in []string) string {
		s, errs := loadKitFiles(t, kit, in...)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		return xsdtest.Dump(s)
	}
	ref := dumpOf(inputs)
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 4; i++ {
		r.Shuffle(len(inputs), func(i, j int) { inputs[i], inputs[j] = inputs[j], inputs[i] })
		if got := dumpOf(inputs); got != ref {
			t.Fatalf("order %v gives a different set", inputs)
		}
	}
	if len(ref) < 100000 {
		t.Errorf("dump suspiciously small: %d bytes", len(ref))
	}
}
