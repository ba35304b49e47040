package soap_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/runtime/soap"
	"github.com/dmpgen/dmpgen/runtime/soap/soaptest"
	"github.com/dmpgen/dmpgen/runtime/xmlbind"
)

// echo registers opEcho12 answering an empty message.
func echo(s *soap.Server) *soap.Server {
	s.Handle(&opEcho12, newMsg, func(context.Context, xmlbind.Value) (xmlbind.Value, error) { return &msg{}, nil })
	return s
}

// TestServerLimits: each limit gives a SOAP fault that names it, with 413
// for sizes.
func TestServerLimits(t *testing.T) {
	env := soaptest.NewEnv(t, echo(soap.NewServer(soap.WithMaxEnvelopeSize(4096), soap.WithMaxHeaderSize(512), soap.WithMaxAttachments(2))))
	big := `<t:Msg xmlns:t="urn:dmpgen:soap:test"><t:Text>` + strings.Repeat("x", 5000) + `</t:Text></t:Msg>`
	if status, body := post(t, env, soap12, request12(echoWSA, big)); status != 413 || !strings.Contains(body, "request envelope larger than 4096 bytes") {
		t.Errorf("oversized envelope: %d %s", status, body)
	}
	hdr := echoWSA + `<x:Pad xmlns:x="urn:pad">` + strings.Repeat("p", 600) + `</x:Pad>`
	if status, body := post(t, env, soap12, request12(hdr, msgBody)); status != 413 || !strings.Contains(body, "SOAP Header larger than 512 bytes") {
		t.Errorf("oversized header: %d %s", status, body)
	}
	if status, body := post(t, env, soap12, request12(echoWSA, msgBody)); status != 200 {
		t.Errorf("request within the limits: %d %s", status, body)
	}

	// Three attachments, none referenced, where two are allowed.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	root := textproto.MIMEHeader{"Content-Type": {`application/xop+xml; charset=UTF-8; type="application/soap+xml"`}, "Content-Id": {"<root@x>"}}
	w, _ := mw.CreatePart(root)
	w.Write(request12(echoWSA, msgBody))
	for i := range 3 {
		w, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Id": {fmt.Sprintf("<a%d@x>", i)}, "Content-Type": {"application/octet-stream"}})
		w.Write([]byte("data"))
	}
	mw.Close()
	ct := fmt.Sprintf(`multipart/related; type="application/xop+xml"; start="<root@x>"; start-info="application/soap+xml"; boundary=%q`, mw.Boundary())
	if status, body := post(t, env, ct, buf.Bytes()); status != 413 || !strings.Contains(body, "MaxParts (3)") {
		t.Errorf("too many attachments: %d %s", status, body)
	}
}

// TestServerBusy: over WithMaxConcurrent, a request gets 503, Retry-After
// and a Receiver fault at once, and is served again once a slot is free.
func TestServerBusy(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	srv := soap.NewServer(soap.WithMaxConcurrent(1))
	srv.Handle(&opEcho12, newMsg, func(context.Context, xmlbind.Value) (xmlbind.Value, error) {
		entered <- struct{}{}
		<-release
		return &msg{}, nil
	})
	env := soaptest.NewEnv(t, srv)
	done := make(chan int)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, env.URL(), bytes.NewReader(request12(echoWSA, msgBody)))
		req.Header.Set("Content-Type", soap12)
		resp, err := env.Client.Do(req)
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	<-entered
	req, _ := http.NewRequest(http.MethodPost, env.URL(), bytes.NewReader(request12(echoWSA, msgBody)))
	req.Header.Set("Content-Type", soap12)
	resp, err := env.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(b), "server busy: 1 requests in progress") || !strings.Contains(string(b), "soap:Receiver") {
		t.Errorf("second request: %d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	close(release)
	if s := <-done; s != 200 {
		t.Errorf("first request: %d", s)
	}
	if status, body := post(t, env, soap12, request12(echoWSA, msgBody)); status != 200 {
		t.Errorf("after the slot is free: %d %s", status, body)
	}
}

// stallReader yields head, then blocks until stop is closed.
type stallReader struct {
	head []byte
	stop chan struct{}
}

func (s *stallReader) Read(p []byte) (int, error) {
	if len(s.head) > 0 {
		n := copy(p, s.head)
		s.head = s.head[n:]
		return n, nil
	}
	<-s.stop
	return 0, io.ErrUnexpectedEOF
}

// TestServerSlowBody: a client that stops sending in the middle of its
// body gets a fault after the idle limit, not an open connection forever.
func TestServerSlowBody(t *testing.T) {
	env := soaptest.NewEnv(t, echo(soap.NewServer(soap.WithBodyReadIdle(200*time.Millisecond))))
	stop := make(chan struct{})
	defer close(stop)
	full := request12(echoWSA, msgBody)
	req, _ := http.NewRequest(http.MethodPost, env.URL(), &stallReader{head: full[:len(full)/2], stop: stop})
	req.Header.Set("Content-Type", soap12)
	req.ContentLength = int64(len(full))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	resp, err := env.Client.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode/100 != 4 || !strings.Contains(string(b), "the body read idle limit") {
		t.Errorf("stalled body: %d %s", resp.StatusCode, b)
	}
}

// TestClientResponseEnvelopeLimit: a response over the client's envelope
// limit fails with a *TooLargeError.
func TestClientResponseEnvelopeLimit(t *testing.T) {
	srv := soap.NewServer()
	srv.Handle(&opEcho12, newMsg, func(context.Context, xmlbind.Value) (xmlbind.Value, error) {
		return &msg{Text: strings.Repeat("z", 10000)}, nil
	})
	env := soaptest.NewEnv(t, srv)
	c := soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client), soap.WithMaxResponseEnvelopeSize(2048))
	err := c.Call(context.Background(), &opEcho12, &msg{Text: "hi"}, new(msg))
	var tl *soap.TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 2048 || tl.What != "response envelope" {
		t.Fatalf("got %v, want a *TooLargeError for the response envelope", err)
	}
	c = soap.NewClient(env.URL(), soap.WithHTTPClient(env.Client))
	if err := c.Call(context.Background(), &opEcho12, &msg{Text: "hi"}, new(msg)); err != nil {
		t.Fatalf("default limits: %v", err)
	}
}

