package soap_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/generated/xds/rs"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

const kitMessages = "dmp/examples/messages-v02.05.00/"

func readKit(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testenv.KitFile(t, kitMessages+name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// child returns the first child element of el named local (any namespace).
func child(el *xmltext.Element, local string) *xmltext.Element {
	for _, c := range el.Elements() {
		if c.Name.Local == local {
			return c
		}
	}
	return nil
}

// bodyInto decodes the body element of an envelope into v.
func bodyInto(t *testing.T, envelope []byte, v xmltext.Unmarshaler) {
	t.Helper()
	root, err := xmlcmp.Parse(envelope)
	if err != nil {
		t.Fatal(err)
	}
	body := child(root, "Body").Elements()[0]
	// Make the body element self-contained: it uses no binding of the
	// envelope, but keep whatever the envelope declares to be safe.
	body.NS = append(append([]xmltext.NSDecl(nil), root.NS...), body.NS...)
	e := xmltext.NewEncoder(nil)
	e.WriteElement(body)
	if err := e.Finish(); err != nil {
		t.Fatal(err)
	}
	if _, err := xmltext.Unmarshal(e.Bytes(), v, xmltext.Options{}); err != nil {
		t.Fatal(err)
	}
}

// rawBlock returns the exact bytes of the header block named local.
func rawBlock(t *testing.T, envelope []byte, local string) []byte {
	t.Helper()
	d := xmltext.NewDecoder(envelope, xmltext.Options{})
	for {
		tok, err := d.Next()
		if err != nil {
			t.Fatalf("no %s header: %v", local, err)
		}
		if tok.Kind == xmltext.StartElement && tok.Name.Local == local {
			if err := d.Skip(); err != nil {
				t.Fatal(err)
			}
			return append([]byte(nil), d.Bytes(tok.Offset, d.InputOffset())...)
		}
	}
}

// TestTD31EnvelopeMatchesKit builds the TD3.1 (ITI-18 FindDocuments)
// request from the official example's body, decoded into the generated
// query.AdhocQueryRequest, sends it through the generated DocumentRegistry
// client with the example's wsse:Security header block to a capturing
// server, and compares the envelope sent with the
// example. It then decodes the official TD3.1 response (212 KB) into the
// generated query.AdhocQueryResponse.
//
// Differences with the example, masked and named here:
//   - wsa:MessageID is generated (masked on both sides);
//   - the example flags wsa:ReplyTo and wsa:Action with an unqualified
//     mustUnderstand="true" attribute, which SOAP ignores and the schema
//     rejects (a documented defect of the capture); we write the qualified
//     soap:mustUnderstand="true" that it means;
//   - wsa:To: the example's is empty; we send the endpoint URL unless the
//     client is built WithAddressingTo(""), as here.
func TestTD31EnvelopeMatchesKit(t *testing.T) {
	example := readKit(t, "TD3.1_Recherche-de-document_requete.xml")
	responseExample := readKit(t, "TD3.1_Recherche-de-document_reponse.xml")

	var mu sync.Mutex
	var sent []byte
	var contentType string
	env := soaptest.NewEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		sent, contentType = body, r.Header.Get("Content-Type")
		mu.Unlock()
		id := messageIDRE.FindSubmatch(body)
		w.Header().Set("Content-Type", "application/soap+xml; charset=UTF-8")
		resp := strings.Replace(string(responseExample), "urn:uuid:940b61de-38dc-4ed8-a6cf-3b40c39ff46b", string(id[1]), 1)
		io.WriteString(w, resp)
	}))

	req := new(query.AdhocQueryRequest)
	bodyInto(t, example, req)
	security := rawBlock(t, example, "Security")
	c := soap.NewClient(env.URL()+"/si-dmp-server/v2/services/DocumentRegistry",
		soap.WithHTTPClient(env.Client), soap.WithAddressingTo(""),
		soap.WithHeader(&headerBlock{b: security}), soap.WithPrefixes(query.Prefixes), soap.WithPrefixes(rim.Prefixes))
	resp, err := xdsb.NewDocumentRegistryClient(c).RegistryStoredQuery(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}

	if contentType != `application/soap+xml; action="urn:ihe:iti:2007:RegistryStoredQuery"; charset=utf-8` {
		t.Errorf("Content-Type %q", contentType)
	}
	maskMessageID := func(el *xmltext.Element) {
		xmlcmp.Walk(el, func(e *xmltext.Element) {
			if e.Name == (xmltext.Name{Space: soap.NamespaceWSA, Local: "MessageID"}) {
				e.Children = []xmltext.Node{xmltext.Text("MASKED")}
			}
		})
	}
	// The documented defect: unqualified mustUnderstand in the example.
	qualifyMustUnderstand := func(el *xmltext.Element) {
		xmlcmp.Walk(el, func(e *xmltext.Element) {
			for i, a := range e.Attrs {
				if a.Name == (xmltext.Name{Local: "mustUnderstand"}) {
					e.Attrs[i].Name = xmltext.Name{Space: soap.NamespaceSOAP12, Local: "mustUnderstand"}
				}
			}
		})
	}
	diff, err := xmlcmp.Diff(example, sent, maskMessageID, qualifyMustUnderstand)
	if err != nil {
		t.Fatal(err)
	}
	if diff != "" {
		t.Errorf("the envelope sent differs from the TD3.1 example: %s\nsent:\n%s", diff, sent)
	}
	// Without the normalisation the mustUnderstand difference shows.
	if diff, _ := xmlcmp.Diff(example, sent, maskMessageID); !strings.Contains(diff, "mustUnderstand") {
		t.Errorf("the mustUnderstand defect is not the difference: %q", diff)
	}
	t.Logf("%.1200s", strings.Replace(string(sent), string(security), "[SECURITY]", 1))
	if !strings.Contains(string(sent), string(security)) {
		t.Error("the wsse:Security block was not sent verbatim")
	}

	if resp.Status != soap.StatusSuccess || resp.TotalResultCount == nil || resp.TotalResultCount.String() != "21" ||
		resp.RegistryObjectList == nil || len(resp.RegistryObjectList.Identifiable) == 0 {
		t.Errorf("response: status %q, %d objects", resp.Status, len(resp.RegistryObjectList.Identifiable))
	}
}

