package xds

import (
	"strings"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/oid"
	"github.com/dmpgen/dmpgen/runtime/uuid"
)

// ValidateQuery checks an ITI-18 stored query request (IHE ITI TF-2a
// 3.18.4.1.2.3: the query id, the returnType, and each parameter against
// the table of its query: name, presence, number of values, value
// syntax). Every violation has Object set to the query id and Attr to the
// parameter ("$XDSDocumentEntryStatus"; "$XDSDocumentEntryEventCodeList[2]"
// for its second slot, "$XDSDocumentEntryStatus.Value[2]" for the second
// Value of a slot); RequestErrorCode gives the registry error code a
// registry answers for it.
func ValidateQuery(q Query, o QueryOptions) Violations {
	c := newChecker(&Metadata{}, Options{Transaction: ITI18, Profile: o.Profile})
	obj := q.ID
	switch q.ReturnType {
	case ReturnLeafClass, ReturnObjectRef:
	case "":
		c.add(CodeUnknownReturnType, obj, p("returnType"), "no ResponseOption/@returnType (the ebRS default RegistryObject): want LeafClass or ObjectRef")
	default:
		c.add(CodeUnknownReturnType, obj, p("returnType"), "%q: want LeafClass or ObjectRef", q.ReturnType)
	}
	spec, known := storedQueries()[strings.ToLower(q.ID)]
	if !known {
		c.add(CodeUnknownQueryType, obj, path{}, "%q is not a stored query id of ITI TF-2a 3.18.4.1.2.3.7: use one of them (FindDocuments %s, GetDocuments %s…)", q.ID, QueryFindDocuments, QueryGetDocuments)
	}
	seen := map[string]int{}
	for _, prm := range q.Params {
		attr := p(prm.Name)
		ps, inSpec := spec.param(prm.Name)
		switch {
		case prm.Name == "":
			c.add(CodeMissingSlotName, obj, path{}, "an AdhocQuery slot without a name")
			continue
		case !strings.HasPrefix(prm.Name, "$"):
			c.add(CodeWrongQuerySlotName, obj, attr, "a stored query parameter name starts with '$'")
			continue
		case seen[prm.Name] > 0 && !(inSpec && ps.andOr):
			c.add(CodeDuplicateSlotName, obj, attr, "the parameter is given twice: put every value in one slot (only eventCodeList, confidentialityCode and the folder codeList take several slots, ANDed)")
			continue
		}
		seen[prm.Name]++
		if !known {
			continue
		}
		if !inSpec {
			c.add(CodeUnknownQueryParameter, obj, attr, "%s has no parameter %s", spec.name, prm.Name)
			continue
		}
		if n := seen[prm.Name]; n > 1 {
			attr = at(prm.Name, n-1)
		}
		c.queryParam(obj, ps, prm, attr, o)
	}
	if !known {
		return c.out
	}
	for _, ps := range spec.params {
		if ps.required && seen[ps.name] == 0 {
			c.add(CodeMissingRequiredQueryParameter, obj, p(ps.name), "%s requires %s", spec.name, ps.name)
		}
	}
	for _, group := range spec.oneOf {
		var given []string
		for _, n := range group {
			if seen[n] > 0 {
				given = append(given, n)
			}
		}
		switch {
		case len(given) == 0:
			c.add(CodeMissingRequiredQueryParameter, obj, p(group[0]), "%s requires one of %s", spec.name, strings.Join(group, ", "))
		case len(given) > 1:
			c.add(CodeQueryParametersCannotBeSetTogether, obj, p(given[1]), "%s takes only one of %s; %s and %s are given", spec.name, strings.Join(group, ", "), given[0], given[1])
		}
	}
	return c.out
}

func (s querySpec) param(name string) (paramSpec, bool) {
	for _, ps := range s.params {
		if ps.name == name {
			return ps, true
		}
	}
	return paramSpec{}, false
}

// queryParam checks the values of one parameter slot; slot names it (the
// second slot of an AND/OR parameter is name[2]).
func (c *checker) queryParam(obj string, ps paramSpec, prm QueryParam, slot path, o QueryOptions) {
	if len(prm.Values) == 0 {
		c.add(CodeEmptySlotValue, obj, slot, "the parameter has no Value")
		return
	}
	if ps.kind.single() && len(prm.Values) > 1 {
		c.add(CodeTooManyValuesForQueryParameter, obj, slot, "%d Value elements for a single-valued parameter", len(prm.Values))
		return
	}
	for i, raw := range prm.Values {
		attr := slot
		if len(prm.Values) > 1 {
			attr = slot.dot("Value", i+1)
		}
		v := strings.TrimSpace(raw)
		switch {
		case ps.kind == kindTime || ps.kind == kindLevel:
			c.queryNumber(obj, attr, ps.kind, v)
		case ps.kind.single():
			if items, isList := parseQueryList(v); isList && len(items) > 1 {
				c.add(CodeTooManyValuesForQueryParameter, obj, attr, "%d values for a single-valued parameter", len(items))
				continue
			}
			s, ok := parseQueryString(v)
			if !ok {
				c.add(CodeParameterValueNotString, obj, attr, "%q: want a quoted string such as 'value' (quotes in the value doubled)", raw)
				continue
			}
			c.queryValue(obj, attr, ps.kind, s, o)
		default:
			items, ok := parseQueryList(v)
			if !ok {
				c.add(CodeParameterValueNotStringList, obj, attr, "%q: want a list of quoted strings such as ('a','b')", raw)
				continue
			}
			if len(items) == 0 {
				c.add(CodeEmptyReferenceList, obj, attr, "the list () is empty: leave the parameter out or give a value")
				continue
			}
			for _, it := range items {
				c.queryValue(obj, attr, ps.kind, it, o)
			}
		}
	}
}

