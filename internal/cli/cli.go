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

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/gen"
	"github.com/dmpgen/dmpgen/internal/load"
	"github.com/dmpgen/dmpgen/internal/valueset"
)

// Exit statuses.
const (
	ExitOK    = 0
	ExitInput = 1 // bad input, or generated/ is stale (check)
	ExitUsage = 2
)

const usage = `usage:
  dmpgen generate [-config dmpgen.yaml] [-kit DIR]
  dmpgen generate -kit DIR -out DIR [-module IMPORTPATH] FILE.wsdl|FILE.xsd ...
  dmpgen check    [-config dmpgen.yaml] [-kit DIR]
  dmpgen diff     -old CONFIG|DIR|FILE -new CONFIG|DIR|FILE [-kit DIR] [-target NAME]
                  [-format text|json|markdown] [-allow-breaking]
  dmpgen testdmp  [-addr 127.0.0.1:8443] [-cert FILE -key FILE] [-ca FILE] [-vihf-ca FILE]
                  [-skew DURATION] [-dir DIR]

The kit root comes from -kit or $DMPGEN_KIT. Exit status: 0 success,
1 bad input (or, for check, generated files differ), 2 usage.
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
		return runTestDMP(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(stderr, "dmpgen: unknown command %q\n%s", args[0], usage)
	return ExitUsage
}

func run(args []string, check bool, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("dmpgen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	cfgPath := fl.String("config", "", "configuration file (default dmpgen.yaml when no FILE is given)")
	kit := fl.String("kit", "", "kit root directory (default: the config's kit, else $DMPGEN_KIT)")
	out := fl.String("out", "", "output directory (without -config)")
	module := fl.String("module", "", "import path of the output directory (without -config)")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	var cfg *config.Config
	switch {
	case fl.NArg() > 0:
		if *cfgPath != "" || *out == "" {
			fmt.Fprintf(stderr, "dmpgen: give either -config or -out with input files\n%s", usage)
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
				fmt.Fprintf(stderr, "dmpgen: %v\n", err)
				return ExitUsage
			}
			inputs = append(inputs, abs)
		}
		cfg = &config.Config{Version: config.Version, Targets: []*config.Target{{
			Name: "default", Out: *out, Module: mod, Inputs: inputs,
		}}}
		cfg.File = filepath.Join(wd, "dmpgen.yaml")
		if *kit != "" {
			if _, err := os.Stat(filepath.Join(*kit, "catalog.xml")); err == nil {
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
	if *kit == "" {
		*kit = cfg.KitDir()
	}
	if *kit == "" {
		*kit = os.Getenv("DMPGEN_KIT")
	}
	if *kit == "" {
		fmt.Fprintf(stderr, "dmpgen: no kit: use -kit DIR, kit: in the config, or set DMPGEN_KIT\n")
		return ExitUsage
	}
	kitAbs, err := filepath.Abs(*kit)
	if err != nil {
		fmt.Fprintf(stderr, "dmpgen: %v\n", err)
		return ExitUsage
	}
	stale := 0
	var errs diag.List
	// Targets are independent: generate them concurrently, then write or
	// compare in config order so output and messages stay deterministic.
	type result struct {
		files map[string][]byte
		errs  diag.List
	}
	results := make([]result, len(cfg.Targets))
	var wg sync.WaitGroup
	for i, t := range cfg.Targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i].files, results[i].errs = Generate(cfg, t, kitAbs)
		}()
	}
	wg.Wait()
	for i, t := range cfg.Targets {
		files, tErrs := results[i].files, results[i].errs
		if len(tErrs) > 0 {
			errs = append(errs, tErrs...)
			continue
		}
		dir := outDir(cfg, t.Out)
		if check {
			diffs, err := Compare(dir, files)
			if err != nil {
				fmt.Fprintf(stderr, "dmpgen: %v\n", err)
				return ExitInput
			}
			for _, d := range diffs {
				fmt.Fprintf(stdout, "%s: %s\n", rel(cfg.Dir(), filepath.Join(dir, d.path)), d.what)
			}
			stale += len(diffs)
			continue
		}
		if err := Write(dir, files); err != nil {
			fmt.Fprintf(stderr, "dmpgen: %v\n", err)
			return ExitInput
		}
	}
	if vs := cfg.ValueSets; vs != nil {
		var files []string
		for _, f := range vs.Files {
			files = append(files, filepath.Join(kitAbs, filepath.FromSlash(f)))
		}
		dir := outDir(cfg, vs.Out)
		out, vErrs := valueset.Generate(kitAbs, files, filepath.Base(dir))
		switch {
		case len(vErrs) > 0:
			errs = append(errs, vErrs...)
		case check:
			diffs, err := Compare(dir, out)
			if err != nil {
				fmt.Fprintf(stderr, "dmpgen: %v\n", err)
				return ExitInput
			}
			for _, d := range diffs {
				fmt.Fprintf(stdout, "%s: %s\n", rel(cfg.Dir(), filepath.Join(dir, d.path)), d.what)
			}
			stale += len(diffs)
		default:
			if err := Write(dir, out); err != nil {
				fmt.Fprintf(stderr, "dmpgen: %v\n", err)
				return ExitInput
			}
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		printErr(stderr, errs)
		return ExitInput
	}
	if stale > 0 {
		fmt.Fprintf(stderr, "dmpgen: %d generated file(s) differ from what generate would write; run dmpgen generate\n", stale)
		return ExitInput
	}
	return ExitOK
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

func rel(base, p string) string {
	if r, err := filepath.Rel(base, p); err == nil {
		return r
	}
	return p
}

// Generate loads, lowers and prints one target. Paths in the result are
// slash-separated and relative to the target's output directory.
func Generate(cfg *config.Config, t *config.Target, kit string) (map[string][]byte, diag.List) {
	res, errs := load.Target(load.Input{Kit: kit, Catalogs: load.Catalogs(cfg, kit), Target: t})
	if len(errs) > 0 {
		return nil, errs
	}
	files, err := gen.Program(res.Program)
	if err != nil {
		errs.AddErr(t.Pos, err)
		return nil, errs
	}
	return files, nil
}

// Write writes files under dir and deletes generated files that are no
// longer produced (files starting with the generated-code header).
func Write(dir string, files map[string][]byte) error {
	old, err := existing(dir)
	if err != nil {
		return err
	}
	for p, b := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if cur, err := os.ReadFile(full); err == nil && bytes.Equal(cur, b) {
			delete(old, p)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			return err
		}
		delete(old, p)
	}
	for p := range old {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.Remove(full); err != nil {
			return err
		}
		// Remove directories the deletion emptied, up to dir.
		for d := filepath.Dir(full); d != dir && strings.HasPrefix(d, dir); d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break
			}
		}
	}
	return nil
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

type diff struct{ path, what string }

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
		case err != nil:
			out = append(out, diff{p, "missing"})
		case !bytes.Equal(cur, b):
			out = append(out, diff{p, "differs"})
		}
		delete(old, p)
	}
	for p := range old {
		out = append(out, diff{p, "no longer generated"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}
