package main

import (
	"bufio"
	"io"
	"strings"
	"testing"
)

// TestStream64MiB runs the benchmark's two modes in-process on 64 MiB over
// HTTPS on loopback: the server must receive exactly what the client sent,
// and the process, holding both sides, must stay under 64 MiB of peak RSS,
// which buffering the document anywhere would exceed. Nothing about time is
// asserted; bench/soap-stream.sh measures 1 GiB in separate processes.
func TestStream64MiB(t *testing.T) {
	dir := t.TempDir()
	if err := writePKI(dir); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"copy", "soap"} {
		pr, pw := io.Pipe()
		errc := make(chan error, 1)
		go func() {
			err := serve(dir, mode, pw)
			pw.CloseWithError(err)
			errc <- err
		}()
		lines := bufio.NewScanner(pr)
		if !lines.Scan() {
			t.Fatalf("%s: server did not start: %v", mode, <-errc)
		}
		addr, ok := strings.CutPrefix(lines.Text(), "listening ")
		if !ok {
			t.Fatalf("%s: server said %q", mode, lines.Text())
		}
		r, err := send(dir, mode, "https://"+addr+"/", 64<<20)
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		for lines.Scan() {
			t.Log(lines.Text())
		}
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes in %v", mode, r.bytes, r.elapsed)
	}
	if hwm := vmHWM(); hwm > 64<<10 {
		t.Errorf("peak RSS %d KiB for a 64 MiB document: something buffers it", hwm)
	} else {
		t.Logf("peak RSS of the process (both sides): %d KiB", hwm)
	}
}
