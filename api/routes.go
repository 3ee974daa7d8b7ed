package api

import (
	"net/http"
	"slices"

	"github.com/deltacloud-go/deltacloud"
)

// param is one parameter of an operation, as /api/docs lists it and as the
// required-parameter check (plain-text 400) reads it.
type param struct {
	Name        string
	Type        string // "string", "integer", "boolean", "enum"
	Required    bool
	Description string
	// Feature names the feature that adds the parameter; such a parameter
	// exists only where the provider advertises the feature.
	Feature string
}

// operation is one route of a collection. The same table drives routing,
// the capability (412) and required-parameter (400) checks, OPTIONS and the
// /api/docs pages, so they cannot drift apart.
type operation struct {
	Collection deltacloud.Collection
	// Name is the operation's name in docs and feature rels: index, show,
	// create, destroy, or an action (reboot, start, stop, run).
	Name   string
	Method string
	// Member: the route takes an id (/api/C/:id[/Action]).
	Member bool
	// Action is the trailing path segment of member actions, if any.
	Action      string
	Description string
	Params      []param
	// Auth: the operation needs credentials (401 without them).
	Auth bool
	// Formats the route answers in; default xml, json, html.
	Formats []format
	// Capability is sent as Expect with 412 when the provider lacks the
	// operation; empty means the operation always exists.
	Capability string
	handle     func(*request) error
}

var defaultFormats = []format{formatXML, formatJSON, formatHTML}

// timed reports whether op's responses carry X-Backend-Runtime, as the
// original's do: the operations that fetch from the driver (index, show,
// actions), not create and not drivers or instance_states, whose data are
// static.
func (op *operation) timed() bool {
	return op != nil && op.Name != "create" &&
		op.Collection != deltacloud.CollectionDrivers && op.Collection != deltacloud.CollectionInstanceStates
}

func (op *operation) formats() []format {
	if len(op.Formats) > 0 {
		return op.Formats
	}
	return defaultFormats
}

// idParam is the id of a member route.
var idParam = param{Name: "id", Type: "string", Required: true, Description: "The id of the object"}

// instanceCreateParams are the parameters of POST /api/instances; feature
// parameters come from the feature table so the two agree.
func instanceCreateParams() []param {
	ps := []param{
		{Name: "image_id", Type: "string", Required: true, Description: "The image to launch"},
		{Name: "realm_id", Type: "string", Description: "The realm to launch in (default: the driver's choice)"},
		{Name: "hwp_id", Type: "string", Description: "The hardware profile (default: the driver's choice)"},
		{Name: "hwp_cpu", Type: "string", Description: "Override the profile's cpu (range or enum properties)"},
		{Name: "hwp_memory", Type: "string", Description: "Override the profile's memory in MB"},
		{Name: "hwp_storage", Type: "string", Description: "Override the profile's storage in GB"},
		{Name: "hwp_architecture", Type: "string", Description: "Override the profile's architecture"},
	}
	for _, f := range deltacloud.StandardFeatures().For(deltacloud.CollectionInstances, deltacloud.OpCreate) {
		for _, p := range f.Params {
			ps = append(ps, param{Name: p, Type: "string", Description: featureParamDoc[p], Feature: f.Name})
		}
	}
	return ps
}

var featureParamDoc = map[string]string{
	"name":             "A name for the instance",
	"user_data":        "Base64-encoded data passed to the instance",
	"user_files":       "Files injected into the instance",
	"user_iso":         "Base64-encoded gzipped ISO attached as a CD-ROM",
	"firewalls":        "Firewalls (security groups); also firewalls1…firewallsN",
	"keyname":          "The key to log in with",
	"password":         "The password to log in with",
	"load_balancer_id": "A load balancer to register the instance with",
	"instance_count":   "How many instances to launch",
	"snapshot_id":      "A snapshot to attach at boot",
	"device_name":      "The device the snapshot is attached as",
	"sandbox":          "Launch in a sandbox",
	"metrics":          "Enable detailed monitoring (any non-empty value)",
	"realm_id":         "Only instances in this realm",
	"owner_id":         "Only objects of this owner ('self' for the caller)",
}

