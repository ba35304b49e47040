package vet

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// requestMessageID is the wsa:MessageID of requestEnvelope.
const requestMessageID = "urn:uuid:2c9d4f1e-8a7b-4c6d-9e5f-0a1b2c3d4e5f"

// td32Request is a TD3.2 request (the kit's, without its VIHF) with the
// given DocumentRequest elements.
func td32Request(docs string) string {
	return `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing">
  <soap:Header>
    <wsa:Action soap:mustUnderstand="true">urn:ihe:iti:2007:RetrieveDocumentSet</wsa:Action>
    <wsa:MessageID>urn:uuid:9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a</wsa:MessageID>
    <wsa:To></wsa:To>
  </soap:Header>
  <soap:Body>
    <RetrieveDocumentSetRequest xmlns="urn:ihe:iti:xds-b:2007">` + docs + `
    </RetrieveDocumentSetRequest>
  </soap:Body>
</soap:Envelope>
`
}

const td32Doc = `
      <DocumentRequest>
        <RepositoryUniqueId>1.2.250.1.213.4.1.1.1.2</RepositoryUniqueId>
        <DocumentUniqueId>1.2.250.1.999.1.1.7898.1.995657292</DocumentUniqueId>
      </DocumentRequest>`

// xdsFindings returns the rules of the xds layer found in a capture.
func xdsFindings(e *Exchange) []string {
	var out []string
	for _, f := range e.Findings {
		if f.Layer == LayerXDS {
			out = append(out, f.Rule)
		}
	}
	return out
}

// TestRequestRules: a valid TD3.1 or TD3.2 request mutated to break one
// ITI-18/ITI-43 rule yields exactly that finding, positioned at the
// parameter or the document.
func TestRequestRules(t *testing.T) {
	if got := xdsFindings(Check("td32.xml", []byte(td32Request(td32Doc)), Options{})); len(got) > 0 {
		t.Fatalf("valid TD3.2 request: %v", got)
	}
	request := requestEnvelope(t, nil)
	for _, tc := range []struct {
		rule, capture string
		line          int
	}{
		{"xds.MISSING_REQUIRED_QUERY_PARAMETER", replace(`<rim:Slot name="$XDSDocumentEntryStatus"><rim:ValueList><rim:Value>('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')</rim:Value></rim:ValueList></rim:Slot>`, "")(t, request), 0},
		{"xds.UNKNOWN_QUERY_TYPE", replace("a90016b0af0d", "a90016b0af0e")(t, request), 0},
		{"xds.INVALID_QUERY_PARAMETER_VALUE", replace("StatusType:Approved", "StatusType:Approuve")(t, request), 14},
		{"xds.UNKNOWN_QUERY_PARAMETER", replace(`</rim:AdhocQuery>`, `<rim:Slot name="$XDSFolderStatus"><rim:ValueList><rim:Value>('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')</rim:Value></rim:ValueList></rim:Slot></rim:AdhocQuery>`)(t, request), 15},
		{"xds.DUPLICATE_DOCUMENT_REQUEST", td32Request(td32Doc + td32Doc), 0},
		{"xds.REPO_ID_MUST_BE_SPECIFIED", td32Request(strings.Replace(td32Doc, "<RepositoryUniqueId>1.2.250.1.213.4.1.1.1.2</RepositoryUniqueId>", "", 1)), 11},
	} {
		e := Check("capture.xml", []byte(tc.capture), Options{At: vihfNow})
		got := xdsFindings(e)
		if !slices.Equal(got, []string{tc.rule}) {
			t.Errorf("%s: got %v", tc.rule, e.Findings)
			continue
		}
		for _, f := range e.Findings {
			if f.Rule == tc.rule && tc.line > 0 && f.Line != tc.line {
				t.Errorf("%s at line %d, want %d: %v", tc.rule, f.Line, tc.line, f)
			}
		}
	}
}

