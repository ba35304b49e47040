package xds

import (
	"crypto/sha1"
	"strconv"

	"github.com/dmpgen/dmpgen/runtime/uuid"
)

// Lower turns the metadata into ebRIM objects, in the order of m.Items: the
// inverse of Lift. Parts read by Lift come back where they were, with their
// ids and ebRIM details; parts built in Go are written in the IHE order,
// with the ids newID gives them (see GeneratedID). The result shares memory
// with m.
func (m *Metadata) Lower() []*RegistryObject {
	topNodes := make(map[string]bool)
	for _, it := range m.Items {
		if c, ok := it.(*Classification); ok && (deref(c.Node) == NodeSubmissionSet || deref(c.Node) == NodeFolder) {
			topNodes[c.ClassifiedObject] = true
		}
	}
	out := make([]*RegistryObject, 0, len(m.Items))
	buf := new(refBuf)
	for _, it := range m.Items {
		switch x := it.(type) {
		case *DocumentEntry:
			o := lowerObject(x, KindExtrinsicObject, "", buf)
			o.MimeType = attrOpt(x.MimeType, "mimeType", &x.Extra)
			o.IsOpaque = x.Extra.IsOpaque
			o.ContentVersionInfo = x.Extra.ContentVersionInfo
			out = append(out, o)
		case *SubmissionSet:
			node := NodeSubmissionSet
			if topNodes[x.EntryUUID] {
				node = ""
			}
			out = append(out, lowerObject(x, KindRegistryPackage, node, buf))
		case *Folder:
			node := NodeFolder
			if topNodes[x.EntryUUID] {
				node = ""
			}
			out = append(out, lowerObject(x, KindRegistryPackage, node, buf))
		case *Association:
			o := lowerObject(x, KindAssociation, "", buf)
			o.AssociationType, o.SourceObject, o.TargetObject = x.Type, x.Source, x.Target
			out = append(out, o)
		case *ObjectRef:
			out = append(out, &RegistryObject{Kind: KindObjectRef, Parts: Parts{ID: x.ID, Home: x.Home, Slots: x.Slots}, CreateReplica: x.CreateReplica})
		case *Classification:
			out = append(out, &RegistryObject{Kind: KindClassification, Classification: x})
		case *ExternalIdentifier:
			out = append(out, &RegistryObject{Kind: KindExternalIdentifier, ExternalIdentifier: x})
		}
	}
	return out
}

// GeneratedID returns the id Lower gives a part built in Go: for an owner
// with a urn:uuid id, a name-based UUID derived from the owner, the role and
// the index (unique because the owner's id is); for a symbolic owner id, the
// symbolic id "owner.role" or "owner.roleN" (the registry assigns the UUIDs).
func GeneratedID(owner, role string, n int) string {
	suffix := role
	if n > 0 {
		suffix += strconv.Itoa(n)
	}
	if !uuid.IsURN(owner) {
		return owner + "." + suffix
	}
	h := sha1.Sum([]byte(owner + "/" + suffix))
	var u uuid.UUID
	copy(u[:], h[:16])
	u[6] = u[6]&0x0f | 0x50 // version 5 (name-based, SHA-1)
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return u.URN()
}

// attrOpt returns an optional attribute from its typed field.
func attrOpt(v, name string, x *Extra) *string {
	if v != "" {
		return &v
	}
	for _, n := range x.EmptyAttrs {
		if n == name {
			return &v
		}
	}
	return nil
}

func lowerObject(t typedObject, kind Kind, node string, buf *refBuf) *RegistryObject {
	b := t.base()
	x := &b.Extra
	o := &RegistryObject{Kind: kind, Parts: Parts{
		ID:          b.EntryUUID,
		LogicalID:   attrOpt(b.LogicalID, "lid", x),
		Home:        attrOpt(b.Home, "home", x),
		ObjectType:  attrOpt(b.ObjectType, "objectType", x),
		Status:      attrOpt(b.AvailabilityStatus, "status", x),
		Name:        b.Title,
		Description: b.Comments,
		VersionInfo: b.Version,
	}}
	o.Slots = lowerSlots(x.Slots, t.slotRefs(buf))
	o.Classifications = lowerClassifications(t, node, buf)
	o.ExternalIdentifiers = lowerIdentifiers(b.EntryUUID, x.ExternalIdentifiers, t.idRefs(buf))
	return o
}

// lowerSlots writes the typed slots at the places their placeholders hold,
// the other read slots as they are, then the typed slots built in Go.
func lowerSlots(read []Slot, refs []slotRef) []Slot {
	out := make([]Slot, 0, len(read)+len(refs))
	var done [16]bool
	for _, s := range read {
		if !s.Lifted {
			out = append(out, s)
			continue
		}
		k := slotIndex(refs, s.Name)
		if k < 0 || done[k] {
			continue
		}
		done[k] = true
		if v := refs[k].values(); len(v) > 0 {
			out = append(out, Slot{Name: s.Name, Type: s.Type, Values: v})
		}
	}
	for k := range refs {
		if done[k] {
			continue
		}
		if v := refs[k].values(); len(v) > 0 {
			out = append(out, Slot{Name: refs[k].name, Values: v})
		}
	}
	return nilIfEmpty(out)
}

