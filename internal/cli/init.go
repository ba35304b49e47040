package cli

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/diag"
)

const initUsage = `usage:
  dmpgen init [-kit DIR] [-module PATH] [-out DIR] [-force]

Writes a commented dmpgen.yaml in the working directory for the DMP
services: the 7 WSDLs of the kit's dmp/annexe-wsdl-schema/wsdl/ and the
legacy PatientsSpecific v1.0.1 in the targets that can coexist (xds, gdp,
pdq, dmp, dmplegacy) and the value sets, generated under -out, and, when
the module has a go.mod, the typed DMP API (api:) in dmp/. The kit (-kit,
else $DMPGEN_KIT) must hold those WSDLs. The import path of -out comes
from -module, else from the nearest go.mod.
Prints the //go:generate line to add. Refuses to overwrite dmpgen.yaml
without -force.
`

// dmpWSDLDir is where the kit keeps the DMP WSDLs.
const dmpWSDLDir = "dmp/annexe-wsdl-schema/wsdl"

// initTarget is one target of the starter config.
type initTarget struct {
	name, comment string
	dir           string   // of the WSDLs in the kit ("": dmpWSDLDir)
	wsdls         []string // under dir
	packages      [][2]string
	operations    []string // YAML lines under operations:, already indented
}

// initTargets splits the DMP WSDLs into targets whose schemas agree: GDP
// uses HL7 v3 NE2009 and PDQ NE2008, which define urn:hl7-org:v3 differently.
var initTargets = []initTarget{
	{
		name:    "xds",
		comment: "XDS.b document registry and repository",
		wsdls:   []string{"XDS.b_DocumentRegistry.wsdl", "XDS.b_DocumentRepository.wsdl"},
		packages: [][2]string{
			{"urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0", "rim"},
			{"urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0", "rs"},
			{"urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0", "query"},
			{"urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0", "lcm"},
			{"urn:ihe:iti:xds-b:2007", "xdsb"},
			{"http://www.w3.org/XML/1998/namespace", "xmlns"},
		},
		operations: []string{
			"# The WSDLs do not declare MTOM: ITI-41 requests and ITI-43",
			"# responses carry the documents as XOP attachments.",
			"DocumentRepository_Binding/DocumentRepository_ProvideAndRegisterDocumentSet-b:",
			"  mtomRequest: true",
			"DocumentRepository_Binding/DocumentRepository_RetrieveDocumentSet:",
			"  mtomResponse: true",
		},
	},
	{
		name:     "gdp",
		comment:  "patient record administration, HL7 v3 NE2009: not with pdq",
		wsdls:    []string{"GestionDossierPatientPartage.wsdl"},
		packages: [][2]string{{"urn:hl7-org:v3", "hl7v3"}, {"asip:ci-sis:gdp:2010", "gdp"}},
	},
	{
		name:     "pdq",
		comment:  "patient demographics query, HL7 v3 NE2008: not with gdp",
		wsdls:    []string{"PDQSupplier.wsdl"},
		packages: [][2]string{{"urn:hl7-org:v3", "hl7v3"}, {"urn:ihe:iti:pdqv3:2007", "pdqv3"}},
	},
	{
		name:     "dmp",
		comment:  "authorizations, patient-specific services and patient certificates",
		wsdls:    []string{"Habilitations.wsdl", "PatientsSpecific.wsdl", "patientCertif.wsdl"},
		packages: [][2]string{{"urn:si-dmp-habilitations", "habilitations"}, {"urn:si-dmp-patients", "patients"}},
	},
	{
		name:     "dmplegacy",
		comment:  "PatientsSpecific v1.0.1: the TD1.5a/b/d operations v1.0.2 removed, which the DMP API (api:) offers",
		dir:      "dmp/annexe-wsdl-schema/wsdl-legacy",
		wsdls:    []string{"PatientsSpecific_v1.0.1_kit-2.06.01.wsdl"},
		packages: [][2]string{{"urn:si-dmp-patients", "patients"}},
	},
}

// wsdlDir is where the kit keeps the WSDLs of t.
func (t initTarget) wsdlDir() string {
	if t.dir == "" {
		return dmpWSDLDir
	}
	return t.dir
}

