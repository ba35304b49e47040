package vet

import (
	"fmt"
	"mime"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/mtom"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// checkPackaging checks the MTOM package against the envelope: the SOAP
// version and action the sender declared, and the XOP references.
func (x *exchange) checkPackaging() {
	c, env := x.c, x.env
	if c.rootType != "" {
		declared := soap.Version(0)
		switch mt, _, _ := mime.ParseMediaType(c.rootSOAPType); mt {
		case mtom.MediaTypeSOAP12:
			declared = soap.V12
		case mtom.MediaTypeSOAP11:
			declared = soap.V11
		}
		if declared != 0 && declared != env.version {
			x.root.out = append(x.root.out, c.at("mtom.soap-type-mismatch", c.headerLine("Content-Type", c.multipart), 0, "root part Content-Type",
				fmt.Sprintf("the root part declares %s (SOAP %s) but holds a SOAP %s envelope: declare the envelope's version", c.rootSOAPType, versionString(declared), versionString(env.version))))
		}
	}
	if wsaAction := env.header(nsWSA, "Action").text(); wsaAction != "" {
		for _, a := range x.soapActions() {
			if a.value != wsaAction {
				x.root.out = append(x.root.out, c.at("soap.action-mismatch", a.line, 0, a.where,
					fmt.Sprintf("the SOAP action is %q but wsa:Action is %q: send the same action URI in both", a.value, wsaAction)))
			}
		}
	}
	var includes []string
	visit := func(el *xmltext.Element) {
		walk(el, func(e *xmltext.Element) {
			if e.Name.Space == nsXOP && e.Name.Local == "Include" {
				href, _ := e.Attr(xmltext.Name{Local: "href"})
				includes = append(includes, href)
			}
		})
	}
	for _, h := range env.headers {
		visit(h.el)
	}
	if env.body != nil {
		visit(env.body.el)
	}
	referenced := map[string]bool{}
	for _, href := range includes {
		cid, err := mtom.ParseHref(href)
		if err != nil {
			x.root.add("mtom.xop-unresolved", 0, 0, "xop:Include href="+href, err.Error())
			continue
		}
		referenced[cid] = true
		if x.part(cid) == nil {
			what := "the capture has no attachments"
			if c.multipart {
				what = fmt.Sprintf("the package has %d attachments, none with this Content-ID", len(c.parts))
			}
			x.root.add("mtom.xop-unresolved", 0, 0, "xop:Include href="+href,
				fmt.Sprintf("no part <%s>: %s; capture the whole MTOM package", cid, what))
		}
	}
	for _, p := range c.parts {
		if !referenced[p.cid] {
			x.root.add("mtom.part-unreferenced", 0, 0, "part <"+p.cid+">", "no xop:Include references this attachment: it is not part of the message's content")
		}
	}
}

func versionString(v soap.Version) string {
	if v == soap.V11 {
		return "1.1"
	}
	return "1.2"
}

// part returns the attachment with the given Content-ID.
func (x *exchange) part(cid string) *part {
	for i := range x.c.parts {
		if x.c.parts[i].cid == cid {
			return &x.c.parts[i]
		}
	}
	return nil
}

type soapAction struct {
	value, where string
	line         int
}

// soapActions returns the SOAP actions the capture declares: the action
// parameter of the HTTP (or MIME) Content-Type and of the root part, and the
// SOAPAction header.
func (x *exchange) soapActions() []soapAction {
	var out []soapAction
	param := func(ct, where string, inRoot bool) {
		if _, params, err := mime.ParseMediaType(ct); err == nil {
			if a, ok := params["action"]; ok {
				out = append(out, soapAction{a, where + " action=", x.c.headerLine("Content-Type", inRoot)})
			}
		}
	}
	if x.c.header != nil {
		param(x.c.header.Get("Content-Type"), "Content-Type", false)
		if sa := x.c.header.Get("SOAPAction"); sa != "" {
			out = append(out, soapAction{strings.Trim(sa, `"`), "SOAPAction header", x.c.headerLine("SOAPAction", false)})
		}
	}
	if x.c.multipart {
		param(x.c.rootType, "root part Content-Type", true)
	}
	return out
}

// checkSOAP checks the envelope against the operation's binding.
func (x *exchange) checkSOAP() {
	env := x.env
	if env.body == nil {
		x.root.add("soap.not-envelope", 0, 0, "soap:Body", "the Body is empty: it must hold the message")
		return
	}
	if len(x.det.rows) > 0 {
		if op := x.det.rows[0].op; op.Version != env.version {
			x.root.add("soap.version", env.body.line, env.body.col, "",
				fmt.Sprintf("a SOAP %s envelope for %s, whose binding is SOAP %s: send a SOAP %s envelope", versionString(env.version), op.Name, versionString(op.Version), versionString(op.Version)))
		}
	}
	if env.body.el.Name.Local == "Fault" && (env.body.el.Name.Space == soap.NamespaceSOAP12 || env.body.el.Name.Space == nsSOAP11) {
		reason := ""
		if r := find(env.body.el, "*", "Text"); r != nil {
			reason = strings.TrimSpace(r.Text())
		} else if r := find(env.body.el, "", "faultstring"); r != nil {
			reason = strings.TrimSpace(r.Text())
		}
		x.root.add("soap.fault", env.body.line, env.body.col, "", "SOAP fault: "+reason)
	}
}

// checkWSA checks the WS-Addressing headers.
func (x *exchange) checkWSA() {
	env := x.env
	act := env.header(nsWSA, "Action")
	switch {
	case act == nil || act.text() == "":
		x.root.add("wsa.action-missing", 0, 0, "soap:Header", "no wsa:Action: every DMP message carries the action of its operation (docs/transactions.md)")
	case x.det.mismatch != "":
		x.root.add("wsa.action-mismatch", act.line, act.col, "",
			fmt.Sprintf("wsa:Action is %q, but the body %s is the %s of %s, whose action is %q", act.text(), env.body.el.Name, x.dir, x.det.rows[0].op.Name, x.det.mismatch))
	}
	if len(x.det.rows) == 0 && env.body != nil && env.body.el.Name.Local != "Fault" {
		x.root.add("vet.transaction-unknown", env.body.line, env.body.col, "",
			fmt.Sprintf("wsa:Action %q and body %s match no DMP transaction: the transaction's rules (VIHF, XDS) were not applied", act.text(), env.body.el.Name))
	}
	switch x.dir {
	case Request:
		if env.header(nsWSA, "MessageID").text() == "" {
			x.root.add("wsa.messageid-missing", 0, 0, "soap:Header", "a request needs a wsa:MessageID (urn:uuid:…) for the response's RelatesTo")
		}
		if env.header(nsWSA, "To") == nil {
			x.root.add("wsa.to-missing", 0, 0, "soap:Header", "a request needs wsa:To (the DMP examples send it empty)")
		}
	case Response:
		if env.header(nsWSA, "RelatesTo").text() == "" {
			x.root.add("wsa.relatesto-missing", 0, 0, "soap:Header", "a response needs wsa:RelatesTo, the MessageID of its request")
		}
	}
}
