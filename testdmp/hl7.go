package testdmp

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// HL7 v3 identifiers used in the DMP's messages (the official examples;
// docs/transactions.md#identifiers-of-the-dmp).
const (
	nsHL7 = "urn:hl7-org:v3"

	// oidDMP is the DMP's device and custodian id.
	oidDMP = "1.2.250.1.213.4.1.1.1"
	// oidDMPMessage roots the ids of the messages the DMP sends.
	oidDMPMessage = "1.2.250.1.213.4.1.1.1.1"
	// oidInteraction is the HL7 interaction id root.
	oidInteraction = "2.16.840.1.113883.1.6"
	// oidReasonCode is the code system of controlActProcess/reasonCode
	// (TEST_EXST, CNSLT_DATA, MODIF_DATA, FERM).
	oidReasonCode = "1.2.250.1.213.1.1.4.11"
	// oidAdminObservation is the code system of the dossier's
	// administrative observations (OPPOSITION_BRIS_DE_GLACE,
	// OPPOSITION_ACCES_URGENCE, RATTACHEMENT_ENS).
	oidAdminObservation = "1.2.250.1.213.4.1.2.3"
	// oidAttentionKeyword and oidAuthorizationStatus code the attention
	// lines of the TD0.2 response (AUTORISATION = VALIDE, STATUT_MT).
	oidAttentionKeyword    = "1.2.250.1.213.4.1.2.6.1"
	oidAuthorizationStatus = "1.2.250.1.213.4.1.2.6.2"
	oidAttentionMT         = "1.2.250.1.213.4.1.2.6.3"
	// oidPSNationalID is the national id root of professionals (RPPS/ADELI).
	oidPSNationalID = "1.2.250.1.71.4.2.1"

	reasonTestExists = "TEST_EXST"
	reasonConsult    = "CNSLT_DATA"
	reasonModify     = "MODIF_DATA"
	reasonClose      = "FERM"

	// Authorization status of the TD0.2 attention line. VALIDE is in the
	// official example; NON_EXISTANTE (no authorization) is UNVERIFIED.
	authValid   = "VALIDE"
	authMissing = "NON_EXISTANTE"
)

// Statuses of the test DMP: the output/status of the proprietary services
// and, for rejections, the code of the HL7 acknowledgementDetail (without a
// code system). DMPOk is the official success status (TD0.3, TD0.4, TD1.6);
// the error codes are the test DMP's own, the real DMP's are not in the kit.
const (
	StatusOK              = "DMPOk"
	StatusPatientNotFound = "DMPPatientNotFound"
	StatusPatientExists   = "DMPPatientAlreadyExists"
	StatusClosed          = "DMPClosed"
	StatusAccessDenied    = "DMPAccessDenied"
	StatusInvalidData     = "DMPInvalidData"
)

// convert copies an HL7 value into a value of another generated type with
// the same XML content (the message types of one schema family repeat
// their models under other names: PRPA_MT201301UV02.Person,
// PRPA_MT201303UV02.Person, …). It encodes src and decodes the result
// strictly into dst, so whatever dst's model cannot hold is an error, never
// dropped.
func convert(dst, src xmlbind.Value, what string) error {
	var buf bytes.Buffer
	e := xmltext.NewEncoder(&buf)
	name := xmltext.Name{Space: nsHL7, Local: what}
	if err := src.MarshalXMLText(e, name); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := e.Flush(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	d := xmltext.NewDecoder(buf.Bytes(), xmltext.Options{File: what})
	tok, err := d.Next()
	for err == nil && tok.Kind != xmltext.StartElement {
		tok, err = d.Next()
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := dst.UnmarshalXMLText(d, &tok); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// nameParts returns the text of the parts of a mixed-content HL7 name
// (PN/EN content) whose local name is part ("family", "given", "prefix"),
// restricted to those carrying qualifier when it is not "".
func nameParts(content []xmltext.Node, part, qualifier string) []string {
	var out []string
	for _, n := range content {
		el, ok := n.(*xmltext.Element)
		if !ok || el.Name.Space != nsHL7 || el.Name.Local != part {
			continue
		}
		if qualifier != "" {
			q, _ := el.Attr(xmltext.Name{Local: "qualifier"})
			if !contains(strings.Fields(q), qualifier) {
				continue
			}
		}
		out = append(out, strings.TrimSpace(el.Text()))
	}
	return out
}

// firstOf returns the first non-empty string of the lists, in order.
func firstOf(lists ...[]string) string {
	for _, l := range lists {
		for _, s := range l {
			if s != "" {
				return s
			}
		}
	}
	return ""
}

func textNodes(s string) []xmltext.Node { return []xmltext.Node{xmltext.Text(s)} }
