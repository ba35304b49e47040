package soap

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

var xmlLang = xmltext.Name{Space: xmltext.XMLNamespace, Local: "lang"}

// readFault reads the soap:Fault body element of env, decoding the detail
// of a declared fault of op (op may be nil). A detail that a declared type
// cannot decode is reported next to the fault (errors.Join), never dropped.
func readFault(env *envelope, op *Operation, lenient bool, warnings *[]string) (*FaultError, error) {
	el, err := env.d.ReadElement(env.payload)
	if err != nil {
		return nil, protocolErr(ErrBadEnvelope, err, "reading Fault")
	}
	if err := env.finish(); err != nil {
		return nil, err
	}
	fe := &FaultError{Version: env.version, Action: env.wsa.Action, Element: el}
	scope := append([]xmltext.NSDecl(nil), el.NS...)
	if env.version == V12 {
		readFault12(fe, el, scope)
	} else {
		readFault11(fe, el, scope)
	}
	if op == nil {
		return fe, nil
	}
	for _, h := range env.header {
		for _, hf := range op.HeaderFaults {
			if hf.Element != h.Name || hf.New == nil {
				continue
			}
			v := hf.New()
			block := *h
			block.Attrs = blockAttrs(h.Attrs, env.version.Namespace())
			if err := decodeElement(&block, v, lenient, env.types, warnings); err != nil {
				return fe, errors.Join(fe, fmt.Errorf("decoding header fault block %s: %w", h.Name, err))
			}
			fe.Headers = append(fe.Headers, v)
		}
	}
	for _, entry := range fe.DetailElements {
		f := op.fault(entry.Name)
		if f == nil || f.New == nil {
			continue
		}
		v := f.New()
		if err := decodeElement(entry, v, lenient, env.types, warnings); err != nil {
			return fe, errors.Join(fe, fmt.Errorf("decoding the detail of declared fault %s: %w", f.Name, err))
		}
		fe.Name, fe.Detail = f.Name, v
		break
	}
	return fe, nil
}

func readFault12(fe *FaultError, el *xmltext.Element, scope []xmltext.NSDecl) {
	ns := NamespaceSOAP12
	for _, c := range el.Elements() {
		cs := withNS(scope, c)
		switch c.Name {
		case xmltext.Name{Space: ns, Local: "Code"}:
			first := true
			for cur := c; cur != nil; {
				var next *xmltext.Element
				for _, cc := range cur.Elements() {
					switch cc.Name.Local {
					case "Value":
						n, ok := resolveQName(withNS(cs, cc), cc.Text())
						if !ok {
							n = xmltext.Name{Local: strings.TrimSpace(cc.Text())}
						}
						if first && n.Space == ns {
							fe.Code = n.Local
						} else {
							fe.Subcodes = append(fe.Subcodes, n)
						}
						first = false
					case "Subcode":
						next = cc
					}
				}
				if next != nil {
					cs = withNS(cs, next)
				}
				cur = next
			}
		case xmltext.Name{Space: ns, Local: "Reason"}:
			for _, t := range c.Elements() {
				if t.Name == (xmltext.Name{Space: ns, Local: "Text"}) {
					fe.Reason = t.Text()
					fe.Lang, _ = t.Attr(xmlLang)
					break
				}
			}
		case xmltext.Name{Space: ns, Local: "Node"}:
			fe.Node = strings.TrimSpace(c.Text())
		case xmltext.Name{Space: ns, Local: "Role"}:
			fe.Role = strings.TrimSpace(c.Text())
		case xmltext.Name{Space: ns, Local: "Detail"}:
			fe.DetailElements = detachAll(cs, c)
		}
	}
}

