package xsdt

import (
	"math/bits"
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
