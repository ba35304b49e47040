package xds

import (
	"reflect"
	"testing"
)

// registryEntry is a first version as a registry returns it: lid equal to
// its id, VersionInfo 1, an author, two confidentiality codes, an unknown
// classification and the two identifiers, in a non-IHE order.
func registryEntry() []*RegistryObject {
	const id = "urn:uuid:7953af1a-ba1c-11eb-816f-0050569e422e"
	str := func(s string) *string { return &s }
	code := func(cid, scheme, value, system string) *Classification {
		return &Classification{Parts: Parts{ID: cid, Slots: []Slot{{Name: SlotCodingScheme, Values: []string{system}}},
			Name: Text{{Value: value, Lang: str("FR")}}}, Scheme: str(scheme), ClassifiedObject: id, NodeRepresentation: str(value)}
	}
	return []*RegistryObject{{Kind: KindExtrinsicObject, MimeType: str("text/xml"), Parts: Parts{
		ID: id, LogicalID: str(id), Status: str(StatusApproved), ObjectType: str(ObjectTypeStable),
		VersionInfo: &VersionInfo{VersionName: str("1")},
		Name:        Text{{Value: "CR", Lang: str("FR")}},
		Slots:       []Slot{{Name: SlotLanguageCode, Values: []string{"fr-FR"}}, {Name: "urn:dmp:extra", Values: []string{"x"}}},
		Classifications: []*Classification{
			{Parts: Parts{ID: "urn:uuid:a1", Slots: []Slot{{Name: SlotAuthorPerson, Values: []string{"1^A^B"}}}},
				Scheme: str(SchemeDocAuthor), ClassifiedObject: id, NodeRepresentation: str("")},
			code("urn:uuid:c1", SchemeDocClassCode, "10", "1.2.250.1.213.1.1.4.1"),
			code("urn:uuid:n", SchemeDocConfidentialityCode, "N", "2.16.840.1.113883.5.25"),
			code("urn:uuid:u", "urn:uuid:00000000-0000-4000-8000-00000000000a", "X", "1.2.3"),
			code("urn:uuid:ip", SchemeDocConfidentialityCode, "INVISIBLE_PATIENT", "1.2.250.1.213.1.1.4.13"),
		},
		ExternalIdentifiers: []*ExternalIdentifier{
			{Parts: Parts{ID: "urn:uuid:e1", Name: NewText(NameDocUniqueID)}, RegistryObject: id, Scheme: IDSchemeDocUniqueID, Value: "1.2.3.4"},
		},
	}}}
}

// TestNewVersion checks the copy a metadata update submits: new ids that
// name the new object, the same lid, typed fields pointing at the copies,
// the parts in the order read, and the original untouched.
func TestNewVersion(t *testing.T) {
	m, err := Lift(registryEntry())
	if err != nil {
		t.Fatal(err)
	}
	cur := m.DocumentEntries()[0]
	if n, ok := cur.VersionNumber(); !ok || n != 1 {
		t.Fatalf("VersionNumber = %d, %v", n, ok)
	}
	next := cur.NewVersion("Document01")
	if next.EntryUUID != "Document01" || next.LogicalID != cur.EntryUUID || next.Lineage() != cur.EntryUUID {
		t.Fatalf("id %q lid %q", next.EntryUUID, next.LogicalID)
	}
	// Editing the copy leaves the original as read.
	next.ConfidentialityCodes[0].Display = "changed"
	next.Title[0].Value = "changed"
	*next.Version.VersionName = "9"
	next.Extra.Slots[1].Values[0] = "changed"
	if got := (&Metadata{Items: []Item{cur}}).Lower(); !reflect.DeepEqual(got, registryEntry()) {
		t.Fatalf("the original changed:\n%+v", got[0])
	}
	next.ConfidentialityCodes[0].Display = "N"
	next.Title[0].Value = "CR"
	*next.Version.VersionName = "1"
	next.Extra.Slots[1].Values[0] = "x"

	o := (&Metadata{Items: []Item{next}}).Lower()[0]
	want := []string{"Document01.author1", "Document01.classCode", "Document01.confidentialityCode1", "Document01.classification4", "Document01.confidentialityCode2"}
	var got []string
	for i, c := range o.Classifications {
		got = append(got, c.ID)
		if c.ClassifiedObject != "Document01" {
			t.Errorf("classification %d classifies %q", i, c.ClassifiedObject)
		}
		if c.Name != nil && c.Name[0].Value != *registryEntry()[0].Classifications[i].NodeRepresentation {
			t.Errorf("classification %d: name %q", i, c.Name[0].Value)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("classification ids %q, want %q", got, want)
	}
	if e := o.ExternalIdentifiers[0]; e.ID != "Document01.uniqueId" || e.RegistryObject != "Document01" || e.Value != "1.2.3.4" {
		t.Errorf("identifier %+v", e)
	}
	if deref(o.LogicalID) != cur.EntryUUID || deref(o.Status) != StatusApproved || *o.VersionInfo.VersionName != "1" {
		t.Errorf("lid %q status %q version %v", deref(o.LogicalID), deref(o.Status), o.VersionInfo)
	}
	if len(o.Slots) != 2 || o.Slots[1].Name != "urn:dmp:extra" {
		t.Errorf("slots %+v", o.Slots)
	}
	// The copy validates as the new version of an ITI-57 metadata update.
	ss := &SubmissionSet{Base: Base{EntryUUID: "SubmissionSet01"}}
	up := &Metadata{Items: []Item{ss, next, &Association{Base: Base{EntryUUID: "a"}, Type: AssocHasMember,
		Source: ss.EntryUUID, Target: next.EntryUUID, SubmissionSetStatus: SubmissionSetStatusOriginal, PreviousVersion: "1"}}}
	for _, v := range Validate(up, Options{Transaction: ITI57}) {
		switch v.Code {
		case CodeLogicalIDMissing, CodeLogicalIDEqualsEntryUUID, CodeMissingHasMemberAssociation, CodeMissingPreviousVersion,
			CodeInvalidPreviousVersion, CodeWrongClassifiedObj, CodeWrongRegistryObject, CodeUUIDNotUnique:
			t.Errorf("the new version breaks %s", v)
		}
	}
}

func TestVersionNumber(t *testing.T) {
	for v, want := range map[string]int{"1": 1, "12": 12, "0": 0, "05": 0, "-1": 0, "1.0": 0, "": 0, "99999999999999999999999": 0} {
		b := Base{Version: &VersionInfo{VersionName: &v}}
		n, ok := b.VersionNumber()
		if n != want || ok != (want > 0) {
			t.Errorf("%q: got %d, %v", v, n, ok)
		}
	}
	if _, ok := (&Base{}).VersionNumber(); ok {
		t.Error("no VersionInfo: ok")
	}
}
