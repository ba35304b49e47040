package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/diag"
	kitdiff "github.com/dmpgen/dmpgen/internal/diff"
)

// Exit statuses of dmpgen diff (those of diff(1)).
const (
	DiffOK       = 0 // no breaking change (or -allow-breaking)
	DiffBreaking = 1 // a breaking change was found
	DiffTrouble  = 2 // usage error or bad input
)

const diffUsage = `usage:
  dmpgen diff -old CONFIG|DIR|FILE -new CONFIG|DIR|FILE [-kit DIR] [-target NAME]
              [-format text|json|markdown] [-allow-breaking] [-v]

Compares two versions of a kit at the level of the generated Go API and
the wire: services, operations, messages, elements, types, fields,
occurrences, facets, enumerations, namespaces and documentation. Each side
is a dmpgen.yaml (targets matched by name), a WSDL/XSD file, or a
directory (its *.wsdl files, else its *.xsd files; its catalog.xml if
present). The kit root (-kit, else $DMPGEN_KIT) resolves a config's
inputs and provides catalog.xml to files; positions are shown relative to
it. Exit status: 0 no breaking change, 1 breaking changes (0 with
-allow-breaking), 2 usage error or bad input.
`

// diffSide is one side of a comparison: its targets by name.
type diffSide map[string]kitdiff.Input

func runDiff(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("dmpgen diff", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, diffUsage) }
	oldArg := fl.String("old", "", "the previous kit: config, directory or file")
	newArg := fl.String("new", "", "the new kit: config, directory or file")
	kit := fl.String("kit", "", "kit root (default $DMPGEN_KIT)")
	target := fl.String("target", "", "compare only this target of the configs")
	format := fl.String("format", "text", "text, json or markdown")
	allow := fl.Bool("allow-breaking", false, "exit 0 even when breaking changes are found")
	verbose := fl.Bool("v", false, "print progress on stderr: each target loaded, with its time, and the total")
	if err := fl.Parse(args); err != nil {
		return DiffTrouble
	}
	if *oldArg == "" || *newArg == "" || fl.NArg() > 0 {
		fmt.Fprint(stderr, diffUsage)
		return DiffTrouble
	}
	switch *format {
	case "text", "json", "markdown":
	default:
		fmt.Fprintf(stderr, "dmpgen diff: -format %q: want text, json or markdown\n", *format)
		return DiffTrouble
	}
	if *kit == "" {
		*kit = os.Getenv("DMPGEN_KIT")
	}
	if *kit != "" {
		abs, err := filepath.Abs(*kit)
		if err != nil {
			fmt.Fprintf(stderr, "dmpgen diff: %v\n", err)
			return DiffTrouble
		}
		*kit = abs
	}
	var errs diag.List
	old, err := resolveSide(*oldArg, *kit, *target)
	errs.AddErr(diag.Pos{File: *oldArg}, err)
	cur, err := resolveSide(*newArg, *kit, *target)
	errs.AddErr(diag.Pos{File: *newArg}, err)
	if len(errs) > 0 {
		printErr(stderr, errs)
		return DiffTrouble
	}
	if err := pairSides(old, cur); err != nil {
		fmt.Fprintf(stderr, "dmpgen diff: %v\n", err)
		return DiffTrouble
	}
	started := time.Now()
	var progress func(side, target string, took time.Duration)
	if *verbose {
		progress = func(side, target string, took time.Duration) {
			if target == "" {
				target = "(files)"
			}
			fmt.Fprintf(stderr, "dmpgen diff: %s: target %s loaded (%s)\n", side, target, seconds(took))
		}
	}
	oldModels, oErrs := loadSide(old, "old", progress)
	newModels, nErrs := loadSide(cur, "new", progress)
	errs = append(oErrs, nErrs...)
	if len(errs) > 0 {
		errs.Sort()
		printErr(stderr, errs)
		return DiffTrouble
	}
	rep := &kitdiff.Report{Old: *oldArg, New: *newArg, Changes: kitdiff.CompareTargets(oldModels, newModels)}
	if *verbose {
		fmt.Fprintf(stderr, "dmpgen diff: %s in %s\n", plural(len(rep.Changes), "change"), seconds(time.Since(started)))
	}
	switch *format {
	case "json":
		err = rep.WriteJSON(stdout)
	case "markdown":
		err = rep.WriteMarkdown(stdout)
	default:
		err = rep.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dmpgen diff: %v\n", err)
		return DiffTrouble
	}
	if rep.Summary().Breaking > 0 && !*allow {
		return DiffBreaking
	}
	return DiffOK
}

