package vet

import (
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/dmpgen/dmpgen/runtime/xades"
	"github.com/dmpgen/dmpgen/runtime/xds"
	"github.com/dmpgen/dmpgen/runtime/xmldsig"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// checkXAdES decodes and validates the signature documents of an ITI-41
// request (the documents whose root is ds:Signature) and verifies them with
// the trust anchors.
func (x *exchange) checkXAdES(m *xds.Metadata, docs []document) {
	var signed []xades.Document
	uniqueIDs := map[string]string{}
	for _, e := range m.DocumentEntries() {
		uniqueIDs[e.EntryUUID] = e.UniqueID
	}
	var sigs []document
	for _, d := range docs {
		if d.content == nil {
			continue
		}
		if isSignature(d.content) {
			sigs = append(sigs, d)
			continue
		}
		signed = append(signed, xades.Document{UniqueID: uniqueIDs[d.id], Content: d.content})
	}
	for _, sd := range sigs {
		s := &sink{c: x.c, lineBase: -1, label: "document " + sd.id, attachment: true}
		if sd.part != nil {
			s.label = "part <" + sd.part.cid + ">"
			s.lineBase = sd.part.line
		}
		decodeDocument(s, sd.content, xadesRegs)
		checkManifest(s, sd.content, signed)
		if x.o.Trust == nil {
			s.add("xades.signature-unchecked", 0, 0, "", "no trust anchors given (dmpgen-vet -trust CA.pem): the signature document was not verified")
		} else {
			at := x.c.date
			if at.IsZero() {
				at = x.o.At
			}
			v := &xmldsig.Verifier{Roots: x.o.Trust}
			if !at.IsZero() {
				v.Now = func() time.Time { return at }
			}
			if _, err := xades.Verify(sd.content, signed, v); err != nil {
				s.add("xades.signature", 0, 0, "", err.Error())
			}
		}
		x.root.out = append(x.root.out, s.out...)
	}
}

// isSignature reports whether an XML document's root is ds:Signature.
func isSignature(data []byte) bool {
	d := xmltext.NewDecoder(data, xmltext.Options{Lenient: true})
	tok, err := d.NextElementOrEnd()
	return err == nil && tok.Kind == xmltext.StartElement && tok.Name == xmltext.Name{Space: xmldsig.NamespaceDSig, Local: "Signature"}
}

// checkManifest checks, without trust anchors, that the signature
// document's Manifest lists each submitted document by its uniqueId
// ("urn:oid:" + uniqueId) with the digest of its bytes, and nothing else
// (IHE ITI TF-3 5.5.2).
func checkManifest(s *sink, sigDoc []byte, signed []xades.Document) {
	doc, err := xmldsig.Parse(sigDoc)
	if err != nil {
		s.add("vet.layer-skipped", 0, 0, "", fmt.Sprintf("xades layer: the Manifest was not checked: %v", err))
		return
	}
	var refs []*etree.Element
	for _, m := range doc.FindElements("//Manifest") {
		if xmldsig.Is(m, xmldsig.NamespaceDSig, "Manifest") {
			for _, r := range m.ChildElements() {
				if xmldsig.Is(r, xmldsig.NamespaceDSig, "Reference") {
					refs = append(refs, r)
				}
			}
		}
	}
	listed := map[string]bool{}
	for _, r := range refs {
		uri := r.SelectAttrValue("URI", "")
		path := "Manifest Reference " + uri
		listed[uri] = true
		var content []byte
		found := false
		for _, d := range signed {
			if d.UniqueID != "" && "urn:oid:"+d.UniqueID == uri {
				content, found = d.Content, true
			}
		}
		if !found {
			s.add("xades.manifest-unknown", 0, 0, path, fmt.Sprintf("the Manifest names %s, which is the uniqueId of no document of the submission: list the submitted documents as urn:oid:<uniqueId>", uri))
			continue
		}
		if t := child(r, "Transforms"); t != nil {
			s.add("vet.layer-skipped", 0, 0, path, "xades layer: the digest of a Reference with Transforms was not checked")
			continue
		}
		alg := ""
		if dm := child(r, "DigestMethod"); dm != nil {
			alg = dm.SelectAttrValue("Algorithm", "")
		}
		want := ""
		if dv := child(r, "DigestValue"); dv != nil {
			want = strings.TrimSpace(dv.Text())
		}
		got, err := xmldsig.DigestBytes(alg, content)
		switch {
		case err != nil:
			s.add("xades.manifest-digest", 0, 0, path, fmt.Sprintf("digest method %q: %v", alg, err))
		case got != want:
			s.add("xades.manifest-digest", 0, 0, path, fmt.Sprintf("DigestValue %s, but the document's digest is %s: sign the bytes that are sent", want, got))
		}
	}
	for _, d := range signed {
		if d.UniqueID != "" && !listed["urn:oid:"+d.UniqueID] {
			s.add("xades.manifest-missing", 0, 0, "", fmt.Sprintf("the document urn:oid:%s is not in the Manifest: the signature does not cover it", d.UniqueID))
		}
	}
}

// child returns the first ds: child of el named local.
func child(el *etree.Element, local string) *etree.Element {
	for _, c := range el.ChildElements() {
		if xmldsig.Is(c, xmldsig.NamespaceDSig, local) {
			return c
		}
	}
	return nil
}
