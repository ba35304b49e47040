package oid

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	long := "1.2." + strings.Repeat("3", 61) // 65 chars
	tests := []struct {
		in    string
		code  Code
		index int
	}{
		{"1.2.250.1.213.1.4.10", "", 0},
		{"2.25.329800735698586629295641978511506172918", "", 0},
		{"1.0", "", 0},
		{"1.2.0.3", "", 0},
		{"1." + strings.Repeat("3", 62), "", 0}, // exactly 64
		{"", CodeInvalid, 0},
		{"1", CodeInvalid, 1},
		{"0.1", CodeInvalid, 0},
		{"01.2", CodeInvalid, 0},
		{"1.02", CodeInvalid, 2},
		{"1..2", CodeInvalid, 2},
		{"1.2.", CodeInvalid, 4},
		{".1.2", CodeInvalid, 0},
		{"1.2a", CodeInvalid, 3},
		{"urn:oid:1.2", CodeInvalid, 0},
		{" 1.2", CodeInvalid, 0},
		{"1.2 ", CodeInvalid, 3},
		{long, CodeTooLong, 64},
	}
	for _, tt := range tests {
		err := Validate(tt.in)
		if tt.code == "" {
			if err != nil {
				t.Errorf("Validate(%q) = %v, want nil", tt.in, err)
			}
			if !Valid(tt.in) {
				t.Errorf("Valid(%q) = false", tt.in)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Validate(%q) = %v, want *Error %s", tt.in, err, tt.code)
			continue
		}
		if e.Code != tt.code || e.Index != tt.index {
			t.Errorf("Validate(%q) = %s at %d, want %s at %d", tt.in, e.Code, e.Index, tt.code, tt.index)
		}
	}
}

func TestArcs(t *testing.T) {
	a, err := Arcs("1.2.250")
	if err != nil || strings.Join(a, "|") != "1|2|250" {
		t.Fatalf("Arcs = %v, %v", a, err)
	}
	if _, err := Arcs("1"); err == nil {
		t.Fatal("Arcs(1) must fail")
	}
}

func FuzzValidate(f *testing.F) {
	for _, s := range []string{"1.2.3", "0.1", "1..2", "2.25.0", "", "1.02"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := Validate(s)
		ok := err == nil
		// Cross-check against a straightforward reading of the grammar.
		want := len(s) <= MaxLen && refValid(s)
		if ok != want {
			t.Fatalf("Validate(%q) ok=%v, reference says %v", s, ok, want)
		}
	})
}

func refValid(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return false
	}
	for i, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
		if p[0] == '0' && (i == 0 || len(p) > 1) {
			return false
		}
	}
	return true
}
