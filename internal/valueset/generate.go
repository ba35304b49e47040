package valueset

import (
	"path/filepath"
	"sort"

	"github.com/dmpgen/dmpgen/internal/diag"
)

// DefaultPatterns are the kit files Generate reads when none are given,
// relative to the kit root.
func DefaultPatterns() []string {
	return []string{"valuesets/svs/*.xml", "valuesets/fhir/ValueSet-*.json", "valuesets/fhir/CodeSystem-*.json"}
}

// DefaultFiles returns the kit files matching DefaultPatterns, sorted.
func DefaultFiles(kitDir string) ([]string, error) {
	var files []string
	for _, p := range DefaultPatterns() {
		m, err := filepath.Glob(filepath.Join(kitDir, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	return files, nil
}

// Generate loads the value-set files and emits package pkg. files are
// relative to kitDir (or absolute); nil means DefaultFiles. The "// source:"
// lines name files relative to kitDir; diagnostics name them as read
// (kitDir joined with the relative path). version is the dmpgen version for
// the headers (EmitOptions.Version).
func Generate(kitDir string, files []string, pkg, version string) (map[string][]byte, diag.List) {
	if files == nil {
		var err error
		if files, err = DefaultFiles(kitDir); err != nil {
			return nil, diag.List{diag.Errorf(diag.Pos{File: kitDir}, "%v", err)}
		}
		if len(files) == 0 {
			return nil, diag.List{diag.Errorf(diag.Pos{File: kitDir}, "no value-set files (%v)", DefaultPatterns())}
		}
	}
	paths := make([]string, len(files))
	for i, f := range files {
		if !filepath.IsAbs(f) {
			f = filepath.Join(kitDir, f)
		}
		paths[i] = f
	}
	sets, err := Load(paths)
	if err != nil {
		var l diag.List
		l.AddErr(diag.Pos{File: kitDir}, err)
		return nil, l
	}
	out, err := Emit(sets, pkg, EmitOptions{Root: kitDir, Sources: paths, Version: version})
	if err != nil {
		return nil, diag.List{diag.Errorf(diag.Pos{File: kitDir}, "%v", err)}
	}
	return out, nil
}
