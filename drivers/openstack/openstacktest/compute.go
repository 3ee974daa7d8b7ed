package openstacktest

import (
	"encoding/base64"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Flavor is one of the fake's flavors, as Nova states it.
type Flavor struct {
	ID, Name string
	VCPUs    int
	RAM      int // MiB
	Disk     int // GiB
	Public   bool
}

type flavor = Flavor

// Flavors are the fake's flavors: m1.* as devstack creates them and a
// private flavor the demo project has access to.
var Flavors = []Flavor{
	{ID: "1", Name: "m1.tiny", VCPUs: 1, RAM: 512, Disk: 1, Public: true},
	{ID: "2", Name: "m1.small", VCPUs: 1, RAM: 2048, Disk: 20, Public: true},
	{ID: "3", Name: "m1.medium", VCPUs: 2, RAM: 4096, Disk: 40, Public: true},
	{ID: "4", Name: "m1.large", VCPUs: 4, RAM: 8192, Disk: 80, Public: true},
	{ID: "c1", Name: "cirros256", VCPUs: 1, RAM: 256, Disk: 1, Public: true},
	{ID: "p1", Name: "demo.private", VCPUs: 2, RAM: 3072, Disk: 10, Public: false},
}

// server is a Nova server with its pending change.
type server struct {
	id, name, flavor, image, zone, keyName, userData string
	status, task, vmState                            string
	power                                            int
	metadata                                         map[string]string
	groups                                           []string
	network                                          string // "" for networks none
	ip                                               string
	created, launched                                time.Time
	next                                             *change
}

// change is the state a server reaches by itself at a time.
type change struct {
	at                    time.Time
	status, task, vmState string
	power                 int
	gone                  bool
	then                  func()
}

func (c *Cloud) seedCompute() {
	for i := range Flavors {
		c.flavors = append(c.flavors, &Flavors[i])
	}
}

// advance applies a server's due changes; c.mu is held. It reports false
// when the server is gone.
func (c *Cloud) advance(s *server) bool {
	for s.next != nil && !time.Now().Before(s.next.at) {
		n := s.next
		s.next = nil
		if n.gone {
			c.nets.releasePorts(s.id)
			c.detachAll(s.id)
			delete(c.servers, s.id)
			return false
		}
		s.status, s.task, s.vmState, s.power = n.status, n.task, n.vmState, n.power
		if n.status == "ACTIVE" && s.launched.IsZero() {
			s.launched = time.Now()
		}
		if n.then != nil {
			n.then()
		}
	}
	return true
}

// later schedules a server's next state one step from now.
func (c *Cloud) later(s *server, status, task, vm string, power int) {
	s.next = &change{at: time.Now().Add(c.step), status: status, task: task, vmState: vm, power: power}
}

func (c *Cloud) serveCompute(w http.ResponseWriter, r *http.Request, path string) {
	c.mu.Lock()
	if c.overLimit > 0 && path != "/" && path != "" {
		c.overLimit--
		c.mu.Unlock()
		w.Header().Set("Retry-After", "7")
		fault(w, http.StatusTooManyRequests, "overLimit", "This request was rate-limited.")
		return
	}
	c.mu.Unlock()
	mv := r.Header.Get("X-OpenStack-Nova-API-Version")
	if v := r.Header.Get("OpenStack-API-Version"); strings.HasPrefix(v, "compute ") {
		mv = strings.TrimPrefix(v, "compute ")
	}
	if mv == "" {
		mv = "2.1"
	}
	if mv == "latest" {
		mv = MaxComputeMicroversion
	}
	if !microversionIn(mv, "2.1", MaxComputeMicroversion) {
		fault(w, http.StatusNotAcceptable, "computeFault", "Version %s is not supported by the API. Minimum is 2.1 and maximum is %s.", mv, MaxComputeMicroversion)
		return
	}
	w.Header().Set("OpenStack-API-Version", "compute "+mv)
	w.Header().Set("X-OpenStack-Nova-API-Version", mv)
	w.Header().Add("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version")
	parts := strings.Split(strings.Trim(path, "/"), "/")
	m := r.Method
	switch {
	case path == "/" || path == "":
		writeJSON(w, http.StatusOK, map[string]any{"version": map[string]any{"id": "v2.1", "status": "CURRENT",
			"version": MaxComputeMicroversion, "min_version": "2.1", "updated": "2013-07-23T11:33:21Z",
			"links": []map[string]any{{"href": c.srv.URL + "/compute/v2.1/", "rel": "self"},
				{"href": "http://docs.openstack.org/", "rel": "describedby", "type": "text/html"}},
			"media-types": []map[string]any{{"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2.1"}}}})
	case parts[0] == "os-availability-zone" && m == http.MethodGet:
		var zs []map[string]any
		for _, z := range c.zones {
			zs = append(zs, map[string]any{"zoneName": z, "zoneState": map[string]any{"available": true}, "hosts": nil})
		}
		writeJSON(w, http.StatusOK, map[string]any{"availabilityZoneInfo": zs})
	case parts[0] == "flavors" && m == http.MethodGet:
		c.serveFlavors(w, r, parts)
	case parts[0] == "servers":
		c.serveServers(w, r, parts, mv)
	case parts[0] == "os-keypairs":
		c.serveKeypairs(w, r, parts, mv)
	default:
		fault(w, http.StatusNotFound, "itemNotFound", "The resource could not be found.")
	}
}

// microversionIn reports whether v is within lo..hi ("2.x").
func microversionIn(v, lo, hi string) bool {
	n, ok := minor(v)
	a, _ := minor(lo)
	b, _ := minor(hi)
	return ok && n >= a && n <= b
}

func minor(v string) (int, bool) {
	maj, mi, ok := strings.Cut(v, ".")
	if !ok || maj != "2" {
		return 0, false
	}
	n, err := strconv.Atoi(mi)
	return n, err == nil
}

func (c *Cloud) flavorJSON(f *Flavor) map[string]any {
	href := c.srv.URL + "/compute/v2.1/flavors/" + f.ID
	return map[string]any{"id": f.ID, "name": f.Name, "ram": f.RAM, "vcpus": f.VCPUs, "disk": f.Disk,
		"OS-FLV-EXT-DATA:ephemeral": 0, "OS-FLV-DISABLED:disabled": false, "swap": "", "rxtx_factor": 1.0,
		"os-flavor-access:is_public": f.Public, // description (2.55) and extra_specs (2.61) are newer than 2.46
		"links":                      []map[string]any{{"href": href, "rel": "self"}, {"href": strings.Replace(href, "/v2.1", "", 1), "rel": "bookmark"}}}
}

func (c *Cloud) serveFlavors(w http.ResponseWriter, r *http.Request, parts []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(parts) == 2 && parts[1] != "detail" {
		for _, f := range c.flavors {
			if f.ID == parts[1] {
				writeJSON(w, http.StatusOK, map[string]any{"flavor": c.flavorJSON(f)})
				return
			}
		}
		fault(w, http.StatusNotFound, "itemNotFound", "Flavor %s could not be found.", parts[1])
		return
	}
	ids := make([]string, 0, len(c.flavors))
	byID := map[string]*Flavor{}
	for _, f := range c.flavors {
		ids = append(ids, f.ID)
		byID[f.ID] = f
	}
	sort.Strings(ids)
	c.listPage(w, r, ids, "flavors", "/compute/v2.1/flavors/detail", func(id string) map[string]any { return c.flavorJSON(byID[id]) })
}

// serverJSON is a server's detail as microversion 2.46 shows it.
func (c *Cloud) serverJSON(s *server) map[string]any {
	href := c.srv.URL + "/compute/v2.1/servers/" + s.id
	addrs := map[string]any{}
	// Nova shows the ports' addresses and security groups once Neutron
	// has the server's ports: not while it builds, never without a network.
	ported := s.network != "" && s.ip != "" && s.status != "BUILD"
	if ported {
		list := []map[string]any{{"addr": s.ip, "version": 4, "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:4c:2c:30"}}
		if fip := c.nets.floatingFor(s.id); fip != "" {
			list = append(list, map[string]any{"addr": fip, "version": 4, "OS-EXT-IPS:type": "floating", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:4c:2c:30"})
		}
		addrs[s.network] = list
	}
	var task any
	if s.task != "" {
		task = s.task
	}
	var launched any
	if !s.launched.IsZero() {
		launched = s.launched.UTC().Format("2006-01-02T15:04:05.000000")
	}
	var key any
	if s.keyName != "" {
		key = s.keyName
	}
	groups := []map[string]any{}
	for _, g := range s.groups {
		groups = append(groups, map[string]any{"name": c.nets.groupName(g)})
	}
	meta := s.metadata
	if meta == nil {
		meta = map[string]string{}
	}
	out := map[string]any{
		"id": s.id, "name": s.name, "status": s.status, "tenant_id": ProjectID, "user_id": UserID,
		"metadata": meta, "hostId": "2091634baaccdc4c5a1d57069c833e402921df696b7f970791b12ec6",
		"image":   map[string]any{"id": s.image, "links": []map[string]any{{"href": c.srv.URL + "/compute/images/" + s.image, "rel": "bookmark"}}},
		"flavor":  map[string]any{"id": s.flavor, "links": []map[string]any{{"href": c.srv.URL + "/compute/flavors/" + s.flavor, "rel": "bookmark"}}},
		"created": stamp(s.created), "updated": stamp(time.Now()), "addresses": addrs,
		"accessIPv4": "", "accessIPv6": "", "config_drive": "", "locked": false, "description": nil,
		"links":                       []map[string]any{{"href": href, "rel": "self"}, {"href": strings.Replace(href, "/v2.1", "", 1), "rel": "bookmark"}},
		"OS-DCF:diskConfig":           "MANUAL",
		"OS-EXT-AZ:availability_zone": s.zone,
		"key_name":                    key,
		"OS-EXT-STS:task_state":       task, "OS-EXT-STS:vm_state": s.vmState, "OS-EXT-STS:power_state": s.power,
		"OS-SRV-USG:launched_at": launched, "OS-SRV-USG:terminated_at": nil,
		"os-extended-volumes:volumes_attached": c.volumesAttached(s.id), "tags": []string{},
	}
	if ported {
		out["security_groups"] = groups
	}
	switch s.status { // Nova's _progress_statuses
	case "ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING":
		out["progress"] = 0
	}
	return out
}

func (c *Cloud) serveServers(w http.ResponseWriter, r *http.Request, parts []string, mv string) {
	m := r.Method
	switch {
	case len(parts) == 1 && m == http.MethodPost:
		c.createServer(w, r, mv)
	case len(parts) == 2 && parts[1] == "detail" && m == http.MethodGet:
		c.listServers(w, r, true)
	case len(parts) == 1 && m == http.MethodGet:
		c.listServers(w, r, false)
	case len(parts) == 2 && m == http.MethodGet:
		c.mu.Lock()
		defer c.mu.Unlock()
		s := c.findServer(w, parts[1])
		if s == nil {
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"server": c.serverJSON(s)})
	case len(parts) == 2 && m == http.MethodDelete:
		c.mu.Lock()
		defer c.mu.Unlock()
		s := c.findServer(w, parts[1])
		if s == nil {
			return
		}
		s.task = "deleting"
		s.next = &change{at: time.Now().Add(c.step), gone: true}
		w.WriteHeader(http.StatusNoContent)
	case len(parts) == 3 && parts[2] == "action" && m == http.MethodPost:
		c.serverAction(w, r, parts[1])
	case len(parts) >= 3 && len(parts) <= 4 && parts[2] == "os-volume_attachments":
		c.serveVolumeAttachments(w, r, parts)
	default:
		fault(w, http.StatusNotFound, "itemNotFound", "The resource could not be found.")
	}
}

func (c *Cloud) listServers(w http.ResponseWriter, r *http.Request, detail bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := r.URL.Query()
	var list []*server
	for _, s := range c.servers {
		if !c.advance(s) {
			continue
		}
		if st := q.Get("status"); st != "" && !strings.EqualFold(st, s.status) {
			continue
		}
		if az := q.Get("availability_zone"); az != "" && az != s.zone {
			continue
		}
		list = append(list, s)
	}
	ids, byID := newestFirst(list)
	path := "/compute/v2.1/servers"
	if detail {
		path += "/detail"
	}
	c.listPage(w, r, ids, "servers", path, func(id string) map[string]any {
		s := c.serverJSON(byID[id])
		if !detail {
			return map[string]any{"id": s["id"], "name": s["name"], "links": s["links"]}
		}
		return s
	})
}

// listPage answers one page of a Nova listing, with its "<key>_links"
// next link when more follow.
func (c *Cloud) listPage(w http.ResponseWriter, r *http.Request, ids []string, key, path string, render func(string) map[string]any) {
	q := r.URL.Query()
	got, more, ok := page(ids, q, c.pageSize)
	if !ok {
		fault(w, http.StatusBadRequest, "badRequest", "marker [%s] not found", q.Get("marker"))
		return
	}
	out := []map[string]any{}
	for _, id := range got {
		out = append(out, render(id))
	}
	body := map[string]any{key: out}
	if more {
		limit := q.Get("limit")
		if limit == "" {
			limit = "1000"
		}
		body[key+"_links"] = []map[string]any{{"rel": "next", "href": c.srv.URL + path + "?limit=" + limit + "&marker=" + got[len(got)-1]}}
	}
	writeJSON(w, http.StatusOK, body)
}

func (c *Cloud) createServer(w http.ResponseWriter, r *http.Request, mv string) {
	var req struct {
		Server struct {
			Name             string            `json:"name"`
			ImageRef         string            `json:"imageRef"`
			FlavorRef        string            `json:"flavorRef"`
			AvailabilityZone string            `json:"availability_zone"`
			KeyName          string            `json:"key_name"`
			UserData         string            `json:"user_data"`
			Metadata         map[string]string `json:"metadata"`
			SecurityGroups   []struct {
				Name string `json:"name"`
			} `json:"security_groups"`
			Networks any `json:"networks"`
			MinCount int `json:"min_count"`
			MaxCount int `json:"max_count"`
		} `json:"server"`
	}
	if !decode(w, r, &req) {
		return
	}
	in := req.Server
	n, _ := minor(mv)
	if in.Name == "" || len(in.Name) > 255 {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute name.")
		return
	}
	if n >= 37 && in.Networks == nil {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute server. Value: %v. 'networks' is a required property", in.Name)
		return
	}
	for k, v := range in.Metadata {
		if len(k) == 0 || len(k) > 255 || len(v) > 255 {
			fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute metadata.")
			return
		}
	}
	if in.ImageRef != "" && !uuidLike.MatchString(in.ImageRef) {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute imageRef. Value: %s. '%s' is not valid under any of the given schemas", in.ImageRef, in.ImageRef)
		return
	}
	if in.UserData != "" {
		if _, err := base64.StdEncoding.DecodeString(in.UserData); err != nil {
			fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute user_data. Value: %s. '%s' is not a 'base64'", in.UserData, in.UserData)
			return
		}
		if len(in.UserData) > 65535 {
			fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute user_data. Value: %s. '%s' is too long", in.UserData, in.UserData)
			return
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !slices.ContainsFunc(c.flavors, func(f *Flavor) bool { return f.ID == in.FlavorRef }) {
		fault(w, http.StatusBadRequest, "badRequest", "Flavor %s could not be found.", in.FlavorRef)
		return
	}
	img, ok := c.images[in.ImageRef]
	if !ok || img.status != "active" {
		fault(w, http.StatusBadRequest, "badRequest", "Can not find requested image")
		return
	}
	zone := in.AvailabilityZone
	if zone == "" {
		zone = c.zones[0]
	} else if !slices.Contains(c.zones, zone) {
		fault(w, http.StatusBadRequest, "badRequest", "The requested availability zone is not available")
		return
	}
	if in.KeyName != "" {
		if _, ok := c.keys[in.KeyName]; !ok {
			fault(w, http.StatusBadRequest, "badRequest", "Invalid key_name provided.")
			return
		}
	}
	// Nova resolves each name or id through Neutron: groups holds ids.
	var groups []string
	requested := []map[string]any{{"name": "default"}}
	if len(in.SecurityGroups) > 0 {
		requested = nil
	}
	for _, g := range in.SecurityGroups {
		switch ids := c.nets.groupIDs(g.Name); len(ids) {
		case 0:
			fault(w, http.StatusBadRequest, "badRequest", "Unable to find security_group with name or id '%s'", g.Name)
			return
		case 1:
			groups = append(groups, ids[0])
		default:
			fault(w, http.StatusConflict, "conflictingRequest", "Multiple security_group matches found for name '%s', use an ID to be more specific.", g.Name)
			return
		}
		requested = append(requested, map[string]any{"name": g.Name})
	}
	if len(groups) == 0 {
		groups = c.nets.groupIDs("default")
	}
	network := ""
	switch nw := in.Networks.(type) {
	case string:
		switch nw {
		case "none":
		case "auto":
			network = c.nets.tenantNetwork()
		default:
			fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute networks.")
			return
		}
	case []any:
		for _, x := range nw {
			m, _ := x.(map[string]any)
			id, _ := m["uuid"].(string)
			name := c.nets.networkName(id)
			if name == "" {
				fault(w, http.StatusBadRequest, "badRequest", "Network %s could not be found.", id)
				return
			}
			network = name
		}
	case nil:
		network = c.nets.tenantNetwork()
	}
	count := max(in.MinCount, in.MaxCount, 1)
	if len(c.servers)+count > c.quota {
		fault(w, http.StatusForbidden, "forbidden", "Quota exceeded for instances: Requested %d, but already used %d of %d instances", count, len(c.servers), c.quota)
		return
	}
	var firstID string
	for range count {
		s := &server{id: newID(), name: in.Name, flavor: in.FlavorRef, image: in.ImageRef, zone: zone, keyName: in.KeyName,
			userData: in.UserData, status: "BUILD", task: "scheduling", vmState: "building", metadata: in.Metadata,
			groups: groups, network: network, created: time.Now()}
		c.seq++
		if network != "" {
			s.ip = "10.0.0." + strconv.Itoa(3+c.seq%250)
			c.nets.addPort(s.id, network, s.ip, groups)
		}
		c.later(s, "ACTIVE", "", "active", 1)
		c.servers[s.id] = s
		if firstID == "" {
			firstID = s.id
		}
	}
	href := c.srv.URL + "/compute/v2.1/servers/" + firstID
	writeJSON(w, http.StatusAccepted, map[string]any{"server": map[string]any{"id": firstID, "adminPass": "seekr3t",
		"OS-DCF:diskConfig": "MANUAL", "security_groups": requested, // as requested, unresolved
		"links": []map[string]any{{"href": href, "rel": "self"}, {"href": strings.Replace(href, "/v2.1", "", 1), "rel": "bookmark"}}}})
}

// actionRule is what one server action needs and does.
type actionRule struct {
	api                   string   // the compute API's name for it, in conflicts
	from                  []string // vm states allowed
	tasks                 []string // task states allowed besides none
	task                  string   // task state while it runs
	status, vmState, next string   // status meanwhile; the final status and vm state
	power                 int
}

// actionRules are Nova's check_instance_state of each action (Zed's
// nova/compute/api.py); reboot is the SOFT one, hardReboot the HARD.
var actionRules = map[string]actionRule{
	"os-stop":  {api: "stop", from: []string{"active", "error"}, task: "powering-off", next: "SHUTOFF", vmState: "stopped", power: 4},
	"os-start": {api: "start", from: []string{"stopped"}, task: "powering-on", next: "ACTIVE", vmState: "active", power: 1},
	"reboot":   {api: "reboot", from: []string{"active"}, task: "rebooting", status: "REBOOT", next: "ACTIVE", vmState: "active", power: 1},
	"suspend":  {api: "suspend", from: []string{"active"}, task: "suspending", next: "SUSPENDED", vmState: "suspended", power: 4},
	"resume":   {api: "resume", from: []string{"suspended"}, task: "resuming", next: "ACTIVE", vmState: "active", power: 1},
	"pause":    {api: "pause", from: []string{"active"}, task: "pausing", next: "PAUSED", vmState: "paused", power: 3},
	"unpause":  {api: "unpause", from: []string{"paused"}, task: "unpausing", next: "ACTIVE", vmState: "active", power: 1},
	"createImage": {api: "createImage", from: []string{"active", "stopped", "paused", "suspended"},
		task: "image_snapshot_pending"},
}

// hardReboot is reboot with type HARD.
var hardReboot = actionRule{api: "reboot", from: []string{"active", "stopped", "paused", "suspended", "error"},
	tasks: []string{"rebooting", "reboot_pending", "reboot_started", "resuming", "rebooting_hard", "unpausing", "pausing", "suspending"},
	task:  "rebooting_hard", status: "HARD_REBOOT", next: "ACTIVE", vmState: "active", power: 1}

func (c *Cloud) serverAction(w http.ResponseWriter, r *http.Request, id string) {
	var body map[string]map[string]any
	if !decode(w, r, &body) || len(body) != 1 {
		if body != nil {
			fault(w, http.StatusBadRequest, "badRequest", "Invalid request body.")
		}
		return
	}
	var name string
	var args map[string]any
	for k, v := range body {
		name, args = k, v
	}
	rule, ok := actionRules[name]
	if !ok {
		fault(w, http.StatusBadRequest, "badRequest", "There is no such action: %s", name)
		return
	}
	switch typ, _ := args["type"].(string); {
	case name == "reboot" && typ == "":
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute reboot. Value: %s. 'type' is a required property", pyRepr(args))
		return
	case name == "reboot" && strings.EqualFold(typ, "HARD"):
		rule = hardReboot
	}
	imgName, _ := args["name"].(string)
	if name == "createImage" && imgName == "" {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute createImage. Value: %s. 'name' is a required property", pyRepr(args))
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.servers[id]; !ok || !c.advance(s) {
		// An action looks the server up in the cell mappings first.
		fault(w, http.StatusNotFound, "itemNotFound", "Instance %s has no mapping to a cell.", id)
		return
	}
	s := c.servers[id]
	// Nova checks the vm state first, then the task state.
	if !slices.Contains(rule.from, s.vmState) {
		fault(w, http.StatusConflict, "conflictingRequest", "Cannot '%s' instance %s while it is in vm_state %s", rule.api, id, s.vmState)
		return
	}
	if s.task != "" && !slices.Contains(rule.tasks, s.task) {
		fault(w, http.StatusConflict, "conflictingRequest", "Cannot '%s' instance %s while it is in task_state %s", rule.api, id, s.task)
		return
	}
	if name == "createImage" {
		meta := map[string]string{}
		if m, ok := args["metadata"].(map[string]any); ok {
			for k, v := range m {
				meta[k], _ = v.(string)
			}
		}
		img := c.snapshotImage(s, imgName, meta)
		s.task = rule.task
		st, vm, pw := s.status, s.vmState, s.power
		c.later(s, st, "", vm, pw)
		writeJSON(w, http.StatusAccepted, map[string]any{"image_id": img.id}) // 2.45+: no Location
		return
	}
	s.task = rule.task
	if rule.status != "" {
		s.status = rule.status
	}
	c.later(s, rule.next, "", rule.vmState, rule.power)
	w.WriteHeader(http.StatusAccepted)
}

// findServer returns a server brought up to date, or answers itemNotFound
// and returns nil; c.mu is held.
func (c *Cloud) findServer(w http.ResponseWriter, id string) *server {
	s, ok := c.servers[id]
	if !ok || !c.advance(s) {
		fault(w, http.StatusNotFound, "itemNotFound", "Instance %s could not be found.", id)
		return nil
	}
	return s
}
