package valueset

import (
	"strings"
	"time"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/runtime/oid"
)

// fhirFile reads a FHIR ValueSet or CodeSystem resource.
type fhirFile struct {
	path  string
	lines *lines
	errs  *diag.List
}

func (f *fhirFile) errorf(n *jnode, format string, args ...any) {
	f.errs.Add(f.lines.pos(n.off), format, args...)
}

// str returns member key of obj as a string; "" when absent. A present
// member of another JSON type is an error.
func (f *fhirFile) str(obj *jnode, key string) string {
	n := obj.get(key)
	if n == nil {
		return ""
	}
	if n.kind != 's' {
		f.errorf(n, "%s: want a string, got %s", key, n.kindName())
		return ""
	}
	return n.str
}

// array returns member key of obj as an array; nil when absent.
func (f *fhirFile) array(obj *jnode, key string) []*jnode {
	n := obj.get(key)
	if n == nil {
		return nil
	}
	if n.kind != 'a' {
		f.errorf(n, "%s: want an array, got %s", key, n.kindName())
		return nil
	}
	return n.elems
}

// identifierOID returns the OID of the resource: the identifier with system
// urn:ietf:rfc:3986 and value urn:oid:<oid>.
func (f *fhirFile) identifierOID(root *jnode) (string, *jnode) {
	for _, id := range f.array(root, "identifier") {
		if f.str(id, "system") != "urn:ietf:rfc:3986" {
			continue
		}
		if v := f.str(id, "value"); strings.HasPrefix(v, "urn:oid:") {
			return strings.TrimPrefix(v, "urn:oid:"), id.get("value")
		}
	}
	return "", nil
}

// nosName returns the NOS name from a canonical URL
// "https://mos.esante.gouv.fr/NOS/<name>/FHIR/<id>", else "".
func nosName(url string) string {
	i := strings.Index(url, "/NOS/")
	if i < 0 {
		return ""
	}
	rest := url[i+len("/NOS/"):]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func parseFHIRDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// codeSystem reads a CodeSystem resource: its URL and identifier. Its
// concepts are not value sets and are not read.
func (f *fhirFile) codeSystem(root *jnode) (CodeSystem, bool) {
	url := f.str(root, "url")
	id, _ := f.identifierOID(root)
	if url == "" || id == "" {
		f.errorf(root, "CodeSystem needs a url and an identifier urn:oid:… (got url %q, identifier %q)", url, id)
		return CodeSystem{}, false
	}
	name := nosName(url)
	if name == "" {
		name = f.str(root, "name")
	}
	return CodeSystem{URL: url, OID: id, Name: name}, true
}

// valueSet reads a ValueSet resource; resolve maps a compose system to its
// code system.
func (f *fhirFile) valueSet(root *jnode, resolve func(system string) (CodeSystem, bool)) (ValueSet, bool) {
	v := ValueSet{Source: f.path, Format: FormatFHIRValueSet, Pos: f.lines.pos(root.off)}
	nerr := len(*f.errs)
	var idNode *jnode
	v.OID, idNode = f.identifierOID(root)
	switch {
	case v.OID == "":
		f.errorf(root, "ValueSet has no identifier with system urn:ietf:rfc:3986 and value urn:oid:… (its OID)")
	case oid.Validate(v.OID) != nil:
		f.errorf(idNode, "ValueSet identifier: %v", oid.Validate(v.OID))
	}
	v.Name = nosName(f.str(root, "url"))
	if v.Name == "" {
		v.Name = f.str(root, "name")
	}
	if v.Name == "" {
		f.errorf(root, "ValueSet has neither a NOS url nor a name")
	}
	v.Version = f.str(root, "version")
	v.Status = f.str(root, "status")
	if v.Title = f.str(root, "title"); v.Title == "" {
		v.Title = f.str(root, "description")
	}
	if d := f.str(root, "date"); d != "" {
		t, ok := parseFHIRDate(d)
		if !ok {
			f.errorf(root.get("date"), "date %q is not a FHIR dateTime", d)
		}
		v.Date = t
	}
	compose := root.get("compose")
	if compose == nil || compose.kind != 'o' {
		f.errorf(root, "ValueSet has no compose object (an expansion-only ValueSet is not supported)")
		return v, false
	}
	if ex := compose.get("exclude"); ex != nil {
		f.errorf(ex, "compose.exclude is not supported (dmpgen needs explicit concept lists)")
	}
	includes := f.array(compose, "include")
	if len(includes) == 0 {
		f.errorf(compose, "compose has no include")
	}
	for _, inc := range includes {
		for _, k := range []string{"valueSet", "filter"} {
			if n := inc.get(k); n != nil {
				f.errorf(n, "compose.include.%s is not supported (dmpgen needs explicit concept lists)", k)
			}
		}
		sysNode := inc.get("system")
		system := f.str(inc, "system")
		if system == "" {
			f.errorf(inc, "compose.include has no system")
			continue
		}
		concepts := f.array(inc, "concept")
		if len(concepts) == 0 {
			f.errorf(inc, "compose.include of %s has no concept list (including a whole code system is not supported)", system)
			continue
		}
		cs, ok := resolve(system)
		if !ok {
			f.errorf(sysNode, "unknown code system %q: give its FHIR CodeSystem file as an input, or add it to knownCodeSystems", system)
			continue
		}
		for _, cn := range concepts {
			c := Concept{Code: f.str(cn, "code"), Display: f.str(cn, "display"), CodeSystem: cs.OID,
				CodeSystemName: cs.Name, Pos: f.lines.pos(cn.off)}
			if c.Code == "" {
				f.errorf(cn, "concept has no code")
				continue
			}
			v.Concepts = append(v.Concepts, c)
		}
	}
	return v, len(*f.errs) == nerr
}
