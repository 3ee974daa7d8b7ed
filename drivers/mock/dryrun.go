package mock

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/deltacloud-go/deltacloud"
)

// OpDryRun is Provider.DryRun's operation, for fault injection.
const OpDryRun Op = "DryRun"

// DryRun checks a create as the mock's create would (options, realm,
// image, a reused client token) and answers the create parameters it would
// store, under the REST API's names. It creates nothing.
func (c *conn) DryRun(ctx context.Context, spec deltacloud.InstanceSpec) (*deltacloud.DriverPlan, error) {
	if err := c.begin(ctx, OpDryRun); err != nil {
		return nil, err
	}
	spec.Count = cmp.Or(spec.Count, 1)
	return c.cloud.dryRun(c.creds.User, spec)
}

func (c *Cloud) dryRun(owner string, spec deltacloud.InstanceSpec) (*deltacloud.DriverPlan, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	plan := &deltacloud.DriverPlan{Verified: true}
	ins, replayed, err := c.replay(owner, spec)
	if err != nil {
		return nil, err
	}
	for _, in := range ins {
		plan.Existing = append(plan.Existing, in.ID)
	}
	cp, err := c.checkCreate(spec)
	if err != nil && !replayed {
		return nil, err
	}
	req := map[string]string{
		"image_id": spec.ImageID, "realm_id": cp.realm, "hwp_id": cp.profile,
		"initial_state": string(cp.state), "instance_count": strconv.Itoa(spec.Count),
	}
	for _, k := range slices.Sorted(maps.Keys(spec.Properties)) {
		req["hwp_"+k] = spec.Properties[k]
	}
	if spec.Name != "" || spec.NameSet {
		req["name"] = spec.Name
	}
	if spec.KeyName != "" {
		req["keyname"] = spec.KeyName
	}
	if spec.UserData != nil {
		req["user_data"] = "(hidden)"
	}
	if spec.Metrics {
		req["metrics"] = "true"
	}
	if spec.ClientToken != "" {
		req["client_token"] = spec.ClientToken
	}
	plan.Request = req
	return plan, nil
}
