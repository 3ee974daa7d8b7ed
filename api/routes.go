package api

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// param is one parameter of an operation, as /api/docs lists it and as the
// required-parameter check (plain-text 400) reads it.
type param struct {
	Name     string
	Type     string // "string", "integer", "boolean", "enum"
	Required bool
	// Present: a required parameter that may be empty, but must be sent
	// (an attach's device).
	Present     bool
	Description string
	// Feature names the feature that adds the parameter; such a parameter
	// exists only where the provider advertises the feature.
	Feature string
	// File: in a multipart form the parameter is a file (a blob's
	// content), which the OpenAPI document describes as binary.
	File bool
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
	// Sub names a second id the route takes after the first, as blobs
	// (/api/buckets/:id/:blob_id) and firewall rules do.
	Sub string
	// Action is the trailing path segment of member actions, if any.
	Action string
	// Literal is the one fixed path segment of a collection-level page,
	// e.g. "new" for /api/keys/new; it wins over a member id.
	Literal     string
	Description string
	Params      []param
	// Auth: the operation needs credentials (401 without them).
	Auth bool
	// Formats the route answers in; default xml, json, html.
	Formats []format
	// Capability is sent as Expect with 412 when the provider lacks the
	// operation (the original driver method's name, as Rabbit names it);
	// empty means the operation always exists. Operations of the optional
	// collections exist where Provider.Collections lists the collection,
	// image create and destroy where Provider.Supports says so.
	Capability string
	// Raw operations answer raw content (blob content) or nothing, and are
	// not subject to format negotiation.
	Raw bool
	// Stream operations may read a request body of any size themselves: a
	// blob upload's body is not parsed or capped beforehand.
	Stream bool
	// Replies are the operation's successful answers, as the OpenAPI
	// document describes them (the handler does not read them): declared
	// once here, beside the route, so the two cannot drift apart.
	Replies []reply
	handle  func(*request) error
}

// reply is one successful answer of an operation: its status and the Go
// type of its JSON document (nil: no body, or raw content).
type reply struct {
	Status int
	JSON   reflect.Type
}

// withJSON is a reply whose JSON document is a T.
func withJSON[T any](status int) reply { return reply{Status: status, JSON: reflect.TypeFor[T]()} }

// noBody is a reply without a JSON document.
func noBody(status int) reply { return reply{Status: status} }

