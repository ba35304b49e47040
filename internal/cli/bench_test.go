package cli

import (
	"path/filepath"
	"testing"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

func BenchmarkGenerateKit(b *testing.B) {
	kit := testenv.Kit(b)
	cfg, err := config.Load(filepath.Join(testenv.RepoRoot(), "dmpgen.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		for _, t := range cfg.Targets {
			if _, errs := Generate(cfg, t, kit); len(errs) > 0 {
				b.Fatal(errs)
			}
		}
	}
}
