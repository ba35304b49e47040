package dmp_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/generated/xds/rs"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xds/cda"
)

// cdaSupplied are the codes a CDA header does not carry.
var cdaSupplied = cda.Supplied{
	ClassCode:  code("10", "1.2.250.1.213.1.1.4.1", "Compte rendu"),
	FormatCode: code("urn:ihe:iti:xds-sd:text:2008", "1.3.6.1.4.1.19376.1.2.3", "Document à corps non structuré en texte brut"),
}

// TestPublishCDA publishes a CDA document with PublishDocument.CDA: the
// entry sent is the one its header derives, the document is sent whole;
// an entry attribute that disagrees with the header stops the submission
// before anything is sent.
func TestPublishCDA(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "testdata", "cda", "complete.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := cda.Derive(bytes.NewReader(doc), "complete.xml", cdaSupplied)
	if err != nil {
		t.Fatal(err)
	}
	patient, err := hl7v2.ParseCX(want.PatientID)
	if err != nil {
		t.Fatal(err)
	}
	pub := func(e xds.DocumentEntry) dmp.Publication {
		return dmp.Publication{Patient: patient, Submission: exampleSubmission("1.2.250.1.999.1.1.4242.1.1"),
			Documents: []dmp.PublishDocument{{Entry: e, Content: bytes.NewReader(doc), CDA: &cdaSupplied}}}
	}
	ok := &rs.RegistryResponseType{Status: soap.StatusSuccess}
	c, rec := xdsServerWith(t, &kitXDS{registry: ok}, fixedOptions())
	res, err := c.Publish(ctx, pub(xds.DocumentEntry{}))
	if err != nil {
		t.Fatal(err)
	}
	got := *res.Documents[0]
	if got.EntryUUID != "Document01" || got.ObjectType != xds.ObjectTypeStable || got.Size != itoa(len(doc)) || len(got.Hash) != 40 {
		t.Errorf("sent %+v", got)
	}
	if got.Title.String() != want.Title.String() {
		t.Errorf("title %q, want %q", got.Title.String(), want.Title.String())
	}
	got.Base, got.Size, got.Hash = want.Base, "", ""
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("sent\n%+v\nwant\n%+v", got, *want)
	}
	if _, parts := rec.envelope(t); !bytes.Equal(parts["Document01@dmpgen"], doc) {
		t.Errorf("the document was not sent whole after its header was read")
	}

	c, rec = xdsServerWith(t, &kitXDS{registry: ok}, fixedOptions())
	_, err = c.Publish(ctx, pub(xds.DocumentEntry{CreationTime: "20240312143015", LanguageCode: "fr-FR"}))
	var me *dmp.CDAMismatchError
	if !errors.As(err, &me) || me.Document != "Document01" || len(me.Mismatches) != 1 || me.Mismatches[0].Code != "creation-time" {
		t.Fatalf("an entry that disagrees with its CDA: %v", err)
	}
	if rec.body != nil {
		t.Error("the request was sent although its metadata disagree with the CDA")
	}
}

// TestPublishKitCDA: the TD2.1 example's metadata published with its CDA
// is refused on the attributes of docs/kit-defects.md#td21-metadata-and-its-cda
// but the eventCodeList, which the entry leaves empty and Publish fills.
func TestPublishKitCDA(t *testing.T) {
	doc := readKit(t, "TD2.1-DocumentME2.xml")
	p := examplePublication(t, doc)
	p.Documents[0].CDA = &cda.Supplied{}
	c, rec := xdsServerWith(t, &kitXDS{}, fixedOptions())
	_, err := c.Publish(ctx, p)
	var me *dmp.CDAMismatchError
	if !errors.As(err, &me) {
		t.Fatalf("%v", err)
	}
	var codes []string
	for _, m := range me.Mismatches {
		codes = append(codes, m.Code)
	}
	want := []string{"source-patient-info", "legal-authenticator", "creation-time", "service-start-time", "service-stop-time",
		"unique-id", "healthcare-facility-type-code", "title"}
	if !slices.Equal(codes, want) || rec.body != nil {
		t.Errorf("mismatches %v, want %v; sent: %v", codes, want, rec.body != nil)
	}
}
