package diff

import (
	"path/filepath"
	"strings"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/load"
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
	res, errs := load.Target(load.Input{Kit: in.Kit, Catalogs: in.Catalogs, Target: in.Target, ReadFile: in.ReadFile})
	if len(errs) > 0 {
		return nil, errs
	}
	set, defs, prog := res.Set, res.Defs, res.Program
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
