package lower

import (
	"sort"
	"strings"

	"github.com/dmpgen/dmpgen/internal/config"
	"github.com/dmpgen/dmpgen/internal/diag"
	"github.com/dmpgen/dmpgen/internal/ir"
	"github.com/dmpgen/dmpgen/internal/wsdl"
	"github.com/dmpgen/dmpgen/internal/xsd"
)

// services lowers every SOAP binding of the WSDLs into a service of the
// package of its WSDL's target namespace, in the file of that WSDL.
//
// Actions: the config override wins, then wsaw/wsam:Action on the portType,
// then the WS-Addressing default action pattern
// {targetNamespace}{delim}{portType}{delim}{input name or operation name}
// (delim is ":" for URN namespaces, "/" otherwise), with "Response" appended
// for the output, as the DMP examples show.
func (l *lowerer) services() {
	used := map[string]bool{} // config operation keys that matched
	for _, d := range l.in.Defs {
		for _, b := range d.Bindings {
			if b.Version == 0 {
				continue
			}
			pt := l.portType(d, b.Type)
			if pt == nil {
				l.errs.Add(b.Pos, "binding %s: unknown portType %s", b.Name.Local, b.Type)
				continue
			}
			if b.Style == "rpc" {
				l.errs.Add(b.Pos, "binding %s: rpc style is not supported (the DMP kit is document/literal)", b.Name.Local)
				continue
			}
			p := l.pkgFor(d.TargetNamespace)
			f := l.fileFor(p, d.File)
			s := &ir.Service{
				Name:     serviceStem(pt.Name.Local),
				Doc:      pt.Doc,
				Binding:  irName(b.Name),
				PortType: irName(pt.Name),
				SOAP:     int(b.Version),
				Endpoint: l.endpoint(b.Name),
				Pos:      b.Pos,
			}
			for _, bo := range b.Operations {
				if l.encoded(bo) {
					continue
				}
				op := l.operation(d, b, pt, bo, s, used)
				if op != nil {
					s.Operations = append(s.Operations, op)
				}
			}
			f.Services = append(f.Services, s)
			// The client type names the service; a collision (two WSDLs
			// binding one portType name) numbers the stem: DocumentRepository2Client.
			// Every name the emitter derives from the stem must be free.
			l.claims[p] = append(l.claims[p], &claim{want: s.Name, priority: prioAnonymous,
				key: b.Name.String() + " " + d.File, set: func(n string) { s.Name = n },
				also: func(stem string) []string { return serviceDecls(stem, s.Operations) }})
			names := make([]string, len(s.Operations))
			for i, op := range s.Operations {
				names[i] = op.Name
			}
			// Methods of the client and handler: unique within the service.
			for i, n := range uniqueNames(names, map[string]bool{}) {
				s.Operations[i].Name = n
			}
		}
	}
	var keys []string
	for k := range l.in.Target.Operations {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !used[k] {
			l.errs.Add(l.in.Target.Pos, "operations: %q matches no SOAP binding operation of target %s", k, l.in.Target.Name)
		}
	}
	l.resolveClaims()
}

// serviceNames are the package-level names the emitter declares for a
// service named stem (see gen's service).
func serviceNames(stem string) []string {
	return []string{stem + "Client", "New" + stem + "Client", stem + "Handler", "Register" + stem, stem + "Operations"}
}

// serviceDecls are serviceNames and the header structs of the service's
// operations (<stem><operation>RequestHeaders, …ResponseHeaders).
func serviceDecls(stem string, ops []*ir.Operation) []string {
	names := serviceNames(stem)
	for _, op := range ops {
		if len(op.InputHeaders) > 0 {
			names = append(names, stem+op.Name+"RequestHeaders")
		}
		if len(op.OutputHeaders) > 0 {
			names = append(names, stem+op.Name+"ResponseHeaders")
		}
	}
	return names
}

