package render_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/cli"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

// vendorConfig renders the DMP services of the kit, and the typed API,
// under a vendor's own import paths, with other package directories than
// this repository's (rim is ebrim: the rendered imports keep the name rim).
const vendorConfig = `version: 1
catalogs: [catalog.xml]
targets:
  - name: registry
    out: gen/xds
    module: example.com/lps/gen/xds
    inputs:
      - dmp/annexe-wsdl-schema/wsdl/XDS.b_DocumentRegistry.wsdl
      - dmp/annexe-wsdl-schema/wsdl/XDS.b_DocumentRepository.wsdl
    operations:
      DocumentRepository_Binding/DocumentRepository_ProvideAndRegisterDocumentSet-b: {mtomRequest: true}
      DocumentRepository_Binding/DocumentRepository_RetrieveDocumentSet: {mtomResponse: true}
    packages:
      "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0": ebrim
  - name: gdp
    out: gen/gdp
    module: example.com/lps/gen/gdp
    inputs: [dmp/annexe-wsdl-schema/wsdl/GestionDossierPatientPartage.wsdl]
  - name: pdq
    out: gen/pdq
    module: example.com/lps/gen/pdq
    inputs: [dmp/annexe-wsdl-schema/wsdl/PDQSupplier.wsdl]
  - name: dmp
    out: gen/dmp
    module: example.com/lps/gen/dmp
    inputs:
      - dmp/annexe-wsdl-schema/wsdl/Habilitations.wsdl
      - dmp/annexe-wsdl-schema/wsdl/PatientsSpecific.wsdl
  - name: legacy
    out: gen/legacy
    module: example.com/lps/gen/legacy
    inputs: [dmp/annexe-wsdl-schema/wsdl-legacy/PatientsSpecific_v1.0.1_kit-2.06.01.wsdl]
valuesets:
  out: gen/valuesets
api:
  out: dmp
`

// TestVendorModule renders the kit and the typed API into a throwaway
// module outside the repository (example.com/lps, requiring this
// repository through a replace), builds it, and runs examples/dmpflow
// there against the rendered dmp.Client: publish, find, retrieve and
// archive against the test DMP. The vendor's generated packages compile
// cold (about 90 s of CPU): skipped with -short.
func TestVendorModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module of generated code (about 90 s of CPU cold)")
	}
	kit := testenv.Kit(t)
	goTool := testenv.Tool(t, "go")
	root := testenv.RepoRoot()
	dir := t.TempDir()
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOSUMDB=off", "GOPROXY=off", "GOWORK=off")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(goTool, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("mod", "init", "example.com/lps")
	run("mod", "edit", "-require=github.com/dmpgen/dmpgen@v0.0.0-00010101000000-000000000000", "-replace=github.com/dmpgen/dmpgen="+root)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "go.sum"), sum)
	write(t, filepath.Join(dir, "dmpgen.yaml"), []byte(vendorConfig))

	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"generate", "-config", filepath.Join(dir, "dmpgen.yaml"), "-kit", kit}, &stdout, &stderr); code != 0 {
		t.Fatalf("dmpgen generate: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	// A file of the vendor's own in the API's directory is left alone.
	own := []byte("package dmp\n\n// Vendor is the vendor's own code beside the rendering.\nconst Vendor = true\n")
	write(t, filepath.Join(dir, "dmp", "vendor.go"), own)
	if code := cli.Main([]string{"check", "-config", filepath.Join(dir, "dmpgen.yaml"), "-kit", kit}, &stdout, &stderr); code != 0 {
		t.Fatalf("dmpgen check after generate: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if b, err := os.ReadFile(filepath.Join(dir, "dmp", "vendor.go")); err != nil || !bytes.Equal(b, own) {
		t.Errorf("dmp/vendor.go changed by dmpgen check: %q, %v", b, err)
	}

	// The example, bound to the rendered API.
	src, err := os.ReadFile(filepath.Join(root, "examples", "dmpflow", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	bound := bytes.Replace(src, []byte(`"github.com/dmpgen/dmpgen/dmp"`), []byte(`"example.com/lps/dmp"`), 1)
	if bytes.Equal(bound, src) {
		t.Fatal("examples/dmpflow/main.go does not import github.com/dmpgen/dmpgen/dmp")
	}
	write(t, filepath.Join(dir, "cmd", "dmpflow", "main.go"), bound)

	run("build", "./...")
	for _, dep := range strings.Fields(run("list", "-deps", "./dmp/...")) {
		if strings.HasPrefix(dep, "github.com/dmpgen/dmpgen/") && !strings.HasPrefix(dep, "github.com/dmpgen/dmpgen/runtime/") {
			t.Errorf("the rendered API depends on %s: want only the vendor's packages and dmpgen's runtime", dep)
		}
	}
	out := run("run", "./cmd/dmpflow")
	for _, want := range []string{
		"TD2.1  published 1.2.250.1.213.1.1.9.1.42",
		"TD3.1  found 1 document(s); urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e \"Note de consultation\", status urn:oasis:names:tc:ebxml-regrep:StatusType:Approved",
		"TD3.2  retrieved 1080 bytes (text/xml), identical to the published document",
		"TD3.3d archived urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e; TD3.1 finds 1 archived document(s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dmpflow in the vendor module: output lacks %q:\n%s", want, out)
		}
	}
}

func write(t *testing.T, file string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestVendorPinNothingWritten gives the vendor configuration a names: pin
// that renames a type the API uses: generate exits 1 with one error at the
// pin, and writes nothing, not even the targets.
func TestVendorPinNothingWritten(t *testing.T) {
	kit := testenv.Kit(t)
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), []byte("module example.com/lps\n\ngo 1.26\n"))
	cfg := strings.Replace(vendorConfig, `      "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0": ebrim
`, `      "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0": ebrim
    names:
      "{urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0}SlotType1": Slot
`, 1)
	write(t, filepath.Join(dir, "dmpgen.yaml"), []byte(cfg))
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"generate", "-config", filepath.Join(dir, "dmpgen.yaml"), "-kit", kit}, &stdout, &stderr)
	if code != cli.ExitInput {
		t.Errorf("exit %d, want %d", code, cli.ExitInput)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	wantPrefix := filepath.Join(dir, "dmpgen.yaml") + ":16:7: names: this pin renames rim.SlotType1 to ebrim.Slot, which the DMP API uses (Client.Archive (TD3.3d), "
	if len(lines) != 2 || !strings.HasPrefix(lines[0], wantPrefix) || lines[1] != "dmpgen generate: the DMP API (api:) cannot be rendered: nothing written" {
		t.Errorf("stderr:\n%s\nwant 2 lines, the first starting with\n%s", stderr.String(), wantPrefix)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("%d entries in the module, want go.mod and dmpgen.yaml only", len(entries))
	}
}