// TestServerMemoryBounded sends concurrent 96 MiB requests (streamed by
// the client, never held in memory) with the default limits and samples
// the heap meanwhile: the server refuses each once its envelope passes
// DefaultMaxEnvelopeSize, so the heap stays within a few envelopes per
// request instead of growing with the bodies (4 × 96 MiB).
func TestServerMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 384 MiB over loopback (-short)")
	}
	env := soaptest.NewEnv(t, echo(soap.NewServer()))
	const n, size = 4, 96 << 20
	statuses := make([]int, n)
	grew := soaptest.HeapGrowth(func() {
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				head := []byte(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><t:Msg xmlns:t="urn:dmpgen:soap:test"><t:Text>`)
				body := io.MultiReader(bytes.NewReader(head), newPattern(uint64(i), size))
				req, _ := http.NewRequest(http.MethodPost, env.URL(), body)
				req.Header.Set("Content-Type", soap12)
				resp, err := env.Client.Do(req)
				if err != nil {
					// The server may close the connection while the client
					// is still sending; the refusal is what counts.
					statuses[i] = -1
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				statuses[i] = resp.StatusCode
			}()
		}
		wg.Wait()
	})
	for i, s := range statuses {
		if s != 413 && s != -1 {
			t.Errorf("request %d: status %d, want 413", i, s)
		}
	}
	t.Logf("peak heap growth with %d concurrent %d MiB requests: %.1f MiB", n, size>>20, float64(grew)/(1<<20))
	// io.ReadAll up to 16 MiB holds at most about 2 × 16 MiB per request.
	if limit := int64(n) * 3 * soap.DefaultMaxEnvelopeSize; grew > limit {
		t.Errorf("heap grew by %d MiB, over %d MiB", grew>>20, limit>>20)
	}
}

// BenchmarkRejectOversized measures what one refused 64 MiB request costs
// the server (CPU per request and peak heap growth), against reading the
// same body into io.Discard over the same HTTPS connection (the baseline
// sub-benchmark): a refusal stops at the envelope limit.
func BenchmarkRejectOversized(b *testing.B) {
	const size = 64 << 20
	head := []byte(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><t:Msg xmlns:t="urn:dmpgen:soap:test"><t:Text>`)
	run := func(b *testing.B, h http.Handler) {
		env := soaptest.NewEnv(b, h)
		runtime.GC()
		var base, m runtime.MemStats
		runtime.ReadMemStats(&base)
		peak := base.HeapInuse
		b.SetBytes(size)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			req, _ := http.NewRequest(http.MethodPost, env.URL(), io.MultiReader(bytes.NewReader(head), newPattern(uint64(i), size)))
			req.Header.Set("Content-Type", soap12)
			if resp, err := env.Client.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
		}
		b.ReportMetric(float64(peak-base.HeapInuse)/(1<<20), "peak-heap-MiB")
	}
	b.Run("soap.Server", func(b *testing.B) { run(b, echo(soap.NewServer())) })
	b.Run("baseline-io.Copy", func(b *testing.B) {
		run(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) }))
	})
}

// BenchmarkRejectSlow measures what a client that stops sending in the
// middle of its body costs: the server answers with a fault once the body
// read idle limit (20 ms here) passes. It reports the process CPU time per
// refused request (client included) and the peak heap growth; the wall
// time per request is the idle limit.
func BenchmarkRejectSlow(b *testing.B) {
	env := soaptest.NewEnv(b, echo(soap.NewServer(soap.WithBodyReadIdle(20*time.Millisecond))))
	full := request12(echoWSA, msgBody)
	runtime.GC()
	var base, m runtime.MemStats
	runtime.ReadMemStats(&base)
	peak := base.HeapInuse
	cpu0 := processCPU(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stop := make(chan struct{})
		req, _ := http.NewRequest(http.MethodPost, env.URL(), &stallReader{head: full[:len(full)/2], stop: stop})
		req.Header.Set("Content-Type", soap12)
		req.ContentLength = int64(len(full))
		resp, err := env.Client.Do(req)
		close(stop)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode/100 != 4 {
			b.Fatalf("status %d", resp.StatusCode)
		}
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapInuse)
	}
	b.StopTimer()
	b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(peak-base.HeapInuse)/(1<<20), "peak-heap-MiB")
}

// processCPU returns the user and system CPU time of the process.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
