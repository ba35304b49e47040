package dmp_test

import (
	"errors"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// TestMaskFlowAgainstTestDMP runs publish → find → Mask → find → Unmask →
// find against the embedded test DMP, over HTTPS with client certificates
// and a signed VIHF: each update is a new version of the entry (same lid,
// next version number, the previous one Deprecated), MASQUE_PS comes and
// goes, the other confidentiality codes stay; an update naming a replaced
// version is rejected by the registry as a *dmp.Error.
func TestMaskFlowAgainstTestDMP(t *testing.T) {
	c := testDMPClient(t, dmp.Options{})
	p := examplePublication(t, []byte("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>CR</title></ClinicalDocument>\n"))
	p.Patient = examplePatient
	p.Submission.UniqueID = ""
	p.Sign = nil
	e := &p.Documents[0].Entry
	e.EntryUUID = "urn:uuid:9a4b37f6-7f0e-4a57-9d49-3c2b8e6d1f01"
	e.UniqueID = "1.2.250.1.999.1.1.7898.3.4242"
	e.ConfidentialityCodes = append(e.ConfidentialityCodes, code("INVISIBLE_PATIENT", "1.2.250.1.213.1.1.4.13", "Non visible par le patient"))
	if _, err := c.Publish(ctx, p); err != nil {
		t.Fatalf("TD2.1: %v", err)
	}
	find := func(step string) *xds.DocumentEntry {
		t.Helper()
		res, err := c.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: examplePatient})
		if err != nil {
			t.Fatalf("%s: TD3.1: %v", step, err)
		}
		var found []*xds.DocumentEntry
		for _, d := range res.Documents() {
			if d.UniqueID == e.UniqueID {
				found = append(found, d)
			}
		}
		if len(found) != 1 {
			t.Fatalf("%s: %d Approved entries of the document, want 1", step, len(found))
		}
		return found[0]
	}
	codes := func(d *xds.DocumentEntry) []string {
		var out []string
		for _, cc := range d.ConfidentialityCodes {
			out = append(out, cc.Code)
		}
		return out
	}
	check := func(step string, d *xds.DocumentEntry, version int, masked bool) {
		t.Helper()
		if n, ok := d.VersionNumber(); !ok || n != version {
			t.Errorf("%s: version %d, want %d", step, n, version)
		}
		if d.Lineage() != e.EntryUUID {
			t.Errorf("%s: lid %q, want the first version's id %q", step, d.Lineage(), e.EntryUUID)
		}
		if dmp.IsMasked(d) != masked {
			t.Errorf("%s: confidentialityCodes %v, masked %v", step, codes(d), masked)
		}
		if cs := codes(d); len(cs) < 2 || cs[0] != "N" || cs[1] != "INVISIBLE_PATIENT" {
			t.Errorf("%s: confidentialityCodes %v: N and INVISIBLE_PATIENT must stay", step, cs)
		}
	}
	upd := func(d *xds.DocumentEntry) dmp.MetadataUpdate {
		return dmp.MetadataUpdate{Patient: examplePatient, Submission: exampleSubmission(""), Entry: d}
	}

	v1 := find("published")
	check("published", v1, 1, false)
	if _, err := c.Mask(ctx, upd(v1)); err != nil {
		t.Fatalf("Mask: %v", err)
	}
	v2 := find("masked")
	check("masked", v2, 2, true)
	if v2.EntryUUID == v1.EntryUUID {
		t.Errorf("the masked version kept the entryUUID %s", v1.EntryUUID)
	}
	if _, err := c.Unmask(ctx, upd(v2)); err != nil {
		t.Fatalf("Unmask: %v", err)
	}
	v3 := find("unmasked")
	check("unmasked", v3, 3, false)
	deprecated, err := c.FindDocuments(ctx, dmp.FindDocumentsQuery{Patient: examplePatient, Statuses: []string{xds.StatusDeprecated}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(deprecated.Documents()); n != 2 {
		t.Errorf("%d Deprecated versions, want 2", n)
	}

	// Version 1 is no longer current: the registry rejects its
	// PreviousVersion.
	_, err = c.Mask(ctx, upd(v1))
	var de *dmp.Error
	var re *soap.RegistryError
	if !errors.As(err, &de) || !errors.As(err, &re) || len(de.Codes()) != 1 || de.Codes()[0] != "XDSMetadataVersionError" {
		t.Fatalf("stale PreviousVersion: got %T %v", err, err)
	}
	check("after the stale update", find("after the stale update"), 3, false)
}
