package wssec_test

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/dmpgen/dmpgen/runtime/wssec"
)

func TestReplayCache(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	c := wssec.NewReplayCache(3)
	rec := func(key string, exp, now time.Duration) error { return c.Record(key, t0.Add(exp), t0.Add(now)) }
	if err := rec("a", 5*time.Minute, 0); err != nil {
		t.Fatal(err)
	}
	if err := rec("a", 5*time.Minute, time.Minute); !errors.Is(err, wssec.ErrReplayed) {
		t.Errorf("replay within the window: %v", err)
	}
	// Once expired, the entry is dropped (the time checks refuse the token).
	if err := rec("a", 5*time.Minute, 6*time.Minute); err != nil || c.Len() != 0 {
		t.Errorf("after expiry: %v, %d entries", err, c.Len())
	}
	// Full: the entry expiring first goes, and everything expiring no later
	// than it is refused from then on, so it cannot be replayed.
	for i, exp := range []time.Duration{10, 20, 30} {
		if err := rec(fmt.Sprint("k", i), exp*time.Minute, 7*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec("k3", 40*time.Minute, 8*time.Minute); err != nil || c.Len() != 3 {
		t.Fatalf("fresh token into a full cache: %v (%d entries)", err, c.Len())
	}
	if err := rec("k0", 10*time.Minute, 8*time.Minute); !errors.Is(err, wssec.ErrReplayUnknown) {
		t.Errorf("replay of the evicted entry: %v, want ErrReplayUnknown", err)
	}
	if err := rec("old", 9*time.Minute, 8*time.Minute); !errors.Is(err, wssec.ErrReplayUnknown) {
		t.Errorf("a token expiring before the evicted one: %v, want ErrReplayUnknown", err)
	}
	if err := rec("k1", 20*time.Minute, 8*time.Minute); !errors.Is(err, wssec.ErrReplayed) {
		t.Errorf("replay of a kept entry: %v", err)
	}
}

// TestReplayCacheBoundedMemory: a flood of distinct assertions keeps the
// cache at its size, and its heap within a bound.
func TestReplayCacheBoundedMemory(t *testing.T) {
	const size, flood = 1000, 50000
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	c := wssec.NewReplayCache(size)
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for i := range size {
		if err := c.Record(fmt.Sprintf("%032d", i), t0.Add(time.Hour+time.Duration(i)*time.Millisecond), t0); err != nil {
			t.Fatal(err)
		}
	}
	before := heap()
	for i := size; i < flood; i++ {
		if err := c.Record(fmt.Sprintf("%032d", i), t0.Add(time.Hour+time.Duration(i)*time.Millisecond), t0); err != nil {
			t.Fatal(err)
		}
	}
	growth := int64(heap()) - int64(before)
	t.Logf("%d distinct assertions into a cache of %d: %d entries, heap %+d bytes", flood, size, c.Len(), growth)
	if c.Len() != size || growth > 256<<10 {
		t.Errorf("%d entries (want %d), heap grew by %d bytes", c.Len(), size, growth)
	}
}

func TestReplayCacheConcurrent(t *testing.T) {
	c := wssec.NewReplayCache(0)
	now := time.Now()
	var wg sync.WaitGroup
	accepted := make(chan string, 64)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 8 {
				key := fmt.Sprint(i) // every worker presents the same 8 keys
				if c.Record(key, now.Add(time.Minute), now) == nil {
					accepted <- key
				}
			}
		}()
	}
	wg.Wait()
	close(accepted)
	n := 0
	for range accepted {
		n++
	}
	if n != 8 {
		t.Errorf("%d acceptances of 8 keys presented 8 times each, want 8", n)
	}
}
