package deltacloud

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// CreateInstance launches one instance. spec.Count must be 0 or 1.
func (p *Provider) CreateInstance(ctx context.Context, spec InstanceSpec) (*Instance, error) {
	if spec.Count > 1 {
		return nil, argErr("CreateInstance", "count is %d; use CreateInstances for more than one", spec.Count)
	}
	ins, err := p.createInstances(ctx, "CreateInstance", spec)
	if err != nil {
		return nil, err
	}
	return &ins[0], nil
}

// CreateInstances launches spec.Count instances (at least one). Before the
// driver is called, the spec is checked: every field needs its feature, the
// hardware profile must exist, the property overrides must be values it
// allows, and it must be able to run the image (HardwareProfile.RunsImage:
// an x86_64 image does not launch on an i386 profile). The driver therefore never sees a parameter it would drop.
func (p *Provider) CreateInstances(ctx context.Context, spec InstanceSpec) ([]Instance, error) {
	return p.createInstances(ctx, "CreateInstances", spec)
}

func (p *Provider) createInstances(ctx context.Context, op string, spec InstanceSpec) ([]Instance, error) {
	spec, err := p.checkSpec(ctx, op, spec)
	if err != nil {
		return nil, err
	}
	var ins []Instance
	err = p.call(ctx, op, "", func() (err error) {
		ins, err = p.conn.CreateInstances(ctx, spec)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(ins) == 0 {
		return nil, &Error{Code: Backend, Op: op, Message: "the driver created no instance"}
	}
	for i := range ins {
		p.complete(&ins[i])
	}
	return ins, nil
}

// checkSpec validates a spec and returns it normalised (count defaulted,
// overrides canonical).
func (p *Provider) checkSpec(ctx context.Context, op string, spec InstanceSpec) (InstanceSpec, error) {
	if strings.TrimSpace(spec.ImageID) == "" {
		return spec, argErr(op, "image id is required")
	}
	switch {
	case spec.Count < 0:
		return spec, argErr(op, "count is %d; it must be at least 1", spec.Count)
	case spec.Count == 0:
		spec.Count = 1
	}
	if spec.ClientToken != "" {
		if err := checkClientToken(op, spec.ClientToken); err != nil {
			return spec, err
		}
		if !p.SupportsClientToken() {
			return spec, &Error{Code: NotSupported, Op: op, Message: fmt.Sprintf(
				"driver %s does not honour client tokens; a retried create could launch twice", p.driver)}
		}
	}
	needs := []struct {
		set     bool
		param   string
		feature FeatureName
	}{
		{spec.Name != "", "name", FeatureUserName},
		{spec.KeyName != "", "keyname", FeatureAuthenticationKey},
		{spec.Password != "", "password", FeatureAuthenticationPassword},
		{spec.UserData != nil, "user_data", FeatureUserData},
		{len(spec.Firewalls) > 0, "firewalls", FeatureFirewalls},
		{spec.Count > 1, "instance_count", FeatureInstanceCount},
		{spec.Metrics, "metrics", FeatureMetrics},
		{spec.Snapshot != nil, "snapshot_id", FeatureAttachSnapshot},
	}
	for _, n := range needs {
		if n.set && !p.features.Has(n.feature) {
			return spec, p.unsupported(op, n.param, n.feature)
		}
	}
	if f, ok := p.features.Lookup(FeatureUserName); ok && spec.Name != "" {
		if err := checkMaxLength(op, "name", spec.Name, f.Constraints["max_length"]); err != nil {
			return spec, err
		}
	}
	if s := spec.Snapshot; s != nil && (s.SnapshotID == "" || s.Device == "") {
		return spec, argErr(op, "attaching a snapshot needs both snapshot_id and device_name")
	}
	if spec.ProfileID == "" {
		if len(spec.Properties) > 0 {
			return spec, argErr(op, "hardware property overrides need a hardware profile id")
		}
		return spec, nil
	}
	h, err := p.HardwareProfile(ctx, spec.ProfileID)
	if errors.Is(err, ErrNotFound) {
		return spec, argErr(op, "hardware profile %q does not exist", spec.ProfileID)
	}
	if err != nil {
		return spec, err
	}
	props, err := h.CheckOverrides(spec.Properties)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Op = op
		}
		return spec, err
	}
	spec.Properties = props
	if err := p.checkImageRuns(ctx, op, spec, *h); err != nil {
		return spec, err
	}
	return spec, nil
}

// checkImageRuns refuses an image the chosen profile cannot run (see
// HardwareProfile.RunsImage): an x86_64 image on an i386 profile would
// otherwise reach the cloud, which fails it late or, worse, launches
// something else than asked.
func (p *Provider) checkImageRuns(ctx context.Context, op string, spec InstanceSpec, h HardwareProfile) error {
	img, err := p.Image(ctx, spec.ImageID)
	if errors.Is(err, ErrNotFound) {
		// Some clouds launch images they do not show (and a Deltacloud
		// server need not serve one image alone): the driver decides, and
		// reports an image that does not exist as it always has.
		return nil
	}
	if err != nil {
		return err
	}
	if err := h.RunsImage(*img, spec.Properties); err != nil {
		if e, ok := err.(*Error); ok {
			e.Op = op
		}
		return err
	}
	return nil
}

// checkMaxLength enforces a feature's max_length constraint, if it has one.
func checkMaxLength(op, param, value, limit string) error {
	if limit == "" {
		return nil
	}
	var n int
	if _, err := fmt.Sscan(limit, &n); err != nil || n <= 0 {
		return nil
	}
	if l := len([]rune(value)); l > n {
		return argErr(op, "%s is %d characters long; the provider allows at most %d", param, l, n)
	}
	return nil
}