// pattern is the operation's path after the collection: ":id", ":blob_id"
// and the like capture, other segments must match.
func (op *operation) pattern() []string {
	if op.Literal != "" {
		return []string{op.Literal}
	}
	var p []string
	if op.Member {
		p = append(p, ":id")
	}
	if op.Sub != "" {
		p = append(p, ":"+op.Sub)
	}
	if op.Action != "" {
		p = append(p, op.Action)
	}
	return p
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

// shows reports whether op reads one object: a show, and a blob's show,
// metadata and content, which answer an unknown id with the original's
// plain 404 "Not Found".
func (op *operation) shows() bool {
	switch op.Name {
	case "show", "show_blob", "blob_metadata", "blob_content":
		return true
	}
	return false
}

func (op *operation) formats() []format {
	if len(op.Formats) > 0 {
		return op.Formats
	}
	return defaultFormats
}

// idParam is the id of a member route.
var idParam = param{Name: "id", Type: "string", Required: true, Description: "The id of the object"}

// Optional reports whether c is one of the collections a driver may lack
// (DESIGN.md: everything beyond realms, profiles, images and instances).
func optionalCollection(c deltacloud.Collection) bool {
	switch c {
	case deltacloud.CollectionKeys, deltacloud.CollectionFirewalls, deltacloud.CollectionAddresses,
		deltacloud.CollectionStorageVolumes, deltacloud.CollectionStorageSnapshots, deltacloud.CollectionBuckets,
		deltacloud.CollectionLoadBalancers, deltacloud.CollectionMetrics:
		return true
	}
	return false
}

// idOf is the id parameter of a member route of collection c.
func idOf(what string) param {
	return param{Name: "id", Type: "string", Required: true, Description: "The id of the " + what}
}

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
		{Name: "client_token", Type: "string", Description: "An idempotency token (at most 64 printable ASCII characters): " +
			"a create repeated with the same token and parameters answers the first one's instances instead of launching more, " +
			"with other parameters it is 409 Conflict. Where the driver cannot honour it, the create is refused with 501 " +
			"(the entry point answers the header " + clientTokenHeader + ": supported where it can)"},
	}
	for _, f := range deltacloud.StandardFeatures().For(deltacloud.CollectionInstances, deltacloud.OpCreate) {
		for _, p := range f.Params {
			ps = append(ps, param{Name: p, Type: "string", Description: featureParamDoc[p], Feature: string(f.Name)})
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
		{Collection: deltacloud.CollectionDrivers, Name: "index", Replies: []reply{withJSON[wire.DriversJSON](200)}, Method: http.MethodGet, handle: driversIndex,
			Description: "The drivers this server can use"},
		{Collection: deltacloud.CollectionDrivers, Name: "show", Replies: []reply{withJSON[wire.DriverShowJSON](200)}, Method: http.MethodGet, Member: true, handle: driverShow,
			Description: "One driver and its providers", Params: []param{idParam}},

		{Collection: deltacloud.CollectionRealms, Name: "index", Replies: []reply{withJSON[wire.RealmsJSON](200)}, Method: http.MethodGet, Auth: true, handle: realmsIndex,
			Description: "The realms (regions, zones, data centres) of the provider",
			Params:      []param{{Name: "id", Type: "string", Description: "Only this realm"}}},
		{Collection: deltacloud.CollectionRealms, Name: "show", Replies: []reply{withJSON[wire.RealmShowJSON](200)}, Method: http.MethodGet, Member: true, Auth: true, handle: realmShow,
			Description: "One realm", Params: []param{idParam}},

		{Collection: deltacloud.CollectionHardwareProfiles, Name: "index", Replies: []reply{withJSON[wire.HardwareProfilesJSON](200)}, Method: http.MethodGet, handle: profilesIndex,
			Description: "The hardware profiles instances can be launched with",
			Params: []param{{Name: "id", Type: "string", Description: "Only this profile"},
				{Name: "architecture", Type: "string", Description: "Only profiles of this architecture"}}},
		{Collection: deltacloud.CollectionHardwareProfiles, Name: "show", Replies: []reply{withJSON[wire.HardwareProfileShowJSON](200)}, Method: http.MethodGet, Member: true, handle: profileShow,
			Description: "One hardware profile with its properties", Params: []param{idParam}},

		{Collection: deltacloud.CollectionImages, Name: "index", Replies: []reply{withJSON[wire.ImagesJSON](200)}, Method: http.MethodGet, Auth: true, handle: imagesIndex,
			Description: "The images instances can be launched from",
			Params: []param{{Name: "id", Type: "string", Description: "Only this image"},
				{Name: "architecture", Type: "string", Description: "Only images of this architecture"},
				{Name: "owner_id", Type: "string", Description: featureParamDoc["owner_id"], Feature: string(deltacloud.FeatureOwnerID)}}},
		{Collection: deltacloud.CollectionImages, Name: "show", Replies: []reply{withJSON[wire.ImageShowJSON](200)}, Method: http.MethodGet, Member: true, Auth: true, handle: imageShow,
			Description: "One image", Params: []param{idParam}},
		{Collection: deltacloud.CollectionImages, Name: "new", Replies: []reply{noBody(200)}, Method: http.MethodGet, Literal: "new", Auth: true,
			Capability: "create_image", handle: imageNewPage, Formats: []format{formatHTML},
			Description: "HTML form to create an image from an instance (404 without instance_id)",
			Params:      []param{{Name: "instance_id", Type: "string", Description: "The instance to image"}}},
		{Collection: deltacloud.CollectionImages, Name: "create", Replies: []reply{withJSON[wire.ImageShowJSON](201)}, Method: http.MethodPost, Auth: true, Capability: "create_image",
			handle: imageCreate, Description: "Create an image from an instance",
			Params: []param{{Name: "instance_id", Type: "string", Required: true, Description: "The instance to image"},
				{Name: "name", Type: "string", Description: "The image's name", Feature: deltacloud.FeatureImageName},
				{Name: "description", Type: "string", Description: "The image's description", Feature: deltacloud.FeatureImageDescription}}},
		{Collection: deltacloud.CollectionImages, Name: "destroy", Replies: []reply{noBody(204)}, Method: http.MethodDelete, Member: true, Auth: true, Capability: "destroy_image",
			handle: imageDestroy, Description: "Delete an image", Params: []param{idParam}},

		{Collection: deltacloud.CollectionInstances, Name: "index", Replies: []reply{withJSON[wire.InstancesJSON](200)}, Method: http.MethodGet, Auth: true, handle: instancesIndex,
			Description: "The caller's instances",
			Params: []param{{Name: "id", Type: "string", Description: "Only this instance"},
				{Name: "state", Type: "string", Description: "Only instances in this state (RUNNING, STOPPED, …)"},
				{Name: "realm_id", Type: "string", Description: featureParamDoc["realm_id"], Feature: deltacloud.FeatureRealmFilter},
				{Name: "owner_id", Type: "string", Description: "Only instances of this owner (default: the caller)"}}},
		{Collection: deltacloud.CollectionInstances, Name: "show", Replies: []reply{withJSON[wire.InstanceShowJSON](200)}, Method: http.MethodGet, Member: true, Auth: true, handle: instanceShow,
			Description: "One instance with the actions it allows now", Params: []param{idParam}},
		{Collection: deltacloud.CollectionInstances, Name: "create", Replies: []reply{withJSON[wire.InstanceShowJSON](201), withJSON[wire.InstancesJSON](201)}, Method: http.MethodPost, Auth: true, handle: instanceCreate,
			Description: "Launch one or more instances", Params: instanceCreateParams()},
		{Collection: deltacloud.CollectionInstances, Name: "reboot", Replies: []reply{withJSON[wire.InstanceJSON](202)}, Method: http.MethodPost, Member: true, Action: "reboot", Auth: true,
			handle: instanceAction(deltacloud.ActionReboot), Description: "Reboot an instance", Params: []param{idParam}},
		{Collection: deltacloud.CollectionInstances, Name: "start", Replies: []reply{withJSON[wire.InstanceJSON](202)}, Method: http.MethodPost, Member: true, Action: "start", Auth: true,
			handle: instanceAction(deltacloud.ActionStart), Description: "Start a stopped instance", Params: []param{idParam}},
		{Collection: deltacloud.CollectionInstances, Name: "stop", Replies: []reply{withJSON[wire.InstanceJSON](202)}, Method: http.MethodPost, Member: true, Action: "stop", Auth: true,
			handle: instanceAction(deltacloud.ActionStop), Description: "Stop a running instance", Params: []param{idParam}},
		{Collection: deltacloud.CollectionInstances, Name: "suspend", Replies: []reply{withJSON[wire.InstanceJSON](202)}, Method: http.MethodPost, Member: true, Action: "suspend", Auth: true,
			handle: instanceAction(deltacloud.ActionSuspend), Description: "Suspend or pause a running instance (where the lifecycle has it)", Params: []param{idParam}},
		{Collection: deltacloud.CollectionInstances, Name: "resume", Replies: []reply{withJSON[wire.InstanceJSON](202)}, Method: http.MethodPost, Member: true, Action: "resume", Auth: true,
			handle: instanceAction(deltacloud.ActionResume), Description: "Resume a suspended or paused instance", Params: []param{idParam}},
		{Collection: deltacloud.CollectionInstances, Name: "destroy", Replies: []reply{noBody(204)}, Method: http.MethodDelete, Member: true, Auth: true,
			handle: instanceAction(deltacloud.ActionDestroy), Description: "Destroy an instance", Params: []param{idParam}},
		{Collection: deltacloud.CollectionInstances, Name: "run", Method: http.MethodPost, Member: true, Action: "run", Auth: true,
			Capability: "run_on_instance", Description: "Run a command on an instance over SSH",
			Params: []param{idParam, {Name: "cmd", Type: "string", Required: true, Description: "The command"},
				{Name: "private_key", Type: "string", Description: "The SSH key"},
				{Name: "password", Type: "string", Description: "The SSH password"},
				{Name: "ip", Type: "string", Description: "The address to connect to"},
				{Name: "port", Type: "string", Description: "The SSH port (default 22)"}}},

		{Collection: deltacloud.CollectionInstanceStates, Name: "index", Replies: []reply{withJSON[[]wire.StateJSON](200)}, Method: http.MethodGet, handle: statesIndex,
			Formats:     []format{formatXML, formatJSON, formatHTML, formatGV},
			Description: "The provider's instance lifecycle: states and the transitions between them"},
	}
	routes = append(routes, optionalRoutes()...)
}

