// Command dmpgen-testdmp serves the embedded test DMP (package testdmp) over
// HTTPS until interrupted; `dmpgen testdmp` runs it. With no flags it
// listens on 127.0.0.1:8443 with a development PKI kept in the user's
// configuration directory, requires client certificates, verifies the VIHF
// of every request, logs every exchange on stderr, and prints on stdout the
// URL of each service, the PKI files a client needs and a Go program that
// calls it. See docs/testdmp.md.
package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/dmpgen/dmpgen/testdmp/devserver"
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

const usage = `usage:
  dmpgen-testdmp [-addr 127.0.0.1:8443] [-dir DIR] [-kit DIR] [-ca FILE] [-vihf-ca FILE]
                 [-skew 5m] [-log text|json] [-tls dmp|modern]
                 [-record DIR [-record-max BYTES]]

Serves the test DMP over HTTPS until interrupted (SIGINT, SIGTERM). The
development PKI (CA, server, client and VIHF signing certificates) is
created in DIR, or reused while valid for more than 30 days; DIR defaults
to the user configuration directory's dmpgen/testdmp. Client certificates
are always required: issued by the development CA, or by a CA of -ca.
VIHF signatures must chain to the development CA, a CA of -ca or a CA of
-vihf-ca. With -kit (else $DMPGEN_KIT), GET <service URL>?wsdl serves the
service's WSDL from the kit. Every exchange is logged on stderr. TLS is
the DMP's published profile (TLS 1.2, ECDHE-RSA AES-GCM and ChaCha20
suites) unless -tls modern (TLS 1.2 and 1.3, Go's default suites).
With -record DIR, every exchange is also written to DIR as it was on the
wire: NNNN-TD-request.http and NNNN-TD-response.http HTTP dumps (mode
0600: they carry health data) and index.jsonl, which dmpgen vet -report
DIR turns into an evidence pack; bodies beyond -record-max bytes in all
are cut with a marker that the index records.
Exit status: 0 after an interrupt, 1 when serving fails, 2 usage.

Flags:
`

func main() {
	// The signals stay caught until the process exits: Ctrl-C reaches both
	// this process and dmpgen testdmp, which forwards it, so a second
	// interrupt arrives during the shutdown and must not kill it.
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil))
}

// run serves until ctx ends; started, when not nil, receives the server
// once it accepts connections.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, started func(*devserver.Server)) int {
	fl := flag.NewFlagSet("dmpgen-testdmp", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		fmt.Fprint(stderr, usage)
		fl.PrintDefaults()
	}
	var cfg devserver.Config
	var ca, vihfCA, logFormat string
	fl.StringVar(&cfg.Addr, "addr", devserver.DefaultAddr, "listen address (port 0: any free port)")
	fl.StringVar(&cfg.Dir, "dir", "", "development PKI directory, created when absent (default: the user configuration directory's dmpgen/testdmp)")
	fl.StringVar(&cfg.Kit, "kit", "", "root of the DMP kit, for ?wsdl (default: $DMPGEN_KIT)")
	fl.StringVar(&ca, "ca", "", "PEM CA certificates issuing the accepted client certificates, instead of the development CA")
	fl.StringVar(&vihfCA, "vihf-ca", "", "PEM CA certificates also trusted for VIHF signatures (client authentication stays required)")
	fl.DurationVar(&cfg.Skew, "skew", devserver.DefaultSkew, "tolerance on the VIHF's time window")
	fl.StringVar(&logFormat, "log", "text", "log format on stderr: text or json")
	fl.StringVar(&cfg.Record, "record", "", "record every exchange to `DIR` (created with its parents; files 0600)")
	fl.Int64Var(&cfg.RecordMax, "record-max", devserver.DefaultRecordMax, "cap, in `BYTES`, on the bodies of the whole recording; beyond it bodies are cut with a marker")
	fl.BoolVar(&cfg.LaxMetadata, "lax-metadata", false, "accept submissions (TD2.1, TD3.3) whose XDS metadata breaks the IHE rules or the DMP value sets, which the DMP refuses")
	fl.BoolVar(&cfg.LaxRequests, "lax-requests", false, "accept stored queries (TD3.1) and retrieves (TD3.2) that break the IHE request rules, which the DMP refuses")
	tlsProfile := fl.String("tls", "dmp", "TLS profile: dmp (the DMP's: TLS 1.2, its suites) or modern (TLS 1.2 and 1.3)")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "dmpgen-testdmp: unexpected argument %q (run with -h for the usage)\n", fl.Arg(0))
		return exitUsage
	}
	if cfg.RecordMax <= 0 {
		fmt.Fprintf(stderr, "dmpgen-testdmp: -record-max %d: want a positive number of bytes\n", cfg.RecordMax)
		return exitUsage
	}
	switch logFormat {
	case "text":
		cfg.Log = slog.New(slog.NewTextHandler(stderr, nil))
	case "json":
		cfg.Log = slog.New(slog.NewJSONHandler(stderr, nil))
	default:
		fmt.Fprintf(stderr, "dmpgen-testdmp: -log %q: want text or json\n", logFormat)
		return exitUsage
	}
	switch *tlsProfile {
	case "dmp":
	case "modern":
		cfg.ModernTLS = true
	default:
		fmt.Fprintf(stderr, "dmpgen-testdmp: -tls %q: want dmp or modern\n", *tlsProfile)
		return exitUsage
	}
	if cfg.Kit == "" {
		cfg.Kit = os.Getenv("DMPGEN_KIT")
	}
	if ca != "" {
		certs, err := readCerts(ca)
		if err != nil {
			fmt.Fprintf(stderr, "dmpgen-testdmp: -ca: %v\n", err)
			return exitUsage
		}
		cfg.ClientCAs = x509.NewCertPool()
		for _, c := range certs {
			cfg.ClientCAs.AddCert(c)
		}
	}
	if vihfCA != "" {
		certs, err := readCerts(vihfCA)
		if err != nil {
			fmt.Fprintf(stderr, "dmpgen-testdmp: -vihf-ca: %v\n", err)
			return exitUsage
		}
		cfg.VIHFRoots = certs
	}
	began := time.Now()
	srv, err := devserver.Start(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "dmpgen-testdmp: %v\n", err)
		return exitFail
	}
	if err := srv.Banner(stdout); err != nil {
		fmt.Fprintf(stderr, "dmpgen-testdmp: %v\n", err)
	}
	if started != nil {
		started(srv)
	}
	if err := srv.Wait(); err != nil {
		fmt.Fprintf(stderr, "dmpgen-testdmp: %v\n", err)
		return exitFail
	}
	cfg.Log.Info("stopped", "uptime", time.Since(began).Round(time.Second))
	return exitOK
}

// readCerts reads the PEM certificates of a file.
func readCerts(file string) ([]*x509.Certificate, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for n := 1; ; n++ {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: PEM block %d: %w", file, n, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no PEM certificate", file)
	}
	return out, nil
}
