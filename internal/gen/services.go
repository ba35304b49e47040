package gen

import (
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/internal/ir"
)

const soapPkg = "github.com/dmpgen/dmpgen/runtime/soap"

var (
	xSOAPClient  = ir.Ident{ImportPath: soapPkg, Name: "Client"}
	xSOAPServer  = ir.Ident{ImportPath: soapPkg, Name: "Server"}
	xSOAPOp      = ir.Ident{ImportPath: soapPkg, Name: "Operation"}
	xSOAPFault   = ir.Ident{ImportPath: soapPkg, Name: "Fault"}
	xSOAPCallOpt = ir.Ident{ImportPath: soapPkg, Name: "CallOption"}
	xSOAPHeader  = ir.Ident{ImportPath: soapPkg, Name: "Header"}
	xContext     = ir.Ident{ImportPath: "context", Name: "Context"}
	xTypes       = ir.Ident{ImportPath: xmlbindPkg, Name: "Types"}
)

// service prints a binding as operation data, a typed client, a handler
// interface and its registration on a soap.Server.
func (g *generator) service(s *ir.Service) {
	ops := map[*ir.Operation]string{}
	for _, op := range s.Operations {
		ops[op] = g.file.namedVar("op"+s.Name+"_"+op.Name, g.operationValue(s, op))
	}
	client := s.Name + "Client"
	for _, op := range s.Operations {
		g.headerStructs(s, op)
	}
	g.P("// ", client, " calls the operations of the ", s.Binding.Local, " binding (SOAP ", s.SOAP/10, ".", s.SOAP%10, ").")
	if s.Doc != "" {
		g.P("//")
		g.P(comment("", s.Doc))
	}
	if doc := g.typesDoc("soap.Client", "soap.WithTypes"); doc != "" {
		g.P("//")
		g.P(comment("", doc))
	}
	g.P("type ", client, " struct{ soap *", xSOAPClient, " }")
	g.P("")
	g.P("// New", client, " returns a client that sends its requests through c.")
	g.P("func New", client, "(c *", xSOAPClient, ") *", client, " { return &", client, "{soap: c} }")
	g.P("")
	for _, op := range s.Operations {
		g.P(comment("", opDoc(op)))
		g.P("func (c *", client, ") ", op.Name, g.clientSignature(s, op), " {")
		if len(op.InputHeaders)+len(op.OutputHeaders) == 0 {
			if op.Output == nil {
				g.P("return c.soap.Call(ctx, &", ops[op], ", req, nil, opts...)")
			} else {
				g.P("resp := new(", op.Output.Type, ")")
				g.P("if err := c.soap.Call(ctx, &", ops[op], ", req, resp, opts...); err != nil { return nil, err }")
				g.P("return resp, nil")
			}
			g.P("}")
			g.P("")
			continue
		}
		g.clientHeadersBody(s, op, ops[op])
		g.P("}")
		g.P("")
	}
	handler := s.Name + "Handler"
	g.P("// ", handler, " is implemented by servers of the ", s.Binding.Local, " binding.")
	g.P("type ", handler, " interface {")
	for _, op := range s.Operations {
		g.P(comment("\t", opDoc(op)))
		g.P(op.Name, g.handlerSignature(s, op))
	}
	g.P("}")
	g.P("")
	g.P("// Register", s.Name, " registers the operations of h on s.")
	if doc := g.typesDoc("soap.Server", "soap.WithServerTypes"); doc != "" {
		g.P("//")
		g.P(comment("", doc))
	}
	g.P("func Register", s.Name, "(s *", xSOAPServer, ", h ", handler, ") {")
	for _, op := range s.Operations {
		in := g.file.qual(op.Input.Type)
		if len(op.InputHeaders)+len(op.OutputHeaders) > 0 {
			g.registerHeaders(s, op, ops[op])
			continue
		}
		g.P("s.Handle(&", ops[op], ", func() ", xValue, " { return new(", in, ") }, func(ctx ", xContext, ", req ", xValue, ") (", xValue, ", error) {")
		if op.Output == nil {
			g.P("return nil, h.", op.Name, "(ctx, req.(*", in, "))")
		} else {
			g.P("resp, err := h.", op.Name, "(ctx, req.(*", in, "))")
			g.P("if err != nil { return nil, err }")
			g.P("return resp, nil")
		}
		g.P("})")
	}
	g.P("}")
	g.P("")
	g.P("// ", s.Name, "Operations returns the operations of the ", s.Binding.Local, " binding, in WSDL order.")
	g.P("func ", s.Name, "Operations() []*", xSOAPOp, " {")
	g.P("return []*", xSOAPOp, "{")
	for _, op := range s.Operations {
		g.P("&", ops[op], ",")
	}
	g.P("}")
	g.P("}")
	g.P("")
}

