package lower

import (
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// identities lowers the identity constraints of one element declaration
// (once per declaration, its lowering being shared by every use). A keyref
// must refer to a key or unique of the same element (Validate checks the
// element's tables only): another reference is a positioned error.
func (l *lowerer) identities(ids []*xsd.Identity) []*ir.Identity {
	if len(ids) == 0 {
		return nil
	}
	if out, ok := l.identCache[ids[0]]; ok {
		return out
	}
	var out []*ir.Identity
	for _, id := range ids {
		if id.Kind == "keyref" {
			var ref *xsd.Identity
			for _, k := range ids {
				if k.Name == id.Refer && k.Kind != "keyref" {
					ref = k
				}
			}
			if ref == nil {
				l.errs.Add(id.Pos, "xs:keyref %s refers to %s, which is not a key or unique of the same element: unsupported (declare the keyref on the element that declares %s)", id.Name.Local, id.Refer, id.Refer.Local)
				continue
			}
			if len(ref.Fields) != len(id.Fields) {
				l.errs.Add(id.Pos, "xs:keyref %s has %d fields, the %s %s it refers to has %d", id.Name.Local, len(id.Fields), ref.Kind, ref.Name.Local, len(ref.Fields))
				continue
			}
		}
		x := &ir.Identity{Kind: id.Kind, Name: id.Name.Local, Refer: id.Refer.Local,
			Selector: xpaths(id.Selector), SelectorText: id.SelectorText, FieldTexts: id.FieldTexts}
		for _, f := range id.Fields {
			x.Fields = append(x.Fields, xpaths(f))
		}
		out = append(out, x)
	}
	l.identCache[ids[0]] = out
	return out
}

func xpaths(ps []xsd.XPath) []ir.XPath {
	var out []ir.XPath
	for _, p := range ps {
		x := ir.XPath{Descendant: p.Descendant}
		for _, s := range p.Steps {
			x.Steps = append(x.Steps, nameTest(s))
		}
		if p.Attr != nil {
			t := nameTest(*p.Attr)
			x.Attr = &t
		}
		out = append(out, x)
	}
	return out
}

func nameTest(t xsd.NameTest) ir.NameTest {
	return ir.NameTest{Name: ir.Name{Space: t.Space, Local: t.Local}, AnyLocal: t.AnyLocal, AnySpace: t.AnySpace, Self: t.Self}
}
