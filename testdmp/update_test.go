package testdmp

import (
	"context"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/generated/xds/lcm"
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rim"
	"github.com/dmpgen/dmpgen/generated/xds/rs"
)

const maskScheme = "1.2.250.1.213.1.1.4.13"

// newVersionRequest is an ITI-57 metadata update: a copy of the entry cur
// under the symbolic id Document01, with the lid of its lineage and the
// extra confidentialityCode MASQUE_PS, member of the SubmissionSet with the
// PreviousVersion given.
func newVersionRequest(cur *rim.ExtrinsicObjectType, previous string) *lcm.SubmitObjectsRequest {
	eo := *cur
	eo.Id, eo.Lid = "Document01", strPtr(deref(cur.Lid))
	eo.Classification = append([]rim.ClassificationType(nil), cur.Classification...)
	for i := range eo.Classification {
		eo.Classification[i].Id = "Document01.c" + strings.Repeat("i", i+1)
		eo.Classification[i].ClassifiedObject = "Document01"
	}
	eo.Classification = append(eo.Classification, rim.ClassificationType{Id: "Document01.masque",
		ClassificationScheme: strPtr("urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f"), ClassifiedObject: "Document01",
		NodeRepresentation: strPtr("MASQUE_PS"), Slot: []rim.SlotType1{slot("codingScheme", maskScheme)}})
	eo.ExternalIdentifier = append([]rim.ExternalIdentifierType(nil), cur.ExternalIdentifier...)
	for i := range eo.ExternalIdentifier {
		eo.ExternalIdentifier[i].Id = "Document01.e" + strings.Repeat("i", i+1)
		eo.ExternalIdentifier[i].RegistryObject = "Document01"
	}
	return &lcm.SubmitObjectsRequest{RegistryObjectList: &rim.RegistryObjectListType{Identifiable: []rim.IdentifiableChoice{
		{Association: &rim.AssociationType1{Id: "association1", AssociationType: assocHasMember,
			SourceObject: "SubmissionSet01", TargetObject: "Document01",
			Slot: []rim.SlotType1{slot("SubmissionSetStatus", "Original"), slot("PreviousVersion", previous)}}},
		{ExtrinsicObject: &eo},
	}}}
}

// setIdentifier sets the value of the new version's external identifier
// of a scheme.
func setIdentifier(req *lcm.SubmitObjectsRequest, scheme, value string) {
	eo := req.RegistryObjectList.Identifiable[1].ExtrinsicObject
	for i := range eo.ExternalIdentifier {
		if eo.ExternalIdentifier[i].IdentificationScheme == scheme {
			eo.ExternalIdentifier[i].Value = value
		}
	}
}

