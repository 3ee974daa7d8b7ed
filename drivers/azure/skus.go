package azure

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"

	"github.com/deltacloud-go/deltacloud"
)

// vmSKUs lists the VM sizes offered in the location, with what restricts
// them there.
func (c *conn) vmSKUs(ctx context.Context) ([]*armcompute.ResourceSKU, error) {
	var out []*armcompute.ResourceSKU
	pg := c.skus.NewListPager(&armcompute.ResourceSKUsClientListOptions{
		Filter: to.Ptr("location eq '" + c.scope.Location + "'"),
	})
	for pg.More() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, wrap(err)
		}
		for _, s := range page.Value {
			if s != nil && strings.EqualFold(str(s.ResourceType), "virtualMachines") && s.Name != nil && c.offered(s) {
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// offered reports whether a SKU is listed for the location and not
// restricted there as a whole.
func (c *conn) offered(s *armcompute.ResourceSKU) bool {
	in := slices.ContainsFunc(s.Locations, func(l *string) bool { return strings.EqualFold(str(l), c.scope.Location) })
	if !in {
		return false
	}
	for _, r := range s.Restrictions {
		if r != nil && r.Type != nil && *r.Type == armcompute.ResourceSKURestrictionsTypeLocation {
			return false
		}
	}
	return true
}

// zonesOf lists the zones a SKU is offered in within the location, less
// those restricted for the subscription.
func (c *conn) zonesOf(s *armcompute.ResourceSKU) []string {
	var zones []string
	for _, li := range s.LocationInfo {
		if li == nil || !strings.EqualFold(str(li.Location), c.scope.Location) {
			continue
		}
		for _, z := range li.Zones {
			if z != nil && !slices.Contains(zones, *z) {
				zones = append(zones, *z)
			}
		}
	}
	for _, r := range s.Restrictions {
		if r == nil || r.Type == nil || *r.Type != armcompute.ResourceSKURestrictionsTypeZone || r.RestrictionInfo == nil {
			continue
		}
		zones = slices.DeleteFunc(zones, func(z string) bool {
			return slices.ContainsFunc(r.RestrictionInfo.Zones, func(x *string) bool { return str(x) == z })
		})
	}
	return zones
}

// Realms lists the location's availability zones, as "location-zone", and
// the location itself, for VMs placed without a zone (the only realm in a
// location without zones).
func (c *conn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	skus, err := c.vmSKUs(ctx)
	if err != nil {
		return nil, err
	}
	var zones []string
	for _, s := range skus {
		for _, z := range c.zonesOf(s) {
			if !slices.Contains(zones, z) {
				zones = append(zones, z)
			}
		}
	}
	slices.Sort(zones)
	rs := make([]deltacloud.Realm, 0, len(zones)+1)
	for _, z := range zones {
		id := c.scope.Location + "-" + z
		rs = append(rs, deltacloud.Realm{ID: id, Name: c.scope.Location + " zone " + z, State: deltacloud.RealmAvailable})
	}
	rs = append(rs, deltacloud.Realm{ID: c.scope.Location, Name: c.scope.Location, State: deltacloud.RealmAvailable})
	return rs, nil
}

// realmOf names the realm of a VM in the given zones.
func (c *conn) realmOf(zones []*string) string {
	if len(zones) > 0 && zones[0] != nil && *zones[0] != "" {
		return c.scope.Location + "-" + *zones[0]
	}
	return c.scope.Location
}

// zoneOfRealm reads a realm id: the location (no zone) or location-zone.
func (c *conn) zoneOfRealm(realm string) (zone string, err error) {
	if realm == "" || realm == c.scope.Location {
		return "", nil
	}
	z, ok := strings.CutPrefix(realm, c.scope.Location+"-")
	if ok && z != "" && len(z) <= 3 && strings.Trim(z, "0123456789") == "" {
		return z, nil
	}
	return "", deltacloud.Errorf(deltacloud.NotFound, "azure: realm %q is not %s or one of its zones (%s-1, …)", realm, c.scope.Location, c.scope.Location)
}

// HardwareProfiles lists the VM sizes offered in the location, each a
// profile of fixed properties: cpu (vCPUs), memory (MiB, deltacloud.UnitMB:
// the SKU's MemoryGB, which are GiB, times 1024), storage (the temporary
// disk when there is one: MaxResourceVolumeMB, which are MiB, in GiB, as
// deltacloud.UnitGB says Azure's gigabytes are) and architecture.
func (c *conn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	skus, err := c.vmSKUs(ctx)
	if err != nil {
		return nil, err
	}
	hs := make([]deltacloud.HardwareProfile, 0, len(skus))
	seen := map[string]bool{}
	for _, s := range skus {
		h := profileOf(s)
		if !seen[h.ID] {
			seen[h.ID] = true
			hs = append(hs, h)
		}
	}
	deltacloud.SortHardwareProfiles(hs)
	return hs, nil
}

// profileOf maps a VM size's capabilities.
func profileOf(s *armcompute.ResourceSKU) deltacloud.HardwareProfile {
	id := str(s.Name)
	h := deltacloud.HardwareProfile{ID: id, Name: id}
	caps := map[string]string{}
	for _, c := range s.Capabilities {
		if c != nil && c.Name != nil && c.Value != nil {
			caps[*c.Name] = *c.Value
		}
	}
	if v, ok := caps["vCPUs"]; ok && isCount(v) {
		h.Properties = append(h.Properties, deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, v))
	}
	if v, ok := convert(caps["MemoryGB"], deltacloud.GiB, deltacloud.MiB); ok {
		h.Properties = append(h.Properties, deltacloud.FixedProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, v))
	}
	if v, ok := convert(caps["MaxResourceVolumeMB"], deltacloud.MiB, deltacloud.GiB); ok {
		h.Properties = append(h.Properties, deltacloud.FixedProperty(deltacloud.PropertyStorage, deltacloud.UnitGB, v))
	}
	switch strings.ToLower(caps["CpuArchitectureType"]) {
	case "x64", "":
		h.Properties = append(h.Properties, deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, "x86_64"))
	case "arm64":
		h.Properties = append(h.Properties, deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, "arm64"))
	}
	return h
}

func isCount(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n > 0
}

// convert converts a positive size Azure states ("0.5" GiB, "7168" MiB)
// exactly (deltacloud.ConvertSize): nothing is rounded or truncated, so a
// temporary disk of 1000 MiB is 0.9765625 GiB, not 0. Empty, overlong,
// malformed and non-positive figures are left out (false).
func convert(v string, from, to deltacloud.SizeUnit) (string, bool) {
	if v == "" || len(v) > 32 {
		return "", false
	}
	out, err := deltacloud.ConvertSize(v, from, to)
	if err != nil || strings.Trim(out, "0.") == "" || strings.HasPrefix(out, "-") {
		return "", false
	}
	return out, true
}
