package xds

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/hl7v2"
)

const testPatient = "'207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH'"

// findDocuments is the TD3.1 request of the kit (FindDocuments, Approved)
// with a few more criteria; every test mutates a fresh copy.
func findDocuments() Query {
	return Query{ID: QueryFindDocuments, ReturnType: ReturnLeafClass, Params: []QueryParam{
		{Name: "$XDSDocumentEntryPatientId", Values: []string{testPatient}},
		{Name: "$XDSDocumentEntryStatus", Values: []string{"('" + StatusApproved + "', '" + StatusArchived + "')"}},
		{Name: "$XDSDocumentEntryClassCode", Values: []string{"('10^^1.2.250.1.213.1.1.4.1')"}},
		{Name: "$XDSDocumentEntryCreationTimeFrom", Values: []string{"20240101"}},
		{Name: "$XDSDocumentEntryEventCodeList", Values: []string{"('a^^1.2.3')", "('b^^1.2.3','c^^1.2.3')"}},
		{Name: "$XDSDocumentEntryAuthorPerson", Values: []string{"('899900063480^MAX^LIBRE%')"}},
		{Name: "$XDSDocumentEntryType", Values: []string{"('" + ObjectTypeStable + "')"}},
	}}
}

// andOr is findDocuments with event codes and confidentiality codes in
// several slots (ANDed) and a quoted time (CP-ITI-1260).
func andOr() Query {
	q := findDocuments()
	setParam(&q, "$XDSDocumentEntryCreationTimeFrom", "'20240101'")
	q.Params = append(q.Params,
		QueryParam{"$XDSDocumentEntryEventCodeList", []string{"('d^^1.2.3')"}},
		QueryParam{"$XDSDocumentEntryConfidentialityCode", []string{"('N^^2.16.840.1.113883.5.25')"}},
		QueryParam{"$XDSDocumentEntryConfidentialityCode", []string{"('MASQUE_PS^^1.2.250.1.213.1.1.4.13')"}})
	return q
}

func getRelated() Query {
	return Query{ID: QueryGetRelatedDocuments, ReturnType: ReturnObjectRef, Params: []QueryParam{
		{Name: "$XDSDocumentEntryUniqueId", Values: []string{"'1.2.250.1.999.1.1.7898.1.995657292'"}},
		{Name: "$AssociationTypes", Values: []string{"('" + AssocReplace + "','" + AssocSigns + "')"}},
		{Name: "$homeCommunityId", Values: []string{"'urn:oid:1.2.250.1.213.4.1'"}},
		{Name: "$MetadataLevel", Values: []string{"1"}},
	}}
}

func dmpQuery(q Query) Violations { return ValidateQuery(q, QueryOptions{Profile: hl7v2.DMP}) }

func setParam(q *Query, name string, values ...string) {
	for i := range q.Params {
		if q.Params[i].Name == name {
			q.Params[i].Values = values
			return
		}
	}
	q.Params = append(q.Params, QueryParam{Name: name, Values: values})
}

func dropParam(q *Query, name string) {
	out := q.Params[:0]
	for _, p := range q.Params {
		if p.Name != name {
			out = append(out, p)
		}
	}
	q.Params = out
}

func TestValidQueries(t *testing.T) {
	for name, q := range map[string]Query{"FindDocuments": findDocuments(), "AND/OR": andOr(), "GetRelatedDocuments": getRelated()} {
		if vs := dmpQuery(q); len(vs) != 0 {
			t.Errorf("%s: %v", name, vs)
		}
	}
	// Every stored query the DMP may send, with its required parameters.
	uuidList := "('urn:uuid:7953af1a-ba1c-11eb-816f-0050569e422e')"
	one := "'urn:uuid:7953af1a-ba1c-11eb-816f-0050569e422e'"
	approved := "('" + StatusApproved + "')"
	for id, params := range map[string][]QueryParam{
		QueryFindSubmissionSets:          {{"$XDSSubmissionSetPatientId", []string{testPatient}}, {"$XDSSubmissionSetStatus", []string{approved}}, {"$XDSSubmissionSetAuthorPerson", []string{"'%LIBRE%'"}}},
		QueryFindFolders:                 {{"$XDSFolderPatientId", []string{testPatient}}, {"$XDSFolderStatus", []string{approved}}},
		QueryGetAll:                      {{"$patientId", []string{testPatient}}, {"$XDSDocumentEntryStatus", []string{approved}}, {"$XDSSubmissionSetStatus", []string{approved}}, {"$XDSFolderStatus", []string{approved}}},
		QueryGetDocuments:                {{"$XDSDocumentEntryEntryUUID", []string{uuidList}}},
		QueryGetFolders:                  {{"$XDSFolderUniqueId", []string{"('1.2.3')"}}},
		QueryGetAssociations:             {{"$uuid", []string{uuidList}}},
		QueryGetDocumentsAndAssociations: {{"$XDSDocumentEntryUniqueId", []string{"('1.2.3')"}}},
		QueryGetSubmissionSets:           {{"$uuid", []string{uuidList}}},
		QueryGetSubmissionSetAndContents: {{"$XDSSubmissionSetEntryUUID", []string{one}}},
		QueryGetFolderAndContents:        {{"$XDSFolderUniqueId", []string{"'1.2.3'"}}},
		QueryGetFoldersForDocument:       {{"$XDSDocumentEntryEntryUUID", []string{one}}},
	} {
		q := Query{ID: id, ReturnType: ReturnLeafClass, Params: params}
		if vs := dmpQuery(q); len(vs) != 0 {
			t.Errorf("%s: %v", StoredQueryName(id), vs)
		}
	}
}

