package cda

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

// kitCDAs are the CDA documents of the kit: the attachment of the TD2.1
// example and the C# kit's templates.
var kitCDAs = []string{
	"dmp/examples/messages-v02.05.00/TD2.1-DocumentME2.xml",
	"dmp/examples/kit-2.06.01-templates/template_CDA.xml",
	"dmp/examples/kit-2.06.01-templates/template_CDA_NoteVacc_Copie.xml",
	"dmp/examples/kit-2.06.01-templates/template_CDA_NoteVaccTest_Copie.xml",
	"dmp/examples/kit-2.06.01-templates/template_CVA_CDA.xml",
	"dmp/examples/kit-2.06.01-templates/template_CVA_CDA_Update.xml",
}

// TestKitCDAs derives the entry of every kit CDA and checks it back.
func TestKitCDAs(t *testing.T) {
	for _, rel := range kitCDAs {
		doc, err := os.ReadFile(testenv.KitFile(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		h, err := Read(bytes.NewReader(doc), rel)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		e, err := h.Entry(supplied)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		for _, w := range h.Warnings {
			t.Logf("%s", w)
		}
		if ms := h.Check(e); len(ms) != 0 {
			t.Errorf("%s: round trip: %v", rel, ms)
		}
	}
}

// TestKitTD21CDA: the metadata of the CDA attached to the kit's TD2.1
// example, as the CI-SIS mapping derives it (docs/kit-defects.md compares
// it with the example's own DocumentEntry).
func TestKitTD21CDA(t *testing.T) {
	doc, err := os.ReadFile(testenv.KitFile(t, kitCDAs[0]))
	if err != nil {
		t.Fatal(err)
	}
	e, ws := derive(t, "TD2.1-DocumentME2.xml", doc)
	if len(ws) != 0 {
		t.Errorf("warnings: %v", ws)
	}
	checkAttrs(t, []attr{
		{"uniqueId", e.UniqueID, "1.2.250.1.999.1.1.7898.4.9956570902"},
		{"patientId", e.PatientID, "207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH"},
		{"sourcePatientId", e.SourcePatientID, "0456789999^^^&1.2.250.1.999.1.1.7898.2&ISO^PI"},
		{"sourcePatientInfo", strings.Join(e.SourcePatientInfo, " "), "PID-5|patb-quatre^LAURENCE^^^^^L PID-7|19790328 PID-8|F"},
		{"creationTime", e.CreationTime, "20190221123445"},
		{"serviceStartTime", e.ServiceStartTime, "20190221"},
		{"serviceStopTime", e.ServiceStopTime, ""},
		{"title", e.Title.String(), "Exemple de Document CDA R2 non Structure"},
		{"authorPerson", e.Authors[0].Person, "899900063480^MAX^LIBRE^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS"},
		{"legalAuthenticator", e.LegalAuthenticator, "899900063480^LIBRE^MAX^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS"},
		{"typeCode", codeString(e.TypeCode), "27899-4 (2.16.840.1.113883.6.1)"},
		{"eventCodeList", codesString(e.EventCodes), "BACA008 (1.2.250.1.213.2.5)"},
		{"healthcareFacilityTypeCode", codeString(e.HealthcareFacilityTypeCode), "SA07 (1.2.250.1.71.4.2.4)"},
	})
}
