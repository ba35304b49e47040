package diff

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/lower"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/wsdl"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// BenchmarkKit measures, over every target of the repository's config,
// what dmpgen diff adds to loading and lowering (its baseline, measured in
// the same run): building both models and comparing them. It reports the
// ratio diff/lower.
func BenchmarkKit(b *testing.B) {
	kit := testenv.Kit(b)
	cfg, err := config.Load(filepath.Join(testenv.RepoRoot(), "dmpgen.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	var catalogs []string
	for _, c := range cfg.Catalogs {
		catalogs = append(catalogs, filepath.Join(kit, c))
	}
	var lowerTime, diffTime time.Duration
	for b.Loop() {
		for _, t := range cfg.Targets {
			start := time.Now()
			l, err := xsd.NewLoader(xsd.Config{Catalogs: catalogs})
			if err != nil {
				b.Fatal(err)
			}
			var defs []*wsdl.Definitions
			for _, in := range t.Inputs {
				p := filepath.Join(kit, in)
				if filepath.Ext(p) == ".wsdl" {
					d, errs := wsdl.Load(l, p)
					if len(errs) > 0 {
						b.Fatal(errs)
					}
					defs = append(defs, d)
					continue
				}
				l.AddSchemaFile(p)
			}
			set, errs := l.Finish()
			if len(errs) > 0 {
				b.Fatal(errs)
			}
			prog, errs := lower.Lower(lower.Input{Set: set, Defs: defs, Target: t, KitDir: kit})
			if len(errs) > 0 {
				b.Fatal(errs)
			}
			mid := time.Now()
			m1, m2 := Build(set, defs, prog), Build(set, defs, prog)
			if cs := Compare(t.Name, m1, m2); len(cs) > 0 {
				b.Fatalf("%s differs from itself", t.Name)
			}
			end := time.Now()
			lowerTime += mid.Sub(start)
			diffTime += end.Sub(mid)
		}
	}
	b.ReportMetric(float64(diffTime)/float64(lowerTime), "diff/lower")
	b.ReportMetric(float64(diffTime.Milliseconds())/float64(b.N), "diff-ms/op")
}
