package xdsrim

import (
	"testing"

	"github.com/dmpgen/dmpgen/generated/xds/rim"
)

// TestReserveCountsExactly maps objects of every kind, with slots, texts,
// classifications and identifiers nested in each other, and checks that
// reserve sized every block at what the mapping took: nothing left over,
// nothing allocated after.
func TestReserveCountsExactly(t *testing.T) {
	str := func(s string) *string { return &s }
	slots := func(values ...int) []rim.SlotType1 {
		var ss []rim.SlotType1
		for i, n := range values {
			vl := &rim.ValueListType{}
			for range n {
				vl.Sequence = append(vl.Sequence, rim.ValueListTypeSequence{Value: str("v")})
			}
			ss = append(ss, rim.SlotType1{Name: "s" + string(rune('a'+i)), ValueList: vl})
		}
		return ss
	}
	text := func(n int) *rim.InternationalStringType {
		t := &rim.InternationalStringType{}
		for range n {
			t.Sequence = append(t.Sequence, rim.InternationalStringTypeSequence{LocalizedString: &rim.LocalizedStringType{Value: "x"}})
		}
		return t
	}
	class := func(id string) rim.ClassificationType {
		return rim.ClassificationType{Id: id, ClassifiedObject: "e", ClassificationScheme: str("urn:uuid:s"),
			NodeRepresentation: str("n"), Slot: slots(1, 2), Name: text(1),
			ExternalIdentifier: []rim.ExternalIdentifierType{{Id: id + "x", RegistryObject: id, IdentificationScheme: "urn:uuid:i", Value: "v", Name: text(2)}}}
	}
	nested := class("c1")
	nested.Classification = []rim.ClassificationType{class("c2")}
	top := class("c3")
	list := []rim.IdentifiableChoice{
		{ExtrinsicObject: &rim.ExtrinsicObjectType{Id: "e", Slot: slots(3, 1, 0), Name: text(2), Description: text(1),
			Classification:     []rim.ClassificationType{nested, class("c4")},
			ExternalIdentifier: []rim.ExternalIdentifierType{{Id: "x1", RegistryObject: "e", IdentificationScheme: "urn:uuid:i", Value: "v", Slot: slots(2)}}}},
		{RegistryPackage: &rim.RegistryPackageType{Id: "p", Slot: slots(1), Name: text(1),
			Classification: []rim.ClassificationType{class("c5")}}},
		{Association: &rim.AssociationType1{Id: "a", AssociationType: "t", SourceObject: "p", TargetObject: "e", Slot: slots(2)}},
		{Classification: &top},
		{ExternalIdentifier: &rim.ExternalIdentifierType{Id: "x2", RegistryObject: "e", IdentificationScheme: "urn:uuid:i", Value: "v", Slot: slots(1)}},
		{ObjectRef: &rim.ObjectRefType{Id: "o", Slot: slots(2, 2)}},
	}
	var b builder
	objs, err := b.fromList(list)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != len(list) {
		t.Fatalf("%d objects, want %d", len(objs), len(list))
	}
	for name, left := range map[string]int{
		"slots": len(b.slots.free), "values": len(b.values.free), "strings": len(b.strings.free),
		"classes": len(b.classes.free), "cptrs": len(b.cptrs.free), "ids": len(b.ids.free), "iptrs": len(b.iptrs.free),
	} {
		if left != 0 {
			t.Errorf("block %s: %d elements reserved and not taken", name, left)
		}
	}
	for name, next := range map[string]int{
		"slots": b.slots.next, "values": b.values.next, "strings": b.strings.next,
		"classes": b.classes.next, "cptrs": b.cptrs.next, "ids": b.ids.next, "iptrs": b.iptrs.next,
	} {
		if next != 0 {
			t.Errorf("block %s grew after reserve (next chunk %d)", name, next)
		}
	}
}
