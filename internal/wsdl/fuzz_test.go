package wsdl_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/wsdl"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// FuzzLoad loads a WSDL (from memory) whose schemas may include or import
// a.xsd and which may wsdl:import other.wsdl (the same bytes as a.xsd).
// Property: no panic, and every error is positioned (file and line).
func FuzzLoad(f *testing.F) {
	f.Add([]byte(good["/w/svc.wsdl"]), []byte(good["/w/a.xsd"]))
	f.Add([]byte(head+`<import namespace="urn:o" location="other.wsdl"/><binding name="B" type="tns:PT"><soap:binding/></binding></definitions>`),
		[]byte(`<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:o"><import namespace="urn:svc" location="svc.wsdl"/></definitions>`))
	if kit := testenv.KitDir(); kit != "" {
		for _, rel := range []string{"dmp/annexe-wsdl-schema/wsdl/Habilitations.wsdl", "ihe/xds-b/ipf-wsdl/iti43.wsdl"} {
			if b, err := os.ReadFile(filepath.Join(kit, rel)); err == nil {
				f.Add(b, []byte(good["/w/a.xsd"]))
			}
		}
	}
	f.Fuzz(func(t *testing.T, doc, other []byte) {
		files := memFS{"/w/svc.wsdl": string(doc), "/w/a.xsd": string(other), "/w/other.wsdl": string(other)}
		l, err := xsd.NewLoader(xsd.Config{ReadFile: files.read})
		if err != nil {
			t.Fatal(err)
		}
		_, errs := wsdl.Load(l, "/w/svc.wsdl")
		_, serrs := l.Finish()
		for _, e := range append(errs, serrs...) {
			if e.Pos.File == "" || e.Pos.Line < 1 {
				t.Fatalf("error without position: %v", e)
			}
		}
	})
}
