package cda

// unmapped are the CDA R2 header elements that carry nothing the
// DocumentEntry has (docs/cda.md); they are read without warning.
var unmapped = map[string]bool{
	"realmCode": true, "typeId": true, "templateId": true, "setId": true, "versionNumber": true, "copyTime": true,
	"dataEnterer": true, "informant": true, "custodian": true, "informationRecipient": true, "authenticator": true,
	"participant": true, "inFulfillmentOf": true, "authorization": true,
}

// mapped are the header elements the mapping reads.
var mapped = map[string]bool{
	"id": true, "code": true, "title": true, "effectiveTime": true, "confidentialityCode": true, "languageCode": true,
	"recordTarget": true, "author": true, "legalAuthenticator": true, "documentationOf": true, "componentOf": true,
}

// survey warns about the children of ClinicalDocument the mapping does not
// know, and maps the header once.
func (h *Header) survey() {
	for _, k := range h.root.kids {
		switch {
		case k.name.Space != NS:
			h.warn(k, "not a CDA R2 header element: not mapped to metadata")
		case k.name.Local == "relatedDocument":
			h.warn(k, "relatedDocument ("+k.attr("typeCode")+" "+instanceID(k.get("parentDocument", "id"))+"): XDS states it by an association (RPLC, APND, XFRM) to the parent's entry, which the caller adds")
		case mapped[k.name.Local], unmapped[k.name.Local]:
		default:
			h.warn(k, "not a CDA R2 header element: not mapped to metadata")
		}
	}
	h.m = h.derive()
}
