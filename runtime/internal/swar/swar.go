// Package swar scans eight bytes at a time (SIMD within a register): a
// word of input is loaded as a little-endian uint64 and tested at once for
// the bytes a scanner must stop at. The runtime's scanners (xmltext's
// white space, attribute values and text, xsdt's anyURI check) share it.
package swar

import "math/bits"

const (
	// Ones has 1 in each byte: Ones*c repeats the byte c eight times.
	Ones = 0x0101010101010101
	msb  = 0x8080808080808080
	// Spaces is eight ' '.
	Spaces = Ones * ' '
)

// Load returns b[p:p+8] as a little-endian word; p+8 <= len(b).
func Load[T ~string | ~[]byte](b T, p int) uint64 {
	b = b[p : p+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// Stop flags (high bit of each byte) the bytes of w below the byte of less
// and those equal to the bytes of r1 … r5, each argument a byte repeated
// (Ones*c; less at most Ones*0x80; repeat one to look for fewer). The
// lowest flagged byte is exact: a borrow can flag only bytes above a true
// one, so First(Stop(…)) is the index of the first byte of the set. It
// takes words, not bytes nor a struct, to stay within the inliner's budget.
func Stop(w, less, r1, r2, r3, r4, r5 uint64) uint64 {
	x1, x2, x3, x4, x5 := w^r1, w^r2, w^r3, w^r4, w^r5
	m := (w - less) &^ w
	m |= (x1 - Ones) &^ x1
	m |= (x2 - Ones) &^ x2
	m |= (x3 - Ones) &^ x3
	m |= (x4 - Ones) &^ x4
	m |= (x5 - Ones) &^ x5
	return m & msb
}

// First returns the index of the first byte flagged in m (8 for none).
func First(m uint64) int { return bits.TrailingZeros64(m) >> 3 }
