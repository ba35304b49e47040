// Package lower turns a loaded schema set and its WSDLs into the Go IR.
//
// The passes run in a fixed order, each deterministic:
//
//  1. packages: namespaces → Go packages (config map or derived names);
//     namespaces whose components reference each other in a cycle share one
//     package, since Go forbids import cycles.
//  2. globals: a Go type per named complex type, enumerated simple type,
//     named simple type (a check function) and global element with an
//     anonymous type; names resolved per package (names.go).
//  3. content: attributes and content members of every struct, in schema
//     order; repeating or nested groups become item structs, substitution
//     group heads become choices of their members; local names resolved.
//  4. services: every SOAP binding of the WSDLs, with config overrides.
//  5. prune (keep: reachable, the default with a WSDL input): only the
//     types the operations reach are kept, after names are resolved so
//     that pruning renames nothing.
//
// Anything that cannot be represented is a positioned error; nothing is
// dropped silently.
package lower

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/wsdl"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// Input is what one target lowers.
type Input struct {
	Set    *xsd.Set
	Defs   []*wsdl.Definitions
	Target *config.Target
	// KitDir is the kit root; source paths in headers are relative to it.
	KitDir string
}

// Lower builds the IR program of one target.
func Lower(in Input) (*ir.Program, diag.List) {
	l := &lowerer{
		in:          in,
		set:         in.Set,
		types:       map[xsd.Type]*ir.Type{},
		elemTypes:   map[*xsd.Element]*ir.Type{},
		effCache:    map[*xsd.ComplexType]*effective{},
		items:       map[any]*ir.Type{},
		works:       map[*xsd.ComplexType]*structWork{},
		typePkg:     map[*ir.Type]*pkg{},
		simpleDefs:  map[*ir.Type]*xsd.SimpleType{},
		alternative: map[*xsd.ElementDecl]bool{},
		nillables:   map[string]*ir.Type{},
		identCache:  map[*xsd.Identity][]*ir.Identity{},
	}
	l.packages()
	l.globals()
	if len(l.errs) == 0 {
		l.contents()
	}
	if len(l.errs) == 0 {
		l.services()
	}
	if len(l.errs) == 0 {
		l.finish()
		l.check()
	}
	if len(l.errs) == 0 {
		l.prune()
	}
	l.errs.Sort()
	return l.prog, l.errs
}

type lowerer struct {
	in   Input
	set  *xsd.Set
	errs diag.List
	prog *ir.Program

	pkgs  []*pkg
	pkgOf map[string]*pkg // namespace → package

	types      map[xsd.Type]*ir.Type     // named complex and simple types, anonymous complex types
	elemTypes  map[*xsd.Element]*ir.Type // global elements with an anonymous complex type
	effCache   map[*xsd.ComplexType]*effective
	items      map[any]*ir.Type // group items by *xsd.Group, head QName or *xsd.ModelGroup
	works      map[*xsd.ComplexType]*structWork
	typePkg    map[*ir.Type]*pkg
	simpleDefs map[*ir.Type]*xsd.SimpleType
	// alternative marks the element references made for the members of a
	// substitution choice.
	alternative map[*xsd.ElementDecl]bool
	// nillables are the structs of nillable elements of simple type, by key.
	nillables map[string]*ir.Type
	// identCache holds the lowered identity constraints of each element
	// declaration, by its first constraint.
	identCache map[*xsd.Identity][]*ir.Identity
	// idents are references to types whose names are resolved later; finish fills them.
	idents []pendingIdent

	structs []*structWork // structs whose content is to be lowered, in creation order
	claims  map[*pkg][]*claim
}

type pkg struct {
	ir    *ir.Package
	files map[string]*ir.File // by source file
	used  map[string]bool     // resolved names
}

type structWork struct {
	t    *ir.Type
	ct   *xsd.ComplexType // nil for group items
	pkg  *pkg
	file *ir.File
	// for items: the particles of the group
	item []xsd.Particle
	key  string
}

// fileFor returns the output file for a source document.
func (l *lowerer) fileFor(p *pkg, src string) *ir.File {
	if f := p.files[src]; f != nil {
		return f
	}
	rel := src
	if r, err := filepath.Rel(l.in.KitDir, src); err == nil && !strings.HasPrefix(r, "..") {
		rel = r
	}
	rel = filepath.ToSlash(rel)
	base := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
	name := strings.ToLower(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, base))
	if filepath.Ext(src) == ".wsdl" {
		name += "_wsdl"
	}
	if constraintSuffix(name) {
		name += "_" // "x_test.go", "x_linux.go" would be a test or a build constraint
	}
	taken := func(n string) bool {
		if n == "doc.go" { // the emitter's package file
			return true
		}
		for _, f := range p.ir.Files {
			if f.Name == n {
				return true
			}
		}
		return false
	}
	want := name
	name += ".go"
	if taken(name) {
		// Same base name from two directories: qualify with the parent
		// directory, then number.
		want = pkgName(filepath.Base(filepath.Dir(src))) + "_" + want
		name = want + ".go"
		for i := 2; taken(name); i++ {
			name = want + itoa(i) + ".go"
		}
	}
	f := &ir.File{Name: name, Source: rel}
	p.files[src] = f
	p.ir.Files = append(p.ir.Files, f)
	return f
}

