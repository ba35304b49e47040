package soap

import "github.com/dmpgen/dmpgen/runtime/xmltext"

// WithTypes adds a type resolver (xmltext.Options.Types, built by
// xmlbind.Types from the NewType functions of generated packages) to the
// decoders of responses: body, bound header blocks and fault details. An
// xsi:type naming a type derived in another package than the declared type
// is created through it. Resolvers added by several WithTypes are tried in
// order, before the Operation's own (Operation.Types).
func WithTypes(r func(xmltext.Name) xmltext.Unmarshaler) Option {
	return func(c *Client) {
		if r != nil {
			c.types = append(c.types, r)
		}
	}
}

// WithServerTypes is WithTypes for the requests a Server decodes: body and
// bound header blocks.
func WithServerTypes(r func(xmltext.Name) xmltext.Unmarshaler) ServerOption {
	return func(s *Server) {
		if r != nil {
			s.types = append(s.types, r)
		}
	}
}

// chainTypes returns a resolver that tries each of rs in order (nil ones
// skipped), or nil when there is none.
func chainTypes(rs ...func(xmltext.Name) xmltext.Unmarshaler) func(xmltext.Name) xmltext.Unmarshaler {
	var live []func(xmltext.Name) xmltext.Unmarshaler
	for _, r := range rs {
		if r != nil {
			live = append(live, r)
		}
	}
	switch len(live) {
	case 0:
		return nil
	case 1:
		return live[0]
	}
	return func(n xmltext.Name) xmltext.Unmarshaler {
		for _, r := range live {
			if u := r(n); u != nil {
				return u
			}
		}
		return nil
	}
}
