package mtom

import (
	"bytes"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"testing"
)

// patternReader yields size deterministic pseudo-random bytes by cycling
// through a block of 65549 bytes (a prime, so the cycle does not line up
// with buffer sizes). Reading it costs about a memmove.
type patternReader struct {
	block  []byte
	off    int
	remain int64
}

func newPattern(seed uint64, size int64) *patternReader {
	block := make([]byte, 65549)
	rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), 7}).Read(block)
	return &patternReader{block: block, remain: size}
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.remain == 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.remain {
		b = b[:p.remain]
	}
	n := 0
	for n < len(b) {
		c := copy(b[n:], p.block[p.off:])
		n += c
		p.off = (p.off + c) % len(p.block)
	}
	p.remain -= int64(n)
	return n, nil
}

// patternSum returns the SHA-256 of newPattern(seed, size).
func patternSum(seed uint64, size int64) [32]byte {
	h := sha256.New()
	io.Copy(h, newPattern(seed, size))
	var s [32]byte
	h.Sum(s[:0])
	return s
}

const testEnvelope = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>` +
	`<d xmlns:xop="http://www.w3.org/2004/08/xop/include">%s</d></s:Body></s:Envelope>`

// includes returns xop:Include elements for the given Content-IDs.
func includes(ids ...string) string {
	var b bytes.Buffer
	for _, id := range ids {
		b.WriteString(`<xop:Include href="` + Href(id) + `"/>`)
	}
	return b.String()
}

// build writes a package with a fixed boundary and root Content-ID and
// returns its Content-Type and bytes.
func build(t testing.TB, root string, parts ...*Part) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, WriterOptions{Boundary: "MIMEBoundary_test", RootContentID: "root@test", Action: "urn:test"})
	if err != nil {
		t.Fatal(err)
	}
	rw, err := w.CreateRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(rw, root); err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		if _, err := w.WriteAttachment(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.ContentType(), buf.Bytes()
}
