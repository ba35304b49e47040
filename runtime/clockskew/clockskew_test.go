package clockskew

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestFromDateAndCheck(t *testing.T) {
	sent := time.Date(2026, 11, 24, 10, 0, 0, 200e6, time.UTC)
	recv := sent.Add(300 * time.Millisecond)
	tests := []struct {
		date     string
		min, max time.Duration
		tol      time.Duration
		tooFar   bool
	}{
		// Server exactly in sync: Date 10:00:00 (the server read 10:00:00.2–.5).
		{"Tue, 24 Nov 2026 10:00:00 GMT", -500 * time.Millisecond, 800 * time.Millisecond, time.Second, false},
		// Server 5 minutes ahead.
		{"Tue, 24 Nov 2026 10:05:00 GMT", 5*time.Minute - 500*time.Millisecond, 5*time.Minute + 800*time.Millisecond, time.Minute, true},
		// Server 5 minutes behind.
		{"Tue, 24 Nov 2026 09:55:00 GMT", -5*time.Minute - 500*time.Millisecond, -5*time.Minute + 800*time.Millisecond, time.Minute, true},
		// 2 s ahead, 2 s tolerance: not certainly beyond.
		{"Tue, 24 Nov 2026 10:00:02 GMT", 1500 * time.Millisecond, 2800 * time.Millisecond, 2 * time.Second, false},
		// 3 s ahead, 2 s tolerance: certainly beyond.
		{"Tue, 24 Nov 2026 10:00:03 GMT", 2500 * time.Millisecond, 3800 * time.Millisecond, 2 * time.Second, true},
	}
	for _, tt := range tests {
		m, err := FromDate(tt.date, sent, recv)
		if err != nil {
			t.Fatal(err)
		}
		if m.Min != tt.min || m.Max != tt.max || m.RTT != 300*time.Millisecond {
			t.Errorf("%s: [%v, %v] rtt %v, want [%v, %v]", tt.date, m.Min, m.Max, m.RTT, tt.min, tt.max)
		}
		err = m.Check(tt.tol)
		var e *Error
		if tt.tooFar != errors.As(err, &e) {
			t.Errorf("%s: Check(%v) = %v", tt.date, tt.tol, err)
		}
		if e != nil && (e.Tolerance != tt.tol || e.Skew() != m.Skew()) {
			t.Errorf("%s: error %+v", tt.date, e)
		}
	}
	if _, err := FromDate("", sent, recv); err == nil {
		t.Error("missing Date must fail")
	}
	if _, err := FromDate("yesterday", sent, recv); err == nil {
		t.Error("bad Date must fail")
	}
	if _, err := FromDate("Tue, 24 Nov 2026 10:00:00 GMT", recv, sent); err == nil {
		t.Error("received before sent must fail")
	}
}

// TestMeasureLoopback runs a real HTTP server on loopback whose Date header
// is 90 s ahead of the local clock.
func TestMeasureLoopback(t *testing.T) {
	ahead := 90 * time.Second
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodHead {
			t.Errorf("method %s", r.Method)
		}
		w.Header().Set("Date", time.Now().Add(ahead).UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusNotFound) // the status does not matter
	}))
	defer srv.Close()
	m, err := Measure(context.Background(), srv.Client(), srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Min > ahead || m.Max < ahead || m.Max-m.Min > time.Second+m.RTT {
		t.Fatalf("interval [%v, %v] (rtt %v) does not contain %v", m.Min, m.Max, m.RTT, ahead)
	}
	var e *Error
	if err := m.Check(time.Minute); !errors.As(err, &e) {
		t.Fatalf("Check(1m) = %v, want *Error", err)
	}
	if err := m.Check(2 * time.Minute); err != nil {
		t.Fatalf("Check(2m) = %v", err)
	}
	// A server without a Date header is an error, not a zero skew.
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil // suppress the automatic header
	}))
	defer bare.Close()
	if _, err := Measure(context.Background(), bare.Client(), bare.URL, nil); err == nil {
		t.Fatal("no Date header must fail")
	}
	if _, err := Measure(context.Background(), nil, "http://127.0.0.1:1/", nil); err == nil {
		t.Fatal("connection refused must fail")
	}
}
