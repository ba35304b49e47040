package vet

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xds/cda"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// LayerCDA checks the CDA documents of a TD2.1 submission against their
// DocumentEntries (docs/cda.md).
const LayerCDA Layer = "cda"

const refCDA = "CI-SIS Volet Structuration Minimale, IHE ITI TF-3 4.2.3.2 (DocumentEntry attributes); docs/cda.md"

// cdaRules are the rules of the cda layer: one per mismatch code of
// runtime/xds/cda, and two of reading.
func cdaRules() []Rule {
	rules := []Rule{
		{"cda.unreadable", LayerCDA, Error, "a text/xml document is not well-formed XML up to the end of its CDA header, or its header is larger than runtime/xds/cda.MaxHeader", refCDA},
		{"cda.unmapped", LayerCDA, Info, "a CDA header element the CI-SIS mapping does not carry into the metadata (an element CDA R2 does not define, relatedDocument, a patient address…)", refCDA},
	}
	for _, c := range cda.Codes() {
		rules = append(rules, Rule{"cda." + c.Code + "-mismatch", LayerCDA, Error, "the DocumentEntry disagrees with its CDA header: " + c.Summary, refCDA})
	}
	return rules
}

// checkCDA checks each CDA document of an ITI-41 request against the
// DocumentEntry with its id: a document without entry is reported by the
// xds layer, a text/xml document that is not a CDA (the XAdES signature)
// is not checked.
func (x *exchange) checkCDA(m *xds.Metadata, docs []document) {
	entries := map[string]*xds.DocumentEntry{}
	for _, e := range m.DocumentEntries() {
		entries[e.EntryUUID] = e
	}
	for _, d := range docs {
		e := entries[d.id]
		if e == nil || d.content == nil || e.MimeType != cda.MimeType {
			continue
		}
		s := &sink{c: x.c, lineBase: -1, label: "document " + d.id, attachment: true}
		if d.part != nil {
			s.label = "part <" + d.part.cid + ">"
			s.lineBase = d.part.line
		}
		h, err := cda.Read(bytes.NewReader(d.content), "")
		if err != nil {
			if errors.Is(err, cda.ErrNotCDA) {
				continue
			}
			var xe *xmltext.Error
			if errors.As(err, &xe) {
				s.add("cda.unreadable", xe.Line, xe.Col, "", xe.Msg)
			} else {
				s.add("cda.unreadable", 0, 0, "", err.Error())
			}
			x.root.out = append(x.root.out, s.out...)
			continue
		}
		for _, w := range h.Warnings {
			s.add("cda.unmapped", w.Line, w.Col, w.Path, w.Msg)
		}
		for _, mm := range h.Check(e) {
			s.add("cda."+mm.Code+"-mismatch", mm.Line, mm.Col, mm.Path,
				fmt.Sprintf("DocumentEntry %s %s is %q, the CDA's %q: publish the metadata of the document (runtime/xds/cda.Derive)", e.EntryUUID, mm.Attr, mm.Entry, mm.CDA))
		}
		x.root.out = append(x.root.out, s.out...)
	}
}
