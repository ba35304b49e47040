package mtom

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// The Reader's cost bounds: allocations per input byte, and how
// allocations and allocated bytes grow when an adversarial shape doubles.
const (
	allocsPerByte = 1   // allocations per input byte, at most
	boundSlack    = 400 // allocations of any message (options, buffers, root)
)

// boundsLimits let the adversarial shapes through: their cost is what is
// measured, not their refusal.
var boundsLimits = ReaderOptions{MaxRootSize: 64 << 20, MaxPartSize: 64 << 20, MaxParts: 1 << 20}

// adversarialMTOM returns multipart bodies of size ~n of the shapes a
// quadratic reader would choke on: many parts, many headers, a long header
// line, near-boundaries inside a part, many xop:Include elements, a long
// run of dashes.
func adversarialMTOM(n int) map[string]string {
	var parts, headers, near, incl, ids []string
	for i := range n {
		id := fmt.Sprintf("p%d@x", i)
		ids = append(ids, id)
		parts = append(parts, "--b1\r\nContent-ID: <"+id+">\r\n\r\nA\r\n")
		headers = append(headers, fmt.Sprintf("X-H%d: v", i))
		near = append(near, "\r\n--b\r\n--b2")
		incl = append(incl, includes(id))
	}
	root := "--b1\r\n" + strings.ReplaceAll(rootHdr, "\n", "\r\n") + "\r\n\r\n" + fmt.Sprintf(testEnvelope, "") + "\r\n"
	return map[string]string{
		"parts":    root + strings.Join(parts, "") + "--b1--\r\n",
		"headers":  raw("b1", rawPart{rootHdr + "\n" + strings.Join(headers, "\n"), fmt.Sprintf(testEnvelope, "")}),
		"longline": raw("b1", rawPart{rootHdr + "\nX-Long: " + strings.Repeat("v", 8*n), fmt.Sprintf(testEnvelope, "")}),
		"near":     raw("b1", rawPart{rootHdr, fmt.Sprintf(testEnvelope, includes("a@x"))}, rawPart{"Content-ID: <a@x>", strings.Join(near, "")}),
		"includes": "--b1\r\n" + strings.ReplaceAll(rootHdr, "\n", "\r\n") + "\r\n\r\n" + fmt.Sprintf(testEnvelope, strings.Join(incl, "")) + "\r\n" + strings.Join(parts, "") + "--b1--\r\n",
		"dashes":   raw("b1", rawPart{rootHdr, fmt.Sprintf(testEnvelope, includes("a@x"))}, rawPart{"Content-ID: <a@x>", strings.Repeat("-", 8*n)}),
	}
}

// cost reads body whole and returns the allocations and allocated bytes,
// and whether it was read without error.
func cost(body []byte) (allocs, allocated uint64, ok bool) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, _, err := readAll(rawCT, bytes.NewReader(body), &boundsLimits)
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc, err == nil
}

// TestReaderLinear: each adversarial shape is read, and doubling it at
// most about doubles the allocations and the allocated bytes (a quadratic
// reader quadruples them). Counts, not times: the test does not depend on
// the machine's load.
func TestReaderLinear(t *testing.T) {
	small, large := adversarialMTOM(2000), adversarialMTOM(4000)
	for name, s := range small {
		a1, b1, ok1 := cost([]byte(s))
		a2, b2, ok2 := cost([]byte(large[name]))
		if !ok1 || !ok2 {
			t.Errorf("%s: not read (n: %v, 2n: %v)", name, ok1, ok2)
			continue
		}
		t.Logf("%-8s n: %6d allocs %9d B; 2n: %6d allocs %9d B", name, a1, b1, a2, b2)
		if float64(a2) > 2.3*float64(a1)+boundSlack {
			t.Errorf("%s: %d allocations at 2n against %d at n", name, a2, a1)
		}
		if float64(b2) > 2.3*float64(b1)+64<<10 {
			t.Errorf("%s: %d bytes allocated at 2n against %d at n", name, b2, b1)
		}
		if lim := uint64(allocsPerByte*len(large[name]) + boundSlack); a2 > lim {
			t.Errorf("%s: %d allocations for %d bytes (limit %d)", name, a2, len(large[name]), lim)
		}
	}
}

// FuzzReaderBounds: whatever the input, reading it (or refusing it) costs
// at most allocsPerByte allocations per input byte, plus a constant.
func FuzzReaderBounds(f *testing.F) {
	for _, s := range adversarialMTOM(20) {
		f.Add([]byte(s))
	}
	f.Add([]byte(raw("b1", rootOne, rawPart{"Content-ID: <a@x>", "A"})))
	f.Fuzz(func(t *testing.T, body []byte) {
		limit := float64(allocsPerByte*len(body) + boundSlack)
		if a := testing.AllocsPerRun(1, func() { readAll(rawCT, bytes.NewReader(body), &fuzzLimits) }); a > limit {
			t.Fatalf("%.0f allocations for %d bytes (limit %.0f)", a, len(body), limit)
		}
	})
}
