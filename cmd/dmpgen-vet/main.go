// Command dmpgen-vet checks captured DMP exchanges offline and reports the
// findings of every layer (docs/vet.md).
//
//	dmpgen-vet [-format text|json|junit|html] [-o FILE] [-trust CA.pem] [-at TIME] CAPTURE|DIR ...
//	dmpgen-vet -report RECORDING [-format ...] [-o FILE] [-trust CA.pem]
//
// -report reads a recording of dmpgen-testdmp -record and adds the evidence
// pack: the transactions covered, the refusals exercised, the TDs missing.
//
// Exit status: 0 no error finding, 1 error findings, 2 usage.
package main

import (
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dmpgen/dmpgen/vet"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dmpgen-vet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "report format: "+strings.Join(vet.Formats(), ", "))
	out := fs.String("o", "", "write the report to `FILE` instead of standard output")
	trust := fs.String("trust", "", "PEM `FILE` of trust anchors: verify the VIHF and XAdES signatures")
	at := fs.String("at", "", "message `TIME` (RFC 3339) for captures without an HTTP Date header")
	report := fs.String("report", "", "evidence pack of the recording in `DIR` (dmpgen-testdmp -record)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dmpgen-vet [-format text|json|junit|html] [-o FILE] [-trust CA.pem] [-at TIME] CAPTURE|DIR ...")
		fmt.Fprintln(stderr, "       dmpgen-vet -report RECORDING [-format text|json|junit|html] [-o FILE] [-trust CA.pem]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if (fs.NArg() == 0) == (*report == "") {
		if *report != "" {
			fmt.Fprintln(stderr, "dmpgen-vet: -report takes the recording directory alone: remove the other paths")
		}
		fs.Usage()
		return 2
	}
	if !contains(vet.Formats(), *format) {
		fmt.Fprintf(stderr, "dmpgen-vet: unknown -format %q: use one of %s\n", *format, strings.Join(vet.Formats(), ", "))
		return 2
	}
	var o vet.Options
	if *trust != "" {
		pem, err := os.ReadFile(*trust)
		if err != nil {
			fmt.Fprintf(stderr, "dmpgen-vet: -trust: %v\n", err)
			return 2
		}
		o.Trust = x509.NewCertPool()
		if !o.Trust.AppendCertsFromPEM(pem) {
			fmt.Fprintf(stderr, "dmpgen-vet: -trust %s: no PEM certificate in the file\n", *trust)
			return 2
		}
	}
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			fmt.Fprintf(stderr, "dmpgen-vet: -at: %v (write it as 2026-01-02T15:04:05Z)\n", err)
			return 2
		}
		o.At = t
	}
	var r *vet.Report
	var err error
	if *report != "" {
		r, err = vet.Recording(*report, o)
	} else {
		r, err = vet.Run(fs.Args(), o)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dmpgen-vet: %v\n", err)
		return 2
	}
	if err := vet.WriteFile(stdout, *out, r, *format); err != nil {
		fmt.Fprintf(stderr, "dmpgen-vet: %v\n", err)
		return 2
	}
	if r.HasErrors() {
		return 1
	}
	return 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
