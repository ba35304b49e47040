package vet

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xmldsig/xmldsigtest"
)

// TestKitTD21Mutations checks the ITI-41 layers (documents against their
// entries, hash and size of the attachments, XOP references) on the kit's
// TD2.1 capture: its document id fixed, then one rule broken at a time.
func TestKitTD21Mutations(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testenv.Kit(t), filepath.FromSlash(kitMessages), "TD2.1_Alimentation_requete.xml"))
	if err != nil {
		t.Fatal(err)
	}
	const entry = `<ExtrinsicObject id="DocumentME2" mimeType="text/xml" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">`
	fixed := strings.Replace(string(data), `<ns4:Document id="documentME2">`, `<ns4:Document id="DocumentME2">`, 1)
	if fixed == string(data) || !strings.Contains(fixed, entry) {
		t.Fatal("the TD2.1 capture is not the one this test knows")
	}
	// The content of the first attachment, as vet reads it.
	c, fs := readCapture("TD2.1", []byte(fixed))
	if c == nil || len(c.parts) != 2 {
		t.Fatalf("reading the capture: %v", fs)
	}
	sum := sha1.Sum(c.parts[0].data)
	slot := func(name, value string) string {
		return entry + fmt.Sprintf(`<Slot name="%s"><ValueList><Value>%s</Value></ValueList></Slot>`, name, value)
	}
	base := rulesOf(Check("TD2.1", []byte(fixed), Options{}))
	for _, r := range []string{"xds.MISSING_DOCUMENT_FOR_DOC_ENTRY", "xds.MISSING_DOC_ENTRY_FOR_DOCUMENT"} {
		if slices.Contains(base, r) {
			t.Errorf("with the document id fixed, still %s", r)
		}
	}
	for _, tt := range []struct {
		name, old, new string
		want           []string
	}{
		{"right hash and size", entry, slot("hash", hex.EncodeToString(sum[:])) + fmt.Sprintf(`<Slot name="size"><ValueList><Value>%d</Value></ValueList></Slot>`, len(c.parts[0].data)), nil},
		{"wrong hash", entry, slot("hash", strings.Repeat("0", 40)), []string{"xds.INCORRECT_HASH"}},
		{"wrong size", entry, slot("size", "1"), []string{"xds.INCORRECT_SIZE"}},
		{"unresolved XOP reference", `href="cid:WS_DMP_TD2.1-DocumentME2.xml"`, `href="cid:elsewhere"`, []string{"mtom.xop-unresolved", "mtom.part-unreferenced"}},
		{"manifest names the document", "urn:oid:1.2.250.1.999.1.1.7898.3.9956570900", "urn:oid:1.2.250.1.999.1.1.7898.3.1622814651504", []string{"xades.manifest-digest"}},
		{"manifest with the document's digest", "<DigestValue>AA==</DigestValue><", "", nil},
		{"document without entry", `<ns4:Document id="DocumentME2">`, `<ns4:Document id="DocumentME3">`, []string{"xds.MISSING_DOCUMENT_FOR_DOC_ENTRY", "xds.MISSING_DOC_ENTRY_FOR_DOCUMENT"}},
	} {
		if tt.name == "manifest with the document's digest" {
			tt.old = "urn:oid:1.2.250.1.999.1.1.7898.3.9956570900\"><DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/><DigestValue>AA==</DigestValue>"
			tt.new = "urn:oid:1.2.250.1.999.1.1.7898.3.1622814651504\"><DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/><DigestValue>" + base64.StdEncoding.EncodeToString(sum[:]) + "</DigestValue>"
		}
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(fixed, tt.old) {
				t.Fatalf("%q is not in the capture", tt.old)
			}
			got := rulesOf(Check("TD2.1", []byte(strings.Replace(fixed, tt.old, tt.new, 1)), Options{}))
			for _, r := range base {
				if i := slices.Index(got, r); i >= 0 {
					got = slices.Delete(got, i, i+1)
				}
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got %v besides the capture's own findings, want %v", got, want)
			}
		})
	}
}

// TestKitTD21Signatures: with trust anchors the kit's XAdES signature (made
// by a test CA vet is not given) is refused instead of being reported as
// unchecked; the VIHF is unsigned either way.
func TestKitTD21Signatures(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testenv.Kit(t), filepath.FromSlash(kitMessages), "TD2.1_Alimentation_requete.xml"))
	if err != nil {
		t.Fatal(err)
	}
	without := rulesOf(Check("TD2.1", data, Options{}))
	with := rulesOf(Check("TD2.1", data, Options{Trust: xmldsigtest.NewPKI(t).Pool}))
	if !slices.Contains(without, "vihf.unsigned") {
		t.Errorf("the kit's VIHF is unsigned: %v", without)
	}
	for _, r := range []string{"xades.signature-unchecked"} {
		i := slices.Index(without, r)
		if i < 0 {
			t.Fatalf("no %s without trust anchors: %v", r, without)
		}
		without[i] = strings.TrimSuffix(r, "-unchecked")
	}
	if !slices.Equal(with, without) {
		t.Errorf("with trust anchors: %v, want %v", with, without)
	}
}
