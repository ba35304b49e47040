//go:build dmpgen_template

package xdsrim

import (
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// ToRIM converts ebRIM objects of the model into a RegistryObjectList. The
// result shares strings and pointers with objs.
func ToRIM(objs []*xds.RegistryObject) *rim.RegistryObjectListType {
	list := &rim.RegistryObjectListType{Identifiable: make([]rim.IdentifiableChoice, len(objs))}
	for i, o := range objs {
		c := &list.Identifiable[i]
		switch o.Kind {
		case xds.KindExtrinsicObject:
			c.ExtrinsicObject = &rim.ExtrinsicObjectType{
				Id: o.ID, Home: o.Home, Lid: o.LogicalID, ObjectType: o.ObjectType, Status: o.Status,
				MimeType: o.MimeType, IsOpaque: o.IsOpaque,
				Slot: toSlots(o.Slots), Name: toText(o.Name), Description: toText(o.Description),
				VersionInfo:    toVersion(o.VersionInfo),
				Classification: toClassifications(o.Classifications), ExternalIdentifier: toIdentifiers(o.ExternalIdentifiers),
				ContentVersionInfo: toVersion(o.ContentVersionInfo),
			}
		case xds.KindRegistryPackage:
			c.RegistryPackage = &rim.RegistryPackageType{
				Id: o.ID, Home: o.Home, Lid: o.LogicalID, ObjectType: o.ObjectType, Status: o.Status,
				Slot: toSlots(o.Slots), Name: toText(o.Name), Description: toText(o.Description),
				VersionInfo:    toVersion(o.VersionInfo),
				Classification: toClassifications(o.Classifications), ExternalIdentifier: toIdentifiers(o.ExternalIdentifiers),
			}
		case xds.KindAssociation:
			c.Association = &rim.AssociationType1{
				Id: o.ID, Home: o.Home, Lid: o.LogicalID, ObjectType: o.ObjectType, Status: o.Status,
				AssociationType: o.AssociationType, SourceObject: o.SourceObject, TargetObject: o.TargetObject,
				Slot: toSlots(o.Slots), Name: toText(o.Name), Description: toText(o.Description),
				VersionInfo:    toVersion(o.VersionInfo),
				Classification: toClassifications(o.Classifications), ExternalIdentifier: toIdentifiers(o.ExternalIdentifiers),
			}
		case xds.KindObjectRef:
			c.ObjectRef = &rim.ObjectRefType{Id: o.ID, Home: o.Home, CreateReplica: o.CreateReplica, Slot: toSlots(o.Slots)}
		case xds.KindClassification:
			c.Classification = new(rim.ClassificationType)
			toClassification(c.Classification, o.Classification)
		case xds.KindExternalIdentifier:
			c.ExternalIdentifier = new(rim.ExternalIdentifierType)
			toIdentifier(c.ExternalIdentifier, o.ExternalIdentifier)
		}
	}
	return list
}

func toClassifications(cs []*xds.Classification) []rim.ClassificationType {
	if len(cs) == 0 {
		return nil
	}
	out := make([]rim.ClassificationType, len(cs))
	for i, c := range cs {
		toClassification(&out[i], c)
	}
	return out
}

func toClassification(out *rim.ClassificationType, c *xds.Classification) {
	*out = rim.ClassificationType{
		Id: c.ID, Home: c.Home, Lid: c.LogicalID, ObjectType: c.ObjectType, Status: c.Status,
		ClassificationScheme: c.Scheme, ClassifiedObject: c.ClassifiedObject, ClassificationNode: c.Node,
		NodeRepresentation: c.NodeRepresentation,
		Slot:               toSlots(c.Slots), Name: toText(c.Name), Description: toText(c.Description),
		VersionInfo:    toVersion(c.VersionInfo),
		Classification: toClassifications(c.Classifications), ExternalIdentifier: toIdentifiers(c.ExternalIdentifiers),
	}
}

func toIdentifiers(es []*xds.ExternalIdentifier) []rim.ExternalIdentifierType {
	if len(es) == 0 {
		return nil
	}
	out := make([]rim.ExternalIdentifierType, len(es))
	for i, e := range es {
		toIdentifier(&out[i], e)
	}
	return out
}

func toIdentifier(out *rim.ExternalIdentifierType, e *xds.ExternalIdentifier) {
	*out = rim.ExternalIdentifierType{
		Id: e.ID, Home: e.Home, Lid: e.LogicalID, ObjectType: e.ObjectType, Status: e.Status,
		RegistryObject: e.RegistryObject, IdentificationScheme: e.Scheme, Value: e.Value,
		Slot: toSlots(e.Slots), Name: toText(e.Name), Description: toText(e.Description),
		VersionInfo:    toVersion(e.VersionInfo),
		Classification: toClassifications(e.Classifications), ExternalIdentifier: toIdentifiers(e.ExternalIdentifiers),
	}
}

func toSlots(ss []xds.Slot) []rim.SlotType1 {
	if len(ss) == 0 {
		return nil
	}
	out := make([]rim.SlotType1, len(ss))
	lists := make([]rim.ValueListType, len(ss))
	for i := range ss {
		seq := make([]rim.ValueListTypeSequence, len(ss[i].Values))
		for j := range ss[i].Values {
			seq[j].Value = &ss[i].Values[j]
		}
		lists[i].Sequence = seq
		out[i] = rim.SlotType1{Name: ss[i].Name, SlotType: ss[i].Type, ValueList: &lists[i]}
	}
	return out
}

func toText(t xds.Text) *rim.InternationalStringType {
	if t == nil {
		return nil
	}
	out := &rim.InternationalStringType{Sequence: make([]rim.InternationalStringTypeSequence, len(t))}
	ls := make([]rim.LocalizedStringType, len(t))
	for i := range t {
		ls[i] = rim.LocalizedStringType{Value: t[i].Value, Lang: t[i].Lang, Charset: t[i].Charset}
		out.Sequence[i].LocalizedString = &ls[i]
	}
	return out
}

func toVersion(v *xds.VersionInfo) *rim.VersionInfoType {
	if v == nil {
		return nil
	}
	return &rim.VersionInfoType{VersionName: v.VersionName, Comment: v.Comment}
}
