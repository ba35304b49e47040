package soap

import (
	"strings"

	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

var (
	rsRegistryResponse  = xmltext.Name{Space: NamespaceRS, Local: "RegistryResponse"}
	rsRegistryErrorList = xmltext.Name{Space: NamespaceRS, Local: "RegistryErrorList"}
	rsRegistryError     = xmltext.Name{Space: NamespaceRS, Local: "RegistryError"}
)

// registryStatus inspects the body element of a response envelope for an
// ebRS registry status, independently of the generated type that decoded
// it: the body element itself when it is rs:RegistryResponse or carries a
// registry status attribute (query:AdhocQueryResponse and every other
// extension of rs:RegistryResponseType), else its first child when that is
// rs:RegistryResponse (ITI-43 RetrieveDocumentSetResponse). It returns nil
// for Success and for bodies that are not registry responses.
func registryStatus(data []byte, lenient bool) (*RegistryError, error) {
	env, err := parseEnvelope(data, lenient, 0, nil)
	if err != nil {
		return nil, err
	}
	if env.payload.Kind != xmltext.StartElement {
		return nil, nil
	}
	if isRegistryResponse(&env.payload) {
		return scanRegistry(env.d, &env.payload)
	}
	tok, err := env.d.NextElementOrEnd()
	if err != nil {
		return nil, protocolErr(ErrBadEnvelope, err, "reading %s", env.payload.Name)
	}
	if tok.Kind == xmltext.StartElement && tok.Name == rsRegistryResponse {
		return scanRegistry(env.d, &tok)
	}
	return nil, nil
}

func isRegistryResponse(tok *xmltext.Token) bool {
	if tok.Name == rsRegistryResponse {
		return true
	}
	s, ok := tok.Attr(xmltext.Name{Local: "status"})
	s = strings.TrimSpace(s)
	return ok && (strings.HasPrefix(s, statusPrefixRegrep) || strings.HasPrefix(s, statusPrefixIHE))
}

// scanRegistry reads the status of start and its RegistryErrorList, which
// comes first in rs:RegistryResponseType after an optional ResponseSlotList.
func scanRegistry(d *xmltext.Decoder, start *xmltext.Token) (*RegistryError, error) {
	status, _ := start.Attr(xmltext.Name{Local: "status"})
	status = strings.TrimSpace(status)
	if status == StatusSuccess {
		return nil, nil
	}
	re := &RegistryError{Status: status, Element: start.Name}
	for {
		tok, err := d.NextElementOrEnd()
		if err != nil {
			return nil, protocolErr(ErrBadEnvelope, err, "reading %s", start.Name)
		}
		if tok.Kind != xmltext.StartElement {
			return re, nil
		}
		switch {
		case tok.Name == rsRegistryErrorList:
			el, err := d.ReadElement(tok)
			if err != nil {
				return nil, protocolErr(ErrBadEnvelope, err, "reading RegistryErrorList")
			}
			for _, c := range el.Elements() {
				if c.Name != rsRegistryError {
					continue
				}
				r := RegistryErrorEntry{Severity: defaultRegistrySeverity, Text: strings.TrimSpace(c.Text())}
				for _, a := range c.Attrs {
					switch a.Name.Local {
					case "errorCode":
						r.ErrorCode = a.Value
					case "codeContext":
						r.CodeContext = a.Value
					case "severity":
						r.Severity = strings.TrimSpace(a.Value)
					case "location":
						r.Location = a.Value
					}
				}
				re.Errors = append(re.Errors, r)
			}
			return re, nil
		case tok.Name.Local == "ResponseSlotList":
			if err := d.Skip(); err != nil {
				return nil, protocolErr(ErrBadEnvelope, err, "reading ResponseSlotList")
			}
		default:
			return re, nil
		}
	}
}
