package mtom

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestSpoolAttachments(t *testing.T) {
	sizes := []int64{0, 1, 300000}
	var parts []*Part
	var ids []string
	for i, n := range sizes {
		id := fmt.Sprintf("p%d@x", i)
		ids = append(ids, id)
		parts = append(parts, &Part{ContentID: id, ContentType: "application/pdf", Body: newPattern(uint64(i), n)})
	}
	ct, body := build(t, fmt.Sprintf(testEnvelope, includes(ids...)), parts...)
	dir := t.TempDir()
	r, err := NewReader(ct, bytes.NewReader(body), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := SpoolAttachments(r, dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Parts()) != 3 {
		t.Fatalf("%d parts", len(s.Parts()))
	}
	// Random order, concurrently.
	var wg sync.WaitGroup
	for _, i := range []int{2, 0, 1, 2} {
		wg.Go(func() {
			p, ok := s.Part(ids[i])
			if !ok || p.Size != sizes[i] || p.ContentType != "application/pdf" {
				t.Errorf("part %s: %+v", ids[i], p)
				return
			}
			h := sha256.New()
			io.Copy(h, p.Open())
			if want := patternSum(uint64(i), sizes[i]); !bytes.Equal(h.Sum(nil), want[:]) {
				t.Errorf("part %s: content differs", ids[i])
			}
		})
	}
	wg.Wait()
	if _, ok := s.Part("nope"); ok {
		t.Error("unknown part found")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("Close left %d files", len(left))
	}
}

func TestSpoolAttachmentsFailsCleanly(t *testing.T) {
	ct, body := build(t, fmt.Sprintf(testEnvelope, includes("a@x", "b@x")),
		&Part{ContentID: "a@x", Body: strings.NewReader(strings.Repeat("a", 600))},
		&Part{ContentID: "b@x", Body: strings.NewReader(strings.Repeat("b", 600))})
	cases := []struct {
		name     string
		body     []byte
		maxTotal int64
		want     error
	}{
		{"over the spool limit", body, 1000, ErrTooLarge},
		{"truncated", body[:len(body)-30], 0, ErrTruncated},
	}
	for _, c := range cases {
		dir := t.TempDir()
		r, err := NewReader(ct, bytes.NewReader(c.body), nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := SpoolAttachments(r, dir, c.maxTotal)
		if !errors.Is(err, c.want) || s != nil {
			t.Errorf("%s: %v, %v; want %v and no spool", c.name, s, err, c.want)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("%s: the failed spool left %d files", c.name, len(left))
		}
	}
	r, _ := NewReader(ct, bytes.NewReader(body), nil)
	if s, err := SpoolAttachments(r, t.TempDir(), 1200); err != nil {
		t.Errorf("exactly at the spool limit: %v", err)
	} else {
		s.Close()
	}
}
