package wsdl

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/xmldom"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// WSANS is the W3C WS-Addressing 1.0 namespace; some WSDLs put wsa:Action
// on operation messages instead of wsaw:Action or wsam:Action.
const WSANS = "http://www.w3.org/2005/08/addressing"

// Load reads the WSDL 1.1 document at path and the WSDL documents it imports
// (wsdl:import, resolved offline through l's catalogs like xs:import; an
// imported XML Schema document is added to l), and adds the schemas of every
// wsdl:types to l. It checks the WSDL itself and the references between WSDL
// components (binding → portType, port → binding, operation and message
// names, soap:body parts, soap:header message and part) and returns every
// problem found, sorted. References from message parts to schema elements
// and types are recorded in l and reported by l.Finish, which the caller must
// call once all inputs are added. The Definitions is nil only when the
// document cannot be read or is not a WSDL 1.1 document.
func Load(l *xsd.Loader, path string) (*Definitions, diag.List) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, diag.List{diag.Errorf(diag.Pos{File: path}, "%v", err)}
	}
	r := &reader{l: l, docs: map[string]*Definitions{}}
	root := r.read(abs, diag.Pos{File: abs}, "", false)
	if root == nil {
		r.errs.Sort()
		return nil, r.errs
	}
	d := *root
	for _, imp := range r.order[1:] {
		d.Messages = append(d.Messages, imp.Messages...)
		d.PortTypes = append(d.PortTypes, imp.PortTypes...)
		d.Bindings = append(d.Bindings, imp.Bindings...)
		d.Services = append(d.Services, imp.Services...)
	}
	r.check(&d)
	r.errs.Sort()
	sort.SliceStable(r.devs, func(i, j int) bool { return r.devs[i].Pos.Less(r.devs[j].Pos) })
	d.Deviations = r.devs
	return &d, r.errs
}

// reader reads one WSDL document and those it imports.
type reader struct {
	l     *xsd.Loader
	errs  diag.List
	devs  []Deviation             // tolerated Basic Profile deviations
	docs  map[string]*Definitions // by absolute path; nil value = not a WSDL
	order []*Definitions          // documents in import order (depth first)
	refs  []qref                  // references between WSDL components
}

// qref is a QName reference to a WSDL component, checked after all documents are read.
type qref struct {
	kind string // "message", "portType" or "binding"
	q    xsd.QName
	pos  diag.Pos
	attr string
	raw  string
}

// read reads the WSDL document at path. at is the referencing position; for
// an import, ns is the namespace declared by wsdl:import.
func (r *reader) read(path string, at diag.Pos, ns string, imported bool) *Definitions {
	if d, seen := r.docs[path]; seen {
		if d != nil && imported && d.TargetNamespace != ns {
			r.errs.Add(at, "the imported WSDL document %s has targetNamespace %q, but wsdl:import declares %q", path, d.TargetNamespace, ns)
		}
		return d
	}
	r.docs[path] = nil
	if imported {
		r.l.AddReference(at.File, path)
	}
	doc, err := r.l.ReadDocument(path)
	if err != nil {
		var de *diag.Error
		if errors.As(err, &de) {
			r.errs = append(r.errs, de)
		} else {
			r.errs.Add(at, "cannot read %s: %v", path, unwrapPathError(err))
		}
		return nil
	}
	root := doc.Root
	if imported && root.Is(xsd.NS, "schema") {
		if tns, _ := root.Attr("targetNamespace"); tns != ns {
			r.errs.Add(at, "the imported schema %s has targetNamespace %q, but wsdl:import declares %q", path, tns, ns)
			return nil
		}
		r.l.AddSchemaFile(path)
		return nil
	}
	if !root.Is(NS, "definitions") {
		r.errs.Add(at, "%s is not a WSDL 1.1 document: its root element is {%s}%s", path, root.Space, root.Local)
		return nil
	}
	d := &Definitions{Pos: root.Pos, File: path, Prefixes: root.Scope.Bindings(), Doc: docText(root)}
	d.Name, _ = root.Attr("name")
	d.TargetNamespace, _ = root.Attr("targetNamespace")
	r.docs[path] = d
	if imported && d.TargetNamespace != ns {
		r.errs.Add(at, "the imported WSDL document %s has targetNamespace %q, but wsdl:import declares %q", path, d.TargetNamespace, ns)
	}
	r.order = append(r.order, d)
	for _, e := range root.Children {
		if e.Space != NS {
			r.extension(e)
			continue
		}
		switch e.Local {
		case "documentation":
		case "import":
			r.importDoc(e, d)
		case "types":
			r.types(e, d)
		case "message":
			if m := r.message(e, d); m != nil {
				d.Messages = append(d.Messages, m)
			}
		case "portType":
			if pt := r.portType(e, d); pt != nil {
				d.PortTypes = append(d.PortTypes, pt)
			}
		case "binding":
			if b := r.binding(e, d); b != nil {
				d.Bindings = append(d.Bindings, b)
			}
		case "service":
			if s := r.service(e, d); s != nil {
				d.Services = append(d.Services, s)
			}
		default:
			r.unexpected(e)
		}
	}
	return d
}