// routeIndex is the route table by collection, made once on first use
// (the table is complete after init): routing looks a collection up on
// every request.
type routeIndex struct {
	ops         map[deltacloud.Collection][]*operation
	collections []deltacloud.Collection
	patterns    map[*operation][]string // op.pattern(), made once
}

var routesByCollection = sync.OnceValue(func() routeIndex {
	ix := routeIndex{ops: map[deltacloud.Collection][]*operation{}, patterns: map[*operation][]string{}}
	for _, op := range routes {
		ix.patterns[op] = op.pattern()
		if _, ok := ix.ops[op.Collection]; !ok {
			ix.collections = append(ix.collections, op.Collection)
		}
		ix.ops[op.Collection] = append(ix.ops[op.Collection], op)
	}
	for c, ops := range ix.ops {
		ix.ops[c] = slices.Clip(ops) // an append by a caller copies
	}
	ix.collections = slices.Clip(ix.collections)
	return ix
})

// collectionOps returns the operations of a collection in table order.
// The slice is shared: callers must not change it.
func collectionOps(c deltacloud.Collection) []*operation {
	return routesByCollection().ops[c]
}

// documentedCollections lists the collections with routes, in table order.
// The slice is shared: callers must not change it.
func documentedCollections() []deltacloud.Collection {
	return routesByCollection().collections
}

