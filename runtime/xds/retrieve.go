package xds

import (
	"fmt"
	"unicode/utf8"

	"github.com/dmpgen/dmpgen/runtime/oid"
)

// Retrieve is an ITI-43 Retrieve Document Set request
// (xdsb:RetrieveDocumentSetRequest) as the request rules see it:
// dmp/xdsrim.Retrieve builds it from the generated bindings.
type Retrieve struct {
	Documents []DocumentRequest
}

// DocumentRequest is one xdsb:DocumentRequest; an absent element is "".
type DocumentRequest struct {
	HomeCommunityID    string
	RepositoryUniqueID string
	DocumentUniqueID   string
}

// ValidateRetrieve checks an ITI-43 request (IHE ITI TF-2b 3.43.4.1.2,
// 3.43.4.1.3): at least one document, each with a repository uniqueId (an
// OID) and a document uniqueId (printable ASCII, at most 128 characters), a
// homeCommunityId when given in the urn:oid: form, and no document asked
// twice. The DMP does not require the homeCommunityId (its TD3.2 example
// has none). Object is the document uniqueId, Attr the element
// ("DocumentRequest[2].RepositoryUniqueId").
func ValidateRetrieve(r Retrieve) Violations {
	c := newChecker(&Metadata{}, Options{Transaction: ITI18})
	if len(r.Documents) == 0 {
		c.add(CodeNoDocumentRequest, "", p("DocumentRequest"), "the request names no document")
	}
	seen := make(map[DocumentRequest]int, len(r.Documents))
	for i, d := range r.Documents {
		obj := d.DocumentUniqueID
		if d.RepositoryUniqueID == "" {
			c.add(CodeRepoIDMustBeSpecified, obj, at("DocumentRequest", i).dot("RepositoryUniqueId", 0), "no RepositoryUniqueId: give the repositoryUniqueId of the DocumentEntry")
		} else if err := oid.Validate(d.RepositoryUniqueID); err != nil {
			c.addErr(obj, at("DocumentRequest", i).dot("RepositoryUniqueId", 0), err)
		}
		uid := at("DocumentRequest", i).dot("DocumentUniqueId", 0)
		switch n := utf8.RuneCountInString(d.DocumentUniqueID); {
		case n == 0:
			c.add(CodeDocIDMustBeSpecified, obj, uid, "no DocumentUniqueId: give the uniqueId of the DocumentEntry")
		case n > maxUniqueID:
			c.add(CodeUniqueIDTooLong, obj, uid, "%d characters, more than %d", n, maxUniqueID)
		default:
			for j := 0; j < len(d.DocumentUniqueID); j++ {
				if b := d.DocumentUniqueID[j]; b < 0x21 || b > 0x7e {
					c.add(CodeInvalidIdentifier, obj, uid, "byte %#x at %d is not printable ASCII", b, j)
					break
				}
			}
		}
		if d.HomeCommunityID != "" {
			checkHome(c, obj, at("DocumentRequest", i).dot("HomeCommunityId", 0), d.HomeCommunityID)
		}
		if first, dup := seen[d]; dup && d.DocumentUniqueID != "" {
			c.add(CodeDuplicateDocumentRequest, obj, at("DocumentRequest", i), "the document of DocumentRequest[%d] again", first+1)
			continue
		}
		seen[d] = i
	}
	return c.out
}

// RequestErrorCode returns the registry error code (IHE ITI TF-3 Table
// 4.2.4.1-2) a registry or repository answers for a violation of
// ValidateQuery or ValidateRetrieve: XDSUnknownStoredQuery,
// XDSStoredQueryMissingParam, XDSStoredQueryParamNumber for the rules
// ITI-18 names; XDSUnknownRepositoryId, XDSDocumentUniqueIdError,
// XDSUnknownCommunity for the parts of an ITI-43 document request;
// XDSRegistryError for the other syntax rules.
func RequestErrorCode(c RuleCode) string {
	switch c {
	case CodeUnknownQueryType:
		return "XDSUnknownStoredQuery"
	case CodeMissingRequiredQueryParameter, CodeEmptyReferenceList:
		return "XDSStoredQueryMissingParam"
	case CodeTooManyValuesForQueryParameter, CodeQueryParametersCannotBeSetTogether, CodeDuplicateSlotName:
		return "XDSStoredQueryParamNumber"
	case CodeRepoIDMustBeSpecified, CodeInvalidOID, CodeOIDTooLong:
		return "XDSUnknownRepositoryId"
	case CodeDocIDMustBeSpecified, CodeUniqueIDTooLong, CodeInvalidIdentifier:
		return "XDSDocumentUniqueIdError"
	case CodeInvalidHomeCommunityID:
		return "XDSUnknownCommunity"
	}
	return "XDSRegistryError"
}

// requestRules are the rules of ValidateQuery and ValidateRetrieve that
// only they apply, with their ITI references (see Rules).
func requestRules() []Rule {
	q := func(code RuleCode, origin Origin, summary string) Rule {
		return Rule{code, origin, fmt.Sprintf("ITI-18: %s", summary)}
	}
	r := func(code RuleCode, origin Origin, summary string) Rule {
		return Rule{code, origin, fmt.Sprintf("ITI-43: %s", summary)}
	}
	return []Rule{
		q(CodeUnknownQueryType, OriginIPF, "the stored query id is one of ITI TF-2a 3.18.4.1.2.3.7 (XDSUnknownStoredQuery)"),
		q(CodeUnknownReturnType, OriginIPF, "returnType is LeafClass or ObjectRef"),
		q(CodeWrongQuerySlotName, OriginIPF, "a parameter name starts with '$'"),
		q(CodeUnknownQueryParameter, OriginDMPGen, "a parameter is one of its stored query's table"),
		q(CodeMissingRequiredQueryParameter, OriginIPF, "the required parameters, and one of each either/or group, are given (XDSStoredQueryMissingParam)"),
		q(CodeQueryParametersCannotBeSetTogether, OriginIPF, "at most one parameter of an either/or group is given (XDSStoredQueryParamNumber)"),
		q(CodeTooManyValuesForQueryParameter, OriginIPF, "a single-valued parameter has one value (XDSStoredQueryParamNumber)"),
		q(CodeParameterValueNotString, OriginIPF, "a single-valued string parameter is a quoted string 'value'"),
		q(CodeParameterValueNotStringList, OriginIPF, "a multi-valued parameter is a list of quoted strings ('a','b')"),
		q(CodeEmptyReferenceList, OriginIPF, "a list parameter has at least one value"),
		q(CodeInvalidQueryParameterValue, OriginIPF, "a parameter value has its type's syntax (time, status, code^^scheme, DocumentEntry type, association type, $MetadataLevel)"),
		q(CodeInvalidHomeCommunityID, OriginDMPGen, "a homeCommunityId is urn:oid: followed by an OID (also ITI-43)"),
		r(CodeNoDocumentRequest, OriginDMPGen, "the request names at least one document"),
		r(CodeRepoIDMustBeSpecified, OriginIPF, "a DocumentRequest has a RepositoryUniqueId"),
		r(CodeDocIDMustBeSpecified, OriginIPF, "a DocumentRequest has a DocumentUniqueId"),
		r(CodeDuplicateDocumentRequest, OriginDMPGen, "a document is requested once"),
	}
}
