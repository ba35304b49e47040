package vet

import (
	"fmt"
	"strings"
	"sync"

	"github.com/dmpgen/dmpgen/runtime/xds"
)

// Rule is one check of vet: its stable ID, the layer it belongs to, its
// default severity, what it checks and where the rule comes from.
type Rule struct {
	ID       string
	Layer    Layer
	Severity Severity
	Summary  string
	Ref      string
}

// References to the sources of rules.
const (
	refWSA      = "W3C WS-Addressing 1.0 Core §3, SOAP Binding §5; IHE ITI TF-2x Appendix V"
	refPair     = "W3C WS-Addressing 1.0 Core §3.4 (reply: RelatesTo = the request's MessageID); docs/vet.md#pairing"
	refSOAP     = "W3C SOAP 1.2 Part 1 §5; the operation's WSDL binding (docs/transactions.md)"
	refMTOM     = "W3C SOAP MTOM §3, XOP 1.0 §3; IHE ITI TF-2x Appendix V.3.6"
	refHTTP     = "RFC 9112 §3-§6"
	refXSD      = "the kit's XML schemas, through the generated bindings (docs/kit-defects.md#how-dmpgen-deals-with-defects)"
	refVIHF     = "docs/vihf.md#attributes (DMP VIHF profile, ANS DMP DSFT)"
	refVIHFSig  = "docs/security.md#the-vihf-wssecpolicy (XML Signature, SAML 2.0 Core §2.3.3, §2.5)"
	refXAdES    = "IHE ITI TF-3 5.5.2 (DSG), ETSI XAdES 1.1.1; docs/security.md#the-xades-signature-document-xadespolicy"
	refTD       = "docs/transactions.md"
	refVet      = "docs/vet.md#layers"
	refXDSIPF   = "IHE ITI TF-3 4.2, 4.3 (Open eHealth IPF ValidationMessage); docs/xds.md#rule-codes"
	refXDSHL7v2 = "IHE ITI TF-3 Table 4.2.3.1.7-2 (HL7 v2 datatypes); docs/xds.md#rule-codes"
	refXDSNIST  = "IHE ITI TF-3 4.2 (NIST XDS toolkit checks); docs/xds.md#rule-codes"
	refXDSCISIS = "CI-SIS / DMP value sets (JDV); docs/valuesets.md"
	refXDSGen   = "IHE ITI TF-3 4.2 (completeness); docs/xds.md#rule-codes"
)

// References of the ITI-18 and ITI-43 request rules.
const (
	refXDSQuery    = "IHE ITI TF-2a 3.18.4.1.2.3 (stored query parameters), TF-3 Table 4.2.4.1-2; docs/xds.md#requests-stored-queries-and-retrieves"
	refXDSRetrieve = "IHE ITI TF-2b 3.43.4.1.2, 3.43.4.1.3, TF-3 Table 4.2.4.1-2; docs/xds.md#requests-stored-queries-and-retrieves"
)

