package valueset

import (
	"path/filepath"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

// TestKnownCodeSystemsAgainstSVS cross-checks the built-in code-system
// table with the kit: for each concept of a FHIR value set whose code and
// display appear in an SVS value set with a single code-system OID, the
// OID the table resolved must be that one.
func TestKnownCodeSystemsAgainstSVS(t *testing.T) {
	kit := testenv.Kit(t)
	files, err := DefaultFiles(kit)
	if err != nil {
		t.Fatal(err)
	}
	var svs, fhir []ValueSet
	for _, f := range files {
		sets, err := Load([]string{f})
		if err != nil {
			// CodeSystem files alone load no value set; FHIR sets need nothing else.
			t.Fatalf("%s: %v", filepath.Base(f), err)
		}
		for _, v := range sets {
			if v.Format == FormatSVS {
				svs = append(svs, v)
			} else {
				fhir = append(fhir, v)
			}
		}
	}
	oids := map[[2]string]map[string]bool{} // (code, display) -> code systems
	for _, v := range svs {
		for _, c := range v.Concepts {
			k := [2]string{c.Code, c.Display}
			if oids[k] == nil {
				oids[k] = map[string]bool{}
			}
			oids[k][c.CodeSystem] = true
		}
	}
	checked := map[string]int{}
	for _, v := range fhir {
		for _, c := range v.Concepts {
			set := oids[[2]string{c.Code, c.Display}]
			if len(set) != 1 {
				continue
			}
			for o := range set {
				if o != c.CodeSystem {
					t.Errorf("%s %s %q: table gives %s (%s), the SVS files %s", v.Name, c.Code, c.Display, c.CodeSystem, c.CodeSystemName, o)
				}
			}
			checked[c.CodeSystemName]++
		}
	}
	// At least these code systems are confirmed by the SVS files.
	for _, name := range []string{"TRE_A00-ProducteurDocNonPS", "TRE_A02-ProfessionSavFaire-CISIS", "TRE_G15-ProfessionSante",
		"TRE_R01-EnsembleSavoirFaire-CISIS", "TRE_R85-RolePriseCharge", "TRE_R94-ProfessionSocial", "TRE_A04-Loinc", "TRE_A05-TypeDocComplementaire"} {
		if checked[name] == 0 {
			t.Errorf("no concept of %s could be cross-checked", name)
		}
	}
	t.Logf("cross-checked concepts per code system: %v", checked)
}
