package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

// schemaKeys returns the schema as a JSON tree, for its properties.
func schemaTree(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("dmpgen.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	return raw
}

// validate checks YAML text against the schema.
func validate(text []byte) error {
	return testenv.ValidateYAML("dmpgen.schema.json", SchemaURL, text)
}

// TestSchemaKeys checks that the schema lists, for each mapping of the
// format, exactly the keys the parser accepts (the yaml tags of the config
// structs), in the same order.
func TestSchemaKeys(t *testing.T) {
	raw := schemaTree(t)
	if raw["$id"] != SchemaURL {
		t.Errorf("$id %v, want SchemaURL %s", raw["$id"], SchemaURL)
	}
	defs := raw["$defs"].(map[string]any)
	for typ, props := range map[reflect.Type]map[string]any{
		reflect.TypeOf(Config{}):    raw,
		reflect.TypeOf(Target{}):    defs["target"].(map[string]any),
		reflect.TypeOf(Operation{}): defs["operation"].(map[string]any),
		reflect.TypeOf(ValueSets{}): defs["valuesets"].(map[string]any),
		reflect.TypeOf(API{}):       defs["api"].(map[string]any),
	} {
		if props["additionalProperties"] != false {
			t.Errorf("%s: the schema must reject unknown keys (additionalProperties: false)", typ)
		}
		var keys []string
		for k := range props["properties"].(map[string]any) {
			keys = append(keys, k)
		}
		parser := Keys(typ)
		sorted := slices.Clone(parser)
		sort.Strings(keys)
		sort.Strings(sorted)
		if !slices.Equal(keys, sorted) {
			t.Errorf("%s: schema keys %v, parser keys %v", typ, keys, parser)
		}
	}
}

// TestSchemaAgreesWithParser validates the repository's configs, the
// sample's, those of testdata/gen and a table of small documents with the
// schema and with Parse: both accept or both reject each one.
func TestSchemaAgreesWithParser(t *testing.T) {
	root := testenv.RepoRoot()
	files := []string{filepath.Join(root, "dmpgen.yaml"), filepath.Join(root, "examples", "sample", "dmpgen.yaml")}
	cases, _ := filepath.Glob(filepath.Join(root, "testdata", "gen", "*", "dmpgen.yaml"))
	files = append(files, cases...)
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, f)
		agree(t, rel, text)
	}
	for _, name := range []string{"dmpgen.yaml", "examples/sample/dmpgen.yaml"} {
		text, _ := os.ReadFile(filepath.Join(root, name))
		if err := validate(text); err != nil {
			t.Errorf("%s does not validate against the schema: %v", name, err)
		}
	}
	target := "targets:\n  - name: a\n    out: o\n    module: m\n    inputs: [x.wsdl]\n"
	for name, text := range map[string]string{
		"good":                  good,
		"valuesets only":        "version: 1\nvaluesets: {out: v, files: [a.xml]}\n",
		"all keys":              "version: 1\nkit: k\ncatalogs: [c.xml]\n" + target + "    packages: {\"urn:x\": a/b_c}\n    names: {\"{urn:x}T\": T2}\n    operations:\n      B/o: {action: a, responseAction: r, mtomRequest: true, mtomResponse: false, endpoint: https://x}\nvaluesets: {out: v}\napi: {out: dmp, module: example.com/m/dmp}\n",
		"no version":            target,
		"version 2":             "version: 2\n" + target,
		"no targets":            "version: 1\n",
		"empty targets":         "version: 1\ntargets: []\n",
		"unknown top key":       "version: 1\ntargetz: []\n" + target,
		"unknown target key":    "version: 1\n" + target + "    pakages: {}\n",
		"unknown op key":        "version: 1\n" + target + "    operations: {B/o: {mtom: true}}\n",
		"unknown valuesets key": "version: 1\n" + target + "valuesets: {out: v, file: []}\n",
		"missing module":        "version: 1\ntargets: [{name: a, out: o, inputs: [x]}]\n",
		"no inputs":             "version: 1\ntargets: [{name: a, out: o, module: m, inputs: []}]\n",
		"bad package dir":       "version: 1\n" + target + "    packages: {\"urn:x\": Rim}\n",
		"bad pin key":           "version: 1\n" + target + "    names: {T: Foo}\n",
		"bad pin name":          "version: 1\n" + target + "    names: {\"{urn:x}T\": foo}\n",
		"bad op key":            "version: 1\n" + target + "    operations: {op: {}}\n",
		"valuesets without out": "version: 1\n" + target + "valuesets: {files: [a]}\n",
		"api without out":       "version: 1\n" + target + "api: {module: m}\n",
		"unknown api key":       "version: 1\n" + target + "api: {out: dmp, dir: x}\n",
		"mtom not a bool":       "version: 1\n" + target + "    operations: {B/o: {mtomRequest: yes please}}\n",
		"inputs not a list":     "version: 1\ntargets: [{name: a, out: o, module: m, inputs: x.wsdl}]\n",
	} {
		agree(t, name, []byte(text))
	}
}

func agree(t *testing.T, name string, text []byte) {
	t.Helper()
	_, perr := Parse("c.yaml", text)
	serr := validate(text)
	if (perr == nil) != (serr == nil) {
		t.Errorf("%s: parser error %v, schema error %v: they must agree", name, perr, strings.TrimSpace(errString(serr)))
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
