package config

import (
	"strings"
	"testing"
)

const good = `version: 1
catalogs: [catalog.xml]
targets:
  - name: xds
    out: generated/xds
    module: example.com/x/generated/xds
    inputs: [a.wsdl]
    packages:
      "urn:x": rim
    names:
      "{urn:x}SlotType1": Slot
    operations:
      B/op:
        action: urn:a
        mtomRequest: true
`

func TestParseGood(t *testing.T) {
	c, err := Parse("/cfg/dmpgen.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	tg := c.Targets[0]
	if tg.Packages["urn:x"] != "rim" || tg.Names["{urn:x}SlotType1"] != "Slot" || !tg.Operations["B/op"].MTOMRequest {
		t.Fatalf("unexpected config: %+v", tg)
	}
	if c.Dir() != "/cfg" {
		t.Fatalf("Dir = %q", c.Dir())
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"unknown key", "version: 1\ntargetz: []\n", "c.yaml:2: field targetz not found in type config.Config"},
		{"version", strings.Replace(good, "version: 1", "version: 2", 1), "c.yaml:1:1: version must be 1, got 2"},
		{"bad pin", strings.Replace(good, ": Slot", ": slot", 1), `c.yaml:11:7: name pin "slot": want an exported Go identifier`},
		{"bad pkg", strings.Replace(good, ": rim", ": Rim", 1), `c.yaml:9:7: package directory "Rim": want lower-case path elements`},
		{"no targets", "version: 1\n", "c.yaml:1:1: no targets"},
		{"syntax", "version: [\n", "c.yaml:1: did not find expected node content"},
		{"missing fields", "version: 1\ntargets:\n  - name: a\n", "c.yaml:3:5: target \"a\": module is required\nc.yaml:3:5: target \"a\": no inputs\nc.yaml:3:5: target \"a\": out is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tc.in))
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte("version: 1\ntargets: [{name: a}]\n"))
	f.Add([]byte(":\n- - ["))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("f.yaml", data)
		if err == nil && (c.Version != Version || len(c.Targets) == 0) {
			t.Fatalf("accepted invalid config: %+v", c)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "f.yaml") {
			t.Fatalf("error not positioned: %v", err)
		}
	})
}
