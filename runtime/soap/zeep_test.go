package soap_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/examples/sample/gen/order"
	"github.com/dmpgen/dmpgen/examples/sample/gen/orderservice"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// sampleServer serves the sample service (generated handler interface) and
// its WSDL: it accepts orders, except those with a test of code UNKNOWN,
// refused with the declared OrderFault.
func sampleServer(t *testing.T, seen chan<- *order.Order, actions chan<- string) *soap.Server {
	srv := soap.NewServer(soap.WithWSDL(os.DirFS(filepath.Join(testenv.RepoRoot(), "examples", "sample")), "sample.wsdl"), soap.WithLogf(t.Logf))
	orderservice.RegisterOrder(srv, &orders{seen: seen, actions: actions})
	return srv
}

// orders implements the generated orderservice.OrderHandler.
type orders struct {
	seen    chan<- *order.Order
	actions chan<- string
}

func (h *orders) SubmitOrder(ctx context.Context, o *order.Order) (*order.OrderResponse, error) {
	if h.seen != nil {
		h.seen <- o
	}
	if r, ok := soap.RequestFromContext(ctx); ok && h.actions != nil {
		h.actions <- r.Action
	}
	for _, it := range o.Item {
		if it.Test != nil && it.Test.Code != nil && it.Test.Code.Code == "UNKNOWN" {
			reason := "unknown test code " + it.Test.Code.Code
			return nil, &soap.FaultError{Code: soap.CodeSender, Reason: "unknown test code", Detail: &orderservice.OrderFault{Reason: &reason}}
		}
	}
	status := order.StatusType_Accepted
	received, err := xsdt.ParseDateTime("2026-11-24T10:00:00Z")
	if err != nil {
		return nil, err
	}
	return &order.OrderResponse{RequestId: o.Id, Status: &status, Received: &received}, nil
}

// zeepScript loads the WSDL our server publishes and calls SubmitOrder
// twice: a valid order, then one our handler refuses with a fault.
const zeepScript = `
import sys, requests, zeep
from zeep.transports import Transport

S = "{urn:dmpgen:sample:1}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

class SubstitutionGroups(zeep.Plugin):
    """zeep writes a member of the substitution group s:Item as
    <s:Item xsi:type="s:TestType">; write the member element s:Test."""
    def egress(self, envelope, http_headers, operation, binding_options):
        for item in list(envelope.iter(S + "Item")):
            t = item.attrib.pop(XSI_TYPE).split(":")[-1]
            item.tag = S + t[:-len("Type")]
        return envelope, http_headers

url, ca, cert, key = sys.argv[1:5]
session = requests.Session()
session.trust_env = False  # REQUESTS_CA_BUNDLE and proxies would override verify
session.verify = ca
session.cert = (cert, key)
client = zeep.Client(url + "?wsdl", transport=Transport(session=session), plugins=[SubstitutionGroups()])
service = client.service
address = client.wsdl.services["OrderService"].ports["OrderPort"].binding_options["address"]
print("address", address)
Test = client.get_type(S + "TestType")
resp = service.SubmitOrder(id="o-zeep-1", Patient={"name": ["DUPONT", "Marie"]},
    Item=[Test(seq=1, Code={"code": "GLU", "codeSystem": "2.16.840.1.113883.6.1"})],
    _value_1=[{"Key": "lab", "Value": "north"}], Urgent=True, Ref=["42", "abc-7"])
print("response", resp.requestId, resp.Status, resp.Received.isoformat())
try:
    service.SubmitOrder(id="o-zeep-2", Patient={"name": ["X"]}, Item=[Test(Code={"code": "UNKNOWN", "codeSystem": "1.2.3"})],
        _value_1=[{"Key": "k", "Value": "v"}], Urgent=False)
    print("no fault")
except zeep.exceptions.Fault as f:
    print("fault", f.code, f.message, f.detail[0].find("{urn:dmpgen:sample:service}Reason").text)
`

