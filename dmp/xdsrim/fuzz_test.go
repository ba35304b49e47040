package xdsrim_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/dmpgen/dmpgen/dmp/xdsrim"
	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// maxSeed leaves out the 200 KB TD3.1 response (TestRoundTripKit covers
// it): mutating inputs that large makes fuzzing crawl.
const maxSeed = 64 << 10

// FuzzDecode feeds SubmitObjectsRequest and AdhocQueryResponse documents
// through the generated decoder and the model: whatever the generated
// bindings accept, Decode either rejects with an error or maps losslessly
// (Encode gives back what the bindings alone re-encode), and the rules of
// every transaction run without panicking. Seeds: the golden files of
// testdata/xds and the metadata of the kit examples.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(), "testdata", "xds", "*.xml"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	if testenv.KitDir() != "" {
		for _, ex := range examples {
			if len(ex.quirks) > 0 {
				continue // the fuzzed decoder is strict
			}
			for _, c := range load(f, ex) {
				if len(c.orig) <= maxSeed {
					f.Add(c.orig)
				}
			}
		}
	}
	f.Fuzz(fuzzBody)
}

func fuzzBody(t *testing.T, data []byte) {
	d := xmltext.NewDecoder(data, xmltext.Options{File: "fuzz"})
	tok, err := d.Next()
	for err == nil && tok.Kind != xmltext.StartElement {
		tok, err = d.Next()
	}
	if err != nil {
		return
	}
	var v xmlbind.Value
	var list **rim.RegistryObjectListType
	switch tok.Name {
	case nameSubmit:
		x := new(lcm.SubmitObjectsRequest)
		v, list = x, &x.RegistryObjectList
	case nameResponse:
		x := new(query.AdhocQueryResponse)
		v, list = x, &x.RegistryObjectList
	default:
		return
	}
	if err := v.UnmarshalXMLText(d, &tok); err != nil {
		return
	}
	bindingsOnly := marshalValue(t, v, tok.Name)
	m, err := xdsrim.Decode(*list)
	if err != nil {
		return // refused loudly: allowed
	}
	for _, tr := range []xds.Transaction{xds.ITI41, xds.ITI42, xds.ITI18, xds.ITI57} {
		xds.Validate(m, xds.Options{Transaction: tr, Profile: hl7v2.DMP, ValueSets: xdsrim.DMPValueSets(), RequireDisplayNames: true})
	}
	*list = xdsrim.Encode(m)
	viaModel := marshalValue(t, v, tok.Name)
	if diff, err := xmlcmp.Diff(bindingsOnly, viaModel); err != nil || diff != "" {
		t.Fatalf("model round trip differs (%v): %s\nbindings only: %s\nvia model:     %s", err, diff, bindingsOnly, viaModel)
	}
}

func marshalValue(t *testing.T, v xmlbind.Value, name xmltext.Name) []byte {
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	if err := v.MarshalXMLText(e, name); err != nil {
		t.Fatalf("encode: %v", err)
	}
	if err := e.Flush(); err != nil {
		t.Fatalf("encode: %v", err)
	}
	return buf.Bytes()
}
