package xdsrim_test

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/dmp/xdsrim"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rs"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// exampleRules is what the rules find in an official example: the
// transaction its metadata belongs to and the violations, as "CODE×n".
type exampleRules struct {
	tr   xds.Transaction
	want string
}

// The defects of the official examples (docs/kit-defects.md), as the rules see
// them with the DMP profile and the DMP value sets.
var exampleFindings = map[string]exampleRules{
	// typeCode 27899-4 is no longer in JDV_J66 (2024); xdsb:Document
	// "documentME2" does not match ExtrinsicObject "DocumentME2".
	"dmp/examples/messages-v02.05.00/TD2.1_Alimentation_requete.xml": {xds.ITI41,
		"CODE_NOT_IN_VALUE_SET×1 MISSING_DOCUMENT_FOR_DOC_ENTRY×1 MISSING_DOC_ENTRY_FOR_DOCUMENT×1"},
	// typeCodes and one formatCode (urn:ihe:qrph:hbs:2009) of 2021 outside today's J66/J60.
	"dmp/examples/messages-v02.05.00/TD3.1_Recherche-de-document_reponse.xml": {xds.ITI18, "CODE_NOT_IN_VALUE_SET×10"},
	// the author classification without classifiedObject, identifiers without registryObject
	"dmp/examples/messages-v02.05.00/TD3.3c_Supprimer-un-document_requete.xml": {xds.ITI57, "NO_CLASSIFIED_OBJ×1 WRONG_REGISTRY_OBJECT×3"},
	"dmp/examples/messages-v02.05.00/TD3.3d_Archiver-un-document_requete.xml":  {xds.ITI57, "NO_CLASSIFIED_OBJ×1 WRONG_REGISTRY_OBJECT×3"},
	// typeCode 27899-4; classification id cla68 used twice
	"dmp/examples/kit-2.06.01-templates/template_XDS.xml":           {xds.ITI41, "CODE_NOT_IN_VALUE_SET×1 UUID_NOT_UNIQUE×1"},
	"dmp/examples/kit-2.06.01-templates/template_archivage.xml":     {xds.ITI57, "WRONG_REGISTRY_OBJECT×3"},
	"dmp/examples/kit-2.06.01-templates/template_depublication.xml": {xds.ITI57, "WRONG_REGISTRY_OBJECT×3"},
	// submissionTime is an unsubstituted template placeholder
	"dmp/examples/kit-2.06.01-templates/template_depublicationCVA.xml": {xds.ITI57, "INVALID_TIME×1 WRONG_REGISTRY_OBJECT×3"},
	// the entry's classifications and identifiers name its lid instead of
	// its id; a classification id used twice; the entry's patientId has
	// another CX.7 date than the SubmissionSet's
	"dmp/examples/kit-2.06.01-templates/template_masquage.xml": {xds.ITI57,
		"DOC_ENTRY_PATIENT_ID_WRONG×1 NO_CLASSIFIED_OBJ×1 UUID_NOT_UNIQUE×1 WRONG_CLASSIFIED_OBJ×9 WRONG_REGISTRY_OBJECT×5"},
	// IPF's samples: Connect-a-thon codes, free-text authors, UUIDs broken by
	// a space, authorSpeciality, a sourceId that is not an OID
	"ihe/xds-b/examples/ipf/SubmitObjectsRequest_ebrs30.xml":               {xds.ITI41, ipfFindings},
	"ihe/xds-b/examples/ipf/SubmitObjectsRequest_ebrs30_2.xml":             {xds.ITI41, ipfFindings},
	"ihe/xds-b/examples/ipf/SubmitObjectsRequest_ebrs3_extra_metadata.xml": {xds.ITI41, ipfFindings},
	"ihe/xds-b/examples/ipf/SubmitObjectsRequest_ebrs30_update.xml": {xds.ITI57,
		"CODE_NOT_IN_VALUE_SET×7 CWE_NEEDS_CODING_SYSTEM×6 CWE_NEEDS_TEXT×6"},
	// IPF's negative sample: two entries with the same lid
	"ihe/xds-b/examples/ipf/SubmitObjectsRequest_ebrs30_update_sameLid.xml": {xds.ITI57,
		"CODE_NOT_IN_VALUE_SET×13 CWE_NEEDS_CODING_SYSTEM×10 CWE_NEEDS_TEXT×10 DOC_ENTRY_NOT_IN_SUBMISSION_SET×1 LOGICAL_ID_SAME×1 MISSING_HAS_MEMBER_ASSOCIATION×1 UUID_NOT_UNIQUE×12"},
	// a NIST test-plan template: $placeholders$ and symbolic values
	"ihe/xds-b/examples/nist/deprecate_12319.xml": {xds.ITI57,
		"CODE_NOT_IN_VALUE_SET×1 CWE_NEEDS_CODING_SYSTEM×2 CWE_NEEDS_TEXT×2 HD_NEEDS_UNIVERSAL_ID×1 INVALID_OID×1 UNIVERSAL_ID_TYPE_MUST_BE_ISO×1 UNRESOLVED_REFERENCE×1"},
}

