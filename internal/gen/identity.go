package gen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/ir"
)

// identityVar declares the identity constraints ids of an element as a
// package-level []*xmlbind.Identity and returns its name.
func (g *generator) identityVar(elem ir.Name, ids []*ir.Identity) string {
	xb := g.file.use(xmlbindPkg)
	var b strings.Builder
	b.WriteString("[]*" + xb + ".Identity{\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "{Kind: %q, Name: %q, Refer: %q, SelectorText: %q, Selector: %s,\n", id.Kind, id.Name, id.Refer, id.SelectorText, xpathsLit(xb, id.Selector))
		var texts, fields []string
		for i, f := range id.Fields {
			texts = append(texts, strconv.Quote(id.FieldTexts[i]))
			fields = append(fields, xpathsLit(xb, f))
		}
		fmt.Fprintf(&b, "FieldTexts: []string{%s}, Fields: [][]%s.XPath{%s}},\n", strings.Join(texts, ", "), xb, strings.Join(fields, ", "))
	}
	b.WriteString("}")
	return g.file.pkgVar("identity", elem.Local, b.String())
}

func xpathsLit(xb string, ps []ir.XPath) string {
	var items []string
	for _, p := range ps {
		var steps []string
		for _, s := range p.Steps {
			steps = append(steps, nameTestLit(s))
		}
		s := fmt.Sprintf("{Descendant: %t, Steps: []%s.NameTest{%s}", p.Descendant, xb, strings.Join(steps, ", "))
		if p.Attr != nil {
			s += ", Attr: &" + xb + ".NameTest" + nameTestLit(*p.Attr)
		}
		items = append(items, s+"}")
	}
	return "[]" + xb + ".XPath{" + strings.Join(items, ", ") + "}"
}

func nameTestLit(t ir.NameTest) string {
	return fmt.Sprintf("{Space: %q, Local: %q, AnyLocal: %t, AnySpace: %t, Self: %t}", t.Name.Space, t.Name.Local, t.AnyLocal, t.AnySpace, t.Self)
}

// checkIdentity prints the check of the identity constraints ids of the
// element elem whose value is the expression x (a pointer to a struct).
func (g *generator) checkIdentity(x string, elem ir.Name, ids []*ir.Identity) {
	if len(ids) == 0 {
		return
	}
	g.P(g.file.use(xmlbindPkg), ".CheckIdentity(r, ", x, ", ", g.name(elem), ", ", g.identityVar(elem, ids), ")")
}
