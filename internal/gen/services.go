package gen

import (
	"strconv"

	"github.com/dmpgen/dmpgen/internal/ir"
)

const soapPkg = "github.com/dmpgen/dmpgen/runtime/soap"

var (
	xSOAPClient  = ir.Ident{ImportPath: soapPkg, Name: "Client"}
	xSOAPServer  = ir.Ident{ImportPath: soapPkg, Name: "Server"}
	xSOAPOp      = ir.Ident{ImportPath: soapPkg, Name: "Operation"}
	xSOAPFault   = ir.Ident{ImportPath: soapPkg, Name: "Fault"}
	xSOAPCallOpt = ir.Ident{ImportPath: soapPkg, Name: "CallOption"}
	xContext     = ir.Ident{ImportPath: "context", Name: "Context"}
)

// service prints a binding as operation data, a typed client, a handler
// interface and its registration on a soap.Server.
func (g *generator) service(s *ir.Service) {
	ops := map[*ir.Operation]string{}
	for _, op := range s.Operations {
		ops[op] = g.file.namedVar("op"+s.Name+"_"+op.Name, g.operationValue(s, op))
	}
	client := s.Name + "Client"
	g.P("// ", client, " calls the operations of the ", s.Binding.Local, " binding (SOAP ", s.SOAP/10, ".", s.SOAP%10, ").")
	if s.Doc != "" {
		g.P("//")
		g.P(comment("", s.Doc))
	}
	g.P("type ", client, " struct{ soap *", xSOAPClient, " }")
	g.P("")
	g.P("// New", client, " returns a client that sends its requests through c.")
	g.P("func New", client, "(c *", xSOAPClient, ") *", client, " { return &", client, "{soap: c} }")
	g.P("")
	for _, op := range s.Operations {
		g.P(comment("", opDoc(op)))
		req := g.file.qual(op.Input.Type)
		if op.Output == nil {
			g.P("func (c *", client, ") ", op.Name, "(ctx ", xContext, ", req *", req, ", opts ...", xSOAPCallOpt, ") error {")
			g.P("return c.soap.Call(ctx, &", ops[op], ", req, nil, opts...)")
			g.P("}")
			g.P("")
			continue
		}
		resp := g.file.qual(op.Output.Type)
		g.P("func (c *", client, ") ", op.Name, "(ctx ", xContext, ", req *", req, ", opts ...", xSOAPCallOpt, ") (*", resp, ", error) {")
		g.P("resp := new(", resp, ")")
		g.P("if err := c.soap.Call(ctx, &", ops[op], ", req, resp, opts...); err != nil { return nil, err }")
		g.P("return resp, nil")
		g.P("}")
		g.P("")
	}
	handler := s.Name + "Handler"
	g.P("// ", handler, " is implemented by servers of the ", s.Binding.Local, " binding.")
	g.P("type ", handler, " interface {")
	for _, op := range s.Operations {
		g.P(comment("\t", opDoc(op)))
		if op.Output == nil {
			g.P(op.Name, "(ctx ", xContext, ", req *", op.Input.Type, ") error")
		} else {
			g.P(op.Name, "(ctx ", xContext, ", req *", op.Input.Type, ") (*", op.Output.Type, ", error)")
		}
	}
	g.P("}")
	g.P("")
	g.P("// Register", s.Name, " registers the operations of h on s.")
	g.P("func Register", s.Name, "(s *", xSOAPServer, ", h ", handler, ") {")
	for _, op := range s.Operations {
		in := g.file.qual(op.Input.Type)
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
		"Request: " + name(op.Input.Element) + ",\n"
	if op.Output != nil {
		v += "Response: " + name(op.Output.Element) + ",\n"
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
	return v + "}"
}
