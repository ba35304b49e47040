//go:build dmpgen_template

package dmp

import (
	"context"
	"fmt"
	"time"

	"github.com/dmpgen/dmpgen/generated/dmp/patients"
)

// PatientDateType is the date a TD0.4 filter applies to (PatientsSpecific
// dateTypeEnum).
type PatientDateType string

// The dates of TD0.4.
const (
	DateLastAuthorization PatientDateType = "LASTAUTORIZATION" // last change of the authorization
	DateLastDocument      PatientDateType = "LASTDOC"          // last document added
)

// PatientFilter restricts the dossiers TD0.4 lists. The zero value lists
// them all.
type PatientFilter struct {
	// Since, when not zero, keeps the dossiers whose DateType is at or
	// after it; it is sent as an HL7 timestamp (YYYYMMDDHHMMSS) in its own
	// location.
	Since    time.Time
	DateType PatientDateType // required with Since
	// Owner is the national id of the professional whose dossiers are
	// listed (psOwnerId); "" lists the caller's (the VIHF's).
	Owner string
}

// AuthorizedPatient is one dossier TD0.4 lists.
type AuthorizedPatient struct {
	IDs                                    []PatientID // INS, DMP internal id...
	LastName, BirthName, FirstName, Prefix string      // lastName, patronymicalName, firstName, civility
	BirthDate                              string      // dateOfBirth, as received (YYYYMMDD)
	// AttendingPhysician is MT: whether the professional is the patient's
	// médecin traitant; Message is the message flag, as received.
	AttendingPhysician, Message bool
	// LastAccess, LastUpdate and LastAdd are the HL7 timestamps of the
	// last access, update and document added, as received ("" when absent).
	LastAccess, LastUpdate, LastAdd string
}

// ListAuthorizedPatients runs TD0.4: the dossiers the professional is
// authorized on, filtered by f. A status other than DMPOk is an *Error
// with ErrRejected and the status as its code.
func (c *Client) ListAuthorizedPatients(ctx context.Context, f PatientFilter) ([]AuthorizedPatient, error) {
	const td = "TD0.4"
	req := &patients.PatientList{}
	switch {
	case f.Since.IsZero() && f.DateType != "":
		return nil, &Error{Transaction: td, Err: fmt.Errorf("dateType %s without a start date", f.DateType)}
	case f.Since.IsZero():
	case f.DateType != DateLastAuthorization && f.DateType != DateLastDocument:
		return nil, &Error{Transaction: td, Err: fmt.Errorf("dateType %q: want %s or %s", f.DateType, DateLastAuthorization, DateLastDocument)}
	default:
		req.StartDate, req.DateType = ptr(f.Since.Format("20060102150405")), ptr(patients.DateTypeEnum(f.DateType))
	}
	if f.Owner != "" {
		req.PsOwnerId = ptr(f.Owner)
	}
	s, err := c.soapClient("Patients", td)
	if err != nil {
		return nil, err
	}
	resp, err := patients.NewPatientSpecificClient(s).PatientList(ctx, req)
	if err != nil {
		return nil, wrap(td, err)
	}
	out := resp.Output
	if out == nil {
		return nil, &Error{Transaction: td, Err: fmt.Errorf("patientListResponse without output")}
	}
	if _, _, err := checkStatus(td, out.Status, out.Context); err != nil {
		return nil, err
	}
	list := make([]AuthorizedPatient, 0, len(out.PatientlistData))
	for i, d := range out.PatientlistData {
		if d.MT == nil || d.Message == nil {
			return nil, &Error{Transaction: td, Err: fmt.Errorf("patientlistData[%d]: MT or message missing (both are required)", i)}
		}
		p := AuthorizedPatient{
			LastName: deref(d.LastName), BirthName: deref(d.PatronymicalName), FirstName: deref(d.FirstName),
			Prefix: deref(d.Civility), BirthDate: deref(d.DateOfBirth),
			AttendingPhysician: *d.MT, Message: *d.Message,
			LastAccess: deref(d.LastAccessDate), LastUpdate: deref(d.LastUpdateDate), LastAdd: deref(d.LastAddDate),
		}
		for j, id := range d.PatientIdentifier {
			if id.NationalId == nil || id.NationalIdType == nil {
				return nil, &Error{Transaction: td, Err: fmt.Errorf("patientlistData[%d]/patientIdentifier[%d]: nationalId or nationalIdType missing", i, j)}
			}
			p.IDs = append(p.IDs, PatientID{Root: *id.NationalIdType, Extension: *id.NationalId})
		}
		list = append(list, p)
	}
	return list, nil
}
