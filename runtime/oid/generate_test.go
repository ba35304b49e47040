package oid

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/internal/testenv"
	"github.com/dmpgen/dmpgen/runtime/uuid"
)

func TestFromUUID(t *testing.T) {
	tests := []struct{ uuid, oid string }{
		// X.667 §6.3 example.
		{"f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "2.25.329800735698586629295641978511506172918"},
		{"00000000-0000-0000-0000-000000000000", "2.25.0"},
		{"ffffffff-ffff-ffff-ffff-ffffffffffff", "2.25.340282366920938463463374607431768211455"},
		{"00000000-0000-0000-0000-000000000001", "2.25.1"},
	}
	for _, tt := range tests {
		u, err := uuid.Parse(tt.uuid)
		if err != nil {
			t.Fatal(err)
		}
		got := FromUUID(u)
		if got != tt.oid {
			t.Errorf("FromUUID(%s) = %s, want %s", tt.uuid, got, tt.oid)
		}
		if !Valid(got) {
			t.Errorf("%s is not a valid XDS OID", got)
		}
		back, err := ToUUID(got)
		if err != nil || back != u {
			t.Errorf("ToUUID(%s) = %v, %v", got, back, err)
		}
	}
	for _, bad := range []string{"1.2.3", "2.25", "2.25.340282366920938463463374607431768211456", "x"} {
		if _, err := ToUUID(bad); err == nil {
			t.Errorf("ToUUID(%q) must fail", bad)
		}
	}
}

// TestFromUUIDAgainstBC cross-checks the big-integer conversion with bc.
func TestFromUUIDAgainstBC(t *testing.T) {
	bc := testenv.Tool(t, "bc")
	u, _ := uuid.New(bytes.NewReader(bytes.Repeat([]byte{0xa7, 0x3c, 0x51}, 6)))
	hex := strings.ToUpper(strings.ReplaceAll(u.String(), "-", ""))
	cmd := exec.Command(bc)
	cmd.Stdin = strings.NewReader("ibase=16\n" + hex + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "2.25." + strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(string(out)), "\\\n", ""), "\n", "")
	if got := FromUUID(u); got != want {
		t.Fatalf("FromUUID = %s, bc says %s", got, want)
	}
}

func TestGenerator(t *testing.T) {
	clock := func() time.Time { return time.Date(2026, 11, 24, 10, 0, 0, 123e6, time.UTC) }
	g := Generator{Root: "1.2.250.1.999.1", Clock: clock, Rand: bytes.NewReader(make([]byte, 6))}
	id, err := g.New()
	if err != nil {
		t.Fatal(err)
	}
	if id != "1.2.250.1.999.1.1795514400123.1" {
		t.Fatalf("got %s", id)
	}
	g.Rand = bytes.NewReader(bytes.Repeat([]byte{0xff}, 6))
	id, err = g.New()
	if err != nil || id != "1.2.250.1.999.1.1795514400123.281474976710656" {
		t.Fatalf("got %s, %v", id, err)
	}
	// Default sources: valid and distinct.
	a, err1 := Generator{Root: "1.2.3"}.New()
	b, err2 := Generator{Root: "1.2.3"}.New()
	if err1 != nil || err2 != nil || a == b || !Valid(a) {
		t.Fatalf("%s %s %v %v", a, b, err1, err2)
	}
	// A root that leaves no room fails loudly.
	_, err = Generator{Root: "1.2." + strings.Repeat("9", 40)}.New()
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeTooLong {
		t.Fatalf("long root: %v", err)
	}
	if _, err := (Generator{Root: "1.02"}).New(); err == nil {
		t.Fatal("invalid root must fail")
	}
	if _, err := (Generator{Root: "1.2", Rand: bytes.NewReader(nil)}).New(); err == nil {
		t.Fatal("empty random source must fail")
	}
	u, err := NewFromUUID(bytes.NewReader(make([]byte, 16)))
	if err != nil || u != "2.25.302240678275694148452352" {
		t.Fatalf("NewFromUUID = %s %v", u, err)
	}
}
