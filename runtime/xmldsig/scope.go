package xmldsig

import "github.com/beevik/etree"

type binding struct{ prefix, uri string }

// scope is a stack of namespace bindings with constant-time lookup by
// prefix, whatever the number of bindings: each prefix keeps a chain of its
// bindings, undone by popTo.
type scope struct {
	items []binding
	prev  []int32
	top   map[string]int32
	work  int64 // lookups and undo steps (resource-bound tests)
}

func newScope() *scope { return &scope{top: make(map[string]int32, 16)} }

func (s *scope) push(b binding) {
	old, ok := s.top[b.prefix]
	if !ok {
		old = -1
	}
	s.top[b.prefix] = int32(len(s.items))
	s.items = append(s.items, b)
	s.prev = append(s.prev, old)
}

// mark returns the current depth of the stack, for popTo.
func (s *scope) mark() int { return len(s.items) }

// popTo removes the bindings pushed since mark.
func (s *scope) popTo(mark int) {
	for i := len(s.items) - 1; i >= mark; i-- {
		s.work++
		if p := s.prev[i]; p >= 0 {
			s.top[s.items[i].prefix] = p
		} else {
			delete(s.top, s.items[i].prefix)
		}
	}
	s.items, s.prev = s.items[:mark], s.prev[:mark]
}

// lookup finds the innermost binding of prefix; ok is false when unbound.
func (s *scope) lookup(prefix string) (string, bool) {
	s.work++
	if i, ok := s.top[prefix]; ok {
		return s.items[i].uri, true
	}
	return "", false
}

// pushDecls pushes the namespace declarations made on el.
func (s *scope) pushDecls(el *etree.Element) {
	for _, a := range el.Attr {
		switch {
		case a.Space == "xmlns":
			s.push(binding{a.Key, a.Value})
		case a.Space == "" && a.Key == "xmlns":
			s.push(binding{"", a.Value})
		}
	}
}

// pushAncestors pushes the declarations of el's ancestors, outermost first.
func (s *scope) pushAncestors(el *etree.Element) {
	var chain []*etree.Element
	for a := el.Parent(); a != nil; a = a.Parent() {
		chain = append(chain, a)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		s.pushDecls(chain[i])
	}
}

// space resolves the prefix of el's name in s ("xml" included).
func (s *scope) space(el *etree.Element) string {
	if el.Space == "xml" {
		return NamespaceXML
	}
	uri, _ := s.lookup(el.Space)
	return uri
}

// walkNS calls f for el and each element below it, in document order, with
// the namespace of its name; s holds the bindings in scope above el. It costs
// one lookup per element, however many declarations are in scope.
func walkNS(el *etree.Element, s *scope, f func(e *etree.Element, space string)) {
	m := s.mark()
	s.pushDecls(el)
	f(el, s.space(el))
	for _, c := range el.Child {
		if c, ok := c.(*etree.Element); ok {
			walkNS(c, s, f)
		}
	}
	s.popTo(m)
}
