// Package cli implements the dmpgen command line: config → load → lower →
// emit → write (or compare).
package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dmpgen/dmpgen/internal/buildinfo"
	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/gen"
	"github.com/dmpgen/dmpgen/internal/goformat"
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/load"
	"github.com/dmpgen/dmpgen/internal/lock"
	"github.com/dmpgen/dmpgen/internal/textdiff"
	"github.com/dmpgen/dmpgen/internal/valueset"
)

// Exit statuses.
const (
	ExitOK    = 0
	ExitInput = 1 // bad input, or generated/ is stale (check)
	ExitUsage = 2
)

const usage = `usage:
  dmpgen generate [-config dmpgen.yaml] [-kit DIR] [-catalog FILE]... [-strict] [-v]
  dmpgen generate -kit DIR -out DIR [-module IMPORTPATH] [-catalog FILE]... [-strict] [-v] FILE.wsdl|FILE.xsd ...
  dmpgen check    [-config dmpgen.yaml] [-kit DIR] [-catalog FILE]... [-strict] [-diff] [-v]
  dmpgen diff     -old CONFIG|DIR|FILE -new CONFIG|DIR|FILE [-kit DIR] [-target NAME]
                  [-format text|json|markdown] [-allow-breaking] [-v]
  dmpgen testdmp  [-v] [-addr 127.0.0.1:8443] [-dir DIR] [-kit DIR] [-ca FILE] [-vihf-ca FILE]
                  [-skew DURATION] [-log text|json] [-tls dmp|modern]   (runs dmpgen-testdmp)
  dmpgen vet      [-v] [-format text|json|junit|html] [-o FILE] [-trust CA.pem] [-at TIME]
                  CAPTURE|DIR ...   (runs dmpgen-vet: checks captured DMP exchanges offline)
  dmpgen rehearse [-v] [-dir DIR] [-format text|json|junit|html] [-o FILE]
                  (runs dmpgen-rehearse: the compatibility flow against a recording test DMP)
  dmpgen init     [-kit DIR] [-module PATH] [-out DIR] [-force]
  dmpgen version  (or dmpgen -version)

The kit root comes from -kit, else the config's kit:, else $DMPGEN_KIT.
Exit status: 0 success, 1 bad input (or, for check, generated files
differ), 2 usage.
`

// Main runs the command line and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "generate":
		return run(args[1:], false, stdout, stderr)
	case "check":
		return run(args[1:], true, stdout, stderr)
	case "diff":
		return runDiff(args[1:], stdout, stderr)
	case "testdmp":
		return runTool(testDMPTool, args[1:], stdout, stderr)
	case "vet":
		return runTool(vetTool, args[1:], stdout, stderr)
	case "rehearse":
		return runTool(rehearseTool, args[1:], stdout, stderr)
	case "init":
		return runInit(args[1:], stdout, stderr)
	case "version", "-version", "--version":
		if len(args) > 1 {
			fmt.Fprintf(stderr, "dmpgen version: no arguments expected\n")
			return ExitUsage
		}
		fmt.Fprint(stdout, buildinfo.Read())
		return ExitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(stderr, "dmpgen: unknown command %q\n%s", args[0], usage)
	return ExitUsage
}

// kitRoot is the kit directory and where it was named, for messages.
type kitRoot struct {
	dir  string   // absolute
	from string   // "-kit", "kit: in CONFIG" or "$DMPGEN_KIT"
	pos  diag.Pos // the config's kit: key, when it came from there
}

