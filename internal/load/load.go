// Package load reads one generation target: its WSDL and XSD inputs
// through the offline loader, then the lowering into the IR. It is the
// front half of the pipeline, shared by dmpgen generate and dmpgen diff.
package load

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

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
	// KitFrom says where the kit root was named ("-kit", "$DMPGEN_KIT"…),
	// for the message about an input missing from the kit.
	KitFrom string
	// Catalogs are absolute paths of OASIS catalogs.
	Catalogs []string
	// Target names the inputs and the package and name settings.
	Target *config.Target
	// ReadFile reads input files; nil means the file system.
	ReadFile func(path string) ([]byte, error)
	// Record, when not nil, is told every file read (catalogs, inputs and
	// what they import), for the kit lock.
	Record func(path string, data []byte)
	// Strict refuses the WS-I Basic Profile deviations of the WSDL inputs
	// that are otherwise bound leniently and reported as warnings.
	Strict bool
}

// Result is a loaded and lowered target.
type Result struct {
	Set     *xsd.Set
	Defs    []*wsdl.Definitions
	Program *ir.Program
	// Warnings are the tolerated Basic Profile deviations (not in strict
	// mode), each message starting with "warning: ".
	Warnings diag.List
	// LoadTook is the time spent reading and resolving the documents,
	// LowerTook the time spent lowering them to the IR.
	LoadTook, LowerTook time.Duration
}

// Target loads and lowers one target; errors are positioned, all at once.
// The order of the inputs does not matter.
func Target(in Input) (*Result, diag.List) {
	started := time.Now()
	var errs, warns diag.List
	readFile := in.ReadFile
	if in.Record != nil {
		base := readFile
		if base == nil {
			base = os.ReadFile
		}
		readFile = func(p string) ([]byte, error) {
			b, err := base(p)
			if err == nil {
				in.Record(p, b)
			}
			return b, err
		}
	}
	l, err := xsd.NewLoader(xsd.Config{Catalogs: in.Catalogs, ReadFile: readFile})
	if err != nil {
		errs.AddErr(in.Target.Pos, err)
		return nil, errs
	}
	// Inputs are read in sorted order so that the result does not depend
	// on the order of the config; idx keeps their position there.
	idx := make([]int, len(in.Target.Inputs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return in.Target.Inputs[idx[i]] < in.Target.Inputs[idx[j]] })
	var defs []*wsdl.Definitions
	var read []input
	for _, i := range idx {
		in0 := in.Target.Inputs[i]
		p := in0
		if !filepath.IsAbs(p) {
			p = filepath.Join(in.Kit, filepath.FromSlash(p))
		}
		if in.ReadFile == nil {
			if err := checkInput(p); err != nil {
				at := in.Target.PosOf("inputs", strconv.Itoa(i))
				switch {
				case !errors.Is(err, fs.ErrNotExist):
					errs.Add(at, "input %s: %v", in0, err)
				case filepath.IsAbs(in0):
					errs.Add(at, "input %s does not exist", in0)
				default:
					from := ""
					if in.KitFrom != "" {
						from = " (from " + in.KitFrom + ")"
					}
					errs.Add(at, "input %s does not exist in the kit directory %s%s: inputs are relative to the kit root", in0, in.Kit, from)
				}
				continue
			}
		}
		read = append(read, input{i, p})
		if strings.EqualFold(filepath.Ext(p), ".wsdl") {
			d, dErrs := wsdl.Load(l, p)
			errs = append(errs, dErrs...)
			if d != nil {
				defs = append(defs, d)
				for _, w := range d.Deviations {
					if in.Strict {
						errs.Add(w.Pos, "%s: a WS-I Basic Profile deviation, refused in strict mode (fix the WSDL, or drop -strict and strict: true to bind it: %s) [%s]", w.Msg, w.Binding, w.Rule)
					} else {
						warns.Add(w.Pos, "warning: %s: %s [%s]", w.Msg, w.Binding, w.Rule)
					}
				}
			}
			continue
		}
		l.AddSchemaFile(p)
	}
	// A target that fails reports its warnings with its errors: they may
	// explain them, and they are not lost.
	fail := func(errs diag.List) (*Result, diag.List) {
		errs = append(errs, warns...)
		errs.Sort()
		return nil, errs
	}
	set, sErrs := l.Finish()
	errs = groupConflicts(in.Target, l, read, append(errs, sErrs...))
	if len(errs) == 0 {
		errs = checkSettings(in.Target, set, defs)
	}
	if len(errs) > 0 {
		return fail(errs)
	}
	loaded := time.Now()
	prog, lErrs := lower.Lower(lower.Input{Set: set, Defs: defs, Target: in.Target, KitDir: in.Kit})
	if len(lErrs) > 0 {
		return fail(lErrs)
	}
	if errs := checkApplied(in.Target, prog); len(errs) > 0 {
		return fail(errs)
	}
	warns.Sort()
	return &Result{Set: set, Defs: defs, Program: prog, Warnings: warns, LoadTook: loaded.Sub(started), LowerTook: time.Since(loaded)}, nil
}

// checkInput reports a missing input, or one that is a directory.
func checkInput(p string) error {
	st, err := os.Stat(p)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return pe.Err
		}
		return err
	}
	if st.IsDir() {
		return errors.New("is a directory, not a WSDL or XSD file")
	}
	return nil
}

// Catalogs resolves a config's catalogs against the kit root.
func Catalogs(cfg *config.Config, kit string) []string {
	var out []string
	for _, c := range cfg.Catalogs {
		if filepath.IsAbs(c) {
			out = append(out, c) // from -catalog
			continue
		}
		out = append(out, filepath.Join(kit, filepath.FromSlash(c)))
	}
	return out
}
