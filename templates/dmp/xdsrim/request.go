//go:build dmpgen_template

package xdsrim

import (
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/xdsb"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// Query returns the stored query of an ITI-18 request, for
// xds.ValidateQuery: an absent AdhocQuery gives an empty query id, a Slot
// without a ValueList a parameter without values.
func Query(r *query.AdhocQueryRequest) xds.Query {
	var q xds.Query
	if r.ResponseOption != nil {
		q.ReturnType = deref(r.ResponseOption.ReturnType)
	}
	if r.AdhocQuery == nil {
		return q
	}
	q.ID = r.AdhocQuery.Id
	for _, s := range r.AdhocQuery.Slot {
		p := xds.QueryParam{Name: s.Name}
		if s.ValueList != nil {
			for _, v := range s.ValueList.Sequence {
				if v.Value != nil {
					p.Values = append(p.Values, *v.Value)
				}
			}
		}
		q.Params = append(q.Params, p)
	}
	return q
}

// Retrieve returns the document requests of an ITI-43 request, for
// xds.ValidateRetrieve.
func Retrieve(r *xdsb.RetrieveDocumentSetRequestType) xds.Retrieve {
	out := xds.Retrieve{Documents: make([]xds.DocumentRequest, 0, len(r.DocumentRequest))}
	for _, d := range r.DocumentRequest {
		out.Documents = append(out.Documents, xds.DocumentRequest{HomeCommunityID: deref(d.HomeCommunityId),
			RepositoryUniqueID: deref(d.RepositoryUniqueId), DocumentUniqueID: deref(d.DocumentUniqueId)})
	}
	return out
}
