// Package config reads dmpgen.yaml, the versioned generator configuration.
//
// Format (version 1):
//
//	version: 1
//	kit: ../kit                      # optional kit root, relative to this file; the
//	                                 # -kit flag wins over it, and it wins over $DMPGEN_KIT
//	catalogs: [catalog.xml]          # OASIS catalogs, relative to the kit root
//	targets:                         # independent schema sets, generated separately
//	  - name: xds                    # unique; used in messages
//	    out: generated/xds           # output directory, relative to the config file
//	    module: github.com/acme/app/generated/xds   # import path of out
//	    inputs:                      # WSDL or XSD files, relative to the kit root
//	      - dmp/annexe-wsdl-schema/wsdl/XDS.b_DocumentRegistry.wsdl
//	    packages:                    # XML namespace -> package directory under out
//	      "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0": rim
//	    names:                       # pins: "{namespace}local" -> Go name (types and elements)
//	      "{urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0}SlotType1": Slot
//	    operations:                  # per-operation overrides, by "Binding/operation"
//	      HabilitationsServiceBinding/setAuthorization:
//	        action: urn:si-dmp-habilitations:HabilitationsEndPoint:setAuthorization
//	        responseAction: urn:si-dmp-habilitations:HabilitationsEndPoint:setAuthorizationResponse
//	        mtomRequest: false
//	        mtomResponse: false
//	        endpoint: https://…
//	    keep: reachable              # reachable (default with a WSDL input): only the types
//	                                 # the operations reach; all (default without): every one
//	valuesets:                       # optional: CI-SIS value sets
//	  out: generated/valuesets
//	  files: []                      # default: every JDV file of the kit
//	api:                             # optional: the typed DMP API (dmp.Client) rendered
//	  out: dmp                       # into out, bound to the targets' packages
//	  module: github.com/acme/app/dmp   # import path of out (default: from the nearest go.mod)
//	lock:                            # optional: the kit lock, written by generate, checked by check
//	  out: spec/kit.lock             # relative to this file
//	  kitVersion: "annexe WSDL/schémas v2.01.04"   # optional label recorded in the lock
//
// Unknown keys are errors, reported with their position.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/dmpgen/dmpgen/internal/diag"
)

// Version is the configuration format version this dmpgen reads.
const Version = 1

// SchemaURL is where editors find the JSON Schema of dmpgen.yaml
// (dmpgen.schema.json beside this file), for the yaml-language-server
// comment that dmpgen init writes.
const SchemaURL = "https://raw.githubusercontent.com/dmpgen/dmpgen/main/internal/config/dmpgen.schema.json"

// Config is a parsed dmpgen.yaml.
type Config struct {
	// File is the absolute path of the config file ("" for a config built from flags).
	File      string     `yaml:"-"`
	Version   int        `yaml:"version"`
	Kit       string     `yaml:"kit"`
	Catalogs  []string   `yaml:"catalogs"`
	Targets   []*Target  `yaml:"targets"`
	ValueSets *ValueSets `yaml:"valuesets"`
	API       *API       `yaml:"api"`
	Lock      *Lock      `yaml:"lock"`
	// Strict refuses the WS-I Basic Profile deviations of the WSDL inputs
	// (errors), which are otherwise bound leniently with a warning.
	Strict bool `yaml:"strict"`

	node *yaml.Node // the top-level mapping, for positions
}

// Target is one schema set generated into one output tree.
type Target struct {
	Name       string                `yaml:"name"`
	Out        string                `yaml:"out"`
	Module     string                `yaml:"module"`
	Inputs     []string              `yaml:"inputs"`
	Packages   map[string]string     `yaml:"packages"`
	Names      map[string]string     `yaml:"names"`
	Operations map[string]*Operation `yaml:"operations"`
	// Keep selects the generated types: "reachable" (the default for a
	// target with a WSDL input) generates only what the bound operations'
	// messages reach; "all" (the default for schema-only targets) every
	// global type and element of the inputs.
	Keep string `yaml:"keep"`
	// Mixed selects how mixed content with child elements is bound: "dom"
	// (the default) keeps it as DOM nodes, "typed" gives the typed fields
	// of its content model and the text runs at their place.
	Mixed string `yaml:"mixed"`
	// Pos is the position of the target in the config file.
	Pos diag.Pos `yaml:"-"`

	file string
	node *yaml.Node // the target's mapping, for positions
}

// Values of Target.Keep.
const (
	KeepAll       = "all"
	KeepReachable = "reachable"
)

