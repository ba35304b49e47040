package xmltext

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

const td31 = "dmp/examples/messages-v02.05.00/TD3.1_Recherche-de-document_reponse.xml"

// BenchmarkTokenize tokenizes the official TD3.1 response (whole file) with
// Decoder.Next, and, as baselines measured in the same run, with encoding/xml
// Decoder.Token and RawToken. It logs the throughput ratios.
func BenchmarkTokenize(b *testing.B) {
	data, err := os.ReadFile(testenv.KitFile(b, td31))
	if err != nil {
		b.Fatal(err)
	}
	nsPerOp := map[string]float64{}
	run := func(name string, f func(b *testing.B) int) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			tokens := 0
			for i := 0; i < b.N; i++ {
				tokens = f(b)
			}
			b.ReportMetric(float64(tokens), "tokens/op")
			nsPerOp[name] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		})
	}
	run("xmltext.Next", func(b *testing.B) int {
		d := NewDecoder(data, Options{})
		n := 0
		for {
			_, err := d.Next()
			if err == io.EOF {
				return n
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	})
	std := func(raw bool) func(b *testing.B) int {
		return func(b *testing.B) int {
			d := xml.NewDecoder(bytes.NewReader(data))
			n := 0
			for {
				var err error
				if raw {
					_, err = d.RawToken()
				} else {
					_, err = d.Token()
				}
				if err == io.EOF {
					return n
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
	}
	run("encoding-xml.Token", std(false))
	run("encoding-xml.RawToken", std(true))
	ours := nsPerOp["xmltext.Next"]
	for _, base := range []string{"encoding-xml.Token", "encoding-xml.RawToken"} {
		if ours > 0 && nsPerOp[base] > 0 {
			b.Logf("xmltext.Next is %.2fx faster than %s (%.0f vs %.0f MB/s)", nsPerOp[base]/ours, base,
				float64(len(data))/ours*1e3, float64(len(data))/nsPerOp[base]*1e3)
		}
	}
}

// BenchmarkReadWriteElement reads the TD3.1 root into a DOM and writes it back.
func BenchmarkReadWriteElement(b *testing.B) {
	data, err := os.ReadFile(testenv.KitFile(b, td31))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var out bytes.Buffer
	for i := 0; i < b.N; i++ {
		d := NewDecoder(data, Options{})
		tok, err := d.Next()
		if err != nil {
			b.Fatal(err)
		}
		el, err := d.ReadElement(tok)
		if err != nil {
			b.Fatal(err)
		}
		out.Reset()
		e := NewEncoder(&out)
		e.WriteElement(el)
		if err := e.Finish(); err != nil {
			b.Fatal(err)
		}
	}
}