// staticRules are vet's own rules; Rules adds one per schema violation code
// and one per runtime/xds rule.
var staticRules = [...]Rule{
	{"capture.unreadable", LayerCapture, Error, "the file cannot be read, or is neither XML, a MIME package nor an HTTP dump", refVet},
	{"capture.http-malformed", LayerCapture, Error, "the HTTP start line or headers of a dump cannot be parsed", refHTTP},
	{"capture.content-type", LayerCapture, Error, "the HTTP or MIME Content-Type is missing or is not a SOAP or multipart/related type", refHTTP},

	{"mtom.malformed", LayerMTOM, Error, "the MTOM/XOP package is refused (boundary, root part, Content-ID, truncation, limits)", refMTOM},
	{"mtom.xop-unresolved", LayerMTOM, Error, "an xop:Include names no part of the package", refMTOM},
	{"mtom.part-unreferenced", LayerMTOM, Warning, "an attachment is referenced by no xop:Include", refMTOM},
	{"mtom.soap-type-mismatch", LayerMTOM, Error, "the root part declares a SOAP version (type=) other than the envelope's", refMTOM},

	{"soap.not-envelope", LayerSOAP, Error, "the document is not a SOAP 1.1 or 1.2 Envelope with a Body", refSOAP},
	{"soap.version", LayerSOAP, Error, "the envelope's SOAP version is not the one of the operation's binding", refSOAP},
	{"soap.action-mismatch", LayerSOAP, Error, "the SOAP action (action= parameter or SOAPAction header) differs from wsa:Action", "W3C WS-Addressing 1.0 SOAP Binding §6.3 (SOAP 1.2 action), §6.2 (SOAPAction)"},
	{"soap.fault", LayerSOAP, Info, "the response is a SOAP fault", refSOAP},

	{"wsa.action-missing", LayerWSA, Error, "no wsa:Action header", refWSA},
	{"wsa.messageid-missing", LayerWSA, Error, "a request without wsa:MessageID", refWSA},
	{"wsa.to-missing", LayerWSA, Error, "a request without wsa:To", refWSA},
	{"wsa.relatesto-missing", LayerWSA, Error, "a response without wsa:RelatesTo", refWSA},
	{"wsa.action-mismatch", LayerWSA, Error, "wsa:Action is not the action of the body element's operation", refWSA + "; " + refTD},
	{"wsa.relatesto-unmatched", LayerWSA, Warning, "a response's wsa:RelatesTo is the wsa:MessageID of no request of the input (captures holding requests and responses, recordings)", refPair},
	{"wsa.response-action-mismatch", LayerWSA, Error, "a response's wsa:Action is not the response action of its request's operation (SOAP faults excepted)", refPair + "; " + refTD},
	{"wsa.request-unanswered", LayerWSA, Info, "a request of the input has no response whose wsa:RelatesTo is its wsa:MessageID (captures holding requests and responses)", refPair},

	{"xsd.strict", LayerXSD, Error, "strict decoding refuses the element (unexpected element or attribute, missing required attribute, bytes that are not UTF-8); the decoder read past it leniently", refXSD},
	{"xsd.decode", LayerXSD, Error, "the element cannot be decoded at all, even leniently", refXSD},
	{"xsd.unbound", LayerXSD, Warning, "no generated binding knows this header block, body element or document", refXSD},

	{"vihf.missing", LayerVIHF, Error, "a request without wsse:Security/saml2:Assertion in soap:Header", refVIHF},
	{"vihf.unreadable", LayerVIHF, Error, "the wsse:Security block cannot be cut from the envelope or parsed", refVIHFSig},
	{"vihf.shape", LayerVIHF, Error, "the assertion is not a VIHF (vihf.Read: version, issuer, subject, statements, unknown attributes)", refVIHF},
	{"vihf.mode-unknown", LayerVIHF, Error, "Authentification_mode is not DIRECTE, INDIRECTE or INDIRECTE_RENFORCEE", refVIHF},
	{"vihf.version-unknown", LayerVIHF, Error, "VIHF_Version is not 3.0 or 4.0", refVIHF},
	{"vihf.attr-missing", LayerVIHF, Error, "an attribute mandatory in the VIHF's mode and version is missing", refVIHF},
	{"vihf.attr-undefined", LayerVIHF, Error, "an attribute the VIHF's version does not define is present", refVIHF},
	{"vihf.attr-value", LayerVIHF, Error, "an attribute value is outside its value set or format (PurposeOfUse, Ressource_URN, OIDs, INS)", refVIHF},
	{"vihf.conditions", LayerVIHF, Error, "the Conditions window is empty or inverted", refVIHF},
	{"vihf.time", LayerVIHF, Error, "the VIHF is not valid at the message time (IssueInstant in the future, outside Conditions)", refVIHFSig},
	{"vihf.time-unchecked", LayerVIHF, Info, "the capture has no message time (HTTP Date) and none was given: the time window was not checked", refVIHFSig},
	{"vihf.unsigned", LayerVIHF, Error, "the assertion carries no ds:Signature: the DMP requires a signed VIHF", refVIHFSig},
	{"vihf.signature", LayerVIHF, Error, "the VIHF signature, its place or its certificate is refused (wssec.Policy)", refVIHFSig},
	{"vihf.signature-unchecked", LayerVIHF, Info, "no trust anchors were given: the VIHF signature was not verified", refVIHFSig},

	{"xds.registry-error", LayerXDS, Error, "the registry response reports a RegistryError: the request failed (severity Error) or was accepted with a warning", "IHE ITI TF-3 4.2.4 (Table 4.2.4.1-2, error codes)"},
	{"xds.mapping", LayerXDS, Error, "the ebRIM objects cannot be read as XDS metadata (objects XDS does not use, a Slot without values)", refXDSIPF},

	{"xades.manifest-unknown", LayerXAdES, Error, "a Manifest Reference names no document of the submission (urn:oid:<uniqueId>)", refXAdES},
	{"xades.manifest-missing", LayerXAdES, Error, "a submitted document is not in the Manifest of the signature document", refXAdES},
	{"xades.manifest-digest", LayerXAdES, Error, "a Manifest Reference's digest is not the digest of the document's bytes", refXAdES},
	{"xades.signature", LayerXAdES, Error, "the XAdES signature document does not verify against the submitted documents", refXAdES},
	{"xades.signature-unchecked", LayerXAdES, Info, "no trust anchors were given: the XAdES signature was not verified", refXAdES},

	{"vet.transaction-unknown", LayerVet, Warning, "the exchange matches no DMP transaction: the transaction's rules were not applied", refTD},
	{"vet.layer-skipped", LayerVet, Info, "a layer could not run; the finding says which and why", refVet},
}

