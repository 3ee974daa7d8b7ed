package deltacloud

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// DryRunConn is implemented by drivers that can check a create with the
// cloud, or at least with everything the driver knows, without creating
// anything: EC2's DryRun flag, a lookup of the names a create would use.
// It receives a spec the Provider has checked as for CreateInstances, and
// answers the error the create would fail with, or what it would send.
type DryRunConn interface {
	DryRun(ctx context.Context, spec InstanceSpec) (*DriverPlan, error)
}

// DriverPlan is a driver's part of a dry run: the request it would send.
type DriverPlan struct {
	// Request is what the driver would send to the cloud, by the cloud's own
	// parameter names ("InstanceType" → "m5.large"). Secrets (passwords,
	// user data) appear as "(hidden)": a plan may be logged or shown.
	Request map[string]string
	// Verified says the cloud itself accepted the request without acting
	// on it (EC2 answered DryRunOperation), not only the driver's checks.
	Verified bool
	// Existing are the instances an earlier create with the spec's client
	// token made, where the driver knows them: the create would answer
	// these and launch nothing.
	Existing []string
}

// CreatePlan is what a create would do, from Provider.DryRun: the checked
// spec and everything it resolves to. Nothing was created to make it.
type CreatePlan struct {
	// Spec is the spec as CreateInstances would hand it to the driver:
	// Count defaulted, property overrides in canonical form. Passing it to
	// CreateInstances makes what the plan describes.
	Spec InstanceSpec
	// Image is the image the instances would run; nil when the provider
	// does not show that image and the driver's dry run accepted it (EC2
	// launches public images it does not list).
	Image *Image
	// Profile is the hardware profile; nil when the spec names none and the
	// driver chooses.
	Profile *HardwareProfile
	// Properties are the value of every property of Profile the instances
	// would get: the overrides over the profile's defaults.
	Properties map[string]string
	// Realm is the realm; nil when the spec names none and the driver
	// chooses.
	Realm *Realm
	// Name is the name asked for ("" when the driver names the instances).
	Name string
	// Driver is the driver's own plan; nil for drivers without a dry run
	// (DryRunConn), whose creates the Provider's checks are all there is to.
	Driver *DriverPlan
}

// DryRun checks spec against the provider as CreateInstances would and then
// some, without creating anything, and returns what the create would send:
// the features its fields need are advertised, the token is valid and
// honoured, the hardware profile exists and allows the property values,
// the realm exists and is available, the image exists (where the provider
// shows it), is not in a state that cannot launch (pending, failed, …) and
// runs on the profile (HardwareProfile.RunsImage), and the driver's own
// dry run, where it has one (DryRunConn), accepts it. A broker calls it to
// validate a placement before committing to it, or to show what would be
// made. The errors are those the create would answer: ErrInvalidArgument
// for a bad value or a missing image, profile or realm, ErrInvalidState
// for an unavailable realm or image, ErrNotSupported for an unadvertised
// feature.
func (p *Provider) DryRun(ctx context.Context, spec InstanceSpec) (*CreatePlan, error) {
	const op = "DryRun"
	spec, err := p.checkSpec(ctx, op, spec)
	if err != nil {
		return nil, err
	}
	plan := &CreatePlan{Spec: spec, Name: spec.Name}
	if spec.RealmID != "" {
		r, err := p.Realm(ctx, spec.RealmID)
		if errors.Is(err, ErrNotFound) {
			return nil, argErr(op, "realm %q does not exist", spec.RealmID)
		}
		if err != nil {
			return nil, relabel(err, op)
		}
		if r.State == RealmUnavailable {
			return nil, &Error{Code: InvalidState, Op: op, ID: r.ID, State: State(r.State),
				Message: fmt.Sprintf("realm %s is unavailable", r.ID)}
		}
		plan.Realm = r
	}
	dr, hasDryRun := p.conn.(DryRunConn)
	img, err := p.Image(ctx, spec.ImageID)
	switch {
	case errors.Is(err, ErrNotFound) && hasDryRun:
		// The driver's dry run decides, as its create would.
	case errors.Is(err, ErrNotFound):
		return nil, argErr(op, "image %q does not exist", spec.ImageID)
	case err != nil:
		return nil, relabel(err, op)
	default:
		if unlaunchable[img.State] {
			return nil, &Error{Code: InvalidState, Op: op, ID: img.ID, State: State(img.State),
				Message: fmt.Sprintf("image %s is %s; instances launch only from an available image", img.ID, img.State)}
		}
		plan.Image = img
	}
	if spec.ProfileID != "" {
		h, err := p.HardwareProfile(ctx, spec.ProfileID)
		if err != nil {
			return nil, relabel(err, op)
		}
		props, err := h.Resolve(spec.Properties)
		if err != nil {
			return nil, relabel(err, op)
		}
		plan.Profile, plan.Properties = h, props
	}
	if hasDryRun {
		err := p.call(ctx, op, "", func() (err error) {
			plan.Driver, err = dr.DryRun(ctx, spec)
			return err
		})
		if err != nil {
			return nil, err
		}
		if plan.Driver != nil {
			plan.Driver.Request = maps.Clone(plan.Driver.Request)
			plan.Driver.Existing = slices.Clone(plan.Driver.Existing)
		}
	}
	return plan, nil
}

// unlaunchable are the image states (as drivers report them, upper case)
// in which no cloud launches an image: still being made, failed, or going
// away. Other states, including ones a cloud adds (Azure's
// SCHEDULEDFORDEPRECATION), are left to the cloud.
var unlaunchable = map[string]bool{
	"PENDING": true, "CREATING": true, "UPDATING": true, "TRANSIENT": true,
	"FAILED": true, "ERROR": true, "INVALID": true, "CANCELED": true,
	"DEREGISTERED": true, "DEPRECATED": true, "DISABLED": true, "DELETING": true,
}

// relabel names op in an *Error from a nested call, so a dry run's errors
// all say DryRun.
func relabel(err error, op string) error {
	var e *Error
	if errors.As(err, &e) {
		out := *e
		out.Op = op
		return &out
	}
	return err
}
