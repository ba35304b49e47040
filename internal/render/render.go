// Package render writes the typed DMP API (the templates of templates/dmp:
// dmp.Client and dmp/xdsrim) into a vendor's module, bound to the packages
// the vendor's dmpgen.yaml generates.
//
// Rendering parses each template with go/parser, rewrites the imports of
// this repository's generated packages to the vendor's (the package of the
// same namespace in the target that loads the same WSDL), drops the
// dmpgen_template build tag, adds the generated-code header and formats the
// result. Before anything is written, every generated identifier the
// templates use (templates/manifest.json) is looked up in the vendor's
// lowered model: a kit change or a names: pin that breaks the API is one
// error naming the transaction and the XML component, not compiler errors.
package render

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/buildinfo"
	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/gen"
	"github.com/dmpgen/dmpgen/internal/ir"
)

// TemplatePath is the import path the templates use for their own
// packages (the rendering of this repository).
const TemplatePath = "github.com/dmpgen/dmpgen/dmp"

// BuildTag guards the template files so that they are not compiled twice.
const BuildTag = "dmpgen_template"

// Input is what a rendering needs.
type Input struct {
	// Templates holds dmp/**.go (templates.FS); Manifest is its manifest.
	Templates fs.FS
	Manifest  *Manifest
	// Out is the absolute output directory, ImportPath its import path.
	Out, ImportPath string
	// ValueSets is the import path of the vendor's value sets ("" when the
	// configuration has no valuesets:).
	ValueSets string
	// Targets are the vendor's lowered targets, in configuration order.
	Targets []Target
	// Pos is the api: key of the configuration, for configuration errors.
	Pos diag.Pos
	// Version is the dmpgen release written in headers ("" for none).
	Version string
}

