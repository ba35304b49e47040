package dmp

import (
	"bytes"
	"os"
	"testing"

	hl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// FuzzReadDemographics decodes arbitrary PRPA_IN201308UV02 documents and
// reads them as a Get Demographics answer: no panic, and a dossier is
// returned only with its state set. Seeds: the bodies of the official
// TD0.2 and TD1.3a responses.
func FuzzReadDemographics(f *testing.F) {
	for _, name := range []string{"TD0.2_Test-dexistence_reponse.xml", "TD1.3a_Consultation_reponse.xml"} {
		data, err := os.ReadFile(testenv.KitFile(f, "dmp/examples/messages-v02.05.00/"+name))
		if err != nil {
			f.Fatal(err)
		}
		start := bytes.Index(data, []byte("<PRPA_IN201308UV02"))
		end := bytes.Index(data, []byte("</PRPA_IN201308UV02>"))
		if start < 0 || end < start {
			f.Fatalf("%s: no PRPA_IN201308UV02 element", name)
		}
		f.Add(data[start : end+len("</PRPA_IN201308UV02>")])
	}
	f.Add([]byte(`<PRPA_IN201308UV02 xmlns="urn:hl7-org:v3" ITSVersion="XML_1.0"><controlActProcess classCode="CACT" moodCode="EVN"><queryAck><queryResponseCode code="NF"/></queryAck></controlActProcess></PRPA_IN201308UV02>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		resp := new(hl7.PRPAIN201308UV02)
		if _, err := xmltext.Unmarshal(data, resp, xmltext.Options{}); err != nil {
			return
		}
		d, err := readDemographics("TD0.2", resp)
		if err == nil && d != nil && d.State == DossierNotFound {
			t.Fatalf("dossier %+v returned with state not found", d)
		}
	})
}