func opDoc(op *ir.Operation) string {
	doc := op.Name + " calls the " + op.WSDLName + " operation"
	if op.Action != "" {
		doc += " (wsa:Action " + op.Action + ")"
	}
	doc += "."
	if op.Doc != "" {
		doc += "\n\n" + op.Doc
	}
	return doc
}

// operationValue is the soap.Operation literal of one operation.
func (g *generator) operationValue(s *ir.Service, op *ir.Operation) string {
	q := strconv.Quote
	name := func(n ir.Name) string {
		return g.file.qual(xName) + "{Space: " + q(n.Space) + ", Local: " + q(n.Local) + "}"
	}
	version := g.file.qual(ir.Ident{ImportPath: soapPkg, Name: "V12"})
	if s.SOAP == 11 {
		version = g.file.qual(ir.Ident{ImportPath: soapPkg, Name: "V11"})
	}
	body := func(field string, m *ir.MessageRef) string {
		if m.Element == (ir.Name{}) {
			return "Any" + field + ": true,\n"
		}
		return field + ": " + name(m.Element) + ",\n"
	}
	headers := func(field string, hs []*ir.HeaderRef) string {
		if len(hs) == 0 {
			return ""
		}
		v := field + ": []" + g.file.qual(xSOAPHeader) + "{\n"
		for _, h := range hs {
			v += "{Part: " + q(h.Part) + ", Element: " + name(h.Element) + ", New: func() " + g.file.qual(xValue) + " { return new(" + g.file.qual(h.Type) + ") }},\n"
		}
		return v + "},\n"
	}
	endpoint := s.Endpoint
	if op.Endpoint != "" {
		endpoint = op.Endpoint
	}
	v := g.file.qual(xSOAPOp) + "{\n" +
		"Service: " + q(s.Name) + ",\n" +
		"Name: " + q(op.WSDLName) + ",\n" +
		"Version: " + version + ",\n" +
		"SOAPAction: " + q(op.SOAPAction) + ",\n" +
		"Action: " + q(op.Action) + ",\n" +
		"ResponseAction: " + q(op.ResponseAction) + ",\n" +
		body("Request", op.Input)
	if op.Output != nil {
		v += body("Response", op.Output)
	}
	v += "MTOMRequest: " + strconv.FormatBool(op.MTOMRequest) + ",\n" +
		"MTOMResponse: " + strconv.FormatBool(op.MTOMResponse) + ",\n" +
		"Endpoint: " + q(endpoint) + ",\n"
	if len(op.Faults) > 0 {
		v += "Faults: []" + g.file.qual(xSOAPFault) + "{\n"
		for _, f := range op.Faults {
			v += "{Name: " + q(f.Name) + ", Element: " + name(f.Element) + ", New: func() " + g.file.qual(xValue) + " { return new(" + g.file.qual(f.Type) + ") }},\n"
		}
		v += "},\n"
	}
	v += headers("RequestHeaders", op.InputHeaders) + headers("ResponseHeaders", op.OutputHeaders) + headers("HeaderFaults", op.HeaderFaults)
	if g.types != nil && len(g.types.use) > 0 {
		var news []string
		for _, id := range g.types.use {
			news = append(news, g.file.qual(id))
		}
		v += "Types: " + g.file.qual(xTypes) + "(" + strings.Join(news, ", ") + "),\n"
	}
	return v + "}"
}

