package azure

import (
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"

	"github.com/deltacloud-go/deltacloud"
)

// Instance tags: InstanceSpec.Tags are written as Azure tags on the VM and
// on the resources made for it (OS disk's VM, NIC, public IP), next to the
// driver's own deltacloud-* tags, which a user's tag may not name. Azure
// holds at most maxAzureTags tags per resource, so a spec may carry that
// many less the driver's own. Instance.Tags shows the user's tags only.
const (
	ownTagPrefix = "deltacloud-"
	maxAzureTags = 50
	// ownTags is the most tags the driver puts on an instance's resource
	// (owner, name, keyname, and the spec digest of a create with a client
	// token).
	ownTags = 4
)

// TagsInstances: InstanceSpec.Tags become the VM's Azure tags.
func (c *conn) TagsInstances() bool { return true }

// checkUserTags refuses tags the driver could not write next to its own.
func checkUserTags(tags map[string]string) error {
	if len(tags) > maxAzureTags-ownTags {
		return invalid("%d tags; Azure holds %d per resource and the driver uses %d, so at most %d",
			len(tags), maxAzureTags, ownTags, maxAzureTags-ownTags)
	}
	for k := range tags {
		if strings.HasPrefix(strings.ToLower(k), ownTagPrefix) {
			return invalid("tag %q: keys starting with %q are the driver's", k, ownTagPrefix)
		}
	}
	return nil
}

// withUserTags adds a user's tags to the driver's.
func withUserTags(own map[string]*string, user map[string]string) map[string]*string {
	for k, v := range user {
		own[k] = to.Ptr(v)
	}
	return own
}

// userTags are a resource's tags without the driver's own; nil when none.
func userTags(tags map[string]*string) map[string]string {
	var out map[string]string
	for k, v := range tags {
		if strings.HasPrefix(strings.ToLower(k), ownTagPrefix) || v == nil {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = *v
	}
	return out
}

var _ deltacloud.InstanceTagger = (*conn)(nil)