// nilIfEmpty keeps "no parts" as nil, as the mapping reads it.
func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// typedClass is a typed classification of an object: a code or an author.
type typedClass struct {
	code    *Code
	author  *Author
	scheme  string
	role    string
	n       int
	written bool
}

func (tc *typedClass) class() *Classification {
	if tc.code != nil {
		return tc.code.Class
	}
	return tc.author.Class
}

func typedClasses(t typedObject, buf *refBuf) []typedClass {
	var out []typedClass
	if scheme, authors := t.authorRef(); authors != nil {
		for i := range *authors {
			out = append(out, typedClass{author: &(*authors)[i], scheme: scheme, role: "author", n: i + 1})
		}
	}
	for _, r := range t.codeRefs(buf) {
		if r.one != nil {
			if !r.one.IsZero() {
				out = append(out, typedClass{code: r.one, scheme: r.scheme, role: r.attr})
			}
			continue
		}
		for i := range *r.many {
			out = append(out, typedClass{code: &(*r.many)[i], scheme: r.scheme, role: r.attr, n: i + 1})
		}
	}
	return out
}

func lowerClassifications(t typedObject, node string, buf *refBuf) []*Classification {
	b := t.base()
	typed := typedClasses(t, buf)
	out := make([]*Classification, 0, len(b.Extra.Classifications)+len(typed)+1)
	for _, c := range b.Extra.Classifications {
		if deref(c.Node) == node {
			node = "" // the object already carries its classification node
		}
		if !c.Lifted {
			out = append(out, c)
			continue
		}
		for i := range typed {
			if tc := &typed[i]; !tc.written && tc.class() == c {
				out = append(out, tc.lower(b.EntryUUID))
				tc.written = true
				break
			}
		}
	}
	for i := range typed {
		if !typed[i].written {
			out = append(out, typed[i].lower(b.EntryUUID))
		}
	}
	if node != "" {
		n := node
		out = append(out, &Classification{Parts: Parts{ID: GeneratedID(b.EntryUUID, "node", 0)}, ClassifiedObject: b.EntryUUID, Node: &n})
	}
	return nilIfEmpty(out)
}

// envelope returns a copy of the Classification a typed classification was
// read from, or a new one for a classification built in Go.
func (tc *typedClass) envelope(owner string) Classification {
	if c := tc.class(); c != nil {
		out := *c
		out.Lifted = false
		return out
	}
	scheme := tc.scheme
	return Classification{Parts: Parts{ID: GeneratedID(owner, tc.role, tc.n)}, Scheme: &scheme, ClassifiedObject: owner}
}

func (tc *typedClass) lower(owner string) *Classification {
	out := tc.envelope(owner)
	if tc.author != nil {
		if tc.author.Class == nil {
			empty := ""
			out.NodeRepresentation = &empty
		}
		refs := tc.author.slotRefs()
		out.Slots = lowerSlots(out.Slots, refs[:])
		return &out
	}
	c := tc.code
	code := c.Code
	out.NodeRepresentation = &code
	slots := make([]Slot, 0, len(out.Slots)+1)
	placed := false
	for _, s := range out.Slots {
		if s.Lifted && s.Name == SlotCodingScheme {
			if !placed {
				slots = append(slots, Slot{Name: s.Name, Type: s.Type, Values: []string{c.Scheme}})
				placed = true
			}
			continue
		}
		slots = append(slots, s)
	}
	if !placed && c.Scheme != "" {
		slots = append(slots, Slot{Name: SlotCodingScheme, Values: []string{c.Scheme}})
	}
	out.Slots = nilIfEmpty(slots)
	switch {
	case len(out.Name) > 0:
		name := append(Text(nil), out.Name...)
		name[0].Value = c.Display
		out.Name = name
	case c.Display != "":
		out.Name = NewText(c.Display)
	}
	return &out
}

// lowerIdentifiers writes the typed identifiers at the places of their
// placeholders, the other read identifiers as they are, then the typed
// identifiers built in Go.
func lowerIdentifiers(owner string, read []*ExternalIdentifier, refs []idRef) []*ExternalIdentifier {
	out := make([]*ExternalIdentifier, 0, len(read)+len(refs))
	var done [4]bool
	for _, e := range read {
		if !e.Lifted {
			out = append(out, e)
			continue
		}
		for k := range refs {
			if refs[k].scheme != e.Scheme || done[k] {
				continue
			}
			done[k] = true
			if v := *refs[k].value; v != "" {
				c := *e
				c.Value, c.Lifted = v, false
				out = append(out, &c)
			}
			break
		}
	}
	for k := range refs {
		if done[k] || *refs[k].value == "" {
			continue
		}
		out = append(out, &ExternalIdentifier{
			Parts:          Parts{ID: GeneratedID(owner, refs[k].attr, 0), Name: NewText(refs[k].name)},
			RegistryObject: owner,
			Scheme:         refs[k].scheme,
			Value:          *refs[k].value,
		})
	}
	return nilIfEmpty(out)
}