// typesDoc is the doc paragraph telling which type resolvers the user must
// give (with option, when creating what) because the services' package
// cannot import their packages; "" when there are none.
func (g *generator) typesDoc(what, option string) string {
	if g.types == nil || len(g.types.cannot) == 0 {
		return ""
	}
	var pkgs, news []string
	for _, p := range g.types.cannot {
		pkgs = append(pkgs, p.Name+" ("+p.ImportPath+")")
		news = append(news, p.Name+".NewType")
	}
	who := "Package " + pkgs[0] + " depends on this package, which cannot import it:\nto decode an xsi:type naming one of its types derived across packages"
	if len(pkgs) > 1 {
		who = "Packages " + strings.Join(pkgs, ", ") + " depend on this package, which cannot import them:\nto decode an xsi:type naming one of their types derived across packages"
	}
	return who + ", create the\n" + what + " with " + option + "(xmlbind.Types(" + strings.Join(news, ", ") + "))."
}

// requestHeaders and responseHeaders name the structs of an operation's
// bound header blocks ("" when it has none).
func requestHeaders(s *ir.Service, op *ir.Operation) string {
	if len(op.InputHeaders) == 0 {
		return ""
	}
	return s.Name + op.Name + "RequestHeaders"
}

func responseHeaders(s *ir.Service, op *ir.Operation) string {
	if len(op.OutputHeaders) == 0 {
		return ""
	}
	return s.Name + op.Name + "ResponseHeaders"
}

// headerStructs prints the structs of an operation's bound header blocks.
func (g *generator) headerStructs(s *ir.Service, op *ir.Operation) {
	for _, x := range []struct {
		name, what string
		hs         []*ir.HeaderRef
	}{{requestHeaders(s, op), "request", op.InputHeaders}, {responseHeaders(s, op), "response", op.OutputHeaders}} {
		if x.name == "" {
			continue
		}
		g.P("// ", x.name, " are the SOAP header blocks of the ", op.WSDLName, " ", x.what, " (soap:header).")
		g.P("// Every block must be present (WS-I Basic Profile R2738): a nil field is")
		g.P("// refused when sending, and a missing block when receiving unless decoding is lenient.")
		g.P("type ", x.name, " struct {")
		for _, h := range x.hs {
			doc := h.Name + " is the header block " + h.Element.String() + " (part " + h.Part + ")"
			if h.Raw {
				doc += ", kept as a DOM: its element has no complex type"
			}
			g.P(comment("\t", doc+"."))
			g.P(h.Name, " *", h.Type)
		}
		g.P("}")
		g.P("")
	}
}

// clientSignature is the parameter and result list of a client method.
func (g *generator) clientSignature(s *ir.Service, op *ir.Operation) string {
	params := "(ctx " + g.file.qual(xContext) + ", req *" + g.file.qual(op.Input.Type)
	if in := requestHeaders(s, op); in != "" {
		params += ", hdr *" + in
	}
	params += ", opts ..." + g.file.qual(xSOAPCallOpt) + ")"
	return params + " " + g.results(s, op)
}

// handlerSignature is the parameter and result list of a handler method.
func (g *generator) handlerSignature(s *ir.Service, op *ir.Operation) string {
	params := "(ctx " + g.file.qual(xContext) + ", req *" + g.file.qual(op.Input.Type)
	if in := requestHeaders(s, op); in != "" {
		params += ", hdr *" + in
	}
	return params + ") " + g.results(s, op)
}

// results is the result list of a client or handler method.
func (g *generator) results(s *ir.Service, op *ir.Operation) string {
	var rs []string
	if op.Output != nil {
		rs = append(rs, "*"+g.file.qual(op.Output.Type))
	}
	if out := responseHeaders(s, op); out != "" {
		rs = append(rs, "*"+out)
	}
	if len(rs) == 0 {
		return "error"
	}
	return "(" + strings.Join(rs, ", ") + ", error)"
}

