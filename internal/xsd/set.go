package xsd

import (
	"sort"
)

// LookupType returns the named type: a schema-defined type or a built-in one
// (xs:anyType is a *ComplexType, the other built-ins *SimpleType with Builtin set).
func (s *Set) LookupType(q QName) (Type, bool) {
	t, ok := s.Types[q]
	return t, ok
}

// LookupElement returns the global element declaration named q.
func (s *Set) LookupElement(q QName) (*Element, bool) {
	e, ok := s.Elements[q]
	return e, ok
}

// LookupAttribute returns the global attribute declaration named q.
func (s *Set) LookupAttribute(q QName) (*Attribute, bool) {
	a, ok := s.Attributes[q]
	return a, ok
}

// LookupGroup returns the model group definition named q.
func (s *Set) LookupGroup(q QName) (*Group, bool) {
	g, ok := s.Groups[q]
	return g, ok
}

// LookupAttributeGroup returns the attribute group definition named q.
func (s *Set) LookupAttributeGroup(q QName) (*AttributeGroup, bool) {
	g, ok := s.AttributeGroups[q]
	return g, ok
}

// SubstitutionMembers returns the elements that may substitute for head,
// directly or transitively, sorted by name; head itself is not included.
func (s *Set) SubstitutionMembers(head QName) []*Element {
	seen := map[QName]bool{head: true}
	var out []*Element
	queue := []QName{head}
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		for _, e := range s.Substitutes[q] {
			if !seen[e.Name] {
				seen[e.Name] = true
				out = append(out, e)
				queue = append(queue, e.Name)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name.Less(out[j].Name) })
	return out
}

// ElementNames returns the names of the global elements, sorted.
func (s *Set) ElementNames() []QName { return sortedKeys(s.Elements) }

// TypeNames returns the names of all types, built-ins included, sorted.
func (s *Set) TypeNames() []QName { return sortedKeys(s.Types) }

// AttributeNames returns the names of the global attributes, sorted.
func (s *Set) AttributeNames() []QName { return sortedKeys(s.Attributes) }

// GroupNames returns the names of the model group definitions, sorted.
func (s *Set) GroupNames() []QName { return sortedKeys(s.Groups) }

// AttributeGroupNames returns the names of the attribute group definitions, sorted.
func (s *Set) AttributeGroupNames() []QName { return sortedKeys(s.AttributeGroups) }

func sortedKeys[V any](m map[QName]V) []QName {
	out := make([]QName, 0, len(m))
	for q := range m {
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Less(out[j]) })
	return out
}
