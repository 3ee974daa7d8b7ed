package openstack

import "github.com/deltacloud-go/deltacloud"

// Collections lists what the provider serves (deltacloud.CollectionLister):
// everything the driver implements; storage volumes and snapshots unless
// the cinder option is "off" and buckets unless the swift option is "off"
// (a cloud without Cinder or Swift, whose absence the driver learns only
// from the catalog, after Open); metrics only with the telemetry option
// "gnocchi".
func (c *conn) Collections() []deltacloud.Collection {
	cs := []deltacloud.Collection{
		deltacloud.CollectionHardwareProfiles, deltacloud.CollectionImages, deltacloud.CollectionInstanceStates,
		deltacloud.CollectionInstances, deltacloud.CollectionRealms,
		deltacloud.CollectionKeys, deltacloud.CollectionFirewalls, deltacloud.CollectionAddresses,
	}
	if !c.opts.noCinder {
		cs = append(cs, deltacloud.CollectionStorageVolumes, deltacloud.CollectionStorageSnapshots)
	}
	if !c.opts.noSwift {
		cs = append(cs, deltacloud.CollectionBuckets)
	}
	if c.opts.gnocchi {
		cs = append(cs, deltacloud.CollectionMetrics)
	}
	return cs
}
