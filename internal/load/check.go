package load

import (
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/wsdl"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// maxListed is how many loaded namespaces a message lists in full.
const maxListed = 12

// checkSettings reports the packages: and names: entries of a target that
// match nothing loaded: a misspelt namespace would otherwise silently give
// its package a derived name (and generate would delete the old directory).
func checkSettings(t *config.Target, set *xsd.Set, defs []*wsdl.Definitions) diag.List {
	var errs diag.List
	nsSet := map[string]bool{}
	for _, s := range set.Schemas {
		nsSet[s.TargetNamespace] = true
	}
	for _, d := range defs {
		nsSet[d.TargetNamespace] = true
	}
	delete(nsSet, xsd.NS)
	loaded := sortedKeys(nsSet)
	for _, ns := range sortedKeys(t.Packages) {
		if nsSet[ns] {
			continue
		}
		msg := "packages: no document of target " + t.Name + " has the namespace " + quote(ns)
		if s := diag.Suggest(ns, loaded); s != "" {
			msg += "; did you mean " + quote(s) + "?"
		}
		if len(loaded) <= maxListed {
			msg += " (loaded: " + strings.Join(quoteAll(loaded), ", ") + ")"
		}
		errs.Add(t.PosOf("packages", ns), "%s", msg)
	}
	var names []string // "{ns}local" of every global type and element, for suggestions
	for _, q := range sortedKeys(t.Names) {
		qn, ok := parsePin(q)
		if !ok {
			continue // the config parser reported it
		}
		if _, ok := set.Types[qn]; ok {
			continue
		}
		if _, ok := set.Elements[qn]; ok {
			continue
		}
		if names == nil {
			for _, n := range set.TypeNames() {
				if n.Space != xsd.NS {
					names = append(names, pinKey(n))
				}
			}
			for _, n := range set.ElementNames() {
				names = append(names, pinKey(n))
			}
		}
		msg := "names: target " + t.Name + " has no global type or element " + q
		if s := diag.Suggest(q, names); s != "" {
			msg += "; did you mean " + s + "?"
		} else if !nsSet[qn.Space] {
			msg += " (no document has the namespace " + quote(qn.Space) + ")"
		}
		errs.Add(t.PosOf("names", q), "%s", msg)
	}
	return errs
}

// checkApplied reports the packages: and names: entries that match a
// namespace or component but could not take effect in the lowered program.
func checkApplied(t *config.Target, prog *ir.Program) diag.List {
	var errs diag.List
	pkgOf := map[string]*ir.Package{}
	for _, p := range prog.Packages {
		for _, ns := range p.Namespaces {
			pkgOf[ns] = p
		}
	}
	for _, ns := range sortedKeys(t.Packages) {
		p := pkgOf[ns]
		if p == nil || p.Dir == t.Packages[ns] {
			continue
		}
		var others []string
		for _, o := range p.Namespaces {
			if o != ns {
				others = append(others, quote(o))
			}
		}
		if len(others) > 0 {
			errs.Add(t.PosOf("packages", ns), "packages: namespace %s shares Go package %s with %s (their schemas reference each other, and Go forbids import cycles); the package takes its name from the namespace with the most components: set the directory there",
				quote(ns), p.Dir, strings.Join(others, ", "))
			continue
		}
		errs.Add(t.PosOf("packages", ns), "packages: directory %q of namespace %s is taken by another namespace of target %s; the package went to %s: choose another directory", t.Packages[ns], quote(ns), t.Name, p.Dir)
	}
	if len(t.Names) == 0 {
		return errs
	}
	have := map[string]bool{} // "importpath.Name" of every type
	for _, p := range prog.Packages {
		for _, f := range p.Files {
			for _, ty := range f.Types {
				have[p.ImportPath+"."+ty.Name] = true
			}
		}
	}
	for _, q := range sortedKeys(t.Names) {
		qn, ok := parsePin(q)
		p := pkgOf[qn.Space]
		if !ok || p == nil || have[p.ImportPath+"."+t.Names[q]] {
			continue
		}
		errs.Add(t.PosOf("names", q), "names: %s has no Go type of its own (an element of a named type is generated as that type), so the pin %s does nothing: pin the type instead", q, t.Names[q])
	}
	return errs
}

// parsePin splits a names: key "{namespace}local".
func parsePin(s string) (xsd.QName, bool) {
	if !strings.HasPrefix(s, "{") {
		return xsd.QName{}, false
	}
	ns, local, ok := strings.Cut(s[1:], "}")
	return xsd.QName{Space: ns, Local: local}, ok && local != ""
}

func pinKey(q xsd.QName) string { return "{" + q.Space + "}" + q.Local }

func quote(s string) string { return `"` + s + `"` }

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quote(s)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
