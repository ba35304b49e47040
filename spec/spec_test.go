// Package spec holds the freely licensed schemas and WSDLs dmpgen ships
// (W3C, OASIS, IHE through Open eHealth IPF), laid out as in the DMP kit so
// that `-kit spec` generates the targets that need nothing else, and the lock
// of the kit that generated/ was generated from. See README.md.
package spec

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/cli"
	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

// sourceRow matches a file row of SOURCES.md: path and SHA-256.
var sourceRow = regexp.MustCompile("^\\| `([^`]+)` \\| `([0-9a-f]{64})` \\|")

// notSchemas are the files of spec/ written for dmpgen, not copied.
func notSchema(p string) bool {
	return strings.HasPrefix(p, "LICENSES/") || strings.HasSuffix(p, ".md") ||
		strings.HasSuffix(p, ".go") || p == "catalog.xml" || p == "kit.lock"
}

// sources reads SOURCES.md: path → SHA-256.
func sources(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := sourceRow.FindStringSubmatch(sc.Text()); m != nil {
			out[m[1]] = m[2]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("SOURCES.md lists no file")
	}
	return out
}

// TestSources: every copied file is listed in SOURCES.md with its SHA-256,
// every listed file exists, and, with the kit, equals the kit's copy.
func TestSources(t *testing.T) {
	want := sources(t)
	seen := map[string]bool{}
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		p = filepath.ToSlash(p)
		if notSchema(p) {
			return nil
		}
		seen[p] = true
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		switch h, ok := want[p]; {
		case !ok:
			t.Errorf("%s is not listed in SOURCES.md: record where it comes from and its licence", p)
		case h != hex.EncodeToString(sum[:]):
			t.Errorf("%s: SHA-256 %x, SOURCES.md says %s: files here are verbatim copies, never edited", p, sum, h)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for p := range want {
		if !seen[p] {
			t.Errorf("SOURCES.md lists %s, which is not in spec/", p)
		}
	}
	kit := testenv.KitDir()
	if kit == "" {
		return // the kit comparison below needs it; the checks above did not
	}
	for p := range want {
		mine, _ := os.ReadFile(filepath.FromSlash(p))
		theirs, err := os.ReadFile(filepath.Join(kit, filepath.FromSlash(p)))
		if err != nil {
			t.Errorf("kit copy of %s: %v", p, err)
			continue
		}
		if !bytes.Equal(mine, theirs) {
			t.Errorf("%s differs from the kit's copy at the same path", p)
		}
	}
}

// TestGenerateWithoutKit: the targets of the repository's dmpgen.yaml that
// need only the schemas of spec/ generate, with -kit spec, exactly what is
// committed in generated/. This runs on a clone without the DMP kit.
func TestGenerateWithoutKit(t *testing.T) {
	root := testenv.RepoRoot()
	cfg, err := config.Load(filepath.Join(root, "dmpgen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ws", "ihe"} {
		t.Run(name, func(t *testing.T) {
			var target *config.Target
			for _, tg := range cfg.Targets {
				if tg.Name == name {
					target = tg
				}
			}
			if target == nil {
				t.Fatalf("dmpgen.yaml has no target %q", name)
			}
			files, errs := cli.Generate(cfg, target, spec)
			if len(errs) > 0 {
				t.Fatalf("generate %s with -kit spec: %v", name, errs)
			}
			diffs, err := cli.Compare(filepath.Join(root, filepath.FromSlash(target.Out)), files)
			if err != nil {
				t.Fatal(err)
			}
			if len(diffs) > 0 {
				t.Errorf("generated/%s differs from what -kit spec generates: %v", name, diffs)
			}
			var paths []string
			for p := range files {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			t.Logf("%d files generated from spec/ match generated/%s", len(paths), name)
		})
	}
}
