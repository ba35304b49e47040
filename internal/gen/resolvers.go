package gen

import (
	"reflect"

	"github.com/dmpgen/dmpgen/internal/ir"
)

// typeResolvers is what the services of one package do with the NewType
// functions of their program (the xsi:type resolvers of derived types
// generated in another package than their base, docs/binding.md).
type typeResolvers struct {
	// use are the NewType functions the package's operations pass
	// (soap.Operation.Types), in import path order.
	use []ir.Ident
	// cannot are the packages with NewType that the package cannot import
	// without an import cycle: the user passes them (soap.WithTypes).
	cannot []*ir.Package
}

// planResolvers decides, for every package of p with services, which
// NewType functions its operations pass: those of every package holding
// types derived across packages that it can import without a cycle. The
// import graph is computed from the IR: a package imports every package
// whose identifiers its types, elements and services name (a derived
// type's Foreign record excepted: a base never imports its derived types).
// Packages are visited in import path order, each new import added to the
// graph before the next is checked, so the plan is deterministic and
// cycle-free as a whole.
func planResolvers(p *ir.Program) map[string]*typeResolvers {
	var withNew, withServices []*ir.Package
	for _, pkg := range p.Packages {
		if len(pkg.DerivedTypes) > 0 {
			withNew = append(withNew, pkg)
		}
		for _, f := range pkg.Files {
			if len(f.Services) > 0 {
				withServices = append(withServices, pkg)
				break
			}
		}
	}
	if len(withNew) == 0 || len(withServices) == 0 {
		return nil
	}
	graph := importGraph(p)
	plan := map[string]*typeResolvers{}
	for _, s := range withServices {
		tr := &typeResolvers{}
		for _, n := range withNew {
			switch {
			case n == s:
			case reaches(graph, n.ImportPath, s.ImportPath):
				tr.cannot = append(tr.cannot, n)
				continue
			default:
				graph[s.ImportPath][n.ImportPath] = true
			}
			tr.use = append(tr.use, ir.Ident{ImportPath: n.ImportPath, Name: "NewType"})
		}
		plan[s.ImportPath] = tr
	}
	return plan
}

// importGraph maps the import path of each package of p to the program
// packages its generated code imports.
func importGraph(p *ir.Program) map[string]map[string]bool {
	own := map[string]bool{}
	for _, pkg := range p.Packages {
		own[pkg.ImportPath] = true
	}
	graph := map[string]map[string]bool{}
	for _, pkg := range p.Packages {
		edges := map[string]bool{}
		seen := map[uintptr]bool{}
		for _, f := range pkg.Files {
			collectImports(reflect.ValueOf(f), seen, func(path string) {
				if own[path] && path != pkg.ImportPath {
					edges[path] = true
				}
			})
		}
		graph[pkg.ImportPath] = edges
	}
	return graph
}

var (
	identType   = reflect.TypeOf(ir.Ident{})
	foreignType = reflect.TypeOf(ir.Foreign{})
)

// collectImports calls add with the import path of every ir.Ident reachable
// from v, but those of ir.Foreign records.
func collectImports(v reflect.Value, seen map[uintptr]bool, add func(string)) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		collectImports(v.Elem(), seen, add)
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			collectImports(v.Index(i), seen, add)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			collectImports(it.Value(), seen, add)
		}
	case reflect.Struct:
		switch v.Type() {
		case identType:
			add(v.FieldByName("ImportPath").String())
			return
		case foreignType:
			return
		}
		for i := 0; i < v.NumField(); i++ {
			collectImports(v.Field(i), seen, add)
		}
	}
}

// reaches reports whether to is reachable from from in graph.
func reaches(graph map[string]map[string]bool, from, to string) bool {
	seen := map[string]bool{from: true}
	stack := []string{from}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == to {
			return true
		}
		for m := range graph[n] {
			if !seen[m] {
				seen[m] = true
				stack = append(stack, m)
			}
		}
	}
	return false
}
