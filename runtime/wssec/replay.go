package wssec

import (
	"container/heap"
	"errors"
	"sync"
	"time"
)

// DefaultReplayCacheSize is the number of assertions a ReplayCache made with
// size 0 remembers: about 170 bytes each (measured), some 11 MB in all.
const DefaultReplayCacheSize = 65536

// Replay errors, wrapped in an *Error of ReasonReplay.
var (
	// ErrReplayed: the assertion was already accepted while still valid.
	ErrReplayed = errors.New("this assertion was already used: build a new VIHF for each request")
	// ErrReplayUnknown: the cache is full of assertions that expire later
	// than this one, so it cannot tell whether this one was used before.
	ErrReplayUnknown = errors.New("the replay cache is saturated and cannot tell whether this assertion was already used: retry with a fresh VIHF, or give the relying party a larger ReplayCache")
)

// ReplayCache remembers the assertions a relying party accepted until they
// expire, so that one presented twice is refused. Its memory is bounded:
// when it is full, the entry that expires first is dropped and every
// assertion expiring no later than that entry is refused from then on, so a
// dropped assertion can never be replayed (fresh assertions, which expire
// later, are unaffected). It is safe for concurrent use.
type ReplayCache struct {
	mu    sync.Mutex
	size  int
	seen  map[string]time.Time
	queue expiryQueue
	floor time.Time // latest expiry dropped before its time
}

// NewReplayCache returns a cache of size entries (DefaultReplayCacheSize when
// size <= 0).
func NewReplayCache(size int) *ReplayCache {
	if size <= 0 {
		size = DefaultReplayCacheSize
	}
	return &ReplayCache{size: size, seen: map[string]time.Time{}}
}

// Record notes that the assertion identified by key, usable until expires,
// is being accepted at now. It returns ErrReplayed if key was recorded before
// and has not expired, ErrReplayUnknown if the cache cannot tell.
func (c *ReplayCache) Record(key string, expires, now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.queue) > 0 && !c.queue[0].expires.After(now) {
		delete(c.seen, heap.Pop(&c.queue).(replayEntry).key)
	}
	if _, ok := c.seen[key]; ok {
		return ErrReplayed
	}
	if !expires.After(now) {
		return nil // already expired: the time checks refuse it anyway
	}
	if !expires.After(c.floor) {
		return ErrReplayUnknown
	}
	if len(c.seen) >= c.size {
		e := heap.Pop(&c.queue).(replayEntry)
		delete(c.seen, e.key)
		if e.expires.After(c.floor) {
			c.floor = e.expires
		}
		if !expires.After(c.floor) {
			return ErrReplayUnknown
		}
	}
	c.seen[key] = expires
	heap.Push(&c.queue, replayEntry{key, expires})
	return nil
}

// Len returns the number of assertions remembered.
func (c *ReplayCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}

type replayEntry struct {
	key     string
	expires time.Time
}

// expiryQueue is a min-heap of entries by expiry.
type expiryQueue []replayEntry

func (q expiryQueue) Len() int           { return len(q) }
func (q expiryQueue) Less(i, j int) bool { return q[i].expires.Before(q[j].expires) }
func (q expiryQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *expiryQueue) Push(x any)        { *q = append(*q, x.(replayEntry)) }
func (q *expiryQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}