// resolveKit picks the kit root (-kit, else the config's kit:, else
// $DMPGEN_KIT) and checks that it is a directory. The error names the
// directory, where it came from and what to do.
func resolveKit(flagKit string, cfg *config.Config) (kitRoot, error) {
	var k kitRoot
	switch {
	case flagKit != "":
		k = kitRoot{dir: flagKit, from: "-kit"}
	case cfg.Kit != "":
		k = kitRoot{dir: cfg.KitDir(), from: "kit: in " + filepath.Base(cfg.File), pos: cfg.PosOf("kit")}
	case os.Getenv("DMPGEN_KIT") != "":
		k = kitRoot{dir: os.Getenv("DMPGEN_KIT"), from: "$DMPGEN_KIT"}
	default:
		return k, errors.New("no kit: pass -kit DIR, set kit: in the config, or set DMPGEN_KIT to the root of the DMP kit (the directory holding dmp/, ihe/, ws/…)")
	}
	abs, err := filepath.Abs(k.dir)
	if err != nil {
		return k, fmt.Errorf("kit directory %s (from %s): %v", k.dir, k.from, err)
	}
	k.dir = abs
	wd, _ := os.Getwd()
	shown := diag.ShortPath(wd, abs)
	st, err := os.Stat(abs)
	var msg string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		msg = fmt.Sprintf("kit directory %s (from %s) does not exist", shown, k.from)
	case err != nil:
		msg = fmt.Sprintf("kit directory %s (from %s): %v", shown, k.from, err)
	case !st.IsDir():
		msg = fmt.Sprintf("kit directory %s (from %s) is not a directory", shown, k.from)
	default:
		return k, nil
	}
	switch k.from {
	case "-kit":
		msg += "; pass the root of the DMP kit to -kit"
	case "$DMPGEN_KIT":
		msg += "; set DMPGEN_KIT to the root of the DMP kit, or pass -kit DIR"
	default:
		msg += " (kit: is relative to the config file's directory); fix kit:, or pass -kit DIR"
	}
	if k.pos.IsValid() {
		return k, diag.Errorf(k.pos, "%s", msg)
	}
	return k, errors.New(msg)
}

