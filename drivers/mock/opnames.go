package mock

import "github.com/deltacloud-go/deltacloud"

// actionOps names each action's operation, as Error.Op does.
var actionOps = map[deltacloud.Action]Op{
	deltacloud.ActionStart:   OpStart,
	deltacloud.ActionStop:    OpStop,
	deltacloud.ActionReboot:  OpReboot,
	deltacloud.ActionDestroy: OpDestroy,
}

// legacyOps maps the names operations had before they took the
// Provider's (snake case, "create_instances", "act"), and Provider method
// names that share an operation, to the operation.
//
// Deprecated names: FailNext, SetLatency and Hits still accept the snake
// case names so older tests keep working; new code uses the Op constants.
var legacyOps = func() map[Op]Op {
	m := map[Op]Op{"act": OpAct, "CreateInstance": OpCreateInstances}
	for _, op := range []Op{
		OpRealms, OpHardwareProfiles, OpImages, OpImage, OpInstances, OpInstance, OpCreateInstances,
		OpCreateImage, OpDestroyImage, OpKeys, OpCreateKey, OpDestroyKey,
		OpFirewalls, OpCreateFirewall, OpDestroyFirewall, OpAddFirewallRule, OpDeleteFirewallRule,
		OpAddresses, OpCreateAddress, OpDestroyAddress, OpAssociateAddress, OpDisassociateAddress,
		OpStorageVolumes, OpCreateStorageVolume, OpDestroyStorageVolume, OpAttachStorageVolume, OpDetachStorageVolume,
		OpStorageSnapshots, OpCreateStorageSnapshot, OpDestroyStorageSnapshot,
		OpBuckets, OpBucket, OpCreateBucket, OpDestroyBucket, OpBlob, OpBlobContent, OpPutBlob, OpDestroyBlob, OpSetBlobMetadata,
		OpMetrics, OpMetric, OpDryRun,
	} {
		m[snakeCase(op)] = op
	}
	return m
}()

// canonical is op under its current name.
func (op Op) canonical() Op {
	if o, ok := legacyOps[op]; ok {
		return o
	}
	return op
}

// snakeCase spells a Provider method name the old way:
// CreateStorageVolume → create_storage_volume.
func snakeCase(op Op) Op {
	var b []byte
	for i, r := range []byte(op) {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b = append(b, '_')
			}
			r += 'a' - 'A'
		}
		b = append(b, r)
	}
	return Op(b)
}
