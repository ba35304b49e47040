package xsd_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/xsd"
	"github.com/dmpgen/dmpgen/internal/xsd/xsdtest"
)

// FuzzLoad loads a schema document main.xsd that may include, import or
// redefine other.xsd (both from memory). Property: no panic, and every
// error is positioned (file and line).
func FuzzLoad(f *testing.F) {
	f.Add([]byte(xs(`targetNamespace="urn:a" xmlns:a="urn:a"`, `<xs:include schemaLocation="other.xsd"/><xs:element name="E" type="a:T"/>`)),
		[]byte(xs(``, `<xs:complexType name="T"><xs:sequence><xs:element name="x" type="xs:int" maxOccurs="unbounded"/></xs:sequence></xs:complexType>`)))
	f.Add([]byte(xs(`targetNamespace="urn:a" xmlns:a="urn:a"`, `<xs:redefine schemaLocation="other.xsd"><xs:complexType name="T"><xs:complexContent><xs:extension base="a:T"/></xs:complexContent></xs:complexType></xs:redefine>`)),
		[]byte(xs(`targetNamespace="urn:a"`, `<xs:complexType name="T"/><xs:group name="G"><xs:choice><xs:any/></xs:choice></xs:group>`)))
	f.Add([]byte(xs(`xmlns:b="urn:b"`, `<xs:import namespace="urn:b" schemaLocation="other.xsd"/><xs:simpleType name="L"><xs:list itemType="b:S"/></xs:simpleType>`)),
		[]byte(xs(`targetNamespace="urn:b" xmlns:b="urn:b"`, `<xs:simpleType name="S"><xs:union memberTypes="xs:int b:S"><xs:simpleType><xs:restriction base="xs:QName"><xs:enumeration value="b:x"/></xs:restriction></xs:simpleType></xs:union></xs:simpleType><xs:element name="H" substitutionGroup="b:H"/>`)))
	if kit := testenv.KitDir(); kit != "" {
		for _, pair := range [][2]string{
			{"ihe/xds-b/ipf-wsdl/schema/ebRS30/rs.xsd", "ihe/xds-b/ipf-wsdl/schema/ebRS30/rim.xsd"},
			{"ws/saml-schema-assertion-2.0.xsd", "ws/xmldsig-core-schema.xsd"},
			{"ws/oasis-200401-wss-wssecurity-secext-1.0.xsd", "ws/xml.xsd"},
		} {
			a, errA := os.ReadFile(filepath.Join(kit, pair[0]))
			b, errB := os.ReadFile(filepath.Join(kit, pair[1]))
			if errA == nil && errB == nil {
				f.Add(a, b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, main, other []byte) {
		files := memFS{"/f/main.xsd": string(main), "/f/other.xsd": string(other), "/f/rim.xsd": string(other)}
		l, err := xsd.NewLoader(xsd.Config{ReadFile: files.read})
		if err != nil {
			t.Fatal(err)
		}
		l.AddSchemaFile("/f/main.xsd")
		s, errs := l.Finish()
		for _, e := range errs {
			if e.Pos.File == "" || e.Pos.Line < 1 {
				t.Fatalf("error without position: %v", e)
			}
		}
		_ = xsdtest.Dump(s)
		for _, h := range s.ElementNames() {
			s.SubstitutionMembers(h)
		}
	})
}

// FuzzCatalog reads an XML catalog and resolves a few locations through it.
// Property: no panic; errors are positioned.
func FuzzCatalog(f *testing.F) {
	f.Add([]byte(`<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"><uri name="http://x/a.xsd" uri="a.xsd"/><rewriteURI uriStartString="http://x/" rewritePrefix="local/"/><nextCatalog catalog="c.xml"/></catalog>`))
	f.Add([]byte(`<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog" xml:base="http://remote/"><group xml:base="../g/"><system systemId="s" uri="s.xsd"/><delegateURI uriStartString="http://x/" catalog="c.xml"/><uriSuffix uriSuffix="a.xsd" uri="z.xsd"/></group></catalog>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		files := memFS{"/c/c.xml": string(data)}
		l, err := xsd.NewLoader(xsd.Config{Catalogs: []string{"/c/c.xml"}, ReadFile: files.read})
		if err != nil {
			var list diag.List
			if !errors.As(err, &list) {
				t.Fatalf("error is not a diag.List: %v", err)
			}
			for _, e := range list {
				if e.Pos.File == "" || e.Pos.Line < 1 {
					t.Fatalf("error without position: %v", e)
				}
			}
			return
		}
		for _, loc := range []string{"http://x/a.xsd", "http://x/b/c.xsd", "s", "rel.xsd", "urn:x"} {
			_, _ = l.ResolveLocation(loc, "/base/doc.xsd")
		}
	})
}
