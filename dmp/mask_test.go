package dmp_test

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/dmp"
	"github.com/dmpgen/dmpgen/dmp/xdsrim"
	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/internal/xmlcmp"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

const (
	templateMasquage = "dmp/examples/kit-2.06.01-templates/template_masquage.xml"
	nsRIM            = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
	nsLCM            = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"
)

// The defects of template_masquage.xml, each the named normalization of
// the template that the comparison needs. Each leaves a request built here
// unchanged, so that they apply to both sides.
var masquageDefects = []xmlcmp.Normalizer{
	kitNoNamespace,
	kitDuplicateClassificationID,
	kitPreviousVersionNotTheCopiedVersion,
	kitEntryPartsNameTheLid,
	kitSubmissionSetPartsUnlinked,
	kitEntryPatientIDOtherDate,
	kitMasquePSDisplayName,
}

// kitNoNamespace: the whole template is in no namespace; its elements are
// those of ebRS lcm (SubmitObjectsRequest) and ebRIM (the others).
func kitNoNamespace(root *xmltext.Element) {
	xmlcmp.Walk(root, func(el *xmltext.Element) {
		if el.Name.Space != "" {
			return
		}
		el.Prefix = ""
		el.Name.Space = nsRIM
		if el.Name.Local == "SubmitObjectsRequest" {
			el.Name.Space = nsLCM
		}
	})
}

// kitDuplicateClassificationID: the entry's N and MASQUE_PS
// confidentialityCode classifications share the id
// urn:uuid:ac6ce528-4eac-48a5-8ff0-f14df9177c3e (UUID_NOT_UNIQUE); the
// second occurrence of an id is given an id of its own.
func kitDuplicateClassificationID(root *xmltext.Element) {
	seen := map[string]bool{}
	n := 0
	xmlcmp.Walk(root, func(el *xmltext.Element) {
		if el.Name.Local != "Classification" {
			return
		}
		id := attr(el, "id")
		if seen[id] {
			n++
			setAttrValue(el, "id", fmt.Sprintf("%s-duplicate%d", id, n))
		}
		seen[id] = true
	})
}

// kitPreviousVersionNotTheCopiedVersion: the entry is a copy of version 1
// (VersionInfo versionName="1", its parts naming the first version's id)
// but the HasMember's PreviousVersion says 5; the PreviousVersion is set
// to the version copied.
func kitPreviousVersionNotTheCopiedVersion(root *xmltext.Element) {
	version := ""
	xmlcmp.Walk(root, func(el *xmltext.Element) {
		if el.Name.Local == "VersionInfo" {
			version = attr(el, "versionName")
		}
	})
	xmlcmp.Walk(root, func(el *xmltext.Element) {
		if el.Name.Local == "Slot" && attr(el, "name") == "PreviousVersion" {
			xmlcmp.Walk(el, func(v *xmltext.Element) {
				if v.Name.Local == "Value" {
					v.Children = []xmltext.Node{xmltext.Text(version)}
				}
			})
		}
	})
}

// kitEntryPartsNameTheLid: the classifiedObject of the entry's
// classifications and the registryObject of its identifiers name its lid
// (the first version's id) instead of the ExtrinsicObject's id
// "Document01" (WRONG_CLASSIFIED_OBJ, WRONG_REGISTRY_OBJECT).
func kitEntryPartsNameTheLid(root *xmltext.Element) {
	xmlcmp.Walk(root, func(eo *xmltext.Element) {
		if eo.Name.Local != "ExtrinsicObject" {
			return
		}
		id, lid := attr(eo, "id"), attr(eo, "lid")
		for _, c := range eo.Elements() {
			for _, ref := range []string{"classifiedObject", "registryObject"} {
				if v, ok := c.Attr(xmltext.Name{Local: ref}); ok && v == lid {
					setAttrValue(c, ref, id)
				}
			}
		}
	})
}

