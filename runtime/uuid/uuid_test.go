package uuid

import (
	"bytes"
	"errors"
	"testing"
)

func TestNewDeterministic(t *testing.T) {
	src := bytes.Repeat([]byte{0xff}, 16)
	u, err := New(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := u.String(); got != "ffffffff-ffff-4fff-bfff-ffffffffffff" {
		t.Fatalf("got %s", got)
	}
	if u.Version() != 4 || u.URN() != "urn:uuid:ffffffff-ffff-4fff-bfff-ffffffffffff" {
		t.Fatalf("version %d urn %s", u.Version(), u.URN())
	}
	if _, err := New(bytes.NewReader(src[:5])); err == nil {
		t.Fatal("short random source must fail")
	}
	a, _ := New(nil)
	b, _ := New(nil)
	if a == b {
		t.Fatal("two crypto/rand UUIDs are equal")
	}
}

func TestParse(t *testing.T) {
	const c = "58a6f841-87b3-4a3e-92fd-a8ffeff98427"
	for _, s := range []string{c, "urn:uuid:" + c, "URN:UUID:58A6F841-87B3-4A3E-92FD-A8FFEFF98427"} {
		u, err := Parse(s)
		if err != nil || u.String() != c {
			t.Errorf("Parse(%q) = %v, %v", s, u, err)
		}
	}
	if _, err := ParseURN(c); err == nil {
		t.Error("ParseURN without prefix must fail")
	}
	if u, err := ParseURN("urn:uuid:" + c); err != nil || u.URN() != "urn:uuid:"+c {
		t.Errorf("ParseURN: %v %v", u, err)
	}
	for s, off := range map[string]int{
		"":                                              0,
		"58a6f841-87b3-4a3e-92fd-a8ffeff9842":           35,
		"58a6f841-87b3-4a3e-92fd-a8ffeff984270":         36,
		"58a6f84187b3-4a3e-92fd-a8ffeff98427x":          8,
		"58a6f841-87b3-4a3e-92fd-a8ffeff9842g":          35,
		"urn:uuid:g8a6f841-87b3-4a3e-92fd-a8ffeff98427": 9,
		"{58a6f841-87b3-4a3e-92fd-a8ffeff98427}":        36,
	} {
		_, err := Parse(s)
		var e *SyntaxError
		if !errors.As(err, &e) || e.Offset != off {
			t.Errorf("Parse(%q) = %v, want SyntaxError at %d", s, err, off)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427")
	f.Add("58A6F841-87B3-4A3E-92FD-A8FFEFF98427")
	f.Add("x")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := Parse(s)
		if err != nil {
			return
		}
		v, err := Parse(u.URN())
		if err != nil || v != u {
			t.Fatalf("Parse(%q) round trip: %v %v", s, v, err)
		}
	})
}