// constraintSuffix reports whether a file base name ends like a test or a
// build constraint (_test, _GOOS, _GOARCH), which the go tool interprets.
func constraintSuffix(base string) bool {
	i := strings.LastIndex(base, "_")
	if i < 0 {
		return false
	}
	switch base[i+1:] {
	case "test", "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
		"386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm":
		return true
	}
	return false
}

// pkgFor returns the package of a namespace.
func (l *lowerer) pkgFor(ns string) *pkg { return l.pkgOf[ns] }

type pendingIdent struct {
	id *ir.Ident
	t  *ir.Type
}

// identRef returns a reference to a type's Go identifier, completed by finish
// once every name is resolved.
func (l *lowerer) identRef(t *ir.Type) *ir.Ident {
	id := &ir.Ident{ImportPath: l.typePkg[t].ir.ImportPath, Name: t.Name}
	l.idents = append(l.idents, pendingIdent{id: id, t: t})
	return id
}

// ident returns the Go identifier of a type whose name is resolved.
func (l *lowerer) ident(t *ir.Type) ir.Ident {
	return ir.Ident{ImportPath: l.typePkg[t].ir.ImportPath, Name: t.Name}
}

func (l *lowerer) packages() {
	nsSet := map[string]bool{}
	for _, s := range l.set.Schemas {
		nsSet[s.TargetNamespace] = true
	}
	for _, d := range l.in.Defs {
		nsSet[d.TargetNamespace] = true
	}
	delete(nsSet, xsd.NS)
	var nss []string
	for ns := range nsSet {
		nss = append(nss, ns)
	}
	sort.Strings(nss)

	deps := l.nsDeps()
	comp := sccs(nss, deps)
	counts := map[string]int{}
	for _, q := range l.set.TypeNames() {
		counts[q.Space]++
	}
	for _, q := range l.set.ElementNames() {
		counts[q.Space]++
	}

	l.pkgOf = map[string]*pkg{}
	dirs := map[string]string{} // dir → namespace, to detect two namespaces mapped to one dir
	for _, group := range comp {
		sort.Strings(group)
		// A merged package takes the name of its largest namespace (most
		// global components; ties by namespace order), configured or derived.
		lead := group[0]
		for _, ns := range group[1:] {
			if counts[ns] > counts[lead] {
				lead = ns
			}
		}
		dir := l.in.Target.Packages[lead]
		if dir == "" {
			dir = nsDir(lead)
		}
		for base, i := dir, 2; dirs[dir] != "" && dirs[dir] != group[0]; i++ {
			dir = base + string(rune('0'+i%10))
		}
		dirs[dir] = group[0]
		p := &pkg{
			ir: &ir.Package{
				ImportPath: strings.TrimSuffix(l.in.Target.Module, "/") + "/" + dir,
				Name:       pkgName(dir),
				Dir:        dir,
				Namespaces: group,
			},
			files: map[string]*ir.File{},
			used:  reservedUsed(),
		}
		for _, ns := range group {
			l.pkgOf[ns] = p
		}
		l.pkgs = append(l.pkgs, p)
	}
	sort.Slice(l.pkgs, func(i, j int) bool { return l.pkgs[i].ir.ImportPath < l.pkgs[j].ir.ImportPath })
	// Preferred prefixes: the prefix the schemas declare for each namespace.
	pref := map[string]string{}
	for _, s := range l.set.Schemas {
		keys := make([]string, 0, len(s.Prefixes))
		for p := range s.Prefixes {
			keys = append(keys, p)
		}
		sort.Strings(keys)
		for _, p := range keys {
			if uri := s.Prefixes[p]; p != "" && pref[uri] == "" && uri != xsd.NS {
				pref[uri] = p
			}
		}
	}
	for _, p := range l.pkgs {
		for _, ns := range p.ir.Namespaces {
			if pr := pref[ns]; pr != "" {
				p.ir.Prefixes = append(p.ir.Prefixes, ir.Prefix{URI: ns, Prefix: pr})
			}
		}
	}
}

// sccs groups namespaces into strongly connected components of the
// dependency graph (Tarjan), each sorted, in a deterministic order.
func sccs(nodes []string, deps map[string]map[string]bool) [][]string {
	index := map[string]int{}
	low := map[string]int{}
	on := map[string]bool{}
	var stack []string
	var out [][]string
	n := 0
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = n, n
		n++
		stack = append(stack, v)
		on[v] = true
		var succ []string
		for w := range deps[v] {
			succ = append(succ, w)
		}
		sort.Strings(succ)
		for _, w := range succ {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if on[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var c []string
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[w] = false
				c = append(c, w)
				if w == v {
					break
				}
			}
			sort.Strings(c)
			out = append(out, c)
		}
	}
	for _, v := range nodes {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return out
}