// writeCaptures writes captures in a new directory.
func writeCaptures(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// pairRules returns the pairing findings of a run, as "file rule".
func pairRules(t *testing.T, dir string) []string {
	t.Helper()
	r, err := Run([]string{dir}, Options{At: vihfNow})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range r.Exchanges {
		for _, f := range e.Findings {
			if f.Rule == "wsa.relatesto-unmatched" || f.Rule == "wsa.response-action-mismatch" || f.Rule == "wsa.request-unanswered" {
				out = append(out, filepath.Base(e.File)+" "+f.Rule)
			}
		}
	}
	return out
}

// httpRequest wraps an envelope in an HTTP request dump.
func httpRequest(env string) string {
	return "POST /registry HTTP/1.1\r\nHost: dmp\r\nContent-Type: application/soap+xml; charset=UTF-8\r\n\r\n" + env
}

// TestPairing: in a directory of captures, a response pairs with its
// request by RelatesTo; a mutation of the pair breaks one pairing rule.
func TestPairing(t *testing.T) {
	request := httpRequest(requestEnvelope(t, nil))
	response := replace("urn:uuid:1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", requestMessageID)(t, readTestdata(t, "td31-response.http"))
	td32 := "HTTP/1.1 200 OK\r\n" + readTestdata(t, "td32-response.mime")
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"paired", map[string]string{"1-request.http": request, "2-response.http": response}, nil},
		{"standalone messages are not paired", map[string]string{"1-request.http": request, "2-response.http": readTestdata(t, "td31-response.http")}, nil},
		{"response to a request not captured", map[string]string{"1-request.http": request, "2-response.http": response, "3-response.http": td32},
			[]string{"3-response.http wsa.relatesto-unmatched"}},
		{"request without its response", map[string]string{"1-request.http": request, "2-response.http": response,
			"3-request.http": httpRequest(td32Request(td32Doc))}, []string{"3-request.http wsa.request-unanswered"}},
		{"bare envelopes are not paired", map[string]string{"1-request.http": requestEnvelope(t, nil), "2-response.http": response,
			"3-request.xml": td32Request(td32Doc)}, nil},
		{"response action of another operation", map[string]string{"1-request.http": request,
			"2-response.http": strings.ReplaceAll(response, "urn:ihe:iti:2007:RegistryStoredQueryResponse", "urn:ihe:iti:2007:RetrieveDocumentSetResponse")},
			[]string{"2-response.http wsa.response-action-mismatch"}},
	} {
		got := pairRules(t, writeCaptures(t, tc.files))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestCheckPair: a recording pairs request and response by its index; a
// response relating to another message, or answering with the action of
// another operation, is reported.
func TestCheckPair(t *testing.T) {
	request := requestEnvelope(t, nil)
	response := replace("urn:uuid:1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", requestMessageID)(t, readTestdata(t, "td31-response.http"))
	for _, tc := range []struct {
		name, response, want string
	}{
		{"paired", response, ""},
		{"other RelatesTo", readTestdata(t, "td31-response.http"), "wsa.relatesto-unmatched"},
		{"other action", strings.ReplaceAll(response, "urn:ihe:iti:2007:RegistryStoredQueryResponse", "urn:ihe:iti:2007:RetrieveDocumentSetResponse"), "wsa.response-action-mismatch"},
	} {
		req := Check("request.xml", []byte(request), Options{At: vihfNow})
		resp := Check("response.http", []byte(tc.response), Options{At: vihfNow})
		before := len(resp.Findings)
		checkPair(req, resp)
		var got string
		for _, f := range resp.Findings[before:] {
			got += f.Rule
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestRecordingPairs: Recording checks each response against the request
// its index line pairs it with; the evidence counts the finding.
func TestRecordingPairs(t *testing.T) {
	dir := writeRecording(t) // its responses relate to another MessageID
	count := func() (int, int) {
		t.Helper()
		r, err := Recording(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range r.Exchanges {
			for _, f := range e.Findings {
				if f.Rule == "wsa.relatesto-unmatched" {
					n++
				}
			}
		}
		return n, r.Evidence.Exchanges[0].Warnings
	}
	if n, w := count(); n != 2 || w != 1 {
		t.Fatalf("unrelated responses: %d findings, %d warnings in the evidence, want 2 and 1", n, w)
	}
	for _, name := range []string{"0001-TD3.1-response.http", "0002-TD3.1-response.http"} {
		p := filepath.Join(dir, name)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(b), "urn:uuid:1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", requestMessageID)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if n, w := count(); n != 0 || w != 0 {
		t.Fatalf("paired responses: %d findings, %d warnings", n, w)
	}
}
