//go:build dmpgen_template

package dmp

import (
	"context"
	"fmt"

	"github.com/dmpgen/dmpgen/generated/dmp/habilitations"
)

// Status is the status of a proprietary DMP answer (Habilitations,
// PatientsSpecific): StatusOK, else a DMP error code such as
// DMPAccessDenied or DMPPatientNotFound.
type Status string

// StatusOK is the status of a successful proprietary answer.
const StatusOK Status = "DMPOk"

// AuthorizationAction is what TD0.3 does to the caller's authorization.
type AuthorizationAction string

// The actions of TD0.3 (Habilitations actionType).
const (
	AuthorizationAdd    AuthorizationAction = "AJOUT"
	AuthorizationRemove AuthorizationAction = "SUPPRESSION"
)

// Role is a specific role of a professional on a dossier (Habilitations
// roleType); RoleNone sets the authorization itself.
type Role string

// The roles of TD0.3.
const (
	RoleNone               Role = ""
	RoleAttendingPhysician Role = "MEDECIN_TRAITANT"
)

// AuthorizationResult is the answer of TD0.3.
type AuthorizationResult struct {
	Status Status // StatusOK: any other status is an *Error
	// Context is the DMP's explanation, as received (e.g. "Autorisation
	// déjà présente aucune action effectuée").
	Context string
}

// SetAuthorization runs TD0.3: it adds (AuthorizationAdd) or removes
// (AuthorizationRemove) the caller's authorization on the dossier of the
// patient the VIHF names, or only the role when role is not RoleNone. A
// status other than DMPOk is an *Error with ErrRejected and the status as
// its code.
func (c *Client) SetAuthorization(ctx context.Context, action AuthorizationAction, role Role) (AuthorizationResult, error) {
	const td = "TD0.3"
	switch action {
	case AuthorizationAdd, AuthorizationRemove:
	default:
		return AuthorizationResult{}, &Error{Transaction: td, Err: fmt.Errorf("action %q: want %s or %s", action, AuthorizationAdd, AuthorizationRemove)}
	}
	req := &habilitations.SetAuthorization{Action: ptr(habilitations.ActionType(action))}
	switch role {
	case RoleNone:
	case RoleAttendingPhysician:
		req.Role = ptr(habilitations.RoleType(role))
	default:
		return AuthorizationResult{}, &Error{Transaction: td, Err: fmt.Errorf("role %q: want %s or none", role, RoleAttendingPhysician)}
	}
	s, err := c.soapClient("Habilitations", td)
	if err != nil {
		return AuthorizationResult{}, err
	}
	resp, err := habilitations.NewHabilitationsClient(s).SetAuthorization(ctx, req)
	if err != nil {
		return AuthorizationResult{}, wrap(td, err)
	}
	if resp.Output == nil {
		return AuthorizationResult{}, &Error{Transaction: td, Err: fmt.Errorf("setAuthorizationResponse without output")}
	}
	st, ctxt, err := checkStatus(td, resp.Output.Status, resp.Output.Context)
	return AuthorizationResult{Status: st, Context: ctxt}, err
}

// checkStatus reads the status and context of a proprietary answer: a
// missing status or one other than DMPOk is an *Error.
func checkStatus(td string, status, context *string) (Status, string, error) {
	ctxt := deref(context)
	switch st := Status(deref(status)); {
	case status == nil:
		return "", ctxt, &Error{Transaction: td, Err: fmt.Errorf("answer without status")}
	case st != StatusOK:
		return st, ctxt, &Error{Transaction: td, Details: []Detail{{Code: string(st), Text: ctxt}}, Err: ErrRejected}
	default:
		return st, ctxt, nil
	}
}

// AuthorizationMode selects the professionals TD1.6 lists (Habilitations
// modeType); it is also the mode of each one listed.
type AuthorizationMode string

// The modes of TD1.6.
const (
	ModeActive    AuthorizationMode = "ACTIVE"    // authorized
	ModeForbidden AuthorizationMode = "INTERDITE" // blocked by the patient
	ModeAll       AuthorizationMode = "TOUTE"     // both (request only)
)

// Authorization is one professional TD1.6 lists.
type Authorization struct {
	NationalID     string // the professional's national id (e.g. 899900063480)
	NationalIDType string // its root OID (e.g. 1.2.250.1.71.4.2.1)
	FirstName      string
	LastName       string
	// Specialities are the speciality codes (e.g. G15_10/SM26) and
	// SpecialityLabels their labels, as received.
	Specialities     []string
	SpecialityLabels []string
	// Start and LastAction are the HL7 timestamps (YYYYMMDDHHMMSS) of the
	// authorization and of its last change, as received.
	Start, LastAction string
	Mode              AuthorizationMode
	// Roles are the specific roles (MEDECIN_TRAITANT).
	Roles []Role
}

// ListAuthorizations runs TD1.6: the professionals authorized on
// (ModeActive), blocked from (ModeForbidden) or either (ModeAll) the
// dossier of the patient the VIHF names. A status other than DMPOk is an
// *Error with ErrRejected and the status as its code.
func (c *Client) ListAuthorizations(ctx context.Context, mode AuthorizationMode) ([]Authorization, error) {
	const td = "TD1.6"
	switch mode {
	case ModeActive, ModeForbidden, ModeAll:
	default:
		return nil, &Error{Transaction: td, Err: fmt.Errorf("mode %q: want %s, %s or %s", mode, ModeActive, ModeForbidden, ModeAll)}
	}
	s, err := c.soapClient("Habilitations", td)
	if err != nil {
		return nil, err
	}
	resp, err := habilitations.NewHabilitationsClient(s).ListAuthorizationByPatient(ctx,
		&habilitations.ListAuthorizationByPatient{Mode: ptr(habilitations.ModeType(mode))})
	if err != nil {
		return nil, wrap(td, err)
	}
	out := resp.Output
	if out == nil {
		return nil, &Error{Transaction: td, Err: fmt.Errorf("listAuthorizationByPatientResponse without output")}
	}
	if _, _, err := checkStatus(td, out.Status, out.Context); err != nil {
		return nil, err
	}
	list := make([]Authorization, 0, len(out.ListOfAuthorizationByPatient))
	for _, a := range out.ListOfAuthorizationByPatient {
		e := Authorization{
			NationalID: deref(a.NationalId), NationalIDType: deref(a.NationalIdType),
			FirstName: deref(a.FirstName), LastName: deref(a.LastName),
			Specialities: a.CodeSpeciality, SpecialityLabels: a.LibSpeciality,
			Start: deref(a.StartOfAuthorization), LastAction: deref(a.LastActionDate),
		}
		if a.Mode != nil {
			e.Mode = AuthorizationMode(*a.Mode)
		}
		for _, r := range a.SpecificRight {
			e.Roles = append(e.Roles, Role(r))
		}
		list = append(list, e)
	}
	return list, nil
}