// serviceStem names a service after its portType ("DocumentRegistry_PortType" → "DocumentRegistry").
func serviceStem(pt string) string {
	for _, s := range []string{"_PortType", "PortType", "EndPoint", "Endpoint"} {
		if strings.HasSuffix(pt, s) && len(pt) > len(s) {
			pt = strings.TrimSuffix(pt, s)
			break
		}
	}
	return goName(pt)
}

// portType finds a portType, in the binding's own document first: the IHE
// WSDLs define one portType name several times with different operations.
func (l *lowerer) portType(own *wsdl.Definitions, q xsd.QName) *wsdl.PortType {
	for _, pt := range own.PortTypes {
		if pt.Name == q {
			return pt
		}
	}
	for _, d := range l.in.Defs {
		for _, pt := range d.PortTypes {
			if pt.Name == q {
				return pt
			}
		}
	}
	return nil
}

func (l *lowerer) message(q xsd.QName) *wsdl.Message {
	for _, d := range l.in.Defs {
		// Message names repeat across the IHE WSDLs too; they are identical there.
		for _, m := range d.Messages {
			if m.Name == q {
				return m
			}
		}
	}
	return nil
}

func (l *lowerer) endpoint(binding xsd.QName) string {
	for _, d := range l.in.Defs {
		for _, s := range d.Services {
			for _, p := range s.Ports {
				if p.Binding == binding {
					return p.Address
				}
			}
		}
	}
	return ""
}

func (l *lowerer) operation(d *wsdl.Definitions, b *wsdl.Binding, pt *wsdl.PortType, bo *wsdl.BindingOperation, s *ir.Service, used map[string]bool) *ir.Operation {
	var po *wsdl.Operation
	for _, o := range pt.Operations {
		if o.Name == bo.Name {
			po = o
		}
	}
	if po == nil {
		l.errs.Add(bo.Pos, "binding operation %s has no portType operation", bo.Name)
		return nil
	}
	if po.Input == nil {
		l.errs.Add(po.Pos, "operation %s: notification operations (no input) are not supported", po.Name)
		return nil
	}
	// Operation names often repeat the portType stem ("DocumentRegistry_RegistryStoredQuery").
	name := goName(po.Name)
	if stem := strings.TrimSuffix(pt.Name.Local, "_PortType") + "_"; strings.HasPrefix(po.Name, stem) {
		name = goName(strings.TrimPrefix(po.Name, stem))
	}
	op := &ir.Operation{
		Name:       name,
		WSDLName:   po.Name,
		Doc:        po.Doc,
		SOAPAction: bo.SOAPAction,
		Pos:        bo.Pos,
	}
	var ok bool
	if op.Input, ok = l.body(po.Input, bo.Input, po.Name, "input"); !ok {
		return nil
	}
	if op.InputHeaders, ok = l.headers(bo.Input, po.Name, "input", op); !ok {
		return nil
	}
	if po.Output != nil {
		if op.Output, ok = l.body(po.Output, bo.Output, po.Name, "output"); !ok {
			return nil
		}
		if op.OutputHeaders, ok = l.headers(bo.Output, po.Name, "output", op); !ok {
			return nil
		}
	}
	for _, f := range po.Faults {
		m := l.message(f.Message)
		if m == nil || len(m.Parts) != 1 || m.Parts[0].Element.IsZero() {
			l.errs.Add(f.Pos, "fault %s: want a message with one element part", f.Name)
			continue
		}
		id, _, ok := l.partElement(m.Parts[0].Element, m.Parts[0].Pos)
		if !ok {
			continue
		}
		op.Faults = append(op.Faults, &ir.FaultRef{Name: f.Name, Element: irName(m.Parts[0].Element), Type: id, Action: f.Action})
	}
	delim := "/"
	if strings.HasPrefix(d.TargetNamespace, "urn:") {
		delim = ":"
	}
	base := strings.TrimSuffix(d.TargetNamespace, delim) + delim + pt.Name.Local + delim
	op.Action = po.Input.Action
	if op.Action == "" {
		in := po.Input.Name
		if in == "" {
			in = po.Name
		}
		op.Action = base + in
	}
	if po.Output != nil {
		op.ResponseAction = po.Output.Action
		if op.ResponseAction == "" {
			out := po.Output.Name
			if out == "" {
				out = po.Name + "Response"
			}
			op.ResponseAction = base + out
		}
	}
	key := b.Name.Local + "/" + po.Name
	if o := l.in.Target.Operations[key]; o != nil {
		used[key] = true
		applyOverride(op, o, s)
	}
	return op
}

