package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

// fakeTestDMP writes an executable dmpgen-testdmp script in dir that
// prints its arguments and stdin, then exits with status 3, or 7 when it
// receives SIGTERM while sleeping (first argument "wait").
func fakeTestDMP(t *testing.T, dir string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake dmpgen-testdmp is a shell script")
	}
	p := filepath.Join(dir, testDMPCommand)
	script := `#!/bin/sh
if [ "$1" = wait ]; then
  trap 'echo got TERM; exit 7' TERM
  echo ready
  i=0; while [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
  exit 9
fi
echo "args: $*"
read line; echo "stdin: $line"
echo "to stderr" >&2
exit 3
`
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func noPath(string) (string, error) { return "", exec.ErrNotFound }
func noGo() (string, error)         { return "", exec.ErrNotFound }

// TestTestDMPSibling: dmpgen-testdmp next to dmpgen is run with the
// arguments but -v, stdio and exit status forwarded; -v says which.
func TestTestDMPSibling(t *testing.T) {
	dir := t.TempDir()
	fake := fakeTestDMP(t, dir)
	var out, errb bytes.Buffer
	l := launcher{self: filepath.Join(dir, "dmpgen"), lookPath: noPath, goTool: noGo, stdin: strings.NewReader("hello\n"), stdout: &out, stderr: &errb}
	if code := l.run([]string{"-v", "-addr", "127.0.0.1:0", "-log", "json"}); code != 3 {
		t.Errorf("exit %d, want the child's 3 (%s)", code, errb.String())
	}
	if out.String() != "args: -addr 127.0.0.1:0 -log json\nstdin: hello\n" {
		t.Errorf("stdout %q", out.String())
	}
	if want := "dmpgen testdmp: running " + fake + " (next to " + filepath.Join(dir, "dmpgen") + ")\nto stderr\n"; errb.String() != want {
		t.Errorf("stderr %q, want %q", errb.String(), want)
	}
}

// TestTestDMPPathAndSignal: dmpgen-testdmp found on PATH receives the
// signals dmpgen receives.
func TestTestDMPPathAndSignal(t *testing.T) {
	fake := fakeTestDMP(t, t.TempDir())
	sig := make(chan os.Signal, 1)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var errb bytes.Buffer
	l := launcher{self: filepath.Join(t.TempDir(), "dmpgen"), lookPath: func(string) (string, error) { return fake, nil }, goTool: noGo,
		signals: sig, stdin: strings.NewReader(""), stdout: w, stderr: &errb}
	done := make(chan int, 1)
	go func() { done <- l.run([]string{"-v", "wait"}); w.Close() }()
	buf := make([]byte, 6)
	if _, err := r.Read(buf); err != nil || string(buf) != "ready\n" {
		t.Fatalf("child did not start: %q %v", buf, err)
	}
	sig <- syscall.SIGTERM
	select {
	case code := <-done:
		if code != 7 {
			t.Errorf("exit %d, want 7 (the child's exit on SIGTERM)", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the signal was not forwarded")
	}
	if !strings.Contains(errb.String(), "(found on PATH)") {
		t.Errorf("-v: %q", errb.String())
	}
}

// TestTestDMPNotFound: without dmpgen-testdmp and go, the error says how
// to install it.
func TestTestDMPNotFound(t *testing.T) {
	var errb bytes.Buffer
	l := launcher{self: filepath.Join(t.TempDir(), "dmpgen"), lookPath: noPath, goTool: noGo, stdout: &errb, stderr: &errb}
	if code := l.run(nil); code != ExitInput || !strings.Contains(errb.String(), "go install "+testDMPPackage+"@latest") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
}

// TestTestDMPGoBuild: without dmpgen-testdmp next to dmpgen or on PATH, it
// is built from this module and run (here with -h: exit 0, its usage).
func TestTestDMPGoBuild(t *testing.T) {
	goBin := testenv.Tool(t, "go")
	t.Chdir(testenv.RepoRoot())
	var out, errb bytes.Buffer
	l := launcher{self: filepath.Join(t.TempDir(), "dmpgen"), lookPath: noPath, goTool: func() (string, error) { return goBin, nil },
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	if code := l.run([]string{"-v", "-h"}); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"built with go build " + testDMPPackage, "usage:\n  dmpgen-testdmp", "-vihf-ca"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errb.String())
		}
	}
	if code := l.run([]string{"-log", "xml"}); code != ExitUsage {
		t.Errorf("a usage error of dmpgen-testdmp: exit %d, want %d", code, ExitUsage)
	}
}