// routes is every operation the handler serves, in the order docs list them.
var routes []*operation

func init() {
	routes = []*operation{
		{Collection: deltacloud.CollectionDrivers, Name: "index", Method: http.MethodGet, handle: driversIndex,
			Description: "The drivers this server can use"},
		{Collection: deltacloud.CollectionDrivers, Name: "show", Method: http.MethodGet, Member: true, handle: driverShow,
			Description: "One driver and its providers", Params: []param{idParam}},

		{Collection: deltacloud.CollectionRealms, Name: "index", Method: http.MethodGet, Auth: true, handle: realmsIndex,
			Description: "The realms (regions, zones, data centres) of the provider",
			Params:      []param{{Name: "id", Type: "string", Description: "Only this realm"}}},
		{Collection: deltacloud.CollectionRealms, Name: "show", Method: http.MethodGet, Member: true, Auth: true, handle: realmShow,
			Description: "One realm", Params: []param{idParam}},

		{Collection: deltacloud.CollectionHardwareProfiles, Name: "index", Method: http.MethodGet, handle: profilesIndex,
			Description: "The hardware profiles instances can be launched with",
			Params: []param{{Name: "id", Type: "string", Description: "Only this profile"},
				{Name: "architecture", Type: "string", Description: "Only profiles of this architecture"}}},
		{Collection: deltacloud.CollectionHardwareProfiles, Name: "show", Method: http.MethodGet, Member: true, handle: profileShow,
			Description: "One hardware profile with its properties", Params: []param{idParam}},

		{Collection: deltacloud.CollectionImages, Name: "index", Method: http.MethodGet, Auth: true, handle: imagesIndex,
			Description: "The images instances can be launched from",
			Params: []param{{Name: "id", Type: "string", Description: "Only this image"},
				{Name: "architecture", Type: "string", Description: "Only images of this architecture"},
				{Name: "owner_id", Type: "string", Description: featureParamDoc["owner_id"], Feature: deltacloud.FeatureOwnerID}}},
		{Collection: deltacloud.CollectionImages, Name: "show", Method: http.MethodGet, Member: true, Auth: true, handle: imageShow,
			Description: "One image", Params: []param{idParam}},
		{Collection: deltacloud.CollectionImages, Name: "create", Method: http.MethodPost, Auth: true, Capability: "create_image",
			Description: "Create an image from an instance",
			Params: []param{{Name: "instance_id", Type: "string", Required: true, Description: "The instance to image"},
				{Name: "name", Type: "string", Description: "The image's name", Feature: deltacloud.FeatureImageName},
				{Name: "description", Type: "string", Description: "The image's description", Feature: deltacloud.FeatureImageDescription}}},
		{Collection: deltacloud.CollectionImages, Name: "destroy", Method: http.MethodDelete, Member: true, Auth: true, Capability: "destroy_image",
			Description: "Delete an image", Params: []param{idParam}},

		{Collection: deltacloud.CollectionInstances, Name: "index", Method: http.MethodGet, Auth: true, handle: instancesIndex,
			Description: "The caller's instances",
			Params: []param{{Name: "id", Type: "string", Description: "Only this instance"},
				{Name: "state", Type: "string", Description: "Only instances in this state (RUNNING, STOPPED, …)"},
				{Name: "realm_id", Type: "string", Description: featureParamDoc["realm_id"], Feature: deltacloud.FeatureRealmFilter},
				{Name: "owner_id", Type: "string", Description: "Only instances of this owner (default: the caller)"}}},
		{Collection: deltacloud.CollectionInstances, Name: "show", Method: http.MethodGet, Member: true, Auth: true, handle: instanceShow,
			Description: "One instance with the actions it allows now", Params: []param{idParam}},
		{Collection: deltacloud.CollectionInstances, Name: "create", Method: http.MethodPost, Auth: true, handle: instanceCreate,
			Description: "Launch one or more instances", Params: instanceCreateParams()},
		{Collection: deltacloud.CollectionInstances, Name: "reboot", Method: http.MethodPost, Member: true, Action: "reboot", Auth: true,
			handle: instanceAction(deltacloud.ActionReboot), Description: "Reboot an instance", Params: []param{idParam}},
		{Collection: deltacloud.CollectionInstances, Name: "start", Method: http.MethodPost, Member: true, Action: "start", Auth: true,
			handle: instanceAction(deltacloud.ActionStart), Description: "Start a stopped instance", Params: []param{idParam}},
		{Collection: deltacloud.CollectionInstances, Name: "stop", Method: http.MethodPost, Member: true, Action: "stop", Auth: true,
			handle: instanceAction(deltacloud.ActionStop), Description: "Stop a running instance", Params: []param{idParam}},
		{Collection: deltacloud.CollectionInstances, Name: "destroy", Method: http.MethodDelete, Member: true, Auth: true,
			handle: instanceAction(deltacloud.ActionDestroy), Description: "Destroy an instance", Params: []param{idParam}},
		{Collection: deltacloud.CollectionInstances, Name: "run", Method: http.MethodPost, Member: true, Action: "run", Auth: true,
			Capability: "run_on_instance", Description: "Run a command on an instance over SSH",
			Params: []param{idParam, {Name: "cmd", Type: "string", Required: true, Description: "The command"},
				{Name: "private_key", Type: "string", Description: "The SSH key"},
				{Name: "password", Type: "string", Description: "The SSH password"},
				{Name: "ip", Type: "string", Description: "The address to connect to"},
				{Name: "port", Type: "string", Description: "The SSH port (default 22)"}}},

		{Collection: deltacloud.CollectionInstanceStates, Name: "index", Method: http.MethodGet, handle: statesIndex,
			Formats:     []format{formatXML, formatJSON, formatHTML, formatGV},
			Description: "The provider's instance lifecycle: states and the transitions between them"},
	}
}

