package testdmp

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	hl7 "github.com/dmpgen/dmpgen/generated/gdp/hl7v3"
	pdqhl7 "github.com/dmpgen/dmpgen/generated/pdq/hl7v3"
	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
	"github.com/dmpgen/dmpgen/runtime/xmltext"
)

// TestHL7ResponsesXmllint validates one response of every HL7 interaction
// the test DMP sends, accepted and rejected, with xmllint against the
// official schemas (NE2009 for GDP, NE2008 for PDQ): an independent check
// of the generated Validate, which TestDossierLifeCycle and
// TestPatientSearch apply. It also shows the custodian without
// assignedPerson/Device/Organization valid, as generatorDefects says.
func TestHL7ResponsesXmllint(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	kit := testenv.Kit(t)
	dir := t.TempDir()
	files := map[string][]string{} // schema → documents
	saved := 0
	save := func(v xmlbind.Value, local, edition string) {
		t.Helper()
		saved++
		p := filepath.Join(dir, fmt.Sprintf("%02d-%s.xml", saved, local))
		if err := os.WriteFile(p, encode(t, v, xmltext.Name{Space: nsHL7, Local: local}), 0o644); err != nil {
			t.Fatal(err)
		}
		schema := filepath.Join(kit, "dmp/annexe-wsdl-schema/schema/HL7V3", edition, "multicacheschemas", local+".xsd")
		files[schema] = append(files[schema], p)
	}
	d, who := newTestDMP(t)
	g, s := gdpService{d.st}, pdqService{d.st}
	ctx := context.Background()
	demographics := func(file string) {
		var req hl7.PRPAIN201307UV02
		kitBody(t, file, &req)
		resp, err := g.PatientGetDemographicsPRPAIN201307UV02(ctx, &req)
		if err != nil {
			t.Fatal(err)
		}
		save(resp, "PRPA_IN201308UV02", "NE2009")
	}
	revise := func(file string) {
		var req hl7.PRPAIN201314UV02
		kitBody(t, file, &req)
		resp, err := g.PatientRevisePRPAIN201314UV02(ctx, &req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.PRPAIN201315UV02 != nil {
			save(resp.PRPAIN201315UV02, "PRPA_IN201315UV02", "NE2009")
		} else {
			save(resp.PRPAIN201316UV02, "PRPA_IN201316UV02", "NE2009")
		}
	}
	var pdq pdqhl7.PRPAIN201305UV02
	kitBody(t, "TD0.5_Recherche-dun-patient-sans-INS_requete.xml", &pdq)
	search := func() {
		resp, err := s.FindCandidatesQuery(ctx, &pdq)
		if err != nil {
			t.Fatal(err)
		}
		save(resp, "PRPA_IN201306UV02", "NE2008")
	}

	demographics("TD0.2_Test-dexistence_requete.xml") // NF
	search()                                          // NF
	add := patientAddRequest(t)
	for range 2 { // accepted, then rejected
		resp, err := g.PatientAddPRPAIN201311UV02(ctx, add)
		if err != nil {
			t.Fatal(err)
		}
		if resp.PRPAIN201312UV02 != nil {
			save(resp.PRPAIN201312UV02, "PRPA_IN201312UV02", "NE2009")
		} else {
			save(resp.PRPAIN201313UV02, "PRPA_IN201313UV02", "NE2009")
		}
	}
	demographics("TD0.2_Test-dexistence_requete.xml") // OK, attention lines
	demographics("TD1.3a_Consultation_requete.xml")   // OK, whole dossier
	family := xmltext.Element{Name: xmltext.Name{Space: nsHL7, Local: "family"}, Children: textNodes("patb-quatre")}
	pdq.ControlActProcess.QueryByParameter.ParameterList.LivingSubjectName[0].Value[0].Content = []xmltext.Node{&family}
	search() // OK
	who.c.PS = otherPS
	demographics("TD1.3a_Consultation_requete.xml") // AE
	revise("TD1.3b_Modification_requete.xml")       // rejected
	who.c.PS = examplePS
	revise("TD1.3b_Modification_requete.xml") // accepted
	revise("TD1.4_Fermer_requete.xml")        // closed
	pdq.ControlActProcess.QueryByParameter.ParameterList.PatientTelecom = []pdqhl7.PRPAMT201306UV02PatientTelecom{{
		Value: []pdqhl7.TEL{{Value: ptr("tel:0102030405")}}, SemanticsText: &pdqhl7.ST{Content: textNodes("Patient.telecom")}}}
	search() // QE

	n := 0
	for schema, docs := range files {
		cmd := exec.Command(xmllint, append([]string{"--noout", "--nonet", "--schema", schema}, docs...)...)
		cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+filepath.Join(kit, "catalog.xml"))
		out, err := cmd.CombinedOutput()
		if err != nil || strings.Count(string(out), " validates") != len(docs) {
			t.Errorf("xmllint --schema %s:\n%s", filepath.Base(schema), out)
		}
		n += len(docs)
	}
	if n != 12 {
		t.Fatalf("%d responses validated, want 12", n)
	}
}
