package fleet

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// ReapOptions are deltacloud.ReapOptions for a fleet: the caller's
// inventory is asked with the member's name, since instance ids are only
// unique within one provider.
type ReapOptions struct {
	// Mark is the OwnerTag value of the caller's instances; required.
	Mark string
	// Keep reports whether the instance id of the named member is in the
	// caller's inventory; nil keeps nothing.
	Keep func(provider, id string) bool
	// MinAge, Destroy and Now are as in deltacloud.ReapOptions.
	MinAge  time.Duration
	Destroy bool
	Now     func() time.Time
}

// Reap runs Provider.Reap on every member concurrently (Options.Parallelism
// at once, each under Options.Timeout, which then bounds its teardowns
// too) and returns what each found, tagged with the member, so a broker
// restarting after a crash cleans every cloud with one call. A member
// whose listing fails, or that cannot tag instances, is left out and its
// error reported as a *ProviderError; a member whose teardowns partly fail
// still reports all its items (the failed ones with ReapFailed) and each
// failure is joined into the error as a *ProviderError of that member.
func (f *Fleet) Reap(ctx context.Context, opts ReapOptions) ([]Item[deltacloud.ReapItem], error) {
	var mu sync.Mutex
	var partial []error
	items, err := collect(ctx, f, func(ctx context.Context, name string, p *deltacloud.Provider) ([]deltacloud.ReapItem, error) {
		o := deltacloud.ReapOptions{Mark: opts.Mark, MinAge: opts.MinAge, Destroy: opts.Destroy, Now: opts.Now}
		if opts.Keep != nil {
			o.Keep = func(id string) bool { return opts.Keep(name, id) }
		}
		rep, err := p.Reap(ctx, o)
		if rep == nil {
			return nil, err
		}
		if err != nil {
			mu.Lock()
			partial = append(partial, &ProviderError{Provider: name, Err: err})
			mu.Unlock()
		}
		return rep.Items, nil
	})
	return items, errors.Join(append([]error{err}, partial...)...)
}
