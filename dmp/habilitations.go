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
