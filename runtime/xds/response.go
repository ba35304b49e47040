package xds

// Registry response statuses and error severities (ebRS 3.0, IHE ITI TF-3
// 4.2.4).
const (
	ResponseSuccess        = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
	ResponseFailure        = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"
	ResponsePartialSuccess = "urn:ihe:iti:2007:ResponseStatusType:PartialSuccess"
	SeverityError          = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"
	SeverityWarning        = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning"
)

// Response is the status part of a registry response (rs:RegistryResponse
// of ITI-41/57, query:AdhocQueryResponse of ITI-18).
type Response struct {
	Status string
	Errors []RegistryError
}

// RegistryError is a rs:RegistryError. Severity "" stands for the schema
// default, SeverityError.
type RegistryError struct {
	ErrorCode   string
	CodeContext string
	Severity    string
	Location    string
}

// ValidateResponse checks the status of a registry response (IPF
// RegistryResponseValidator): a known status, and errors with a code and a
// known severity. dmpgen also checks that a Failure or PartialSuccess
// carries an error of severity Error and that a Success carries none
// (INVALID_ERROR_INFO_IN_RESPONSE, IHE ITI TF-3 4.2.4.2).
func ValidateResponse(r Response) Violations {
	var out Violations
	add := func(code RuleCode, attr, detail string) {
		out = append(out, Violation{Code: code, Attr: attr, Detail: detail})
	}
	switch r.Status {
	case ResponseSuccess, ResponseFailure, ResponsePartialSuccess:
	default:
		add(CodeInvalidStatusInResponse, "status", "status "+quote(r.Status))
	}
	errs := 0
	for i, e := range r.Errors {
		attr := at("RegistryError", i).String()
		if e.ErrorCode == "" {
			add(CodeInvalidErrorCodeInResponse, attr, "no errorCode")
		}
		switch e.Severity {
		case "", SeverityError:
			errs++
		case SeverityWarning:
		default:
			add(CodeInvalidSeverityInResponse, attr, "severity "+quote(e.Severity))
		}
	}
	switch {
	case r.Status == ResponseSuccess && errs > 0:
		add(CodeInvalidErrorInfoInResponse, "RegistryErrorList", "a Success response with errors of severity Error")
	case (r.Status == ResponseFailure || r.Status == ResponsePartialSuccess) && errs == 0:
		add(CodeInvalidErrorInfoInResponse, "RegistryErrorList", "a "+r.Status+" response without an error of severity Error")
	}
	return out
}

func quote(s string) string { return `"` + s + `"` }
