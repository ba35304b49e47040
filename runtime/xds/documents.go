package xds

import (
	"strconv"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/dochash"
)

// Document is a document an ITI-41 request carries (xdsb:Document).
type Document struct {
	ID string // xdsb:Document/@id: the entryUUID of its DocumentEntry
	// Digest, when known, is checked against the entry's hash and size.
	Digest *dochash.Digest
}

// ValidateDocuments checks the documents of an ITI-41 request against its
// metadata: one document per DocumentEntry and one DocumentEntry per
// document, matched by id (exactly, as IPF does), and, when a digest is
// given, the entry's hash and size.
func ValidateDocuments(m *Metadata, docs []Document) Violations {
	var out Violations
	byID := make(map[string]*Document, len(docs))
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	entries := make(map[string]bool)
	for _, d := range m.DocumentEntries() {
		entries[d.EntryUUID] = true
		doc := byID[d.EntryUUID]
		if doc == nil {
			out = append(out, Violation{Code: CodeMissingDocumentForDocEntry, Object: d.EntryUUID, Detail: "no document with this id"})
			continue
		}
		if doc.Digest == nil {
			continue
		}
		if d.Hash != "" && !strings.EqualFold(d.Hash, doc.Digest.SHA1) {
			out = append(out, Violation{Code: CodeIncorrectHash, Object: d.EntryUUID, Attr: SlotHash,
				Detail: "hash " + d.Hash + ", document SHA-1 " + doc.Digest.SHA1})
		}
		if d.Size != "" && d.Size != strconv.FormatInt(doc.Digest.Size, 10) {
			out = append(out, Violation{Code: CodeIncorrectSize, Object: d.EntryUUID, Attr: SlotSize,
				Detail: "size " + d.Size + ", document size " + strconv.FormatInt(doc.Digest.Size, 10)})
		}
	}
	for _, doc := range docs {
		if !entries[doc.ID] {
			out = append(out, Violation{Code: CodeMissingDocEntryForDocument, Object: doc.ID, Detail: "no DocumentEntry with this id"})
		}
	}
	return out
}
