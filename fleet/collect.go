package fleet

import (
	"context"
	"errors"
	"sync"

	"github.com/deltacloud-go/deltacloud"
)

// Item is one result of a fleet call with the member it came from.
type Item[T any] struct {
	Provider string
	Value    T
}

// Collect calls fn for every member, at most Options.Parallelism at once,
// each under Options.Timeout, and returns the results in member order
// (sorted by name), each member's in the order fn returned them. Members
// that fail are left out of the results; their errors, each a
// *ProviderError, are joined into the error. A cancelled ctx ends every
// member's call.
func Collect[T any](ctx context.Context, f *Fleet, fn func(ctx context.Context, p *deltacloud.Provider) ([]T, error)) ([]Item[T], error) {
	return collect(ctx, f, func(ctx context.Context, _ string, p *deltacloud.Provider) ([]T, error) { return fn(ctx, p) })
}

// collect is Collect for calls that need the member's name (Reap asks the
// caller's inventory with it).
func collect[T any](ctx context.Context, f *Fleet, fn func(ctx context.Context, name string, p *deltacloud.Provider) ([]T, error)) ([]Item[T], error) {
	ms := f.snapshot()
	results := make([][]T, len(ms))
	errs := make([]error, len(ms))
	sem := make(chan struct{}, f.opts.Parallelism)
	var wg sync.WaitGroup
	for i, m := range ms {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			errs[i] = &ProviderError{Provider: m.name, Err: ctx.Err()}
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			cctx, cancel := ctx, context.CancelFunc(func() {})
			if f.opts.Timeout > 0 {
				cctx, cancel = context.WithTimeout(ctx, f.opts.Timeout)
			}
			defer cancel()
			vs, err := fn(cctx, m.name, m.p)
			if err != nil {
				errs[i] = &ProviderError{Provider: m.name, Err: err}
				return
			}
			results[i] = vs
		}()
	}
	wg.Wait()
	n := 0
	for _, vs := range results {
		n += len(vs)
	}
	out := make([]Item[T], 0, n)
	for i, vs := range results {
		for _, v := range vs {
			out = append(out, Item[T]{Provider: ms[i].name, Value: v})
		}
	}
	return out, errors.Join(errs...)
}

// Realms lists every member's realms.
func (f *Fleet) Realms(ctx context.Context) ([]Item[deltacloud.Realm], error) {
	return Collect(ctx, f, func(ctx context.Context, p *deltacloud.Provider) ([]deltacloud.Realm, error) {
		return p.Realms(ctx)
	})
}

// HardwareProfiles lists every member's hardware profiles that match filter.
func (f *Fleet) HardwareProfiles(ctx context.Context, filter deltacloud.HardwareProfileFilter) ([]Item[deltacloud.HardwareProfile], error) {
	return Collect(ctx, f, func(ctx context.Context, p *deltacloud.Provider) ([]deltacloud.HardwareProfile, error) {
		return p.HardwareProfiles(ctx, filter)
	})
}

// Images lists every member's images that match filter.
func (f *Fleet) Images(ctx context.Context, filter deltacloud.ImageFilter) ([]Item[deltacloud.Image], error) {
	return Collect(ctx, f, func(ctx context.Context, p *deltacloud.Provider) ([]deltacloud.Image, error) {
		return p.Images(ctx, filter)
	})
}

// Instances lists every member's instances that match filter.
func (f *Fleet) Instances(ctx context.Context, filter deltacloud.InstanceFilter) ([]Item[deltacloud.Instance], error) {
	return Collect(ctx, f, func(ctx context.Context, p *deltacloud.Provider) ([]deltacloud.Instance, error) {
		return p.Instances(ctx, filter)
	})
}
