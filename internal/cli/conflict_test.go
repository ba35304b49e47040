package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/testenv"
)

// TestKitConflictingWSDLs puts the 7 DMP WSDLs of the kit in one target:
// the HL7 v3 NE2008 (PDQ) and NE2009 (GDP) schemas define urn:hl7-org:v3
// twice. dmpgen used to print 807 lines; it must print one error for the
// pair of inputs and a split of the target that generates.
func TestKitConflictingWSDLs(t *testing.T) {
	kit := testenv.Kit(t)
	dir := t.TempDir()
	wsdls, err := filepath.Glob(filepath.Join(kit, "dmp", "annexe-wsdl-schema", "wsdl", "*.wsdl"))
	if err != nil || len(wsdls) != 7 {
		t.Fatalf("want the 7 DMP WSDLs of the kit, got %d (%v)", len(wsdls), err)
	}
	cfgText := "version: 1\nkit: " + kit + "\ncatalogs: [catalog.xml]\ntargets:\n  - name: dmp\n    out: gen\n    module: example.com/app/gen\n    inputs:\n"
	for _, w := range wsdls {
		r, _ := filepath.Rel(kit, w)
		cfgText += "      - " + filepath.ToSlash(r) + "\n"
	}
	cfgFile := filepath.Join(dir, "dmpgen.yaml")
	if err := os.WriteFile(cfgFile, []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"generate"}, &stdout, &stderr); code != ExitInput {
		t.Fatalf("exit %d, want %d\n%s", code, ExitInput, stderr.String())
	}
	got := stderr.String()
	if n := strings.Count(got, "\n"); n > 25 {
		t.Errorf("%d lines of errors, want a handful:\n%s", n, got)
	}
	for _, want := range []string{
		"inputs dmp/annexe-wsdl-schema/wsdl/GestionDossierPatientPartage.wsdl and dmp/annexe-wsdl-schema/wsdl/PDQSupplier.wsdl cannot share a target: the documents they read define 807 types differently\n",
		"\ttype {urn:hl7-org:v3}AcknowledgementType at ",
		"\t… and 804 more\n",
		"dmpgen.yaml:5:5: target dmp: split its inputs into 2 targets",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("stderr lacks %q:\n%s", want, got)
		}
	}
	// The proposed split is YAML for targets: use it, and it generates.
	_, hint, _ := strings.Cut(got, "for example:\n")
	var lines []string
	for _, l := range strings.Split(hint, "\n") {
		if !strings.HasPrefix(l, "\t") {
			break
		}
		lines = append(lines, strings.TrimPrefix(l, "\t"))
	}
	var split []*config.Target
	if err := yaml.Unmarshal([]byte(strings.Join(lines, "\n")), &split); err != nil || len(split) != 2 {
		t.Fatalf("the hint is not a list of 2 targets (%v):\n%s", err, strings.Join(lines, "\n"))
	}
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range split {
		if _, errs := Generate(cfg, tg, kit); len(errs) > 0 {
			t.Errorf("target %s of the proposed split: %v", tg.Name, errs)
		}
	}
}