func runInit(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("dmpgen init", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, initUsage) }
	kitFlag := fl.String("kit", "", "root of the DMP kit (default $DMPGEN_KIT); written as kit: when given")
	module := fl.String("module", "", "import path of -out (default: from the nearest go.mod)")
	out := fl.String("out", "generated", "directory of the generated code, relative to dmpgen.yaml")
	force := fl.Bool("force", false, "overwrite an existing dmpgen.yaml")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	if fl.NArg() > 0 {
		fmt.Fprint(stderr, initUsage)
		return ExitUsage
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "dmpgen init: "+format+"\n", args...)
		return ExitInput
	}
	wd, err := os.Getwd()
	if err != nil {
		return fail("%v", err)
	}
	file := filepath.Join(wd, "dmpgen.yaml")
	if _, err := os.Stat(file); err == nil && !*force {
		return fail("dmpgen.yaml already exists: pass -force to overwrite it")
	}
	outDir := filepath.ToSlash(filepath.Clean(*out))
	if filepath.IsAbs(*out) || outDir == "." || strings.HasPrefix(outDir, "../") || outDir == ".." {
		return fail("-out %s: want a directory below this one, such as generated", *out)
	}
	kit, err := resolveKit(*kitFlag, &config.Config{File: file})
	if err != nil {
		code := fail("%v", err)
		if kit.dir == "" {
			return ExitUsage // no kit named at all, as for generate
		}
		return code
	}
	var missing []string
	for _, t := range initTargets {
		for _, w := range t.wsdls {
			if st, err := os.Stat(filepath.Join(kit.dir, filepath.FromSlash(t.wsdlDir()), w)); err != nil || st.IsDir() {
				missing = append(missing, t.wsdlDir()+"/"+w)
			}
		}
	}
	if len(missing) > 0 {
		return fail("the kit directory %s (from %s) lacks %d of the DMP WSDLs: %s; want the root of the DMP kit (the directory holding dmp/, ihe/, ws/…)",
			diag.ShortPath(wd, kit.dir), kit.from, len(missing), strings.Join(missing, ", "))
	}
	mod := *module
	_, _, modErr := findModule(wd)
	if mod == "" {
		modFile, modPath, err := findModule(wd)
		if err != nil {
			return fail("%v", err)
		}
		rel, _ := filepath.Rel(filepath.Dir(modFile), wd)
		mod = path.Join(modPath, filepath.ToSlash(rel), outDir)
	} else {
		mod = strings.TrimSuffix(mod, "/")
	}
	kitLine := "# kit: path/to/kit   # the kit root, relative to this file; default $DMPGEN_KIT"
	if *kitFlag != "" {
		kitLine = "kit: " + filepath.ToSlash(diag.ShortPath(wd, kit.dir)) + "   # the kit root, relative to this file (-kit and $DMPGEN_KIT win over it)"
	}
	data := starterConfig(kitLine, outDir, mod, modErr == nil)
	if _, err := config.Parse(file, data); err != nil {
		return fail("internal error: the starter config does not parse: %v", err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(stdout, `wrote dmpgen.yaml: targets xds, gdp, pdq, dmp, dmplegacy and the value sets, into %s/ (%s/…),
and the typed DMP API (dmp.Client) into dmp/ when the module has a go.mod

Add dmpgen as a tool of your module and a go:generate line to a Go file of
this directory (for instance generate.go):

	go get -tool github.com/dmpgen/dmpgen/cmd/dmpgen

	//go:generate go tool dmpgen generate

then run go generate (or go tool dmpgen generate), and go tool dmpgen check
in CI.
`, outDir, mod)
	return ExitOK
}

// findModule returns the nearest go.mod at or above dir and its module path.
func findModule(dir string) (file, modPath string, err error) {
	for d := dir; ; d = filepath.Dir(d) {
		f := filepath.Join(d, "go.mod")
		data, err := os.ReadFile(f)
		switch {
		case err == nil:
			if p := modulePath(data); p != "" {
				return f, p, nil
			}
			return "", "", fmt.Errorf("%s has no module line: pass -module PATH", f)
		case !errors.Is(err, fs.ErrNotExist):
			return "", "", err
		}
		if filepath.Dir(d) == d {
			return "", "", fmt.Errorf("no go.mod in %s or above: run go mod init first, or pass -module PATH (the import path of the generated code)", dir)
		}
	}
}

// modulePath reads the module line of a go.mod file.
func modulePath(data []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`+"`")
		}
	}
	return ""
}

// starterConfig returns the text of the starter dmpgen.yaml.
// With api, it renders the DMP API too, which needs the module's go.mod.
func starterConfig(kitLine, out, mod string, api bool) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `# yaml-language-server: $schema=%s
#
# dmpgen configuration (written by dmpgen init): the DMP services of the
# official kit, generated into %s/. Regenerate with go generate or
# go tool dmpgen generate; go tool dmpgen check fails when %s/ is stale.
# Every key is described in dmpgen's docs/config.md.
version: 1
%s
catalogs: [catalog.xml]   # the kit's OASIS catalog: maps absolute schema URLs to its files
# Targets are independent schema sets. They exist because the kit ships
# incompatible documents for one namespace (HL7 v3 NE2008 and NE2009):
# dmpgen reports the inputs that conflict and how to split them.
targets:
`, config.SchemaURL, out, out, kitLine)
	for _, t := range initTargets {
		fmt.Fprintf(&b, "  # %s\n  - name: %s\n    out: %s/%s\n    module: %s/%s\n    inputs:\n", t.comment, t.name, out, t.name, mod, t.name)
		for _, w := range t.wsdls {
			fmt.Fprintf(&b, "      - %s/%s\n", t.wsdlDir(), w)
		}
		b.WriteString("    packages:   # XML namespace -> package directory (default: derived from the namespace)\n")
		for _, p := range t.packages {
			fmt.Fprintf(&b, "      %q: %s\n", p[0], p[1])
		}
		if len(t.operations) > 0 {
			b.WriteString("    operations:   # per Binding/operation: action, responseAction, mtomRequest, mtomResponse, endpoint\n")
			for _, l := range t.operations {
				fmt.Fprintf(&b, "      %s\n", l)
			}
		}
	}
	fmt.Fprintf(&b, `valuesets:
  # The CI-SIS / DMP value sets (JDV) of the kit, as typed Go constants.
  out: %s/valuesets
lock:
  # Every kit file read, with its SHA-256: dmpgen check names the kit files
  # that changed since the code was generated. Commit it with the code.
  out: dmpgen.lock
`, out)
	apiText := `api:
  # The typed DMP API (dmp.Client: TD0.2 … TD3.3) rendered into dmp/,
  # bound to the packages of the targets above (dmpgen's docs/api.md).
  out: dmp
`
	if !api {
		apiText = "# api: {out: dmp}   # the typed DMP API (dmp.Client); needs the module's go.mod\n"
	}
	b.WriteString(apiText)
	return []byte(b.String())
}
