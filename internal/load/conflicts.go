package load

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// maxExamples is how many conflicting definitions an error shows per pair of inputs.
const maxExamples = 3

// input is one input of a target: its index in the config and absolute path.
type input struct {
	idx  int
	path string
}

// groupConflicts replaces the duplicate-definition errors that come from
// two inputs reading incompatible documents (the kit's HL7 v3 NE2008 and
// NE2009 schemas both define urn:hl7-org:v3, for instance) by one error per
// pair of inputs, at the later one in the config, with the count and a few
// examples, and one error at the target showing how to split it. A
// duplicate that one input reaches on both sides stays as it is: splitting
// the target cannot fix it.
func groupConflicts(t *config.Target, l *xsd.Loader, inputs []input, errs diag.List) diag.List {
	dups := l.Duplicates()
	if len(dups) == 0 || len(inputs) < 2 {
		return errs
	}
	reaches := make([]map[string]bool, len(inputs))
	for i, in := range inputs {
		reaches[i] = map[string]bool{}
		for _, f := range l.Reached(in.path) {
			reaches[i][f] = true
		}
	}
	type pair struct{ a, b int } // indexes into inputs, a < b
	byPair := map[pair][]xsd.Duplicate{}
	grouped := map[*diag.Error]bool{}
	for _, d := range dups {
		var later, first []int
		shared := false
		for i := range inputs {
			l, f := reaches[i][d.Pos.File], reaches[i][d.First.File]
			shared = shared || l && f
			if l {
				later = append(later, i)
			}
			if f {
				first = append(first, i)
			}
		}
		if shared || len(later) == 0 || len(first) == 0 {
			continue
		}
		for _, a := range later {
			for _, b := range first {
				p := pair{min(a, b), max(a, b)}
				byPair[p] = append(byPair[p], d)
			}
		}
		grouped[d.Err] = true
	}
	if len(byPair) == 0 {
		return errs
	}
	out := make(diag.List, 0, len(errs))
	for _, e := range errs {
		if !grouped[e] {
			out = append(out, e)
		}
	}
	conflicts := make([][]bool, len(inputs))
	for i := range conflicts {
		conflicts[i] = make([]bool, len(inputs))
	}
	pairs := make([]pair, 0, len(byPair))
	for p := range byPair {
		pairs = append(pairs, p)
		conflicts[p.a][p.b], conflicts[p.b][p.a] = true, true
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].a != pairs[j].a {
			return pairs[i].a < pairs[j].a
		}
		return pairs[i].b < pairs[j].b
	})
	for _, p := range pairs {
		ds := byPair[p]
		first, later := inputs[p.a].idx, inputs[p.b].idx
		if first > later {
			first, later = later, first
		}
		var b strings.Builder
		fmt.Fprintf(&b, "inputs %s and %s cannot share a target: the documents they read define %d %s differently",
			t.Inputs[first], t.Inputs[later], len(ds), kinds(ds))
		for _, d := range ds[:min(len(ds), maxExamples)] {
			fmt.Fprintf(&b, "\n\t%s %s at %s and at %s", d.Kind, d.Name, d.First, d.Pos)
		}
		if len(ds) > maxExamples {
			fmt.Fprintf(&b, "\n\t… and %d more", len(ds)-maxExamples)
		}
		out.Add(t.PosOf("inputs", strconv.Itoa(later)), "%s", b.String())
	}
	out.Add(t.Pos, "%s", splitHint(t, inputs, conflicts))
	return out
}

// kinds names what a list of duplicates defines: "type", "types",
// "types and elements"… (all kinds, in a fixed order).
func kinds(ds []xsd.Duplicate) string {
	if len(ds) == 1 {
		return ds[0].Kind
	}
	seen := map[string]bool{}
	for _, d := range ds {
		seen[d.Kind] = true
	}
	var out []string
	for _, k := range []string{"type", "element", "attribute", "group", "attribute group"} {
		if seen[k] {
			out = append(out, k+"s")
		}
	}
	return strings.Join(out, " and ")
}

// splitHint proposes targets in which no two inputs conflict: each input
// in config order joins the first proposed target it does not conflict with.
func splitHint(t *config.Target, inputs []input, conflicts [][]bool) string {
	var groups [][]int
	order := make([]int, len(inputs))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return inputs[order[i]].idx < inputs[order[j]].idx })
next:
	for _, i := range order {
		for g, members := range groups {
			ok := true
			for _, m := range members {
				ok = ok && !conflicts[i][m]
			}
			if ok {
				groups[g] = append(groups[g], i)
				continue next
			}
		}
		groups = append(groups, []int{i})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "target %s: split its inputs into %d targets, each with its own out: and module:, for example:", t.Name, len(groups))
	for g, members := range groups {
		suffix := ""
		if g > 0 {
			suffix = strconv.Itoa(g + 1)
		}
		fmt.Fprintf(&b, "\n\t  - name: %s%s\n\t    out: %s%s\n\t    module: %s%s\n\t    inputs:", t.Name, suffix, t.Out, suffix, t.Module, suffix)
		for _, m := range members {
			fmt.Fprintf(&b, "\n\t      - %s", t.Inputs[inputs[m].idx])
		}
	}
	return b.String()
}
