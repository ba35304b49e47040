//go:build dmpgen_template

package dmp

import (
	"context"
	"fmt"

	legacy "github.com/dmpgen/dmpgen/generated/dmplegacy/patients"
)

// The TD1.5 transactions below are legacy: removed from
// PatientsSpecific.wsdl 1.0.2 (2024); endpoints that still serve kit
// 2.06.01 answer them. They use Endpoints.LegacyPatients and the
// generated client of the kit 2.06.01 WSDL (generated/dmplegacy/patients).

// OTPChannel is the kind of channel a patient receives one-time passwords
// on (legacy TD1.5, otpChannelTypeEnum).
type OTPChannel string

// The OTP channels of TD1.5.
const (
	OTPSMS   OTPChannel = "SMS"   // a mobile phone number
	OTPEmail OTPChannel = "EMAIL" // an e-mail address
)

// OTPAction is what TD1.5b does with a channel (actionTypeEnum).
type OTPAction string

// The actions of TD1.5b.
const (
	OTPAdd    OTPAction = "AJOUT"        // add the channel
	OTPModify OTPAction = "MODIFICATION" // change the channel
	OTPRemove OTPAction = "SUPPRESSION"  // remove the channel
)

// PatientAccess is the patient's web account as TD1.5a and TD1.5d return
// it: its login and (temporary) password, and the DMP's context text.
type PatientAccess struct {
	Login, Password string
	Context         string
}

func (c *Client) legacyPatients(td string) (*legacy.PatientSpecificClient, error) {
	s, err := c.soapClient("LegacyPatients", td)
	if err != nil {
		return nil, err
	}
	return legacy.NewPatientSpecificClient(s), nil
}

func checkOTPChannel(td string, ch OTPChannel, address string) error {
	if ch != OTPSMS && ch != OTPEmail {
		return &Error{Transaction: td, Err: fmt.Errorf("OTP channel type %q: want %s or %s", ch, OTPSMS, OTPEmail)}
	}
	if address == "" {
		return &Error{Transaction: td, Err: fmt.Errorf("%s channel without an address (canal)", ch)}
	}
	return nil
}

// CreatePatientAccess runs TD1.5a createPatientAccess (legacy: removed from
// PatientsSpecific.wsdl 1.0.2 (2024); endpoints that still serve kit
// 2.06.01): it creates the web account of the patient of the VIHF, whose
// one-time passwords go to address (a phone number for OTPSMS, an e-mail
// address for OTPEmail). A status other than DMPOk is an *Error with
// ErrRejected; an answer without login or password is an error.
func (c *Client) CreatePatientAccess(ctx context.Context, ch OTPChannel, address string) (PatientAccess, error) {
	const td = "TD1.5a"
	if err := checkOTPChannel(td, ch, address); err != nil {
		return PatientAccess{}, err
	}
	lc, err := c.legacyPatients(td)
	if err != nil {
		return PatientAccess{}, err
	}
	resp, err := lc.CreatePatientAccess(ctx, &legacy.CreatePatientAccess{Type: ptr(legacy.OtpChannelTypeEnum(ch)), Canal: ptr(address)})
	if err != nil {
		return PatientAccess{}, wrap(td, err)
	}
	return patientAccess(td, resp.Output)
}

// UpdatePatientAccess runs TD1.5d updatePatientAccess (legacy: removed from
// PatientsSpecific.wsdl 1.0.2 (2024); endpoints that still serve kit
// 2.06.01): it renews the login and password of the web account of the
// patient of the VIHF. The official response example is labelled with
// the wsa:Action of a fault (…:updatePatientAccess:Fault:SoapFault,
// docs/kit-defects.md#td15d-response): a server answering so is only accepted by a lenient
// client (Options.SOAP with soap.WithLenientDecoding, or NewFromSOAP on a
// soap.Client WithLenientDecoding).
func (c *Client) UpdatePatientAccess(ctx context.Context) (PatientAccess, error) {
	const td = "TD1.5d"
	lc, err := c.legacyPatients(td)
	if err != nil {
		return PatientAccess{}, err
	}
	resp, err := lc.UpdatePatientAccess(ctx, &legacy.UpdatePatientAccess{})
	if err != nil {
		return PatientAccess{}, wrap(td, err)
	}
	return patientAccess(td, resp.Output)
}

func patientAccess(td string, out *legacy.PatientAccessResponse) (PatientAccess, error) {
	if out == nil {
		return PatientAccess{}, &Error{Transaction: td, Err: fmt.Errorf("response without output")}
	}
	_, ctxt, err := checkStatus(td, out.Status, out.Context)
	if err != nil {
		return PatientAccess{}, err
	}
	if deref(out.Login) == "" || deref(out.Password) == "" {
		return PatientAccess{}, &Error{Transaction: td, Err: fmt.Errorf("DMPOk without login or password")}
	}
	return PatientAccess{Login: *out.Login, Password: *out.Password, Context: ctxt}, nil
}

// UpdatePatientOTP runs TD1.5b patientOTPUpdate (legacy: removed from
// PatientsSpecific.wsdl 1.0.2 (2024); endpoints that still serve kit
// 2.06.01): it adds, changes or removes (a) a one-time password channel
// of the web account of the patient of the VIHF. It returns the DMP's
// context text (e.g. "OTP mis à jour"); a status other than DMPOk is an
// *Error with ErrRejected.
func (c *Client) UpdatePatientOTP(ctx context.Context, ch OTPChannel, address string, a OTPAction) (string, error) {
	const td = "TD1.5b"
	if err := checkOTPChannel(td, ch, address); err != nil {
		return "", err
	}
	if a != OTPAdd && a != OTPModify && a != OTPRemove {
		return "", &Error{Transaction: td, Err: fmt.Errorf("OTP action %q: want %s, %s or %s", a, OTPAdd, OTPModify, OTPRemove)}
	}
	lc, err := c.legacyPatients(td)
	if err != nil {
		return "", err
	}
	resp, err := lc.PatientOTPUpdate(ctx, &legacy.PatientOTPUpdate{
		Type: ptr(legacy.OtpChannelTypeEnum(ch)), Canal: ptr(address), Action: ptr(legacy.ActionTypeEnum(a)),
	})
	if err != nil {
		return "", wrap(td, err)
	}
	if resp.Output == nil {
		return "", &Error{Transaction: td, Err: fmt.Errorf("response without output")}
	}
	_, ctxt, err := checkStatus(td, resp.Output.Status, resp.Output.Context)
	return ctxt, err
}
