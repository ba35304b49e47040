package xds

import "fmt"

// Lift interprets ebRIM objects (a RegistryObjectList, in document order) as
// XDS metadata. ExtrinsicObjects become DocumentEntries, RegistryPackages
// SubmissionSets or Folders (by their classification node, inside the
// package or at the top level), Associations Associations; ObjectRefs and
// top-level Classifications and ExternalIdentifiers are kept as they are.
//
// Nothing is dropped: a part that a typed field cannot hold exactly (a
// second classCode, a creationTime slot with two values, an unknown slot or
// classification) stays in the object's Extra, so that Lower gives back the
// same objects. Lift takes ownership of objs: it reuses their parts.
//
// The only failure is a RegistryPackage classified neither as a
// SubmissionSet nor as a Folder, or as both.
func Lift(objs []*RegistryObject) (*Metadata, error) {
	nodes := packageNodes(objs)
	buf := new(refBuf)
	m := &Metadata{Items: make([]Item, 0, len(objs))}
	for i, o := range objs {
		switch o.Kind {
		case KindExtrinsicObject:
			d := new(DocumentEntry)
			d.MimeType = liftAttr(o.MimeType, "mimeType", &d.Extra)
			d.Extra.IsOpaque = o.IsOpaque
			d.Extra.ContentVersionInfo = o.ContentVersionInfo
			liftObject(d, o, buf)
			m.Items = append(m.Items, d)
		case KindRegistryPackage:
			switch nodes[o.ID] {
			case NodeSubmissionSet:
				s := new(SubmissionSet)
				liftObject(s, o, buf)
				m.Items = append(m.Items, s)
			case NodeFolder:
				f := new(Folder)
				liftObject(f, o, buf)
				m.Items = append(m.Items, f)
			case "":
				return nil, fmt.Errorf("RegistryPackage %q (object %d): not classified as a SubmissionSet (%s) nor as a Folder (%s)", o.ID, i+1, NodeSubmissionSet, NodeFolder)
			default:
				return nil, fmt.Errorf("RegistryPackage %q (object %d): classified both as a SubmissionSet and as a Folder", o.ID, i+1)
			}
		case KindAssociation:
			a := &Association{Type: o.AssociationType, Source: o.SourceObject, Target: o.TargetObject}
			liftObject(a, o, buf)
			m.Items = append(m.Items, a)
		case KindObjectRef:
			m.Items = append(m.Items, &ObjectRef{ID: o.ID, Home: o.Home, CreateReplica: o.CreateReplica, Slots: o.Slots})
		case KindClassification:
			if o.Classification == nil {
				return nil, fmt.Errorf("object %d: top-level Classification without content", i+1)
			}
			m.Items = append(m.Items, o.Classification)
		case KindExternalIdentifier:
			if o.ExternalIdentifier == nil {
				return nil, fmt.Errorf("object %d: top-level ExternalIdentifier without content", i+1)
			}
			m.Items = append(m.Items, o.ExternalIdentifier)
		default:
			return nil, fmt.Errorf("object %d: unknown kind %d", i+1, o.Kind)
		}
	}
	return m, nil
}

// packageNodes maps the ids of classified RegistryPackages to their
// classification node (NodeSubmissionSet or NodeFolder; "both" when both).
func packageNodes(objs []*RegistryObject) map[string]string {
	nodes := make(map[string]string)
	add := func(c *Classification) {
		n := deref(c.Node)
		if n != NodeSubmissionSet && n != NodeFolder {
			return
		}
		if old, ok := nodes[c.ClassifiedObject]; ok && old != n {
			nodes[c.ClassifiedObject] = "both"
			return
		}
		nodes[c.ClassifiedObject] = n
	}
	for _, o := range objs {
		switch o.Kind {
		case KindClassification:
			if o.Classification != nil {
				add(o.Classification)
			}
		case KindRegistryPackage:
			for _, c := range o.Classifications {
				add(c)
			}
		}
	}
	return nodes
}

// liftAttr returns an optional attribute as a string, recording an
// attribute present with an empty value.
func liftAttr(p *string, name string, x *Extra) string {
	if p == nil {
		return ""
	}
	if *p == "" {
		x.EmptyAttrs = append(x.EmptyAttrs, name)
	}
	return *p
}

func liftObject(t typedObject, o *RegistryObject, buf *refBuf) {
	b := t.base()
	b.EntryUUID = o.ID
	b.LogicalID = liftAttr(o.LogicalID, "lid", &b.Extra)
	b.Home = liftAttr(o.Home, "home", &b.Extra)
	b.ObjectType = liftAttr(o.ObjectType, "objectType", &b.Extra)
	b.AvailabilityStatus = liftAttr(o.Status, "status", &b.Extra)
	b.Title, b.Comments, b.Version = o.Name, o.Description, o.VersionInfo
	b.Extra.Slots = liftSlots(o.Slots, t.slotRefs(buf))
	b.Extra.Classifications = o.Classifications
	liftClassifications(o.Classifications, t, buf)
	b.Extra.ExternalIdentifiers = o.ExternalIdentifiers
	liftIdentifiers(o.ExternalIdentifiers, t.idRefs(buf))
}

// slotIndex returns the index of the ref named name, -1 when none.
func slotIndex(refs []slotRef, name string) int {
	for i := range refs {
		if eq(refs[i].name, name) {
			return i
		}
	}
	return -1
}