func run(args []string, check bool, stdout, stderr io.Writer) int {
	name := "dmpgen generate"
	if check {
		name = "dmpgen check"
	}
	fl := flag.NewFlagSet(name, flag.ContinueOnError)
	fl.SetOutput(stderr)
	cfgPath := fl.String("config", "", "configuration file (default dmpgen.yaml when no FILE is given)")
	kitFlag := fl.String("kit", "", "kit root directory (default: the config's kit, else $DMPGEN_KIT)")
	out := fl.String("out", "", "output directory (without -config)")
	module := fl.String("module", "", "import path of the output directory (without -config)")
	var catalogs []string
	fl.Func("catalog", "an OASIS XML catalog consulted before the config's catalogs (repeatable; relative to the working directory)", func(v string) error {
		abs, err := filepath.Abs(v)
		if err != nil {
			return err
		}
		catalogs = append(catalogs, abs)
		return nil
	})
	strict := fl.Bool("strict", false, "refuse the WS-I Basic Profile deviations of the WSDL inputs (errors), otherwise bound leniently with a warning (config: strict: true)")
	verbose := fl.Bool("v", false, "print progress on stderr: per target, documents loaded, packages, files written, unchanged and deleted, time")
	var showDiff *bool
	if check {
		showDiff = fl.Bool("diff", false, "print a unified diff of each stale file on stdout")
	}
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	started := time.Now()
	version := buildinfo.Read().Released()
	var cfg *config.Config
	switch {
	case fl.NArg() > 0:
		if *cfgPath != "" || *out == "" {
			fmt.Fprintf(stderr, "%s: give either -config or -out with input files\n%s", name, usage)
			return ExitUsage
		}
		mod := *module
		if mod == "" {
			mod = "generated"
		}
		wd, _ := os.Getwd()
		// Files named on the command line are relative to the working directory.
		var inputs []string
		for _, a := range fl.Args() {
			abs, err := filepath.Abs(a)
			if err != nil {
				fmt.Fprintf(stderr, "%s: %v\n", name, err)
				return ExitUsage
			}
			inputs = append(inputs, abs)
		}
		cfg = &config.Config{Version: config.Version, Targets: []*config.Target{{
			Name: "default", Out: *out, Module: mod, Inputs: inputs,
		}}}
		cfg.File = filepath.Join(wd, "dmpgen.yaml")
		if *kitFlag != "" {
			if _, err := os.Stat(filepath.Join(*kitFlag, "catalog.xml")); err == nil {
				cfg.Catalogs = []string{"catalog.xml"}
			}
		}
	default:
		p := *cfgPath
		if p == "" {
			p = "dmpgen.yaml"
		}
		c, err := config.Load(p)
		if err != nil {
			printErr(stderr, err)
			return ExitInput
		}
		cfg = c
	}
	cfg.Catalogs = append(catalogs, cfg.Catalogs...)
	cfg.Strict = cfg.Strict || *strict
	flagKit := *kitFlag
	if fl.NArg() > 0 && flagKit == "" && os.Getenv("DMPGEN_KIT") == "" {
		// Files named on the command line need no kit: they are relative
		// to the working directory, which serves as the root.
		flagKit = "."
	}
	kit, err := resolveKit(flagKit, cfg)
	if err != nil {
		if kit.dir == "" {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			return ExitUsage
		}
		var de *diag.Error
		if errors.As(err, &de) {
			printErr(stderr, err)
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
		}
		return ExitInput
	}
	roots := []string{kit.dir, cfg.Dir()}
	wd, _ := os.Getwd()
	shown := func(p string) string { return diag.ShortPath(wd, p) }
	progress := func(format string, args ...any) {
		if *verbose {
			fmt.Fprintf(stderr, "dmpgen: "+format+"\n", args...)
		}
	}
	stale := 0
	var apiTook time.Duration
	var errs diag.List
	// Targets are independent: generate them concurrently, then write or
	// compare in config order so output and messages stay deterministic.
	results := make([]*Output, len(cfg.Targets))
	resErrs := make([]diag.List, len(cfg.Targets))
	var rec *lock.Recorder
	if cfg.Lock != nil {
		rec = lock.NewRecorder(kit.dir)
	}
	st := newStages()
	var wg sync.WaitGroup
	for i, t := range cfg.Targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], resErrs[i] = generate(cfg, t, kit, version, rec, st)
		}()
	}
	wg.Wait()
	// Warnings (tolerated Basic Profile deviations) never fail the run.
	for _, r := range results {
		if r != nil && len(r.Warnings) > 0 {
			printErr(stderr, r.Warnings, roots...)
		}
	}
	// The DMP API is rendered before anything is written: when the kit
	// breaks it, nothing is. A target with errors is reported below, and
	// the API is then not rendered.
	var api map[string][]byte
	targetsOK := true
	for _, e := range resErrs {
		targetsOK = targetsOK && len(e) == 0
	}
	if cfg.API != nil && targetsOK {
		t0 := time.Now()
		var aErrs diag.List
		api, aErrs = renderAPI(cfg, results, version)
		if len(aErrs) > 0 {
			aErrs.Sort()
			printErr(stderr, aErrs, roots...)
			fmt.Fprintf(stderr, "%s: the DMP API (api:) cannot be rendered: nothing written\n", name)
			return ExitInput
		}
		apiTook = time.Since(t0)
	}
	// report writes or compares one output tree and prints its progress line.
	report := func(what, loaded string, dir string, files map[string][]byte, took time.Duration) bool {
		t0 := time.Now()
		if check {
			diffs, err := Compare(dir, files)
			if err != nil {
				fmt.Fprintf(stderr, "%s: %s: %v\n", name, what, err)
				return false
			}
			for _, d := range diffs {
				p := shown(filepath.Join(dir, filepath.FromSlash(d.path)))
				if *showDiff {
					fmt.Fprint(stdout, d.unified(p))
				} else {
					fmt.Fprintf(stdout, "%s: %s\n", p, d.what)
				}
			}
			stale += len(diffs)
			st.write += time.Since(t0)
			progress("%s: %s%s: %d up to date, %d stale (%s)", what, loaded, plural(len(files), "file"), len(files)-countPresent(diffs), len(diffs), seconds(took+time.Since(t0)))
			return true
		}
		ws, err := Write(dir, files)
		st.write += time.Since(t0)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s: %v\n", name, what, err)
			return false
		}
		progress("%s: %s%s: %d written, %d unchanged, %d deleted (%s)", what, loaded, plural(len(files), "file"), ws.Written, ws.Unchanged, ws.Deleted, seconds(took+time.Since(t0)))
		return true
	}
	// Everything is generated before anything is written: an error in one
	// target or in the value sets leaves every output tree as it was.
	for i := range cfg.Targets {
		errs = append(errs, resErrs[i]...)
	}
	var vsOut map[string][]byte
	var vsLoaded string
	var vsTook time.Duration
	if vs := cfg.ValueSets; vs != nil {
		t0 := time.Now()
		var files []string
		for _, f := range vs.Files {
			files = append(files, filepath.Join(kit.dir, filepath.FromSlash(f)))
		}
		out, vErrs := valueset.Generate(kit.dir, files, filepath.Base(outDir(cfg, vs.Out)), version)
		n := len(files)
		if n == 0 {
			all, _ := valueset.DefaultFiles(kit.dir)
			n = len(all)
		}
		if rec != nil && len(vErrs) == 0 {
			if err := recordFiles(rec, "valuesets", kit.dir, files); err != nil {
				fmt.Fprintf(stderr, "%s: valuesets: %v\n", name, err)
				return ExitInput
			}
		}
		errs = append(errs, vErrs...)
		vsOut, vsLoaded, vsTook = out, plural(n, "value-set file")+" loaded, ", time.Since(t0)
	}
	if len(errs) == 0 {
		for i, t := range cfg.Targets {
			o := results[i]
			loaded := fmt.Sprintf("%s loaded, %s, ", plural(o.Documents, "document"), plural(o.Packages, "package"))
			if !report("target "+t.Name, loaded, outDir(cfg, t.Out), o.Files, o.Took) {
				return ExitInput
			}
		}
		if vs := cfg.ValueSets; vs != nil && !report("valuesets", vsLoaded, outDir(cfg, vs.Out), vsOut, vsTook) {
			return ExitInput
		}
		if api != nil && !report("api", "", outDir(cfg, cfg.API.Out), api, apiTook) {
			return ExitInput
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		printErr(stderr, errs, roots...)
		return ExitInput
	}
	if rec != nil {
		l := rec.Lock()
		l.KitVersion = cfg.Lock.KitVersion
		changed, err := lockStep(cfg, l, check, stdout, shown)
		if err != nil {
			fmt.Fprintf(stderr, "%s: lock: %v\n", name, err)
			return ExitInput
		}
		state := "unchanged"
		switch {
		case changed && check:
			state = "stale"
			stale++
		case changed:
			state = "written"
		}
		progress("lock %s: %s, %s", shown(outDir(cfg, cfg.Lock.Out)), plural(len(l.Entries), "kit file"), state)
	}
	progress("stages, wall time summed over concurrent work: %s", st)
	progress("done in %s", seconds(time.Since(started)))
	if stale > 0 {
		hint := "run dmpgen generate to update them"
		if !*showDiff {
			hint += ", or dmpgen check -diff to see the changes"
		}
		fmt.Fprintf(stderr, "%s: %d generated file(s) differ from what dmpgen generate would write; %s\n", name, stale, hint)
		return ExitInput
	}
	return ExitOK
}

