package xds

import "strconv"

// NewVersion returns the DocumentEntry to submit as the next version of d
// in an ITI-57 metadata update (IHE ITI TF-2b 3.57.4.1.3.3.1): a deep copy
// of d whose entryUUID is id and whose lid is the lineage of d (its lid, or
// its entryUUID when d, a first version, has none). Every classification
// and external identifier is copied under a new id (GeneratedID(id, role,
// n), as Lower names the parts it builds) and classifies or identifies the
// new object; nothing else changes, the order the parts were read in
// included. The attributes the registry sets (status, VersionInfo, home)
// are kept as read. d is not modified, and the copy shares no memory with
// it.
func (d *DocumentEntry) NewVersion(id string) *DocumentEntry {
	n := *d
	n.EntryUUID = id
	n.LogicalID = d.Lineage()
	n.Title, n.Comments = copyText(d.Title), copyText(d.Comments)
	n.Version = copyVersion(d.Version)
	n.SourcePatientInfo = cloneStrings(d.SourcePatientInfo)
	n.ReferenceIDList = cloneStrings(d.ReferenceIDList)

	// Copy the read classifications, then point the typed fields at the
	// copies.
	x := &n.Extra
	x.Slots = copySlots(d.Extra.Slots)
	x.IsOpaque = copyPtr(d.Extra.IsOpaque)
	x.ContentVersionInfo = copyVersion(d.Extra.ContentVersionInfo)
	x.EmptyAttrs = cloneStrings(d.Extra.EmptyAttrs)
	copies := make(map[*Classification]*Classification, len(d.Extra.Classifications))
	x.Classifications = nil
	for _, c := range d.Extra.Classifications {
		cp := copyClassification(c, id)
		copies[c] = cp
		x.Classifications = append(x.Classifications, cp)
	}
	moved := func(c *Classification) *Classification {
		if c == nil {
			return nil
		}
		if cp, ok := copies[c]; ok {
			return cp
		}
		cp := copyClassification(c, id) // a Class the entry does not list
		copies[c] = cp
		return cp
	}
	n.Authors = make([]Author, len(d.Authors))
	for i, a := range d.Authors {
		a.Institutions, a.Roles = cloneStrings(a.Institutions), cloneStrings(a.Roles)
		a.Specialties, a.Telecoms = cloneStrings(a.Specialties), cloneStrings(a.Telecoms)
		a.Class = moved(a.Class)
		n.Authors[i] = a
	}
	if d.Authors == nil {
		n.Authors = nil
	}
	n.ConfidentialityCodes = append([]Code(nil), d.ConfidentialityCodes...)
	n.EventCodes = append([]Code(nil), d.EventCodes...)
	buf := new(refBuf)
	for _, r := range n.codeRefs(buf) {
		if r.one != nil {
			r.one.Class = moved(r.one.Class)
			continue
		}
		for i := range *r.many {
			(*r.many)[i].Class = moved((*r.many)[i].Class)
		}
	}

	// New ids: the typed parts by role, the others by position.
	named := make(map[*Classification]bool, len(copies))
	for _, tc := range typedClasses(&n, buf) {
		if c := tc.class(); c != nil {
			c.ID = GeneratedID(id, tc.role, tc.n)
			named[c] = true
		}
	}
	for i, c := range x.Classifications {
		if !named[c] {
			c.ID = GeneratedID(id, "classification", i+1)
		}
	}
	x.ExternalIdentifiers = nil
	refs := n.idRefs(buf)
	for i, e := range d.Extra.ExternalIdentifiers {
		cp := *e
		cp.Parts = copyParts(e.Parts)
		cp.RegistryObject = id
		cp.ID = GeneratedID(id, "identifier", i+1)
		if e.Lifted {
			for _, r := range refs {
				if r.scheme == e.Scheme {
					cp.ID = GeneratedID(id, r.attr, 0)
				}
			}
		}
		x.ExternalIdentifiers = append(x.ExternalIdentifiers, &cp)
	}
	return &n
}

// Lineage returns the logical id of the entry's lineage: its lid, or its
// entryUUID when it has none (a first version, whose lid is its entryUUID).
func (b *Base) Lineage() string {
	if b.LogicalID != "" {
		return b.LogicalID
	}
	return b.EntryUUID
}

// VersionNumber returns the XDS version of an object read from a registry
// (VersionInfo/@versionName: 1 for a first version, incremented by each
// metadata update); ok is false when it has none or it is not a positive
// decimal number.
func (b *Base) VersionNumber() (n int, ok bool) {
	if b.Version == nil || b.Version.VersionName == nil {
		return 0, false
	}
	return positiveVersion(*b.Version.VersionName)
}

// positiveVersion parses a version number: a positive decimal integer
// without sign or leading zero.
func positiveVersion(v string) (int, bool) {
	if v == "" || v[0] == '0' || !isDigits(v) {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, false
	}
	return n, true
}

func copyClassification(c *Classification, owner string) *Classification {
	cp := *c
	cp.Parts = copyParts(c.Parts)
	cp.ClassifiedObject = owner
	return &cp
}

// copyParts copies what an edit of a copied part could reach: its slots
// and its Name and Description (localized in place when written).
func copyParts(p Parts) Parts {
	p.Slots = copySlots(p.Slots)
	p.Name, p.Description = copyText(p.Name), copyText(p.Description)
	p.VersionInfo = copyVersion(p.VersionInfo)
	return p
}

func copySlots(s []Slot) []Slot {
	if s == nil {
		return nil
	}
	out := make([]Slot, len(s))
	for i, x := range s {
		x.Values = cloneStrings(x.Values)
		out[i] = x
	}
	return out
}

func copyText(t Text) Text {
	if t == nil {
		return nil
	}
	out := make(Text, len(t))
	for i, ls := range t {
		ls.Lang, ls.Charset = copyPtr(ls.Lang), copyPtr(ls.Charset)
		out[i] = ls
	}
	return out
}

func copyVersion(v *VersionInfo) *VersionInfo {
	if v == nil {
		return nil
	}
	return &VersionInfo{VersionName: copyPtr(v.VersionName), Comment: copyPtr(v.Comment)}
}

func copyPtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}
