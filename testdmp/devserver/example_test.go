package devserver_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/runtime/vihf"
	"github.com/dmpgen/dmpgen/testdmp/devserver"
)

// Example starts a test DMP on a free port with a development PKI in a
// temporary directory, and runs TD0.2 through dmp.Client with the PKI's
// client certificate and a VIHF signed by its CPS-like certificate.
func Example() {
	dir, err := os.MkdirTemp("", "devserver-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	s, err := devserver.Start(ctx, devserver.Config{Addr: "127.0.0.1:0", Dir: dir})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	for _, svc := range devserver.Services() {
		fmt.Println(svc.Name, strings.TrimPrefix(s.ServiceURL(svc.Name), s.URL))
	}

	claims := func(context.Context, string) (vihf.Claims, error) {
		return devserver.Claims(devserver.ExamplePatient()), nil
	}
	c := dmp.New(s.Endpoints(), s.HTTPClient(), s.Provider(claims),
		dmp.Options{Sender: dmp.Device{Root: "1.2.250.1.213.1.1.9", Name: "MY LPS"}})
	ex, err := c.TestExistence(ctx, devserver.ExamplePatient())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("TD0.2:", ex.State)
	// Output:
	// Registry /registry
	// Repository /repository
	// GDP /gdp
	// PDQ /pdq
	// Habilitations /habilitations
	// Patients /patients
	// PatientCertif /patientcertif
	// TD0.2: not found
}
