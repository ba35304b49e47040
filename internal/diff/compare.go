package diff

import (
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/ir"
)

// KindTarget is the kind of a change that adds or removes a whole
// configuration target.
const KindTarget Kind = "target"

// Op is what happened to a component.
type Op string

// Operations.
const (
	Added   Op = "added"
	Removed Op = "removed"
	Changed Op = "changed"
)

// Change is one difference between two kits.
type Change struct {
	Op    Op
	Class Class
	// Rule names the rule that classified the change; Why explains it.
	Rule, Why string
	// Doc marks a documentation change (always Cosmetic), reported apart.
	Doc bool
	// Target is the configuration target ("" when comparing files).
	Target string
	Kind   Kind
	// Path is the component's readable identity (see Node.Display).
	Path string
	// Aspect is the property that changed (Op Changed); Old and New are
	// its values ("" = absent).
	Aspect   string
	Old, New string
	// OldPos and NewPos are the declarations in each kit (zero when absent there).
	OldPos, NewPos diag.Pos
	// Go lists the affected Go identifiers, old and new, sorted.
	Go []string
	// Also lists other components showing the same change because they
	// share the declaration (inherited members, reused anonymous types).
	Also []string
	// root is the kind of the component's root, which orders the report:
	// namespaces, services, messages, elements, then types.
	root Kind
}

// CompareTargets compares two kits target by target: models matched by
// target name ("" for a kit given as files). The changes are merged and
// sorted deterministically.
func CompareTargets(old, new map[string]*Model) []*Change {
	var out []*Change
	for _, name := range unionKeys(old, new) {
		o, n := old[name], new[name]
		switch {
		case n == nil:
			out = append(out, &Change{Op: Removed, Class: Breaking, Rule: "target-removed", Why: "nothing of it is generated any more",
				Target: name, Kind: KindTarget, Path: name})
		case o == nil:
			out = append(out, &Change{Op: Added, Class: Additive, Rule: "target-added", Why: "a new generated tree",
				Target: name, Kind: KindTarget, Path: name})
		default:
			out = append(out, Compare(name, o, n)...)
		}
	}
	sortChanges(out)
	return out
}

// Compare returns the changes from old to new of one target, merged and sorted.
func Compare(target string, old, new *Model) []*Change {
	c := &comparer{target: target, old: old, new: new, ns: renamedNamespaces(old, new), oldPkg: packages(old), newPkg: packages(new)}
	for _, from := range sortedKeys(c.ns) {
		to := c.ns[from]
		ch := &Change{Op: Changed, Class: Breaking, Rule: "namespace-changed", Why: "every component of the namespace has another XML name",
			Target: target, Kind: KindNamespace, Path: from, Aspect: "namespace", Old: from, New: to, root: KindNamespace}
		if on, nn := old.Nodes[pathKey([]Seg{{KindNamespace, ir.Name{Space: from}}})], new.Nodes[pathKey([]Seg{{KindNamespace, ir.Name{Space: to}}})]; on != nil && nn != nil {
			ch.Go = goNames(on, nn)
		}
		c.out = append(c.out, ch)
	}
	c.children(nil, nil, old.Roots, new.Roots)
	out := merge(c.out)
	sortChanges(out)
	return out
}

type comparer struct {
	target   string
	old, new *Model
	ns       map[string]string // renamed namespaces, old → new
	// oldPkg and newPkg give the Go package of each namespace.
	oldPkg, newPkg map[string]string
	out            []*Change
}

func (c *comparer) emit(o, n *Node, v verdict, aspect, was, now string) *Change {
	ch := &Change{Op: Changed, Class: v.class, Rule: v.rule, Why: v.why, Target: c.target, Aspect: aspect, Old: was, New: now}
	switch {
	case n == nil:
		ch.Op = Removed
	case o == nil:
		ch.Op = Added
	}
	ref := n
	if ref == nil {
		ref = o
	}
	ch.Kind, ch.Path, ch.root = ref.Kind(), ref.Display(), ref.Path[0].Kind
	if o != nil {
		ch.OldPos = o.Pos
	}
	if n != nil {
		ch.NewPos = n.Pos
	}
	ch.Go = goNames(o, n)
	c.out = append(c.out, ch)
	return ch
}

func goNames(nodes ...*Node) []string {
	var out []string
	for _, n := range nodes {
		if n != nil && n.Go != "" && (len(out) == 0 || out[0] != n.Go) {
			out = append(out, n.Go)
		}
	}
	sort.Strings(out)
	return out
}

