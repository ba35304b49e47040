package soap

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// Namespaces of WSDL 1.1 documents.
const (
	nsWSDL       = "http://schemas.xmlsoap.org/wsdl/"
	nsWSDLSOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"
	nsWSDLSOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/"
	nsXSD        = "http://www.w3.org/2001/XMLSchema"
)

// serveWSDL answers GET ?wsdl, GET ?wsdl=<path> and GET ?xsd=<path>.
func (s *Server) serveWSDL(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	name := q.Get("xsd")
	if name == "" {
		name = q.Get("wsdl")
	}
	if name == "" {
		name = s.wsdlMain
	}
	if !fs.ValidPath(name) {
		http.Error(w, "bad document path", http.StatusNotFound)
		return
	}
	data, err := fs.ReadFile(s.wsdl, name)
	if err != nil {
		http.Error(w, "no such document", http.StatusNotFound)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := (&url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path}).String()
	out, err := rewriteWSDL(data, name, base)
	if err != nil {
		s.printf("soap: serving %s: %v", name, err)
		http.Error(w, "cannot serve "+name, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.Write(out)
}

// rewriteWSDL points the relative wsdl:imports of a WSDL or XSD document at
// base?wsdl=<path>, its schema imports and includes at base?xsd=<path>, and
// every soap:address at base.
func rewriteWSDL(data []byte, name, base string) ([]byte, error) {
	d := xmltext.NewDecoder(data, xmltext.Options{File: name})
	var root *xmltext.Element
	for root == nil {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return nil, err
		}
		if tok.Kind == xmltext.StartElement {
			if root, err = d.ReadElement(tok); err != nil {
				return nil, err
			}
		}
	}
	var err error
	walk(root, func(el *xmltext.Element) {
		var attr, query string
		switch el.Name {
		case xmltext.Name{Space: nsWSDL, Local: "import"}:
			attr, query = "location", "?wsdl="
		case xmltext.Name{Space: nsXSD, Local: "import"}, xmltext.Name{Space: nsXSD, Local: "include"},
			xmltext.Name{Space: nsXSD, Local: "redefine"}, xmltext.Name{Space: nsXSD, Local: "override"}:
			attr, query = "schemaLocation", "?xsd="
		case xmltext.Name{Space: nsWSDLSOAP11, Local: "address"}, xmltext.Name{Space: nsWSDLSOAP12, Local: "address"}:
			setAttr(el, "location", base)
			return
		default:
			return
		}
		loc, ok := el.Attr(xmltext.Name{Local: attr})
		if !ok {
			return
		}
		u, perr := url.Parse(loc)
		if perr != nil || u.IsAbs() || u.Host != "" || path.IsAbs(u.Path) {
			return // absolute locations are left alone
		}
		target := path.Join(path.Dir(name), u.Path)
		if !fs.ValidPath(target) {
			if err == nil {
				err = fmt.Errorf("%s: location %q leaves the published directory", name, loc)
			}
			return
		}
		setAttr(el, attr, base+query+url.QueryEscape(target))
	})
	if err != nil {
		return nil, err
	}
	e := xmltext.NewEncoder(nil)
	e.WriteElement(root)
	if err := e.Finish(); err != nil {
		return nil, err
	}
	return append([]byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), e.Bytes()...), nil
}

func walk(el *xmltext.Element, f func(*xmltext.Element)) {
	f(el)
	for _, c := range el.Elements() {
		walk(c, f)
	}
}

func setAttr(el *xmltext.Element, local, value string) {
	for i := range el.Attrs {
		if el.Attrs[i].Name == (xmltext.Name{Local: local}) {
			el.Attrs[i].Value = value
			return
		}
	}
	el.Attrs = append(el.Attrs, xmltext.Attr{Name: xmltext.Name{Local: local}, Value: value})
}