func update(t *testing.T, r *registry, req *lcm.SubmitObjectsRequest) *rs.RegistryResponseType {
	t.Helper()
	resp, err := r.UpdateDocumentSet(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func failsWith(t *testing.T, what string, resp *rs.RegistryResponseType, code string) {
	t.Helper()
	if resp.Status != responseFailure || resp.RegistryErrorList == nil || resp.RegistryErrorList.RegistryError[0].ErrorCode != code {
		t.Errorf("%s: got %+v, want %s", what, resp, code)
	}
}

func masked(eo *rim.ExtrinsicObjectType) bool {
	for _, c := range eo.Classification {
		if deref(c.NodeRepresentation) == "MASQUE_PS" {
			return true
		}
	}
	return false
}

// TestMetadataUpdate runs ITI-57 metadata updates on the official TD2.1
// submission: a new version replaces the current one (Deprecated), keeps
// the lineage, the document and its uniqueId; a stale PreviousVersion, an
// unknown lid, another patient or uniqueId, and an ExtrinsicObject that is
// no new version are refused, and leave the registry unchanged.
func TestMetadataUpdate(t *testing.T) {
	r := laxRegistry()
	publishTD21(t, r)
	const patient = "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH"
	v1 := findDocuments(t, r, patient, StatusApproved)[0]
	if deref(v1.Lid) != v1.Id || v1.VersionInfo == nil || deref(v1.VersionInfo.VersionName) != "1" {
		t.Fatalf("first version: lid %q version %+v", deref(v1.Lid), v1.VersionInfo)
	}

	// Refusals, before any change.
	failsWith(t, "stale PreviousVersion", update(t, r, newVersionRequest(v1, "2")), "XDSMetadataVersionError")
	unknown := newVersionRequest(v1, "1")
	unknown.RegistryObjectList.Identifiable[1].ExtrinsicObject.Lid = strPtr("urn:uuid:00000000-0000-4000-8000-000000000001")
	failsWith(t, "unknown lid", update(t, r, unknown), "XDSMetadataUpdateError")
	otherPatient := newVersionRequest(v1, "1")
	setIdentifier(otherPatient, schemeDocPatientID, "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH")
	failsWith(t, "another patient", update(t, r, otherPatient), "XDSPatientIDReconciliationError")
	otherDoc := newVersionRequest(v1, "1")
	setIdentifier(otherDoc, schemeDocUniqueID, "1.2.3.4")
	failsWith(t, "another uniqueId", update(t, r, otherDoc), "XDSMetadataUpdateError")
	noVersion := newVersionRequest(v1, "1")
	noVersion.RegistryObjectList.Identifiable[0].Association.Slot = noVersion.RegistryObjectList.Identifiable[0].Association.Slot[:1]
	failsWith(t, "no PreviousVersion", update(t, r, noVersion), "XDSRegistryMetadataError")
	if got := findDocuments(t, r, patient, StatusApproved); len(got) != 2 || got[0].Id != v1.Id || masked(got[0]) {
		t.Fatalf("a refused update changed the registry")
	}

	// Version 2, masked.
	if resp := update(t, r, newVersionRequest(v1, "1")); resp.Status != responseSuccess {
		t.Fatalf("update: %+v", resp.RegistryErrorList)
	}
	found := findDocuments(t, r, patient, StatusApproved)
	var v2 *rim.ExtrinsicObjectType
	for _, eo := range found {
		if deref(eo.Lid) == v1.Id {
			v2 = eo
		}
	}
	if len(found) != 2 || v2 == nil || !masked(v2) || v2.Id == v1.Id || !isUUID(v2.Id) || deref(v2.VersionInfo.VersionName) != "2" {
		t.Fatalf("after the update: %d approved, new version %+v", len(found), v2)
	}
	for _, c := range v2.Classification {
		if !isUUID(c.Id) || c.ClassifiedObject != v2.Id {
			t.Errorf("classification %s of %s classifies %s", c.Id, v2.Id, c.ClassifiedObject)
		}
	}
	if got, want := slotValues(v2.Slot, "hash"), slotValues(v1.Slot, "hash"); len(got) != 1 || got[0] != want[0] {
		t.Errorf("hash %v, want %v", got, want)
	}
	if dep := findDocuments(t, r, patient, StatusDeprecated); len(dep) != 1 || dep[0].Id != v1.Id {
		t.Errorf("deprecated: %d entries", len(dep))
	}
	uid := externalID(v2, schemeDocUniqueID)
	if got := getDocuments(t, r, "$XDSDocumentEntryUniqueId", uid); len(got) != 1 || got[0].Id != v2.Id {
		t.Errorf("GetDocuments by uniqueId returns %d entries", len(got))
	}
	if got := getDocuments(t, r, "$XDSDocumentEntryEntryUUID", v1.Id); len(got) != 1 || deref(got[0].Status) != StatusDeprecated {
		t.Errorf("GetDocuments of the first version: %+v", got)
	}
	// The replaced version is no longer current; version 3 names version 2.
	failsWith(t, "update of a replaced version", update(t, r, newVersionRequest(v1, "1")), "XDSMetadataVersionError")
	if resp := update(t, r, newVersionRequest(v2, "2")); resp.Status != responseSuccess {
		t.Fatalf("version 3: %+v", resp.RegistryErrorList)
	}
	// The document is retrieved through its uniqueId whatever the version.
	if b := r.byUnique[uid]; b == nil || b.version != 3 || len(b.data) == 0 {
		t.Errorf("uniqueId %s: %+v", uid, b)
	}
}

func getDocuments(t *testing.T, r *registry, param, value string) []*rim.ExtrinsicObjectType {
	t.Helper()
	leaf := "LeafClass"
	resp, err := r.RegistryStoredQuery(context.Background(), &query.AdhocQueryRequest{
		ResponseOption: &query.ResponseOptionType{ReturnType: &leaf},
		AdhocQuery:     &rim.AdhocQueryType{Id: queryGetDocuments, Slot: []rim.SlotType1{slot(param, "('"+value+"')")}},
	})
	if err != nil || resp.Status != responseSuccess {
		t.Fatalf("GetDocuments: %v %+v", err, resp)
	}
	var out []*rim.ExtrinsicObjectType
	for _, it := range resp.RegistryObjectList.Identifiable {
		out = append(out, it.ExtrinsicObject)
	}
	return out
}
