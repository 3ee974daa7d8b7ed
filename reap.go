package deltacloud

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"
)

// OwnerTag is the portable tag key that marks the instances a program
// created, so that what a crash left behind can be found again (Reap). Its
// value is the caller's mark (a broker's name, a deployment id). It is not
// the Azure driver's own "deltacloud-owner" tag, which holds the driver's
// owner option on every resource it makes: the mark is the caller's, one
// per program, across drivers. It is a user tag like any other, so it does
// not start with "deltacloud-", the prefix the Azure driver keeps for its
// own tags (and refuses in, and hides from, InstanceSpec.Tags).
const OwnerTag = "deltacloud.mark"

// Marked returns a copy of the spec carrying mark under OwnerTag, leaving
// the caller's Tags map untouched, so that one spec can be marked for
// several providers or programs.
func (s InstanceSpec) Marked(mark string) InstanceSpec {
	tags := make(map[string]string, len(s.Tags)+1)
	maps.Copy(tags, s.Tags)
	tags[OwnerTag] = mark
	s.Tags = tags
	return s
}

// ReapOptions say which marked instances Reap treats as orphans.
type ReapOptions struct {
	// Mark is the OwnerTag value of the caller's instances; required, so
	// that a reap never reaches instances nobody marked.
	Mark string
	// Keep reports whether an instance is in the caller's inventory; kept
	// instances are never orphans. Nil keeps nothing.
	Keep func(id string) bool
	// MinAge protects creates in flight, which the inventory does not
	// know yet: an instance launched less than MinAge ago is not an
	// orphan. When MinAge is positive, an instance whose driver reports no
	// launch time is not an orphan either (its age cannot be proven), and
	// is reported as skipped; with MinAge 0 age is not looked at.
	MinAge time.Duration
	// Destroy tears the orphans down; false is a dry run that only
	// reports them.
	Destroy bool
	// Now is the clock MinAge is measured against; nil means time.Now.
	Now func() time.Time
}

// ReapOutcome says what Reap did with one marked instance.
type ReapOutcome string

// The outcomes of a marked instance.
const (
	// ReapOrphan: an orphan, found in a dry run.
	ReapOrphan ReapOutcome = "orphan"
	// ReapDestroyed: an orphan, torn down.
	ReapDestroyed ReapOutcome = "destroyed"
	// ReapFailed: an orphan whose teardown failed (see ReapItem.Err).
	ReapFailed ReapOutcome = "failed"
	// ReapKept: in the caller's inventory.
	ReapKept ReapOutcome = "kept"
	// ReapTooYoung: launched less than MinAge ago, or of unknown age.
	ReapTooYoung ReapOutcome = "too-young"
)

// ReapItem is one marked instance Reap looked at.
type ReapItem struct {
	ID      string
	Name    string
	State   State
	Outcome ReapOutcome
	// Err is the teardown's error for ReapFailed.
	Err error
}

// ReapReport lists every marked, unfinished instance Reap found, in the
// order the provider listed them, so a dry run shows exactly what a
// destroying run would do.
type ReapReport struct {
	Items []ReapItem
}

// Orphans returns the IDs of the items that are orphans (found, destroyed
// or failed).
func (r *ReapReport) Orphans() []string {
	var ids []string
	for _, it := range r.Items {
		switch it.Outcome {
		case ReapOrphan, ReapDestroyed, ReapFailed:
			ids = append(ids, it.ID)
		}
	}
	return ids
}

// Reap finds the instances carrying OwnerTag=opts.Mark that are not in the
// caller's inventory (opts.Keep) and not younger than opts.MinAge, the
// orphans a crash between create and recording left behind, and with
// opts.Destroy tears each down with Drive(ctx, id, StateFinish). Instances
// already in FINISH are left out. One failed teardown does not stop the
// others: the report says what happened to each and the error joins the
// failures. Reap fails with ErrInvalidArgument without a mark, with
// ErrNotSupported for a driver that does not tag instances (it could not
// have marked them), and with the listing's error.
func (p *Provider) Reap(ctx context.Context, opts ReapOptions) (*ReapReport, error) {
	const op = "Reap"
	if opts.Mark == "" {
		return nil, p.label(&Error{Code: InvalidArgument, Op: op, Message: "a reap needs the mark of the caller's instances"})
	}
	if t, ok := p.conn.(InstanceTagger); !ok || !t.TagsInstances() {
		return nil, p.label(&Error{Code: NotSupported, Op: op, Message: fmt.Sprintf("driver %s does not write instance tags", p.driver)})
	}
	ins, err := p.Instances(ctx, InstanceFilter{TagKey: OwnerTag, TagValue: opts.Mark})
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	t := now()
	rep := &ReapReport{}
	var errs []error
	for _, in := range ins {
		if in.State == StateFinish {
			continue
		}
		it := ReapItem{ID: in.ID, Name: in.Name, State: in.State, Outcome: ReapOrphan}
		switch {
		case opts.Keep != nil && opts.Keep(in.ID):
			it.Outcome = ReapKept
		case opts.MinAge > 0 && (in.LaunchTime.IsZero() || t.Sub(in.LaunchTime) < opts.MinAge):
			it.Outcome = ReapTooYoung
		case opts.Destroy:
			if _, err := p.Drive(ctx, in.ID, StateFinish); err != nil {
				it.Outcome, it.Err = ReapFailed, err
				errs = append(errs, err)
			} else {
				it.Outcome = ReapDestroyed
			}
		}
		rep.Items = append(rep.Items, it)
	}
	return rep, errors.Join(errs...)
}
