package drivertest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// The optional collections, each with a listing call the suite uses to
// check that a provider serves exactly what Collections says.
var optionalListings = []struct {
	coll deltacloud.Collection
	list func(ctx context.Context, p *deltacloud.Provider) error
}{
	{deltacloud.CollectionKeys, func(ctx context.Context, p *deltacloud.Provider) error { _, err := p.Keys(ctx); return err }},
	{deltacloud.CollectionFirewalls, func(ctx context.Context, p *deltacloud.Provider) error { _, err := p.Firewalls(ctx); return err }},
	{deltacloud.CollectionAddresses, func(ctx context.Context, p *deltacloud.Provider) error { _, err := p.Addresses(ctx); return err }},
	{deltacloud.CollectionStorageVolumes, func(ctx context.Context, p *deltacloud.Provider) error {
		_, err := p.StorageVolumes(ctx)
		return err
	}},
	{deltacloud.CollectionStorageSnapshots, func(ctx context.Context, p *deltacloud.Provider) error {
		_, err := p.StorageSnapshots(ctx)
		return err
	}},
	{deltacloud.CollectionBuckets, func(ctx context.Context, p *deltacloud.Provider) error { _, err := p.Buckets(ctx); return err }},
	{deltacloud.CollectionMetrics, func(ctx context.Context, p *deltacloud.Provider) error { _, err := p.Metrics(ctx); return err }},
}

// testOptionalCollections checks that every optional collection the
// provider lists can be listed, and every other one is ErrNotSupported,
// as are images from instances where the provider does not support them.
func (s *suite) testOptionalCollections(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	cs := p.Collections()
	for _, o := range optionalListings {
		err := o.list(ctx, p)
		switch served := slices.Contains(cs, o.coll); {
		case served && err != nil:
			t.Errorf("%s is in Collections() but listing it = %v", o.coll, err)
		case !served && !errors.Is(err, deltacloud.ErrNotSupported):
			t.Errorf("%s is not in Collections() but listing it = %v, want ErrNotSupported", o.coll, err)
		}
	}
	for _, f := range p.Features() {
		if !slices.Contains(cs, f.Collection) {
			t.Errorf("feature %s is advertised for %s, which is not in Collections() %v", f.Name, f.Collection, cs)
		}
	}
	if !p.Supports(deltacloud.CapabilityCreateImage) {
		_, err := p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "drivertest-no-such-id-0"})
		if !errors.Is(err, deltacloud.ErrNotSupported) {
			t.Errorf("CreateImage without the create_image capability = %v, want ErrNotSupported", err)
		}
	}
	if !p.Supports(deltacloud.CapabilityDestroyImage) {
		if err := p.DestroyImage(ctx, "drivertest-no-such-id-0"); !errors.Is(err, deltacloud.ErrNotSupported) {
			t.Errorf("DestroyImage without the destroy_image capability = %v, want ErrNotSupported", err)
		}
	}
}

// serving opens a provider and skips the test unless it serves coll.
func (s *suite) serving(t *testing.T, coll deltacloud.Collection) *deltacloud.Provider {
	t.Helper()
	p := s.open(t)
	if !slices.Contains(p.Collections(), coll) {
		t.Skipf("the provider does not serve %s (Collections() = %v)", coll, p.Collections())
	}
	return p
}

// uniqueName is a name no other run uses, safe as a key, firewall, volume
// or bucket name on every cloud (lower case letters, digits and dashes).
func uniqueName(kind string) string {
	var b [5]byte
	rand.Read(b[:])
	return "drivertest-" + kind + "-" + hex.EncodeToString(b[:])
}

// cleanupCtx is the context of a cleanup, which runs after the test's own
// context has ended.
func (s *suite) cleanupCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.h.WaitTimeout)
}

// poll calls f with growing pauses until it reports done, fails or
// WaitTimeout passes; what describes the wait for the error.
func (s *suite) poll(ctx context.Context, what string, f func(context.Context) (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, s.h.WaitTimeout)
	defer cancel()
	delay := 10 * time.Millisecond
	for {
		done, err := f(ctx)
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", what, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*2, 5*time.Second)
	}
}

// wantErr reports a call whose error is not of the wanted code.
func wantErr(t *testing.T, err error, want error, format string, args ...any) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s = %v, want %v", fmt.Sprintf(format, args...), err, want)
	}
}

// running creates an instance for the optional collections to use (attach
// a volume, associate an address, make an image), destroyed when the test
// ends, and waits until it settles.
func (s *suite) running(t *testing.T, p *deltacloud.Provider) deltacloud.Instance {
	t.Helper()
	in := s.create(t, p)
	got, _, err := s.settle(t.Context(), p, in.ID)
	if err != nil {
		t.Fatalf("settle %s: %v", in.ID, err)
	}
	return *got
}
