package devserver

import (
	"context"
	"errors"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
)

// TestLaxRequests: by default the test DMP refuses a stored query that
// breaks the IHE request rules (a status that is not a URN), as the DMP
// does; Config.LaxRequests (dmpgen testdmp -lax-requests) answers it.
func TestLaxRequests(t *testing.T) {
	for _, lax := range []bool{false, true} {
		s, _ := start(t, Config{LaxRequests: lax})
		c := dmp.New(s.Endpoints(), s.HTTPClient(), s.Provider(defaultClaims), dmp.Options{NoRequestChecks: true, Sender: dmp.Device{Root: "1.2.250.1.213.1.1.9", Name: "DMPGEN TEST"}})
		_, err := c.FindDocuments(context.Background(), dmp.FindDocumentsQuery{Patient: ExamplePatient(), Statuses: []string{"Approved"}})
		var de *dmp.Error
		switch {
		case lax && err != nil:
			t.Errorf("LaxRequests: %v", err)
		case !lax && (!errors.As(err, &de) || len(de.Details) != 1 || de.Details[0].Code != "XDSRegistryError"):
			t.Errorf("default: %v, want the DMP's XDSRegistryError", err)
		}
	}
}
