// Package xdsrim maps the XDS metadata model of runtime/xds to and from the
// ebRIM 3.0 bindings generated from the DMP annex (generated/xds/rim), and
// binds the CI-SIS and DMP value sets (generated/valuesets) to the coded
// XDS attributes for xds.Validate.
//
// The model lives in runtime/xds, which must not import generated code;
// this package is the bridge. The mapping is lossless: Decode followed by
// Encode gives back the same RegistryObjectList (same elements, attributes
// and order), extra slots, unknown classifications and unused ebRIM
// attributes included. What the model cannot hold fails loudly with the
// path of the offending element: ebRIM objects XDS does not use (Person,
// Service, ...), xsi:type/xsi:nil on metadata elements, a Slot without a
// ValueList, a RegistryPackage with a nested RegistryObjectList.
package xdsrim

import (
	"fmt"

	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// Decode reads a RegistryObjectList as XDS metadata.
func Decode(list *rim.RegistryObjectListType) (*xds.Metadata, error) {
	objs, err := FromRIM(list)
	if err != nil {
		return nil, err
	}
	m, err := xds.Lift(objs)
	if err != nil {
		return nil, fmt.Errorf("RegistryObjectList: %w", err)
	}
	return m, nil
}

// Encode writes XDS metadata as a RegistryObjectList.
func Encode(m *xds.Metadata) *rim.RegistryObjectListType {
	return ToRIM(m.Lower())
}

// pathError is a mapping failure at an element path.
type pathError struct {
	path string
	msg  string
}

func (e *pathError) Error() string { return e.path + ": " + e.msg }

func errAt(path, format string, args ...any) error {
	return &pathError{path: path, msg: fmt.Sprintf(format, args...)}
}

// xsiCheck fails on the xsi attributes the model does not keep.
func xsiCheck(path string, nilled, typed bool, hints int) error {
	switch {
	case nilled:
		return errAt(path, "xsi:nil is not supported in XDS metadata")
	case typed:
		return errAt(path, "xsi:type is not supported in XDS metadata")
	case hints > 0:
		return errAt(path, "xsi:schemaLocation hints are not supported inside XDS metadata")
	}
	return nil
}

// FromRIM converts a RegistryObjectList into ebRIM objects of the model.
func FromRIM(list *rim.RegistryObjectListType) ([]*xds.RegistryObject, error) {
	const path = "RegistryObjectList"
	if list == nil {
		return nil, errAt(path, "missing")
	}
	if err := xsiCheck(path, list.XSINil, list.XSIType, len(list.XSIHints)); err != nil {
		return nil, err
	}
	out := make([]*xds.RegistryObject, 0, len(list.Identifiable))
	for i := range list.Identifiable {
		o, err := fromChoice(&list.Identifiable[i], fmt.Sprintf("%s/*[%d]", path, i+1))
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func fromChoice(c *rim.IdentifiableChoice, path string) (*xds.RegistryObject, error) {
	switch {
	case c.ExtrinsicObject != nil:
		return fromExtrinsic(c.ExtrinsicObject, path)
	case c.RegistryPackage != nil:
		return fromPackage(c.RegistryPackage, path)
	case c.Association != nil:
		return fromAssociation(c.Association, path)
	case c.Classification != nil:
		cl, err := fromClassification(c.Classification, path)
		if err != nil {
			return nil, err
		}
		return &xds.RegistryObject{Kind: xds.KindClassification, Classification: cl}, nil
	case c.ExternalIdentifier != nil:
		ei, err := fromIdentifier(c.ExternalIdentifier, path)
		if err != nil {
			return nil, err
		}
		return &xds.RegistryObject{Kind: xds.KindExternalIdentifier, ExternalIdentifier: ei}, nil
	case c.ObjectRef != nil:
		return fromObjectRef(c.ObjectRef, path)
	}
	return nil, errAt(path, "%s is not an XDS metadata object (ExtrinsicObject, RegistryPackage, Association, Classification, ExternalIdentifier or ObjectRef)", choiceName(c))
}

// choiceName names the element an unsupported choice holds.
func choiceName(c *rim.IdentifiableChoice) string {
	switch {
	case c.Identifiable != nil:
		return "rim:Identifiable"
	case c.AdhocQuery != nil:
		return "rim:AdhocQuery"
	case c.AuditableEvent != nil:
		return "rim:AuditableEvent"
	case c.ClassificationNode != nil:
		return "rim:ClassificationNode"
	case c.ClassificationScheme != nil:
		return "rim:ClassificationScheme"
	case c.ExternalLink != nil:
		return "rim:ExternalLink"
	case c.Federation != nil:
		return "rim:Federation"
	case c.Organization != nil:
		return "rim:Organization"
	case c.Person != nil:
		return "rim:Person"
	case c.Registry != nil:
		return "rim:Registry"
	case c.RegistryObject != nil:
		return "rim:RegistryObject"
	case c.Service != nil:
		return "rim:Service"
	case c.ServiceBinding != nil:
		return "rim:ServiceBinding"
	case c.SpecificationLink != nil:
		return "rim:SpecificationLink"
	case c.Subscription != nil:
		return "rim:Subscription"
	case c.User != nil:
		return "rim:User"
	}
	return "an empty choice"
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

func fromParts(r *registryObject, p *xds.Parts, path string) error {
	if err := xsiCheck(path, r.xsiNil, r.xsiType, r.xsiHints); err != nil {
		return err
	}
	p.ID, p.Home, p.LogicalID, p.ObjectType, p.Status = r.id, r.home, r.lid, r.objType, r.stat
	var err error
	if p.Slots, err = fromSlots(r.slots, path); err != nil {
		return err
	}
	if p.Name, err = fromText(r.name, path+"/Name"); err != nil {
		return err
	}
	if p.Description, err = fromText(r.desc, path+"/Description"); err != nil {
		return err
	}
	if p.VersionInfo, err = fromVersion(r.version, path+"/VersionInfo"); err != nil {
		return err
	}
	if p.Classifications, err = fromClassifications(r.classifications, path); err != nil {
		return err
	}
	p.ExternalIdentifiers, err = fromIdentifiers(r.identifiers, path)
	return err
}

func fromExtrinsic(e *rim.ExtrinsicObjectType, path string) (*xds.RegistryObject, error) {
	path = fmt.Sprintf("%s ExtrinsicObject %q", path, e.Id)
	o := &xds.RegistryObject{Kind: xds.KindExtrinsicObject, MimeType: e.MimeType, IsOpaque: e.IsOpaque}
	r := registryObject{e.Id, e.Home, e.Lid, e.ObjectType, e.Status, e.Slot, e.Name, e.Description, e.VersionInfo,
		e.Classification, e.ExternalIdentifier, e.XSINil, e.XSIType, len(e.XSIHints)}
	if err := fromParts(&r, &o.Parts, path); err != nil {
		return nil, err
	}
	var err error
	o.ContentVersionInfo, err = fromVersion(e.ContentVersionInfo, path+"/ContentVersionInfo")
	return o, err
}

func fromPackage(p *rim.RegistryPackageType, path string) (*xds.RegistryObject, error) {
	path = fmt.Sprintf("%s RegistryPackage %q", path, p.Id)
	if p.RegistryObjectList != nil {
		return nil, errAt(path, "a RegistryPackage holding a RegistryObjectList is not supported in XDS metadata")
	}
	o := &xds.RegistryObject{Kind: xds.KindRegistryPackage}
	r := registryObject{p.Id, p.Home, p.Lid, p.ObjectType, p.Status, p.Slot, p.Name, p.Description, p.VersionInfo,
		p.Classification, p.ExternalIdentifier, p.XSINil, p.XSIType, len(p.XSIHints)}
	return o, fromParts(&r, &o.Parts, path)
}

func fromAssociation(a *rim.AssociationType1, path string) (*xds.RegistryObject, error) {
	path = fmt.Sprintf("%s Association %q", path, a.Id)
	o := &xds.RegistryObject{Kind: xds.KindAssociation, AssociationType: a.AssociationType, SourceObject: a.SourceObject, TargetObject: a.TargetObject}
	r := registryObject{a.Id, a.Home, a.Lid, a.ObjectType, a.Status, a.Slot, a.Name, a.Description, a.VersionInfo,
		a.Classification, a.ExternalIdentifier, a.XSINil, a.XSIType, len(a.XSIHints)}
	return o, fromParts(&r, &o.Parts, path)
}

func fromObjectRef(r *rim.ObjectRefType, path string) (*xds.RegistryObject, error) {
	path = fmt.Sprintf("%s ObjectRef %q", path, r.Id)
	if err := xsiCheck(path, r.XSINil, r.XSIType, len(r.XSIHints)); err != nil {
		return nil, err
	}
	slots, err := fromSlots(r.Slot, path)
	if err != nil {
		return nil, err
	}
	return &xds.RegistryObject{Kind: xds.KindObjectRef, Parts: xds.Parts{ID: r.Id, Home: r.Home, Slots: slots}, CreateReplica: r.CreateReplica}, nil
}

func fromClassifications(cs []rim.ClassificationType, path string) ([]*xds.Classification, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	out := make([]*xds.Classification, len(cs))
	block := make([]xds.Classification, len(cs))
	for i := range cs {
		if err := fillClassification(&block[i], &cs[i], fmt.Sprintf("%s/Classification[%d]", path, i+1)); err != nil {
			return nil, err
		}
		out[i] = &block[i]
	}
	return out, nil
}

func fromClassification(c *rim.ClassificationType, path string) (*xds.Classification, error) {
	out := new(xds.Classification)
	return out, fillClassification(out, c, path+" Classification")
}

func fillClassification(out *xds.Classification, c *rim.ClassificationType, path string) error {
	*out = xds.Classification{Scheme: c.ClassificationScheme, ClassifiedObject: c.ClassifiedObject,
		Node: c.ClassificationNode, NodeRepresentation: c.NodeRepresentation}
	r := registryObject{c.Id, c.Home, c.Lid, c.ObjectType, c.Status, c.Slot, c.Name, c.Description, c.VersionInfo,
		c.Classification, c.ExternalIdentifier, c.XSINil, c.XSIType, len(c.XSIHints)}
	return fromParts(&r, &out.Parts, path)
}

func fromIdentifiers(es []rim.ExternalIdentifierType, path string) ([]*xds.ExternalIdentifier, error) {
	if len(es) == 0 {
		return nil, nil
	}
	out := make([]*xds.ExternalIdentifier, len(es))
	block := make([]xds.ExternalIdentifier, len(es))
	for i := range es {
		if err := fillIdentifier(&block[i], &es[i], fmt.Sprintf("%s/ExternalIdentifier[%d]", path, i+1)); err != nil {
			return nil, err
		}
		out[i] = &block[i]
	}
	return out, nil
}

func fromIdentifier(e *rim.ExternalIdentifierType, path string) (*xds.ExternalIdentifier, error) {
	out := new(xds.ExternalIdentifier)
	return out, fillIdentifier(out, e, path+" ExternalIdentifier")
}

func fillIdentifier(out *xds.ExternalIdentifier, e *rim.ExternalIdentifierType, path string) error {
	*out = xds.ExternalIdentifier{RegistryObject: e.RegistryObject, Scheme: e.IdentificationScheme, Value: e.Value}
	r := registryObject{e.Id, e.Home, e.Lid, e.ObjectType, e.Status, e.Slot, e.Name, e.Description, e.VersionInfo,
		e.Classification, e.ExternalIdentifier, e.XSINil, e.XSIType, len(e.XSIHints)}
	return fromParts(&r, &out.Parts, path)
}

func fromSlots(ss []rim.SlotType1, path string) ([]xds.Slot, error) {
	if len(ss) == 0 {
		return nil, nil
	}
	out := make([]xds.Slot, len(ss))
	n := 0
	for i := range ss {
		if vl := ss[i].ValueList; vl != nil {
			n += len(vl.Sequence)
		}
	}
	values := make([]string, n) // one block for every value of the list
	for i := range ss {
		s := &ss[i]
		p := fmt.Sprintf("%s/Slot[%d]", path, i+1)
		if err := xsiCheck(p, s.XSINil, s.XSIType, len(s.XSIHints)); err != nil {
			return nil, err
		}
		if s.ValueList == nil {
			return nil, errAt(p, "Slot %q without a ValueList", s.Name)
		}
		vl := s.ValueList
		if err := xsiCheck(p+"/ValueList", vl.XSINil, vl.XSIType, len(vl.XSIHints)); err != nil {
			return nil, err
		}
		vs := values[:len(vl.Sequence):len(vl.Sequence)]
		values = values[len(vl.Sequence):]
		for j := range vl.Sequence {
			if vl.Sequence[j].Value == nil {
				return nil, errAt(p, "Slot %q: empty ValueList entry %d", s.Name, j+1)
			}
			vs[j] = *vl.Sequence[j].Value
		}
		out[i] = xds.Slot{Name: s.Name, Type: s.SlotType, Values: vs}
	}
	return out, nil
}

func fromText(t *rim.InternationalStringType, path string) (xds.Text, error) {
	if t == nil {
		return nil, nil
	}
	if err := xsiCheck(path, t.XSINil, t.XSIType, len(t.XSIHints)); err != nil {
		return nil, err
	}
	out := make(xds.Text, len(t.Sequence))
	for i := range t.Sequence {
		ls := t.Sequence[i].LocalizedString
		if ls == nil {
			return nil, errAt(path, "empty InternationalString entry %d", i+1)
		}
		if err := xsiCheck(fmt.Sprintf("%s/LocalizedString[%d]", path, i+1), ls.XSINil, ls.XSIType, len(ls.XSIHints)); err != nil {
			return nil, err
		}
		out[i] = xds.LocalizedString{Value: ls.Value, Lang: ls.Lang, Charset: ls.Charset}
	}
	return out, nil
}

func fromVersion(v *rim.VersionInfoType, path string) (*xds.VersionInfo, error) {
	if v == nil {
		return nil, nil
	}
	if err := xsiCheck(path, v.XSINil, v.XSIType, len(v.XSIHints)); err != nil {
		return nil, err
	}
	return &xds.VersionInfo{VersionName: v.VersionName, Comment: v.Comment}, nil
}
