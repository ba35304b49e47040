package xsdt

import (
	"math/bits"
	"strings"
	"testing"
)

// TestURIStop checks uriStop against uriSpecial on every word made of one
// filler byte and any two bytes at any two positions: the first byte
// flagged must be the first special byte.
func TestURIStop(t *testing.T) {
	var b [8]byte
	for _, fill := range []byte{'a', '0', 0x80, 0xFF} {
		for c1 := 0; c1 < 256; c1++ {
			for c2 := 0; c2 < 256; c2 += 3 {
				for i := 0; i < 8; i++ {
					for j := i; j < 8; j++ {
						for k := range b {
							b[k] = fill
						}
						b[i], b[j] = byte(c1), byte(c2)
						first := 8
						for k, c := range b {
							if uriSpecial[c] {
								first = k
								break
							}
						}
						if got := bits.TrailingZeros64(uriStop(load8(string(b[:]), 0))) >> 3; got != first {
							t.Fatalf("uriStop(% x) flags byte %d first, want %d", b, got, first)
						}
					}
				}
			}
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
