package api

import (
	"net/http"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// optionalRoutes are the operations of the optional collections. Each exists where the provider's Collections list its
// collection; elsewhere it answers 412 with its capability as Expect.
// Load balancers are routed (so docs and 412 answers name them) but have
// no handlers: no driver offers them.
func optionalRoutes() []*operation {
	keys, fws, addrs := deltacloud.CollectionKeys, deltacloud.CollectionFirewalls, deltacloud.CollectionAddresses
	vols, snaps, buckets := deltacloud.CollectionStorageVolumes, deltacloud.CollectionStorageSnapshots, deltacloud.CollectionBuckets
	lbs, metrics := deltacloud.CollectionLoadBalancers, deltacloud.CollectionMetrics
	const get, post, put, del, head = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodHead
	html := []format{formatHTML}
	blobID := param{Name: "blob_id", Type: "string", Required: true, Description: "The id of the blob"}
	ops := []*operation{
		{Collection: keys, Name: "index", Replies: []reply{withJSON[wire.KeysJSON](200)}, Method: get, Capability: "keys", handle: keysIndex,
			Description: "The keys (SSH key pairs or passwords) to log in to instances with"},
		{Collection: keys, Name: "new", Replies: []reply{noBody(200)}, Method: get, Literal: "new", Capability: "create_key", handle: keyNewPage, Formats: html,
			Description: "HTML form to create (or import) a key"},
		{Collection: keys, Name: "show", Replies: []reply{withJSON[wire.KeyShowJSON](200)}, Method: get, Member: true, Capability: "key", handle: keyShow,
			Description: "One key", Params: []param{idOf("key")}},
		{Collection: keys, Name: "create", Replies: []reply{withJSON[wire.KeyShowJSON](201)}, Method: post, Capability: "create_key", handle: keyCreate,
			Description: "Create a key; the response holds the private key, once",
			Params: []param{{Name: "name", Type: "string", Required: true, Description: "The key's name"},
				{Name: "public_key", Type: "string", Description: "An OpenSSH public key to import", Feature: deltacloud.FeatureImportKey}}},
		{Collection: keys, Name: "destroy", Replies: []reply{noBody(204)}, Method: del, Member: true, Capability: "destroy_key", handle: keyDestroy,
			Description: "Delete a key", Params: []param{idOf("key")}},

		{Collection: fws, Name: "index", Replies: []reply{withJSON[wire.FirewallsJSON](200)}, Method: get, Capability: "firewalls", handle: firewallsIndex,
			Description: "The firewalls (security groups) instances can be launched into"},
		{Collection: fws, Name: "new", Replies: []reply{noBody(200)}, Method: get, Literal: "new", Capability: "create_firewall", handle: firewallNewPage, Formats: html,
			Description: "HTML form to create a firewall"},
		{Collection: fws, Name: "show", Replies: []reply{withJSON[wire.FirewallShowJSON](200)}, Method: get, Member: true, Capability: "firewall", handle: firewallShow,
			Description: "One firewall with its rules", Params: []param{idOf("firewall")}},
		{Collection: fws, Name: "create", Replies: []reply{withJSON[wire.FirewallShowJSON](201)}, Method: post, Capability: "create_firewall", handle: firewallCreate,
			Description: "Create a firewall without rules",
			Params: []param{{Name: "name", Type: "string", Required: true, Description: "The firewall's name"},
				{Name: "description", Type: "string", Required: true, Description: "What the firewall is for"}}},
		{Collection: fws, Name: "destroy", Replies: []reply{noBody(204)}, Method: del, Member: true, Capability: "delete_firewall", handle: firewallDestroy,
			Description: "Delete a firewall", Params: []param{idOf("firewall")}},
		{Collection: fws, Name: "rules", Replies: []reply{withJSON[wire.FirewallShowJSON](201)}, Method: post, Member: true, Action: wire.RulesAction, Capability: "create_firewall_rule",
			handle: firewallRuleCreate, Description: "Add a rule; answers 201 with the firewall",
			Params: []param{idOf("firewall"),
				{Name: "protocol", Type: "enum", Description: "tcp, udp or icmp"},
				{Name: "port_from", Type: "string", Description: "The first port (icmp: the type, -1 for all)"},
				{Name: "port_to", Type: "string", Description: "The last port (icmp: the code, -1 for all)"},
				{Name: "ip_address1", Type: "string", Description: "A source address block, e.g. 10.0.0.0/8; any parameter named ip_address* is one"},
				{Name: "group1", Type: "string", Description: "A source firewall (group); group2, … for more"},
				{Name: "group1owner", Type: "string", Description: "The account owning group1"}}},
		{Collection: fws, Name: "destroy_rule", Replies: []reply{noBody(204)}, Method: del, Member: true, Sub: "rule_id", Capability: "delete_firewall_rule",
			handle: firewallRuleDestroy, Description: "Delete a rule of a firewall",
			Params: []param{idOf("firewall"), {Name: "rule_id", Type: "string", Required: true, Description: "The id of the rule"}}},

		{Collection: addrs, Name: "index", Replies: []reply{withJSON[wire.IPAddressesJSON](200)}, Method: get, Capability: "addresses", handle: addressesIndex,
			Description: "The public addresses (elastic IPs) of the account"},
		{Collection: addrs, Name: "show", Replies: []reply{withJSON[wire.IPAddressShowJSON](200)}, Method: get, Member: true, Capability: "address", handle: addressShow,
			Description: "One address", Params: []param{idOf("address")}},
		{Collection: addrs, Name: "create", Replies: []reply{withJSON[wire.IPAddressShowJSON](201)}, Method: post, Capability: "create_address", handle: addressCreate,
			Description: "Allocate a new address"},
		{Collection: addrs, Name: "destroy", Replies: []reply{noBody(204)}, Method: del, Member: true, Capability: "destroy_address", handle: addressDestroy,
			Description: "Release a free address", Params: []param{idOf("address")}},
		{Collection: addrs, Name: "associate", Replies: []reply{noBody(202)}, Method: post, Member: true, Action: wire.RelAssociate, Capability: "associate_address",
			handle: addressAssociate, Description: "Point a free address at an instance; 202 without a body",
			Params: []param{idOf("address"), {Name: "instance_id", Type: "string", Required: true, Description: "The instance"}}},
		{Collection: addrs, Name: "disassociate", Replies: []reply{noBody(202)}, Method: post, Member: true, Action: wire.RelDisassociate, Capability: "disassociate_address",
			handle: addressDisassociate, Description: "Free an associated address; 202 without a body", Params: []param{idOf("address")}},

		{Collection: vols, Name: "index", Replies: []reply{withJSON[wire.StorageVolumesJSON](200)}, Method: get, Capability: "storage_volumes", handle: volumesIndex,
			Description: "The storage volumes (block devices that outlive instances)"},
		{Collection: vols, Name: "new", Replies: []reply{noBody(200)}, Method: get, Literal: "new", Capability: "create_storage_volume", handle: volumeNewPage, Formats: html,
			Description: "HTML form to create a storage volume"},
		{Collection: vols, Name: "show", Replies: []reply{withJSON[wire.StorageVolumeShowJSON](200)}, Method: get, Member: true, Capability: "storage_volume", handle: volumeShow,
			Description: "One storage volume", Params: []param{idOf("storage volume")}},
		{Collection: vols, Name: "create", Replies: []reply{withJSON[wire.StorageVolumeShowJSON](201)}, Method: post, Capability: "create_storage_volume", handle: volumeCreate,
			Description: "Create a storage volume, empty or from a snapshot",
			Params: []param{{Name: "snapshot_id", Type: "string", Description: "A snapshot to create the volume from"},
				{Name: "capacity", Type: "string", Description: "The size in GB"},
				{Name: "realm_id", Type: "string", Description: "The realm to create the volume in"},
				{Name: "name", Type: "string", Description: "The volume's name", Feature: deltacloud.FeatureVolumeName},
				{Name: "description", Type: "string", Description: "The volume's description", Feature: deltacloud.FeatureVolumeDescription}}},
		{Collection: vols, Name: "destroy", Replies: []reply{noBody(204)}, Method: del, Member: true, Capability: "destroy_storage_volume", handle: volumeDestroy,
			Description: "Delete a detached storage volume", Params: []param{idOf("storage volume")}},
		{Collection: vols, Name: "attach", Replies: []reply{withJSON[wire.StorageVolumeShowJSON](202)}, Method: post, Member: true, Action: wire.RelAttach, Capability: "attach_storage_volume",
			handle: volumeAttach, Description: "Attach an available volume to an instance; 202 with the volume",
			Params: []param{idOf("storage volume"), {Name: "instance_id", Type: "string", Required: true, Description: "The instance"},
				{Name: "device", Type: "string", Required: true, Present: true, Description: "The device, e.g. /dev/sdb (may be empty where the cloud chooses)"}}},
		{Collection: vols, Name: "detach", Replies: []reply{withJSON[wire.StorageVolumeShowJSON](202)}, Method: post, Member: true, Action: wire.RelDetach, Capability: "detach_storage_volume",
			handle: volumeDetach, Description: "Detach an attached volume; 202 with the volume", Params: []param{idOf("storage volume")}},

		{Collection: snaps, Name: "index", Replies: []reply{withJSON[wire.StorageSnapshotsJSON](200)}, Method: get, Capability: "storage_snapshots", handle: snapshotsIndex,
			Description: "The snapshots of storage volumes"},
		{Collection: snaps, Name: "new", Replies: []reply{noBody(200)}, Method: get, Literal: "new", Capability: "create_storage_snapshot", handle: snapshotNewPage, Formats: html,
			Description: "HTML form to snapshot a storage volume"},
		{Collection: snaps, Name: "show", Replies: []reply{withJSON[wire.StorageSnapshotShowJSON](200)}, Method: get, Member: true, Capability: "storage_snapshot", handle: snapshotShow,
			Description: "One snapshot", Params: []param{idOf("snapshot")}},
		{Collection: snaps, Name: "create", Replies: []reply{withJSON[wire.StorageSnapshotShowJSON](201)}, Method: post, Capability: "create_storage_snapshot", handle: snapshotCreate,
			Description: "Snapshot a storage volume",
			Params: []param{{Name: "volume_id", Type: "string", Required: true, Description: "The volume"},
				{Name: "name", Type: "string", Description: "The snapshot's name"},
				{Name: "description", Type: "string", Description: "The snapshot's description"}}},
		{Collection: snaps, Name: "destroy", Replies: []reply{noBody(204)}, Method: del, Member: true, Capability: "destroy_storage_snapshot", handle: snapshotDestroy,
			Description: "Delete a snapshot", Params: []param{idOf("snapshot")}},

		{Collection: buckets, Name: "index", Replies: []reply{withJSON[wire.BucketsJSON](200)}, Method: get, Capability: "buckets", handle: bucketsIndex,
			Description: "The buckets of the object storage"},
		{Collection: buckets, Name: "new", Replies: []reply{noBody(200)}, Method: get, Literal: "new", Capability: "create_bucket", handle: bucketNewPage, Formats: html,
			Description: "HTML form to create a bucket"},
		{Collection: buckets, Name: "show", Replies: []reply{withJSON[wire.BucketShowJSON](200)}, Method: get, Member: true, Capability: "bucket", handle: bucketShow,
			Description: "One bucket with its blobs", Params: []param{idOf("bucket")}},
		{Collection: buckets, Name: "create", Replies: []reply{withJSON[wire.BucketShowJSON](201)}, Method: post, Capability: "create_bucket", handle: bucketCreate,
			Description: "Create a bucket",
			Params: []param{{Name: "name", Type: "string", Required: true, Description: "The bucket's name"},
				{Name: "location", Type: "string", Description: "Where to create the bucket", Feature: deltacloud.FeatureBucketLocation}}},
		{Collection: buckets, Name: "destroy", Replies: []reply{noBody(204)}, Method: del, Member: true, Capability: "delete_bucket", handle: bucketDestroy,
			Description: "Delete an empty bucket", Params: []param{idOf("bucket")}},
		{Collection: buckets, Name: "create_blob", Replies: []reply{withJSON[wire.BlobShowJSON](201)}, Method: post, Member: true, Capability: "create_blob", handle: blobCreate, Stream: true,
			Description: "Upload a blob as a form (multipart/form-data streams the file); 201 with the blob",
			Params: []param{idOf("bucket"), blobID,
				{Name: "blob_data", Type: "string", Required: true, File: true, Description: "The content: a file of a multipart form, or a string"},
				{Name: "meta_params", Type: "string", Description: "The number N of metadata entries in meta_name1…N and meta_value1…N"}}},
		{Collection: buckets, Name: "show_blob", Replies: []reply{withJSON[wire.BlobShowJSON](200)}, Method: get, Member: true, Sub: "blob_id", Capability: "blob", handle: blobShow,
			Description: "One blob: its attributes and metadata", Params: []param{idOf("bucket"), blobID}},
		{Collection: buckets, Name: "put_blob", Replies: []reply{withJSON[wire.BlobShowJSON](200)}, Method: put, Member: true, Sub: "blob_id", Capability: "create_blob", handle: blobPut, Stream: true,
			Description: "Create or replace a blob with the raw request body (streamed); Content-Type is the blob's type and " +
				"X-Deltacloud-Blobmeta-<Name> headers its metadata; 200 with the blob",
			Params: []param{idOf("bucket"), blobID}},
		{Collection: buckets, Name: "blob_metadata", Replies: []reply{noBody(204)}, Method: head, Member: true, Sub: "blob_id", Capability: "blob_metadata", handle: blobHead, Raw: true,
			Description: "A blob's metadata as X-Deltacloud-Blobmeta-<NAME> headers; 204", Params: []param{idOf("bucket"), blobID}},
		{Collection: buckets, Name: "update_blob_metadata", Replies: []reply{noBody(204)}, Method: post, Member: true, Sub: "blob_id", Capability: "update_blob_metadata",
			handle: blobMetadataUpdate, Raw: true,
			Description: "Replace a blob's metadata with the X-Deltacloud-Blobmeta-<Name> headers; 204 echoing them",
			Params:      []param{idOf("bucket"), blobID}},
		{Collection: buckets, Name: "destroy_blob", Replies: []reply{noBody(204)}, Method: del, Member: true, Sub: "blob_id", Capability: "delete_blob", handle: blobDestroy,
			Description: "Delete a blob", Params: []param{idOf("bucket"), blobID}},
		{Collection: buckets, Name: "blob_content", Replies: []reply{noBody(200)}, Method: get, Member: true, Sub: "blob_id", Action: wire.ContentAction, Capability: "blob_data",
			handle: blobContent, Raw: true, Description: "A blob's content, streamed", Params: []param{idOf("bucket"), blobID}},

		{Collection: lbs, Name: "index", Method: get, Capability: "load_balancers", Description: "The load balancers"},
		{Collection: lbs, Name: "show", Method: get, Member: true, Capability: "load_balancer", Description: "One load balancer",
			Params: []param{idOf("load balancer")}},
		{Collection: lbs, Name: "create", Method: post, Capability: "create_load_balancer", Description: "Create a load balancer",
			Params: []param{{Name: "name", Type: "string", Required: true, Description: "The name"},
				{Name: "realm_id", Type: "string", Required: true, Description: "The realm"},
				{Name: "listener_protocol", Type: "enum", Required: true, Description: "HTTP or TCP"},
				{Name: "listener_balancer_port", Type: "string", Required: true, Description: "The port the balancer listens on"},
				{Name: "listener_instance_port", Type: "string", Required: true, Description: "The instances' port"}}},
		{Collection: lbs, Name: "register", Method: post, Member: true, Action: "register", Capability: "lb_register_instance",
			Description: "Register an instance", Params: []param{idOf("load balancer"),
				{Name: "instance_id", Type: "string", Required: true, Description: "The instance"}}},
		{Collection: lbs, Name: "unregister", Method: post, Member: true, Action: "unregister", Capability: "lb_unregister_instance",
			Description: "Unregister an instance", Params: []param{idOf("load balancer"),
				{Name: "instance_id", Type: "string", Required: true, Description: "The instance"}}},
		{Collection: lbs, Name: "destroy", Method: del, Member: true, Capability: "destroy_load_balancer",
			Description: "Delete a load balancer", Params: []param{idOf("load balancer")}},

		{Collection: metrics, Name: "index", Replies: []reply{withJSON[wire.MetricsJSON](200)}, Method: get, Capability: "metrics", handle: metricsIndex,
			Description: "The metrics of the visible instances, without samples"},
		{Collection: metrics, Name: "show", Replies: []reply{withJSON[wire.MetricShowJSON](200)}, Method: get, Member: true, Capability: "metric", handle: metricShow,
			Description: "One instance's metric with its samples", Params: []param{idOf("metric (the instance)")}},
	}
	for _, op := range ops {
		op.Auth = true // every operation of these collections needs credentials
	}
	return ops
}
