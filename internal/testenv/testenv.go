// Package testenv locates the DMP kit and the external tools that tests use.
//
// Tests that need the kit call Kit; tests that need a tool call Tool. Both skip
// with a message outside CI and fail under CI (CI=true), so a missing
// dependency is never reported as a passing check in CI.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// InCI reports whether the tests run under CI.
func InCI() bool { return os.Getenv("CI") == "true" }

// RepoRoot returns the repository root (the directory holding go.mod).
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// KitDir returns the kit root: $DMPGEN_KIT, else ../shared/spec-corpus beside
// the repository when it exists, else "".
func KitDir() string {
	if d := os.Getenv("DMPGEN_KIT"); d != "" {
		if abs, err := filepath.Abs(d); err == nil {
			return abs
		}
		return d
	}
	d := filepath.Join(RepoRoot(), "..", "shared", "spec-corpus")
	if st, err := os.Stat(d); err == nil && st.IsDir() {
		return d
	}
	return ""
}

// Kit returns the kit root or stops the test: skip outside CI, fail in CI.
func Kit(t testing.TB) string {
	t.Helper()
	d := KitDir()
	if d == "" {
		missing(t, "the DMP kit is not available: set DMPGEN_KIT or place it at ../shared/spec-corpus")
	}
	if _, err := os.Stat(d); err != nil {
		missing(t, "DMPGEN_KIT="+d+": "+err.Error())
	}
	return d
}

// KitFile returns the absolute path of a file under the kit root.
func KitFile(t testing.TB, rel string) string {
	t.Helper()
	return filepath.Join(Kit(t), filepath.FromSlash(rel))
}

// Tool returns the path of an executable or stops the test: skip outside CI, fail in CI.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, name+" is not installed (.ci/run installs it)")
	}
	return p
}

func missing(t testing.TB, msg string) {
	t.Helper()
	if InCI() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Python returns Debian's Python interpreter (/usr/bin/python3, where
// Debian's python3-* packages load; $DMPGEN_PYTHON overrides it) after
// checking that it imports every module, or stops the test: skip outside
// CI, fail in CI.
func Python(t testing.TB, modules ...string) string {
	t.Helper()
	py := os.Getenv("DMPGEN_PYTHON")
	if py == "" {
		py = "/usr/bin/python3"
	}
	for _, m := range modules {
		if err := exec.Command(py, "-c", "import "+m).Run(); err != nil {
			missing(t, fmt.Sprintf("%s cannot import %s (.ci/setup.d installs python3-%s): %v", py, m, m, err))
		}
	}
	return py
}
