package diff

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/lower"
	"github.com/dmpgen/dmpgen/internal/wsdl"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// Input is one kit target to load: the same loader and lowering as
// dmpgen generate, stopping before emission.
type Input struct {
	// Kit is the kit root: relative inputs are resolved against it.
	Kit string
	// Catalogs are absolute paths of OASIS catalogs.
	Catalogs []string
	// Target names the inputs (absolute or relative to Kit) and the
	// package and name settings.
	Target *config.Target
	// Root is the directory positions are shown relative to ("" = absolute).
	Root string
	// ReadFile reads input files; nil means the file system (tests and
	// fuzzers read from memory).
	ReadFile func(path string) ([]byte, error)
}

// Load loads, lowers and models one target. Errors are positioned.
func Load(in Input) (*Model, diag.List) {
	var errs diag.List
	l, err := xsd.NewLoader(xsd.Config{Catalogs: in.Catalogs, ReadFile: in.ReadFile})
	if err != nil {
		errs.AddErr(in.Target.Pos, err)
		return nil, errs
	}
	inputs := append([]string(nil), in.Target.Inputs...)
	sort.Strings(inputs) // input order must not matter
	var defs []*wsdl.Definitions
	for _, p := range inputs {
		if !filepath.IsAbs(p) {
			p = filepath.Join(in.Kit, filepath.FromSlash(p))
		}
		if in.ReadFile == nil {
			if _, err := os.Stat(p); err != nil {
				errs.Add(in.Target.Pos, "input %s: %v", p, err)
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
		return nil, errs
	}
	prog, lErrs := lower.Lower(lower.Input{Set: set, Defs: defs, Target: in.Target, KitDir: in.Kit})
	if len(lErrs) > 0 {
		return nil, lErrs
	}
	m := Build(set, defs, prog)
	for q, name := range in.Target.Names {
		for _, k := range []Kind{KindType, KindElement} {
			if n := m.Nodes[string(k)+" "+q]; n != nil {
				n.Pin = name
			}
		}
	}
	if in.Root != "" {
		for _, n := range m.Nodes {
			n.Pos = relPos(in.Root, n.Pos)
		}
	}
	return m, nil
}

// relPos makes a position relative to root when the file is under it.
func relPos(root string, p diag.Pos) diag.Pos {
	if !p.IsValid() {
		return p
	}
	if r, err := filepath.Rel(root, p.File); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		p.File = filepath.ToSlash(r)
	}
	return p
}
