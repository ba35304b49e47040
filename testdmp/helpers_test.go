package testdmp

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// The professional and patient of the official examples' VIHF.
const (
	examplePS      = "899900063480"
	examplePatient = "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH"
	otherPS        = "899900012345"
)

// caller holds the claims a test DMP sees; tests change them between calls.
type caller struct{ c Claims }

func (c *caller) claims(context.Context) (Claims, error) { return c.c, nil }

// newTestDMP returns a test DMP on a clock that advances one second per
// reading, and the claims it sees (the official examples' PS and patient).
func newTestDMP(t testing.TB) (*DMP, *caller) {
	t.Helper()
	who := &caller{Claims{PS: examplePS, Patient: examplePatient}}
	clock := time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC)
	d := New(Options{LaxMetadata: true, Claims: who.claims, Now: func() time.Time {
		clock = clock.Add(time.Second)
		return clock
	}})
	return d, who
}

// generatorDefects are violations Validate reports on schema-valid values
// because of a generator defect; empty since the emptiable-choice check was
// fixed (a choice whose alternatives are all optional may be empty).
var generatorDefects = []Violation{}

// Violation matches a validation violation of generatorDefects.
type Violation struct{ PathSuffix, Code, Msg string }

type validated interface {
	xmlbind.Value
	Validate() error
}

// checkResponse validates v with its generated Validate and encodes it as
// name; it returns the encoding.
func checkResponse(t *testing.T, v validated, name xmltext.Name) []byte {
	t.Helper()
	if err := v.Validate(); err != nil {
		var vs xsdt.Violations
		if !errors.As(err, &vs) {
			t.Fatalf("%s: %v", name.Local, err)
		}
		for _, x := range vs {
			known := false
			for _, k := range generatorDefects {
				known = known || (strings.HasSuffix(x.Path, k.PathSuffix) && x.Code == k.Code && x.Msg == k.Msg)
			}
			if !known {
				t.Errorf("%s does not validate: %s", name.Local, x)
			}
		}
	}
	return encode(t, v, name)
}

// submitted returns the Document of a ProvideAndRegister request whose
// ExtrinsicObject has the given uniqueId: the registry stores entries under
// UUIDs, not the request's symbolic ids.
func submitted(t testing.TB, req *xdsb.ProvideAndRegisterDocumentSetRequestType, uniqueID string) xmlbind.Binary {
	t.Helper()
	for _, it := range req.SubmitObjectsRequest.RegistryObjectList.Identifiable {
		if eo := it.ExtrinsicObject; eo != nil && externalID(eo, schemeDocUniqueID) == uniqueID {
			for _, d := range req.Document {
				if d.Id == eo.Id {
					return d.Value
				}
			}
		}
	}
	t.Fatalf("no submitted document has the uniqueId %s", uniqueID)
	return xmlbind.Binary{}
}

// laxRegistry is a registry without the metadata rules, for the tests that
// publish the kit's TD2.1 request as it is: its typeCode left the DMP
// value set since (docs/kit-defects.md#outdated-typecode).
func laxRegistry() *registry {
	r := newRegistry()
	r.lax = true
	return r
}
