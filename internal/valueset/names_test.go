package valueset

import (
	"fmt"
	"strings"
	"testing"
)

func TestTypeName(t *testing.T) {
	for in, want := range map[string]string{
		"JDV_J57-ClassCode-DMP":         "J57ClassCodeDMP",
		"JDV_HL7_Confidentiality_CISIS": "HL7ConfidentialityCISIS",
		"JDV_J06-XdsClassCode-CISIS":    "J06XdsClassCodeCISIS",
		"123-abc":                       "V123Abc",
		"":                              "V",
		"été":                           "T",
	} {
		if got := typeName(in); got != want {
			t.Errorf("typeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConstNames(t *testing.T) {
	cs := []Concept{
		{Code: "10", CodeSystem: "1.2.250.1.71.1.2.7", CodeSystemName: "TRE_G15-ProfessionSante"},
		{Code: "10", CodeSystem: "1.2.250.1.213.1.6.1.107", CodeSystemName: "TRE_R85-RolePriseCharge"},
		{Code: "urn:ihe:iti:xds-sd:pdf:2008", CodeSystem: "1.3.6.1.4.1.19376.1.2.3"},
		{Code: "a.b", CodeSystem: "9.9", CodeSystemName: "Local"},
		{Code: "a-b", CodeSystem: "9.9", CodeSystemName: "Local"},
		{Code: "---", CodeSystem: "9.9"},
	}
	got := fmt.Sprint(constNames("T", cs))
	want := "[T_10_G15 T_10_R85 T_urn_ihe_iti_xds_sd_pdf_2008 T_a_b_Local_2 T_a_b_Local T_x2d2d2d]"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	// Order independence: the same concepts reversed get the same names.
	rev := make([]Concept, len(cs))
	for i := range cs {
		rev[len(cs)-1-i] = cs[i]
	}
	names := constNames("T", rev)
	for i, n := range constNames("T", cs) {
		if names[len(cs)-1-i] != n {
			t.Fatalf("names depend on order: %v vs %v", names, constNames("T", cs))
		}
	}
}

func TestEmitRejects(t *testing.T) {
	if _, err := Emit(nil, "not a name", EmitOptions{}); err == nil {
		t.Fatal("bad package name accepted")
	}
	v := ValueSet{OID: "1.2", Name: "N", Concepts: []Concept{{Code: "a", CodeSystem: "1.2"}}}
	if _, err := Emit([]ValueSet{v, v}, "p", EmitOptions{}); err == nil {
		t.Fatal("duplicate OID accepted")
	}
	// Two OIDs with one name: both types get the OID suffix and ByName keeps the first.
	w := v
	w.OID = "1.3"
	out, err := Emit([]ValueSet{v, w}, "p", EmitOptions{})
	if err != nil || len(out) != 3 {
		t.Fatalf("%v %d", err, len(out))
	}
}

// TestEmitVersion checks that a released version is written after the
// header line of every file, and that other versions write nothing.
func TestEmitVersion(t *testing.T) {
	v := ValueSet{OID: "1.2.3", Name: "JDV_Test", Concepts: []Concept{{Code: "A", CodeSystem: "1.2", Display: "a"}}}
	for _, tc := range []struct{ version, want string }{
		{"v1.2.3", Header + "\n// dmpgen v1.2.3\n"},
		{"(devel)", Header + "\n//"},
		{"v0.0.0-20261207063000-abcdef123456", Header + "\n//"},
	} {
		out, err := Emit([]ValueSet{v}, "p", EmitOptions{Version: tc.version})
		if err != nil {
			t.Fatal(err)
		}
		for name, src := range out {
			if !strings.HasPrefix(string(src), tc.want) || tc.want != Header+"\n// dmpgen v1.2.3\n" && strings.Contains(string(src), "// dmpgen v") {
				t.Errorf("%s with version %q starts:\n%.120s", name, tc.version, src)
			}
		}
	}
}