// deviation records a tolerated Basic Profile deviation and how it is bound.
func (r *reader) deviation(pos diag.Pos, rule, binding, format string, args ...any) {
	r.devs = append(r.devs, Deviation{Pos: pos, Rule: rule, Msg: fmt.Sprintf(format, args...), Binding: binding})
}

// unwrapPathError drops the operation and path of an *fs.PathError (the
// message names the file already).
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// docText is the plain text of the wsdl:documentation children of e.
func docText(e *xmldom.Element) string {
	var parts []string
	for _, ch := range e.Children {
		if ch.Is(NS, "documentation") {
			if s := xmldom.PlainText(ch.InnerText()); s != "" {
				parts = append(parts, s)
			}
		}
	}
	return strings.Join(parts, "\n\n")
}

// unexpected reports an element of the WSDL namespace that is not allowed where it is.
func (r *reader) unexpected(e *xmldom.Element) {
	parent := "document"
	if e.Parent != nil {
		parent = "wsdl:" + e.Parent.Local
	}
	r.errs.Add(e.Pos, "unsupported WSDL element wsdl:%s in %s", e.Local, parent)
}

// extension handles an extension element that dmpgen does not use
// (wsp:Policy, wsaw:UsingAddressing, mime:*, http:*, …): it is ignored unless
// it is marked wsdl:required="true".
func (r *reader) extension(e *xmldom.Element) {
	switch e.Space {
	case NS:
		r.unexpected(e)
		return
	case SOAP11NS, SOAP12NS:
		r.errs.Add(e.Pos, "unsupported SOAP binding element %s in wsdl:%s", e.Name(), parentName(e))
		return
	}
	if v, _ := e.AttrNS(NS, "required"); strings.TrimSpace(v) == "true" || strings.TrimSpace(v) == "1" {
		r.errs.Add(e.Pos, "required extension element {%s}%s is not supported", e.Space, e.Local)
	}
}

func parentName(e *xmldom.Element) string {
	if e.Parent == nil {
		return ""
	}
	return e.Parent.Local
}

// name reads the required NCName attribute name of a WSDL element.
func (r *reader) name(e *xmldom.Element) (string, bool) {
	v, ok := e.Attr("name")
	if !ok {
		r.errs.Add(e.Pos, "wsdl:%s requires a name attribute", e.Local)
		return "", false
	}
	if v = strings.TrimSpace(v); !xmldom.IsNCName(v) {
		r.errs.Add(e.Pos, "invalid name %q on wsdl:%s", v, e.Local)
		return "", false
	}
	return v, true
}

// qname resolves the QName attribute attr of e (absent: zero, false).
func (r *reader) qname(e *xmldom.Element, attr string) (xsd.QName, bool) {
	v, ok := e.Attr(attr)
	if !ok {
		return xsd.QName{}, false
	}
	ns, local, err := e.ResolveQName(v)
	if err != nil {
		r.errs.Add(e.Pos, "%v in %s=%q", err, attr, v)
		return xsd.QName{}, false
	}
	return xsd.QName{Space: ns, Local: local}, true
}

