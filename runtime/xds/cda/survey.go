package cda

// known reports whether local names a CDA R2 header element the mapping
// reads, or one read without warning because it carries nothing the
// DocumentEntry has (docs/cda.md).
func known(local string) bool {
	switch local {
	case "id", "code", "title", "effectiveTime", "confidentialityCode", "languageCode",
		"recordTarget", "author", "legalAuthenticator", "documentationOf", "componentOf":
		return true // mapped
	case "realmCode", "typeId", "templateId", "setId", "versionNumber", "copyTime",
		"dataEnterer", "informant", "custodian", "informationRecipient", "authenticator",
		"participant", "inFulfillmentOf", "authorization":
		return true // nothing to map
	}
	return false
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
		case known(k.name.Local):
		default:
			h.warn(k, "not a CDA R2 header element: not mapped to metadata")
		}
	}
	h.m = h.derive()
}
