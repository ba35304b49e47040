// Package textdiff computes line diffs and prints them in the unified
// format of diff -u and git diff, for dmpgen check -diff.
//
// The edit script is minimal: Myers' O(ND) algorithm in its linear-space
// form (E. W. Myers, "An O(ND) Difference Algorithm and Its Variations",
// Algorithmica 1986), after the common prefix and suffix are set aside, so
// the small changes of a regeneration cost little even in large files.
package textdiff

import (
	"fmt"
	"strings"
)

// Unified returns the unified diff turning old into new, with the file
// labels oldName and newName and three lines of context; "" when the texts
// are equal. A last line without a newline is marked as diff -u marks it.
func Unified(oldName, newName string, old, new []byte) string {
	a, b := splitLines(string(old)), splitLines(string(new))
	edits := Lines(a, b)
	hunks := group(edits, 3)
	if len(hunks) == 0 {
		return ""
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks {
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", span(h.aStart, h.aLen), span(h.bStart, h.bLen))
		for _, e := range h.edits {
			var line string
			if e.Op == Insert {
				line = b[e.B]
			} else {
				line = a[e.A]
			}
			out.WriteByte(byte(e.Op))
			out.WriteString(line)
			if !strings.HasSuffix(line, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
	}
	return out.String()
}

// Op is the kind of one line of an edit script.
type Op byte

// Edit operations, as the line prefixes of the unified format.
const (
	Equal  Op = ' '
	Delete Op = '-'
	Insert Op = '+'
)

// Edit is one line of an edit script: A indexes the old lines (Equal,
// Delete), B the new ones (Equal, Insert).
type Edit struct {
	Op   Op
	A, B int
}

// Lines returns a shortest edit script from a to b, in order: every line of
// a is kept or deleted, every line of b kept or inserted; deletions come
// before insertions within a change.
func Lines(a, b []string) []Edit {
	// Number the distinct lines so that comparisons are integer ones.
	ids := map[string]int{}
	num := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	d := &differ{a: num(a), b: num(b)}
	d.delA = make([]bool, len(a))
	d.insB = make([]bool, len(b))
	n := len(a) + len(b)
	d.vf = make([]int, 2*n+3)
	d.vb = make([]int, 2*n+3)
	d.compare(0, len(a), 0, len(b))
	var out []Edit
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && d.delA[i]:
			out = append(out, Edit{Delete, i, j})
			i++
		case j < len(b) && d.insB[j]:
			out = append(out, Edit{Insert, i, j})
			j++
		default:
			out = append(out, Edit{Equal, i, j})
			i++
			j++
		}
	}
	return out
}

type differ struct {
	a, b       []int
	delA, insB []bool
	vf, vb     []int // furthest reaching x per diagonal, forward and backward, offset by len(vf)/2
}

// compare marks the deleted lines of a[aLo:aHi] and inserted lines of b[bLo:bHi].
func (d *differ) compare(aLo, aHi, bLo, bHi int) {
	for aLo < aHi && bLo < bHi && d.a[aLo] == d.b[bLo] {
		aLo, bLo = aLo+1, bLo+1
	}
	for aLo < aHi && bLo < bHi && d.a[aHi-1] == d.b[bHi-1] {
		aHi, bHi = aHi-1, bHi-1
	}
	switch {
	case aLo == aHi:
		for j := bLo; j < bHi; j++ {
			d.insB[j] = true
		}
		return
	case bLo == bHi:
		for i := aLo; i < aHi; i++ {
			d.delA[i] = true
		}
		return
	}
	x0, y0, x1, y1 := d.middleSnake(aLo, aHi, bLo, bHi)
	d.compare(aLo, x0, bLo, y0)
	d.compare(x1, aHi, y1, bHi)
}

// middleSnake finds the middle snake of a shortest edit script of
// a[aLo:aHi] and b[bLo:bHi]: the diagonal run (x0,y0)→(x1,y1), in absolute
// indexes, where the forward and backward searches meet.
func (d *differ) middleSnake(aLo, aHi, bLo, bHi int) (x0, y0, x1, y1 int) {
	n, m := aHi-aLo, bHi-bLo
	delta := n - m
	odd := delta&1 != 0
	off := len(d.vf) / 2
	vf, vb := d.vf, d.vb
	vf[off+1] = 0
	vb[off-1] = n
	for D := 0; D <= (n+m+1)/2; D++ {
		for k := -D; k <= D; k += 2 {
			var x int
			if k == -D || (k != D && vf[off+k-1] < vf[off+k+1]) {
				x = vf[off+k+1]
			} else {
				x = vf[off+k-1] + 1
			}
			y := x - k
			sx, sy := x, y
			for x < n && y < m && d.a[aLo+x] == d.b[bLo+y] {
				x, y = x+1, y+1
			}
			vf[off+k] = x
			if kb := k - delta; odd && kb >= -(D-1) && kb <= D-1 && x >= vb[off+kb] {
				return aLo + sx, bLo + sy, aLo + x, bLo + y
			}
		}
		for k := -D; k <= D; k += 2 {
			var x int
			if k == D || (k != -D && vb[off+k-1] < vb[off+k+1]) {
				x = vb[off+k-1]
			} else {
				x = vb[off+k+1] - 1
			}
			y := x - (k + delta)
			ex, ey := x, y
			for x > 0 && y > 0 && d.a[aLo+x-1] == d.b[bLo+y-1] {
				x, y = x-1, y-1
			}
			vb[off+k] = x
			if kf := k + delta; !odd && kf >= -D && kf <= D && x <= vf[off+kf] {
				return aLo + x, bLo + y, aLo + ex, bLo + ey
			}
		}
	}
	panic("textdiff: no middle snake") // unreachable: the searches meet by (n+m+1)/2
}

type hunk struct {
	aStart, aLen, bStart, bLen int
	edits                      []Edit
}

// group cuts an edit script into hunks with ctx lines of context around changes.
func group(edits []Edit, ctx int) []hunk {
	var hunks []hunk
	for i := 0; i < len(edits); {
		if edits[i].Op == Equal {
			i++
			continue
		}
		start := max(i-ctx, 0)
		// Extend while the next change is within 2*ctx equal lines.
		end, eq := i, 0
		for j := i; j < len(edits); j++ {
			if edits[j].Op == Equal {
				eq++
				if eq > 2*ctx {
					break
				}
				continue
			}
			eq = 0
			end = j
		}
		stop := min(end+1+ctx, len(edits))
		h := hunk{edits: edits[start:stop], aStart: edits[start].A, bStart: edits[start].B}
		for _, e := range h.edits {
			if e.Op != Insert {
				h.aLen++
			}
			if e.Op != Delete {
				h.bLen++
			}
		}
		hunks = append(hunks, h)
		i = stop
	}
	return hunks
}

// span formats a hunk range: 1-based start, the count unless it is 1, and
// for an empty range the line before it (as diff -u does).
func span(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// splitLines splits s after each newline; the last line may lack one.
func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}