func applyOverride(op *ir.Operation, o *config.Operation, s *ir.Service) {
	if o.Action != "" {
		op.Action = o.Action
	}
	if o.ResponseAction != "" {
		op.ResponseAction = o.ResponseAction
	}
	op.MTOMRequest, op.MTOMResponse = o.MTOMRequest, o.MTOMResponse
	if o.Endpoint != "" {
		op.Endpoint = o.Endpoint
	}
}

// body resolves the one part carried in the SOAP body of an input or
// output: the message's parts named by soap:body/@parts, else those not
// bound by a soap:header of the same input or output.
func (l *lowerer) body(io *wsdl.IO, bio *wsdl.BindingIO, op, what string) (*ir.MessageRef, bool) {
	m := l.message(io.Message)
	if m == nil {
		l.errs.Add(io.Pos, "operation %s %s: unknown message %s", op, what, io.Message)
		return nil, false
	}
	var parts []*wsdl.Part
	switch {
	case bio != nil && bio.Parts != nil:
		for _, name := range bio.Parts {
			for _, p := range m.Parts {
				if p.Name == name {
					parts = append(parts, p)
				}
			}
		}
	default:
		for _, p := range m.Parts {
			if bio == nil || !inHeader(bio.Headers, m.Name, p.Name) {
				parts = append(parts, p)
			}
		}
	}
	if len(parts) != 1 {
		l.errs.Add(m.Pos, "operation %s %s: message %s has %d body parts, want exactly one (document/literal)", op, what, m.Name.Local, len(parts))
		return nil, false
	}
	p := parts[0]
	if p.Element.IsZero() {
		if p.Type == anyTypeQ {
			// The body is any one element (WS-I BP R2204 asks for an
			// element; deployed services bind xs:anyType this way).
			return &ir.MessageRef{Type: rawIdent, Raw: true}, true
		}
		l.errs.Add(p.Pos, "operation %s %s: part %s names the type %s, not an element: document/literal binds elements (WS-I Basic Profile R2204), or any element for a part typed xs:anyType; declare an element of this type and name it in the part (rpc style is not supported)", op, what, p.Name, p.Type)
		return nil, false
	}
	id, raw, ok := l.partElement(p.Element, p.Pos)
	if !ok {
		return nil, false
	}
	return &ir.MessageRef{Element: irName(p.Element), Type: id, Raw: raw}, true
}

// rawIdent is the Go type of a body or header kept as a DOM.
var rawIdent = ir.Ident{ImportPath: "github.com/dmpgen/dmpgen/runtime/xmlbind", Name: "Raw"}

// inHeader reports whether a soap:header binds the part of message.
func inHeader(hs []*wsdl.HeaderBinding, message xsd.QName, part string) bool {
	for _, h := range hs {
		if h.Message == message && h.Part == part {
			return true
		}
	}
	return false
}

// partElement returns the Go type of a part's element: its struct, or
// xmlbind.Raw (raw) when the element has no complex type.
func (l *lowerer) partElement(q xsd.QName, pos diag.Pos) (ir.Ident, bool, bool) {
	e, ok := l.set.LookupElement(q)
	if !ok {
		l.errs.Add(pos, "unresolved element %s", q)
		return ir.Ident{}, false, false
	}
	if it := l.elementStruct(e); it != nil {
		return *l.identRef(it), false, true
	}
	return rawIdent, true, true
}

