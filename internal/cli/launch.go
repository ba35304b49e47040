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

// tool is a command of its own that a dmpgen subcommand runs: the
// generator links none of the generated packages these commands need.
type tool struct {
	sub     string // the dmpgen subcommand, "testdmp"
	command string // the executable, "dmpgen-testdmp", in cmd/ of this module
	what    string // for the usage: "the test DMP"
	doc     string // its page: "docs/testdmp.md"
}

// The commands dmpgen runs.
var (
	testDMPTool  = tool{sub: "testdmp", command: "dmpgen-testdmp", what: "the test DMP", doc: "docs/testdmp.md"}
	vetTool      = tool{sub: "vet", command: "dmpgen-vet", what: "the offline checker of captured DMP exchanges", doc: "docs/vet.md"}
	rehearseTool = tool{sub: "rehearse", command: "dmpgen-rehearse", what: "the approval rehearsal against a recording test DMP", doc: "docs/testdmp.md"}
)

// pkg is the tool's package.
func (t tool) pkg() string { return "github.com/dmpgen/dmpgen/cmd/" + t.command }

func (t tool) usage() string {
	return `usage:
  dmpgen ` + t.sub + ` [-v] [` + t.command + ` flags]

Runs ` + t.what + `, the command ` + t.command + ` (see dmpgen ` + t.sub + ` -h and
` + t.doc + `), with the other arguments, stdin, stdout, stderr and
signals forwarded, and exits with its status. ` + t.command + ` is looked up
next to the dmpgen executable, then on PATH; when neither has it, it is
built with "go build ` + t.pkg() + `" from the current
directory (this repository, or a module that requires dmpgen). -v says
which on stderr.
`
}

// launcher runs a tool; its fields are the process environment, so that
// tests replace them.
type launcher struct {
	tool     tool
	self     string // the dmpgen executable ("" when unknown)
	lookPath func(string) (string, error)
	goTool   func() (string, error)
	signals  <-chan os.Signal
	stdin    io.Reader
	stdout   io.Writer
	stderr   io.Writer
}

func runTool(t tool, args []string, stdout, stderr io.Writer) int {
	self, _ := os.Executable()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	l := launcher{tool: t, self: self, lookPath: exec.LookPath, goTool: func() (string, error) { return exec.LookPath("go") },
		signals: sig, stdin: os.Stdin, stdout: stdout, stderr: stderr}
	return l.run(args)
}

// run finds or builds the tool and runs it with args (but -v).
func (l launcher) run(args []string) int {
	name := "dmpgen " + l.tool.sub
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
		fmt.Fprint(l.stderr, l.tool.usage())
	}
	bin, how, cleanup, err := l.find()
	if err != nil {
		fmt.Fprintf(l.stderr, "%s: %v\n", name, err)
		return ExitInput
	}
	defer cleanup()
	if verbose {
		fmt.Fprintf(l.stderr, "%s: running %s (%s)\n", name, bin, how)
	}
	cmd := exec.Command(bin, rest...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = l.stdin, l.stdout, l.stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(l.stderr, "%s: %v\n", name, err)
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
		fmt.Fprintf(l.stderr, "%s: %s: %v\n", name, bin, err)
		return ExitInput
	}
}

// find returns the executable of the tool, how it was found, and what to do
// once it has exited.
func (l launcher) find() (bin, how string, cleanup func(), err error) {
	command, pkg := l.tool.command, l.tool.pkg()
	name := command
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
	if p, err := l.lookPath(command); err == nil {
		return p, "found on PATH", nothing, nil
	}
	goBin, err := l.goTool()
	if err != nil {
		return "", "", nil, fmt.Errorf("%s is neither next to dmpgen nor on PATH, and go is not installed to build it: install it with go install %s@latest", command, pkg)
	}
	dir, err := os.MkdirTemp("", command+"-")
	if err != nil {
		return "", "", nil, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	bin = filepath.Join(dir, name)
	build := exec.Command(goBin, "build", "-o", bin, pkg)
	build.Stdout, build.Stderr = l.stderr, l.stderr
	if err := build.Run(); err != nil {
		cleanup()
		return "", "", nil, fmt.Errorf("%s is neither next to dmpgen nor on PATH, and go build %s failed (%v): in a module that requires dmpgen, declare it as a tool too (go get -tool %s) so that go.mod and go.sum hold what it needs; elsewhere, install it with go install %s@latest",
			command, pkg, err, pkg, pkg)
	}
	return bin, "not next to dmpgen nor on PATH: built with go build " + pkg, cleanup, nil
}
