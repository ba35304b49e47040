package xmltext

// nsScope is a stack of namespace bindings (innermost last) with constant
// time lookup by prefix and by namespace, whatever the number of bindings in
// scope: each prefix has a chain of its bindings (undone when an element
// ends), and the live bindings of each namespace (non-empty prefix, not
// shadowed by an inner binding of the same prefix) form a doubly linked list
// whose unlinks are undone in reverse order (Knuth's dancing links).
type nsScope struct {
	decls  []NSDecl
	prev   []int32          // previous binding of the same prefix, or -1
	top    map[string]int32 // prefix -> innermost binding
	down   []int32          // next older live binding of the same namespace, or -1
	up     []int32          // next newer live binding of the same namespace, or -1
	shadow []int32          // live binding this one unlinked from its namespace list, or -1
	head   map[string]int32 // namespace -> innermost live binding, or -1
	work   int64            // steps taken by walks (resource-bound tests)
	gen    uint64           // changes at every push and effective popTo
}

func (s *nsScope) init() {
	s.top = make(map[string]int32, 16)
	s.head = make(map[string]int32, 16)
}

// push binds b.Prefix to b.URI; the caller has checked the declaration.
func (s *nsScope) push(b NSDecl) {
	if s.top == nil {
		s.init()
	}
	s.gen++
	i := int32(len(s.decls))
	old, had := s.top[b.Prefix]
	if !had {
		old = -1
	}
	s.decls = append(s.decls, b)
	s.prev = append(s.prev, old)
	s.top[b.Prefix] = i
	s.down = append(s.down, -1)
	s.up = append(s.up, -1)
	s.shadow = append(s.shadow, -1)
	if b.Prefix == "" {
		return
	}
	if old >= 0 {
		s.unlink(old)
		s.shadow[i] = old
	}
	h, ok := s.head[b.URI]
	if !ok {
		h = -1
	}
	s.down[i] = h
	if h >= 0 {
		s.up[h] = i
	}
	s.head[b.URI] = i
}

// unlink removes live binding i from its namespace list, keeping its own
// links so that relink can restore it.
func (s *nsScope) unlink(i int32) {
	d, u := s.down[i], s.up[i]
	if d >= 0 {
		s.up[d] = u
	}
	if u >= 0 {
		s.down[u] = d
	} else {
		s.head[s.decls[i].URI] = d
	}
}

// relink undoes unlink(i); unlinks are undone in reverse order.
func (s *nsScope) relink(i int32) {
	d, u := s.down[i], s.up[i]
	if d >= 0 {
		s.up[d] = i
	}
	if u >= 0 {
		s.down[u] = i
	} else {
		s.head[s.decls[i].URI] = i
	}
}

// popTo removes the bindings made since mark (len(decls) at the time).
func (s *nsScope) popTo(mark int) {
	if mark == len(s.decls) {
		return
	}
	s.gen++
	for i := int32(len(s.decls)) - 1; i >= int32(mark); i-- {
		s.work++
		b := s.decls[i]
		if b.Prefix != "" {
			s.unlink(i)
			if o := s.shadow[i]; o >= 0 {
				s.relink(o)
			}
		}
		if p := s.prev[i]; p >= 0 {
			s.top[b.Prefix] = p
		} else {
			delete(s.top, b.Prefix)
		}
	}
	s.decls = s.decls[:mark]
	s.prev = s.prev[:mark]
	s.down = s.down[:mark]
	s.up = s.up[:mark]
	s.shadow = s.shadow[:mark]
}

// index returns the innermost binding of prefix, or -1.
func (s *nsScope) index(prefix string) int32 {
	s.work++
	if i, ok := s.top[prefix]; ok {
		return i
	}
	return -1
}

// lookup returns the namespace bound to prefix; "xml" is always bound and ""
// is bound to "" when no default namespace is declared.
func (s *nsScope) lookup(prefix string) (string, bool) {
	s.work++
	if i, ok := s.top[prefix]; ok {
		return s.decls[i].URI, true
	}
	switch prefix {
	case "xml":
		return XMLNamespace, true
	case "":
		return "", true
	}
	return "", false
}

// declaredSince reports whether prefix is bound by one of decls[mark:].
func (s *nsScope) declaredSince(prefix string, mark int) bool {
	return s.index(prefix) >= int32(mark)
}

// livePrefix returns the prefix of the innermost live binding of uri
// (non-empty prefix whose innermost binding it is).
func (s *nsScope) livePrefix(uri string) (string, bool) {
	s.work++
	if i, ok := s.head[uri]; ok && i >= 0 {
		return s.decls[i].Prefix, true
	}
	return "", false
}

// live calls f for each live binding of uri, innermost first, until f
// returns false.
func (s *nsScope) live(uri string, f func(i int32) bool) {
	i, ok := s.head[uri]
	if !ok {
		return
	}
	for ; i >= 0; i = s.down[i] {
		s.work++
		if !f(i) {
			return
		}
	}
}

// inScope returns the bindings of decls[:n] visible at that level, each
// prefix once (its innermost binding among decls[:n]), innermost last. It
// must only be called with n == len(decls) or n the mark of the innermost
// element (bindings above n are then that element's own, one per prefix).
func (s *nsScope) inScope(n int) []NSDecl {
	var out []NSDecl
	for i := int32(0); i < int32(n); i++ {
		s.work++
		t := s.top[s.decls[i].Prefix]
		for t >= int32(n) { // shadowed by the innermost element's own binding
			t = s.prev[t]
		}
		if t == i {
			out = append(out, s.decls[i])
		}
	}
	return out
}