// TestQueryMutations: a valid request mutated to break one rule gives
// exactly that rule's violation, with the registry error code ITI-18
// names for it.
func TestQueryMutations(t *testing.T) {
	for _, tc := range queryMutations() {
		base := tc.base
		if base == nil {
			base = findDocuments
		}
		q := base()
		tc.mutate(&q)
		vs := dmpQuery(q)
		if len(vs) != 1 || vs[0].Code != tc.code || vs[0].Attr != tc.attr || vs[0].Object != q.ID {
			t.Errorf("%s on %s: got %v", tc.code, tc.attr, vs)
			continue
		}
		if got := RequestErrorCode(vs[0].Code); got != tc.errc {
			t.Errorf("%s: registry error code %s, want %s", tc.code, got, tc.errc)
		}
	}
}

type queryMutation struct {
	code   RuleCode
	attr   string
	errc   string
	mutate func(*Query)
	base   func() Query
}

func queryMutations() []queryMutation {
	return []queryMutation{
		{CodeUnknownQueryType, "", "XDSUnknownStoredQuery", func(q *Query) { q.ID = "urn:uuid:00000000-0000-0000-0000-000000000000" }, nil},
		{CodeUnknownReturnType, "returnType", "XDSRegistryError", func(q *Query) { q.ReturnType = "RegistryObject" }, nil},
		{CodeWrongQuerySlotName, "XDSDocumentEntryTypeCode", "XDSRegistryError", func(q *Query) { setParam(q, "XDSDocumentEntryTypeCode", "('a^^1.2')") }, nil},
		{CodeMissingSlotName, "", "XDSRegistryError", func(q *Query) { setParam(q, "", "('a^^1.2')") }, nil},
		{CodeDuplicateSlotName, "$XDSDocumentEntryClassCode", "XDSStoredQueryParamNumber", func(q *Query) {
			q.Params = append(q.Params, QueryParam{"$XDSDocumentEntryClassCode", []string{"('11^^1.2')"}})
		}, nil},
		{CodeUnknownQueryParameter, "$XDSFolderStatus", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSFolderStatus", "('"+StatusApproved+"')") }, nil},
		{CodeMissingRequiredQueryParameter, "$XDSDocumentEntryStatus", "XDSStoredQueryMissingParam", func(q *Query) { dropParam(q, "$XDSDocumentEntryStatus") }, nil},
		{CodeMissingRequiredQueryParameter, "$XDSDocumentEntryEntryUUID", "XDSStoredQueryMissingParam", func(q *Query) { dropParam(q, "$XDSDocumentEntryUniqueId") }, getRelated},
		{CodeQueryParametersCannotBeSetTogether, "$XDSDocumentEntryUniqueId", "XDSStoredQueryParamNumber", func(q *Query) {
			q.Params = append([]QueryParam{{"$XDSDocumentEntryEntryUUID", []string{"'urn:uuid:7953af1a-ba1c-11eb-816f-0050569e422e'"}}}, q.Params...)
		}, getRelated},
		{CodeTooManyValuesForQueryParameter, "$XDSDocumentEntryPatientId", "XDSStoredQueryParamNumber", func(q *Query) { setParam(q, "$XDSDocumentEntryPatientId", testPatient, testPatient) }, nil},
		{CodeTooManyValuesForQueryParameter, "$XDSDocumentEntryUniqueId", "XDSStoredQueryParamNumber", func(q *Query) { setParam(q, "$XDSDocumentEntryUniqueId", "('1.2.3','1.2.4')") }, getRelated},
		{CodeParameterValueNotString, "$XDSDocumentEntryPatientId", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSDocumentEntryPatientId", strings.Trim(testPatient, "'")) }, nil},
		{CodeParameterValueNotStringList, "$XDSDocumentEntryClassCode", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSDocumentEntryClassCode", "'10^^1.2.250.1.213.1.1.4.1'") }, nil},
		{CodeParameterValueNotStringList, "$XDSDocumentEntryStatus", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSDocumentEntryStatus", "('"+StatusApproved+"' '"+StatusArchived+"')") }, nil},
		{CodeEmptyReferenceList, "$AssociationTypes", "XDSStoredQueryMissingParam", func(q *Query) { setParam(q, "$AssociationTypes", "( )") }, getRelated},
		{CodeEmptySlotValue, "$XDSDocumentEntryClassCode", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSDocumentEntryClassCode") }, nil},
		{CodeInvalidQueryParameterValue, "$XDSDocumentEntryCreationTimeFrom", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSDocumentEntryCreationTimeFrom", "('20240101')") }, nil},
		{CodeInvalidQueryParameterValue, "$XDSDocumentEntryCreationTimeFrom", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSDocumentEntryCreationTimeFrom", "2024011") }, nil},
		{CodeInvalidQueryParameterValue, "$XDSDocumentEntryStatus", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSDocumentEntryStatus", "('Approved')") }, nil},
		{CodeInvalidQueryParameterValue, "$XDSDocumentEntryClassCode", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSDocumentEntryClassCode", "('10')") }, nil},
		{CodeInvalidQueryParameterValue, "$XDSDocumentEntryEventCodeList.Value[2]", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSDocumentEntryEventCodeList", "('a^^1.2.3')", "('b^^')") }, nil},
		{CodeInvalidQueryParameterValue, "$XDSDocumentEntryEventCodeList[2]", "XDSRegistryError", func(q *Query) {
			q.Params = append(q.Params, QueryParam{"$XDSDocumentEntryEventCodeList", []string{"('b')"}})
		}, nil},
		{CodeInvalidQueryParameterValue, "$XDSDocumentEntryType", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSDocumentEntryType", "('"+ObjectTypeAssociation+"')") }, nil},
		{CodeInvalidQueryParameterValue, "$AssociationTypes", "XDSRegistryError", func(q *Query) { setParam(q, "$AssociationTypes", "('RPLC')") }, getRelated},
		{CodeInvalidQueryParameterValue, "$MetadataLevel", "XDSRegistryError", func(q *Query) { setParam(q, "$MetadataLevel", "'1'") }, getRelated},
		{CodeInvalidQueryParameterValue, "$XDSDocumentEntryAuthorPerson", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSDocumentEntryAuthorPerson", "('')") }, nil},
		{CodeInvalidHomeCommunityID, "$homeCommunityId", "XDSUnknownCommunity", func(q *Query) { setParam(q, "$homeCommunityId", "'1.2.250.1.213.4.1'") }, getRelated},
		{CodeInvalidUUID, "$XDSDocumentEntryEntryUUID", "XDSRegistryError", func(q *Query) {
			dropParam(q, "$XDSDocumentEntryUniqueId")
			setParam(q, "$XDSDocumentEntryEntryUUID", "'7953af1a-ba1c-11eb-816f-0050569e422e'")
		}, getRelated},
		{RuleCode(hl7v2.CodeCXNeedsID), "$XDSDocumentEntryPatientId", "XDSRegistryError", func(q *Query) { setParam(q, "$XDSDocumentEntryPatientId", "'^^^&1.2.250.1.213.1.4.10&ISO^NH'") }, nil},
	}
}

// TestQueryStatusesByProfile: the DMP statuses, and the CX.5 of the DMP's
// patient ids, are refused under the IHE profile.
func TestQueryStatusesByProfile(t *testing.T) {
	vs := ValidateQuery(findDocuments(), QueryOptions{Profile: hl7v2.IHE})
	if len(vs) != 2 || vs[0].Code != RuleCode(hl7v2.CodeCXTooManyComponents) || vs[1].Code != CodeInvalidQueryParameterValue || !strings.Contains(vs[1].Detail, "Archived") {
		t.Fatalf("got %v", vs)
	}
}

func TestParseQueryValues(t *testing.T) {
	for v, want := range map[string][]string{
		"()": {}, "('a')": {"a"}, "( 'a' , 'b''c' )": {"a", "b'c"}, "('a,b')": {"a,b"},
	} {
		got, ok := parseQueryList(v)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("parseQueryList(%q) = %q, %v", v, got, ok)
		}
	}
	for _, v := range []string{"", "a", "('a'", "('a',)", "('a' 'b')", "(a)", "('a'),('b')"} {
		if got, ok := parseQueryList(v); ok {
			t.Errorf("parseQueryList(%q) = %q: accepted", v, got)
		}
	}
	if s, ok := parseQueryString("'O''Neil'"); !ok || s != "O'Neil" {
		t.Errorf("parseQueryString: %q %v", s, ok)
	}
	for _, v := range []string{"'a'b'", "'a", "a'", "'"} {
		if _, ok := parseQueryString(v); ok {
			t.Errorf("parseQueryString(%q): accepted", v)
		}
	}
}

func retrieveRequest() Retrieve {
	return Retrieve{Documents: []DocumentRequest{
		{RepositoryUniqueID: "1.2.250.1.213.4.1.1.1.2", DocumentUniqueID: "1.2.250.1.999.1.1.7898.1.995657292"},
		{RepositoryUniqueID: "1.2.250.1.213.4.1.1.1.2", DocumentUniqueID: "1.2.250.1.999.1.1.7898.1.995657293", HomeCommunityID: "urn:oid:1.2.250.1.213.4.1"},
	}}
}

func TestRetrieveMutations(t *testing.T) {
	if vs := ValidateRetrieve(retrieveRequest()); len(vs) != 0 {
		t.Fatalf("valid request: %v", vs)
	}
	for _, tc := range retrieveMutations() {
		r := retrieveRequest()
		tc.mutate(&r)
		vs := ValidateRetrieve(r)
		if len(vs) != 1 || vs[0].Code != tc.code || vs[0].Attr != tc.attr {
			t.Errorf("%s on %s: got %v", tc.code, tc.attr, vs)
			continue
		}
		if got := RequestErrorCode(vs[0].Code); got != tc.errc {
			t.Errorf("%s: registry error code %s, want %s", tc.code, got, tc.errc)
		}
	}
}

type retrieveMutation struct {
	code   RuleCode
	attr   string
	errc   string
	mutate func(*Retrieve)
}

func retrieveMutations() []retrieveMutation {
	return []retrieveMutation{
		{CodeNoDocumentRequest, "DocumentRequest", "XDSRegistryError", func(r *Retrieve) { r.Documents = nil }},
		{CodeRepoIDMustBeSpecified, "DocumentRequest[2].RepositoryUniqueId", "XDSUnknownRepositoryId", func(r *Retrieve) { r.Documents[1].RepositoryUniqueID = "" }},
		{CodeInvalidOID, "DocumentRequest[1].RepositoryUniqueId", "XDSUnknownRepositoryId", func(r *Retrieve) { r.Documents[0].RepositoryUniqueID = "urn:oid:1.2.250.1.213.4.1.1.1.2" }},
		{CodeOIDTooLong, "DocumentRequest[1].RepositoryUniqueId", "XDSUnknownRepositoryId", func(r *Retrieve) {
			r.Documents[0].RepositoryUniqueID = "1.2" + strings.Repeat(".1", 32)
		}},
		{CodeDocIDMustBeSpecified, "DocumentRequest[1].DocumentUniqueId", "XDSDocumentUniqueIdError", func(r *Retrieve) { r.Documents[0].DocumentUniqueID = "" }},
		{CodeUniqueIDTooLong, "DocumentRequest[1].DocumentUniqueId", "XDSDocumentUniqueIdError", func(r *Retrieve) { r.Documents[0].DocumentUniqueID = strings.Repeat("1", 129) }},
		{CodeInvalidIdentifier, "DocumentRequest[1].DocumentUniqueId", "XDSDocumentUniqueIdError", func(r *Retrieve) { r.Documents[0].DocumentUniqueID = "1.2 3" }},
		{CodeInvalidHomeCommunityID, "DocumentRequest[2].HomeCommunityId", "XDSUnknownCommunity", func(r *Retrieve) { r.Documents[1].HomeCommunityID = "1.2.250.1.213.4.1" }},
		{CodeDuplicateDocumentRequest, "DocumentRequest[3]", "XDSRegistryError", func(r *Retrieve) { r.Documents = append(r.Documents, r.Documents[0]) }},
	}
}

// TestRequestRulesTested: every rule of the request validators has a
// mutation test, and every stored query of ITI TF-2a 3.18.4.1.2.3.7 a table.
func TestRequestRulesTested(t *testing.T) {
	tested := map[RuleCode]bool{}
	for _, m := range queryMutations() {
		tested[m.code] = true
	}
	for _, m := range retrieveMutations() {
		tested[m.code] = true
	}
	for _, r := range requestRules() {
		if !tested[r.Code] {
			t.Errorf("rule %s has no mutation test", r.Code)
		}
	}
	if n := len(storedQueries()); n != 13 {
		t.Fatalf("%d stored queries, want the 13 of ITI TF-2a 3.18.4.1.2.3.7", n)
	}
}

// validValue returns a valid value of a parameter kind.
func validValue(k paramKind) string {
	switch k {
	case kindPatient:
		return testPatient
	case kindTime:
		return "20240101"
	case kindLevel:
		return "1"
	case kindString:
		return "'1.2.3'"
	case kindUUID:
		return "'urn:uuid:7953af1a-ba1c-11eb-816f-0050569e422e'"
	case kindHome:
		return "'urn:oid:1.2.3'"
	case kindStatuses:
		return "('" + StatusApproved + "')"
	case kindCodes:
		return "('a^^1.2.3')"
	case kindUUIDs:
		return "('urn:uuid:7953af1a-ba1c-11eb-816f-0050569e422e')"
	case kindStrings:
		return "('1.2.3')"
	case kindObjectTypes:
		return "('" + ObjectTypeStable + "')"
	case kindAssocTypes:
		return "('" + AssocReplace + "')"
	}
	panic("kind")
}

// TestStoredQueryTables: for every stored query, every parameter of its
// table given a valid value is accepted; a required parameter left out,
// a second member of an either/or group, a value of the wrong form and a
// parameter of another query are each reported alone.
func TestStoredQueryTables(t *testing.T) {
	for id, spec := range storedQueries() {
		inGroup := map[string]bool{}
		for _, g := range spec.oneOf {
			for _, n := range g[1:] {
				inGroup[n] = true
			}
		}
		minimal := Query{ID: id, ReturnType: ReturnLeafClass}
		for _, ps := range spec.params {
			if !inGroup[ps.name] {
				minimal.Params = append(minimal.Params, QueryParam{ps.name, []string{validValue(ps.kind)}})
			}
		}
		if vs := dmpQuery(minimal); len(vs) != 0 {
			t.Errorf("%s: %v", spec.name, vs)
			continue
		}
		check := func(what string, q Query, want RuleCode) {
			t.Helper()
			if vs := dmpQuery(q); len(vs) != 1 || vs[0].Code != want {
				t.Errorf("%s %s: got %v, want %s", spec.name, what, vs, want)
			}
		}
		for i, ps := range minimal.Params {
			q := minimal
			q.Params = append(append([]QueryParam(nil), minimal.Params[:i]...), minimal.Params[i+1:]...)
			spc, _ := spec.param(ps.Name)
			grouped := len(spec.oneOf) > 0 && slices.Contains(spec.oneOf[0], ps.Name)
			if spc.required || grouped {
				check("without "+ps.Name, q, CodeMissingRequiredQueryParameter)
			} else if vs := dmpQuery(q); len(vs) != 0 {
				t.Errorf("%s without the optional %s: %v", spec.name, ps.Name, vs)
			}
			q = minimal
			q.Params = append([]QueryParam(nil), minimal.Params...)
			bad := "x"
			if spc.kind == kindTime || spc.kind == kindLevel {
				bad = "('1')"
			}
			want := CodeParameterValueNotStringList
			switch {
			case spc.kind == kindTime || spc.kind == kindLevel:
				want = CodeInvalidQueryParameterValue
			case spc.kind.single():
				want = CodeParameterValueNotString
			}
			q.Params[i] = QueryParam{ps.Name, []string{bad}}
			check(ps.Name+" = "+bad, q, want)
		}
		for _, g := range spec.oneOf {
			q := minimal
			q.Params = append(append([]QueryParam(nil), minimal.Params...), QueryParam{g[1], []string{validValue(mustParam(spec, g[1]).kind)}})
			check("with "+g[1], q, CodeQueryParametersCannotBeSetTogether)
		}
		q := minimal
		q.Params = append(append([]QueryParam(nil), minimal.Params...), QueryParam{"$XDSDocumentEntryNoSuchParameter", []string{"('x')"}})
		check("with an unknown parameter", q, CodeUnknownQueryParameter)
	}
}

func mustParam(s querySpec, name string) paramSpec {
	ps, ok := s.param(name)
	if !ok {
		panic(name)
	}
	return ps
}
