package valueset

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
)

// CompareGenerated compares the generated files of dir (those starting
// with Header) with want, and returns one line per missing, stale or extra
// file; nil when dir is up to date. Hand-written files (tests) are ignored.
func CompareGenerated(dir string, want map[string][]byte) []string {
	var problems []string
	have := map[string]bool{}
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return []string{err.Error()}
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil || !bytes.HasPrefix(b, []byte(Header)) {
			continue
		}
		have[e.Name()] = true
		switch w, ok := want[e.Name()]; {
		case !ok:
			problems = append(problems, e.Name()+": no longer generated")
		case !bytes.Equal(w, b):
			problems = append(problems, e.Name()+": differs from the generator's output")
		}
	}
	for n := range want {
		if !have[n] {
			problems = append(problems, n+": missing")
		}
	}
	sort.Strings(problems)
	return problems
}