// headerValues is a []xmlbind.Value literal of the fields of the header
// struct held by v.
func (g *generator) headerValues(v string, hs []*ir.HeaderRef) string {
	var fields []string
	for _, h := range hs {
		fields = append(fields, v+"."+h.Name)
	}
	return "[]" + g.file.qual(xValue) + "{" + strings.Join(fields, ", ") + "}"
}

// clientHeadersBody prints the body of a client method of an operation
// with bound header blocks.
func (g *generator) clientHeadersBody(s *ir.Service, op *ir.Operation, opVar string) {
	fail := "return err"
	if r := g.results(s, op); r != "error" {
		fail = "return " + strings.Repeat("nil, ", strings.Count(r, ",")) + "err"
	}
	in := "nil"
	if t := requestHeaders(s, op); t != "" {
		g.P("if hdr == nil { hdr = new(", t, ") }")
		in = g.headerValues("hdr", op.InputHeaders)
	}
	resp := "nil"
	if op.Output != nil {
		g.P("resp := new(", op.Output.Type, ")")
		resp = "resp"
	}
	out := responseHeaders(s, op)
	switch {
	case out == "" && op.Output == nil:
		g.P("_, err := c.soap.CallHeaders(ctx, &", opVar, ", req, nil, ", in, ", opts...)")
		g.P("return err")
		return
	case out == "":
		g.P("if _, err := c.soap.CallHeaders(ctx, &", opVar, ", req, resp, ", in, ", opts...); err != nil { ", fail, " }")
		g.P("return resp, nil")
		return
	}
	g.P("vals, err := c.soap.CallHeaders(ctx, &", opVar, ", req, ", resp, ", ", in, ", opts...)")
	g.P("if err != nil { ", fail, " }")
	g.P("out := new(", out, ")")
	g.assignHeaders("out", "vals", op.OutputHeaders)
	if op.Output == nil {
		g.P("return out, nil")
	} else {
		g.P("return resp, out, nil")
	}
}

// assignHeaders sets the fields of the header struct dst from the decoded
// values vals (nil stays nil: a block a lenient decoder found missing).
func (g *generator) assignHeaders(dst, vals string, hs []*ir.HeaderRef) {
	for i, h := range hs {
		g.P(dst, ".", h.Name, ", _ = ", vals, "[", i, "].(*", h.Type, ")")
	}
}

// registerHeaders prints the registration of an operation with bound
// header blocks.
func (g *generator) registerHeaders(s *ir.Service, op *ir.Operation, opVar string) {
	in := g.file.qual(op.Input.Type)
	g.P("s.HandleHeaders(&", opVar, ", func() ", xValue, " { return new(", in, ") }, func(ctx ", xContext, ", req ", xValue, ", vals []", xValue, ") (", xValue, ", []", xValue, ", error) {")
	args := "ctx, req.(*" + in + ")"
	if t := requestHeaders(s, op); t != "" {
		g.P("hdr := new(", t, ")")
		g.assignHeaders("hdr", "vals", op.InputHeaders)
		args += ", hdr"
	}
	out := responseHeaders(s, op)
	switch {
	case op.Output == nil && out == "":
		g.P("return nil, nil, h.", op.Name, "(", args, ")")
	case op.Output == nil:
		g.P("out, err := h.", op.Name, "(", args, ")")
	case out == "":
		g.P("resp, err := h.", op.Name, "(", args, ")")
		g.P("if err != nil { return nil, nil, err }")
		g.P("return resp, nil, nil")
	default:
		g.P("resp, out, err := h.", op.Name, "(", args, ")")
	}
	if out != "" {
		g.P("if err != nil { return nil, nil, err }")
		g.P("if out == nil { out = new(", out, ") }")
		resp := "resp"
		if op.Output == nil {
			resp = "nil"
		}
		g.P("return ", resp, ", ", g.headerValues("out", op.OutputHeaders), ", nil")
	}
	g.P("})")
}
