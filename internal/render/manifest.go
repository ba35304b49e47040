package render

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/ir"
)

// GeneratedPrefix is the import path prefix of this repository's generated
// packages, the ones the templates are written against.
const GeneratedPrefix = "github.com/dmpgen/dmpgen/generated/"

// ValueSetsPath is the import path of this repository's generated value sets.
const ValueSetsPath = GeneratedPrefix + "valuesets"

// Manifest lists the generated packages and identifiers the templates use,
// with the XML component each identifier comes from. It is computed from
// the templates with go/types (BuildManifest), committed as
// templates/manifest.json, and read at render time to check the vendor's
// kit before anything is written.
type Manifest struct {
	Packages []Package `json:"packages"`
	Uses     []Use     `json:"uses"`
}

// Package is one generated package of this repository that the templates
// import, and how to find its counterpart in a vendor's configuration:
// the package of one of Namespaces in the target that loads one of Inputs.
type Package struct {
	ImportPath string   `json:"importPath"`
	Name       string   `json:"name"`
	Target     string   `json:"target,omitempty"` // this repository's target ("" for the value sets)
	Inputs     []string `json:"inputs,omitempty"`
	Namespaces []string `json:"namespaces,omitempty"`
}

// Use is one generated identifier used by the templates.
type Use struct {
	Package string `json:"package"` // import path
	Ident   string `json:"ident"`   // "AdhocQueryType.ResponseOption", "NewGDPClient"
	// Component is the XML component the identifier stands for, as
	// "{ns}AdhocQueryType/ResponseOption"; "" for the parts of the
	// generated API that no schema names (Prefixes, Validate, …).
	Component string `json:"component,omitempty"`
	// Shape is the shape of a field's Go type ("[]{ns}SlotType1",
	// "*string"), "" for other identifiers.
	Shape string `json:"shape,omitempty"`
	Sites []Site `json:"sites"`
}

// Site is a top-level declaration of a template that uses an identifier.
// It is written in the manifest as one string:
//
//	dmp/xds.go Client.FindDocuments (TD3.1)
//	dmp/xds.go Client.storedQuery; via Client.FindDocuments (TD3.1), Client.GetDocuments (TD3.1)
type Site struct {
	File string // "dmp/xds.go"
	Decl string // "Client.FindDocuments"
	TD   string // "TD3.1", or "" when the declaration names none
	// Via lists the declarations naming a transaction that reach a
	// declaration naming none, such as "Client.FindDocuments (TD3.1)".
	Via []string
}

// String formats the declaration and its transaction, or the
// transactions that reach it: "Client.storedQuery (via
// Client.FindDocuments (TD3.1), …)".
func (s Site) String() string {
	switch {
	case s.TD != "":
		return s.Decl + " (" + s.TD + ")"
	case len(s.Via) > 0:
		return s.Decl + " (via " + strings.Join(s.Via, ", ") + ")"
	}
	return s.Decl
}

func (s Site) text() string {
	t := s.File + " " + s.Decl
	if s.TD != "" {
		t += " (" + s.TD + ")"
	}
	if len(s.Via) > 0 {
		t += "; via " + strings.Join(s.Via, ", ")
	}
	return t
}

// MarshalJSON writes the site as one string.
func (s Site) MarshalJSON() ([]byte, error) { return json.Marshal(s.text()) }

// UnmarshalJSON reads the string MarshalJSON writes.
func (s *Site) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return err
	}
	head, via, _ := strings.Cut(str, "; via ")
	f := strings.Fields(head)
	if len(f) < 2 || len(f) > 3 {
		return fmt.Errorf("site %q: want FILE DECL [(TD)][; via DECL (TD), ...]", str)
	}
	*s = Site{File: f[0], Decl: f[1]}
	if len(f) == 3 {
		s.TD = strings.TrimSuffix(strings.TrimPrefix(f[2], "("), ")")
	}
	if via != "" {
		s.Via = strings.Split(via, ", ")
	}
	return nil
}

// TemplatePackage is one type-checked template package.
type TemplatePackage struct {
	Dir   string // slash-separated, relative to templates/: "dmp", "dmp/xdsrim"
	Fset  *token.FileSet
	Files map[string]*ast.File // by base name
	Info  *types.Info          // with Defs and Uses
}

// Target is one lowered target.
type Target struct {
	Name    string
	Inputs  []string // relative to the kit
	Program *ir.Program
	// Pins are the target's names: entries, by "{namespace}local".
	Pins map[string]Pin
}

