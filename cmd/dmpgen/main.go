// Command dmpgen generates Go clients, servers and validation code from the
// DMP kit's WSDL and XSD files. See the README for usage.
package main

import (
	"os"
	"runtime/debug"

	"github.com/dmpgen/dmpgen/internal/cli"
)

func main() {
	// Generation is a short batch job that allocates about 650 MB for the
	// whole kit: collecting at 5× the live heap instead of 2× cuts its CPU
	// time by about 15% (1.28–1.40 s against 1.53–1.57 s) for a peak RSS
	// of 320–360 MB instead of 185–195 MB, measured on the kit. GOGC, when
	// set, decides.
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
