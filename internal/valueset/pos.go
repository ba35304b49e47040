package valueset

import (
	"sort"

	"github.com/dmpgen/dmpgen/internal/diag"
)

// lines maps byte offsets of one file to 1-based line and column (columns
// count bytes, as the Go toolchain does).
type lines struct {
	file  string
	start []int // offset of the first byte of each line
}

func newLines(file string, data []byte) *lines {
	l := &lines{file: file, start: []int{0}}
	for i, c := range data {
		if c == '\n' {
			l.start = append(l.start, i+1)
		}
	}
	return l
}

// pos returns the position of byte offset off.
func (l *lines) pos(off int) diag.Pos {
	i := sort.Search(len(l.start), func(i int) bool { return l.start[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return diag.Pos{File: l.file, Line: i + 1, Col: off - l.start[i] + 1}
}
