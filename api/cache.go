package api

import (
	"container/list"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"io"
	"sync"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// providerCache keeps opened providers between requests, keyed by driver,
// provider and a keyed hash (HMAC with a per-process random key) of the
// credentials, so one caller's credentials never serve another and the
// credentials themselves are never kept as a key. It is bounded in size and
// in time; an evicted provider is closed once no request uses it.
type providerCache struct {
	open    func(ctx context.Context, driver string, cfg deltacloud.Config) (*deltacloud.Provider, error)
	key     []byte
	max     int
	ttl     time.Duration
	now     func() time.Time
	macs    sync.Pool // of hash.Hash: HMAC-SHA256 with key
	mu      sync.Mutex
	entries map[string]*list.Element
	lru     *list.List // front: most recently used
}

type cacheEntry struct {
	key     string
	p       *deltacloud.Provider
	expires time.Time
	refs    int
	evicted bool
	// memo keeps the listings rendered for this provider, so for these
	// credentials only; it goes with the entry.
	memo *renderMemo
}

func newProviderCache(max int, ttl time.Duration,
	open func(context.Context, string, deltacloud.Config) (*deltacloud.Provider, error)) *providerCache {
	key := make([]byte, 32)
	rand.Read(key)
	c := &providerCache{open: open, key: key, max: max, ttl: ttl, now: time.Now,
		entries: map[string]*list.Element{}, lru: list.New()}
	c.macs.New = func() any { return hmac.New(sha256.New, c.key) }
	return c
}

// cacheKey hashes the credentials with the cache's secret key. The keyed
// hashes are pooled: setting one up costs more than hashing a password.
func (c *providerCache) cacheKey(driver string, cfg deltacloud.Config) string {
	m := c.macs.Get().(hash.Hash)
	m.Reset()
	// The user's length first: with a mere separator, user "a\x00b" with
	// password "c" and user "a" with password "b\x00c" would share a key.
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(cfg.Credentials.User)))
	m.Write(n[:])
	io.WriteString(m, cfg.Credentials.User)
	io.WriteString(m, cfg.Credentials.Password)
	var sum [sha256.Size]byte
	var hexSum [2 * sha256.Size]byte
	hex.Encode(hexSum[:], m.Sum(sum[:0]))
	c.macs.Put(m)
	return driver + "\x00" + cfg.Provider + "\x00" + string(hexSum[:])
}

// get returns an opened provider and a release function the caller must
// call when done with it.
func (c *providerCache) get(ctx context.Context, driver string, cfg deltacloud.Config) (*deltacloud.Provider, func(), error) {
	p, _, release, err := c.getMemo(ctx, driver, cfg)
	return p, release, err
}

// getMemo is get that also returns the provider's render memo (nil when
// the cache is off: a provider opened for one request has nothing to
// remember).
func (c *providerCache) getMemo(ctx context.Context, driver string, cfg deltacloud.Config) (*deltacloud.Provider, *renderMemo, func(), error) {
	if c.max <= 0 {
		p, err := c.open(ctx, driver, cfg)
		if err != nil {
			return nil, nil, nil, err
		}
		return p, nil, func() { p.Close() }, nil
	}
	k := c.cacheKey(driver, cfg)
	c.mu.Lock()
	if el, ok := c.entries[k]; ok {
		e := el.Value.(*cacheEntry)
		if c.now().Before(e.expires) {
			e.refs++
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			return e.p, e.memo, c.releaser(e), nil
		}
		c.evictLocked(el)
	}
	c.mu.Unlock()

	// Open outside the lock: opening may call the cloud.
	p, err := c.open(ctx, driver, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[k]; ok {
		// Another request opened the same provider meanwhile: use that one.
		p.Close()
		e := el.Value.(*cacheEntry)
		e.refs++
		return e.p, e.memo, c.releaser(e), nil
	}
	e := &cacheEntry{key: k, p: p, expires: c.now().Add(c.ttl), refs: 1, memo: newRenderMemo()}
	c.entries[k] = c.lru.PushFront(e)
	for c.lru.Len() > c.max {
		c.evictLocked(c.lru.Back())
	}
	return p, e.memo, c.releaser(e), nil
}

func (c *providerCache) releaser(e *cacheEntry) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			c.mu.Lock()
			e.refs--
			closeNow := e.evicted && e.refs == 0
			c.mu.Unlock()
			if closeNow {
				e.p.Close()
			}
		})
	}
}

// evictLocked drops an entry; its provider is closed now if unused, else by
// the last release.
func (c *providerCache) evictLocked(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.lru.Remove(el)
	delete(c.entries, e.key)
	e.evicted = true
	if e.refs == 0 {
		go e.p.Close()
	}
}

// close closes every cached provider not in use; those in use close on
// release.
func (c *providerCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.lru.Len() > 0 {
		c.evictLocked(c.lru.Back())
	}
}