// xsdCodes are the violation codes of the generated Validate methods
// (runtime/xsdt.Violation).
var xsdCodes = [...]string{"pattern", "length", "minLength", "maxLength", "enumeration", "minInclusive", "maxInclusive",
	"minExclusive", "maxExclusive", "totalDigits", "fractionDigits", "required", "minOccurs", "maxOccurs", "choice",
	"lexical", "fixed", "nillable", "nil", "abstract", "union", "other"}

// ruleTable is built once; it is never modified.
var ruleTable = sync.OnceValues(func() ([]Rule, map[string]int) {
	var rules []Rule
	add := func(r Rule) { rules = append(rules, r) }
	for _, r := range staticRules {
		add(r)
		if r.ID == "xsd.unbound" {
			for _, c := range xsdCodes {
				add(Rule{"xsd." + c, LayerXSD, Error, "Validate: the " + c + " constraint of the schema is broken", refXSD})
			}
		}
		if r.ID == "xades.signature-unchecked" {
			for _, c := range cdaRules() {
				add(c)
			}
		}
		if r.ID == "xds.mapping" {
			for _, x := range xds.Rules() {
				ref := xdsRef(x.Origin)
				switch {
				case strings.HasPrefix(x.Summary, "ITI-18:"):
					ref = refXDSQuery
				case strings.HasPrefix(x.Summary, "ITI-43:"):
					ref = refXDSRetrieve
				}
				add(Rule{"xds." + string(x.Code), LayerXDS, Error, x.Summary, ref})
			}
		}
	}
	index := make(map[string]int, len(rules))
	for i, r := range rules {
		index[r.ID] = i
	}
	return rules, index
})

func xdsRef(o xds.Origin) string {
	switch o {
	case xds.OriginHL7v2:
		return refXDSHL7v2
	case xds.OriginNIST:
		return refXDSNIST
	case xds.OriginCISIS:
		return refXDSCISIS
	case xds.OriginDMPGen:
		return refXDSGen
	}
	return refXDSIPF
}

// Rules returns every rule vet applies, in layer order (a new slice).
func Rules() []Rule {
	rules, _ := ruleTable()
	return append([]Rule(nil), rules...)
}

// lookup returns the rule with the given ID; an unknown ID is a bug of vet.
func lookup(id string) Rule {
	rules, index := ruleTable()
	i, ok := index[id]
	if !ok {
		panic(fmt.Sprintf("vet: no rule %q", id))
	}
	return rules[i]
}

// known reports whether id is a rule of vet.
func known(id string) bool {
	_, index := ruleTable()
	_, ok := index[id]
	return ok
}
