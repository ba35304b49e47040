// Command dmpgen generates Go clients, servers and validation code from the
// DMP kit's WSDL and XSD files. See the README for usage.
package main

import (
	"os"

	"github.com/dmpgen/dmpgen/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
