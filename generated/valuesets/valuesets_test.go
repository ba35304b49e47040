package valuesets

import "testing"

// TestDMPExampleCodes checks the codes of the official TD2.1 message
// (docs/valuesets.md#what-they-constrain) against the DMP value sets.
func TestDMPExampleCodes(t *testing.T) {
	for _, tt := range []struct {
		set, code, system string
	}{
		{"1.2.250.1.213.1.1.5.6", "10", "1.2.250.1.213.1.1.4.1"},                             // classCode J57
		{"1.2.250.1.213.1.1.5.6", "urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1", "URN"},              // signature classCode
		{"1.2.250.1.213.1.1.5.7", "11488-4", "2.16.840.1.113883.6.1"},                        // typeCode J66 (LOINC)
		{"1.2.250.1.213.1.1.5.7", "E1762", "ASTM"},                                           // signature typeCode
		{"1.2.250.1.213.1.1.5.466", "SA01", "1.2.250.1.71.4.2.4"},                            // healthcareFacilityTypeCode J02
		{"1.2.250.1.213.1.1.5.4", "ETABLISSEMENT", "1.2.250.1.213.1.1.4.9"},                  // practiceSettingCode J62
		{"1.2.250.1.213.1.1.5.463", "N", "2.16.840.1.113883.5.25"},                           // confidentialityCode J08
		{"1.2.250.1.213.1.1.5.463", "MASQUE_PS", "1.2.250.1.213.1.1.4.13"},                   // confidentialityCode J08
		{"1.2.250.1.213.1.1.5.8", "urn:ihe:iti:xds-sd:text:2008", "1.3.6.1.4.1.19376.1.2.3"}, // formatCode J60
		{"1.2.250.1.213.1.1.5.2", "04", "1.2.250.1.213.2.2"},                                 // contentTypeCode J59
		{"1.2.250.1.213.1.1.5.1", "G15_10/SM26", "1.2.250.1.213.1.1.4.5"},                    // authorSpecialty J56
		{"1.2.250.1.213.1.1.5.5", "10", "1.2.250.1.71.1.2.7"},                                // VIHF role: Médecin
		{"1.2.250.1.213.1.1.5.5", "SM26", "1.2.250.1.71.4.2.5"},                              // VIHF role: savoir-faire
	} {
		vs, ok := ByOID(tt.set)
		if !ok {
			t.Errorf("ByOID(%s): not found", tt.set)
			continue
		}
		if !vs.Contains(tt.code, tt.system) {
			t.Errorf("%s does not contain %s@%s", vs.Name, tt.code, tt.system)
		}
		if vs.Contains(tt.code, tt.system+".9") || vs.Contains(tt.code+"X", tt.system) {
			t.Errorf("%s contains a wrong code system or code", vs.Name)
		}
	}
}

// TestOutdatedExampleCode: the TD2.1 capture (2019-2021) uses the LOINC
// typeCode 27899-4, which the current JDV_J66 (2024-02-23) no longer lists;
// the value-set check must say so.
func TestOutdatedExampleCode(t *testing.T) {
	if J66TypeCodeDMP(0).Contains("27899-4", "2.16.840.1.113883.6.1") {
		t.Fatal("27899-4 is not in JDV_J66-TypeCode-DMP 1.1.0")
	}
}

func TestTypedAPI(t *testing.T) {
	c, ok := LookupJ57ClassCodeDMP("10", "1.2.250.1.213.1.1.4.1")
	if !ok || c != J57ClassCodeDMP_10 || c.Display() != "Compte rendu" || c.String() != "10@1.2.250.1.213.1.1.4.1" {
		t.Fatalf("Lookup: %v %v %q", c, ok, c.Display())
	}
	if !J57ClassCodeDMP(0).Contains("10", "1.2.250.1.213.1.1.4.1") || J57ClassCodeDMP(0).Contains("10", "") {
		t.Fatal("Contains")
	}
	if _, ok := J57ClassCodeDMP(0).Concept(); ok || J57ClassCodeDMP(200).String() != "J57ClassCodeDMP(invalid)" {
		t.Fatal("invalid constant")
	}
	// J65: the code "10" exists in two code systems; the constants tell them apart.
	if J65SubjectRoleDMP_10_G15.CodeSystem() != "1.2.250.1.71.1.2.7" {
		t.Fatalf("J65 10 G15 = %s", J65SubjectRoleDMP_10_G15)
	}
	vs := J65SubjectRoleDMP(0).ValueSet()
	if vs.Name != "JDV_J65-SubjectRole-DMP" || vs.Source != "valuesets/fhir/ValueSet-JDV-J65-SubjectRole-DMP.json" || len(vs.Concepts()) != 429 {
		t.Fatalf("J65 ValueSet = %+v (%d concepts)", vs, len(vs.Concepts()))
	}
	if k, ok := vs.Lookup("SM26", "1.2.250.1.71.4.2.5"); !ok || k.CodeSystemName != "TRE_R01-EnsembleSavoirFaire-CISIS" {
		t.Fatalf("Lookup SM26: %+v", k)
	}
	if _, ok := ByOID("1.2.3"); ok {
		t.Fatal("unknown OID found")
	}
	if v, ok := ByName("JDV_J48-ProfessionNonPS-CISIS"); !ok || !v.Retired {
		t.Fatalf("J48 must be retired (dateFin): %+v", v)
	}
	if CodeSystemName("1.2.250.1.213.1.1.4.1") != "TRE_A03-ClasseDocument" || CodeSystemName("9.9") != "" {
		t.Fatal("CodeSystemName")
	}
	all := All()
	for i, v := range all {
		if i > 0 && all[i-1].Name >= v.Name {
			t.Fatalf("All not sorted at %s", v.Name)
		}
		if w, ok := ByOID(v.OID); !ok || w.Name != v.Name || len(w.Concepts()) == 0 {
			t.Fatalf("ByOID(%s) inconsistent", v.OID)
		}
		for _, c := range v.Concepts() {
			if !v.Contains(c.Code, c.CodeSystem) {
				t.Fatalf("%s: own concept %s@%s not contained", v.Name, c.Code, c.CodeSystem)
			}
		}
	}
	if len(all) != 22 {
		t.Fatalf("%d value sets, want 22", len(all))
	}
}
