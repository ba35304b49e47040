package kittest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

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

// xmllintPerDoc measures libxml2's parse + XSD validation of data per
// document, with schema compilation amortised: the difference between two
// --repeat counts divided by the difference of counts.
func xmllintPerDoc(b *testing.B, data []byte, schema string) time.Duration {
	xmllint := testenv.Tool(b, "xmllint")
	f := filepath.Join(b.TempDir(), "doc.xml")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		b.Fatal(err)
	}
	// xmllint --repeat runs 100 iterations; a plain run is one.
	repeat := func() time.Duration {
		best := time.Duration(1<<63 - 1)
		for i := 0; i < 3; i++ {
			cmd := exec.Command(xmllint, "--noout", "--nonet", "--repeat", "--schema", schema, f)
			start := time.Now()
			out, err := cmd.CombinedOutput()
			d := time.Since(start)
			if err != nil || !bytes.Contains(out, []byte("validates")) {
				b.Fatalf("xmllint: %v\n%s", err, out)
			}
			best = min(best, d)
		}
		return best
	}
	one := func() time.Duration {
		best := time.Duration(1<<63 - 1)
		for i := 0; i < 3; i++ {
			start := time.Now()
			if out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", schema, f).CombinedOutput(); err != nil {
				b.Fatalf("xmllint: %v\n%s", err, out)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	return (repeat() - one()) / 99
}

// BenchmarkDecodeTD31 decodes the TD3.1 response body with the generated
// types, with and without Validate, and reports the ratio to xmllint's
// parse + schema validation of the same bytes measured in the same run.
func BenchmarkDecodeTD31(b *testing.B) {
	data := td31Body(b)
	schema := filepath.Join(testenv.Kit(b), "dmp/annexe-wsdl-schema/schema/ebRS/query.xsd")
	lint := xmllintPerDoc(b, data, schema)
	mbps := func(d time.Duration) float64 { return float64(len(data)) / d.Seconds() / 1e6 }
	for _, validate := range []bool{false, true} {
		name := "decode"
		if validate {
			name = "decode+validate"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				var v query.AdhocQueryResponse
				if _, err := xmltext.Unmarshal(data, &v, xmltext.Options{}); err != nil {
					b.Fatal(err)
				}
				if validate {
					if err := v.Validate(); err != nil {
						b.Fatal(err)
					}
				}
			}
			per := time.Since(start) / time.Duration(b.N)
			b.ReportMetric(mbps(lint), "xmllint-MB/s")
			b.ReportMetric(float64(lint)/float64(per), "x-xmllint")
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