// Render returns the rendered files, by slash-separated path relative to
// Out ("client.go", "xdsrim/decode.go"), or every error found, and then no
// file at all.
func Render(in Input) (map[string][]byte, diag.List) {
	var errs diag.List
	imports, pkgs := map[string]string{}, map[string]*ir.Package{}
	comps := map[string]map[string]string{}                // by target name
	shps := map[string]map[string]string{}                 // by target name
	inverse := map[string]map[string]map[string][]string{} // by target name
	targetOf := map[string]string{}
	pins := map[string]map[string]Pin{}
	for _, t := range in.Targets {
		pins[t.Name] = t.Pins
	}
	compsOf := func(t Target) map[string]string {
		if comps[t.Name] == nil {
			comps[t.Name], shps[t.Name] = components(t.Program)
			inverse[t.Name] = invert(comps[t.Name])
		}
		return comps[t.Name]
	}
	for _, mp := range in.Manifest.Packages {
		if mp.ImportPath == ValueSetsPath {
			if in.ValueSets == "" {
				errs.Add(in.Pos, "api: the DMP API uses the CI-SIS value sets (%s): add valuesets: {out: DIR} to the configuration", mp.ImportPath)
				continue
			}
			imports[mp.ImportPath] = in.ValueSets
			continue
		}
		t, p := resolve(mp, in.Manifest.Uses, in.Targets, compsOf)
		if p == nil {
			errs.Add(in.Pos, "api: the DMP API uses package %s of namespace %s, generated from %s (target %s of dmpgen's own configuration); add a target with these inputs",
				mp.Name, strings.Join(mp.Namespaces, ", "), strings.Join(mp.Inputs, ", "), mp.Target)
			continue
		}
		imports[mp.ImportPath], pkgs[mp.ImportPath], targetOf[mp.ImportPath] = p.ImportPath, p, t.Name
	}
	if len(errs) > 0 {
		return nil, errs
	}
	// A renamed or removed type is reported once, not again for each of
	// its fields and methods; a pin that renames a used type is reported
	// once, at the pin, with the transactions that use the type.
	broken := map[string]bool{}
	pinned := map[string]*pinUse{}
	var pinOrder []string
	for _, u := range in.Manifest.Uses {
		p := pkgs[u.Package]
		if u.Component == "" || p == nil {
			continue // generic API, or the value sets
		}
		tn := targetOf[u.Package]
		owner, _, isMember := strings.Cut(u.Ident, ".")
		name := path.Base(u.Package) + "." + u.Ident
		if comps[tn][p.ImportPath+" "+u.Ident] == u.Component {
			if now := shps[tn][p.ImportPath+" "+u.Ident]; u.Shape != "" && now != u.Shape && !broken[u.Package+" "+owner] {
				addUse(&errs, in.Out, u, name, fmt.Sprintf("whose type the kit changed from %s to %s; compare kits with dmpgen diff", shortShape(u.Shape), shortShape(now)))
			}
			continue
		}
		if isMember && broken[u.Package+" "+owner] {
			continue
		}
		if !isMember {
			broken[u.Package+" "+u.Ident] = true
		}
		names := inverse[tn][p.ImportPath][u.Component]
		if len(names) > 0 {
			if pin, ok := pins[tn][strings.TrimPrefix(u.Component, "element ")]; ok && !isMember {
				key := tn + " " + u.Component
				if pinned[key] == nil {
					pinned[key] = &pinUse{pin: pin, name: name, now: p.Name + "." + names[0]}
					pinOrder = append(pinOrder, key)
				}
				pinned[key].sites = append(pinned[key].sites, u.Sites...)
				continue
			}
		}
		what := "which the kit no longer defines; compare kits with dmpgen diff"
		if len(names) > 0 {
			what = fmt.Sprintf("which this kit names %s.%s (a name clash with a new component); compare kits with dmpgen diff", p.Name, names[0])
			if q := strings.TrimPrefix(u.Component, "element "); !isMember && strings.HasPrefix(q, "{") && !strings.Contains(q, "/") {
				what = fmt.Sprintf("which this kit names %s.%s (a name clash with a new component); keep the name with names: {%q: %s}", p.Name, names[0], q, u.Ident)
			}
		}
		addUse(&errs, in.Out, u, name, what)
	}
	for _, key := range pinOrder {
		pu := pinned[key]
		errs.Add(pu.pin.Pos, "names: this pin renames %s to %s, which the DMP API uses (%s); remove the pin, or do not render the API (api:)",
			pu.name, pu.now, transactions(pu.sites))
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	files := map[string][]byte{}
	err := fs.WalkDir(in.Templates, "dmp", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err // tests stay handwritten beside the rendering
		}
		src, err := fs.ReadFile(in.Templates, p)
		if err != nil {
			return err
		}
		out, err := renderFile(p, src, in, imports, pkgs)
		if err != nil {
			return err
		}
		files[strings.TrimPrefix(p, "dmp/")] = out
		return nil
	})
	if err != nil {
		errs.AddErr(in.Pos, err)
		return nil, errs
	}
	return files, nil
}

// addUse reports a use that the vendor's kit breaks, once per file of the
// rendering, at the file.
func addUse(errs *diag.List, out string, u Use, name, what string) {
	for _, g := range groupSites(u.Sites) {
		verb := "uses"
		if len(g.sites) > 1 {
			verb = "use"
		}
		errs.Add(diag.Pos{File: filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(g.file, "dmp/")))},
			"%s %s %s (%s), %s", strings.Join(g.sites, ", "), verb, name, u.Component, what)
	}
}

// pinUse is a names: pin that renames a type the templates use.
type pinUse struct {
	pin       Pin
	name, now string
	sites     []Site
}