// Values of Target.Mixed.
const (
	MixedDOM   = "dom"
	MixedTyped = "typed"
)

// HasWSDL reports whether an input of the target is a WSDL.
func (t *Target) HasWSDL() bool {
	for _, in := range t.Inputs {
		if strings.EqualFold(filepath.Ext(in), ".wsdl") {
			return true
		}
	}
	return false
}

// KeepReachableOnly reports whether only the types the operations reach are
// generated: keep: reachable, or no keep and a WSDL input.
func (t *Target) KeepReachableOnly() bool {
	if t.Keep == "" {
		return t.HasWSDL()
	}
	return t.Keep == KeepReachable
}

// Operation overrides what the WSDL says about one operation.
type Operation struct {
	Action         string `yaml:"action"`
	ResponseAction string `yaml:"responseAction"`
	MTOMRequest    bool   `yaml:"mtomRequest"`
	MTOMResponse   bool   `yaml:"mtomResponse"`
	Endpoint       string `yaml:"endpoint"`
}

// ValueSets configures the value-set generation step.
type ValueSets struct {
	Out   string   `yaml:"out"`
	Files []string `yaml:"files"`
}

// API configures the rendering of the typed DMP API (dmp.Client and
// dmp/xdsrim) into the vendor's module.
type API struct {
	Out    string `yaml:"out"`
	Module string `yaml:"module"`
}

// Lock configures the kit lock: every kit file a generation read, with its
// SHA-256, written by dmpgen generate and compared by dmpgen check.
type Lock struct {
	Out        string `yaml:"out"`
	KitVersion string `yaml:"kitVersion"`
}

// KitDir returns the kit root named by the config, absolute, or "".
func (c *Config) KitDir() string {
	if c.Kit == "" {
		return ""
	}
	if filepath.IsAbs(c.Kit) {
		return c.Kit
	}
	return filepath.Join(c.Dir(), filepath.FromSlash(c.Kit))
}

// PosOf returns the position of the key at path in the config file (as
// nodePos: mapping keys and sequence indexes), or "" when the config was not
// parsed from a file.
func (c *Config) PosOf(path ...string) diag.Pos {
	if c.node == nil {
		return diag.Pos{File: c.File}
	}
	return nodePos(c.File, c.node, path...)
}

// PosOf returns the position of a key of the target, such as
// PosOf("packages", ns) or PosOf("inputs", "2"); the target's position when
// the key is absent or the target was not parsed from a file.
func (t *Target) PosOf(path ...string) diag.Pos {
	if t.node == nil {
		return t.Pos
	}
	return nodePos(t.file, t.node, path...)
}

// Dir returns the directory paths in the config are relative to.
func (c *Config) Dir() string {
	if c.File == "" {
		wd, _ := os.Getwd()
		return wd
	}
	return filepath.Dir(c.File)
}

// Load reads and checks a config file.
func Load(path string) (*Config, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, err
	}
	return Parse(abs, data)
}