// recordFiles records files (absolute; nil means every value-set file of
// the kit) as read by target, for the kit lock.
func recordFiles(rec *lock.Recorder, target, kit string, files []string) error {
	if len(files) == 0 {
		all, err := valueset.DefaultFiles(kit)
		if err != nil {
			return err
		}
		files = all
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		rec.Read(target, f, b)
	}
	return nil
}

// lockStep writes the kit lock (generate) or compares it with the one on
// disk (check), printing on stdout which kit files changed since the
// output was generated. It reports whether the lock on disk differed.
func lockStep(cfg *config.Config, now *lock.Lock, check bool, stdout io.Writer, shown func(string) string) (bool, error) {
	path := outDir(cfg, cfg.Lock.Out)
	data := now.Format()
	cur, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	if bytes.Equal(cur, data) {
		return false, nil
	}
	if !check {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return false, err
		}
		return true, os.WriteFile(path, data, 0o644)
	}
	if cur == nil {
		fmt.Fprintf(stdout, "%s: missing (the kit lock; dmpgen generate writes it)\n", shown(path))
		return true, nil
	}
	then, err := lock.Parse(shown(path), cur)
	if err != nil {
		return false, err
	}
	if then.KitVersion != now.KitVersion {
		fmt.Fprintf(stdout, "%s: kit version %q, the config says %q\n", shown(path), then.KitVersion, now.KitVersion)
	}
	changes := lock.Compare(then, now)
	for _, c := range changes {
		fmt.Fprintf(stdout, "%s: kit file %s\n", shown(path), c)
	}
	if len(changes) > 0 {
		fmt.Fprintf(stdout, "%s: the kit changed since the output was generated: run dmpgen generate; to review the API change first, run dmpgen diff -old OLD.yaml -new %s, where OLD.yaml is a copy of the config with kit: set to the previous kit\n", shown(path), shown(cfg.File))
	}
	return true, nil
}

