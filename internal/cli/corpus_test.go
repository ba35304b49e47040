package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

// TestCorpus runs "dmpgen generate" on each set of the generality corpus
// (testdata/corpus: public WSDLs and schemas of other services) and compares
// its exit status and stderr with the set's expected outcome, as
// TestBadInput does: cmd.txt "exit: 0" for a set that generates (its
// stderr.txt then holds the warnings, if any), exit status 1 and the
// positioned errors in stderr.txt for a set refused, so that a change
// either way fails. Each set must carry the licence of its files (LICENSE),
// be listed in SOURCES.md and generate only under its out directory. The
// sets that generate are type-checked and round-tripped by internal/gen's
// TestCorpus. go test ./internal/cli -run TestCorpus -update rewrites
// stderr.txt.
func TestCorpus(t *testing.T) {
	root := filepath.Join(testenv.RepoRoot(), "testdata", "corpus")
	sources, err := os.ReadFile(filepath.Join(root, "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	sets, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range sets {
		if !s.IsDir() {
			continue
		}
		n++
		dir := filepath.Join(root, s.Name())
		if _, err := os.Stat(filepath.Join(dir, "LICENSE")); err != nil {
			t.Errorf("%s: no LICENSE: copy the licence of the set's files next to them", s.Name())
		}
		if !strings.Contains(string(sources), "`"+s.Name()+"`") {
			t.Errorf("%s is not listed in testdata/corpus/SOURCES.md: add its source, commit, licence and what it exercises", s.Name())
		}
		cfg, err := config.Load(filepath.Join(dir, "dmpgen.yaml"))
		if err != nil {
			t.Errorf("%s: %v", s.Name(), err)
			continue
		}
		for _, tg := range cfg.Targets {
			if o := filepath.ToSlash(tg.Out); o != "out" && !strings.HasPrefix(o, "out/") {
				t.Errorf("%s: target %s writes to %s: the test removes only out/, use out or out/…", s.Name(), tg.Name, tg.Out)
			}
		}
	}
	if n == 0 {
		t.Fatal("testdata/corpus has no set")
	}
	runGolden(t, "corpus")
}