// kitSubmissionSetPartsUnlinked: the SubmissionSet's author classification
// has no classifiedObject and its identifiers no registryObject, both
// required by ebRIM (as in the TD3.3c/d examples); they are set to the
// SubmissionSet.
func kitSubmissionSetPartsUnlinked(root *xmltext.Element) {
	xmlcmp.Walk(root, func(rp *xmltext.Element) {
		if rp.Name.Local != "RegistryPackage" {
			return
		}
		for _, c := range rp.Elements() {
			ref := map[string]string{"Classification": "classifiedObject", "ExternalIdentifier": "registryObject"}[c.Name.Local]
			if _, ok := c.Attr(xmltext.Name{Local: ref}); ref != "" && !ok {
				c.Attrs = append(c.Attrs, xmltext.Attr{Name: xmltext.Name{Local: ref}, Value: attr(rp, "id")})
			}
		}
	})
}

// kitEntryPatientIDOtherDate: the entry's patientId carries the CX.7 date
// 20190402151411, the SubmissionSet's 20190404100738: the values differ
// (DOC_ENTRY_PATIENT_ID_WRONG); Mask writes the SubmissionSet's patient on
// the new version, and the comparison does the same on the template.
func kitEntryPatientIDOtherDate(root *xmltext.Element) {
	var set string
	xmlcmp.Walk(root, func(el *xmltext.Element) {
		if el.Name.Local == "ExternalIdentifier" && attr(el, "identificationScheme") == xds.IDSchemeSetPatientID {
			set = attr(el, "value")
		}
	})
	xmlcmp.Walk(root, func(el *xmltext.Element) {
		if el.Name.Local == "ExternalIdentifier" && attr(el, "identificationScheme") == xds.IDSchemeDocPatientID {
			setAttrValue(el, "value", set)
		}
	})
}

// kitMasquePSDisplayName: the template names MASQUE_PS "Document masqué
// aux professionnels de santé"; JDV_J08 (TRE_A07) names it "Masqué aux
// professionnels de santé", which Mask writes.
func kitMasquePSDisplayName(root *xmltext.Element) {
	xmlcmp.Walk(root, func(el *xmltext.Element) {
		if el.Name.Local != "Classification" || attr(el, "nodeRepresentation") != "MASQUE_PS" {
			return
		}
		xmlcmp.Walk(el, func(ls *xmltext.Element) {
			if ls.Name.Local == "LocalizedString" && attr(ls, "value") == "Document masqué aux professionnels de santé" {
				setAttrValue(ls, "value", "Masqué aux professionnels de santé")
			}
		})
	})
}

// partIDsByPosition replaces the ids of the classifications and external
// identifiers, which differ by construction (the template reuses the
// registry's UUIDs of the copied version, Mask names the new parts with
// xds.GeneratedID), by their rank among the distinct ids of the document:
// two parts sharing an id still share it, so a duplicate is not hidden.
func partIDsByPosition(root *xmltext.Element) {
	rank := map[string]int{}
	xmlcmp.Walk(root, func(el *xmltext.Element) {
		if el.Name.Local != "Classification" && el.Name.Local != "ExternalIdentifier" {
			return
		}
		id := attr(el, "id")
		if _, ok := rank[id]; !ok {
			rank[id] = len(rank) + 1
		}
		setAttrValue(el, "id", fmt.Sprintf("part%d", rank[id]))
	})
}

func attr(el *xmltext.Element, local string) string {
	v, _ := el.Attr(xmltext.Name{Local: local})
	return v
}

func setAttrValue(el *xmltext.Element, local, v string) {
	for i, a := range el.Attrs {
		if a.Name == (xmltext.Name{Local: local}) {
			el.Attrs[i].Value = v
		}
	}
}

// readTemplate returns template_masquage.xml with its namespaces, after
// the normalizations given.
func readTemplate(t *testing.T, norms ...xmlcmp.Normalizer) []byte {
	t.Helper()
	data, err := os.ReadFile(testenv.KitFile(t, templateMasquage))
	if err != nil {
		t.Fatal(err)
	}
	root, err := xmlcmp.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	kitNoNamespace(root)
	for _, n := range norms {
		n(root)
	}
	e := xmltext.NewEncoder(nil)
	e.WriteElement(root)
	if err := e.Finish(); err != nil {
		t.Fatal(err)
	}
	return e.Bytes()
}

