package swar

import (
	"testing"
)

// TestStop checks Stop on every word made of one filler byte with any two
// bytes at any two positions, for sets that include and exclude the bytes
// a borrow could carry into: the first byte flagged must be the first byte
// of the set.
func TestStop(t *testing.T) {
	sets := []struct {
		less               uint64
		b1, b2, b3, b4, b5 uint64
	}{
		{0x20, '<', '&', '"', '\'', 0xEF},
		{0x21, '%', '#', '/', '?', ':'},
		{0x01, 0x00, 0x01, 0x7F, 0x80, 0xFF},
		{0x80, 'a', 'a', 'a', 'a', 'a'},
	}
	var b [8]byte
	for _, s := range sets {
		in := func(c byte) bool {
			x := uint64(c)
			return x < s.less || x == s.b1 || x == s.b2 || x == s.b3 || x == s.b4 || x == s.b5
		}
		for _, fill := range []byte{'a', ' ', '0', 0x80, 0xFF} {
			for c1 := 0; c1 < 256; c1++ {
				for c2 := 0; c2 < 256; c2 += 3 {
					for i := 0; i < 8; i++ {
						for j := i; j < 8; j++ {
							for k := range b {
								b[k] = fill
							}
							b[i], b[j] = byte(c1), byte(c2)
							want := 8
							for k, c := range b {
								if in(c) {
									want = k
									break
								}
							}
							w := Load(b[:], 0)
							if got := First(Stop(w, Ones*s.less, Ones*s.b1, Ones*s.b2, Ones*s.b3, Ones*s.b4, Ones*s.b5)); got != want {
								t.Fatalf("set %+v, % x: first flagged %d, want %d", s, b, got, want)
							}
							if Load(string(b[:]), 0) != w {
								t.Fatalf("Load differs on a string and a []byte of % x", b)
							}
						}
					}
				}
			}
		}
	}
}