// Pin is one names: entry of a configuration.
type Pin struct {
	Name string   // the Go name it gives
	Pos  diag.Pos // where it is
}

// BuildManifest computes the manifest of the template packages against
// this repository's lowered targets.
func BuildManifest(tpls []TemplatePackage, targets []Target) (*Manifest, error) {
	comps, shp := map[string]string{}, map[string]string{}
	pkgTarget := map[string]Target{}
	pkgIR := map[string]*ir.Package{}
	for _, t := range targets {
		c, sh := components(t.Program)
		for k, v := range c {
			comps[k] = v
		}
		for k, v := range sh {
			shp[k] = v
		}
		for _, p := range t.Program.Packages {
			pkgTarget[p.ImportPath] = t
			pkgIR[p.ImportPath] = p
		}
	}
	via := callers(tpls)
	uses := map[string]*Use{}
	pkgs := map[string]*Package{}
	owners := map[*types.Var]string{}
	scanned := map[*types.Package]bool{}
	for _, tp := range tpls {
		names := make([]string, 0, len(tp.Files))
		for n := range tp.Files {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			f := tp.Files[n]
			for _, d := range f.Decls {
				site := Site{File: path.Join(tp.Dir, n), Decl: declName(d), TD: declTD(d)}
				if site.TD == "" {
					site.Via = via[site.File+" "+site.Decl]
				}
				var err error
				ast.Inspect(d, func(node ast.Node) bool {
					id, ok := node.(*ast.Ident)
					if !ok || err != nil {
						return err == nil
					}
					obj := tp.Info.Uses[id]
					if obj == nil || obj.Pkg() == nil || !strings.HasPrefix(obj.Pkg().Path(), GeneratedPrefix) {
						return true
					}
					p := obj.Pkg()
					if !scanned[p] {
						scanned[p] = true
						fieldOwners(p, owners)
					}
					ident, e := objName(obj, owners)
					if e != nil {
						err = fmt.Errorf("%s: %s: %w", tp.Fset.Position(id.Pos()), id.Name, e)
						return false
					}
					if pkgs[p.Path()] == nil {
						mp := &Package{ImportPath: p.Path(), Name: p.Name()}
						if t, ok := pkgTarget[p.Path()]; ok {
							mp.Target, mp.Inputs, mp.Namespaces = t.Name, t.Inputs, pkgIR[p.Path()].Namespaces
						} else if p.Path() != ValueSetsPath {
							err = fmt.Errorf("%s: package %s is in no target of the configuration", tp.Fset.Position(id.Pos()), p.Path())
							return false
						}
						pkgs[p.Path()] = mp
					}
					key := p.Path() + " " + ident
					u := uses[key]
					if u == nil {
						u = &Use{Package: p.Path(), Ident: ident, Component: comps[key]}
						if u.Component != "" {
							u.Shape = shp[key]
						}
						uses[key] = u
					}
					if len(u.Sites) == 0 || u.Sites[len(u.Sites)-1].text() != site.text() {
						u.Sites = append(u.Sites, site)
					}
					return true
				})
				if err != nil {
					return nil, err
				}
			}
		}
	}
	m := &Manifest{}
	for _, p := range pkgs {
		m.Packages = append(m.Packages, *p)
	}
	sort.Slice(m.Packages, func(i, j int) bool { return m.Packages[i].ImportPath < m.Packages[j].ImportPath })
	for _, u := range uses {
		m.Uses = append(m.Uses, *u)
	}
	sort.Slice(m.Uses, func(i, j int) bool {
		a, b := m.Uses[i], m.Uses[j]
		if a.Package != b.Package {
			return a.Package < b.Package
		}
		return a.Ident < b.Ident
	})
	return m, nil
}

// Marshal returns the manifest as committed: indented JSON, one trailing newline.
func (m *Manifest) Marshal() []byte {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	return append(b, '\n')
}

// ParseManifest reads a committed manifest.
func ParseManifest(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("templates/manifest.json: %w", err)
	}
	return &m, nil
}

