package api

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// TestCacheKey: the key separates drivers, providers and credentials,
// including credentials that only differ in where user ends and password
// begins.
func TestCacheKey(t *testing.T) {
	c := newProviderCache(4, time.Minute, nil)
	cfg := func(provider, user, password string) deltacloud.Config {
		return deltacloud.Config{Provider: provider, Credentials: deltacloud.Credentials{User: user, Password: password}}
	}
	same := [][2]deltacloud.Config{
		{cfg("p", "u", "pw"), cfg("p", "u", "pw")},
	}
	differ := []struct {
		d1, d2 string
		c1, c2 deltacloud.Config
	}{
		{"mock", "mock", cfg("p", "u", "pw"), cfg("p", "u", "pw2")},
		{"mock", "mock", cfg("p", "u", "pw"), cfg("p", "u2", "pw")},
		{"mock", "mock", cfg("p", "u", "pw"), cfg("q", "u", "pw")},
		{"mock", "ec2", cfg("p", "u", "pw"), cfg("p", "u", "pw")},
		{"mock", "mock", cfg("p", "a\x00b", "c"), cfg("p", "a", "b\x00c")},
		{"mock", "mock", cfg("p", "ab", "c"), cfg("p", "a", "bc")},
		{"mock", "mock", cfg("p", "", "x"), cfg("p", "x", "")},
	}
	for _, s := range same {
		if keyOf(c, "mock", s[0]) != keyOf(c, "mock", s[1]) {
			t.Errorf("%+v and %+v have different keys", s[0], s[1])
		}
	}
	for _, d := range differ {
		if keyOf(c, d.d1, d.c1) == keyOf(c, d.d2, d.c2) {
			t.Errorf("%s %+v and %s %+v share a key", d.d1, d.c1, d.d2, d.c2)
		}
	}
	if k := keyOf(c, "mock", cfg("p", "user", "s3cret-pw")); containsAny(k, "user", "s3cret-pw") {
		t.Errorf("key %q holds the credentials", k)
	}
}

// TestCacheKeyLeavesNoPassword: a pooled hasher keeps no credentials once
// the key is made, and reusing one gives the same key as a fresh one.
func TestCacheKeyLeavesNoPassword(t *testing.T) {
	c := newProviderCache(4, time.Minute, nil)
	cfg := deltacloud.Config{Provider: "p", Credentials: deltacloud.Credentials{User: "user", Password: "s3cret-pw"}}
	h := c.getHasher()
	first := string(c.cacheKey(h, "mock", cfg))
	if containsAny(string(h.in[:cap(h.in)]), "user", "s3cret-pw") {
		t.Errorf("the hasher's input space still holds the credentials: %q", h.in[:cap(h.in)])
	}
	c.cacheKey(h, "ec2", deltacloud.Config{Credentials: deltacloud.Credentials{User: "someone else"}})
	if again := string(c.cacheKey(h, "mock", cfg)); again != first {
		t.Errorf("a reused hasher made key %q, a fresh one %q", again, first)
	}
	c.putHasher(h)
}

func containsAny(s string, subs ...string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return strings.Contains(s, sub) })
}

// TestCacheReuseExpiryEviction: a provider is reused for the same key,
// opened anew after its TTL, and an evicted provider still in use closes
// only when its last user releases it.
func TestCacheReuseExpiryEviction(t *testing.T) {
	ctx := context.Background()
	var opens atomic.Int32
	open := func(ctx context.Context, driver string, cfg deltacloud.Config) (*deltacloud.Provider, error) {
		opens.Add(1)
		return deltacloud.Open(ctx, driver, cfg)
	}
	c := newProviderCache(1, time.Minute, open)
	now := time.Unix(1_000_000, 0)
	c.now = func() time.Time { return now }
	good := deltacloud.Config{Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password}}
	other := deltacloud.Config{Credentials: deltacloud.Credentials{User: mock.User, Password: "other"}}

	p1, rel1, err := c.get(ctx, "mock", good)
	if err != nil {
		t.Fatal(err)
	}
	p2, rel2, err := c.get(ctx, "mock", good)
	if err != nil {
		t.Fatal(err)
	}
	if p1 != p2 || opens.Load() != 1 {
		t.Fatalf("same key: %d opens, same provider %v", opens.Load(), p1 == p2)
	}
	rel2()
	rel2() // a second release is a no-op

	// Another key evicts the first (max 1) while p1 is still in use.
	p3, rel3, err := c.get(ctx, "mock", other)
	if err != nil {
		t.Fatal(err)
	}
	if p3 == p1 {
		t.Fatal("other credentials got the cached provider")
	}
	if _, err := p1.Realms(ctx); err != nil {
		t.Fatalf("evicted provider closed while in use: %v", err)
	}
	rel1()
	if _, err := p1.Realms(ctx); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Fatalf("evicted provider after its last release: %v, want closed", err)
	}
	rel3()

	// After the TTL the entry is opened anew.
	n := opens.Load()
	_, rel4, err := c.get(ctx, "mock", other)
	if err != nil || opens.Load() != n {
		t.Fatalf("within TTL: %v, %d opens", err, opens.Load()-n)
	}
	rel4()
	now = now.Add(2 * time.Minute)
	_, rel5, err := c.get(ctx, "mock", other)
	if err != nil || opens.Load() != n+1 {
		t.Fatalf("after TTL: %v, %d opens", err, opens.Load()-n)
	}
	rel5()
	c.close()
}

// TestCacheDoesNotKeepFailures: a failed open is not cached.
func TestCacheDoesNotKeepFailures(t *testing.T) {
	var opens atomic.Int32
	c := newProviderCache(4, time.Minute, func(ctx context.Context, driver string, cfg deltacloud.Config) (*deltacloud.Provider, error) {
		opens.Add(1)
		return nil, deltacloud.Errorf(deltacloud.Unavailable, "down")
	})
	for range 3 {
		if _, _, err := c.get(context.Background(), "mock", deltacloud.Config{}); !errors.Is(err, deltacloud.ErrUnavailable) {
			t.Fatalf("err %v", err)
		}
	}
	if opens.Load() != 3 {
		t.Errorf("%d opens, want 3", opens.Load())
	}
}

// keyOf is the cache key of driver and cfg as a string.
func keyOf(c *providerCache, driver string, cfg deltacloud.Config) string {
	h := c.getHasher()
	defer c.putHasher(h)
	return string(c.cacheKey(h, driver, cfg))
}