// plural formats a count with its noun: "1 file", "2 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// countPresent counts the stale files that exist on disk.
func countPresent(diffs []diff) int {
	n := 0
	for _, d := range diffs {
		if d.what != "missing" {
			n++
		}
	}
	return n
}

// outDir resolves an output directory relative to the config file.
func outDir(cfg *config.Config, out string) string {
	if filepath.IsAbs(out) {
		return out
	}
	return filepath.Join(cfg.Dir(), filepath.FromSlash(out))
}

// printErr prints errors one per line with paths relative to the working
// directory (when shorter), in positions and inside messages alike; roots
// are directories messages may quote paths under (the kit, the config's).
func printErr(w io.Writer, err error, roots ...string) {
	base, _ := os.Getwd()
	for _, line := range diag.NewPaths(base, roots...).Lines(err) {
		fmt.Fprintln(w, line)
	}
}

// Output is one generated target.
type Output struct {
	// Files maps slash-separated paths relative to the target's output
	// directory to their contents.
	Files map[string][]byte
	// Documents is the number of WSDL and XSD documents read; Packages the
	// number of Go packages.
	Documents, Packages int
	// Took is the time spent loading, lowering and printing.
	Took time.Duration
	// Program is the lowered target, for rendering the DMP API.
	Program *ir.Program
	// Warnings are the WS-I Basic Profile deviations bound leniently
	// (none in strict mode), each message starting with "warning: ".
	Warnings diag.List
}

// Generate loads, lowers and prints one target, with no version in the
// headers. Paths in the result are slash-separated and relative to the
// target's output directory.
func Generate(cfg *config.Config, t *config.Target, kit string) (map[string][]byte, diag.List) {
	o, errs := generate(cfg, t, kitRoot{dir: kit, from: "-kit"}, "", nil, newStages())
	if o == nil {
		return nil, errs
	}
	return o.Files, errs
}

// stages is shared by the targets of one run: one Verifier, so that each
// declaration shape is parsed once, and the time of each stage, summed over
// the targets and files (which run concurrently).
type stages struct {
	verifier           *goformat.Verifier
	print              gen.Stats
	mu                 sync.Mutex
	load, lower, write time.Duration
}

func newStages() *stages { return &stages{verifier: goformat.NewVerifier()} }

// add adds the load and lower times of one target.
func (s *stages) add(load, lower time.Duration) {
	s.mu.Lock()
	s.load += load
	s.lower += lower
	s.mu.Unlock()
}