// headers resolves the soap:header blocks of an input or output, and their
// soap:headerfault blocks into op.HeaderFaults. A part may belong to any
// message (WSDL 1.1 §3.7). WS-Addressing blocks are left to the runtime,
// which writes and checks them.
func (l *lowerer) headers(bio *wsdl.BindingIO, op, what string, o *ir.Operation) ([]*ir.HeaderRef, bool) {
	if bio == nil {
		return nil, true
	}
	var out []*ir.HeaderRef
	ok := true
	for _, h := range bio.Headers {
		hr, skip, good := l.header(h, op, what)
		ok = ok && good
		if !good || skip {
			continue
		}
		if hasHeader(out, hr.Element) {
			l.errs.Add(h.Pos, "operation %s %s: header block %s is bound twice: bind each header element once", op, what, hr.Element)
			ok = false
			continue
		}
		out = append(out, hr)
		for _, hf := range h.Faults {
			fr, skip, good := l.header(hf, op, what+" headerfault")
			ok = ok && good
			if good && !skip && !hasHeader(o.HeaderFaults, fr.Element) {
				o.HeaderFaults = append(o.HeaderFaults, fr)
			}
		}
	}
	names := make([]string, len(out))
	for i, h := range out {
		names[i] = goName(h.Part)
	}
	for i, n := range uniqueNames(names, map[string]bool{}) {
		out[i].Name = n
	}
	return out, ok
}

func hasHeader(hs []*ir.HeaderRef, n ir.Name) bool {
	for _, h := range hs {
		if h.Element == n {
			return true
		}
	}
	return false
}

// nsWSA is the WS-Addressing 1.0 namespace, whose headers the runtime handles.
const nsWSA = "http://www.w3.org/2005/08/addressing"

// header resolves one soap:header or soap:headerfault; skip reports a
// WS-Addressing block.
func (l *lowerer) header(h *wsdl.HeaderBinding, op, what string) (hr *ir.HeaderRef, skip, ok bool) {
	if h.Use == "encoded" {
		l.errs.Add(h.Pos, "operation %s %s: soap:header use=\"encoded\" (SOAP encoding) is not supported: dmpgen binds literal messages only (WS-I Basic Profile R2706)", op, what)
		return nil, false, false
	}
	m := l.message(h.Message)
	if m == nil {
		l.errs.Add(h.Pos, "operation %s %s: soap:header names unknown message %s", op, what, h.Message)
		return nil, false, false
	}
	var p *wsdl.Part
	for _, mp := range m.Parts {
		if mp.Name == h.Part {
			p = mp
		}
	}
	if p == nil {
		// internal/wsdl reports it.
		return nil, false, false
	}
	if p.Element.IsZero() {
		l.errs.Add(p.Pos, "operation %s %s: header part %s of message %s names the type %s, not an element: a header block is an element (WS-I Basic Profile R2205); declare an element of this type and name it in the part", op, what, p.Name, m.Name.Local, p.Type)
		return nil, false, false
	}
	if p.Element.Space == nsWSA {
		return nil, true, true
	}
	id, raw, ok := l.partElement(p.Element, p.Pos)
	if !ok {
		return nil, false, false
	}
	return &ir.HeaderRef{Part: p.Name, Element: irName(p.Element), Type: id, Raw: raw, Pos: h.Pos}, false, true
}

// encoded reports a binding operation whose messages use SOAP encoding
// (use="encoded"), which dmpgen cannot bind faithfully (the WS-I Basic
// Profile forbids it, R2706): one positioned error per input, output or
// fault so bound.
func (l *lowerer) encoded(bo *wsdl.BindingOperation) bool {
	found := false
	report := func(what string, pos diag.Pos) {
		l.errs.Add(pos, "operation %s %s: use=\"encoded\" (SOAP encoding) is not supported: dmpgen binds literal messages only (WS-I Basic Profile R2706); ask for the service's document/literal WSDL", bo.Name, what)
		found = true
	}
	for _, io := range []struct {
		what string
		b    *wsdl.BindingIO
	}{{"input", bo.Input}, {"output", bo.Output}} {
		if io.b != nil && io.b.Use == "encoded" {
			report(io.what, io.b.Pos)
		}
	}
	for _, f := range bo.Faults {
		if f != nil && f.Use == "encoded" {
			report("fault "+f.Name, f.Pos)
		}
	}
	return found
}