// ref resolves a required QName reference to a WSDL component and records it.
func (r *reader) ref(e *xmldom.Element, attr, kind string) xsd.QName {
	q, ok := r.qname(e, attr)
	if !ok {
		if _, present := e.Attr(attr); !present {
			r.errs.Add(e.Pos, "wsdl:%s requires a %s attribute", e.Local, attr)
		}
		return q
	}
	v, _ := e.Attr(attr)
	r.refs = append(r.refs, qref{kind: kind, q: q, pos: e.Pos, attr: attr, raw: v})
	return q
}

// importDoc follows wsdl:import.
func (r *reader) importDoc(e *xmldom.Element, d *Definitions) {
	ns, _ := e.Attr("namespace")
	loc, ok := e.Attr("location")
	if !ok {
		r.errs.Add(e.Pos, "wsdl:import without location")
		return
	}
	path, err := r.l.ResolveLocation(loc, d.File)
	if err != nil {
		r.errs.Add(e.Pos, "location %q: %v", loc, err)
		return
	}
	r.read(path, e.Pos, ns, true)
}

// types adds the embedded schemas to the schema loader.
func (r *reader) types(e *xmldom.Element, d *Definitions) {
	for _, ch := range e.Children {
		switch {
		case ch.Is(xsd.NS, "schema"):
			r.l.AddEmbedded(ch, d.File)
		case ch.Is(NS, "documentation"):
		case ch.Space == NS:
			r.unexpected(ch)
		default:
			r.errs.Add(ch.Pos, "unsupported type system in wsdl:types: {%s}%s (only XML Schema is supported)", ch.Space, ch.Local)
		}
	}
}

// message reads wsdl:message.
func (r *reader) message(e *xmldom.Element, d *Definitions) *Message {
	name, ok := r.name(e)
	if !ok {
		return nil
	}
	m := &Message{Pos: e.Pos, Name: xsd.QName{Space: d.TargetNamespace, Local: name}, Doc: docText(e)}
	for _, ch := range e.Children {
		switch {
		case ch.Is(NS, "part"):
			if p := r.part(ch); p != nil {
				m.Parts = append(m.Parts, p)
			}
		case ch.Is(NS, "documentation"):
		default:
			r.extension(ch)
		}
	}
	return m
}

// part reads wsdl:part and records its schema reference in the loader.
func (r *reader) part(e *xmldom.Element) *Part {
	name, ok := r.name(e)
	if !ok {
		return nil
	}
	p := &Part{Pos: e.Pos, Name: name}
	el, hasEl := r.qname(e, "element")
	ty, hasTy := r.qname(e, "type")
	_, elAttr := e.Attr("element")
	_, tyAttr := e.Attr("type")
	switch {
	case elAttr && tyAttr:
		r.deviation(e.Pos, RulePartElemAndType, "the element is used and the type ignored, as in document/literal", "wsdl:part %s has both element and type", name)
		if hasEl {
			p.Element = el
			v, _ := e.Attr("element")
			r.l.RequireElement(el, e.Pos, "element", v)
		}
	case !elAttr && !tyAttr:
		r.errs.Add(e.Pos, "wsdl:part %s has neither element nor type", name)
	case hasEl:
		p.Element = el
		v, _ := e.Attr("element")
		r.l.RequireElement(el, e.Pos, "element", v)
	case hasTy:
		p.Type = ty
		v, _ := e.Attr("type")
		r.l.RequireType(ty, e.Pos, "type", v)
	}
	return p
}

