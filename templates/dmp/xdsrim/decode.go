//go:build dmpgen_template

package xdsrim

import (
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// FromRIM converts a RegistryObjectList into ebRIM objects of the model.
// The objects and their parts are cut from blocks that grow geometrically
// (a 1,000-entry query response costs a few hundred allocations, not a
// hundred thousand); strings are shared with list.
func FromRIM(list *rim.RegistryObjectListType) ([]*xds.RegistryObject, error) {
	if list == nil {
		return nil, errAt(nil, "missing")
	}
	if err := xsiCheck(nil, list.XSINil, list.XSIType, len(list.Unknown.Hints())); err != nil {
		return nil, err
	}
	var b builder
	return b.fromList(list.Identifiable)
}

// fromList maps the objects of a RegistryObjectList.
func (b *builder) fromList(list []rim.IdentifiableChoice) ([]*xds.RegistryObject, error) {
	b.reserve(list)
	objs := make([]xds.RegistryObject, len(list))
	out := make([]*xds.RegistryObject, len(list))
	b.path = make([]frame, 0, 8)
	for i := range list {
		o := &objs[i]
		b.push("*", i+1, "")
		if err := b.fromChoice(o, &list[i]); err != nil {
			return nil, err
		}
		b.pop()
		out[i] = o
	}
	return out, nil
}

// builder hands out the parts of the model from blocks.
type builder struct {
	slots   block[xds.Slot]
	values  block[string]
	strings block[xds.LocalizedString]
	classes block[xds.Classification]
	cptrs   block[*xds.Classification]
	ids     block[xds.ExternalIdentifier]
	iptrs   block[*xds.ExternalIdentifier]
	// path is the stack of elements being mapped, for error messages.
	path []frame
}

// frame is one element of the path: its name, 1-based index among its
// siblings (0 when not indexed) and id.
type frame struct {
	elem string
	i    int
	id   string
}

func (b *builder) push(elem string, i int, id string) { b.path = append(b.path, frame{elem, i, id}) }
func (b *builder) pop()                               { b.path = b.path[:len(b.path)-1] }

// errAt returns a MappingError at the current path.
func (b *builder) errAt(format string, args ...any) error {
	var l *loc
	for _, f := range b.path {
		l = &loc{up: l, elem: f.elem, i: f.i, id: f.id}
	}
	return errAt(l, format, args...)
}

// xsiCheck fails on the xsi attributes the model does not keep.
func (b *builder) xsiCheck(nilled, typed bool, hints int) error {
	if !nilled && !typed && hints == 0 {
		return nil
	}
	var l *loc
	for _, f := range b.path {
		l = &loc{up: l, elem: f.elem, i: f.i, id: f.id}
	}
	return xsiCheck(l, nilled, typed, hints)
}

// block hands out slices of T from chunks that double in size up to
// maxChunk elements.
type block[T any] struct {
	free []T
	next int
}

const (
	firstChunk = 64
	maxChunk   = 1 << 14
)

// reserve makes the next chunk hold n elements, when the current one is
// empty.
func (k *block[T]) reserve(n int) {
	if n > 0 && len(k.free) == 0 {
		k.free = make([]T, n)
	}
}

// take cuts n elements; the result has no spare capacity, so that
// appending to it never writes into the next part.
func (k *block[T]) take(n int) []T {
	if n == 0 {
		return nil
	}
	if n > len(k.free) {
		size := max(n, k.next, firstChunk)
		k.next = min(2*size, maxChunk)
		k.free = make([]T, size)
	}
	s := k.free[:n:n]
	k.free = k.free[n:]
	return s
}

// reserve cuts each block's first chunk at the size the objects of list
// need, counted in a first pass over them: one allocation per kind of
// part, where chunks doubling from firstChunk would allocate up to 1.6
// times the parts of a large response (a count that falls short only
// makes the blocks grow as before).
func (b *builder) reserve(list []rim.IdentifiableChoice) {
	var n partCount
	for i := range list {
		c := &list[i]
		switch {
		case c.ExtrinsicObject != nil:
			n.add(extrinsicParts(c.ExtrinsicObject))
		case c.RegistryPackage != nil:
			n.add(packageParts(c.RegistryPackage))
		case c.Association != nil:
			n.add(associationParts(c.Association))
		case c.Classification != nil:
			n.classes++
			n.add(classificationParts(c.Classification))
		case c.ExternalIdentifier != nil:
			n.ids++
			n.add(identifierParts(c.ExternalIdentifier))
		case c.ObjectRef != nil:
			n.slots(c.ObjectRef.Slot)
		}
	}
	b.slots.reserve(n.slot)
	b.values.reserve(n.value)
	b.strings.reserve(n.text)
	b.classes.reserve(n.classes)
	b.cptrs.reserve(n.cptrs)
	b.ids.reserve(n.ids)
	b.iptrs.reserve(n.iptrs)
}

// partCount counts what fromParts takes from each block.
type partCount struct {
	slot, value, text, classes, cptrs, ids, iptrs int
}

func (n *partCount) add(r registryObject) {
	n.slots(r.slots)
	for _, t := range []*rim.InternationalStringType{r.name, r.desc} {
		if t != nil {
			n.text += len(t.Sequence)
		}
	}
	n.classes += len(r.classifications)
	n.cptrs += len(r.classifications)
	for i := range r.classifications {
		n.add(classificationParts(&r.classifications[i]))
	}
	n.ids += len(r.identifiers)
	n.iptrs += len(r.identifiers)
	for i := range r.identifiers {
		n.add(identifierParts(&r.identifiers[i]))
	}
}

func (n *partCount) slots(ss []rim.SlotType1) {
	n.slot += len(ss)
	for i := range ss {
		if vl := ss[i].ValueList; vl != nil {
			n.value += len(vl.Sequence)
		}
	}
}

// registryObject is the content every RegistryObject-derived binding has.
type registryObject struct {
	id                       string
	home, lid, objType, stat *string
	slots                    []rim.SlotType1
	name, desc               *rim.InternationalStringType
	version                  *rim.VersionInfoType
	classifications          []rim.ClassificationType
	identifiers              []rim.ExternalIdentifierType
	xsiNil, xsiType          bool
	xsiHints                 int
}

func extrinsicParts(e *rim.ExtrinsicObjectType) registryObject {
	return registryObject{e.Id, e.Home, e.Lid, e.ObjectType, e.Status, e.Slot, e.Name, e.Description, e.VersionInfo,
		e.Classification, e.ExternalIdentifier, e.XSINil, e.XSIType, len(e.Unknown.Hints())}
}

func packageParts(p *rim.RegistryPackageType) registryObject {
	return registryObject{p.Id, p.Home, p.Lid, p.ObjectType, p.Status, p.Slot, p.Name, p.Description, p.VersionInfo,
		p.Classification, p.ExternalIdentifier, p.XSINil, p.XSIType, len(p.Unknown.Hints())}
}

func associationParts(a *rim.AssociationType1) registryObject {
	return registryObject{a.Id, a.Home, a.Lid, a.ObjectType, a.Status, a.Slot, a.Name, a.Description, a.VersionInfo,
		a.Classification, a.ExternalIdentifier, a.XSINil, a.XSIType, len(a.Unknown.Hints())}
}

func classificationParts(c *rim.ClassificationType) registryObject {
	return registryObject{c.Id, c.Home, c.Lid, c.ObjectType, c.Status, c.Slot, c.Name, c.Description, c.VersionInfo,
		c.Classification, c.ExternalIdentifier, c.XSINil, c.XSIType, len(c.Unknown.Hints())}
}

func identifierParts(e *rim.ExternalIdentifierType) registryObject {
	return registryObject{e.Id, e.Home, e.Lid, e.ObjectType, e.Status, e.Slot, e.Name, e.Description, e.VersionInfo,
		e.Classification, e.ExternalIdentifier, e.XSINil, e.XSIType, len(e.Unknown.Hints())}
}

// filling pass

func (b *builder) fromChoice(o *xds.RegistryObject, c *rim.IdentifiableChoice) error {
	l := &b.path[len(b.path)-1]
	switch {
	case c.ExtrinsicObject != nil:
		e := c.ExtrinsicObject
		l.elem, l.id = "ExtrinsicObject", e.Id
		o.Kind, o.MimeType, o.IsOpaque = xds.KindExtrinsicObject, e.MimeType, e.IsOpaque
		r := extrinsicParts(e)
		if err := b.fromParts(&r, &o.Parts); err != nil {
			return err
		}
		var err error
		o.ContentVersionInfo, err = b.fromVersion(e.ContentVersionInfo, "ContentVersionInfo")
		return err
	case c.RegistryPackage != nil:
		p := c.RegistryPackage
		l.elem, l.id = "RegistryPackage", p.Id
		if p.RegistryObjectList != nil {
			return b.errAt("a RegistryPackage holding a RegistryObjectList is not supported in XDS metadata")
		}
		o.Kind = xds.KindRegistryPackage
		r := packageParts(p)
		return b.fromParts(&r, &o.Parts)
	case c.Association != nil:
		a := c.Association
		l.elem, l.id = "Association", a.Id
		o.Kind, o.AssociationType, o.SourceObject, o.TargetObject = xds.KindAssociation, a.AssociationType, a.SourceObject, a.TargetObject
		r := associationParts(a)
		return b.fromParts(&r, &o.Parts)
	case c.Classification != nil:
		l.elem, l.id = "Classification", c.Classification.Id
		o.Kind = xds.KindClassification
		o.Classification = &b.classes.take(1)[0]
		return b.fillClassification(o.Classification, c.Classification)
	case c.ExternalIdentifier != nil:
		l.elem, l.id = "ExternalIdentifier", c.ExternalIdentifier.Id
		o.Kind = xds.KindExternalIdentifier
		o.ExternalIdentifier = &b.ids.take(1)[0]
		return b.fillIdentifier(o.ExternalIdentifier, c.ExternalIdentifier)
	case c.ObjectRef != nil:
		r := c.ObjectRef
		l.elem, l.id = "ObjectRef", r.Id
		if err := b.xsiCheck(r.XSINil, r.XSIType, len(r.Unknown.Hints())); err != nil {
			return err
		}
		slots, err := b.fromSlots(r.Slot)
		if err != nil {
			return err
		}
		*o = xds.RegistryObject{Kind: xds.KindObjectRef, Parts: xds.Parts{ID: r.Id, Home: r.Home, Slots: slots}, CreateReplica: r.CreateReplica}
		return nil
	}
	return b.errAt("%s is not an XDS metadata object (ExtrinsicObject, RegistryPackage, Association, Classification, ExternalIdentifier or ObjectRef)", choiceName(c))
}

func (b *builder) fromParts(r *registryObject, p *xds.Parts) error {
	if err := b.xsiCheck(r.xsiNil, r.xsiType, r.xsiHints); err != nil {
		return err
	}
	p.ID, p.Home, p.LogicalID, p.ObjectType, p.Status = r.id, r.home, r.lid, r.objType, r.stat
	var err error
	if p.Slots, err = b.fromSlots(r.slots); err != nil {
		return err
	}
	if p.Name, err = b.fromText(r.name, "Name"); err != nil {
		return err
	}
	if p.Description, err = b.fromText(r.desc, "Description"); err != nil {
		return err
	}
	if p.VersionInfo, err = b.fromVersion(r.version, "VersionInfo"); err != nil {
		return err
	}
	if n := len(r.classifications); n > 0 {
		p.Classifications = b.cptrs.take(n)
		cs := b.classes.take(n)
		for i := range r.classifications {
			b.push("Classification", i+1, r.classifications[i].Id)
			if err := b.fillClassification(&cs[i], &r.classifications[i]); err != nil {
				return err
			}
			b.pop()
			p.Classifications[i] = &cs[i]
		}
	}
	if n := len(r.identifiers); n > 0 {
		p.ExternalIdentifiers = b.iptrs.take(n)
		es := b.ids.take(n)
		for i := range r.identifiers {
			b.push("ExternalIdentifier", i+1, r.identifiers[i].Id)
			if err := b.fillIdentifier(&es[i], &r.identifiers[i]); err != nil {
				return err
			}
			b.pop()
			p.ExternalIdentifiers[i] = &es[i]
		}
	}
	return nil
}

func (b *builder) fillClassification(out *xds.Classification, c *rim.ClassificationType) error {
	*out = xds.Classification{Scheme: c.ClassificationScheme, ClassifiedObject: c.ClassifiedObject,
		Node: c.ClassificationNode, NodeRepresentation: c.NodeRepresentation}
	r := classificationParts(c)
	return b.fromParts(&r, &out.Parts)
}

func (b *builder) fillIdentifier(out *xds.ExternalIdentifier, e *rim.ExternalIdentifierType) error {
	*out = xds.ExternalIdentifier{RegistryObject: e.RegistryObject, Scheme: e.IdentificationScheme, Value: e.Value}
	r := identifierParts(e)
	return b.fromParts(&r, &out.Parts)
}

func (b *builder) fromSlots(ss []rim.SlotType1) ([]xds.Slot, error) {
	if len(ss) == 0 {
		return nil, nil
	}
	out := b.slots.take(len(ss))
	for i := range ss {
		s := &ss[i]
		vl := s.ValueList
		if vl == nil || s.XSINil || s.XSIType || len(s.Unknown.Hints()) > 0 || vl.XSINil || vl.XSIType || len(vl.Unknown.Hints()) > 0 {
			b.push("Slot", i+1, s.Name)
			if vl == nil {
				return nil, b.errAt("Slot without a ValueList")
			}
			if err := b.xsiCheck(s.XSINil, s.XSIType, len(s.Unknown.Hints())); err != nil {
				return nil, err
			}
			b.push("ValueList", 0, "")
			return nil, b.xsiCheck(vl.XSINil, vl.XSIType, len(vl.Unknown.Hints()))
		}
		vs := b.values.take(len(vl.Sequence))
		for j := range vl.Sequence {
			if vl.Sequence[j].Value == nil {
				b.push("Slot", i+1, s.Name)
				return nil, b.errAt("empty ValueList entry %d", j+1)
			}
			vs[j] = *vl.Sequence[j].Value
		}
		out[i] = xds.Slot{Name: s.Name, Type: s.SlotType, Values: vs}
	}
	return out, nil
}

func (b *builder) fromText(t *rim.InternationalStringType, elem string) (xds.Text, error) {
	if t == nil {
		return nil, nil
	}
	if t.XSINil || t.XSIType || len(t.Unknown.Hints()) > 0 {
		b.push(elem, 0, "")
		return nil, b.xsiCheck(t.XSINil, t.XSIType, len(t.Unknown.Hints()))
	}
	out := xds.Text(b.strings.take(len(t.Sequence)))
	if out == nil {
		out = xds.Text{}
	}
	for i := range t.Sequence {
		ls := t.Sequence[i].LocalizedString
		if ls == nil {
			b.push(elem, 0, "")
			return nil, b.errAt("empty InternationalString entry %d", i+1)
		}
		if ls.XSINil || ls.XSIType || len(ls.Unknown.Hints()) > 0 {
			b.push(elem, 0, "")
			b.push("LocalizedString", i+1, "")
			return nil, b.xsiCheck(ls.XSINil, ls.XSIType, len(ls.Unknown.Hints()))
		}
		out[i] = xds.LocalizedString{Value: ls.Value, Lang: ls.Lang, Charset: ls.Charset}
	}
	return out, nil
}

func (b *builder) fromVersion(v *rim.VersionInfoType, elem string) (*xds.VersionInfo, error) {
	if v == nil {
		return nil, nil
	}
	if v.XSINil || v.XSIType || len(v.Unknown.Hints()) > 0 {
		b.push(elem, 0, "")
		return nil, b.xsiCheck(v.XSINil, v.XSIType, len(v.Unknown.Hints()))
	}
	return &xds.VersionInfo{VersionName: v.VersionName, Comment: v.Comment}, nil
}
