package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

// TestMain makes the test binary a fake dmpgen-testdmp when
// DMPGEN_FAKE_TESTDMP=1 (fakeTestDMP).
func TestMain(m *testing.M) {
	if os.Getenv("DMPGEN_FAKE_TESTDMP") == "1" {
		os.Exit(fakeTestDMPMain(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// fakeTestDMPMain prints its arguments and a line of stdin, writes to
// stderr and exits with status 3; with the argument "wait", it prints
// "ready" and exits 7 on SIGTERM.
func fakeTestDMPMain(args []string) int {
	if len(args) > 0 && args[0] == "wait" {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM)
		fmt.Println("ready")
		select {
		case <-sig:
			return 7
		case <-time.After(30 * time.Second):
			return 9
		}
	}
	fmt.Println("args:", strings.Join(args, " "))
	line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	fmt.Print("stdin: ", line)
	fmt.Fprintln(os.Stderr, "to stderr")
	return 3
}

// fakeTestDMP makes dir/dmpgen-testdmp the test binary acting as a fake
// dmpgen-testdmp (TestMain), and returns its path.
func fakeTestDMP(t *testing.T, dir string) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, testDMPTool.command)
	if runtime.GOOS == "windows" {
		p += ".exe"
	}
	if err := os.Symlink(self, p); err != nil {
		t.Skipf("cannot link the test binary as a fake %s: %v", testDMPTool.command, err)
	}
	t.Setenv("DMPGEN_FAKE_TESTDMP", "1")
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
	l := launcher{tool: testDMPTool, self: filepath.Join(dir, "dmpgen"), lookPath: noPath, goTool: noGo, stdin: strings.NewReader("hello\n"), stdout: &out, stderr: &errb}
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
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM on Windows")
	}
	fake := fakeTestDMP(t, t.TempDir())
	sig := make(chan os.Signal, 1)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var errb bytes.Buffer
	l := launcher{tool: testDMPTool, self: filepath.Join(t.TempDir(), "dmpgen"), lookPath: func(string) (string, error) { return fake, nil }, goTool: noGo,
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
	l := launcher{tool: testDMPTool, self: filepath.Join(t.TempDir(), "dmpgen"), lookPath: noPath, goTool: noGo, stdout: &errb, stderr: &errb}
	if code := l.run(nil); code != ExitInput || !strings.Contains(errb.String(), "go install "+testDMPTool.pkg()+"@latest") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
}

// TestTestDMPGoBuild: without dmpgen-testdmp next to dmpgen or on PATH, it
// is built from this module and run (here with -h: exit 0, its usage).
func TestTestDMPGoBuild(t *testing.T) {
	goBin := testenv.Tool(t, "go")
	t.Chdir(testenv.RepoRoot())
	var out, errb bytes.Buffer
	l := launcher{tool: testDMPTool, self: filepath.Join(t.TempDir(), "dmpgen"), lookPath: noPath, goTool: func() (string, error) { return goBin, nil },
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	if code := l.run([]string{"-v", "-h"}); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"built with go build " + testDMPTool.pkg(), "usage:\n  dmpgen-testdmp", "-vihf-ca"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errb.String())
		}
	}
	if code := l.run([]string{"-log", "xml"}); code != ExitUsage {
		t.Errorf("a usage error of dmpgen-testdmp: exit %d, want %d", code, ExitUsage)
	}
}

// TestVetLaunch: dmpgen vet runs dmpgen-vet the same way; without it and
// without go, the error names the subcommand and how to install it; with
// go, it is built and checks the clean captures of testdata/vet (exit 0).
func TestVetLaunch(t *testing.T) {
	var errb bytes.Buffer
	l := launcher{tool: vetTool, self: filepath.Join(t.TempDir(), "dmpgen"), lookPath: noPath, goTool: noGo, stdout: &errb, stderr: &errb}
	if code := l.run([]string{"x"}); code != ExitInput || !strings.HasPrefix(errb.String(), "dmpgen vet: ") ||
		!strings.Contains(errb.String(), "go install github.com/dmpgen/dmpgen/cmd/dmpgen-vet@latest") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
	goBin := testenv.Tool(t, "go")
	t.Chdir(testenv.RepoRoot())
	var out bytes.Buffer
	errb.Reset()
	l = launcher{tool: vetTool, self: filepath.Join(t.TempDir(), "dmpgen"), lookPath: noPath, goTool: func() (string, error) { return goBin, nil },
		stdout: &out, stderr: &errb}
	if code := l.run([]string{"testdata/vet/captures"}); code != ExitOK || !strings.Contains(out.String(), "0 errors") {
		t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
	}
}

// TestRehearseLaunch: dmpgen rehearse runs dmpgen-rehearse; without it and
// without go, the error names the subcommand and how to install it.
func TestRehearseLaunch(t *testing.T) {
	var errb bytes.Buffer
	l := launcher{tool: rehearseTool, self: filepath.Join(t.TempDir(), "dmpgen"), lookPath: noPath, goTool: noGo, stdout: &errb, stderr: &errb}
	if code := l.run(nil); code != ExitInput || !strings.HasPrefix(errb.String(), "dmpgen rehearse: ") ||
		!strings.Contains(errb.String(), "go install github.com/dmpgen/dmpgen/cmd/dmpgen-rehearse@latest") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
}
