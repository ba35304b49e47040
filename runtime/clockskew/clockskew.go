// Package clockskew measures the offset between the local clock and a
// server's clock from the HTTP Date header (RFC 9110 §6.6.1). The DMP
// rejects VIHF assertions whose times are off, so a client checks its clock
// before it signs.
//
// The Date header has one-second resolution and the request takes time, so
// the skew is known only as an interval: with the request sent at local time
// s, the response received at r and a Date of D, the server clock read some
// instant in [D, D+1s) while the local clock read some instant in [s, r], so
// skew = server - local lies in [D-r, D+1s-s]. Check reports an error only
// when the whole interval is beyond the tolerance, that is when the clocks
// are certainly too far apart.
package clockskew

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Measurement is the result of one measurement. Positive skews mean that
// the server's clock is ahead of the local one.
type Measurement struct {
	Min, Max   time.Duration // the interval the skew is in
	ServerDate time.Time     // the Date header
	RTT        time.Duration // round-trip time of the request
}

// Skew returns the best estimate: the middle of the interval.
func (m Measurement) Skew() time.Duration { return m.Min + (m.Max-m.Min)/2 }

// Error reports clocks that are certainly further apart than the tolerance.
type Error struct {
	Measurement
	Tolerance time.Duration
}

func (e *Error) Error() string {
	skew, dir := e.Skew(), "ahead of"
	if skew < 0 {
		skew, dir = -skew, "behind"
	}
	return fmt.Sprintf("clockskew: the server clock is %v %s the local clock (skew between %v and %v), beyond the tolerated %v: synchronise the local clock with a time server (NTP)",
		skew.Round(time.Millisecond), dir, e.Min.Round(time.Millisecond), e.Max.Round(time.Millisecond), e.Tolerance)
}

// Check returns an *Error when the whole skew interval is outside
// [-tolerance, +tolerance].
func (m Measurement) Check(tolerance time.Duration) error {
	if m.Min > tolerance || m.Max < -tolerance {
		return &Error{Measurement: m, Tolerance: tolerance}
	}
	return nil
}

// FromDate computes the measurement from a Date header value and the local
// times at which the request was sent and the response received.
func FromDate(date string, sent, received time.Time) (Measurement, error) {
	if date == "" {
		return Measurement{}, fmt.Errorf("clockskew: the response has no Date header")
	}
	d, err := http.ParseTime(date)
	if err != nil {
		return Measurement{}, fmt.Errorf("clockskew: Date header %q: %w", date, err)
	}
	// Wall-clock arithmetic throughout: the Date has no monotonic reading.
	sent, received = sent.Round(0), received.Round(0)
	if received.Before(sent) {
		return Measurement{}, fmt.Errorf("clockskew: received %v before sent %v", received, sent)
	}
	return Measurement{
		Min:        d.Sub(received),
		Max:        d.Add(time.Second).Sub(sent),
		ServerDate: d,
		RTT:        received.Sub(sent),
	}, nil
}

// Measure sends a HEAD request to url with client (http.DefaultClient when
// nil) and measures the skew against the response's Date header. now is the
// local clock (time.Now when nil). Any response status is accepted: only the
// Date header matters.
func Measure(ctx context.Context, client *http.Client, url string, now func() time.Time) (Measurement, error) {
	if client == nil {
		client = http.DefaultClient
	}
	if now == nil {
		now = time.Now
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return Measurement{}, fmt.Errorf("clockskew: %w", err)
	}
	sent := now()
	resp, err := client.Do(req)
	received := now()
	if err != nil {
		return Measurement{}, fmt.Errorf("clockskew: HEAD %s: %w", url, err)
	}
	resp.Body.Close()
	m, err := FromDate(resp.Header.Get("Date"), sent, received)
	if err != nil {
		return Measurement{}, fmt.Errorf("%w (HEAD %s)", err, url)
	}
	return m, nil
}
