package config

import (
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
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

// TestParseStrict checks the top-level strict key: off by default, and a
// boolean only.
func TestParseStrict(t *testing.T) {
	c, err := Parse("/cfg/dmpgen.yaml", []byte(good))
	if err != nil || c.Strict {
		t.Fatalf("default: strict %v, err %v; want false, nil", c != nil && c.Strict, err)
	}
	if c, err = Parse("/cfg/dmpgen.yaml", []byte("strict: true\n"+good)); err != nil || !c.Strict {
		t.Fatalf("strict: true: strict %v, err %v; want true, nil", c != nil && c.Strict, err)
	}
	if _, err = Parse("c.yaml", []byte("strict: maybe\n"+good)); err == nil || !strings.Contains(err.Error(), "c.yaml:1:") {
		t.Fatalf("strict: maybe: err %v, want a positioned error", err)
	}
	if err := validate([]byte("strict: true\n" + good)); err != nil {
		t.Errorf("schema refuses strict: true: %v", err)
	}
}

// TestPosOf checks the positions of keys, through YAML aliases too.
func TestPosOf(t *testing.T) {
	c, err := Parse("c.yaml", []byte(good+"  - name: b\n    out: o\n    module: m\n    inputs: [x, y]\n    packages: *p\n"))
	if err == nil {
		t.Fatal("want an error: the alias is undefined")
	}
	in := strings.Replace(good, "packages:", "packages: &p", 1) + "  - name: b\n    out: o\n    module: m\n    inputs: [x, y]\n    packages: *p\n" +
		"  - name: c\n    out: o\n    module: m\n    inputs: [x]\n    packages:\n      <<: *p\n      \"urn:y\": y\n"
	if c, err = Parse("c.yaml", []byte(in)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		got  diag.Pos
		want string
	}{
		{c.Targets[0].PosOf("packages", "urn:x"), "c.yaml:9:7"},
		{c.Targets[1].PosOf("packages", "urn:x"), "c.yaml:9:7"},
		{c.Targets[1].PosOf("inputs", "1"), "c.yaml:19:17"},
		{c.Targets[1].PosOf("names", "{urn:x}A"), "c.yaml:16:5"},
		{c.PosOf("catalogs"), "c.yaml:2:1"},
		{c.Targets[2].PosOf("packages", "urn:x"), "c.yaml:9:7"},
		{c.Targets[2].PosOf("packages", "urn:y"), "c.yaml:27:7"},
	} {
		if tc.got.String() != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"unknown key", "version: 1\ntargetz: []\n", `c.yaml:2:1: unknown key "targetz" in the configuration; did you mean "targets"? (valid keys: version, kit, catalogs, targets, valuesets, api, lock, strict)`},
		{"unknown target key", strings.Replace(good, "packages:", "pakages:", 1), `c.yaml:8:5: unknown key "pakages" in target; did you mean "packages"? (valid keys: name, out, module, inputs, packages, names, operations, keep, mixed)`},
		{"unknown operation key", strings.Replace(good, "mtomRequest", "mtom", 1), `c.yaml:15:9: unknown key "mtom" in operation (valid keys: action, responseAction, mtomRequest, mtomResponse, endpoint)`},
		{"unknown keys everywhere", "version: 1\nvaluesets: {out: v, file: [a]}\ntargets:\n  - &t {name: a, out: o, module: m, inputs: [x], Names: {}}\n  - *t\n", "c.yaml:2:21: unknown key \"file\" in valuesets; did you mean \"files\"? (valid keys: out, files)\n" +
			"c.yaml:4:50: unknown key \"Names\" in target; did you mean \"names\"? (valid keys: name, out, module, inputs, packages, names, operations, keep, mixed)"},
		{"version", strings.Replace(good, "version: 1", "version: 2", 1), "c.yaml:1:1: version must be 1, got 2"},
		{"bad pin", strings.Replace(good, ": Slot", ": slot", 1), `c.yaml:11:7: name pin "slot": want an exported Go identifier`},
		{"bad pkg", strings.Replace(good, ": rim", ": Rim", 1), `c.yaml:9:7: package directory "Rim": want lower-case path elements`},
		{"no targets", "version: 1\n", "c.yaml:1:1: no targets: add a targets: list (see dmpgen init)"},
		{"empty", "", "c.yaml:1:1: empty configuration: want at least version: 1 and targets:"},
		{"comment only", "# nothing\n", "c.yaml:1:1: empty configuration: want at least version: 1 and targets:"},
		{"syntax", "version: [\n", "c.yaml:1: did not find expected node content"},
		{"api without out", "version: 1\nvaluesets: {out: v}\napi: {module: m}\n", "c.yaml:3:1: api: out is required (the directory of the rendered DMP API, e.g. out: dmp)"},
		{"api overlaps", "version: 1\nvaluesets: {out: gen/valuesets}\ntargets: [{name: a, out: gen/a, module: m, inputs: [x]}]\napi: {out: gen}\n",
			"c.yaml:4:7: api: out gen overlaps the out gen/a of target a: give the DMP API a directory of its own (e.g. out: dmp)\n" +
				"c.yaml:4:7: api: out gen overlaps the out gen/valuesets of valuesets: give the DMP API a directory of its own (e.g. out: dmp)"},
		{"keep value", "version: 1\ntargets: [{name: a, out: o, module: m, inputs: [x.wsdl], keep: some}]\n", `c.yaml:2:58: target "a": keep "some": want all or reachable`},
		{"mixed value", "version: 1\ntargets: [{name: a, out: o, module: m, inputs: [x.xsd], mixed: text}]\n", `c.yaml:2:57: target "a": mixed "text": want dom or typed`},
		{"keep reachable without WSDL", "version: 1\ntargets: [{name: a, out: o, module: m, inputs: [x.xsd], keep: reachable}]\n",
			`c.yaml:2:57: target "a": keep: reachable needs a WSDL input (the operations are the roots); use keep: all for a schema-only target`},
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
