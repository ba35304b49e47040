//go:build dmpgen_template

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
// path of the offending element (a *MappingError): ebRIM objects XDS does
// not use (Person, Service, ...), xsi:type/xsi:nil on metadata elements, a
// Slot without a ValueList, a RegistryPackage with a nested
// RegistryObjectList.
//
// RegistryResponse and QueryResponse extract the status part of a response
// for xds.ValidateResponse; DMPValueSets and CISISValueSets give
// xds.Options.ValueSets; CodeOf turns a value-set constant into an xds.Code.
package xdsrim

import (
	"fmt"
	"strconv"

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

// loc is the position of an element in a RegistryObjectList, built on
// the stack while mapping and turned into a path only for an error.
type loc struct {
	up   *loc
	elem string // element name, with its index or id
	i    int    // 1-based index among its siblings, 0 when not indexed
	id   string // its id, "" when none
}

func (l *loc) String() string {
	if l == nil {
		return "RegistryObjectList"
	}
	s := l.up.String() + "/" + l.elem
	if l.i > 0 {
		s += "[" + strconv.Itoa(l.i) + "]"
	}
	if l.id != "" {
		s += " " + strconv.Quote(l.id)
	}
	return s
}

// MappingError is a part of a RegistryObjectList the model cannot hold,
// with the path of its element.
type MappingError struct {
	Path string
	Msg  string
}

func (e *MappingError) Error() string { return e.Path + ": " + e.Msg }

func errAt(l *loc, format string, args ...any) error {
	return &MappingError{Path: l.String(), Msg: fmt.Sprintf(format, args...)}
}

// xsiCheck fails on the xsi attributes the model does not keep.
func xsiCheck(l *loc, nilled, typed bool, hints int) error {
	switch {
	case nilled:
		return errAt(l, "xsi:nil is not supported in XDS metadata")
	case typed:
		return errAt(l, "xsi:type is not supported in XDS metadata")
	case hints > 0:
		return errAt(l, "xsi:schemaLocation hints are not supported inside XDS metadata")
	}
	return nil
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
