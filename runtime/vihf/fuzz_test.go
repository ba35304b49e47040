package vihf_test

import (
	"os"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
)

// FuzzRead: reading claims never panics, and a token read successfully
// whose claims are valid builds again into a token that reads back the same.
func FuzzRead(f *testing.F) {
	for _, v := range []vihf.Version{vihf.V3, vihf.V4} {
		a, err := builder().Build(sampleClaims(vihf.Indirecte, v))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(xmldsig.Serialize(a.Element))
	}
	if b, err := os.ReadFile(testenv.KitFile(f, "dmp/examples/messages-v02.05.00/vihf/VIHF_INDIRECTE_signe.xml")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := xmldsig.Parse(data)
		if err != nil {
			return
		}
		tok, err := vihf.Read(doc.Root())
		if err != nil || vihf.Check(tok.Claims) != nil {
			return
		}
		a, err := builder().Build(tok.Claims)
		if err != nil {
			t.Fatalf("valid claims do not build: %v", err)
		}
		again, err := vihf.Read(a.Element)
		if err != nil {
			t.Fatalf("built token does not read: %v", err)
		}
		if vihf.Check(again.Claims) != nil {
			t.Fatalf("claims changed validity on the round trip")
		}
	})
}
