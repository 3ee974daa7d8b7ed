package deltacloud_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// getterConn is a mock behind the core Conn and the keys collection, with
// the hardware profile and key getters, counting what the Provider calls.
type getterConn struct {
	coreConn
	mu    sync.Mutex
	calls map[string]int
	// empty makes the getters answer neither object nor error.
	empty bool
}

func (c *getterConn) count(op string) {
	c.mu.Lock()
	c.calls[op]++
	c.mu.Unlock()
}

func (c *getterConn) Calls() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, v := range c.calls {
		out[k] = v
	}
	return out
}

func (c *getterConn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	c.count("HardwareProfiles")
	return c.coreConn.HardwareProfiles(ctx)
}

func (c *getterConn) HardwareProfile(ctx context.Context, id string) (*deltacloud.HardwareProfile, error) {
	c.count("HardwareProfile")
	if c.empty {
		return nil, nil
	}
	return c.p.HardwareProfile(ctx, id)
}

func (c *getterConn) Keys(ctx context.Context) ([]deltacloud.Key, error) {
	c.count("Keys")
	return c.p.Keys(ctx)
}

func (c *getterConn) Key(ctx context.Context, id string) (*deltacloud.Key, error) {
	c.count("Key")
	if c.empty {
		return nil, nil
	}
	return c.p.Key(ctx, id)
}

func (c *getterConn) CreateKey(ctx context.Context, spec deltacloud.KeySpec) (*deltacloud.Key, error) {
	return c.p.CreateKey(ctx, spec)
}

func (c *getterConn) DestroyKey(ctx context.Context, id string) error { return c.p.DestroyKey(ctx, id) }

func (c *getterConn) As(target any) bool {
	if p, ok := target.(**getterConn); ok {
		*p = c
		return true
	}
	return false
}

type getterDriver struct{}

func (getterDriver) Info() deltacloud.DriverInfo {
	return deltacloud.DriverInfo{Description: "getters"}
}
func (getterDriver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	empty := cfg.Options["empty"] == "true"
	cfg.Options = nil
	p, err := deltacloud.Open(ctx, "mock", cfg)
	if err != nil {
		return nil, err
	}
	return &getterConn{coreConn: coreConn{p}, calls: map[string]int{}, empty: empty}, nil
}

func init() { deltacloud.Register("test-getters", getterDriver{}) }

// TestProviderUsesGetters: a driver's getters answer Provider.HardwareProfile,
// Provider.Key and a create's profile check, with no listing; their
// NotFound passes through; a getter answering nothing is ErrBackend.
func TestProviderUsesGetters(t *testing.T) {
	ctx := t.Context()
	openGetters := func(empty string) (*deltacloud.Provider, *getterConn) {
		p, err := deltacloud.Open(ctx, "test-getters", deltacloud.Config{
			Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password},
			Options:     map[string]string{"empty": empty}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		var c *getterConn
		if !p.As(&c) {
			t.Fatal("As(**getterConn) failed")
		}
		return p, c
	}
	p, c := openGetters("false")
	if h, err := p.HardwareProfile(ctx, "m1-small"); err != nil || h.ID != "m1-small" {
		t.Errorf("HardwareProfile(m1-small) = %v, %v", h, err)
	}
	if _, err := p.HardwareProfile(ctx, "m9"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("HardwareProfile(m9) = %v, want ErrNotFound", err)
	}
	if _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m1-large"}); err != nil {
		t.Errorf("create with m1-large: %v", err)
	}
	_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m9"})
	if !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("create with an unknown profile = %v, want ErrInvalidArgument", err)
	}
	if k, err := p.Key(ctx, "test-key"); err != nil || k.ID != "test-key" {
		t.Errorf("Key(test-key) = %v, %v", k, err)
	}
	if _, err := p.Key(ctx, "no-such-key"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Key(no-such-key) = %v, want ErrNotFound", err)
	}
	want := map[string]int{"HardwareProfile": 4, "Key": 2}
	if d := cmp.Diff(want, c.Calls()); d != "" {
		t.Errorf("driver calls (-want +got):\n%s", d)
	}

	p, _ = openGetters("true")
	if _, err := p.HardwareProfile(ctx, "m1-small"); !errors.Is(err, deltacloud.ErrBackend) {
		t.Errorf("HardwareProfile from a getter answering nothing = %v, want ErrBackend", err)
	}
	if _, err := p.Key(ctx, "test-key"); !errors.Is(err, deltacloud.ErrBackend) {
		t.Errorf("Key from a getter answering nothing = %v, want ErrBackend", err)
	}
}
