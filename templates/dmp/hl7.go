//go:build dmpgen_template

package dmp

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	hl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	"github.com/dmpgen/dmpgen/runtime/hl7v2"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// HL7 v3 code systems and identifiers of the DMP's GDP messages (the
// official examples; docs/transactions.md#gdp-td02-td13a-td13b-td14-creation).
const (
	// OIDReasonCode is the code system of controlActProcess/reasonCode
	// (TEST_EXST, CNSLT_DATA, MODIF_DATA, FERM).
	OIDReasonCode = "1.2.250.1.213.1.1.4.11"
	// OIDAdministrativeObservation is the code system of the dossier's
	// administrative observations (OPPOSITION_BRIS_DE_GLACE,
	// OPPOSITION_ACCES_URGENCE, RATTACHEMENT_ENS).
	OIDAdministrativeObservation = "1.2.250.1.213.4.1.2.3"
	// OIDCloseReason is the code system of the closure reasons of TD1.4
	// (FERMETURE_DEMANDE_PATIENT).
	OIDCloseReason = "1.2.250.1.213.4.1.2.4"
	// OIDAttentionAuthorization codes the AUTORISATION attention line of
	// the TD0.2 response; OIDAttentionMT codes STATUT_MT.
	OIDAttentionAuthorization = "1.2.250.1.213.4.1.2.6.1"
	OIDAttentionMT            = "1.2.250.1.213.4.1.2.6.3"

	oidInteraction = "2.16.840.1.113883.1.6"
)

// PatientID is an HL7 v3 instance identifier (II) of a patient: the INS
// (root 1.2.250.1.213.1.4.10 in the official examples) or another id the
// DMP returns.
type PatientID struct {
	Root, Extension string
}

// PatientIDOf returns the HL7 v3 identifier of an INS given as an HL7 v2
// CX: root the assigning authority's universal id, extension the id.
func PatientIDOf(cx hl7v2.CX) PatientID {
	return PatientID{Root: cx.AssigningAuthority.UniversalID, Extension: cx.ID}
}

func (p PatientID) check() error {
	if p.Root == "" || p.Extension == "" {
		return fmt.Errorf("patient identifier %q@%q: root and extension are both required", p.Extension, p.Root)
	}
	return nil
}

func (p PatientID) ii() hl7.II { return ii(p.Root, p.Extension) }

// Value is a typed HL7 v3 value of an attention line or of an
// administrative observation, as received: Type is the xsi:type (BL, CV,
// CE, CD, CS, ST), Code and CodeSystem the coded value, Bool the boolean.
type Value struct {
	Type       string
	Code       string
	CodeSystem string
	Text       string
	Bool       *bool
	NullFlavor string
}

// Observation is an administrative observation of a dossier
// (subjectOf/administrativeObservation): an opposition, the internet
// account, the ENS link...
type Observation struct {
	Code, CodeSystem, DisplayName string
	Value                         Value
}

// AttentionLine is an attention line of a response: a keyword (code,
// codeSystem) and its value.
type AttentionLine struct {
	Keyword, KeywordSystem string
	Value                  Value
}

func ii(root, ext string) hl7.II {
	v := hl7.II{Root: ptr(root)}
	if ext != "" {
		v.Extension = ptr(ext)
	}
	return v
}

func cs(code string) *hl7.CS { return &hl7.CS{Code: ptr(code)} }

func text(s string) []xmltext.Node { return []xmltext.Node{xmltext.Text(s)} }

// hl7Time formats a time as an HL7 v3 TS to the second, in the time's own
// location (the official examples carry no zone).
func hl7Time(c *Client) string { return c.opts.Now().Format("20060102150405") }

// header is the transmission wrapper of a request (MCCI_MT000100UV01),
// shared by the GDP interactions.
type header struct {
	id, interaction                     *hl7.II
	creation                            *hl7.TS
	processing, processingMode, ackCode *hl7.CS
	receiver                            []hl7.MCCIMT000100UV01Receiver
	sender                              *hl7.MCCIMT000100UV01Sender
}