// samePkg reports whether two matched nodes are in the same Go package, or
// in the packages of their namespace on each side (a package change is
// reported once, on the namespace).
func (c *comparer) samePkg(o, n *Node) bool {
	if o.GoPkg == n.GoPkg {
		return true
	}
	ns := n.Path[0].Name.Space
	return c.oldPkg[o.Path[0].Name.Space] == o.GoPkg && c.newPkg[ns] == n.GoPkg
}

// mapSeg applies the namespace renames to an old step.
func (c *comparer) mapSeg(s Seg) Seg {
	if to, ok := c.ns[s.Name.Space]; ok {
		s.Name.Space = to
	}
	return s
}

// mapVal applies the namespace renames to an old property value.
func (c *comparer) mapVal(v string) string {
	if len(c.ns) == 0 {
		return v
	}
	for _, from := range sortedKeys(c.ns) {
		v = strings.ReplaceAll(v, "{"+from+"}", "{"+c.ns[from]+"}")
	}
	return v
}

func segKey(s Seg) string { return string(s.Kind) + " " + s.Name.String() }

// children compares the components under two matched parents (nil, nil
// for the roots).
func (c *comparer) children(op, np *Node, olds, news []*Node) {
	byKey := map[string]*Node{}
	for _, n := range news {
		byKey[segKey(n.Path[len(n.Path)-1])] = n
	}
	matched := map[*Node]bool{}
	var pairs [][2]*Node
	var gone []*Node
	for _, o := range olds {
		if n := byKey[segKey(c.mapSeg(o.Path[len(o.Path)-1]))]; n != nil {
			pairs = append(pairs, [2]*Node{o, n})
			matched[n] = true
			continue
		}
		gone = append(gone, o)
	}
	var fresh []*Node
	for _, n := range news {
		if !matched[n] {
			fresh = append(fresh, n)
		}
	}
	if op != nil {
		// A member that keeps its local name but changes namespace
		// (elementFormDefault, form) is the same member, moved.
		byLocal := map[string]*Node{}
		for _, n := range fresh {
			byLocal[string(n.Kind())+" "+n.Path[len(n.Path)-1].Name.Local] = n
		}
		var still []*Node
		for _, o := range gone {
			s := o.Path[len(o.Path)-1]
			if n := byLocal[string(s.Kind)+" "+s.Name.Local]; n != nil && !matched[n] {
				matched[n] = true
				c.emit(o, n, breaking("namespace-changed", "the element or attribute has another XML name"),
					"namespace", s.Name.Space, n.Path[len(n.Path)-1].Name.Space)
				pairs = append(pairs, [2]*Node{o, n})
				continue
			}
			still = append(still, o)
		}
		gone = still
		// Groups and wildcards have no XML name: the ones left on both
		// sides are paired in order.
		for _, k := range []Kind{KindGroup, KindAny} {
			var os, ns []*Node
			for _, o := range gone {
				if o.Kind() == k {
					os = append(os, o)
				}
			}
			for _, n := range fresh {
				if n.Kind() == k && !matched[n] {
					ns = append(ns, n)
				}
			}
			for i := 0; i < len(os) && i < len(ns); i++ {
				matched[ns[i]], matched[os[i]] = true, true
				pairs = append(pairs, [2]*Node{os[i], ns[i]})
			}
		}
		still = still[:0]
		for _, o := range gone {
			if !matched[o] {
				still = append(still, o)
			}
		}
		gone = still
		fresh = fresh[:0]
		for _, n := range news {
			if !matched[n] {
				fresh = append(fresh, n)
			}
		}
	}
	for _, o := range gone {
		if o.Kind() != KindNamespace {
			c.emit(o, nil, removedRule(o.Kind()), "", "", "")
		}
	}
	for _, n := range fresh {
		if n.Kind() != KindNamespace {
			c.emit(nil, n, addedRule(n), "", "", "")
		}
	}
	for _, p := range pairs {
		c.node(op, np, p[0], p[1])
	}
	if op != nil {
		c.order(op, np, pairs)
	}
}

