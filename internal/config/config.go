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
//	valuesets:                       # optional: CI-SIS value sets
//	  out: generated/valuesets
//	  files: []                      # default: every JDV file of the kit
//
// Unknown keys are errors, reported with their position.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/dmpgen/dmpgen/internal/diag"
)

// Version is the configuration format version this dmpgen reads.
const Version = 1

// Config is a parsed dmpgen.yaml.
type Config struct {
	// File is the absolute path of the config file ("" for a config built from flags).
	File      string     `yaml:"-"`
	Version   int        `yaml:"version"`
	Kit       string     `yaml:"kit"`
	Catalogs  []string   `yaml:"catalogs"`
	Targets   []*Target  `yaml:"targets"`
	ValueSets *ValueSets `yaml:"valuesets"`
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
	Pos        diag.Pos              `yaml:"-"`
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
func Parse(file string, data []byte) (*Config, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&root); err != nil {
		return nil, yamlErr(file, err)
	}
	if len(root.Content) == 0 {
		return nil, diag.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, "empty configuration")
	}
	dec = yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, yamlErr(file, err)
	}
	c.File = file
	var errs diag.List
	at := func(path ...string) diag.Pos { return nodePos(file, root.Content[0], path...) }
	if c.Version != Version {
		errs.Add(at("version"), "version must be %d, got %d", Version, c.Version)
	}
	if len(c.Targets) == 0 && c.ValueSets == nil {
		errs.Add(at(), "no targets")
	}
	seen := map[string]bool{}
	for i, t := range c.Targets {
		idx := fmt.Sprint(i)
		t.Pos = at("targets", idx)
		switch {
		case t.Name == "":
			errs.Add(t.Pos, "target has no name")
		case seen[t.Name]:
			errs.Add(at("targets", idx, "name"), "duplicate target name %q", t.Name)
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
				errs.Add(at("targets", idx, "packages", ns), "package directory %q: want lower-case path elements", t.Packages[ns])
			}
		}
		for _, q := range sortedKeys(t.Names) {
			if !qnameRE.MatchString(q) {
				errs.Add(at("targets", idx, "names", q), "name pin key %q: want {namespace}local", q)
			}
			if !goNameRE.MatchString(t.Names[q]) {
				errs.Add(at("targets", idx, "names", q), "name pin %q: want an exported Go identifier", t.Names[q])
			}
		}
		for _, k := range sortedKeys(t.Operations) {
			if !opKeyRE.MatchString(k) {
				errs.Add(at("targets", idx, "operations", k), "operation key %q: want Binding/operation", k)
			}
		}
	}
	if c.ValueSets != nil && c.ValueSets.Out == "" {
		errs.Add(at("valuesets"), "valuesets: out is required")
	}
	errs.Sort()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &c, nil
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
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p {
					pos = diag.Pos{File: file, Line: n.Content[i].Line, Col: n.Content[i].Column}
					next = n.Content[i+1]
				}
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

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
