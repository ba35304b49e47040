package xdsrim_test

import (
	"bytes"
	"strings"

	"github.com/dmpgen/dmpgen/dmp/xdsrim"
	"github.com/dmpgen/dmpgen/generated/valuesets"
	"github.com/dmpgen/dmpgen/runtime/dochash"
	"github.com/dmpgen/dmpgen/runtime/xades"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// The golden submission: a TD2.1 (ITI-41) publication built in Go, a CDA
// document and its XAdES signature document, with codes from the DMP value
// sets and the author, patient and organisation of the official example.
const (
	goldenPatient   = "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH"
	goldenPerson    = "899900063480^MAX^LIBRE^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS"
	goldenOrg       = "CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001"
	goldenSpecialty = "G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5"
	goldenSourceID  = "1.2.250.1.999.1.1.7898"
)

var (
	goldenCDA       = []byte(`<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Compte rendu</title></ClinicalDocument>`)
	goldenSignature = []byte(`<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>`)
)

func goldenAuthor() xds.Author {
	return xds.Author{Person: goldenPerson, Institutions: []string{goldenOrg}, Specialties: []string{goldenSpecialty}}
}

func digest(b []byte) dochash.Digest {
	d, err := dochash.Sum(bytes.NewReader(b))
	if err != nil {
		panic(err)
	}
	return d
}

func xadesCode(c xades.Code) xds.Code {
	return xds.Code{Code: c.Code, Scheme: c.Scheme, Display: c.DisplayName}
}

// golden returns a valid ITI-41 submission (DMP profile, DMP value sets).
func golden() *xds.Metadata {
	cda, sig := digest(goldenCDA), digest(goldenSignature)
	ss := &xds.SubmissionSet{
		Base:            xds.Base{EntryUUID: "SubmissionSet01", Title: xds.NewText("Compte rendu de consultation")},
		SubmissionTime:  "20210604135051",
		Authors:         []xds.Author{goldenAuthor()},
		ContentTypeCode: xdsrim.CodeOf(valuesets.J59ContentTypeCodeDMP_04),
		PatientID:       goldenPatient,
		SourceID:        goldenSourceID,
		UniqueID:        goldenSourceID + ".1.1622814651504",
	}
	common := func(d *xds.DocumentEntry) {
		d.ObjectType = xds.ObjectTypeStable
		d.CreationTime = "20210604135051"
		d.ServiceStartTime = "20210604120000"
		d.ServiceStopTime = "20210604130000"
		d.LegalAuthenticator = goldenPerson
		d.SourcePatientID = "0456789999^^^&1.2.250.1.999.1.1.7898.2&ISO^PI"
		d.SourcePatientInfo = []string{"PID-5|PATIENT^LAURENCE^^^^^L", "PID-7|19790328", "PID-8|F"}
		d.Authors = []xds.Author{goldenAuthor()}
		d.ConfidentialityCodes = []xds.Code{xdsrim.CodeOf(valuesets.J08XdsConfidentialityCodeCISIS_N)}
		d.HealthcareFacilityTypeCode = xdsrim.CodeOf(valuesets.J02XdsHealthcareFacilityTypeCodeCISIS_SA01)
		d.PracticeSettingCode = xdsrim.CodeOf(valuesets.J62PracticeSettingCodeDMP_ETABLISSEMENT)
		d.PatientID = goldenPatient
	}
	doc := &xds.DocumentEntry{
		Base:         xds.Base{EntryUUID: "Document01", Title: xds.NewText("Compte rendu"), Comments: xds.NewText("commentaire")},
		MimeType:     "text/xml",
		Hash:         cda.SHA1,
		Size:         cda.SizeString(),
		LanguageCode: "fr-FR",
		ClassCode:    xdsrim.CodeOf(valuesets.J57ClassCodeDMP_10),
		TypeCode:     xdsrim.CodeOf(valuesets.J66TypeCodeDMP_11488_4),
		FormatCode:   xdsrim.CodeOf(valuesets.J60FormatCodeDMP_urn_ihe_iti_xds_sd_text_2008),
		UniqueID:     goldenSourceID + ".3.1622814651504",
	}
	common(doc)
	meta := xades.SignatureMetadata()
	signature := &xds.DocumentEntry{
		Base:         xds.Base{EntryUUID: "Signature01", Title: xds.NewText("Source")},
		MimeType:     meta.MimeType,
		Hash:         sig.SHA1,
		Size:         sig.SizeString(),
		LanguageCode: meta.LanguageCode,
		ClassCode:    xadesCode(meta.ClassCode),
		TypeCode:     xadesCode(meta.TypeCode),
		FormatCode:   xadesCode(meta.FormatCode),
		UniqueID:     goldenSourceID + ".4.1622814651504",
	}
	common(signature)
	for _, e := range meta.EventCodes {
		signature.EventCodes = append(signature.EventCodes, xadesCode(e))
	}
	hasMember := func(id, target string) *xds.Association {
		return &xds.Association{Base: xds.Base{EntryUUID: id}, Type: xds.AssocHasMember, Source: "SubmissionSet01",
			Target: target, SubmissionSetStatus: xds.SubmissionSetStatusOriginal}
	}
	return &xds.Metadata{Items: []xds.Item{
		ss, doc, signature,
		hasMember("assoc1", "Document01"),
		hasMember("assoc2", "Signature01"),
		&xds.Association{Base: xds.Base{EntryUUID: "assoc3"}, Type: meta.SignsAssociationType, Source: "Signature01", Target: "SubmissionSet01"},
	}}
}

// goldenDocuments returns the documents of the golden submission.
func goldenDocuments() []xds.Document {
	cda, sig := digest(goldenCDA), digest(goldenSignature)
	return []xds.Document{{ID: "Document01", Digest: &cda}, {ID: "Signature01", Digest: &sig}}
}

// goldenFolder returns the golden submission with a Folder holding the
// document (a generic IHE submission: the DMP uses no folders).
func goldenFolder() *xds.Metadata {
	m := golden()
	f := &xds.Folder{
		Base:           xds.Base{EntryUUID: "Folder01", Title: xds.NewText("Dossier")},
		LastUpdateTime: "20210604135051",
		Codes:          []xds.Code{{Code: "Cardiologie", Scheme: "1.2.3.4", Display: "Cardiologie"}},
		PatientID:      goldenPatient,
		UniqueID:       goldenSourceID + ".5.1622814651504",
	}
	m.Items = append(m.Items, f,
		&xds.Association{Base: xds.Base{EntryUUID: "assoc4"}, Type: xds.AssocHasMember, Source: "SubmissionSet01", Target: "Folder01"},
		&xds.Association{Base: xds.Base{EntryUUID: "assoc5"}, Type: xds.AssocHasMember, Source: "Folder01", Target: "Document01"},
		&xds.Association{Base: xds.Base{EntryUUID: "assoc6"}, Type: xds.AssocHasMember, Source: "SubmissionSet01", Target: "assoc5"},
	)
	return m
}

// goldenResponse returns an ITI-18 response: the golden entries as the
// registry returns them (UUID ids, status, repository, hash and size).
func goldenResponse() *xds.Metadata {
	m := golden()
	ids := map[string]string{
		"Document01":  "urn:uuid:7953af1a-ba1c-11eb-816f-0050569e422e",
		"Signature01": "urn:uuid:9cded812-ba1d-11eb-816f-0050569e422e",
	}
	out := &xds.Metadata{}
	for _, d := range m.DocumentEntries() {
		d.EntryUUID = ids[d.EntryUUID]
		d.LogicalID = d.EntryUUID
		d.AvailabilityStatus = xds.StatusApproved
		d.RepositoryUniqueID = "1.2.250.1.213.4.1.1.1.2"
		d.Version = &xds.VersionInfo{VersionName: ptr("1")}
		out.Items = append(out.Items, d)
	}
	return out
}

// goldenUpdate returns an ITI-57 request that archives a document (TD3.3d).
func goldenUpdate() *xds.Metadata {
	m := golden()
	return &xds.Metadata{Items: []xds.Item{
		m.SubmissionSets()[0],
		&xds.Association{Base: xds.Base{EntryUUID: "association1", ObjectType: xds.ObjectTypeAssociation},
			Type: xds.AssocUpdateAvailabilityStatus, Source: "SubmissionSet01", Target: "urn:uuid:7953af1a-ba1c-11eb-816f-0050569e422e",
			OriginalStatus: xds.StatusApproved, NewStatus: xds.StatusArchived},
	}}
}

// goldenMetadataUpdate returns an ITI-57 request that updates the metadata
// of a document: a new version of the entry with its lid and the
// PreviousVersion of its HasMember (template_masquage, fixed).
func goldenMetadataUpdate() *xds.Metadata {
	m := golden()
	d := m.DocumentEntries()[0]
	d.LogicalID = "urn:uuid:4f196ae8-5549-11e9-9478-0050569e422e"
	d.AvailabilityStatus = xds.StatusApproved
	d.Version = &xds.VersionInfo{VersionName: ptr("1")}
	return &xds.Metadata{Items: []xds.Item{
		m.SubmissionSets()[0], d,
		&xds.Association{Base: xds.Base{EntryUUID: "association1"}, Type: xds.AssocHasMember, Source: "SubmissionSet01",
			Target: "Document01", SubmissionSetStatus: xds.SubmissionSetStatusOriginal, PreviousVersion: "5"},
	}}
}

func ptr(s string) *string { return &s }

func long(n int) string { return strings.Repeat("1", n) }