// node compares two matched components (under op and np, nil for roots)
// and their children.
func (c *comparer) node(op, np, o, n *Node) {
	first := len(c.out)
	for _, k := range sortedProps(o.Props, n.Props) {
		was, now := o.Props[k], n.Props[k]
		if c.mapVal(was) == now {
			continue
		}
		v := propRule(n.Kind(), k, c.mapVal(was), now)
		if k == "nillable" && (strings.Contains(o.Shape, "nillable ") || strings.Contains(n.Shape, "nillable ")) {
			v = simpleNillableRule(now)
		}
		c.emit(o, n, v, k, was, now)
	}
	if o.GoName != "" && n.GoName != "" && (goRel(op, o) != goRel(np, n) || !c.samePkg(o, n)) {
		was, now := o.Go, n.Go
		if was == now { // same short name, another import path
			was, now = o.GoPkg+"."+o.GoName, n.GoPkg+"."+n.GoName
		}
		v := breaking("go-name-changed", "Go code using the old identifier no longer compiles")
		if o.Pin != n.Pin {
			v = breaking("renamed-by-pin", "a names: pin of dmpgen.yaml renamed it; Go code using the old identifier no longer compiles")
		}
		c.emit(o, n, v, "go name", was, now)
	}
	if o.Shape != "" && n.Shape != "" && c.mapVal(o.Shape) != n.Shape {
		explained := false
		for _, ch := range c.out[first:] {
			explained = explained || ch.Class == Breaking
		}
		if !explained {
			c.emit(o, n, breaking("go-type-changed", "the Go field has another type"), "go type", o.Shape, n.Shape)
		}
	}
	if od, nd := normDoc(o.Doc), normDoc(n.Doc); od != nd {
		ch := c.emit(o, n, cosmetic("documentation-changed", "documentation is not on the wire nor in the Go API"), "documentation", od, nd)
		ch.Doc = true
	}
	o, n = c.content(o, n)
	c.children(o, n, o.Children, n.Children)
}

// content handles a member whose type changed between an anonymous type
// (expanded in place) and a reference to a named type or element: the
// anonymous content is compared with the referenced component's, so that
// only real differences of the elements on the wire are reported. It
// returns the nodes whose children to compare.
func (c *comparer) content(o, n *Node) (*Node, *Node) {
	view := func(x *Node, m *Model) *Node {
		ref := m.Nodes[x.Props["type"]]
		if ref == nil || len(ref.Path) != 1 {
			return x
		}
		v := *x
		v.Children, v.holder, v.All = ref.Children, ref.holder, ref.All
		return &v
	}
	switch {
	case len(o.Children) > 0 && len(n.Children) == 0:
		n = view(n, c.new)
	case len(n.Children) > 0 && len(o.Children) == 0:
		o = view(o, c.old)
	}
	return o, n
}

// goRel is a node's Go name relative to its parent's: a field, method or
// enumeration constant keeps its name when only its type was renamed
// (reported once, on the type).
func goRel(parent, n *Node) string {
	if parent == nil || parent.holder == "" {
		return n.GoName
	}
	for _, sep := range []string{".", "_"} {
		if strings.HasPrefix(n.GoName, parent.holder+sep) {
			return strings.TrimPrefix(n.GoName, parent.holder)
		}
	}
	return n.GoName
}

func normDoc(s string) string { return strings.Join(strings.Fields(s), " ") }

// order reports members, attributes or enumeration values that both kits
// have but list in another order.
func (c *comparer) order(op, np *Node, pairs [][2]*Node) {
	oldIdx := map[*Node]int{}
	for i, x := range op.Children { // op and np may be views (see content)
		oldIdx[x] = i
	}
	newIdx := map[*Node]int{}
	for i, x := range np.Children {
		newIdx[x] = i
	}
	for _, group := range []struct {
		kinds []Kind
		v     verdict
	}{
		{[]Kind{KindField, KindGroup, KindAny}, breaking("member-order-changed", "a sequence fixes the order of elements on the wire")},
		{[]Kind{KindAttribute}, cosmetic("attribute-order-changed", "attribute order is not significant; only Go field order changes")},
		{[]Kind{KindEnum}, cosmetic("enumeration-order-changed", "only the order of the Go constants changes")},
	} {
		var common [][2]*Node
		for _, p := range pairs {
			for _, k := range group.kinds {
				if p[1].Kind() == k {
					common = append(common, p)
				}
			}
		}
		v := group.v
		if v.rule == "member-order-changed" && np.All {
			v = cosmetic("member-order-changed", "xs:all accepts its elements in any order")
		}
		was := orderTokens(common, oldIdx, 0)
		now := orderTokens(common, newIdx, 1)
		if strings.Join(was, " ") != strings.Join(now, " ") {
			c.emit(op, np, v, "order", strings.Join(was, ", "), strings.Join(now, ", "))
		}
	}
}

// orderTokens lists the local names of the common members in the order of
// one side. Members in a choice on both sides count as one token per
// choice, since the order of alternatives does not matter (a member that
// enters or leaves a choice is reported as such).
func orderTokens(common [][2]*Node, idx map[*Node]int, side int) []string {
	ps := append([][2]*Node(nil), common...)
	sort.SliceStable(ps, func(i, j int) bool { return idx[ps[i][side]] < idx[ps[j][side]] })
	choiceOf := func(p [2]*Node) int {
		if p[0].choice == 0 || p[1].choice == 0 {
			return 0
		}
		return p[side].choice
	}
	var out []string
	lastChoice := 0
	for _, p := range ps {
		ch := choiceOf(p)
		if ch != 0 && ch == lastChoice {
			continue
		}
		lastChoice = ch
		tok := p[1].Path[len(p[1].Path)-1].Name.Local
		if ch != 0 {
			// Name the choice by its alternative that sorts first.
			for _, q := range ps {
				if l := q[1].Path[len(q[1].Path)-1].Name.Local; choiceOf(q) == ch && l < tok {
					tok = l
				}
			}
			tok = "(choice " + tok + ")"
		}
		out = append(out, tok)
	}
	return out
}

