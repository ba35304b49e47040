package xmldsig

import (
	"container/list"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"sync"
	"time"
)

// DefaultChainCacheSize is the number of verified certificate chains a
// Verifier remembers when ChainCacheSize is zero. An entry holds the parsed
// chain (a few KB per certificate); 1024 entries stay under about 10 MB and
// cover the signers a relying party sees in a burst.
const DefaultChainCacheSize = 1024

// chainCache is a bounded LRU of chain verifications, keyed by the exact
// certificates of a KeyInfo. It only ever receives chains whose signature
// verified, so rejected requests leave nothing behind.
type chainCache struct {
	mu    sync.Mutex
	ll    *list.List               // front = most recently used; values are *chainEntry
	byKey map[string]*list.Element // key -> element of ll
}

type chainEntry struct {
	key                 string
	chains              [][]*x509.Certificate
	notBefore, notAfter time.Time // the intersection of the chains' validity windows
}

// chainKey identifies a list of parsed certificates: each certificate's DER
// prefixed with its length, so that no two different lists share a key.
func chainKey(certs []*x509.Certificate) string {
	h := sha256.New()
	var n [8]byte
	for _, c := range certs {
		binary.BigEndian.PutUint64(n[:], uint64(len(c.Raw)))
		h.Write(n[:])
		h.Write(c.Raw)
	}
	return string(h.Sum(nil))
}

// newChainEntry records chains with the window during which every
// certificate of every chain is valid.
func newChainEntry(key string, chains [][]*x509.Certificate) *chainEntry {
	leaf := chains[0][0]
	e := &chainEntry{key: key, chains: chains, notBefore: leaf.NotBefore, notAfter: leaf.NotAfter}
	for _, ch := range chains {
		for _, c := range ch {
			if c.NotBefore.After(e.notBefore) {
				e.notBefore = c.NotBefore
			}
			if c.NotAfter.Before(e.notAfter) {
				e.notAfter = c.NotAfter
			}
		}
	}
	return e
}

// get returns the chains cached for key if they are valid at t.
func (c *chainCache) get(key string, t time.Time) ([][]*x509.Certificate, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*chainEntry)
	if t.Before(e.notBefore) || t.After(e.notAfter) {
		c.ll.Remove(el)
		delete(c.byKey, key)
		return nil, false
	}
	c.ll.MoveToFront(el)
	return e.chains, true
}

// add stores e, evicting the least recently used entries beyond size.
func (c *chainCache) add(e *chainEntry, size int) {
	if size <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ll == nil {
		c.ll, c.byKey = list.New(), map[string]*list.Element{}
	}
	if el, ok := c.byKey[e.key]; ok {
		el.Value = e
		c.ll.MoveToFront(el)
		return
	}
	c.byKey[e.key] = c.ll.PushFront(e)
	for c.ll.Len() > size {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.byKey, last.Value.(*chainEntry).key)
	}
}

// len returns the number of cached chains.
func (c *chainCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ll == nil {
		return 0
	}
	return c.ll.Len()
}