// eq compares two strings, their last bytes first: the IHE scheme UUIDs
// have the same length and prefix, and comparing them whole dominated the
// profiles of Lift.
func eq(a, b string) bool {
	return len(a) == len(b) && (len(a) == 0 || a[len(a)-1] == b[len(b)-1]) && a == b
}

// liftable reports whether a slot's values fit a typed field: exactly one
// non-empty value for a single-valued slot (an empty field means "absent"),
// at least one value for a multi-valued one.
func (r *slotRef) liftable(s *Slot) bool {
	if r.one != nil {
		return len(s.Values) == 1 && s.Values[0] != ""
	}
	return len(s.Values) > 0
}

func (r *slotRef) set(values []string) {
	if r.one != nil {
		*r.one = values[0]
	} else {
		*r.many = values
	}
}

// values returns the typed values, nil when the field is empty.
func (r *slotRef) values() []string {
	if r.one != nil {
		if *r.one == "" {
			return nil
		}
		return []string{*r.one}
	}
	return *r.many
}

// liftSlots moves the values of the well-formed known slots into the typed
// fields and returns the slot list with placeholders for them.
func liftSlots(slots []Slot, refs []slotRef) []Slot {
	var count [16]uint8
	var index [32]int8
	for i := range slots {
		k := slotIndex(refs, slots[i].Name)
		if i < len(index) {
			index[i] = int8(k)
		}
		if k >= 0 && count[k] < 2 {
			count[k]++
		}
	}
	for i := range slots {
		s := &slots[i]
		k := -1
		if i < len(index) {
			k = int(index[i])
		} else {
			k = slotIndex(refs, s.Name)
		}
		if k < 0 || count[k] != 1 || !refs[k].liftable(s) {
			continue
		}
		refs[k].set(s.Values)
		s.Values, s.Lifted = nil, true
	}
	return slots
}

func liftClassifications(cs []*Classification, t typedObject, buf *refBuf) {
	codes := t.codeRefs(buf)
	authorScheme, authors := t.authorRef()
	var count [8]uint8
	var index [32]int8
	for i, c := range cs {
		k := codeIndex(codes, c.SchemeValue())
		if i < len(index) {
			index[i] = int8(k)
		}
		if k >= 0 && count[k] < 2 {
			count[k]++
		}
	}
	for i, c := range cs {
		scheme := c.SchemeValue()
		if scheme == "" {
			continue
		}
		if authors != nil && eq(scheme, authorScheme) {
			if a, ok := liftAuthor(c); ok {
				*authors = append(*authors, a)
			}
			continue
		}
		k := -1
		if i < len(index) {
			k = int(index[i])
		} else {
			k = codeIndex(codes, scheme)
		}
		if k < 0 || (codes[k].one != nil && count[k] != 1) {
			continue
		}
		code, ok := liftCode(c)
		if !ok {
			continue
		}
		if codes[k].one != nil {
			*codes[k].one = code
		} else {
			*codes[k].many = append(*codes[k].many, code)
		}
	}
}

func codeIndex(codes []codeRef, scheme string) int {
	for i := range codes {
		if eq(codes[i].scheme, scheme) {
			return i
		}
	}
	return -1
}

// liftCode reads a coded Classification: a nodeRepresentation and exactly
// one codingScheme slot with one value. The Classification keeps the rest.
func liftCode(c *Classification) (Code, bool) {
	if c.NodeRepresentation == nil {
		return Code{}, false
	}
	k := -1
	for i := range c.Slots {
		if c.Slots[i].Name == SlotCodingScheme {
			if k >= 0 {
				return Code{}, false
			}
			k = i
		}
	}
	if k < 0 || len(c.Slots[k].Values) != 1 {
		return Code{}, false
	}
	code := Code{Code: *c.NodeRepresentation, Scheme: c.Slots[k].Values[0], Class: c}
	if len(c.Name) > 0 {
		code.Display = c.Name[0].Value
		c.Name[0].Value = ""
	}
	c.NodeRepresentation = nil
	c.Slots[k].Values, c.Slots[k].Lifted = nil, true
	c.Lifted = true
	return code, true
}

// liftAuthor reads an author Classification whose author slots each occur
// once, authorPerson with one value and the others with at least one.
func liftAuthor(c *Classification) (Author, bool) {
	var a Author
	refs := a.slotRefs()
	var count [len(authorSlots)]uint8
	for i := range c.Slots {
		if k := slotIndex(refs[:], c.Slots[i].Name); k >= 0 {
			count[k]++
			if count[k] > 1 || !refs[k].liftable(&c.Slots[i]) {
				return Author{}, false
			}
		}
	}
	for i := range c.Slots {
		s := &c.Slots[i]
		if k := slotIndex(refs[:], s.Name); k >= 0 {
			refs[k].set(s.Values)
			s.Values, s.Lifted = nil, true
		}
	}
	a.Class = c
	c.Lifted = true
	return a, true
}

// liftIdentifiers moves the value of each known identifier that occurs once
// into its typed field.
func liftIdentifiers(eis []*ExternalIdentifier, refs []idRef) {
	for k := range refs {
		var found *ExternalIdentifier
		n := 0
		for _, e := range eis {
			if e.Scheme == refs[k].scheme {
				found = e
				n++
			}
		}
		if n != 1 || found.Value == "" {
			continue
		}
		*refs[k].value = found.Value
		found.Value, found.Lifted = "", true
	}
}
