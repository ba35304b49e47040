package dmp

import (
	"bytes"
	"os"
	"testing"

	hl7 "github.com/dmpgen/dmpgen/generated/pdq/hl7v3"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// pdqSeed is a minimal PRPA_IN201306UV02 with one match.
const pdqSeed = `<PRPA_IN201306UV02 xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ITSVersion="XML_1.0">` +
	`<acknowledgement><typeCode code="AA"/></acknowledgement><controlActProcess classCode="CACT" moodCode="EVN">` +
	`<subject typeCode="SUBJ"><registrationEvent classCode="REG" moodCode="EVN"><subject1 typeCode="SBJ"><patient classCode="PAT">` +
	`<id root="1.2.250.1.213.1.4.10" extension="157069329642881"/><statusCode code="active"/><subjectOf2 typeCode="SBJ">` +
	`<administrativeObservation classCode="OBS"><code code="OPPOSITION_ACCES_URGENCE"/><value xsi:type="BL" value="false"/>` +
	`</administrativeObservation></subjectOf2></patient></subject1></registrationEvent></subject>` +
	`<queryAck><queryResponseCode code="OK"/></queryAck></controlActProcess></PRPA_IN201306UV02>`

// FuzzPDQMatches decodes arbitrary PRPA_IN201306UV02 documents and reads
// them as a TD0.5 answer: no panic, and every match returned has an id.
// Seeds: a minimal answer with one match (checked to decode into it) and
// the official TD0.5 response body (NE2008-invalid as is, docs/kit-defects.md#td05-response).
func FuzzPDQMatches(f *testing.F) {
	resp := new(hl7.PRPAIN201306UV02)
	if _, err := xmltext.Unmarshal([]byte(pdqSeed), resp, xmltext.Options{}); err != nil {
		f.Fatal(err)
	}
	if ms, err := pdqMatches("TD0.5", resp); err != nil || len(ms) != 1 {
		f.Fatalf("seed: %v %v, want one match", ms, err)
	}
	f.Add([]byte(pdqSeed))
	data, err := os.ReadFile(testenv.KitFile(f, "dmp/examples/messages-v02.05.00/TD0.5_Recherche-dun-patient-sans-INS_reponse.xml"))
	if err != nil {
		f.Fatal(err)
	}
	start, end := bytes.Index(data, []byte("<PRPA_IN201306UV02")), bytes.Index(data, []byte("</PRPA_IN201306UV02>"))
	if start < 0 || end < start {
		f.Fatal("TD0.5 response: no PRPA_IN201306UV02 element")
	}
	f.Add(data[start : end+len("</PRPA_IN201306UV02>")])
	f.Fuzz(func(t *testing.T, data []byte) {
		resp := new(hl7.PRPAIN201306UV02)
		if _, err := xmltext.Unmarshal(data, resp, xmltext.Options{}); err != nil {
			return
		}
		ms, err := pdqMatches("TD0.5", resp)
		for _, m := range ms {
			if err == nil && len(m.IDs) == 0 {
				t.Fatalf("match %+v without id", m)
			}
		}
	})
}