// packages maps each namespace to its Go import path.
func packages(m *Model) map[string]string {
	out := map[string]string{}
	for _, r := range m.Roots {
		if r.Kind() == KindNamespace {
			out[r.Path[0].Name.Space] = r.Props["package"]
		}
	}
	return out
}

// renamedNamespaces pairs the namespaces only the old kit has with those
// only the new kit has when at least half of the smaller one's global
// components keep their local names.
func renamedNamespaces(old, new *Model) map[string]string {
	locals := func(m *Model) (map[string]map[string]bool, map[string]bool) {
		byNS := map[string]map[string]bool{}
		nss := map[string]bool{}
		for _, r := range m.Roots {
			s := r.Path[0]
			if s.Kind == KindNamespace {
				nss[s.Name.Space] = true
				continue
			}
			if byNS[s.Name.Space] == nil {
				byNS[s.Name.Space] = map[string]bool{}
			}
			byNS[s.Name.Space][string(s.Kind)+" "+s.Name.Local] = true
		}
		return byNS, nss
	}
	oldNames, oldNS := locals(old)
	newNames, newNS := locals(new)
	type cand struct {
		from, to string
		n        int
	}
	var cands []cand
	for _, from := range sortedKeys(oldNS) {
		if newNS[from] {
			continue
		}
		for _, to := range sortedKeys(newNS) {
			if oldNS[to] {
				continue
			}
			n := 0
			for k := range oldNames[from] {
				if newNames[to][k] {
					n++
				}
			}
			if n > 0 && 2*n >= min(len(oldNames[from]), len(newNames[to])) {
				cands = append(cands, cand{from, to, n})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].n > cands[j].n })
	out := map[string]string{}
	taken := map[string]bool{}
	for _, c := range cands {
		if _, done := out[c.from]; !done && !taken[c.to] {
			out[c.from] = c.to
			taken[c.to] = true
		}
	}
	return out
}

// merge folds changes that come from one declaration seen in several
// places (a base type's member inherited by derived types, an anonymous
// type reused by extension) into one change listing the other places.
func merge(in []*Change) []*Change {
	groups := map[string][]*Change{}
	var keys []string
	for _, ch := range in {
		if !ch.OldPos.IsValid() && !ch.NewPos.IsValid() {
			keys = append(keys, "\x00"+ch.Path+"\x00"+ch.Aspect+"\x00"+ch.Rule)
			groups[keys[len(keys)-1]] = append(groups[keys[len(keys)-1]], ch)
			continue
		}
		k := strings.Join([]string{string(ch.Op), ch.Class.String(), ch.Rule, string(ch.Kind), ch.Aspect, ch.Old, ch.New,
			ch.OldPos.String(), ch.NewPos.String(), lastStep(ch.Path)}, "\x00")
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], ch)
	}
	var out []*Change
	for _, k := range keys {
		g := groups[k]
		sort.Slice(g, func(i, j int) bool { return g[i].Path < g[j].Path })
		first := *g[0]
		goSet := map[string]bool{}
		for _, ch := range g {
			for _, id := range ch.Go {
				goSet[id] = true
			}
			if ch != g[0] && ch.Path != first.Path {
				first.Also = append(first.Also, ch.Path)
			}
		}
		first.Go = sortedKeys(goSet)
		out = append(out, &first)
	}
	return out
}

func lastStep(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i:]
	}
	return p
}

func sortChanges(cs []*Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		switch {
		case a.Target != b.Target:
			return a.Target < b.Target
		case a.Class != b.Class:
			return a.Class > b.Class
		case a.Doc != b.Doc:
			return !a.Doc
		case rootRank[a.root] != rootRank[b.root]:
			return rootRank[a.root] < rootRank[b.root]
		case a.Path != b.Path:
			return a.Path < b.Path
		case a.Kind != b.Kind:
			return a.Kind < b.Kind
		case a.Aspect != b.Aspect:
			return a.Aspect < b.Aspect
		}
		return a.Rule < b.Rule
	})
}

var rootRank = map[Kind]int{KindTarget: 0, KindNamespace: 1, KindService: 2, KindMessage: 3, KindElement: 4, KindType: 5}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	return sortedKeys(seen)
}
