package xds

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/uuid"
)

func TestGeneratedID(t *testing.T) {
	if got := GeneratedID("Document01", "confidentialityCode", 2); got != "Document01.confidentialityCode2" {
		t.Errorf("symbolic owner: %q", got)
	}
	owner := "urn:uuid:7953af1a-ba1c-11eb-816f-0050569e422e"
	a, b := GeneratedID(owner, "classCode", 0), GeneratedID(owner, "typeCode", 0)
	for _, id := range []string{a, b} {
		u, err := uuid.ParseURN(id)
		if err != nil || u.Version() != 5 {
			t.Errorf("%q: not a version 5 UUID URN (%v)", id, err)
		}
	}
	if a == b || a != GeneratedID(owner, "classCode", 0) {
		t.Errorf("generated UUIDs must be distinct per role and stable: %s %s", a, b)
	}
}

func TestLiftRejectsUnclassifiedPackage(t *testing.T) {
	_, err := Lift([]*RegistryObject{{Kind: KindRegistryPackage, Parts: Parts{ID: "p"}}})
	if err == nil || !strings.Contains(err.Error(), `RegistryPackage "p"`) {
		t.Fatalf("got %v", err)
	}
}

// TestLiftLower checks the correspondence on ebRIM objects with the parts
// a typed field cannot hold: an empty home, a second classCode, a slot
// with two values, extra metadata.
func TestLiftLower(t *testing.T) {
	build := func() []*RegistryObject {
		empty, scheme, code := "", SchemeDocClassCode, "10"
		cl := func(id string) *Classification {
			c := code
			return &Classification{Parts: Parts{ID: id, Slots: []Slot{{Name: SlotCodingScheme, Values: []string{"1.2.250.1.213.1.1.4.1"}}},
				Name: NewText("Compte rendu")}, Scheme: &scheme, ClassifiedObject: "d", NodeRepresentation: &c}
		}
		return []*RegistryObject{{Kind: KindExtrinsicObject, Parts: Parts{ID: "d", Home: &empty,
			Slots: []Slot{
				{Name: "urn:dmp:extra", Values: []string{"x"}},
				{Name: SlotCreationTime, Values: []string{"2021", "2022"}},
				{Name: SlotLanguageCode, Values: []string{"fr-FR"}},
			},
			Classifications: []*Classification{cl("c1"), cl("c2")}}}}
	}
	m, err := Lift(build())
	if err != nil {
		t.Fatal(err)
	}
	d := m.DocumentEntries()[0]
	if d.LanguageCode != "fr-FR" || d.CreationTime != "" || !d.ClassCode.IsZero() {
		t.Fatalf("lifted: language %q, creationTime %q, classCode %+v", d.LanguageCode, d.CreationTime, d.ClassCode)
	}
	if got := m.Lower(); !reflect.DeepEqual(got, build()) {
		t.Fatalf("Lower(Lift(x)) != x:\n%+v\n%+v", got[0], build()[0])
	}
	vs := Validate(m, Options{Transaction: ITI41})
	for _, c := range []RuleCode{CodeWrongNumberOfSlotValues, CodeWrongNumberOfClassifications} {
		if !vs.Has(c) {
			t.Errorf("%s not reported: %v", c, vs)
		}
	}
	var e *Error
	if !errors.As(vs.Err(), &e) || len(e.Violations) != len(vs) {
		t.Errorf("Err: %v", vs.Err())
	}
}

func TestRulesUnique(t *testing.T) {
	seen := map[RuleCode]bool{}
	for _, r := range Rules() {
		if r.Code == "" || seen[r.Code] || r.Summary == "" {
			t.Errorf("rule %+v: empty or duplicated", r)
		}
		seen[r.Code] = true
	}
}

func TestValidateNeedsTransaction(t *testing.T) {
	if vs := Validate(&Metadata{}, Options{}); !vs.Has(CodeInvalidOptions) {
		t.Fatalf("got %v", vs)
	}
}
