package clockskew

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Defaults of a Guard.
const (
	// DefaultTolerance is the offset a Guard accepts: half of the two
	// minutes a relying party allows by default (runtime/wssec.Policy),
	// so that a token signed here is not refused for its times.
	DefaultTolerance = time.Minute
	// DefaultInterval is how long a good measurement is trusted.
	DefaultInterval = 10 * time.Minute
)

// Guard checks the local clock against a server's before a client signs:
// it measures the offset (Measure, a HEAD request) at most once per
// Interval while the clocks agree, and on every Check while they do not,
// so that a corrected clock is seen at once. It is safe for concurrent use;
// a Check waits for a measurement in progress.
type Guard struct {
	// URL is the server's address (the DMP endpoint, or any URL of its
	// host).
	URL string
	// Client sends the HEAD request (nil: http.DefaultClient); for the
	// DMP, the client with the structure's TLS certificate.
	Client *http.Client
	// Tolerance is the accepted offset (0: DefaultTolerance).
	Tolerance time.Duration
	// Interval is how long a measurement within the tolerance is trusted
	// (0: DefaultInterval).
	Interval time.Duration
	// Now is the local clock (nil: time.Now).
	Now func() time.Time

	mu       sync.Mutex
	measured time.Time // when the last good measurement was made
}

// Check returns nil when the local clock is within Tolerance of the
// server's, an *Error saying by how much it is off otherwise, or the error
// of a measurement that could not be made.
func (g *Guard) Check(ctx context.Context) error {
	now := g.Now
	if now == nil {
		now = time.Now
	}
	interval := g.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	tol := g.Tolerance
	if tol <= 0 {
		tol = DefaultTolerance
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.measured.IsZero() && now().Sub(g.measured) < interval {
		return nil
	}
	m, err := Measure(ctx, g.Client, g.URL, now)
	if err != nil {
		return fmt.Errorf("%w: cannot check the local clock against the server's", err)
	}
	if err := m.Check(tol); err != nil {
		g.measured = time.Time{}
		return err
	}
	g.measured = now()
	return nil
}
