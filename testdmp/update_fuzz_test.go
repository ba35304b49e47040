package testdmp

import (
	"bytes"
	"context"
	"testing"

	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

var (
	nameSubmitObjects = xmltext.Name{Space: "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0", Local: "SubmitObjectsRequest"}
	nameRegistryResp  = xmltext.Name{Space: "urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0", Local: "RegistryResponse"}
	namePnR           = xmltext.Name{Space: "urn:ihe:iti:xds-b:2007", Local: "ProvideAndRegisterDocumentSetRequest"}
)

// FuzzUpdateDocumentSet decodes arbitrary ITI-57 requests and applies them
// to a registry holding the official TD2.1 submission: the registry may
// refuse a request, but must not panic, its answer must encode, and every
// lineage keeps at most one version that is not Deprecated. Seeds: a valid
// new version, a stale one, an archive and a delete (the official TD3.3c/d
// requests lack ebRIM-required attributes and do not decode).
func FuzzUpdateDocumentSet(f *testing.F) {
	pnr, atts := td21Repaired(f)
	submission := encode(f, pnr, namePnR)
	r := laxRegistry()
	publishTD21(f, r)
	v1 := findDocuments(f, r, "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH", StatusApproved)[0]
	f.Add(encode(f, newVersionRequest(v1, "1"), nameSubmitObjects))
	f.Add(encode(f, newVersionRequest(v1, "7"), nameSubmitObjects))
	f.Add(encode(f, updateStatusRequest(v1.Id, StatusApproved, StatusArchived), nameSubmitObjects))
	f.Add(encode(f, updateStatusRequest(v1.Id, StatusArchived, StatusDeleted), nameSubmitObjects))
	f.Fuzz(func(t *testing.T, data []byte) {
		var req lcm.SubmitObjectsRequest
		if _, err := xmltext.Unmarshal(data, &req, xmltext.Options{File: "fuzz"}); err != nil {
			return
		}
		var pr xdsb.ProvideAndRegisterDocumentSetRequestType
		if _, err := xmltext.Unmarshal(submission, &pr, xmltext.Options{}); err != nil {
			t.Fatal(err)
		}
		r := laxRegistry()
		r.attachments = func(_ context.Context, id string) ([]byte, error) { return atts[id], nil }
		if resp, err := r.ProvideAndRegisterDocumentSetB(context.Background(), &pr); err != nil || resp.Status != responseSuccess {
			t.Fatalf("publish: %v %+v", err, resp)
		}
		resp, err := r.UpdateDocumentSet(context.Background(), &req)
		if err != nil {
			t.Fatalf("UpdateDocumentSet answers with a registry response, not an error: %v", err)
		}
		var buf bytes.Buffer
		e := xmltext.NewEncoder(&buf)
		if err := resp.MarshalXMLText(e, nameRegistryResp); err != nil {
			t.Fatalf("encoding the response: %v", err)
		}
		if resp.Status != responseSuccess && resp.Status != responseFailure {
			t.Fatalf("status %q", resp.Status)
		}
		current := map[string]int{}
		for _, en := range r.entries {
			if en.status != StatusDeprecated {
				current[en.lid]++
			}
			if r.byUUID[en.eo.Id] != en {
				t.Fatalf("entry %s is not indexed by its entryUUID", en.eo.Id)
			}
		}
		for lid, n := range current {
			if n > 1 {
				t.Fatalf("lineage %s has %d current versions", lid, n)
			}
		}
	})
}