// templateEntry returns the DocumentEntry template_masquage.xml is a copy
// of, as FindDocuments would return it: the first version, whose id is its
// lid (the id its parts name), Approved, version 1; masked as in the
// template, or without its MASQUE_PS classification. (Its SubmissionSet,
// dropped, needs kitSubmissionSetPartsUnlinked to decode.)
func templateEntry(t *testing.T, masked bool) *xds.DocumentEntry {
	t.Helper()
	var req lcm.SubmitObjectsRequest
	if _, err := xmltext.Unmarshal(readTemplate(t, kitSubmissionSetPartsUnlinked), &req, xmltext.Options{File: templateMasquage}); err != nil {
		t.Fatal(err)
	}
	md, err := xdsrim.Decode(req.RegistryObjectList)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(md.DocumentEntries()); n != 1 {
		t.Fatalf("%d entries in the template", n)
	}
	e := md.DocumentEntries()[0]
	e.EntryUUID = e.LogicalID
	if !masked {
		dmp.RemoveConfidentialityCodes(e, func(c xds.Code) bool { return c.Code == "MASQUE_PS" })
	}
	return e
}

// masquagePatient and masquageSubmission are the SubmissionSet of the
// template.
var masquagePatient = hl7v2.CX{ID: "279035121518989", AssigningAuthority: hl7v2.HD{UniversalID: "1.2.250.1.213.1.4.10", UniversalIDType: "ISO"},
	IdentifierTypeCode: "NH", EffectiveDate: "20190404100738"}

func masquageSubmission() dmp.Submission {
	return exampleSubmission("1.2.250.1.999.1.1.7898.1.11086546546865")
}

func masquageOptions() dmp.Options {
	o := fixedOptions()
	o.Now = func() time.Time { return time.Date(2019, 4, 4, 10, 7, 38, 0, time.UTC) }
	return o
}

// compareTemplate compares the body sent with template_masquage.xml after
// the named normalizations of its defects and more (applied to both).
func compareTemplate(t *testing.T, sent []byte, more ...xmlcmp.Normalizer) {
	t.Helper()
	norms := append(append(append([]xmlcmp.Normalizer(nil), masquageDefects...), more...), partIDsByPosition)
	got := body(t, sent)
	diff, err := xmlcmp.Diff(readTemplate(t), got, norms...)
	if err != nil {
		t.Fatal(err)
	}
	if diff != "" {
		t.Errorf("the request body differs from %s: %s\nsent:\n%s", templateMasquage, diff, got)
	}
}

// TestMaskMatchesKit masks the entry template_masquage.xml copies and
// compares the request with the template: no difference but its named
// defects.
func TestMaskMatchesKit(t *testing.T) {
	c, rec := xdsServerWith(t, &kitXDS{}, masquageOptions())
	cur := templateEntry(t, false)
	before := xdsrim.Encode(&xds.Metadata{Items: []xds.Item{cur}})
	next, err := c.Mask(ctx, dmp.MetadataUpdate{Patient: masquagePatient, Submission: masquageSubmission(), Entry: cur})
	if err != nil {
		t.Fatal(err)
	}
	env, _ := rec.envelope(t)
	compareTemplate(t, env)
	if !dmp.IsMasked(next) || dmp.IsMasked(cur) || next.LogicalID != cur.EntryUUID || next.EntryUUID != "Document01" {
		t.Errorf("new version %s lid %s masked %v; current masked %v", next.EntryUUID, next.LogicalID, dmp.IsMasked(next), dmp.IsMasked(cur))
	}
	if after := xdsrim.Encode(&xds.Metadata{Items: []xds.Item{cur}}); !reflect.DeepEqual(before, after) {
		t.Error("Mask modified the entry it was given")
	}
	// The template's defects are real: without its normalization, each
	// one makes the comparison fail.
	for i := range masquageDefects[1:] {
		norms := append(append([]xmlcmp.Normalizer(nil), masquageDefects[:i+1]...), masquageDefects[i+2:]...)
		diff, err := xmlcmp.Diff(readTemplate(t), body(t, env), append(norms, partIDsByPosition)...)
		if err != nil {
			t.Fatal(err)
		}
		if diff == "" {
			t.Errorf("defect %d of template_masquage.xml is not needed", i+2)
		}
	}
}

