package lock

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTripAndCompare(t *testing.T) {
	kit := filepath.FromSlash("/kit")
	r := NewRecorder(kit)
	r.Read("xds", filepath.FromSlash("/kit/a/rim.xsd"), []byte("rim"))
	r.Read("ihe", filepath.FromSlash("/kit/a/rim.xsd"), []byte("rim"))
	r.Read("xds", filepath.FromSlash("/kit/a/rim.xsd"), []byte("rim"))
	r.Read("gdp", filepath.FromSlash("/kit/b c/with space.wsdl"), []byte("w"))
	r.Read("gdp", filepath.FromSlash("/elsewhere/x.xsd"), []byte("x"))
	then := r.Lock()
	then.KitVersion = "annexe v2.01.04"
	if len(then.Entries) != 2 || !reflect.DeepEqual(then.Entries[0].Targets, []string{"ihe", "xds"}) {
		t.Fatalf("recorded %+v", then.Entries)
	}
	back, err := Parse("kit.lock", then.Format())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, then) {
		t.Fatalf("round trip:\n%+v\nwant\n%+v", back, then)
	}

	r2 := NewRecorder(kit)
	r2.Read("xds", filepath.FromSlash("/kit/a/rim.xsd"), []byte("rim v2"))
	r2.Read("xds", filepath.FromSlash("/kit/d/new.xsd"), []byte("n"))
	got := Compare(then, r2.Lock())
	var lines []string
	for _, c := range got {
		lines = append(lines, c.String())
	}
	want := []string{
		"changed a/rim.xsd (target xds)",
		"removed b c/with space.wsdl (target gdp)",
		"added d/new.xsd (target xds)",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("compare:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if c := Compare(then, back); len(c) != 0 {
		t.Fatalf("identical locks differ: %v", c)
	}
}

func TestParseErrors(t *testing.T) {
	sum := strings.Repeat("a", 64)
	for _, tc := range []struct{ in, want string }{
		{"", "kit.lock: empty lock"},
		{"hello\n", "kit.lock:1: not a dmpgen kit lock"},
		{magic + "\nshort\n", "kit.lock:2: want"},
		{magic + "\n" + sum + "  p\n", "kit.lock:2: want"},
		{magic + "\n" + strings.Repeat("z", 64) + "  p  t\n", "kit.lock:2: bad SHA-256"},
		{magic + "\n" + sum + "  b  t\n" + sum + "  a  t\n", "kit.lock:3: a is out of order"},
		{magic + "\n" + sum + "  a  t\n" + sum + "  a  t\n", "kit.lock:3: a is out of order or repeated"},
	} {
		_, err := Parse("kit.lock", []byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

// FuzzParse: any input parses or fails with an error; what parses formats
// back to a lock that parses to the same entries.
func FuzzParse(f *testing.F) {
	f.Add([]byte(magic + "\n" + strings.Repeat("0", 64) + "  a/b.xsd  xds,ihe\n"))
	f.Add([]byte("# c\n" + magic + "\n"))
	f.Add([]byte(magic + "\nkit-version v2 (2024)\n" + strings.Repeat("0", 64) + "  a  t\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := Parse("f", b)
		if err != nil {
			return
		}
		again, err := Parse("f", l.Format())
		if err != nil {
			t.Fatalf("reparse: %v\n%s", err, l.Format())
		}
		if again.KitVersion != l.KitVersion {
			t.Fatalf("kit version %q, then %q", l.KitVersion, again.KitVersion)
		}
		if len(again.Entries) != len(l.Entries) {
			t.Fatalf("%d entries, then %d", len(l.Entries), len(again.Entries))
		}
	})
}