// queryNumber checks an unquoted numeric parameter: a time or the
// metadata level.
func (c *checker) queryNumber(obj string, attr path, k paramKind, v string) {
	if k == kindLevel {
		if v != "1" && v != "2" {
			c.add(CodeInvalidQueryParameterValue, obj, attr, "%q: $MetadataLevel is 1 or 2, unquoted", v)
		}
		return
	}
	// A time may be quoted (CP-ITI-1260), not a list.
	if s, ok := parseQueryString(v); ok {
		v = s
	}
	if _, err := hl7v2.ParseDTM(v); err != nil {
		c.add(CodeInvalidQueryParameterValue, obj, attr, "%q is not a time YYYY[MM[DD[hh[mm[ss]]]]]: %v", v, err)
	}
}

// queryValue checks one string value by its kind.
func (c *checker) queryValue(obj string, attr path, k paramKind, v string, o QueryOptions) {
	switch k {
	case kindPatient:
		if v == "" {
			c.add(CodeInvalidQueryParameterValue, obj, attr, "an empty patient id")
			return
		}
		c.cx(obj, attr, v)
	case kindUUID, kindUUIDs:
		if _, err := uuid.ParseURN(v); err != nil {
			c.add(CodeInvalidUUID, obj, attr, "%q is not a urn:uuid URN", v)
		}
	case kindHome:
		checkHome(c, obj, attr, v)
	case kindString, kindStrings:
		if v == "" {
			c.add(CodeInvalidQueryParameterValue, obj, attr, "an empty string")
		}
	case kindStatuses:
		switch v {
		case StatusApproved, StatusDeprecated:
		case StatusArchived, StatusDeleted:
			if o.Profile != hl7v2.DMP {
				c.add(CodeInvalidQueryParameterValue, obj, attr, "%q is a DMP status (profile DMP only)", v)
			}
		default:
			c.add(CodeInvalidQueryParameterValue, obj, attr, "%q is not an availability status (%s, %s)", v, StatusApproved, StatusDeprecated)
		}
	case kindCodes:
		parts := strings.Split(v, "^")
		if len(parts) != 3 || parts[0] == "" || parts[2] == "" {
			c.add(CodeInvalidQueryParameterValue, obj, attr, "%q is not a coded value code^^codingScheme", v)
		}
	case kindObjectTypes:
		if v != ObjectTypeStable && v != ObjectTypeOnDemand {
			c.add(CodeInvalidQueryParameterValue, obj, attr, "%q is not a DocumentEntry type (%s stable, %s on-demand)", v, ObjectTypeStable, ObjectTypeOnDemand)
		}
	case kindAssocTypes:
		known := false
		for _, t := range associationTypes {
			known = known || v == t
		}
		if !known {
			c.add(CodeInvalidQueryParameterValue, obj, attr, "%q is not an XDS association type", v)
		}
	}
}

// checkHome checks a homeCommunityId: urn:oid: followed by an OID.
func checkHome(c *checker, obj string, attr path, v string) {
	o, ok := strings.CutPrefix(v, "urn:oid:")
	if !ok || !oid.Valid(o) {
		c.add(CodeInvalidHomeCommunityID, obj, attr, "%q is not urn:oid: followed by an OID", v)
	}
}

// parseQueryString reads a quoted string parameter value 'v' (a quote
// inside doubled); ok is false when v is not one.
func parseQueryString(v string) (string, bool) {
	if len(v) < 2 || v[0] != '\'' || v[len(v)-1] != '\'' {
		return "", false
	}
	s, rest, ok := scanQuoted(v)
	return s, ok && rest == ""
}

// scanQuoted reads a quoted string at the start of v and returns it
// unescaped with the text after it.
func scanQuoted(v string) (s, rest string, ok bool) {
	if v == "" || v[0] != '\'' {
		return "", v, false
	}
	var b strings.Builder
	for i := 1; i < len(v); i++ {
		if v[i] != '\'' {
			b.WriteByte(v[i])
			continue
		}
		if i+1 < len(v) && v[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), v[i+1:], true
	}
	return "", v, false
}

// parseQueryList reads a list parameter value ('a', 'b'); isList is false
// when v is not a parenthesized list of quoted strings.
func parseQueryList(v string) (items []string, isList bool) {
	if len(v) < 2 || v[0] != '(' || v[len(v)-1] != ')' {
		return nil, false
	}
	rest := strings.TrimSpace(v[1 : len(v)-1])
	if rest == "" {
		return []string{}, true
	}
	for {
		s, after, ok := scanQuoted(rest)
		if !ok {
			return nil, false
		}
		items = append(items, s)
		after = strings.TrimSpace(after)
		if after == "" {
			return items, true
		}
		if after[0] != ',' {
			return nil, false
		}
		rest = strings.TrimSpace(after[1:])
	}
}