func device(d Device) *hl7.MCCIMT000100UV01Device {
	return &hl7.MCCIMT000100UV01Device{ClassCode: hl7.EntityClassDevice_DEV, DeterminerCode: hl7.EntityDeterminerSpecific_INSTANCE,
		Id: []hl7.II{ii(d.Root, "")}, SoftwareName: &hl7.SC{Content: text(d.Name)}}
}

// newHeader builds the wrapper of interaction as the official examples
// do: message id under MessageIDRoot with a new UUID, creationTime from
// the clock, processingCode, processingModeCode T, acceptAckCode AL, the
// DMP as receiver and Options.Sender as sender.
func (c *Client) newHeader(interaction string) (header, error) {
	if c.opts.Sender.Root == "" || c.opts.Sender.Name == "" {
		return header{}, errors.New("Options.Sender (the HL7 v3 sending device: id root and software name) is required")
	}
	id, err := c.newUUID()
	if err != nil {
		return header{}, err
	}
	return header{
		id:             ptr(ii(c.messageIDRoot(), id)),
		creation:       &hl7.TS{Value: ptr(hl7Time(c))},
		interaction:    ptr(ii(oidInteraction, interaction)),
		processing:     cs(c.processingCode()),
		processingMode: cs("T"),
		ackCode:        cs("AL"),
		receiver:       []hl7.MCCIMT000100UV01Receiver{{TypeCode: hl7.CommunicationFunctionType_RCV, Device: device(DMPDevice)}},
		sender:         &hl7.MCCIMT000100UV01Sender{TypeCode: hl7.CommunicationFunctionType_SND, Device: device(c.opts.Sender)},
	}, nil
}

func (c *Client) messageIDRoot() string {
	if c.opts.MessageIDRoot != "" {
		return c.opts.MessageIDRoot
	}
	return c.opts.Sender.Root + ".1.1"
}

func (c *Client) queryIDRoot() string {
	if c.opts.QueryIDRoot != "" {
		return c.opts.QueryIDRoot
	}
	return c.opts.Sender.Root + ".2"
}

func (c *Client) processingCode() string {
	if c.opts.ProcessingCode != "" {
		return c.opts.ProcessingCode
	}
	return "D"
}

// nilAttentionLine is the xsi:nil attention line every official GDP
// request carries.
func nilAttentionLine() []hl7.MCCIMT000100UV01AttentionLine {
	return []hl7.MCCIMT000100UV01AttentionLine{{XSINil: true}}
}

// acknowledged checks the acknowledgements of a response: anything but AA
// (AE, AR, CE, CR) is an *Error carrying the acknowledgement details, with
// ErrRejected.
func acknowledged(td string, acks []hl7.MCCIMT000300UV01Acknowledgement) error {
	for _, a := range acks {
		if a.TypeCode == hl7.AcknowledgementType_AA || a.TypeCode == hl7.AcknowledgementType_CA {
			continue
		}
		e := &Error{Transaction: td, Err: fmt.Errorf("%w: acknowledgement %s", ErrRejected, a.TypeCode)}
		for _, d := range a.AcknowledgementDetail {
			det := Detail{Text: edText(d.Text)}
			if d.Code != nil {
				det.Code = deref(d.Code.Code)
			}
			if d.TypeCode != nil {
				det.Severity = string(*d.TypeCode)
			}
			var loc []string
			for _, l := range d.Location {
				loc = append(loc, nodesText(l.Content))
			}
			det.Location = strings.Join(loc, " ")
			e.Details = append(e.Details, det)
		}
		return e
	}
	return nil
}

func edText(e *hl7.ED) string {
	if e == nil {
		return ""
	}
	return nodesText(e.Content)
}

func nodesText(ns []xmltext.Node) string {
	var b strings.Builder
	for _, n := range ns {
		switch n := n.(type) {
		case xmltext.Text:
			b.WriteString(string(n))
		case *xmltext.Element:
			b.WriteString(n.Text())
		}
	}
	return strings.TrimSpace(b.String())
}