func readFault11(fe *FaultError, el *xmltext.Element, scope []xmltext.NSDecl) {
	for _, c := range el.Elements() {
		cs := withNS(scope, c)
		switch c.Name {
		case xmltext.Name{Local: "faultcode"}:
			n, ok := resolveQName(cs, c.Text())
			if !ok {
				n = xmltext.Name{Local: strings.TrimSpace(c.Text())}
			}
			if n.Space != NamespaceSOAP11 {
				fe.Subcodes = append(fe.Subcodes, n)
				break
			}
			base, _, dotted := strings.Cut(n.Local, ".")
			switch base {
			case "Client":
				fe.Code = CodeSender
			case "Server":
				fe.Code = CodeReceiver
			default:
				fe.Code = base
			}
			if dotted {
				fe.Subcodes = append(fe.Subcodes, n)
			}
		case xmltext.Name{Local: "faultstring"}:
			fe.Reason = c.Text()
			fe.Lang, _ = c.Attr(xmlLang)
		case xmltext.Name{Local: "faultactor"}:
			fe.Role = strings.TrimSpace(c.Text())
		case xmltext.Name{Local: "detail"}:
			fe.DetailElements = detachAll(cs, c)
		}
	}
}

// withNS returns the bindings in scope inside el.
func withNS(scope []xmltext.NSDecl, el *xmltext.Element) []xmltext.NSDecl {
	if len(el.NS) == 0 {
		return scope
	}
	return append(append([]xmltext.NSDecl(nil), scope...), el.NS...)
}

// resolveQName resolves a QName value against the bindings in scope.
func resolveQName(scope []xmltext.NSDecl, s string) (xmltext.Name, bool) {
	s = strings.TrimSpace(s)
	prefix, local, ok := strings.Cut(s, ":")
	if !ok {
		prefix, local = "", s
	}
	if !xmltext.IsNCName(local) || prefix != "" && !xmltext.IsNCName(prefix) {
		return xmltext.Name{}, false
	}
	for i := len(scope) - 1; i >= 0; i-- {
		if scope[i].Prefix == prefix {
			return xmltext.Name{Space: scope[i].URI, Local: local}, true
		}
	}
	if prefix == "" {
		return xmltext.Name{Local: local}, true
	}
	return xmltext.Name{}, false
}

// detachAll returns the child elements of parent, each made self-contained:
// its NS also holds the bindings in scope at parent that it does not
// redeclare, so that it can be written or decoded on its own.
func detachAll(scope []xmltext.NSDecl, parent *xmltext.Element) []*xmltext.Element {
	var out []*xmltext.Element
	for _, c := range parent.Elements() {
		var ns []xmltext.NSDecl
		for _, b := range scope {
			if declares(c.NS, b.Prefix) {
				continue
			}
			if i := indexPrefix(ns, b.Prefix); i >= 0 {
				ns[i] = b // the innermost binding wins
			} else {
				ns = append(ns, b)
			}
		}
		cp := *c
		cp.NS = append(ns, c.NS...)
		out = append(out, &cp)
	}
	return out
}

func indexPrefix(ns []xmltext.NSDecl, prefix string) int {
	for i, b := range ns {
		if b.Prefix == prefix {
			return i
		}
	}
	return -1
}

func declares(ns []xmltext.NSDecl, prefix string) bool { return indexPrefix(ns, prefix) >= 0 }

// decodeElement decodes a DOM element into v by writing it out and reading
// it back with the generated decoder, whose type resolver is types (nil:
// none); lenient, it appends the decoder's warnings to *warnings, prefixed
// with the element's name (their position is in that re-encoded element).
func decodeElement(el *xmltext.Element, v xmltext.Unmarshaler, lenient bool, types func(xmltext.Name) xmltext.Unmarshaler, warnings *[]string) error {
	e := xmltext.NewEncoder(nil)
	e.WriteElement(el)
	if err := e.Finish(); err != nil {
		return err
	}
	d := xmltext.NewDecoder(e.Bytes(), xmltext.Options{File: el.Name.Local, Lenient: lenient, Types: types})
	if _, err := xmltext.Decode(d, v); err != nil {
		return err
	}
	for _, w := range d.Warnings() {
		*warnings = append(*warnings, w.String())
	}
	return nil
}

