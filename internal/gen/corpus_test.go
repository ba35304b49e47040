package gen

import (
	"go/importer"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

// TestCorpus checks each set of the generality corpus (testdata/corpus,
// public WSDLs and schemas of other services, listed in SOURCES.md) that
// dmpgen generates (cmd.txt "exit: 0"): the generated packages type-check,
// the set's messages/*.xml round-trip as the documents of testdata/gen do
// (decode, Validate, encode, compare; roundTrip) and, where
// messages/schemas.txt names a schema, xmllint finds our encodings valid.
// The sets dmpgen refuses are checked by internal/cli's TestCorpus against
// their stderr.txt.
func TestCorpus(t *testing.T) {
	root := filepath.Join(testenv.RepoRoot(), "testdata", "corpus")
	n := eachGenerated(t, root, "corpustmp", func(t *testing.T, dir, module string, gens []generated) {
		msgs := filepath.Join(dir, "messages")
		if _, err := os.Stat(msgs); err != nil {
			return
		}
		encoded := roundTrip(t, msgs, module, gens)
		validateEncodings(t, dir, filepath.Join(msgs, "schemas.txt"), encoded)
	})
	if n == 0 {
		t.Fatal("no set of testdata/corpus generates successfully")
	}
}

// eachGenerated runs a subtest for each case (directory) of root that
// generates successfully (cmd.txt "exit: 0", no args:): the case's
// packages must type-check, then check runs on them. It returns the
// number of such cases. The generated packages get import paths inside
// this module, under internal/gen/<tmp>/<case> (given to the go command as
// an overlay, never on disk), so that programs over them build offline.
func eachGenerated(t *testing.T, root, tmp string, check func(t *testing.T, dir, module string, gens []generated)) int {
	cases, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	// The runtime packages are type-checked from source, once.
	runtime := importer.ForCompiler(fset, "source", nil).(types.ImporterFrom)
	n := 0
	for _, c := range cases {
		dir := filepath.Join(root, c.Name())
		cmd, err := os.ReadFile(filepath.Join(dir, "cmd.txt"))
		if !c.IsDir() || err != nil || !strings.Contains(string(cmd), "exit: 0") || strings.Contains(string(cmd), "args:") {
			continue
		}
		n++
		t.Run(c.Name(), func(t *testing.T) {
			module := "github.com/dmpgen/dmpgen/internal/gen/" + tmp + "/" + c.Name()
			gens := generateConfig(t, filepath.Join(dir, "dmpgen.yaml"), module)
			for _, g := range gens {
				imp := &genImporter{fset: fset, module: g.target.Module, files: g.files, done: map[string]*types.Package{}, runtime: runtime, srcDir: testenv.RepoRoot()}
				for _, p := range g.prog.Packages {
					if _, err := imp.Import(p.ImportPath); err != nil {
						t.Error(err)
					}
				}
			}
			if !t.Failed() {
				check(t, dir, module, gens)
			}
		})
	}
	return n
}

// validateEncodings validates with xmllint each encoding in encoded that
// list names ("DOC.xml SCHEMA.xsd" lines, schemas relative to dir); a
// missing list validates nothing.
func validateEncodings(t *testing.T, dir, list, encoded string) {
	data, err := os.ReadFile(list)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	xmllint := testenv.Tool(t, "xmllint")
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		doc, schema, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			t.Fatalf("%s:%d: want DOC.xml SCHEMA.xsd", list, i+1)
		}
		schema = filepath.Join(dir, filepath.FromSlash(strings.TrimSpace(schema)))
		out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", schema, filepath.Join(encoded, doc)).CombinedOutput()
		if err != nil {
			t.Errorf("%s:%d: xmllint refuses our encoding of %s: %v\n%s", list, i+1, doc, err, out)
		}
	}
}
