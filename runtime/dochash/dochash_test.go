package dochash

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/dmpgen/dmpgen/internal/testenv"
)

func TestSumVectors(t *testing.T) {
	for in, want := range map[string]string{
		"":    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
		"abc": "a9993e364706816aba3e25717850c26c9cd0d89d", // FIPS 180-2 appendix A.1
	} {
		d, err := Sum(strings.NewReader(in))
		if err != nil || d.SHA1 != want || d.Size != int64(len(in)) || d.SizeString() != strconv.Itoa(len(in)) {
			t.Errorf("Sum(%q) = %+v, %v; want %s", in, d, err, want)
		}
	}
}

// pattern is a deterministic, non-repeating-looking byte stream of n bytes
// that is generated on the fly (never held in memory).
type pattern struct {
	n, off int64
	x      uint32
}

func (p *pattern) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	if rem := p.n - p.off; int64(len(b)) > rem {
		b = b[:rem]
	}
	for i := range b {
		p.x = p.x*1664525 + 1013904223
		b[i] = byte(p.x >> 24)
	}
	p.off += int64(len(b))
	return len(b), nil
}

// TestSumAgainstTools hashes a generated file and compares with sha1sum and
// openssl dgst -sha1, and the size with the file system's.
func TestSumAgainstTools(t *testing.T) {
	sha1sum := testenv.Tool(t, "sha1sum")
	openssl := testenv.Tool(t, "openssl")
	path := filepath.Join(t.TempDir(), "doc.bin")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if _, err := io.Copy(w, &pattern{n: 3<<20 + 17}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	f, err = os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := Sum(f)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(sha1sum, path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(string(out))[0]; got != d.SHA1 {
		t.Fatalf("sha1sum says %s, Sum says %s", got, d.SHA1)
	}
	out, err = exec.Command(openssl, "dgst", "-sha1", "-r", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(string(out))[0]; got != d.SHA1 {
		t.Fatalf("openssl says %s, Sum says %s", got, d.SHA1)
	}
	st, _ := os.Stat(path)
	if d.Size != st.Size() || d.Size != 3<<20+17 {
		t.Fatalf("size %d, file has %d", d.Size, st.Size())
	}
	if err := d.Verify(strings.ToUpper(d.SHA1), d.SizeString()); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

// TestSumConstantMemory hashes 64 MiB that exist nowhere in memory and
// checks that Sum allocates well under 1 MiB.
func TestSumConstantMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	d, err := Sum(&pattern{n: 64 << 20})
	runtime.ReadMemStats(&after)
	if err != nil || d.Size != 64<<20 {
		t.Fatalf("%+v %v", d, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Fatalf("Sum allocated %d bytes for a 64 MiB document", alloc)
	}
}

func TestHasherTee(t *testing.T) {
	h := New()
	var sink strings.Builder
	if _, err := io.Copy(&sink, io.TeeReader(strings.NewReader("abc"), h)); err != nil {
		t.Fatal(err)
	}
	if d := h.Digest(); d.SHA1 != "a9993e364706816aba3e25717850c26c9cd0d89d" || d.Size != 3 || sink.String() != "abc" {
		t.Fatalf("%+v", d)
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestSumReadError(t *testing.T) {
	_, err := Sum(io.MultiReader(strings.NewReader("abcd"), failing{}))
	if err == nil || !strings.Contains(err.Error(), "after 4 bytes") || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("err = %v", err)
	}
}

func TestVerify(t *testing.T) {
	d := Digest{SHA1: "a9993e364706816aba3e25717850c26c9cd0d89d", Size: 3}
	for _, tt := range []struct {
		hash, size string
		code       Code
	}{
		{"a9993e364706816aba3e25717850c26c9cd0d89d", "3", ""},
		{"A9993E364706816ABA3E25717850C26C9CD0D89D", "3", ""},
		{"a9993e364706816aba3e25717850c26c9cd0d89", "3", CodeInvalidHash},
		{"g9993e364706816aba3e25717850c26c9cd0d89d", "3", CodeInvalidHash},
		{"a9993e364706816aba3e25717850c26c9cd0d89d", "03", CodeInvalidSize},
		{"a9993e364706816aba3e25717850c26c9cd0d89d", "-3", CodeInvalidSize},
		{"a9993e364706816aba3e25717850c26c9cd0d89d", "x", CodeInvalidSize},
		{"da39a3ee5e6b4b0d3255bfef95601890afd80709", "3", CodeIncorrectHash},
		{"a9993e364706816aba3e25717850c26c9cd0d89d", "4", CodeIncorrectSize},
	} {
		err := d.Verify(tt.hash, tt.size)
		var e *MismatchError
		switch {
		case tt.code == "" && err != nil:
			t.Errorf("Verify(%s, %s) = %v", tt.hash, tt.size, err)
		case tt.code != "" && (!errors.As(err, &e) || e.Code != tt.code):
			t.Errorf("Verify(%s, %s) = %v, want %s", tt.hash, tt.size, err, tt.code)
		}
	}
}

// BenchmarkSum and BenchmarkSHA1Baseline measure the cost of streaming
// through Sum against hashing a buffer already in memory (run by hand:
// go test -bench . ./runtime/dochash).
func BenchmarkSum(b *testing.B) {
	buf := benchBuf()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if _, err := Sum(bytes.NewReader(buf)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSHA1Baseline(b *testing.B) {
	buf := benchBuf()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		_ = sha1.Sum(buf)
	}
}

func benchBuf() []byte {
	buf := make([]byte, 8<<20)
	_, _ = io.ReadFull(&pattern{n: int64(len(buf))}, buf)
	return buf
}
