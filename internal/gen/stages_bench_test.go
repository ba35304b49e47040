package gen

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"testing"

	"github.com/dmpgen/dmpgen/internal/goformat"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

// The benchmarks below time the stages after printing on the whole kit's
// output (every target of the repository's dmpgen.yaml), on one CPU:
// go test -bench 'Kit(Layout|Verify|Parse)' -cpu 1 ./internal/gen

// kitStage returns the kit's output, raw or laid out, in path order, and
// its size.
func kitStage(b *testing.B, laidOut bool) ([][]byte, int) {
	raw := rawOutput(b, filepath.Join(testenv.RepoRoot(), "dmpgen.yaml"), testenv.Kit(b))
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Strings(names)
	var out [][]byte
	size := 0
	for _, n := range names {
		src := raw[n]
		if laidOut {
			var err error
			if src, err = goformat.Layout(src); err != nil {
				b.Fatal(err)
			}
		}
		out = append(out, src)
		size += len(src)
	}
	return out, size
}

// BenchmarkKitLayout: goformat.Layout on the raw output.
func BenchmarkKitLayout(b *testing.B) {
	raw, size := kitStage(b, false)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range raw {
			if _, err := goformat.Layout(r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkKitVerify: the syntax check generation runs, one Verifier per
// run, as one generation shares one.
func BenchmarkKitVerify(b *testing.B) {
	stage(b, func(v *goformat.Verifier, src []byte) error { return v.Verify(src) })
}

// BenchmarkKitParse: go/parser on every file, the baseline of Verify.
func BenchmarkKitParse(b *testing.B) {
	stage(b, func(_ *goformat.Verifier, src []byte) error {
		_, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
		return err
	})
}

func stage(b *testing.B, check func(*goformat.Verifier, []byte) error) {
	srcs, size := kitStage(b, true)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		v := goformat.NewVerifier()
		for _, s := range srcs {
			if err := check(v, s); err != nil {
				b.Fatal(err)
			}
		}
	}
}
