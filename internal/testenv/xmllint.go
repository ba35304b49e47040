package testenv

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// Cost is the time of one unit of work: wall-clock and CPU (user + system).
// On a shared machine the CPU time moves less than the wall time: waiting
// for a core is not counted, only the work.
type Cost struct{ Wall, CPU time.Duration }

// ProcessCPU returns the CPU time (user + system) this process has used so
// far, every thread included (the garbage collector's too).
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// XmllintPerDoc measures libxml2's parse + XSD validation of doc against
// schema, per document: xmllint with one iteration and with --repeat (100
// iterations), each run five times (three beyond 1 MiB); the difference of
// the medians divided
// by 99, so that start-up and schema compilation cancel out. It skips when
// xmllint is missing (fails under CI).
func XmllintPerDoc(tb testing.TB, doc []byte, schema string) Cost {
	tb.Helper()
	xmllint := Tool(tb, "xmllint")
	f := filepath.Join(tb.TempDir(), "doc.xml")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		tb.Fatal(err)
	}
	runs := 5
	if len(doc) > 1<<20 {
		runs = 3 // a --repeat run of a large document takes many seconds
	}
	run := func(extra ...string) Cost {
		var walls, cpus []time.Duration
		for range runs {
			cmd := exec.Command(xmllint, append(append([]string{"--noout", "--nonet"}, extra...), "--schema", schema, f)...)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			err := cmd.Run()
			walls = append(walls, time.Since(start))
			if err != nil || !bytes.Contains(out.Bytes(), []byte("validates")) {
				tb.Fatalf("xmllint %v: %v\n%s", cmd.Args, err, out.Bytes())
			}
			cpus = append(cpus, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		}
		return Cost{median(walls), median(cpus)}
	}
	one, hundred := run(), run("--repeat")
	return Cost{(hundred.Wall - one.Wall) / 99, (hundred.CPU - one.CPU) / 99}
}

func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// BenchLoop runs body b.N times and returns its cost per run.
func BenchLoop(b *testing.B, body func()) Cost {
	cpu, start := ProcessCPU(), time.Now()
	for range b.N {
		body()
	}
	n := time.Duration(b.N)
	return Cost{time.Since(start) / n, (ProcessCPU() - cpu) / n}
}

// ReportVsXmllint reports ours against xmllint's lint, both per document:
// x-xmllint and x-xmllint-cpu are xmllint's wall and CPU times divided by
// ours (above 1: faster than xmllint), xmllint-ms/doc and
// xmllint-cpu-ms/doc xmllint's times.
func ReportVsXmllint(b *testing.B, lint, ours Cost) {
	b.ReportMetric(float64(lint.Wall)/1e6, "xmllint-ms/doc")
	b.ReportMetric(float64(lint.CPU)/1e6, "xmllint-cpu-ms/doc")
	b.ReportMetric(float64(lint.Wall)/float64(ours.Wall), "x-xmllint")
	if ours.CPU > 0 {
		b.ReportMetric(float64(lint.CPU)/float64(ours.CPU), "x-xmllint-cpu")
	}
}
