package kittest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// td31Body returns the body element of the official TD3.1 response (the
// 212 KB AdhocQueryResponse) as a standalone document.
func td31Body(b testing.TB) []byte {
	kit := testenv.Kit(b)
	data, err := os.ReadFile(filepath.Join(kit, "dmp/examples/messages-v02.05.00/TD3.1_Recherche-de-document_reponse.xml"))
	if err != nil {
		b.Fatal(err)
	}
	root, err := parse(data, "TD3.1", false)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range root.Elements() {
		if c.Name.Local == "Body" {
			out, err := serialize(c.Elements()[0])
			if err != nil {
				b.Fatal(err)
			}
			return out
		}
	}
	b.Fatal("no body")
	return nil
}

// BenchmarkDecodeTD31 decodes the TD3.1 response body with the generated
// types, with and without Validate, and reports the ratios to xmllint's
// parse + schema validation of the same bytes measured in the same run, in
// wall-clock and in CPU time (testenv.ReportVsXmllint).
func BenchmarkDecodeTD31(b *testing.B) {
	data := td31Body(b)
	schema := filepath.Join(testenv.Kit(b), "dmp/annexe-wsdl-schema/schema/ebRS/query.xsd")
	lint := testenv.XmllintPerDoc(b, data, schema)
	for _, validate := range []bool{false, true} {
		name := "decode"
		if validate {
			name = "decode+validate"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			ours := testenv.BenchLoop(b, func() {
				var v query.AdhocQueryResponse
				if _, err := xmltext.Unmarshal(data, &v, xmltext.Options{}); err != nil {
					b.Fatal(err)
				}
				if validate {
					if err := v.Validate(); err != nil {
						b.Fatal(err)
					}
				}
			})
			testenv.ReportVsXmllint(b, lint, ours)
		})
	}
}

// TestDecodeTD31Allocs bounds the allocations of a TD3.1 decode: their
// number (2,028 for the 212 KB response; a token moved to the heap by a
// call through an interface adds one per element, about 2,000 here, and
// optional strings allocated one by one instead of in blocks 1,150) and
// their bytes, at most 1.5 times the document (290 KB; slices grown element
// by element took 364 KB).
func TestDecodeTD31Allocs(t *testing.T) {
	data := td31Body(t)
	decode := func() {
		var v query.AdhocQueryResponse
		if _, err := xmltext.Unmarshal(data, &v, xmltext.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := testing.AllocsPerRun(5, decode); n > 2100 {
		t.Errorf("%v allocations per TD3.1 decode, want at most 2,100", n)
	}
	const runs = 5
	decode()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		decode()
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / runs; float64(per) > 1.5*float64(len(data)) {
		t.Errorf("%d bytes allocated per TD3.1 decode, %.2f times the %d-byte document; want at most 1.5", per, float64(per)/float64(len(data)), len(data))
	}
}