// String is the summary -v prints.
func (s *stages) String() string {
	layout, verify := s.verifier.Times()
	return fmt.Sprintf("load %s, lower %s, print %s, layout %s, verify %s, write %s", seconds(s.load), seconds(s.lower), seconds(s.print.Print()), seconds(layout), seconds(verify), seconds(s.write))
}

// generate is Generate with the kit's origin, for messages, the dmpgen
// release for the headers ("" for none) and the run's stages.
func generate(cfg *config.Config, t *config.Target, kit kitRoot, version string, rec *lock.Recorder, st *stages) (*Output, diag.List) {
	t0 := time.Now()
	in := load.Input{Kit: kit.dir, KitFrom: kit.from, Catalogs: load.Catalogs(cfg, kit.dir), Target: t, Strict: cfg.Strict}
	if rec != nil {
		in.Record = func(path string, data []byte) { rec.Read(t.Name, path, data) }
	}
	res, errs := load.Target(in)
	if len(errs) > 0 {
		return nil, errs
	}
	st.add(res.LoadTook, res.LowerTook)
	files, err := gen.Program(res.Program, gen.Options{Version: version, Verifier: st.verifier, Stats: &st.print})
	if err != nil {
		errs.AddErr(t.Pos, err)
		return nil, errs
	}
	docs := map[string]bool{}
	for _, s := range res.Set.Schemas {
		docs[s.File] = true
	}
	for _, d := range res.Defs {
		docs[d.File] = true
	}
	return &Output{Files: files, Documents: len(docs), Packages: len(res.Program.Packages), Took: time.Since(t0), Program: res.Program, Warnings: res.Warnings}, nil
}

// WriteStats counts what Write did.
type WriteStats struct {
	Written, Unchanged, Deleted int
}

// Write writes files under dir and deletes generated files that are no
// longer produced (files starting with the generated-code header). Files
// whose content is already right are not rewritten.
func Write(dir string, files map[string][]byte) (WriteStats, error) {
	var st WriteStats
	old, err := existing(dir)
	if err != nil {
		return st, err
	}
	for p, b := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if cur, err := os.ReadFile(full); err == nil && bytes.Equal(cur, b) {
			delete(old, p)
			st.Unchanged++
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return st, err
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			return st, err
		}
		delete(old, p)
		st.Written++
	}
	for p := range old {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.Remove(full); err != nil {
			return st, err
		}
		st.Deleted++
		// Remove directories the deletion emptied, up to dir.
		for d := filepath.Dir(full); d != dir && strings.HasPrefix(d, dir); d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break
			}
		}
	}
	return st, nil
}

// existing lists the generated .go files under dir.
func existing(dir string) (map[string]bool, error) {
	out := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.HasPrefix(b, []byte(gen.Header)) {
			r, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(r)] = true
		}
		return nil
	})
	return out, err
}

// diff is one stale file: what is on disk (old) and what generate would
// write (new); nil for a missing side.
type diff struct {
	path, what string
	old, new   []byte
}

// unified returns the unified diff of a stale file, shown as path, with
// git's a/ and b/ prefixes so that git apply and patch -p1 accept it.
func (d diff) unified(path string) string {
	path = filepath.ToSlash(path)
	a, b := "a/"+path, "b/"+path
	if d.old == nil {
		a = "/dev/null"
	}
	if d.new == nil {
		b = "/dev/null"
	}
	return textdiff.Unified(a, b, d.old, d.new)
}

// Compare reports the files under dir that differ from files.
func Compare(dir string, files map[string][]byte) ([]diff, error) {
	old, err := existing(dir)
	if err != nil {
		return nil, err
	}
	var out []diff
	for p, b := range files {
		cur, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out = append(out, diff{path: p, what: "missing", new: b})
		case err != nil:
			return nil, err
		case !bytes.Equal(cur, b):
			out = append(out, diff{path: p, what: "differs", old: cur, new: b})
		}
		delete(old, p)
	}
	for p := range old {
		cur, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		out = append(out, diff{path: p, what: "no longer generated", old: cur})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}
