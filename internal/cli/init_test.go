package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

// TestInitGenerate runs dmpgen init in a subdirectory of a fresh module,
// then generate and check with the config it wrote.
func TestInitGenerate(t *testing.T) {
	kit := testenv.Kit(t)
	mod := t.TempDir()
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/vendor\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(mod, "app")
	if err := os.Mkdir(app, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(app)
	t.Setenv("DMPGEN_KIT", kit)
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"init"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("init: exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "\t//go:generate go tool dmpgen generate\n") {
		t.Errorf("init does not print the go:generate line:\n%s", stdout.String())
	}
	text, err := os.ReadFile("dmpgen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(text), "# yaml-language-server: $schema="+config.SchemaURL+"\n") {
		t.Errorf("no schema comment on the first line:\n%.200s", text)
	}
	cfg, err := config.Load("dmpgen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := testenv.ValidateYAML(filepath.Join(testenv.RepoRoot(), "internal", "config", "dmpgen.schema.json"), config.SchemaURL, text); err != nil {
		t.Errorf("the starter config does not validate against the JSON Schema: %v", err)
	}
	var names []string
	for _, tg := range cfg.Targets {
		names = append(names, tg.Name+"="+tg.Module)
	}
	if got := strings.Join(names, " "); got != "xds=example.com/vendor/app/generated/xds gdp=example.com/vendor/app/generated/gdp pdq=example.com/vendor/app/generated/pdq dmp=example.com/vendor/app/generated/dmp dmplegacy=example.com/vendor/app/generated/dmplegacy" {
		t.Errorf("targets: %s", got)
	}
	if cfg.Kit != "" || cfg.ValueSets == nil || cfg.ValueSets.Out != "generated/valuesets" {
		t.Errorf("kit %q (want none: it comes from $DMPGEN_KIT), valuesets %+v", cfg.Kit, cfg.ValueSets)
	}

	stdout.Reset()
	stderr.Reset()
	if code := Main([]string{"generate"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("generate with the starter config: exit %d\n%s", code, stderr.String())
	}
	if cfg.API == nil || cfg.API.Out != "dmp" {
		t.Errorf("api: %+v, want out: dmp (the module has a go.mod)", cfg.API)
	}
	for _, f := range []string{"generated/xds/rim/doc.go", "generated/gdp/hl7v3/doc.go", "generated/pdq/pdqv3/doc.go", "generated/dmp/habilitations/doc.go",
		"generated/dmplegacy/patients/doc.go", "generated/valuesets/registry.go", "dmp/client.go", "dmp/xdsrim/xdsrim.go"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("generate did not write %s: %v", f, err)
		}
	}
	if code := Main([]string{"check"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("check: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}

	// A second init refuses to overwrite; -force does, with -kit written.
	stderr.Reset()
	if code := Main([]string{"init"}, &stdout, &stderr); code != ExitInput || !strings.Contains(stderr.String(), "pass -force") {
		t.Fatalf("init over an existing config: exit %d, %s", code, stderr.String())
	}
	if code := Main([]string{"init", "-force", "-kit", kit, "-module", "example.com/m/gen"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("init -force: exit %d, %s", code, stderr.String())
	}
	if cfg, err = config.Load("dmpgen.yaml"); err != nil || cfg.KitDir() != kit || cfg.Targets[0].Module != "example.com/m/gen/xds" {
		t.Fatalf("after init -force -kit -module: %v %+v", err, cfg)
	}
}

func TestInitErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("DMPGEN_KIT", "")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-kit", dir}, ExitInput, "dmpgen init: the kit directory . (from -kit) lacks 8 of the DMP WSDLs: dmp/annexe-wsdl-schema/wsdl/XDS.b_DocumentRegistry.wsdl, dmp/annexe-wsdl-schema/wsdl/XDS.b_DocumentRepository.wsdl, dmp/annexe-wsdl-schema/wsdl/GestionDossierPatientPartage.wsdl, dmp/annexe-wsdl-schema/wsdl/PDQSupplier.wsdl, dmp/annexe-wsdl-schema/wsdl/Habilitations.wsdl, dmp/annexe-wsdl-schema/wsdl/PatientsSpecific.wsdl, dmp/annexe-wsdl-schema/wsdl/patientCertif.wsdl, dmp/annexe-wsdl-schema/wsdl-legacy/PatientsSpecific_v1.0.1_kit-2.06.01.wsdl; want the root of the DMP kit (the directory holding dmp/, ihe/, ws/…)\n"},
		{nil, ExitUsage, "dmpgen init: no kit: pass -kit DIR, set kit: in the config, or set DMPGEN_KIT to the root of the DMP kit (the directory holding dmp/, ihe/, ws/…)\n"},
		{[]string{"-kit", filepath.Join(dir, "nothere")}, ExitInput, "dmpgen init: kit directory nothere (from -kit) does not exist; pass the root of the DMP kit to -kit\n"},
		{[]string{"-out", "../x"}, ExitInput, "dmpgen init: -out ../x: want a directory below this one, such as generated\n"},
		{[]string{"extra"}, ExitUsage, "usage:\n  dmpgen init"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(append([]string{"init"}, tc.args...), &stdout, &stderr); code != tc.code || !strings.HasPrefix(stderr.String(), tc.want) {
			t.Errorf("init %v: exit %d\n%s\nwant %d\n%s", tc.args, code, stderr.String(), tc.code, tc.want)
		}
	}
	if _, err := os.Stat("dmpgen.yaml"); err == nil {
		t.Fatal("a failed init wrote dmpgen.yaml")
	}
}

// TestInitNoModule: without go.mod above and without -module, init says what to do.
func TestInitNoModule(t *testing.T) {
	kit := testenv.Kit(t)
	dir := t.TempDir()
	if _, _, err := findModule(dir); err == nil {
		t.Skip("a go.mod exists above the temporary directory")
	}
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"init", "-kit", kit}, &stdout, &stderr); code != ExitInput || !strings.Contains(stderr.String(), "run go mod init first, or pass -module PATH") {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
}
