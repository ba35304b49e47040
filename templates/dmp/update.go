//go:build dmpgen_template

package dmp

import (
	"context"
	"fmt"

	hl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
	"github.com/dmpgen/dmpgen/runtime/xsdt"
)

// reasonModify is the GDP reason code of TD1.3b.
var reasonModify = hl7.CE{Code: ptr("MODIF_DATA"), CodeSystem: ptr(OIDReasonCode), DisplayName: ptr("Modification des données de gestion du dossier")}

// Opposition is a patient's opposition, an administrative observation of
// code system OIDAdministrativeObservation.
type Opposition string

// The oppositions a patient may set on the dossier.
const (
	// OppositionBreakGlass opposes the "bris de glace" access mode.
	OppositionBreakGlass Opposition = "OPPOSITION_BRIS_DE_GLACE"
	// OppositionEmergencyAccess opposes the emergency (SAMU) access mode.
	OppositionEmergencyAccess Opposition = "OPPOSITION_ACCES_URGENCE"
)

// oppositionNames are the display names of the oppositions, as in the
// official TD1.3b example.
var oppositionNames = map[Opposition]string{
	OppositionBreakGlass:      "opposition au mode bris de glace",
	OppositionEmergencyAccess: "opposition à l'accès au mode urgence",
}

// OppositionSetting is an opposition and whether the patient opposes.
type OppositionSetting struct {
	Opposition Opposition
	Opposed    bool
}

// Telecom is a telecommunication address: a URL ("tel:0123456789",
// "mailto:...") and its HL7 use code (HP home, MC mobile...), "" for none.
type Telecom struct {
	Value, Use string
}

// Address is a postal address.
type Address struct {
	StreetLines               []string
	PostalCode, City, Country string
}

// Demographics are the patient data of a creation or a modification
// besides the name; empty fields are left out.
type Demographics struct {
	Telecoms []Telecom
	// Gender is the administrativeGenderCode: M, F or U.
	Gender string
	// BirthDate is the HL7 TS birth date, e.g. "19790328".
	BirthDate string
	Address   *Address
}

// DossierData is what a creation (CreateDMP) or a modification (TD1.3b)
// sends: the patient, the demographics the dossier is to hold, and the
// oppositions to set.
type DossierData struct {
	Patient      DossierPatient
	Demographics Demographics
	Oppositions  []OppositionSetting
}

// Revision is the DMP's acceptance of a modification (TD1.3b,
// PRPA_IN201315UV02) or a creation (PRPA_IN201312UV02).
type Revision struct {
	// State is the dossier's state the DMP reports (DossierOpen).
	State DossierState
	// IDs are the patient identifiers the answer carries.
	IDs []PatientID
}

// UpdateDMP runs TD1.3b: it modifies the dossier's demographics and
// oppositions, author being the professional who asks. A rejection
// (PRPA_IN201316UV02, or an acknowledgement other than AA) is an *Error
// with ErrRejected and the DMP's acknowledgement codes.
func (c *Client) UpdateDMP(ctx context.Context, upd DossierData, author Professional) (Revision, error) {
	const td = "TD1.3b"
	if err := checkRevision(upd.Patient, author); err != nil {
		return Revision{}, &Error{Transaction: td, Err: err}
	}
	pt := upd.Patient.revisedPatient("active")
	if err := upd.Demographics.fill(&demographicFields{&pt.PatientPerson.Telecom, &pt.PatientPerson.AdministrativeGenderCode,
		&pt.PatientPerson.BirthTime, &pt.PatientPerson.Addr}); err != nil {
		return Revision{}, &Error{Transaction: td, Err: err}
	}
	err := eachObservation(upd.Oppositions, func(code *hl7.CD, value *hl7.ANY) {
		pt.SubjectOf = append(pt.SubjectOf, hl7.PRPAMT201302UV02Subject4{TypeCode: hl7.ParticipationTargetSubject_SBJ,
			AdministrativeObservation: &hl7.PRPAMT201302UV02AdministrativeObservation{ClassCode: hl7.ActClassObservation_OBS,
				MoodCode: ptr(hl7.ActMood_EVN), Code: code, Value: value}})
	})
	if err != nil {
		return Revision{}, &Error{Transaction: td, Err: err}
	}
	req, err := c.reviseRequest(td, reasonModify, pt, author.assignedEntity(true))
	if err != nil {
		return Revision{}, err
	}
	st, ids, err := c.revise(ctx, td, req)
	if err != nil {
		return Revision{}, err
	}
	if st != DossierOpen {
		return Revision{}, &Error{Transaction: td, Err: fmt.Errorf("PRPA_IN201315UV02: the dossier is %v after the modification", st)}
	}
	return Revision{State: st, IDs: ids}, nil
}

// eachObservation calls add with the code and BL value of each
// opposition, in order; an unknown opposition is an error.
func eachObservation(settings []OppositionSetting, add func(code *hl7.CD, value *hl7.ANY)) error {
	for _, o := range settings {
		name, ok := oppositionNames[o.Opposition]
		if !ok {
			return fmt.Errorf("opposition %q: want %s or %s", o.Opposition, OppositionBreakGlass, OppositionEmergencyAccess)
		}
		add(&hl7.CD{Code: ptr(string(o.Opposition)), CodeSystem: ptr(OIDAdministrativeObservation), DisplayName: ptr(name)},
			&hl7.ANY{Derived: &hl7.BL{Value: ptr(o.Opposed)}})
	}
	return nil
}

// demographicFields point to the fields of a generated person type
// (PRPA_MT201301 or PRPA_MT201302) that Demographics fill.
type demographicFields struct {
	telecom *[]hl7.TEL
	gender  **hl7.CE
	birth   **hl7.TS
	addr    *[]hl7.AD
}

// fill sets the fields f points to.
func (d Demographics) fill(f *demographicFields) error {
	for _, t := range d.Telecoms {
		if t.Value == "" {
			return fmt.Errorf("telecom without value")
		}
		tel := hl7.TEL{Value: ptr(t.Value)}
		if t.Use != "" {
			u := hl7.TelecommunicationAddressUse(t.Use)
			r := xsdt.NewReport("use")
			u.ValidateXSD(r)
			if err := r.Err(); err != nil {
				return fmt.Errorf("telecom %s: use: %w", t.Value, err)
			}
			tel.Use = &[]hl7.TelecommunicationAddressUse{u}
		}
		*f.telecom = append(*f.telecom, tel)
	}
	switch d.Gender {
	case "":
	case "M", "F", "U":
		*f.gender = &hl7.CE{Code: ptr(d.Gender)}
	default:
		return fmt.Errorf("gender %q: want M, F or U", d.Gender)
	}
	if d.BirthDate != "" {
		*f.birth = &hl7.TS{Value: ptr(d.BirthDate)}
	}
	if a := d.Address; a != nil {
		var parts []xmltext.Node
		add := func(local, v string) {
			if v != "" {
				parts = append(parts, &xmltext.Element{Name: xmltext.Name{Space: hl7NS, Local: local}, Children: text(v)})
			}
		}
		for _, l := range a.StreetLines {
			add("streetAddressLine", l)
		}
		add("postalCode", a.PostalCode)
		add("city", a.City)
		add("country", a.Country)
		*f.addr = append(*f.addr, hl7.AD{Content: parts})
	}
	return nil
}
