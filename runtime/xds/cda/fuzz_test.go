package cda

import (
	"strings"
	"testing"
)

// FuzzRead feeds arbitrary documents to the header reader: no panic, every
// error and warning positioned in the document, and an entry derived from
// a header agrees with it.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"complete.xml", "times.xml", "unknown.xml"} {
		f.Add(testFile(f, name))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		h, err := Read(strings.NewReader(string(doc)), "fuzz.xml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.xml:") {
				t.Fatalf("error without position: %v", err)
			}
			return
		}
		lines := strings.Count(string(doc), "\n") + 1
		for _, w := range h.Warnings {
			if w.Line < 1 || w.Line > lines || w.Col < 1 || w.Path == "" || w.Msg == "" {
				t.Fatalf("bad warning %+v in %d lines", w, lines)
			}
		}
		e, err := h.Entry(supplied)
		if err != nil {
			return
		}
		if ms := h.Check(e); len(ms) != 0 {
			t.Fatalf("the derived entry disagrees with its header: %v", ms)
		}
	})
}
