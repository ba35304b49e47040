package soap_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

const rsNS = `xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0"`

// TestRegistryErrors checks that registry statuses other than Success
// become a *RegistryError, on every shape of response that carries one.
func TestRegistryErrors(t *testing.T) {
	var answer string
	srv := soap.NewServer()
	query := soap.Operation{Name: "Query", Version: soap.V12, Action: "urn:test:AdhocQuery", ResponseAction: "urn:test:AdhocQueryResponse",
		Request: tn("Query2"), Response: xmltext.Name{Space: "urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0", Local: "AdhocQueryResponse"}}
	retrieve := soap.Operation{Name: "Retrieve", Version: soap.V12, Action: "urn:test:Retrieve", ResponseAction: "urn:test:RetrieveResponse",
		Request: tn("Query3"), Response: xmltext.Name{Space: "urn:ihe:iti:xds-b:2007", Local: "RetrieveDocumentSetResponse"}}
	h := func(context.Context, xmlbind.Value) (xmlbind.Value, error) { return parseDOM(t, answer), nil }
	srv.Handle(&opRegistry, newMsg, h)
	srv.Handle(&query, newMsg, h)
	srv.Handle(&retrieve, newMsg, h)
	env := soaptest.NewEnv(t, srv)
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))

	errorList := `<rs:RegistryErrorList highestSeverity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error">
  <rs:RegistryError codeContext="Le patient n'a pas de DMP" errorCode="DMPPatientNotFound" location="dmp" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"/>
  <rs:RegistryError codeContext="avertissement" errorCode="XDSRegistryMetadataError" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning">texte</rs:RegistryError>
  <rs:RegistryError codeContext="sans sévérité" errorCode="E3"/>
</rs:RegistryErrorList>`
	wantEntries := []soap.RegistryErrorEntry{
		{ErrorCode: "DMPPatientNotFound", CodeContext: "Le patient n'a pas de DMP", Severity: soap.SeverityError, Location: "dmp"},
		{ErrorCode: "XDSRegistryMetadataError", CodeContext: "avertissement", Severity: soap.SeverityWarning, Text: "texte"},
		{ErrorCode: "E3", CodeContext: "sans sévérité", Severity: soap.SeverityError},
	}
	cases := []struct {
		name    string
		op      *soap.Operation
		answer  string
		status  string // "" = no error expected
		entries bool
	}{
		{"RegistryResponse Failure", &opRegistry, `<rs:RegistryResponse ` + rsNS + ` status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure">` + errorList + `</rs:RegistryResponse>`, soap.StatusFailure, true},
		{"RegistryResponse PartialSuccess", &opRegistry, `<rs:RegistryResponse ` + rsNS + ` status="urn:ihe:iti:2007:ResponseStatusType:PartialSuccess"><rs:ResponseSlotList/>` + errorList + `</rs:RegistryResponse>`, soap.StatusPartialSuccess, true},
		{"RegistryResponse Success with warnings", &opRegistry, `<rs:RegistryResponse ` + rsNS + ` status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success">` + errorList + `</rs:RegistryResponse>`, "", false},
		{"RegistryResponse unknown status", &opRegistry, `<rs:RegistryResponse ` + rsNS + ` status="urn:x:Maybe"/>`, "urn:x:Maybe", false},
		{"AdhocQueryResponse Failure", &query, `<q:AdhocQueryResponse xmlns:q="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" ` + rsNS + ` status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure">` + errorList + `<rim:RegistryObjectList xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"/></q:AdhocQueryResponse>`, soap.StatusFailure, true},
		{"AdhocQueryResponse Success", &query, `<q:AdhocQueryResponse xmlns:q="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"><rim:RegistryObjectList xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"/></q:AdhocQueryResponse>`, "", false},
		{"RetrieveDocumentSetResponse PartialSuccess", &retrieve, `<x:RetrieveDocumentSetResponse xmlns:x="urn:ihe:iti:xds-b:2007"><rs:RegistryResponse ` + rsNS + ` status="urn:ihe:iti:2007:ResponseStatusType:PartialSuccess">` + errorList + `</rs:RegistryResponse><x:DocumentResponse/></x:RetrieveDocumentSetResponse>`, soap.StatusPartialSuccess, true},
		{"RetrieveDocumentSetResponse Success", &retrieve, `<x:RetrieveDocumentSetResponse xmlns:x="urn:ihe:iti:xds-b:2007"><rs:RegistryResponse ` + rsNS + ` status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"/></x:RetrieveDocumentSetResponse>`, "", false},
		{"status attribute of another vocabulary", &query, `<q:AdhocQueryResponse xmlns:q="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" status="failed"/>`, "", false},
	}
	for _, tc := range cases {
		answer = tc.answer
		resp := new(dom)
		err := c.Call(context.Background(), tc.op, &msg{}, resp)
		if tc.status == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		var re *soap.RegistryError
		if !errors.As(err, &re) {
			t.Errorf("%s: %v is not a *RegistryError", tc.name, err)
			continue
		}
		if re.Status != tc.status || re.Response != resp || resp.El == nil {
			t.Errorf("%s: status %q response %v", tc.name, re.Status, re.Response)
		}
		if re.PartialSuccess() != (tc.status == soap.StatusPartialSuccess) {
			t.Errorf("%s: PartialSuccess() = %v", tc.name, re.PartialSuccess())
		}
		if tc.entries {
			if len(re.Errors) != len(wantEntries) {
				t.Fatalf("%s: entries %+v", tc.name, re.Errors)
			}
			for i := range wantEntries {
				if re.Errors[i] != wantEntries[i] {
					t.Errorf("%s: entry %d = %+v, want %+v", tc.name, i, re.Errors[i], wantEntries[i])
				}
			}
			if !strings.Contains(err.Error(), "DMPPatientNotFound: Le patient n'a pas de DMP") {
				t.Errorf("%s: message %q", tc.name, err)
			}
		}
	}
}