const ipfFindings = "CODE_NOT_IN_VALUE_SET×6 CWE_NEEDS_CODING_SYSTEM×2 CWE_NEEDS_TEXT×2 INVALID_OID×1 MISSING_EXTERNAL_IDENTIFIER×2 PERSON_HD_MISSING×2 UNIQUE_ID_MISSING×1 UNKNOWN_CLASSIFICATION_SCHEME×1 UNKNOWN_IDENTIFICATION_SCHEME×3 UNKNOWN_SLOT_NAME×2 WRONG_NUMBER_OF_CLASSIFICATIONS×1"

// td21Documents are the xdsb:Document ids of the TD2.1 capture.
var td21Documents = []xds.Document{{ID: "documentME2"}, {ID: "Signature01"}}

func tallyCodes(vs xds.Violations) string {
	n := map[xds.RuleCode]int{}
	for _, v := range vs {
		n[v.Code]++
	}
	var out []string
	for c, k := range n {
		out = append(out, fmt.Sprintf("%s×%d", c, k))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestExampleFindings validates the metadata of every example and checks
// the violations against the documented defects.
func TestExampleFindings(t *testing.T) {
	for _, ex := range examples {
		want, ok := exampleFindings[ex.rel]
		if !ok {
			t.Fatalf("%s: no expected findings", ex.rel)
		}
		t.Run(ex.rel, func(t *testing.T) {
			c := load(t, ex)[0]
			m, err := xdsrim.Decode(*c.list)
			if err != nil {
				t.Fatal(err)
			}
			vs := xds.Validate(m, options(want.tr))
			if strings.Contains(ex.rel, "TD2.1") {
				vs = append(vs, xds.ValidateDocuments(m, td21Documents)...)
			}
			if got := tallyCodes(vs); got != want.want {
				for _, v := range vs {
					t.Log(v)
				}
				t.Errorf("%s:\n got %s\nwant %s", want.tr, got, want.want)
			}
		})
	}
}

// TestExampleResponses checks the status of the official registry
// responses (TD2.1, TD3.1, TD3.3c/d).
func TestExampleResponses(t *testing.T) {
	for _, rel := range []string{
		"dmp/examples/messages-v02.05.00/TD2.1_Alimentation_reponse.xml",
		"dmp/examples/messages-v02.05.00/TD3.1_Recherche-de-document_reponse.xml",
		"dmp/examples/messages-v02.05.00/TD3.3c_Supprimer-un-document_reponse.xml",
		"dmp/examples/messages-v02.05.00/TD3.3d_Archiver-un-document_reponse.xml",
	} {
		data, err := os.ReadFile(testenv.KitFile(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		root, err := parseDOM(data, rel, false)
		if err != nil {
			t.Fatal(err)
		}
		body := root.Elements()[len(root.Elements())-1].Elements()[0]
		var r xds.Response
		switch body.Name.Local {
		case "RegistryResponse":
			var v rs.RegistryResponseType
			if _, err := xmltext.Unmarshal(serialize(t, body), &v, xmltext.Options{File: rel}); err != nil {
				t.Fatal(err)
			}
			r = xdsrim.RegistryResponse(&v)
		case "AdhocQueryResponse":
			var v query.AdhocQueryResponse
			if _, err := xmltext.Unmarshal(serialize(t, body), &v, xmltext.Options{File: rel}); err != nil {
				t.Fatal(err)
			}
			r = xdsrim.QueryResponse(&v)
		default:
			t.Fatalf("%s: body %s", rel, body.Name)
		}
		if r.Status != xds.ResponseSuccess {
			t.Errorf("%s: status %q", rel, r.Status)
		}
		if vs := xds.ValidateResponse(r); len(vs) > 0 {
			t.Errorf("%s: %v", rel, vs)
		}
	}
}
