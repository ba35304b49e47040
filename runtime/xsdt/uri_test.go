package xsdt

import (
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/runtime/internal/swar"
)

// TestURIStop checks the set IsAnyURI's word test stops at against
// uriSpecial, byte by byte.
func TestURIStop(t *testing.T) {
	for c := 0; c < 256; c++ {
		got := swar.Stop(swar.Ones*uint64(c), wUriCtl, wPct, wHash, wSlash, wQmark, wColon) != 0
		if got != uriSpecial[c] {
			t.Errorf("byte %#x: the word test stops %v, uriSpecial %v", c, got, uriSpecial[c])
		}
	}
}

// TestUUIDURN: IsAnyURI's fast path for urn:uuid: ids agrees with the
// general check on a UUID URN with every byte value at every position.
func TestUUIDURN(t *testing.T) {
	base := "urn:uuid:7953af1a-ba1c-11eb-816f-0050569e422e"
	if !isUUIDURN(base) || !isAnyURI(base) {
		t.Fatalf("%q: fast path %v, general %v", base, isUUIDURN(base), isAnyURI(base))
	}
	b := []byte(base)
	for i := range b {
		for c := 0; c < 256; c++ {
			m := append([]byte(nil), b...)
			m[i] = byte(c)
			s := string(m)
			if isUUIDURN(s) && !isAnyURI(s) {
				t.Fatalf("%q: the fast path accepts what the general check refuses", s)
			}
			if IsAnyURI(s) != isAnyURI(s) {
				t.Fatalf("%q: IsAnyURI %v, general check %v", s, IsAnyURI(s), isAnyURI(s))
			}
		}
	}
	for _, s := range []string{base[:44], base + "0", "URN:uuid:" + base[9:], "urn:uuid:" + strings.ToUpper(base[9:])} {
		if IsAnyURI(s) != isAnyURI(s) {
			t.Errorf("%q: IsAnyURI %v, general check %v", s, IsAnyURI(s), isAnyURI(s))
		}
	}
}
