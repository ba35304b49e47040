package hl7v2

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Code is the stable code of a parse or validation failure.
type Code string

// Parse failure codes.
const (
	CodeInvalidEscape        Code = "INVALID_ESCAPE"         // unknown or unterminated escape sequence
	CodeUnescapedDelimiter   Code = "UNESCAPED_DELIMITER"    // raw '|' or '~' inside a value
	CodeTooManyComponents    Code = "TOO_MANY_COMPONENTS"    // more components than the datatype defines
	CodeTooManySubcomponents Code = "TOO_MANY_SUBCOMPONENTS" // more subcomponents than the component defines
	CodeInvalidTime          Code = "INVALID_TIME"           // DTM not YYYY[MM[DD[hh[mm[ss]]]]] or out of range
	CodeInvalidNumberFormat  Code = "INVALID_NUMBER_FORMAT"  // NM component that is not a number
)

// Validation failure codes (names from IPF's ValidationMessage).
const (
	CodeCXNeedsID                     Code = "CX_NEEDS_ID"
	CodeCXTooManyComponents           Code = "CX_TOO_MANY_COMPONENTS"
	CodeCXiNeedsIDTypeCode            Code = "CXI_NEEDS_ID_TYPE_CODE"
	CodeCXiTooManyComponents          Code = "CXI_TOO_MANY_COMPONENTS"
	CodeCXiIncompleteAssigningAuth    Code = "CXI_INCOMPLETE_ASSIGNING_AUTHORITY"
	CodeHDMustNotHaveNamespaceID      Code = "HD_MUST_NOT_HAVE_NAMESPACE_ID"
	CodeHDNeedsUniversalID            Code = "HD_NEEDS_UNIVERSAL_ID"
	CodeUniversalIDTypeMustBeISO      Code = "UNIVERSAL_ID_TYPE_MUST_BE_ISO"
	CodeInvalidOID                    Code = "INVALID_OID"
	CodeOIDTooLong                    Code = "OID_TOO_LONG"
	CodePersonMissingNameAndID        Code = "PERSON_MISSING_NAME_AND_ID"
	CodePersonHDMissing               Code = "PERSON_HD_MISSING"
	CodeOrganizationNameMissing       Code = "ORGANIZATION_NAME_MISSING"
	CodeOrganizationTooManyComponents Code = "ORGANIZATION_TOO_MANY_COMPONENTS"
	CodeWrongTelecomUse               Code = "WRONG_TELECOM_USE"
	CodeWrongTelecomType              Code = "WRONG_TELECOM_TYPE"
	CodeMissingTelecomParam           Code = "MISSING_TELECOM_PARAM"
	CodeInconsistentTelecomParam      Code = "INCONSISTENT_TELECOM_PARAM"
	// CWE codes are dmpgen's own: IPF has no CWE validator.
	CodeCWENeedsIdentifier   Code = "CWE_NEEDS_IDENTIFIER"
	CodeCWENeedsCodingSystem Code = "CWE_NEEDS_CODING_SYSTEM"
	CodeCWENeedsText         Code = "CWE_NEEDS_TEXT"
)

// Error is a parse or validation failure at a position inside a value.
type Error struct {
	Code Code
	// Type is the datatype being parsed or validated ("CX", "XCN", ...).
	Type string
	// Component and Subcomponent are 1-based; 0 means the whole value or
	// the whole component.
	Component, Subcomponent int
	// Offset is the byte offset in the parsed text (parse errors only), -1
	// when not applicable.
	Offset int
	// Detail explains the failure.
	Detail string
}

// Where returns the position as "CX.4.2" (datatype, component, subcomponent).
func (e *Error) Where() string {
	var b strings.Builder
	b.WriteString(e.Type)
	if e.Component > 0 {
		b.WriteByte('.')
		b.WriteString(strconv.Itoa(e.Component))
		if e.Subcomponent > 0 {
			b.WriteByte('.')
			b.WriteString(strconv.Itoa(e.Subcomponent))
		}
	}
	return b.String()
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s: %s: %s", e.Where(), e.Code, e.Detail)
	if e.Offset >= 0 {
		s += fmt.Sprintf(" (at byte %d)", e.Offset)
	}
	return s
}

// Errors is the list of failures a validator found. It unwraps to its
// elements, so errors.As(err, &e) with e an *Error finds the first one.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap returns the elements.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Has reports whether the list contains a failure with the code.
func (es Errors) Has(c Code) bool {
	for _, e := range es {
		if e.Code == c {
			return true
		}
	}
	return false
}

// err returns the list as an error, nil when empty.
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// sort orders the list by component, subcomponent and code.
func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b *Error) int {
		if a.Component != b.Component {
			return a.Component - b.Component
		}
		if a.Subcomponent != b.Subcomponent {
			return a.Subcomponent - b.Subcomponent
		}
		return strings.Compare(string(a.Code), string(b.Code))
	})
}