// actionAttr returns the WS-Addressing action of an operation message.
func actionAttr(e *xmldom.Element) string {
	for _, ns := range []string{WSAMNS, WSAWNS, WSANS} {
		if v, ok := e.AttrNS(ns, "Action"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// portType reads wsdl:portType.
func (r *reader) portType(e *xmldom.Element, d *Definitions) *PortType {
	name, ok := r.name(e)
	if !ok {
		return nil
	}
	pt := &PortType{Pos: e.Pos, Name: xsd.QName{Space: d.TargetNamespace, Local: name}, Doc: docText(e)}
	for _, ch := range e.Children {
		switch {
		case ch.Is(NS, "operation"):
			if op := r.operation(ch); op != nil {
				pt.Operations = append(pt.Operations, op)
			}
		case ch.Is(NS, "documentation"):
		default:
			r.extension(ch)
		}
	}
	return pt
}

// operation reads a portType operation.
func (r *reader) operation(e *xmldom.Element) *Operation {
	name, ok := r.name(e)
	if !ok {
		return nil
	}
	op := &Operation{Pos: e.Pos, Name: name, Doc: docText(e)}
	for _, ch := range e.Children {
		if ch.Space != NS {
			r.extension(ch)
			continue
		}
		switch ch.Local {
		case "documentation":
			continue
		case "input", "output", "fault":
		default:
			r.unexpected(ch)
			continue
		}
		io := &IO{Pos: ch.Pos, Action: actionAttr(ch)}
		io.Name, _ = ch.Attr("name")
		io.Message = r.ref(ch, "message", "message")
		switch ch.Local {
		case "input":
			if op.Input != nil {
				r.errs.Add(ch.Pos, "operation %s has more than one wsdl:input", name)
			}
			op.Input = io
		case "output":
			if op.Output != nil {
				r.errs.Add(ch.Pos, "operation %s has more than one wsdl:output", name)
			}
			op.Output = io
		case "fault":
			if io.Name == "" {
				r.errs.Add(ch.Pos, "wsdl:fault requires a name attribute")
			}
			op.Faults = append(op.Faults, io)
		}
	}
	if op.Input == nil && op.Output == nil {
		r.errs.Add(e.Pos, "operation %s has neither wsdl:input nor wsdl:output", name)
	}
	return op
}

// soapVersion returns the SOAP version of an extension namespace (0 if none).
func soapVersion(ns string) SOAPVersion {
	switch ns {
	case SOAP11NS:
		return SOAP11
	case SOAP12NS:
		return SOAP12
	}
	return 0
}

// soapElem checks a SOAP extension element found in a binding of version v.
func (r *reader) soapElem(e *xmldom.Element, v SOAPVersion) {
	switch {
	case v == 0:
		r.errs.Add(e.Pos, "%s in a binding without soap:binding or soap12:binding", e.Name())
	case soapVersion(e.Space) != v:
		r.errs.Add(e.Pos, "SOAP %s element %s in a SOAP %s binding", versionText(soapVersion(e.Space)), e.Name(), versionText(v))
	}
}

func versionText(v SOAPVersion) string {
	if v == SOAP11 {
		return "1.1"
	}
	return "1.2"
}

// style reads a SOAP style attribute ("" when absent).
func (r *reader) style(e *xmldom.Element) string {
	v, ok := e.Attr("style")
	if !ok {
		return ""
	}
	v = strings.TrimSpace(v)
	if v != "document" && v != "rpc" {
		r.errs.Add(e.Pos, "invalid style=%q (want document or rpc)", v)
	}
	return v
}

// binding reads wsdl:binding.
func (r *reader) binding(e *xmldom.Element, d *Definitions) *Binding {
	name, ok := r.name(e)
	if !ok {
		return nil
	}
	b := &Binding{Pos: e.Pos, Name: xsd.QName{Space: d.TargetNamespace, Local: name}, Style: "document"}
	b.Type = r.ref(e, "type", "portType")
	var soapBinding *xmldom.Element
	for _, ch := range e.Children {
		if ch.Local == "binding" && soapVersion(ch.Space) != 0 {
			if soapBinding != nil {
				r.errs.Add(ch.Pos, "more than one SOAP binding element in wsdl:binding %s", name)
				continue
			}
			soapBinding = ch
			b.Version = soapVersion(ch.Space)
			if s := r.style(ch); s != "" {
				b.Style = s
			}
			b.Transport, _ = ch.Attr("transport")
		}
	}
	for _, ch := range e.Children {
		switch {
		case ch == soapBinding || ch.Local == "binding" && soapVersion(ch.Space) != 0:
		case ch.Is(NS, "operation"):
			if op := r.bindingOperation(ch, b.Version); op != nil {
				b.Operations = append(b.Operations, op)
			}
		case ch.Is(NS, "documentation"):
		default:
			r.extension(ch)
		}
	}
	return b
}

// bindingOperation reads a binding operation.
func (r *reader) bindingOperation(e *xmldom.Element, v SOAPVersion) *BindingOperation {
	name, ok := r.name(e)
	if !ok {
		return nil
	}
	op := &BindingOperation{Pos: e.Pos, Name: name}
	seenSOAP := false
	for _, ch := range e.Children {
		switch {
		case ch.Local == "operation" && soapVersion(ch.Space) != 0:
			r.soapElem(ch, v)
			if seenSOAP {
				r.errs.Add(ch.Pos, "more than one %s in operation %s", ch.Name(), name)
			}
			seenSOAP = true
			op.SOAPAction, op.SOAPActionSet = ch.Attr("soapAction")
			op.Style = r.style(ch)
		case ch.Is(NS, "input") || ch.Is(NS, "output"):
			io := r.bindingIO(ch, v)
			if ch.Local == "input" {
				if op.Input != nil {
					r.errs.Add(ch.Pos, "binding operation %s has more than one wsdl:input", name)
				}
				op.Input = io
			} else {
				if op.Output != nil {
					r.errs.Add(ch.Pos, "binding operation %s has more than one wsdl:output", name)
				}
				op.Output = io
			}
		case ch.Is(NS, "fault"):
			if f := r.bindingFault(ch, v); f != nil {
				op.Faults = append(op.Faults, f)
			}
		case ch.Is(NS, "documentation"):
		default:
			r.extension(ch)
		}
	}
	return op
}

// use reads a soap use attribute; absent means literal.
func (r *reader) use(e *xmldom.Element) string {
	v, ok := e.Attr("use")
	if !ok {
		return "literal"
	}
	v = strings.TrimSpace(v)
	if v != "literal" && v != "encoded" {
		r.errs.Add(e.Pos, "invalid use=%q (want literal or encoded)", v)
	}
	return v
}

// bindingIO reads the input or output of a binding operation.
func (r *reader) bindingIO(e *xmldom.Element, v SOAPVersion) *BindingIO {
	io := &BindingIO{Pos: e.Pos}
	io.Name, _ = e.Attr("name")
	seenBody := false
	for _, ch := range e.Children {
		switch {
		case ch.Local == "body" && soapVersion(ch.Space) != 0:
			r.soapElem(ch, v)
			if seenBody {
				r.errs.Add(ch.Pos, "more than one %s", ch.Name())
			}
			seenBody = true
			io.Use = r.use(ch)
			io.Namespace, _ = ch.Attr("namespace")
			if parts, ok := ch.Attr("parts"); ok {
				io.Parts = strings.Fields(parts)
				if io.Parts == nil {
					io.Parts = []string{}
				}
			}
		case ch.Local == "header" && soapVersion(ch.Space) != 0:
			r.soapElem(ch, v)
			if h := r.header(ch, v); h != nil {
				io.Headers = append(io.Headers, h)
			}
		case ch.Is(NS, "documentation"):
		default:
			r.extension(ch)
		}
	}
	return io
}

// header reads soap:header (with its soap:headerfault children).
func (r *reader) header(e *xmldom.Element, v SOAPVersion) *HeaderBinding {
	h := &HeaderBinding{Pos: e.Pos, Use: r.use(e)}
	h.Message = r.ref(e, "message", "message")
	h.Part, _ = e.Attr("part")
	if h.Part == "" {
		r.errs.Add(e.Pos, "%s requires a part attribute", e.Name())
	}
	for _, ch := range e.Children {
		switch {
		case ch.Local == "headerfault" && soapVersion(ch.Space) != 0:
			r.soapElem(ch, v)
			f := &HeaderBinding{Pos: ch.Pos, Use: r.use(ch)}
			f.Message = r.ref(ch, "message", "message")
			f.Part, _ = ch.Attr("part")
			h.Faults = append(h.Faults, f)
		default:
			r.extension(ch)
		}
	}
	return h
}

// bindingFault reads the wsdl:fault of a binding operation.
func (r *reader) bindingFault(e *xmldom.Element, v SOAPVersion) *BindingFault {
	name, ok := r.name(e)
	if !ok {
		return nil
	}
	f := &BindingFault{Pos: e.Pos, Name: name}
	for _, ch := range e.Children {
		switch {
		case ch.Local == "fault" && soapVersion(ch.Space) != 0:
			r.soapElem(ch, v)
			f.Use = r.use(ch)
			if n, ok := ch.Attr("name"); ok && n != name {
				r.deviation(ch.Pos, RuleFaultName, "the wsdl:fault name is used", "%s name %q differs from the wsdl:fault name %q", ch.Name(), n, name)
			}
		case ch.Is(NS, "documentation"):
		default:
			r.extension(ch)
		}
	}
	return f
}

// service reads wsdl:service.
func (r *reader) service(e *xmldom.Element, d *Definitions) *Service {
	name, ok := r.name(e)
	if !ok {
		return nil
	}
	s := &Service{Pos: e.Pos, Name: xsd.QName{Space: d.TargetNamespace, Local: name}, Doc: docText(e)}
	for _, ch := range e.Children {
		switch {
		case ch.Is(NS, "port"):
			pname, ok := r.name(ch)
			if !ok {
				continue
			}
			p := &Port{Pos: ch.Pos, Name: pname}
			p.Binding = r.ref(ch, "binding", "binding")
			for _, a := range ch.Children {
				switch {
				case a.Local == "address" && soapVersion(a.Space) != 0:
					// The address element's SOAP version need not match the
					// binding's (DMP PatientsSpecific: soap:address on a SOAP 1.2 binding).
					if p.Address != "" {
						r.errs.Add(a.Pos, "more than one address in port %s", pname)
					}
					p.Address, _ = a.Attr("location")
				case a.Is(NS, "documentation"):
				default:
					r.extension(a)
				}
			}
			s.Ports = append(s.Ports, p)
		case ch.Is(NS, "documentation"):
		default:
			r.extension(ch)
		}
	}
	return s
}

// check verifies the references between the components of d (its own and
// those of the documents it imports).
func (r *reader) check(d *Definitions) {
	messages := map[xsd.QName]*Message{}
	portTypes := map[xsd.QName]*PortType{}
	bindings := map[xsd.QName]*Binding{}
	dup := func(kind string, name xsd.QName, pos, prev diag.Pos) {
		r.errs.Add(pos, "duplicate wsdl:%s %s: also defined at %s", kind, name, prev)
	}
	for _, m := range d.Messages {
		if prev, ok := messages[m.Name]; ok {
			dup("message", m.Name, m.Pos, prev.Pos)
			continue
		}
		messages[m.Name] = m
		seen := map[string]bool{}
		for _, p := range m.Parts {
			if seen[p.Name] {
				r.errs.Add(p.Pos, "duplicate part %s in message %s", p.Name, m.Name)
			}
			seen[p.Name] = true
		}
	}
	for _, pt := range d.PortTypes {
		if prev, ok := portTypes[pt.Name]; ok {
			dup("portType", pt.Name, pt.Pos, prev.Pos)
			continue
		}
		portTypes[pt.Name] = pt
		seen := map[string]bool{}
		for _, op := range pt.Operations {
			if seen[op.Name] {
				r.errs.Add(op.Pos, "duplicate operation %s in portType %s (overloaded operations are not supported)", op.Name, pt.Name)
			}
			seen[op.Name] = true
		}
	}
	for _, b := range d.Bindings {
		if prev, ok := bindings[b.Name]; ok {
			dup("binding", b.Name, b.Pos, prev.Pos)
			continue
		}
		bindings[b.Name] = b
	}
	services := map[xsd.QName]*Service{}
	for _, s := range d.Services {
		if prev, ok := services[s.Name]; ok {
			dup("service", s.Name, s.Pos, prev.Pos)
			continue
		}
		services[s.Name] = s
	}
	for _, ref := range r.refs {
		var found bool
		switch ref.kind {
		case "message":
			found = messages[ref.q] != nil
		case "portType":
			found = portTypes[ref.q] != nil
		case "binding":
			found = bindings[ref.q] != nil
		}
		if !found {
			r.errs.Add(ref.pos, "unresolved %s %s in %s=%q", ref.kind, ref.q, ref.attr, ref.raw)
		}
	}
	for _, b := range d.Bindings {
		if pt := portTypes[b.Type]; pt != nil {
			r.checkBinding(b, pt, messages)
		}
	}
}

// checkBinding matches the operations of binding b with those of its portType.
func (r *reader) checkBinding(b *Binding, pt *PortType, messages map[xsd.QName]*Message) {
	ops := map[string]*Operation{}
	for _, op := range pt.Operations {
		ops[op.Name] = op
	}
	bound := map[string]bool{}
	for _, bo := range b.Operations {
		op := ops[bo.Name]
		if op == nil {
			r.errs.Add(bo.Pos, "binding operation %s: portType %s has no operation %s", bo.Name, pt.Name, bo.Name)
			continue
		}
		if bound[bo.Name] {
			r.errs.Add(bo.Pos, "operation %s is bound twice in binding %s", bo.Name, b.Name)
		}
		bound[bo.Name] = true
		style := bo.Style
		if style == "" {
			style = b.Style
		}
		r.checkIO(bo, style, "input", bo.Input, op.Input, messages)
		r.checkIO(bo, style, "output", bo.Output, op.Output, messages)
		for _, bf := range bo.Faults {
			found := false
			for _, f := range op.Faults {
				found = found || f.Name == bf.Name
			}
			if !found {
				r.errs.Add(bf.Pos, "binding fault %s: operation %s of portType %s has no fault %s", bf.Name, op.Name, pt.Name, bf.Name)
			}
		}
		for _, io := range []*BindingIO{bo.Input, bo.Output} {
			if io == nil {
				continue
			}
			for _, h := range io.Headers {
				r.checkHeader(h, messages)
				for _, hf := range h.Faults {
					r.checkHeader(hf, messages)
				}
			}
		}
	}
	for _, op := range pt.Operations {
		if !bound[op.Name] {
			r.errs.Add(b.Pos, "operation %s of portType %s is not bound in binding %s", op.Name, pt.Name, b.Name)
		}
	}
}

// checkIO checks that a binding input/output matches the portType's and
// that soap:body parts name parts of the message.
func (r *reader) checkIO(bo *BindingOperation, style, what string, bio *BindingIO, io *IO, messages map[xsd.QName]*Message) {
	switch {
	case bio == nil && io == nil:
		return
	case bio == nil:
		r.errs.Add(bo.Pos, "binding operation %s has no wsdl:%s, but its portType operation has one", bo.Name, what)
		return
	case io == nil:
		r.errs.Add(bio.Pos, "binding operation %s has a wsdl:%s, but its portType operation has none", bo.Name, what)
		return
	}
	if bio.Namespace != "" && style != "rpc" {
		r.deviation(bio.Pos, RuleBodyNamespace, "the namespace is ignored (the body element's own namespace applies)", "binding operation %s: the soap:body of wsdl:%s has namespace=%q in a document/literal binding", bo.Name, what, bio.Namespace)
	}
	m := messages[io.Message]
	if m == nil {
		return
	}
	for _, p := range bio.Parts {
		if partOf(m, p) == nil {
			r.errs.Add(bio.Pos, "soap:body parts: message %s has no part %s", m.Name, p)
		}
	}
}

// checkHeader checks that a soap:header names a part of its message.
func (r *reader) checkHeader(h *HeaderBinding, messages map[xsd.QName]*Message) {
	if m := messages[h.Message]; m != nil && h.Part != "" && partOf(m, h.Part) == nil {
		r.errs.Add(h.Pos, "soap:header: message %s has no part %s", m.Name, h.Part)
	}
}

func partOf(m *Message, name string) *Part {
	for _, p := range m.Parts {
		if p.Name == name {
			return p
		}
	}
	return nil
}
