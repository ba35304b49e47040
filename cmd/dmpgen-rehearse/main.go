// Command dmpgen-rehearse runs the DMP compatibility flow with the built-in
// dmp.Client against an in-process test DMP that records every exchange,
// then writes vet's evidence pack of the recording (docs/testdmp.md#approval-rehearsal).
//
//	dmpgen-rehearse [-dir DIR] [-format text|json|junit|html] [-o FILE]
//
// Each step's verdict goes to standard error, the evidence pack to
// standard output or FILE. The recording stays in DIR (a new temporary
// directory when -dir is not given) with the test DMP's CA
// (testdmp-ca.pem), so that dmpgen vet -report DIR -trust
// DIR/testdmp-ca.pem checks it again.
//
// Exit status: 0 every step passed and vet found no unexpected error, 1
// otherwise, 2 usage or the rehearsal could not run.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"

	"github.com/dmpgen/dmpgen/testdmp/rehearsal"
	"github.com/dmpgen/dmpgen/vet"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dmpgen-rehearse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "record the exchanges in `DIR` (created; default: a new temporary directory)")
	format := fs.String("format", "text", "evidence pack format: "+strings.Join(vet.Formats(), ", "))
	out := fs.String("o", "", "write the evidence pack to `FILE` instead of standard output")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dmpgen-rehearse [-dir DIR] [-format text|json|junit|html] [-o FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dmpgen-rehearse: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if !slices.Contains(vet.Formats(), *format) {
		fmt.Fprintf(stderr, "dmpgen-rehearse: unknown -format %q: use one of %s\n", *format, strings.Join(vet.Formats(), ", "))
		return 2
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "dmpgen-rehearsal-")
		if err != nil {
			fmt.Fprintf(stderr, "dmpgen-rehearse: %v\n", err)
			return 2
		}
		*dir = d
	}
	res, err := rehearsal.Run(ctx, rehearsal.Config{Dir: *dir})
	if err != nil {
		fmt.Fprintf(stderr, "dmpgen-rehearse: %v\n", err)
		return 2
	}
	if err := vet.WriteFile(stdout, *out, res.Report, *format); err != nil {
		fmt.Fprintf(stderr, "dmpgen-rehearse: %v\n", err)
		return 2
	}
	fmt.Fprint(stderr, Summary(res))
	if !res.Passed() {
		return 1
	}
	return 0
}

// Summary is the steps' verdicts, vet's unexpected errors and the verdict.
func Summary(res *rehearsal.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Rehearsal recorded in %s\n", res.Dir)
	for _, s := range res.Steps {
		verdict := "PASS"
		if s.Err != nil {
			verdict = "FAIL"
		}
		refusal := ""
		switch {
		case s.LocalRefusal:
			refusal = " (refused by the software before sending)"
		case s.Refusal != "":
			refusal = " (refused: " + s.Refusal + ")"
		}
		fmt.Fprintf(&b, "  %s %-8s %s%s %s\n", verdict, s.TD, s.What, refusal, exchanges(s.Exchanges))
		if s.Err != nil {
			fmt.Fprintf(&b, "       %v\n", s.Err)
		}
	}
	unexpected := res.UnexpectedErrors()
	for _, f := range unexpected {
		fmt.Fprintf(&b, "  vet: %s\n", f)
	}
	failed := 0
	for _, s := range res.Steps {
		if s.Err != nil {
			failed++
		}
	}
	if res.Passed() {
		fmt.Fprintf(&b, "PASS: %d steps, no vet error\n", len(res.Steps))
	} else {
		fmt.Fprintf(&b, "FAIL: %d of %d steps failed, %d vet errors\n", failed, len(res.Steps), len(unexpected))
	}
	return b.String()
}

func exchanges(seqs []int) string {
	if len(seqs) == 0 {
		return "[no exchange]"
	}
	var s []string
	for _, n := range seqs {
		s = append(s, fmt.Sprintf("%04d", n))
	}
	return "[" + strings.Join(s, " ") + "]"
}
