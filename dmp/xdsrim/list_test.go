package xdsrim_test

import (
	"testing"
	"unsafe"

	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// TestListFirstItem: a list type decoded as the child of a table-driven
// type (a ValueList in a Slot) holds its first item in its own
// allocation, and an empty list is nil, as when the list is decoded alone.
func TestListFirstItem(t *testing.T) {
	const ns = `xmlns="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"`
	for _, tc := range []struct {
		in     string
		values int
	}{
		{`<Slot ` + ns + ` name="a"><ValueList/></Slot>`, 0},
		{`<Slot ` + ns + ` name="a"><ValueList><Value>x</Value></ValueList></Slot>`, 1},
		{`<Slot ` + ns + ` name="a"><ValueList><Value>x</Value><Value>y</Value></ValueList></Slot>`, 2},
	} {
		var s rim.SlotType1
		if _, err := xmltext.Unmarshal([]byte(tc.in), &s, xmltext.Options{}); err != nil {
			t.Fatal(err)
		}
		seq := s.ValueList.Sequence
		switch {
		case len(seq) != tc.values:
			t.Errorf("%s: %d values", tc.in, len(seq))
		case tc.values == 0 && seq != nil:
			t.Errorf("%s: empty list not nil", tc.in)
		case tc.values == 1 && unsafe.Pointer(&seq[0]) != unsafe.Add(unsafe.Pointer(s.ValueList), unsafe.Sizeof(*s.ValueList)):
			t.Errorf("%s: the value is not held with its list", tc.in)
		case tc.values == 2 && *seq[1].Value != "y":
			t.Errorf("%s: second value %q", tc.in, *seq[1].Value)
		}
	}
}
