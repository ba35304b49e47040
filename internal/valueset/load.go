package valueset

import (
	"bytes"
	"os"
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
)

// input is one read file.
type input struct {
	path   string
	format Format
	data   []byte
	lines  *lines
	json   *jnode
}

// Load reads value-set files (SVS XML, FHIR ValueSet JSON) and FHIR
// CodeSystem files (used to resolve code-system URLs), detecting each
// format from the content. It returns the value sets sorted by name, one per
// OID (see the package doc for precedence). All input problems are reported
// at once as a diag.List of "file:line:col: message" errors.
func Load(paths []string) ([]ValueSet, error) {
	var errs diag.List
	var inputs []*input
	for _, p := range paths {
		if in := readInput(p, &errs); in != nil {
			inputs = append(inputs, in)
		}
	}
	registry := newRegistry(&errs)
	for _, in := range inputs {
		if in.format == FormatFHIRCodeSystem {
			f := &fhirFile{path: in.path, lines: in.lines, errs: &errs}
			if cs, ok := f.codeSystem(in.json); ok {
				registry.addFile(cs, in.lines.pos(in.json.off))
			}
		}
	}
	var sets []ValueSet
	for _, in := range inputs {
		switch in.format {
		case FormatSVS:
			f := &svsFile{path: in.path, data: in.data, lines: in.lines, errs: &errs}
			for _, v := range f.read() {
				for i := range v.Concepts {
					if v.Concepts[i].CodeSystemName == "" {
						v.Concepts[i].CodeSystemName = registry.nameOf(v.Concepts[i].CodeSystem)
					}
				}
				sets = append(sets, v)
			}
		case FormatFHIRValueSet:
			f := &fhirFile{path: in.path, lines: in.lines, errs: &errs}
			if v, ok := f.valueSet(in.json, registry.resolve); ok {
				sets = append(sets, v)
			}
		}
	}
	for _, v := range sets {
		checkDuplicates(v, &errs)
	}
	sets = resolvePrecedence(sets, &errs)
	errs.Sort()
	if len(errs) > 0 {
		return nil, errs
	}
	return sets, nil
}

// readInput reads a file and detects its format from the first
// significant character and, for JSON, the resourceType.
func readInput(path string, errs *diag.List) *input {
	data, err := os.ReadFile(path)
	if err != nil {
		errs.Add(diag.Pos{File: path}, "%v", err)
		return nil
	}
	in := &input{path: path, data: data, lines: newLines(path, data)}
	body := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	start := len(data) - len(body)
	switch {
	case len(body) > 0 && body[0] == '<':
		in.format = FormatSVS
		return in
	case len(body) > 0 && body[0] == '{':
		root, err := parseJSON(data)
		if err != nil {
			je := err.(*jsonError)
			errs.Add(in.lines.pos(je.off), "%s", je.msg)
			return nil
		}
		in.json = root
		rt := root.get("resourceType")
		switch {
		case rt == nil:
			errs.Add(in.lines.pos(root.off), "JSON without resourceType: not a FHIR resource")
		case rt.kind == 's' && rt.str == "ValueSet":
			in.format = FormatFHIRValueSet
			return in
		case rt.kind == 's' && rt.str == "CodeSystem":
			in.format = FormatFHIRCodeSystem
			return in
		default:
			errs.Add(in.lines.pos(rt.off), "FHIR resourceType %s is not ValueSet or CodeSystem", rt.str)
		}
		return nil
	}
	errs.Add(in.lines.pos(start), "unknown format: neither SVS XML nor FHIR JSON")
	return nil
}

// registry resolves code systems: input CodeSystem files, then the built-in table.
type registry struct {
	byURL map[string]CodeSystem
	errs  *diag.List
}

func newRegistry(errs *diag.List) *registry {
	r := &registry{byURL: map[string]CodeSystem{}, errs: errs}
	for _, cs := range knownCodeSystems() {
		r.byURL[cs.URL] = cs
	}
	return r
}

func (r *registry) addFile(cs CodeSystem, pos diag.Pos) {
	if old, ok := r.byURL[cs.URL]; ok && old.OID != cs.OID {
		r.errs.Add(pos, "CodeSystem %s has identifier %s, but %s is already known for it", cs.URL, cs.OID, old.OID)
		return
	}
	r.byURL[cs.URL] = cs
}

func (r *registry) resolve(system string) (CodeSystem, bool) {
	if o, ok := strings.CutPrefix(system, "urn:oid:"); ok {
		return CodeSystem{URL: system, OID: o, Name: r.nameOf(o)}, true
	}
	cs, ok := r.byURL[system]
	return cs, ok
}

// nameOf returns the NOS name of a code system OID; "" when unknown.
func (r *registry) nameOf(oid string) string {
	name := ""
	for _, cs := range r.byURL {
		if cs.OID == oid && (name == "" || cs.Name < name) { // deterministic if ever ambiguous
			name = cs.Name
		}
	}
	return name
}

func checkDuplicates(v ValueSet, errs *diag.List) {
	seen := map[[2]string]diag.Pos{}
	for _, c := range v.Concepts {
		k := [2]string{c.Code, c.CodeSystem}
		if first, ok := seen[k]; ok {
			errs.Add(c.Pos, "concept %s of code system %s is listed twice (first at %s)", c.Code, c.CodeSystem, first)
			continue
		}
		seen[k] = c.Pos
	}
}

// resolvePrecedence keeps, for each OID, the definition with the latest
// date; equal or missing dates are an error.
func resolvePrecedence(sets []ValueSet, errs *diag.List) []ValueSet {
	byOID := map[string][]ValueSet{}
	for _, v := range sets {
		byOID[v.OID] = append(byOID[v.OID], v)
	}
	var out []ValueSet
	for _, group := range byOID {
		sort.SliceStable(group, func(i, j int) bool { return group[i].Date.After(group[j].Date) })
		win := group[0]
		ok := true
		for _, lose := range group[1:] {
			if win.Date.IsZero() || lose.Date.IsZero() || !win.Date.After(lose.Date) {
				errs.Add(lose.Pos, "value set %s is also defined at %s and the dates (%s, %s) cannot decide which is current; give only one",
					win.OID, win.Pos, dateString(lose.Date), dateString(win.Date))
				ok = false
				continue
			}
			win.Superseded = append(win.Superseded, Superseded{Source: lose.Source, Format: lose.Format, Version: lose.Version, Date: lose.Date})
		}
		if ok {
			out = append(out, win)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].OID < out[j].OID
	})
	return out
}

func dateString(t interface{ IsZero() bool }) string {
	if t.IsZero() {
		return "no date"
	}
	return t.(interface{ Format(string) string }).Format("2006-01-02")
}
