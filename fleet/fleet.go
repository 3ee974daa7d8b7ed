// Package fleet works with several providers at once, as a broker
// application does: it lists realms, hardware profiles, images and instances
// across every provider concurrently, and watches them all in one stream.
//
// Each provider keeps its name in the fleet; every result and every error
// says which provider it came from. A provider that fails or runs past its
// deadline does not fail the whole call: its error is reported with its name
// and the others' results are returned.
package fleet

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// DefaultParallelism is how many providers a call reaches at once when
// Options.Parallelism is not set.
const DefaultParallelism = 16

// Options configure a Fleet.
type Options struct {
	// Parallelism bounds how many providers one call reaches at once;
	// DefaultParallelism when zero or negative.
	Parallelism int
	// Timeout bounds each provider's part of a call, so one slow cloud
	// cannot hold the others' results back; zero means only the caller's
	// context bounds it.
	Timeout time.Duration
}

// Fleet is a set of named providers. It is safe for concurrent use.
type Fleet struct {
	opts Options

	mu      sync.RWMutex
	members map[string]*deltacloud.Provider
	closed  bool
}

// New returns an empty fleet.
func New(opts Options) *Fleet {
	if opts.Parallelism <= 0 {
		opts.Parallelism = DefaultParallelism
	}
	return &Fleet{opts: opts, members: map[string]*deltacloud.Provider{}}
}

// Add puts an opened provider into the fleet under name; the fleet closes it
// on Close. The name must be new and not empty.
func (f *Fleet) Add(name string, p *deltacloud.Provider) error {
	if name == "" || p == nil {
		return deltacloud.Errorf(deltacloud.InvalidArgument, "fleet: a member needs a name and a provider")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return deltacloud.Errorf(deltacloud.InvalidState, "fleet: closed")
	}
	if _, dup := f.members[name]; dup {
		return deltacloud.Errorf(deltacloud.Conflict, "fleet: %q is already a member", name)
	}
	f.members[name] = p
	return nil
}

// Open opens a provider with deltacloud.Open and adds it under name. On
// failure nothing is added, and the error names the member.
func (f *Fleet) Open(ctx context.Context, name, driver string, cfg deltacloud.Config) error {
	p, err := deltacloud.Open(ctx, driver, cfg)
	if err != nil {
		return &ProviderError{Provider: name, Err: err}
	}
	if err := f.Add(name, p); err != nil {
		p.Close()
		return err
	}
	return nil
}

// Names returns the members' names, sorted.
func (f *Fleet) Names() []string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	names := make([]string, 0, len(f.members))
	for n := range f.members {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Provider returns the member named name.
func (f *Fleet) Provider(name string) (*deltacloud.Provider, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	p, ok := f.members[name]
	return p, ok
}

// Close closes every member and empties the fleet; the errors of members
// that failed to close are joined, each with its member's name.
func (f *Fleet) Close() error {
	f.mu.Lock()
	members := f.members
	f.members, f.closed = map[string]*deltacloud.Provider{}, true
	f.mu.Unlock()
	var errs []error
	for _, name := range sortedNames(members) {
		if err := members[name].Close(); err != nil {
			errs = append(errs, &ProviderError{Provider: name, Err: err})
		}
	}
	return errors.Join(errs...)
}

// snapshot returns the members, sorted by name.
func (f *Fleet) snapshot() []member {
	f.mu.RLock()
	defer f.mu.RUnlock()
	out := make([]member, 0, len(f.members))
	for _, name := range sortedNames(f.members) {
		out = append(out, member{name, f.members[name]})
	}
	return out
}

type member struct {
	name string
	p    *deltacloud.Provider
}

func sortedNames(m map[string]*deltacloud.Provider) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ProviderError is one member's failure. errors.Is and errors.As see
// through it to the provider's error (deltacloud.ErrUnavailable,
// context.DeadlineExceeded, …).
type ProviderError struct {
	Provider string
	Err      error
}

func (e *ProviderError) Error() string { return fmt.Sprintf("fleet: %s: %v", e.Provider, e.Err) }

// Unwrap returns the provider's error.
func (e *ProviderError) Unwrap() error { return e.Err }

// Failed lists the members a call's error reports as failed, sorted.
func Failed(err error) []string {
	var names []string
	var visit func(error)
	visit = func(err error) {
		if pe, ok := err.(*ProviderError); ok {
			names = append(names, pe.Provider)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				visit(e)
			}
		}
	}
	visit(err)
	slices.SortFunc(names, cmp.Compare)
	return slices.Compact(names)
}