// transactions lists the transactions that the sites are, or are reached
// from, once each, sorted.
func transactions(sites []Site) string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range sites {
		switch {
		case s.TD != "":
			add(s.Decl + " (" + s.TD + ")")
		case len(s.Via) > 0:
			for _, v := range s.Via {
				add(v)
			}
		default:
			add(s.Decl)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// siteGroup is the sites of one use in one file.
type siteGroup struct {
	file  string
	sites []string
}

func groupSites(sites []Site) []siteGroup {
	var out []siteGroup
	idx := map[string]int{}
	for _, s := range sites {
		i, ok := idx[s.File]
		if !ok {
			i = len(out)
			idx[s.File] = i
			out = append(out, siteGroup{file: s.File})
		}
		out[i].sites = append(out[i].sites, s.String())
	}
	return out
}

// resolve finds the vendor's package for one of this repository's: the
// package of one of the same namespaces in a target that loads one of the
// same inputs. When several targets qualify (a vendor who splits the XDS
// registry and repository WSDLs), the one defining the most identifiers
// the templates use wins; the first in configuration order on a tie.
func resolve(mp Package, uses []Use, targets []Target, comps func(Target) map[string]string) (Target, *ir.Package) {
	inputs := map[string]bool{}
	for _, i := range mp.Inputs {
		inputs[path.Clean(i)] = true
	}
	var best Target
	var bestPkg *ir.Package
	bestScore := -1
	for _, t := range targets {
		shared := false
		for _, i := range t.Inputs {
			shared = shared || inputs[path.Clean(filepath.ToSlash(i))]
		}
		if !shared {
			continue
		}
		for _, p := range t.Program.Packages {
			if !hasAny(p.Namespaces, mp.Namespaces) {
				continue
			}
			score := 0
			for _, u := range uses {
				if u.Package == mp.ImportPath && u.Component != "" && comps(t)[p.ImportPath+" "+u.Ident] == u.Component {
					score++
				}
			}
			if score > bestScore {
				best, bestPkg, bestScore = t, p, score
			}
		}
	}
	return best, bestPkg
}

func hasAny(list, want []string) bool {
	for _, a := range list {
		for _, b := range want {
			if a == b {
				return true
			}
		}
	}
	return false
}

// renderFile renders one template file.
func renderFile(name string, src []byte, in Input, imports map[string]string, pkgs map[string]*ir.Package) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("template %w", err)
	}
	if !dropBuildTag(f) {
		return nil, fmt.Errorf("template %s: no //go:build %s line", name, BuildTag)
	}
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			return nil, fmt.Errorf("template %s: import %s: %w", name, spec.Path.Value, err)
		}
		var to string
		switch {
		case p == TemplatePath || strings.HasPrefix(p, TemplatePath+"/"):
			to = in.ImportPath + strings.TrimPrefix(p, TemplatePath)
		case strings.HasPrefix(p, GeneratedPrefix):
			var ok bool
			if to, ok = imports[p]; !ok {
				return nil, fmt.Errorf("template %s imports %s, which templates/manifest.json does not list: regenerate the manifest (DMPGEN_UPDATE=1 go test ./internal/render)", name, p)
			}
			// Keep the name the template uses when the vendor's package is
			// named otherwise.
			if vp := pkgs[p]; spec.Name == nil && vp != nil && vp.Name != path.Base(p) {
				spec.Name = ast.NewIdent(path.Base(p))
			}
		default:
			continue
		}
		spec.Path.Value = strconv.Quote(to)
	}
	var body bytes.Buffer
	if err := format.Node(&body, fset, f); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	h := gen.Header + "\n"
	if buildinfo.IsRelease(in.Version) {
		h += "// dmpgen " + in.Version + "\n"
	}
	h += "// source: github.com/dmpgen/dmpgen/templates/" + name + "\n\n"
	out, err := format.Source(append([]byte(h), body.Bytes()...))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return out, nil
}

// dropBuildTag removes the //go:build dmpgen_template comment and reports
// whether it was there.
func dropBuildTag(f *ast.File) bool {
	for i, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			if c.Text == "//go:build "+BuildTag {
				if len(g.List) != 1 || g == f.Doc {
					return false
				}
				f.Comments = append(f.Comments[:i], f.Comments[i+1:]...)
				return true
			}
		}
	}
	return false
}

// ImportPathOf returns the import path of dir: the module path of the
// nearest go.mod at or above it, joined with dir's path below that go.mod.
func ImportPathOf(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		switch {
		case err == nil:
			mod := moduleLine(data)
			if mod == "" {
				return "", fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))
			}
			rel, err := filepath.Rel(d, dir)
			if err != nil {
				return "", err
			}
			if rel == "." {
				return mod, nil
			}
			return mod + "/" + filepath.ToSlash(rel), nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", err
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod in %s or above", dir)
		}
	}
}

func moduleLine(data []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], "\"`")
		}
	}
	return ""
}