// value converts an HL7 ANY (an xsi:typed value) to a Value; a type this
// package does not read is an error, never dropped.
func value(a *hl7.ANY) (Value, error) {
	if a == nil {
		return Value{}, errors.New("no value")
	}
	if a.Derived == nil {
		if a.NullFlavor != nil {
			return Value{NullFlavor: string(*a.NullFlavor)}, nil
		}
		return Value{}, errors.New("value without xsi:type")
	}
	coded := func(typ string, nf *hl7.NullFlavor, code, system *string) Value {
		v := Value{Type: typ, Code: deref(code), CodeSystem: deref(system)}
		if nf != nil {
			v.NullFlavor = string(*nf)
		}
		return v
	}
	switch d := a.Derived.(type) {
	case *hl7.BL:
		v := Value{Type: "BL", Bool: d.Value}
		if d.NullFlavor != nil {
			v.NullFlavor = string(*d.NullFlavor)
		}
		return v, nil
	case *hl7.CV:
		return coded("CV", d.NullFlavor, d.Code, d.CodeSystem), nil
	case *hl7.CE:
		return coded("CE", d.NullFlavor, d.Code, d.CodeSystem), nil
	case *hl7.CD:
		return coded("CD", d.NullFlavor, d.Code, d.CodeSystem), nil
	case *hl7.CS:
		return coded("CS", d.NullFlavor, d.Code, nil), nil
	case *hl7.ST:
		v := Value{Type: "ST", Text: nodesText(d.Content)}
		if d.NullFlavor != nil {
			v.NullFlavor = string(*d.NullFlavor)
		}
		return v, nil
	}
	return Value{}, fmt.Errorf("value of xsi:type %T not supported", a.Derived)
}

// observationsOf reads the administrative observations of a patient.
func observationsOf(subj []hl7.PRPAMT201303UV02Subject4) ([]Observation, error) {
	var out []Observation
	for i, s := range subj {
		o := s.AdministrativeObservation
		if o == nil || o.Code == nil {
			return nil, fmt.Errorf("subjectOf[%d]: administrativeObservation without code", i)
		}
		v, err := value(o.Value)
		if err != nil {
			return nil, fmt.Errorf("subjectOf[%d] %s: %w", i, deref(o.Code.Code), err)
		}
		out = append(out, Observation{Code: deref(o.Code.Code), CodeSystem: deref(o.Code.CodeSystem), DisplayName: deref(o.Code.DisplayName), Value: v})
	}
	return out, nil
}

// boolOf returns the boolean value of the observation coded code, and
// whether obs carries it.
func boolOf(obs []Observation, code string) (value, ok bool) {
	for _, o := range obs {
		if o.Code == code && o.Value.Bool != nil {
			return *o.Value.Bool, true
		}
	}
	return false, false
}

func idsOf(ids []hl7.II) []PatientID {
	out := make([]PatientID, 0, len(ids))
	for _, id := range ids {
		out = append(out, PatientID{Root: deref(id.Root), Extension: deref(id.Extension)})
	}
	return out
}

// dossierState maps the patient statusCode of a GDP response.
func dossierState(s *hl7.CS) (DossierState, error) {
	code := ""
	if s != nil {
		code = deref(s.Code)
	}
	switch code {
	case "active":
		return DossierOpen, nil
	case "terminated":
		return DossierClosed, nil
	}
	return DossierNotFound, fmt.Errorf("patient statusCode %q: want active or terminated", code)
}

// DossierState is the state of a patient's DMP.
type DossierState int

// Dossier states.
const (
	DossierNotFound DossierState = iota // no DMP for the patient
	DossierOpen                         // statusCode active
	DossierClosed                       // statusCode terminated
)

// String returns "not found", "open" or "closed".
func (s DossierState) String() string {
	switch s {
	case DossierNotFound:
		return "not found"
	case DossierOpen:
		return "open"
	case DossierClosed:
		return "closed"
	}
	return "DossierState(" + strconv.Itoa(int(s)) + ")"
}