var (
	pkgDirRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)*$`)
	goNameRE = regexp.MustCompile(`^[A-Z][A-Za-z0-9_]*$`)
	qnameRE  = regexp.MustCompile(`^\{[^{}]*\}[^{}\s]+$`)
	opKeyRE  = regexp.MustCompile(`^[^/\s]+/[^/\s]+$`)
)

// Parse parses a config. file is used for positions and relative paths.
// Every problem is reported at once, positioned: unknown keys (with the
// likely intended one and the valid ones), bad values, missing fields.
func Parse(file string, data []byte) (*Config, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, diag.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, "empty configuration: want at least version: %d and targets:", Version)
		}
		return nil, yamlErr(file, err)
	}
	if len(root.Content) == 0 {
		return nil, diag.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, "empty configuration: want at least version: %d and targets:", Version)
	}
	top := root.Content[0]
	if errs := checkKeys(file, top, reflect.TypeOf(Config{}), 0); len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	var c Config
	dec = yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, yamlErr(file, err)
	}
	c.File = file
	c.node = top
	var errs diag.List
	at := func(path ...string) diag.Pos { return nodePos(file, top, path...) }
	if c.Version != Version {
		errs.Add(at("version"), "version must be %d, got %d", Version, c.Version)
	}
	if len(c.Targets) == 0 && c.ValueSets == nil {
		errs.Add(at(), "no targets: add a targets: list (see dmpgen init)")
	}
	seen := map[string]bool{}
	targets := valueAt(top, "targets")
	for i, t := range c.Targets {
		if t == nil {
			errs.Add(at("targets", fmt.Sprint(i)), "empty target: want name, out, module and inputs")
			continue
		}
		t.file = file
		if targets != nil && targets.Kind == yaml.SequenceNode && i < len(targets.Content) {
			t.node = resolveAlias(targets.Content[i])
		}
		t.Pos = at("targets", fmt.Sprint(i))
		switch {
		case t.Name == "":
			errs.Add(t.Pos, "target has no name")
		case seen[t.Name]:
			errs.Add(t.PosOf("name"), "duplicate target name %q", t.Name)
		}
		seen[t.Name] = true
		if t.Out == "" {
			errs.Add(t.Pos, "target %q: out is required", t.Name)
		}
		if t.Module == "" {
			errs.Add(t.Pos, "target %q: module is required", t.Name)
		}
		if len(t.Inputs) == 0 {
			errs.Add(t.Pos, "target %q: no inputs", t.Name)
		}
		for _, ns := range sortedKeys(t.Packages) {
			if !pkgDirRE.MatchString(t.Packages[ns]) {
				errs.Add(t.PosOf("packages", ns), "package directory %q: want lower-case path elements", t.Packages[ns])
			}
		}
		for _, q := range sortedKeys(t.Names) {
			if !qnameRE.MatchString(q) {
				errs.Add(t.PosOf("names", q), "name pin key %q: want {namespace}local", q)
			}
			if !goNameRE.MatchString(t.Names[q]) {
				errs.Add(t.PosOf("names", q), "name pin %q: want an exported Go identifier", t.Names[q])
			}
		}
		for _, k := range sortedKeys(t.Operations) {
			if !opKeyRE.MatchString(k) {
				errs.Add(t.PosOf("operations", k), "operation key %q: want Binding/operation", k)
			}
		}
		switch t.Keep {
		case "", KeepAll, KeepReachable:
		default:
			errs.Add(t.PosOf("keep"), "target %q: keep %q: want all or reachable", t.Name, t.Keep)
		}
		switch t.Mixed {
		case "", MixedDOM, MixedTyped:
		default:
			errs.Add(t.PosOf("mixed"), "target %q: mixed %q: want dom or typed", t.Name, t.Mixed)
		}
		if t.Keep == KeepReachable && !t.HasWSDL() {
			errs.Add(t.PosOf("keep"), "target %q: keep: reachable needs a WSDL input (the operations are the roots); use keep: all for a schema-only target", t.Name)
		}
	}
	if c.ValueSets != nil && c.ValueSets.Out == "" {
		errs.Add(at("valuesets"), "valuesets: out is required")
	}
	if c.API != nil && c.API.Out == "" {
		errs.Add(at("api"), "api: out is required (the directory of the rendered DMP API, e.g. out: dmp)")
	}
	if c.API != nil && c.API.Out != "" {
		// Each step deletes the stale generated files under its out: two
		// steps sharing a tree would delete each other's files.
		outs := map[string]string{}
		for _, t := range c.Targets {
			if t != nil && t.Out != "" {
				outs["target "+t.Name] = t.Out
			}
		}
		if c.ValueSets != nil && c.ValueSets.Out != "" {
			outs["valuesets"] = c.ValueSets.Out
		}
		for _, k := range sortedKeys(outs) {
			if overlap(c.API.Out, outs[k]) {
				errs.Add(at("api", "out"), "api: out %s overlaps the out %s of %s: give the DMP API a directory of its own (e.g. out: dmp)", c.API.Out, outs[k], k)
			}
		}
	}
	if c.Lock != nil {
		if c.Lock.Out == "" {
			errs.Add(at("lock"), "lock: out is required (e.g. spec/kit.lock)")
		}
		if strings.ContainsAny(c.Lock.KitVersion, "\r\n") {
			errs.Add(at("lock", "kitVersion"), "lock: kitVersion must be one line")
		}
	}
	errs.Sort()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Contexts names the mappings of the format in messages, by struct type.
var contexts = map[reflect.Type]string{
	reflect.TypeOf(Config{}):    "the configuration",
	reflect.TypeOf(Target{}):    "target",
	reflect.TypeOf(Operation{}): "operation",
	reflect.TypeOf(ValueSets{}): "valuesets",
	reflect.TypeOf(API{}):       "api",
	reflect.TypeOf(Lock{}):      "lock",
}

// Keys returns the keys a mapping of struct type typ accepts, in declaration
// order: the yaml names of its fields. It is what the parser checks and what
// the JSON Schema must list.
func Keys(typ reflect.Type) []string {
	var out []string
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		out = append(out, name)
	}
	return out
}

// checkKeys reports every mapping key that the struct type typ (or the
// types of its fields, recursively) does not accept, at the key.
func checkKeys(file string, n *yaml.Node, typ reflect.Type, depth int) diag.List {
	var errs diag.List
	n = resolveAlias(n)
	if n == nil || depth > 8 {
		return nil
	}
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	switch typ.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil // the decoder reports the type mismatch
		}
		keys := Keys(typ)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "<<" {
				continue // merge key: the merged mapping is checked where it is defined
			}
			f, ok := fieldByKey(typ, k.Value)
			if !ok {
				msg := fmt.Sprintf("unknown key %q in %s", k.Value, contexts[typ])
				if s := diag.Suggest(k.Value, keys); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				}
				msg += " (valid keys: " + strings.Join(keys, ", ") + ")"
				errs.Add(diag.Pos{File: file, Line: k.Line, Col: k.Column}, "%s", msg)
				continue
			}
			errs = append(errs, checkKeys(file, v, f.Type, depth+1)...)
		}
	case reflect.Slice:
		if n.Kind == yaml.SequenceNode {
			for _, e := range n.Content {
				errs = append(errs, checkKeys(file, e, typ.Elem(), depth+1)...)
			}
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			for i := 1; i < len(n.Content); i += 2 {
				errs = append(errs, checkKeys(file, n.Content[i], typ.Elem(), depth+1)...)
			}
		}
	}
	return errs
}

func fieldByKey(typ reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); f.IsExported() && name == key && name != "-" {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// lookupKey finds key in a mapping node, then in the mappings it merges
// with "<<" (where YAML looks for it too), and returns the key and value.
func lookupKey(n *yaml.Node, key string, depth int) (k, v *yaml.Node) {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode || depth > 8 {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != "<<" {
			continue
		}
		merged := resolveAlias(n.Content[i+1])
		if merged != nil && merged.Kind == yaml.SequenceNode {
			for _, m := range merged.Content {
				if k, v := lookupKey(m, key, depth+1); k != nil {
					return k, v
				}
			}
		} else if k, v := lookupKey(merged, key, depth+1); k != nil {
			return k, v
		}
	}
	return nil, nil
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// valueAt returns the value of key in a mapping node, or nil.
func valueAt(n *yaml.Node, key string) *yaml.Node {
	_, v := lookupKey(n, key, 0)
	return resolveAlias(v)
}

// yamlErr converts yaml.v3 errors ("yaml: line N: msg", or a TypeError list) to positioned errors.
func yamlErr(file string, err error) error {
	var te *yaml.TypeError
	var errs diag.List
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		m = strings.TrimPrefix(m, "yaml: ")
		line := 0
		if _, err := fmt.Sscanf(m, "line %d:", &line); err == nil {
			m = strings.TrimSpace(m[strings.Index(m, ":")+1:])
		}
		errs.Add(diag.Pos{File: file, Line: line}, "%s", m)
	}
	return errs
}

// nodePos finds the position of the value at a path of mapping keys and sequence indexes.
func nodePos(file string, n *yaml.Node, path ...string) diag.Pos {
	pos := diag.Pos{File: file, Line: n.Line, Col: n.Column}
	for _, p := range path {
		var next *yaml.Node
		n = resolveAlias(n)
		switch n.Kind {
		case yaml.MappingNode:
			if k, v := lookupKey(n, p, 0); k != nil {
				pos = diag.Pos{File: file, Line: k.Line, Col: k.Column}
				next = v
			}
		case yaml.SequenceNode:
			var i int
			if _, err := fmt.Sscanf(p, "%d", &i); err == nil && i < len(n.Content) {
				next = n.Content[i]
				pos = diag.Pos{File: file, Line: next.Line, Col: next.Column}
			}
		}
		if next == nil {
			return pos
		}
		n = next
	}
	return pos
}

// overlap reports whether one of two slash-separated directories, relative
// to the same base, is the other or contains it.
func overlap(a, b string) bool {
	a, b = path.Clean(filepath.ToSlash(a)), path.Clean(filepath.ToSlash(b))
	return a == b || strings.HasPrefix(a, b+"/") || strings.HasPrefix(b, a+"/") || a == "." || b == "."
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