// laterCollections are the spec's collections this handler answers with 412
// while no driver offers them (issue #5 adds them).
var laterCollections = []deltacloud.Collection{
	deltacloud.CollectionKeys, deltacloud.CollectionFirewalls, deltacloud.CollectionAddresses,
	deltacloud.CollectionStorageVolumes, deltacloud.CollectionStorageSnapshots, deltacloud.CollectionBuckets,
	deltacloud.CollectionLoadBalancers, deltacloud.CollectionMetrics,
}

// collectionOps returns the operations of a collection in table order.
func collectionOps(c deltacloud.Collection) []*operation {
	var ops []*operation
	for _, op := range routes {
		if op.Collection == c {
			ops = append(ops, op)
		}
	}
	return ops
}

// documentedCollections lists the collections with routes, in table order.
func documentedCollections() []deltacloud.Collection {
	var cs []deltacloud.Collection
	for _, op := range routes {
		if !slices.Contains(cs, op.Collection) {
			cs = append(cs, op.Collection)
		}
	}
	return cs
}

// match finds the operation for a method and the path segments after the
// collection. methodOK is false when the path exists with other methods
// (405 with Allow).
func match(c deltacloud.Collection, method string, rest []string) (op *operation, id string, allowed []string) {
	for _, o := range collectionOps(c) {
		var ok bool
		switch {
		case !o.Member:
			ok = len(rest) == 0
		case o.Action == "":
			ok = len(rest) == 1
		default:
			ok = len(rest) == 2 && rest[1] == o.Action
		}
		if !ok {
			continue
		}
		m := o.Method
		if m == method || (method == http.MethodHead && m == http.MethodGet) {
			if o.Member {
				id = rest[0]
			}
			return o, id, nil
		}
		allowed = append(allowed, m)
	}
	return nil, "", allowed
}