// resolveSide turns -old/-new into the targets to load.
func resolveSide(arg, kit, only string) (diffSide, error) {
	abs, err := filepath.Abs(arg)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	ext := strings.ToLower(filepath.Ext(abs))
	if !st.IsDir() && (ext == ".yaml" || ext == ".yml") {
		return configSide(abs, kit, only)
	}
	dir, files := filepath.Dir(abs), []string{abs}
	if st.IsDir() {
		dir = abs
		if files, err = kitFiles(abs); err != nil {
			return nil, err
		}
	} else if ext != ".wsdl" && ext != ".xsd" {
		return nil, fmt.Errorf("%s: want a dmpgen.yaml, a .wsdl or .xsd file, or a directory", arg)
	}
	in := kitdiff.Input{Kit: kit, Root: displayRoot(kit, dir),
		Target: &config.Target{Name: "", Module: "generated", Inputs: files}}
	if c := filepath.Join(dir, "catalog.xml"); st.IsDir() && exists(c) {
		in.Catalogs = []string{c}
	} else if c := filepath.Join(kit, "catalog.xml"); kit != "" && exists(c) {
		in.Catalogs = []string{c}
	}
	if in.Kit == "" {
		in.Kit = dir
	}
	return diffSide{"": in}, nil
}

func configSide(file, kit, only string) (diffSide, error) {
	cfg, err := config.Load(file)
	if err != nil {
		return nil, err
	}
	if k := cfg.KitDir(); k != "" {
		kit = k
	}
	if kit == "" {
		return nil, fmt.Errorf("%s: no kit: use -kit DIR, kit: in the config, or set DMPGEN_KIT", file)
	}
	var catalogs []string
	for _, c := range cfg.Catalogs {
		catalogs = append(catalogs, filepath.Join(kit, filepath.FromSlash(c)))
	}
	side := diffSide{}
	for _, t := range cfg.Targets {
		if only == "" || t.Name == only {
			side[t.Name] = kitdiff.Input{Kit: kit, Catalogs: catalogs, Target: t, Root: kit}
		}
	}
	if len(side) == 0 {
		return nil, fmt.Errorf("%s: no target %q", file, only)
	}
	return side, nil
}

// pairSides lets a single file or directory be compared with a config
// reduced to one target (-target): both get that target's name.
func pairSides(a, b diffSide) error {
	_, aFiles := a[""]
	_, bFiles := b[""]
	if aFiles == bFiles {
		return nil
	}
	files, cfg := a, b
	if bFiles {
		files, cfg = b, a
	}
	if len(cfg) != 1 {
		return fmt.Errorf("comparing a config with files needs -target to choose one of its %d targets", len(cfg))
	}
	for name := range cfg {
		files[name] = files[""]
		delete(files, "")
	}
	return nil
}

// kitFiles lists the *.wsdl files of a directory, else its *.xsd files.
func kitFiles(dir string) ([]string, error) {
	for _, pat := range []string{"*.wsdl", "*.xsd"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			return nil, err
		}
		if len(m) > 0 {
			sort.Strings(m)
			return m, nil
		}
	}
	return nil, fmt.Errorf("%s: no .wsdl or .xsd file", dir)
}

// displayRoot is the directory positions are shown relative to: the kit
// root when dir is inside it, else the working directory.
func displayRoot(kit, dir string) string {
	if kit != "" {
		if r, err := filepath.Rel(kit, dir); err == nil && !strings.HasPrefix(r, "..") {
			return kit
		}
	}
	wd, _ := os.Getwd()
	return wd
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// loadSide loads the targets of one side; progress, when not nil, is
// called after each.
func loadSide(s diffSide, side string, progress func(side, target string, took time.Duration)) (map[string]*kitdiff.Model, diag.List) {
	out := map[string]*kitdiff.Model{}
	var errs diag.List
	for _, name := range sortedNames(s) {
		t0 := time.Now()
		m, mErrs := kitdiff.Load(s[name])
		if progress != nil && len(mErrs) == 0 {
			progress(side, name, time.Since(t0))
		}
		errs = append(errs, mErrs...)
		out[name] = m
	}
	return out, errs
}

func sortedNames(s diffSide) []string {
	var out []string
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