// TestUnmaskMatchesKit unmasks the masked entry of the template: the
// request is the template without its MASQUE_PS classification.
func TestUnmaskMatchesKit(t *testing.T) {
	c, rec := xdsServerWith(t, &kitXDS{}, masquageOptions())
	cur := templateEntry(t, true)
	next, err := c.Unmask(ctx, dmp.MetadataUpdate{Patient: masquagePatient, Submission: masquageSubmission(), Entry: cur})
	if err != nil {
		t.Fatal(err)
	}
	if dmp.IsMasked(next) || !dmp.IsMasked(cur) || len(next.ConfidentialityCodes) != 1 || next.ConfidentialityCodes[0].Code != "N" {
		t.Errorf("new version's confidentialityCodes %+v", next.ConfidentialityCodes)
	}
	env, _ := rec.envelope(t)
	withoutMasquePS := func(root *xmltext.Element) {
		xmlcmp.Walk(root, func(el *xmltext.Element) {
			var kept []xmltext.Node
			for _, n := range el.Children {
				if c, ok := n.(*xmltext.Element); ok && c.Name.Local == "Classification" && attr(c, "nodeRepresentation") == "MASQUE_PS" {
					continue
				}
				kept = append(kept, n)
			}
			el.Children = kept
		})
	}
	compareTemplate(t, env, withoutMasquePS)
}

// TestMaskRefusals checks what Mask and Unmask refuse before sending:
// masking a masked entry, unmasking an unmasked one, another patient, an
// entry without a version, and metadata the ITI-57 rules reject.
func TestMaskRefusals(t *testing.T) {
	k := &kitXDS{}
	c, _ := xdsServerWith(t, k, masquageOptions())
	u := func(e *xds.DocumentEntry) dmp.MetadataUpdate {
		return dmp.MetadataUpdate{Patient: masquagePatient, Submission: masquageSubmission(), Entry: e}
	}
	check := func(name string, err error, target error, codes ...xds.RuleCode) {
		t.Helper()
		var de *dmp.Error
		if !errors.As(err, &de) || de.Transaction != "TD3.3a" {
			t.Errorf("%s: got %T %v, want a *dmp.Error", name, err, err)
			return
		}
		if target != nil && !errors.Is(err, target) {
			t.Errorf("%s: got %v, want %v", name, err, target)
		}
		var xe *xds.Error
		for _, code := range codes {
			if !errors.As(err, &xe) || !xe.Violations.Has(code) {
				t.Errorf("%s: %s not reported: %v", name, code, err)
			}
		}
	}
	_, err := c.Mask(ctx, u(templateEntry(t, true)))
	check("mask a masked entry", err, dmp.ErrAlreadyMasked)
	_, err = c.Unmask(ctx, u(templateEntry(t, false)))
	check("unmask an unmasked entry", err, dmp.ErrNotMasked)
	_, err = c.Mask(ctx, dmp.MetadataUpdate{Patient: masquagePatient, Submission: masquageSubmission()})
	check("no entry", err, nil)

	other := u(templateEntry(t, false))
	other.Patient.ID = "207058575627097"
	_, err = c.Mask(ctx, other)
	check("another patient", err, nil)

	noVersion := templateEntry(t, false)
	noVersion.Version = nil
	_, err = c.Mask(ctx, u(noVersion))
	check("no version", err, nil)

	// ITI-57 rules: a lid that is not a UUID (a symbolic id as the lineage),
	// a PreviousVersion that is not a number, no confidentialityCode left.
	symbolic := templateEntry(t, false)
	symbolic.EntryUUID, symbolic.LogicalID = "Document07", ""
	_, err = c.Mask(ctx, u(symbolic))
	check("symbolic lineage", err, nil, xds.CodeInvalidUUID)

	badVersion := templateEntry(t, false)
	v := "5a"
	badVersion.Version = &xds.VersionInfo{VersionName: &v}
	_, err = c.Mask(ctx, u(badVersion))
	check("version not a number", err, nil)

	onlyMasked := templateEntry(t, true)
	var keep []xds.Code
	for _, cc := range onlyMasked.ConfidentialityCodes {
		if cc.Code == "MASQUE_PS" {
			keep = append(keep, cc)
		}
	}
	onlyMasked.ConfidentialityCodes = keep
	_, err = c.Unmask(ctx, u(onlyMasked))
	check("no confidentialityCode left", err, nil, xds.CodeWrongNumberOfClassifications)
}