// TestZeepCallsOurServer: python3-zeep, an independent SOAP 1.2 stack,
// reads the WSDL that the server publishes (imports fetched through the
// rewritten ?xsd= URLs, soap12:address rewritten to the server) and calls
// SubmitOrder over HTTPS with a client certificate.
func TestZeepCallsOurServer(t *testing.T) {
	python := testenv.Python(t, "zeep")
	seen := make(chan *order.Order, 2)
	actions := make(chan string, 2)
	env := soaptest.NewEnv(t, sampleServer(t, seen, actions))
	dir := t.TempDir()
	if err := env.PKI.WritePEM(dir, map[string]tls.Certificate{"client": env.ClientCert}); err != nil {
		t.Fatal(err)
	}
	url := env.URL() + "/orders"
	cmd := exec.Command(python, "-c", zeepScript, url, filepath.Join(dir, "ca.pem"), filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("zeep: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	want := []string{
		"address " + url,
		"response o-zeep-1 urn:dmpgen:status:Accepted 2026-11-24T10:00:00+00:00",
		"fault soap:Sender unknown test code unknown test code UNKNOWN",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("zeep printed\n%s\nwant\n%s", out, strings.Join(want, "\n"))
	}
	if a := <-actions; a != orderservice.OrderOperations()[0].Action {
		t.Errorf("zeep sent wsa:Action %q", a)
	}
	o := <-seen
	if o.Id != "o-zeep-1" || len(o.Item) != 1 || o.Item[0].Test == nil || o.Urgent == nil || !*o.Urgent || len(o.Ref) != 2 {
		t.Errorf("server decoded %+v", o)
	}
	if errs := o.Validate(); errs != nil {
		t.Errorf("zeep's order is not schema-valid: %v", errs)
	}
	if o := <-seen; o.Id != "o-zeep-2" || len(o.Item) != 1 {
		t.Errorf("server decoded the refused order as %+v", o)
	}
}

// TestWSDLPublication checks the documents the server publishes.
func TestWSDLPublication(t *testing.T) {
	env := soaptest.NewEnv(t, sampleServer(t, nil, nil))
	get := func(query string) (int, string) {
		resp, err := env.Client.Get(env.URL() + "/orders?" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	status, wsdl := get("wsdl")
	base := env.URL() + "/orders"
	for _, want := range []string{
		`<soap12:address location="` + base + `"/>`,
		`schemaLocation="` + base + `?xsd=sample.xsd"`,
		`wsaw:Action="urn:dmpgen:sample:SubmitOrder"`,
		`element="s:Order"`,
	} {
		if status != 200 || !strings.Contains(wsdl, want) {
			t.Errorf("?wsdl lacks %s: %d %s", want, status, wsdl)
		}
	}
	status, xsd := get("xsd=sample.xsd")
	if status != 200 || !strings.Contains(xsd, `schemaLocation="`+base+`?xsd=common.xsd"`) || !strings.Contains(xsd, `schemaLocation="`+base+`?xsd=xml.xsd"`) {
		t.Errorf("sample.xsd: %d %s", status, xsd)
	}
	for _, q := range []string{"wsdl=../sample/sample.wsdl", "wsdl=missing.xsd", "wsdl=/etc/passwd", "xsd=../sample/sample.xsd", "xsd=/etc/passwd", "xsd=a/../../x.xsd"} {
		if status, _ := get(q); status != 404 {
			t.Errorf("%s: %d", q, status)
		}
	}
}

// TestSampleServiceFromGo calls the sample service with our own client and
// the generated types, the Go counterpart of the zeep test.
func TestSampleServiceFromGo(t *testing.T) {
	env := soaptest.NewEnv(t, sampleServer(t, nil, nil))
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "examples", "sample", "order.xml"))
	if err != nil {
		t.Fatal(err)
	}
	req := new(order.Order)
	if _, err := xmltext.Unmarshal(data, req, xmltext.Options{}); err != nil {
		t.Fatal(err)
	}
	c := orderservice.NewOrderClient(soap.NewClient(env.URL()+"/orders", soap.WithHTTPClient(env.Client), soap.WithPrefixes(order.Prefixes)))
	resp, err := c.SubmitOrder(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.RequestId != "o1" || resp.Status == nil || *resp.Status != order.StatusType_Accepted {
		t.Errorf("response %+v", resp)
	}
	req.Item[0].Test.Code.Code = "UNKNOWN"
	_, err = c.SubmitOrder(context.Background(), req)
	var fe *soap.FaultError
	if !errors.As(err, &fe) || fe.Name != "OrderFault" {
		t.Fatalf("%v", err)
	}
	if d, ok := fe.Detail.(*orderservice.OrderFault); !ok || d.Reason == nil || *d.Reason != "unknown test code UNKNOWN" {
		t.Errorf("declared fault detail %#v", fe.Detail)
	}
}
