package vet

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/dmpgen/dmpgen/dmp/xdsrim"
	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/generated/xds/rs"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/dochash"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
)

// document is an xdsb:Document of an ITI-41 request with its content.
type document struct {
	id      string
	content []byte // nil when its xop:Include is unresolved
	part    *part  // the attachment, nil when inline
}

// checkXDS applies the runtime/xds rules to the metadata of the body, with
// the DMP profile and value sets; for ITI-41 it checks the documents
// against their entries and the XAdES signature document.
func (x *exchange) checkXDS(dec decoded) {
	if len(x.det.rows) == 0 {
		return
	}
	row := x.det.rows[0]
	tr := row.xdsRequest
	if x.dir == Response {
		tr = row.xdsResponse
	}
	var list *rim.RegistryObjectListType
	var docs []document
	var resp *xds.Response
	switch v := dec.body.(type) {
	case nil:
		if tr != 0 || isXDS(row) {
			x.skipped(LayerXDS, "the body could not be decoded")
		}
		return
	case *xdsb.ProvideAndRegisterDocumentSetRequestType:
		if v.SubmitObjectsRequest != nil {
			list = v.SubmitObjectsRequest.RegistryObjectList
		}
		for _, d := range v.Document {
			docs = append(docs, x.documentOf(d.Id, d.Value))
		}
	case *lcm.SubmitObjectsRequest:
		list = v.RegistryObjectList
	case *query.AdhocQueryRequest:
		x.addRequest(xds.ValidateQuery(xdsrim.Query(v), xds.QueryOptions{Profile: hl7v2.DMP}))
		return
	case *xdsb.RetrieveDocumentSetRequestType:
		x.addRequest(xds.ValidateRetrieve(xdsrim.Retrieve(v)))
		return
	case *query.AdhocQueryResponse:
		list = v.RegistryObjectList
		r := xdsrim.QueryResponse(v)
		resp = &r
	case *rs.RegistryResponseType:
		r := xdsrim.RegistryResponse(v)
		resp = &r
	case *xdsb.RetrieveDocumentSetResponseType:
		if v.RegistryResponse != nil {
			r := xdsrim.RegistryResponse(v.RegistryResponse)
			resp = &r
		}
	}
	if resp != nil {
		x.addXDS(xds.ValidateResponse(*resp), false)
		for _, re := range resp.Errors {
			x.root.add("xds.registry-error", 0, 0, "RegistryError "+re.ErrorCode,
				fmt.Sprintf("%s (%s): %s; location %q", re.ErrorCode, severityName(re.Severity), re.CodeContext, re.Location))
			if re.Severity == xds.SeverityWarning {
				x.root.out[len(x.root.out)-1].Severity = Warning
			}
		}
	}
	if tr == 0 || list == nil {
		return
	}
	m, err := xdsrim.Decode(list)
	if err != nil {
		x.root.add("xds.mapping", 0, 0, "", err.Error())
		x.skipped(LayerXDS, "the metadata could not be read")
		return
	}
	x.addXDS(xds.Validate(m, xds.Options{Transaction: tr, Profile: hl7v2.DMP, ValueSets: xdsrim.DMPValueSets()}), x.dir == Response)
	if tr != xds.ITI41 {
		return
	}
	var xdocs []xds.Document
	for _, d := range docs {
		xd := xds.Document{ID: d.id}
		if d.content != nil {
			dg, err := dochash.Sum(bytes.NewReader(d.content))
			if err == nil {
				xd.Digest = &dg
			}
		}
		xdocs = append(xdocs, xd)
	}
	x.addXDS(xds.ValidateDocuments(m, xdocs), false)
	x.checkXAdES(m, docs)
	x.checkCDA(m, docs)
}

// isXDS reports whether the transaction is an XDS.b one (its response is a
// registry response the xds rules check).
func isXDS(t transaction) bool {
	return strings.HasPrefix(t.op.Request.Space, "urn:oasis:names:tc:ebxml-regrep") || t.op.Request.Space == "urn:ihe:iti:xds-b:2007"
}

// documentOf returns the content of an xdsb:Document.
func (x *exchange) documentOf(id string, b xmlbind.Binary) document {
	if b.Include == "" {
		return document{id: id, content: b.Data}
	}
	p := x.part(b.Include)
	if p == nil {
		return document{id: id}
	}
	return document{id: id, content: p.data, part: p}
}

// addXDS adds the violations of the xds rules, positioned at the object's
// id attribute in the envelope when it is found there. Value-set findings
// of a response are warnings: a document found in the DMP may carry codes
// that today's value sets no longer list (docs/kit-defects.md#td31-response).
func (x *exchange) addXDS(vs xds.Violations, response bool) {
	for _, v := range vs {
		id := "xds." + string(v.Code)
		msg := v.String()
		if !known(id) {
			id = "xds.mapping"
		}
		// The attribute may name an ebRIM part by its id
		// ("Classification cla62"): that is the closer position.
		line, col := 0, 0
		if f := strings.Fields(v.Attr); len(f) == 2 {
			line, col = x.idPosition(f[1])
		}
		if line == 0 {
			line, col = x.idPosition(v.Object)
		}
		path := v.Object
		if v.Attr != "" {
			path += " " + v.Attr
		}
		x.root.add(id, line, col, path, msg)
		if response && v.Code == xds.CodeCodeNotInValueSet {
			x.root.out[len(x.root.out)-1].Severity = Warning
		}
	}
}

// addRequest adds the violations of the ITI-18 and ITI-43 request rules,
// positioned at the parameter's Slot (name="$…"), else at the text of the
// document uniqueId or at the AdhocQuery's id.
func (x *exchange) addRequest(vs xds.Violations) {
	for _, v := range vs {
		id := "xds." + string(v.Code)
		if !known(id) {
			id = "xds.mapping"
		}
		name, _, _ := strings.Cut(v.Attr, "[")
		line, col := 0, 0
		if strings.HasPrefix(name, "$") {
			line, col = x.position(`name="`+name+`"`, `name='`+name+`'`)
		}
		if line == 0 && strings.HasPrefix(v.Attr, "DocumentRequest") && v.Object != "" {
			line, col = x.position(">" + v.Object + "<")
		}
		if line == 0 {
			line, col = x.idPosition(v.Object)
		}
		path := strings.TrimSpace(v.Object + " " + v.Attr)
		x.root.add(id, line, col, path, v.String()+" (the registry answers "+xds.RequestErrorCode(v.Code)+")")
	}
}

// position returns the position in the envelope of the first of the
// strings found, 0, 0 when none is.
func (x *exchange) position(needles ...string) (int, int) {
	data := x.c.root
	for _, q := range needles {
		if i := bytes.Index(data, []byte(q)); i >= 0 {
			line := 1 + bytes.Count(data[:i], []byte("\n"))
			col := 1 + len([]rune(string(data[bytes.LastIndexByte(data[:i], '\n')+1:i])))
			return line, col
		}
	}
	return 0, 0
}

// idPosition returns the position of the first id="…" attribute with the
// given value in the envelope, 0, 0 when there is none.
func (x *exchange) idPosition(id string) (int, int) {
	if id == "" {
		return 0, 0
	}
	return x.position(`id="`+id+`"`, `id='`+id+`'`)
}

// severityName returns the local name of a RegistryError severity.
func severityName(s string) string {
	if s == "" {
		return "Error"
	}
	return s[strings.LastIndex(s, ":")+1:]
}