// TestTD31KitRequestToServer posts the official TD3.1 request, as captured,
// to a soap.Server: its unqualified mustUnderstand and empty wsa:To are
// accepted, the generated type decodes the query, and the answer relates to
// the request.
func TestTD31KitRequestToServer(t *testing.T) {
	srv := soap.NewServer()
	reg := &registry{}
	xdsb.RegisterDocumentRegistry(srv, reg)
	env := soaptest.NewEnv(t, srv)
	status, body := post(t, env, `application/soap+xml; charset=UTF-8; action="urn:ihe:iti:2007:RegistryStoredQuery"`, readKit(t, "TD3.1_Recherche-de-document_requete.xml"))
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if !strings.Contains(reg.query, "Value>'207058575627097^^^&amp;1.2.250.1.213.1.4.10&amp;ISO^NH'</") {
		t.Errorf("query %q", reg.query)
	}
	for _, want := range []string{
		"<wsa:Action>urn:ihe:iti:2007:RegistryStoredQueryResponse</wsa:Action>",
		"<wsa:RelatesTo>urn:uuid:b9b2834a-0e3f-4029-aea8-f0e09ec951d7</wsa:RelatesTo>",
		"<wsa:To>http://www.w3.org/2005/08/addressing/anonymous</wsa:To>",
		`status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("response lacks %s: %s", want, body)
		}
	}
}

// registry is a DocumentRegistry server (generated handler interface) that
// answers every query with an empty success.
type registry struct{ query string }

func (r *registry) RegistryStoredQuery(_ context.Context, q *query.AdhocQueryRequest) (*query.AdhocQueryResponse, error) {
	if q.AdhocQuery == nil || len(q.AdhocQuery.Slot) != 2 || q.AdhocQuery.Slot[0].Name != "$XDSDocumentEntryPatientId" {
		return nil, errors.New("the query was not decoded")
	}
	b, err := xmltext.Marshal(q.AdhocQuery, xmltext.Name{Local: "q"})
	if err != nil {
		return nil, err
	}
	r.query = string(b)
	return &query.AdhocQueryResponse{Status: soap.StatusSuccess, RegistryObjectList: &rim.RegistryObjectListType{}}, nil
}

func (r *registry) UpdateDocumentSet(context.Context, *lcm.SubmitObjectsRequest) (*rs.RegistryResponseType, error) {
	return nil, errors.New("not implemented")
}
