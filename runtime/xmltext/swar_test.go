package xmltext

import (
	"testing"

	"github.com/dmpgen/dmpgen/runtime/internal/swar"
)

// TestStopSets checks the sets the word scanners stop at against the byte
// classes they stand for, byte by byte (swar's own tests check that Stop
// finds the first byte of a set in any word).
func TestStopSets(t *testing.T) {
	for c := 0; c < 256; c++ {
		w := swar.Ones * uint64(c)
		attr := swar.Stop(w, wCtl, wLt, wAmp, wQuot, wApos, wEF) != 0
		text := swar.Stop(w, wCtl, wLt, wAmp, wRsqb, wEF, wEF) != 0
		if want := class[c]&cAttr != 0; attr != want {
			t.Errorf("byte %#x: attribute scanner stops %v, class cAttr %v", c, attr, want)
		}
		if want := class[c]&cText != 0 || c == '\t' || c == '\n'; text != want {
			t.Errorf("byte %#x: text scanner stops %v, class cText (or tab, line feed) %v", c, text, want)
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