// writeFault writes fe as the soap:Fault body element. A Detail value is
// named after the declared fault of op it belongs to.
func writeFault(e *xmltext.Encoder, v Version, fe *FaultError, op *Operation) error {
	var detailName xmltext.Name
	if fe.Detail != nil {
		f := declaredFault(op, fe)
		if f == nil {
			return fmt.Errorf("fault detail %T is not a declared fault of operation %s", fe.Detail, op)
		}
		detailName = f.Element
	}
	ns := v.Namespace()
	name := func(local string) xmltext.Name { return xmltext.Name{Space: ns, Local: local} }
	hasDetail := fe.Detail != nil || len(fe.DetailElements) > 0
	detail := func(el xmltext.Name) error {
		e.Start(el)
		if fe.Detail != nil {
			if err := fe.Detail.MarshalXMLText(e, detailName); err != nil {
				return fmt.Errorf("writing fault detail %s: %w", detailName, err)
			}
		}
		for _, d := range fe.DetailElements {
			e.WriteElement(d)
		}
		e.End()
		return nil
	}
	e.Start(name("Fault"))
	code := fe.Code
	switch code {
	case CodeSender, CodeReceiver, CodeMustUnderstand, CodeVersionMismatch, CodeDataEncodingUnknown:
	default:
		code = CodeReceiver
	}
	if v == V11 {
		e.Start(xmltext.Name{Local: "faultcode"})
		fc := xmltext.Name{Space: ns, Local: map[string]string{CodeSender: "Client", CodeReceiver: "Server", CodeDataEncodingUnknown: "Client"}[code]}
		if fc.Local == "" {
			fc.Local = code
		}
		if len(fe.Subcodes) > 0 {
			fc = fe.Subcodes[0]
		}
		e.Text(e.QName(fc))
		e.End()
		e.Start(xmltext.Name{Local: "faultstring"})
		e.Text(xmlSafe(fe.Reason))
		e.End()
		if fe.Role != "" {
			e.Start(xmltext.Name{Local: "faultactor"})
			e.Text(xmlSafe(fe.Role))
			e.End()
		}
		if hasDetail {
			if err := detail(xmltext.Name{Local: "detail"}); err != nil {
				return err
			}
		}
		e.End()
		return e.Err()
	}
	e.Start(name("Code"))
	e.Start(name("Value"))
	e.Text(e.QName(name(code)))
	e.End()
	for _, sc := range fe.Subcodes {
		e.Start(name("Subcode"))
		e.Start(name("Value"))
		e.Text(e.QName(sc))
		e.End()
	}
	for range fe.Subcodes {
		e.End()
	}
	e.End()
	e.Start(name("Reason"))
	e.Start(name("Text"))
	lang := fe.Lang
	if lang == "" {
		lang = "en"
	}
	e.Attr(xmlLang, xmlSafe(lang))
	e.Text(xmlSafe(fe.Reason))
	e.End()
	e.End()
	if fe.Node != "" {
		e.Start(name("Node"))
		e.Text(xmlSafe(fe.Node))
		e.End()
	}
	if fe.Role != "" {
		e.Start(name("Role"))
		e.Text(xmlSafe(fe.Role))
		e.End()
	}
	if hasDetail {
		if err := detail(name("Detail")); err != nil {
			return err
		}
	}
	e.End()
	return e.Err()
}

// declaredFault finds the declared fault of op that fe.Detail belongs to:
// by fe.Name, else by the Go type of the detail value.
func declaredFault(op *Operation, fe *FaultError) *Fault {
	if op == nil {
		return nil
	}
	t := reflect.TypeOf(fe.Detail)
	for i := range op.Faults {
		f := &op.Faults[i]
		if fe.Name != "" {
			if f.Name == fe.Name {
				return f
			}
			continue
		}
		if f.New != nil && reflect.TypeOf(f.New()) == t {
			return f
		}
	}
	return nil
}

// faultStatus is the HTTP status of a fault response (SOAP 1.2 Part 2
// §7.5.2.2: 400 for Sender faults, 500 otherwise; SOAP 1.1: 500).
func faultStatus(v Version, fe *FaultError) int {
	if v == V12 && fe.Code == CodeSender {
		return 400
	}
	return 500
}

// xmlSafe replaces what XML cannot carry (control characters; invalid
// UTF-8, which strings.Map reads as U+FFFD) with U+FFFD: fault texts quote
// untrusted input.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}