// callers returns, for each top-level declaration ("dmp/xds.go
// Client.storedQuery") that names no transaction, the declarations naming
// one that reach it through references, as "Client.FindDocuments (TD3.1)",
// sorted.
func callers(tpls []TemplatePackage) map[string][]string {
	type decl struct {
		key, name, td string
		refs          []token.Pos // positions of the template objects it uses
	}
	var decls []*decl
	byPos := map[token.Pos]*decl{}
	for _, tp := range tpls {
		for n, f := range tp.Files {
			for _, d := range f.Decls {
				dc := &decl{key: path.Join(tp.Dir, n) + " " + declName(d), name: declName(d), td: declTD(d)}
				decls = append(decls, dc)
				switch d := d.(type) {
				case *ast.FuncDecl:
					byPos[d.Name.Pos()] = dc
				case *ast.GenDecl:
					for _, sp := range d.Specs {
						switch sp := sp.(type) {
						case *ast.TypeSpec:
							byPos[sp.Name.Pos()] = dc
						case *ast.ValueSpec:
							for _, id := range sp.Names {
								byPos[id.Pos()] = dc
							}
						}
					}
				}
				ast.Inspect(d, func(node ast.Node) bool {
					if id, ok := node.(*ast.Ident); ok {
						if obj := tp.Info.Uses[id]; obj != nil && obj.Pkg() != nil && strings.HasPrefix(obj.Pkg().Path(), TemplatePath) {
							dc.refs = append(dc.refs, obj.Pos())
						}
					}
					return true
				})
			}
		}
	}
	up := map[*decl][]*decl{}
	for _, d := range decls {
		for _, p := range d.refs {
			if callee := byPos[p]; callee != nil && callee != d {
				up[callee] = append(up[callee], d)
			}
		}
	}
	out := map[string][]string{}
	for _, d := range decls {
		if d.td != "" {
			continue
		}
		seen := map[*decl]bool{d: true}
		found := map[string]bool{}
		queue := []*decl{d}
		for len(queue) > 0 {
			c := queue[0]
			queue = queue[1:]
			for _, u := range up[c] {
				if seen[u] {
					continue
				}
				seen[u] = true
				if u.td != "" {
					found[u.name+" ("+u.td+")"] = true
					continue // the transaction is named: no need to go further up
				}
				queue = append(queue, u)
			}
		}
		for f := range found {
			out[d.key] = append(out[d.key], f)
		}
		sort.Strings(out[d.key])
	}
	return out
}

// fieldOwners records the struct type declaring each field of the named
// types of p.
func fieldOwners(p *types.Package, owners map[*types.Var]string) {
	for _, n := range p.Scope().Names() {
		tn, ok := p.Scope().Lookup(n).(*types.TypeName)
		if !ok {
			continue
		}
		st, ok := tn.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := 0; i < st.NumFields(); i++ {
			owners[st.Field(i)] = tn.Name()
		}
	}
}

// objName names a generated object as the manifest does: "Type",
// "Type.Field", "Type.Method", "Func", "Const".
func objName(obj types.Object, owners map[*types.Var]string) (string, error) {
	switch o := obj.(type) {
	case *types.Var:
		if !o.IsField() {
			return o.Name(), nil
		}
		owner, ok := owners[o]
		if !ok {
			return "", fmt.Errorf("field of an unnamed generated struct")
		}
		return owner + "." + o.Name(), nil
	case *types.Func:
		sig := o.Type().(*types.Signature)
		if r := sig.Recv(); r != nil {
			t := r.Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			n, ok := t.(*types.Named)
			if !ok {
				return "", fmt.Errorf("method of an unnamed type")
			}
			return n.Obj().Name() + "." + o.Name(), nil
		}
		return o.Name(), nil
	default:
		return obj.Name(), nil
	}
}

// declName names a top-level declaration: "Client.FindDocuments",
// "newClient", or the first name of a type, var or const declaration.
func declName(d ast.Decl) string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv != nil && len(d.Recv.List) > 0 {
			t := d.Recv.List[0].Type
			if s, ok := t.(*ast.StarExpr); ok {
				t = s.X
			}
			if id, ok := t.(*ast.Ident); ok {
				return id.Name + "." + d.Name.Name
			}
		}
		return d.Name.Name
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				return s.Name.Name
			case *ast.ValueSpec:
				return s.Names[0].Name
			}
		}
	}
	return "?"
}

var tdRE = regexp.MustCompile(`^TD\d+(\.\d+)?[a-z]?$`)

// declTD returns the DMP transaction of a declaration: the first string
// literal of its body that names one ("TD3.1"), else "".
func declTD(d ast.Decl) string {
	td := ""
	ast.Inspect(d, func(n ast.Node) bool {
		if td != "" {
			return false
		}
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && tdRE.MatchString(s) {
				td = s
			}
		}
		return true
	})
	return td
}
