package clockskew

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// dateServer answers HEAD with a Date offset from the real clock by
// *offset, and counts the requests.
func dateServer(t *testing.T, offset *atomic.Int64, heads *atomic.Int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		heads.Add(1)
		w.Header().Set("Date", time.Now().Add(time.Duration(offset.Load())).UTC().Format(http.TimeFormat))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestGuard(t *testing.T) {
	var offset atomic.Int64
	var heads atomic.Int32
	srv := dateServer(t, &offset, &heads)
	g := &Guard{URL: srv.URL, Interval: time.Hour}
	ctx := context.Background()
	if err := g.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if err := g.Check(ctx); err != nil || heads.Load() != 1 {
		t.Fatalf("second check within the interval: %v, %d HEAD requests", err, heads.Load())
	}

	// The server clock drifts 5 minutes ahead: seen once the interval is over.
	// The interval is over (the Guard is used by this goroutine only).
	offset.Store(int64(5 * time.Minute))
	g.Interval = time.Nanosecond
	err := g.Check(ctx)
	var e *Error
	if !errors.As(err, &e) || e.Skew() < 4*time.Minute+58*time.Second || e.Skew() > 5*time.Minute+2*time.Second || !strings.Contains(err.Error(), "ahead of the local clock") ||
		!strings.Contains(err.Error(), "synchronise the local clock") {
		t.Fatalf("5 minutes off: %v", err)
	}
	// While the clocks disagree, every check measures again.
	before := heads.Load()
	g.Check(ctx)
	if heads.Load() != before+1 {
		t.Error("a failed check is trusted for the interval")
	}
	offset.Store(0)
	if err := g.Check(ctx); err != nil {
		t.Fatalf("after the clock is fixed: %v", err)
	}

	// A server that cannot be reached: the error says the clock could not be checked.
	dead := &Guard{URL: "http://127.0.0.1:1/"}
	if err := dead.Check(ctx); err == nil || !strings.Contains(err.Error(), "cannot check the local clock") {
		t.Fatalf("unreachable server: %v", err)
	}
}
