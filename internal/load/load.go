// Package load reads one generation target: its WSDL and XSD inputs
// through the offline loader, then the lowering into the IR. It is the
// front half of the pipeline, shared by dmpgen generate and dmpgen diff.
package load

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/lower"
	"github.com/dmpgen/dmpgen/internal/wsdl"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// Input is one target to load.
type Input struct {
	// Kit is the kit root: relative inputs are resolved against it.
	Kit string
	// Catalogs are absolute paths of OASIS catalogs.
	Catalogs []string
	// Target names the inputs and the package and name settings.
	Target *config.Target
	// ReadFile reads input files; nil means the file system.
	ReadFile func(path string) ([]byte, error)
}

// Result is a loaded and lowered target.
type Result struct {
	Set     *xsd.Set
	Defs    []*wsdl.Definitions
	Program *ir.Program
}

// Target loads and lowers one target; errors are positioned, all at once.
// The order of the inputs does not matter.
func Target(in Input) (*Result, diag.List) {
	var errs diag.List
	l, err := xsd.NewLoader(xsd.Config{Catalogs: in.Catalogs, ReadFile: in.ReadFile})
	if err != nil {
		errs.AddErr(in.Target.Pos, err)
		return nil, errs
	}
	inputs := append([]string(nil), in.Target.Inputs...)
	sort.Strings(inputs)
	var defs []*wsdl.Definitions
	for _, in0 := range inputs {
		p := in0
		if !filepath.IsAbs(p) {
			p = filepath.Join(in.Kit, filepath.FromSlash(p))
		}
		if in.ReadFile == nil {
			if _, err := os.Stat(p); err != nil {
				errs.Add(in.Target.Pos, "input %s: %v", in0, err)
				continue
			}
		}
		if strings.EqualFold(filepath.Ext(p), ".wsdl") {
			d, dErrs := wsdl.Load(l, p)
			errs = append(errs, dErrs...)
			if d != nil {
				defs = append(defs, d)
			}
			continue
		}
		l.AddSchemaFile(p)
	}
	set, sErrs := l.Finish()
	errs = append(errs, sErrs...)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	prog, lErrs := lower.Lower(lower.Input{Set: set, Defs: defs, Target: in.Target, KitDir: in.Kit})
	if len(lErrs) > 0 {
		return nil, lErrs
	}
	return &Result{Set: set, Defs: defs, Program: prog}, nil
}

// Catalogs resolves a config's catalogs against the kit root.
func Catalogs(cfg *config.Config, kit string) []string {
	var out []string
	for _, c := range cfg.Catalogs {
		out = append(out, filepath.Join(kit, filepath.FromSlash(c)))
	}
	return out
}
