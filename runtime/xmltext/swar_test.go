package xmltext

import (
	"math/bits"
	"testing"
)

// TestSWARStops checks the word-at-a-time tests against the byte classes
// they stand for, on every word made of one filler byte with any two bytes
// at any two positions: the first byte flagged must be the first byte of
// the class (a borrow may flag bytes after it, never before).
func TestSWARStops(t *testing.T) {
	type stop struct {
		name string
		f    func(uint64) uint64
		want func(c byte) bool
	}
	stops := []stop{
		{"attrStop", attrStop, func(c byte) bool { return class[c]&cAttr != 0 }},
		{"textStop", textStop, func(c byte) bool { return class[c]&cText != 0 || c == '\t' || c == '\n' }},
	}
	var b [8]byte
	for _, s := range stops {
		for _, fill := range []byte{'a', ' ', 0x80, 0xFF, '0'} {
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
								if s.want(c) {
									first = k
									break
								}
							}
							got := bits.TrailingZeros64(s.f(load8(b[:], 0))) >> 3
							if got != first {
								t.Fatalf("%s(% x) flags byte %d first, want %d", s.name, b, got, first)
							}
						}
					}
				}
			}
		}
	}
}

// TestSkipSpace checks skipSpace on runs of white space of every length
// from 0 to 40 followed by every byte.
func TestSkipSpace(t *testing.T) {
	for _, ws := range []string{" ", "\n", "\t", "\r", " \n", "  \t"} {
		for n := 0; n <= 40; n++ {
			run := make([]byte, 0, n+1)
			for len(run) < n {
				run = append(run, ws[len(run)%len(ws)])
			}
			for c := 0; c < 256; c++ {
				data := append(run[:n:n], byte(c))
				want := n
				if class[c]&cSpace != 0 {
					want = n + 1
				}
				if got := skipSpace(data, 0); got != want {
					t.Fatalf("skipSpace(%q) = %d, want %d", data, got, want)
				}
			}
		}
	}
}
