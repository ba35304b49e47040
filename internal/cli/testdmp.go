package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
)

// testDMPCommand is the standalone test DMP, and its package.
const (
	testDMPCommand = "dmpgen-testdmp"
	testDMPPackage = "github.com/dmpgen/dmpgen/cmd/dmpgen-testdmp"
)

const testDMPUsage = `usage:
  dmpgen testdmp [-v] [dmpgen-testdmp flags]

Runs the test DMP, the command dmpgen-testdmp (see dmpgen testdmp -h and
docs/testdmp.md), with the other arguments, stdin, stdout, stderr and
signals forwarded, and exits with its status. dmpgen-testdmp is looked up
next to the dmpgen executable, then on PATH; when neither has it, it is
built with "go build ` + testDMPPackage + `" from the current
directory (this repository, or a module that requires dmpgen). -v says
which on stderr.
`

// launcher runs dmpgen-testdmp; its fields are the process environment, so
// that tests replace them.
type launcher struct {
	self     string // the dmpgen executable ("" when unknown)
	lookPath func(string) (string, error)
	goTool   func() (string, error)
	signals  <-chan os.Signal
	stdin    io.Reader
	stdout   io.Writer
	stderr   io.Writer
}

func runTestDMP(args []string, stdout, stderr io.Writer) int {
	self, _ := os.Executable()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	l := launcher{self: self, lookPath: exec.LookPath, goTool: func() (string, error) { return exec.LookPath("go") },
		signals: sig, stdin: os.Stdin, stdout: stdout, stderr: stderr}
	return l.run(args)
}

// run finds or builds dmpgen-testdmp and runs it with args (but -v).
func (l launcher) run(args []string) int {
	verbose := false
	var rest []string
	for i, a := range args {
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		switch a {
		case "-v", "--v", "-v=true", "--v=true":
			verbose = true
		case "-v=false", "--v=false":
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) > 0 && (rest[0] == "-h" || rest[0] == "-help" || rest[0] == "--help") {
		fmt.Fprint(l.stderr, testDMPUsage)
	}
	bin, how, cleanup, err := l.find()
	if err != nil {
		fmt.Fprintf(l.stderr, "dmpgen testdmp: %v\n", err)
		return ExitInput
	}
	defer cleanup()
	if verbose {
		fmt.Fprintf(l.stderr, "dmpgen testdmp: running %s (%s)\n", bin, how)
	}
	cmd := exec.Command(bin, rest...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = l.stdin, l.stdout, l.stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(l.stderr, "dmpgen testdmp: %v\n", err)
		return ExitInput
	}
	exited := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-l.signals:
				cmd.Process.Signal(s)
			case <-exited:
				return
			}
		}
	}()
	err = cmd.Wait()
	close(exited)
	var ee *exec.ExitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return ee.ExitCode()
	default:
		fmt.Fprintf(l.stderr, "dmpgen testdmp: %s: %v\n", bin, err)
		return ExitInput
	}
}

// find returns the dmpgen-testdmp to run, how it was found, and what to do
// once it has exited.
func (l launcher) find() (bin, how string, cleanup func(), err error) {
	name := testDMPCommand
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	nothing := func() {}
	if l.self != "" {
		sibling := filepath.Join(filepath.Dir(l.self), name)
		if st, err := os.Stat(sibling); err == nil && !st.IsDir() {
			return sibling, "next to " + l.self, nothing, nil
		}
	}
	if p, err := l.lookPath(testDMPCommand); err == nil {
		return p, "found on PATH", nothing, nil
	}
	goBin, err := l.goTool()
	if err != nil {
		return "", "", nil, fmt.Errorf("%s is neither next to dmpgen nor on PATH, and go is not installed to build it: install it with go install %s@latest", testDMPCommand, testDMPPackage)
	}
	dir, err := os.MkdirTemp("", "dmpgen-testdmp-")
	if err != nil {
		return "", "", nil, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	bin = filepath.Join(dir, name)
	build := exec.Command(goBin, "build", "-o", bin, testDMPPackage)
	build.Stdout, build.Stderr = l.stderr, l.stderr
	if err := build.Run(); err != nil {
		cleanup()
		return "", "", nil, fmt.Errorf("%s is neither next to dmpgen nor on PATH, and go build %s failed (%v): run from a module that requires dmpgen, or install it with go install %s@latest",
			testDMPCommand, testDMPPackage, err, testDMPPackage)
	}
	return bin, "not next to dmpgen nor on PATH: built with go build " + testDMPPackage, cleanup, nil
}
