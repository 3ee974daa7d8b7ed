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
	macs    sync.Pool // of *keyHasher: HMAC-SHA256 with key
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
	c.macs.New = func() any { return &keyHasher{mac: hmac.New(sha256.New, c.key)} }
	return c
}

// keyHasher is a pooled HMAC with room to build its input and the key:
// setting up the keyed hash costs more than hashing a password, and the
// scratch space keeps a cache hit free of allocations.
type keyHasher struct {
	mac hash.Hash
	in  []byte
	sum [sha256.Size]byte
	key []byte
}

// maxPooledKeyInput bounds the input space a pooled hasher keeps.
const maxPooledKeyInput = 4 << 10

// cacheKey writes into k.key the cache key of driver, provider and
// credentials: the credentials hashed with the cache's secret key.
func (c *providerCache) cacheKey(k *keyHasher, driver string, cfg deltacloud.Config) []byte {
	// The user's length first: with a mere separator, user "a\x00b" with
	// password "c" and user "a" with password "b\x00c" would share a key.
	k.in = binary.BigEndian.AppendUint64(k.in[:0], uint64(len(cfg.Credentials.User)))
	k.in = append(k.in, cfg.Credentials.User...)
	k.in = append(k.in, cfg.Credentials.Password...)
	k.mac.Reset()
	k.mac.Write(k.in)
	clear(k.in) // no password stays behind in the pool
	k.key = append(k.key[:0], driver...)
	k.key = append(k.key, 0)
	k.key = append(k.key, cfg.Provider...)
	k.key = append(k.key, 0)
	k.key = hex.AppendEncode(k.key, k.mac.Sum(k.sum[:0]))
	return k.key
}

func (c *providerCache) getHasher() *keyHasher { return c.macs.Get().(*keyHasher) }

func (c *providerCache) putHasher(k *keyHasher) {
	if cap(k.in) > maxPooledKeyInput || cap(k.key) > maxPooledKeyInput {
		return
	}
	c.macs.Put(k)
}

// get returns an opened provider and a release function the caller must
// call when done with it; a second call does nothing.
func (c *providerCache) get(ctx context.Context, driver string, cfg deltacloud.Config) (*deltacloud.Provider, func(), error) {
	p, _, l, err := c.getMemo(ctx, driver, cfg)
	if err != nil {
		return nil, nil, err
	}
	return p, l.release, nil
}

// lease is a request's hold on a provider, given back by release: a cached
// entry's reference, or a provider opened for the request alone.
type lease struct {
	c     *providerCache
	e     *cacheEntry
	alone *deltacloud.Provider
}

// release gives the provider back and empties the lease, so that a second
// release does nothing.
func (l *lease) release() {
	c, e, alone := l.c, l.e, l.alone
	*l = lease{}
	if alone != nil {
		alone.Close()
	}
	if e == nil {
		return
	}
	c.mu.Lock()
	e.refs--
	closeNow := e.evicted && e.refs == 0
	c.mu.Unlock()
	if closeNow {
		e.p.Close()
	}
}

// getMemo is get that also returns the provider's render memo (nil when
// the cache is off: a provider opened for one request has nothing to
// remember).
func (c *providerCache) getMemo(ctx context.Context, driver string, cfg deltacloud.Config) (*deltacloud.Provider, *renderMemo, lease, error) {
	if c.max <= 0 {
		p, err := c.open(ctx, driver, cfg)
		if err != nil {
			return nil, nil, lease{}, err
		}
		return p, nil, lease{alone: p}, nil
	}
	h := c.getHasher()
	defer c.putHasher(h)
	k := c.cacheKey(h, driver, cfg)
	c.mu.Lock()
	if el, ok := c.entries[string(k)]; ok {
		e := el.Value.(*cacheEntry)
		if c.now().Before(e.expires) {
			e.refs++
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			return e.p, e.memo, lease{c: c, e: e}, nil
		}
		c.evictLocked(el)
	}
	c.mu.Unlock()

	// Open outside the lock: opening may call the cloud.
	p, err := c.open(ctx, driver, cfg)
	if err != nil {
		return nil, nil, lease{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[string(k)]; ok {
		// Another request opened the same provider meanwhile: use that one.
		p.Close()
		e := el.Value.(*cacheEntry)
		e.refs++
		return e.p, e.memo, lease{c: c, e: e}, nil
	}
	e := &cacheEntry{key: string(k), p: p, expires: c.now().Add(c.ttl), refs: 1, memo: newRenderMemo()}
	c.entries[e.key] = c.lru.PushFront(e)
	for c.lru.Len() > c.max {
		c.evictLocked(c.lru.Back())
	}
	return p, e.memo, lease{c: c, e: e}, nil
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