// documented reports whether c has routes.
func documented(c deltacloud.Collection) bool {
	_, ok := routesByCollection().ops[c]
	return ok
}

// match finds the operation for a method and the path segments after the
// collection, with the ids the path captures. A pattern with more fixed
// segments wins ("/keys/new" over "/keys/:id"); HEAD falls back to GET.
// When the path exists only with other methods, allowed lists them (405
// with Allow).
func match(c deltacloud.Collection, method string, rest []string) (op *operation, id, sub string, allowed []string) {
	best, bestScore := -1, -1
	var bestID, bestSub string
	ix := routesByCollection()
	for i, o := range ix.ops[c] {
		oid, osub, literals, ok := matchPattern(ix.patterns[o], rest)
		if !ok {
			continue
		}
		score := -1
		switch {
		case o.Method == method:
			score = 2*literals + 1
		case method == http.MethodHead && o.Method == http.MethodGet:
			score = 2 * literals
		default:
			continue
		}
		if score > bestScore {
			best, bestScore, bestID, bestSub = i, score, oid, osub
		}
	}
	if best < 0 {
		// Only now the methods the path has: a found operation needs none.
		for _, o := range ix.ops[c] {
			if _, _, _, ok := matchPattern(ix.patterns[o], rest); ok && !slices.Contains(allowed, o.Method) {
				allowed = append(allowed, o.Method)
			}
		}
		return nil, "", "", allowed
	}
	return collectionOps(c)[best], bestID, bestSub, nil
}

// matchPattern matches path segments against a pattern: ":id" captures
// id, another ":name" captures sub, anything else must be equal. literals
// counts the fixed segments.
func matchPattern(pattern, rest []string) (id, sub string, literals int, ok bool) {
	if len(pattern) != len(rest) {
		return "", "", 0, false
	}
	for i, p := range pattern {
		switch {
		case p == ":id":
			id = rest[i]
		case strings.HasPrefix(p, ":"):
			sub = rest[i]
		case p == rest[i]:
			literals++
		default:
			return "", "", 0, false
		}
	}
	return id, sub, literals, true
}
