//go:build dmpgen_template

package xdsrim

import (
	"github.com/dmpgen/dmpgen/generated/xds/query"
	"github.com/dmpgen/dmpgen/generated/xds/rs"
	"github.com/dmpgen/dmpgen/runtime/xds"
)

// RegistryResponse returns the status part of an ITI-41/57 response, for
// xds.ValidateResponse.
func RegistryResponse(r *rs.RegistryResponseType) xds.Response {
	return response(r.Status, r.RegistryErrorList)
}

// QueryResponse returns the status part of an ITI-18 response, for
// xds.ValidateResponse.
func QueryResponse(r *query.AdhocQueryResponse) xds.Response {
	return response(r.Status, r.RegistryErrorList)
}

func response(status string, list *rs.RegistryErrorList) xds.Response {
	out := xds.Response{Status: status}
	if list == nil {
		return out
	}
	for _, e := range list.RegistryError {
		out.Errors = append(out.Errors, xds.RegistryError{ErrorCode: e.ErrorCode, CodeContext: e.CodeContext,
			Severity: deref(e.Severity), Location: deref(e.Location)})
	}
	return out
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
