package api

import (
	"container/list"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
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
}

func newProviderCache(max int, ttl time.Duration,
	open func(context.Context, string, deltacloud.Config) (*deltacloud.Provider, error)) *providerCache {
	key := make([]byte, 32)
	rand.Read(key)
	return &providerCache{open: open, key: key, max: max, ttl: ttl, now: time.Now,
		entries: map[string]*list.Element{}, lru: list.New()}
}

// cacheKey hashes the credentials with the cache's secret key.
func (c *providerCache) cacheKey(driver string, cfg deltacloud.Config) string {
	m := hmac.New(sha256.New, c.key)
	// The user's length first: with a mere separator, user "a\x00b" with
	// password "c" and user "a" with password "b\x00c" would share a key.
	m.Write(binary.BigEndian.AppendUint64(nil, uint64(len(cfg.Credentials.User))))
	m.Write([]byte(cfg.Credentials.User))
	m.Write([]byte(cfg.Credentials.Password))
	return driver + "\x00" + cfg.Provider + "\x00" + hex.EncodeToString(m.Sum(nil))
}

// get returns an opened provider and a release function the caller must
// call when done with it.
func (c *providerCache) get(ctx context.Context, driver string, cfg deltacloud.Config) (*deltacloud.Provider, func(), error) {
	if c.max <= 0 {
		p, err := c.open(ctx, driver, cfg)
		if err != nil {
			return nil, nil, err
		}
		return p, func() { p.Close() }, nil
	}
	k := c.cacheKey(driver, cfg)
	c.mu.Lock()
	if el, ok := c.entries[k]; ok {
		e := el.Value.(*cacheEntry)
		if c.now().Before(e.expires) {
			e.refs++
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			return e.p, c.releaser(e), nil
		}
		c.evictLocked(el)
	}
	c.mu.Unlock()

	// Open outside the lock: opening may call the cloud.
	p, err := c.open(ctx, driver, cfg)
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[k]; ok {
		// Another request opened the same provider meanwhile: use that one.
		p.Close()
		e := el.Value.(*cacheEntry)
		e.refs++
		return e.p, c.releaser(e), nil
	}
	e := &cacheEntry{key: k, p: p, expires: c.now().Add(c.ttl), refs: 1}
	c.entries[k] = c.lru.PushFront(e)
	for c.lru.Len() > c.max {
		c.evictLocked(c.lru.Back())
	}
	return p, c.releaser(e), nil
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
