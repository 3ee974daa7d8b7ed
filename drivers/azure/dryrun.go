package azure

import (
	"context"
	"strconv"

	"github.com/deltacloud-go/deltacloud"
)

// DryRun checks a create as CreateInstances would, with the cloud where
// the create would ask it (the image, the SSH key resource, the subnet, a
// VM already made with the spec's client token) and creates nothing, not
// even the shared default network, which a plan then shows as to be made.
// Azure has no dry run of its own, so the plan is not Verified: quotas and
// the size's availability in the zone are found only by a create.
func (c *conn) DryRun(ctx context.Context, spec deltacloud.InstanceSpec) (*deltacloud.DriverPlan, error) {
	if spec.Count > 1 {
		return nil, invalid("count %d: the azure driver creates one instance at a time", spec.Count)
	}
	p, err := c.plan(ctx, spec, true)
	if err != nil {
		return nil, err
	}
	plan := &deltacloud.DriverPlan{Request: map[string]string{
		"location": c.scope.Location, "resourceGroup": c.scope.ResourceGroup,
		"vmName": p.names.vm, "vmSize": p.size, "adminUsername": p.admin,
		"publicIP": strconv.FormatBool(p.publicIP), "subnetId": p.subnetID,
	}}
	r := plan.Request
	if p.subnetID == "" {
		r["subnetId"] = "(created on first use: " + DefaultVNet + "/" + DefaultSubnet + ")"
	}
	if p.zone != "" {
		r["zone"] = p.zone
	}
	if img := p.image; img != nil && img.ID != nil {
		r["image"] = *img.ID
	} else if img != nil {
		r["image"] = str(img.Publisher) + ":" + str(img.Offer) + ":" + str(img.SKU) + ":" + str(img.Version)
	}
	if p.password != "" {
		r["adminPassword"] = "(hidden)"
	}
	if len(p.userData) > 0 {
		r["customData"] = "(hidden)"
	}
	if p.keyName != "" {
		r["sshKey"] = p.keyName
		if p.keyName == p.publicKey {
			r["sshKey"] = "(inline key)"
		}
	}
	if p.name != "" {
		r[TagName] = p.name
	}
	if spec.ClientToken != "" {
		in, err := c.existingVM(ctx, p)
		if err != nil {
			return nil, err
		}
		if in != nil {
			plan.Existing = []string{in.ID}
		}
	}
	return plan, nil
}

// findDefaultSubnet returns the id of the shared default subnet, or ""
// when it does not exist yet; unlike defaultSubnet it creates nothing.
func (c *conn) findDefaultSubnet(ctx context.Context) (string, error) {
	c.subnetMu.Lock()
	known := c.subnetID
	c.subnetMu.Unlock()
	if known != "" {
		return known, nil
	}
	sn, err := c.subnets.Get(ctx, c.scope.ResourceGroup, DefaultVNet, DefaultSubnet, nil)
	switch {
	case isNotFound(err):
		return "", nil
	case err != nil:
		return "", wrap(err)
	}
	return str(sn.ID), nil
}
