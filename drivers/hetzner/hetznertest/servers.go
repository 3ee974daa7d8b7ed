package hetznertest

import (
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud/schema"
)

// maxUserData is the API's bound on user data.
const maxUserData = 32 * 1024

// newServer builds a server's schema object; the caller holds the lock.
func (s *Server) newServer(name string, st schema.ServerType, loc schema.Location, img *schema.Image, labels map[string]string) *server {
	id := s.id()
	srv := &server{ignoreACPI: s.ignoreACPI, s: schema.Server{
		ID: id, Name: name, Status: "initializing", Created: s.now().UTC().Truncate(time.Second),
		PublicNet: schema.ServerPublicNet{
			IPv4:        schema.ServerPublicNetIPv4{ID: s.id(), IP: fmt.Sprintf("5.%d.%d.%d", 75+id>>16&0x7f, id>>8&0xff, id&0xff), DNSPtr: "static.example.your-server.de"},
			IPv6:        schema.ServerPublicNetIPv6{ID: s.id(), IP: fmt.Sprintf("2a01:4f8:c0c:%x::/64", id&0xffff), DNSPtr: []schema.ServerPublicNetIPv6DNSPtr{}},
			FloatingIPs: []int64{},
			Firewalls:   []schema.ServerFirewall{},
		},
		PrivateNet: []schema.ServerPrivateNet{}, ServerType: st, IncludedTraffic: 21990232555520,
		OutgoingTraffic: ptr(uint64(0)), IngoingTraffic: ptr(uint64(0)), Location: loc, Image: img,
		Labels: labels, Volumes: []int64{}, PrimaryDiskSize: st.Disk, LoadBalancers: []int64{},
	}}
	s.servers[id] = srv
	return srv
}

// AddServers adds n running servers of the first server type and image in
// fsn1, named prefix-<id>, with the labels, without actions (for listings
// at scale), and returns their ids.
func (s *Server) AddServers(n int, prefix string, labels map[string]string) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	loc, _ := s.location("fsn1")
	img := *s.images[100]
	ids := make([]int64, 0, n)
	for range n {
		srv := s.newServer("", s.serverTypes[0], loc, &img, maps.Clone(labels))
		srv.s.Name = fmt.Sprintf("%s-%d", prefix, srv.s.ID)
		srv.s.Status = "running"
		ids = append(ids, srv.s.ID)
	}
	return ids
}

// Servers returns every server as the API shows it, in id order.
func (s *Server) Servers() []schema.Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance()
	out := make([]schema.Server, 0, len(s.servers))
	for _, id := range sortedIDs(s.servers) {
		out = append(out, s.servers[id].s)
	}
	return out
}

// SetServerStatus sets a server's status ("migrating", "unknown", …) and
// reports whether the server exists.
func (s *Server) SetServerStatus(id int64, status string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv, ok := s.servers[id]
	if ok {
		srv.s.Status = status
	}
	return ok
}

func (s *Server) listServers(r *http.Request) (int, any, *apiError) {
	items, meta, e := listed(r, s.servers, func(q query, srv *server) (schema.Server, bool) {
		return srv.s, q.is("name", srv.s.Name) && q.in("status", srv.s.Status) && q.match(srv.s.Labels)
	})
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, struct {
		schema.ServerListResponse
		schema.MetaResponse
	}{schema.ServerListResponse{Servers: items}, schema.MetaResponse{Meta: meta}}, nil
}

func (s *Server) server(r *http.Request) (*server, *apiError) {
	return byID(r, s.servers, "server", "server")
}

func (s *Server) getServer(r *http.Request) (int, any, *apiError) {
	srv, e := s.server(r)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, schema.ServerGetResponse{Server: srv.s}, nil
}

// hostname reports whether name is a valid server name (RFC 1123 host
// name of at most 63 characters).
func hostname(name string) bool {
	if name == "" || len(name) > 63 {
		return false
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

func (s *Server) createServer(r *http.Request) (int, any, *apiError) {
	var req schema.ServerCreateRequest
	if e := decode(r, &req); e != nil {
		return 0, nil, e
	}
	if !hostname(req.Name) {
		return 0, nil, invalid("name", "%q is not a valid hostname", req.Name)
	}
	for _, srv := range s.servers {
		if srv.s.Name == req.Name {
			return 0, nil, errf(http.StatusConflict, "uniqueness_error", "server name is already used")
		}
	}
	st, ok := s.serverType(req.ServerType)
	if !ok {
		return 0, nil, invalid("server_type", "server type %v not found", req.ServerType)
	}
	var img *schema.Image
	for _, id := range sortedIDs(s.images) {
		x := s.images[id]
		if (req.Image.ID != 0 && x.ID == req.Image.ID) ||
			(req.Image.ID == 0 && x.Name != nil && *x.Name == req.Image.Name && x.Architecture == st.Architecture) {
			c := *x
			img = &c
			break
		}
	}
	if img == nil {
		return 0, nil, invalid("image", "image %v not found", req.Image)
	}
	if img.Status != "available" {
		return 0, nil, invalid("image", "image %d is not available", img.ID)
	}
	if img.Architecture != st.Architecture {
		return 0, nil, errf(http.StatusUnprocessableEntity, "unsupported_error",
			"image architecture %s does not match server type architecture %s", img.Architecture, st.Architecture)
	}
	locName := req.Location
	if locName == "" {
		locName = "fsn1"
	}
	loc, ok := s.location(locName)
	if !ok {
		return 0, nil, invalid("location", "location %q not found", req.Location)
	}
	if !slices.ContainsFunc(st.Locations, func(l schema.ServerTypeLocation) bool { return l.Name == loc.Name && l.Available }) {
		return 0, nil, errf(http.StatusPreconditionFailed, "resource_unavailable", "server type %s is unavailable in %s", st.Name, loc.Name)
	}
	for _, k := range req.SSHKeys {
		if _, ok := s.keys[k]; !ok {
			return 0, nil, invalid("ssh_keys", "ssh key %d not found", k)
		}
	}
	for _, f := range req.Firewalls {
		if _, ok := s.firewalls[f.Firewall]; !ok {
			return 0, nil, invalid("firewalls", "firewall %d not found", f.Firewall)
		}
	}
	for _, v := range req.Volumes {
		vol, ok := s.volumes[v]
		if !ok {
			return 0, nil, invalid("volumes", "volume %d not found", v)
		}
		if vol.Server != nil {
			return 0, nil, errf(http.StatusUnprocessableEntity, "volume_already_attached", "volume %d is already attached", v)
		}
	}
	if len(req.UserData) > maxUserData {
		return 0, nil, invalid("user_data", "user data is longer than %d bytes", maxUserData)
	}
	if e := checkLabels(req.Labels); e != nil {
		return 0, nil, e
	}
	srv := s.newServer(req.Name, st, loc, img, labelsOf(req.Labels))
	start := req.StartAfterCreate == nil || *req.StartAfterCreate
	for _, f := range req.Firewalls {
		applyFirewall(s.firewalls[f.Firewall], srv)
	}
	id := srv.s.ID
	a := s.newAction("create_server", func(ok bool) {
		cur, exists := s.servers[id]
		if !exists {
			return
		}
		switch {
		case !ok:
			cur.s.Status = "off"
		case start:
			cur.s.Status = "running"
		default:
			cur.s.Status = "off"
		}
		if ok {
			for _, v := range req.Volumes {
				s.attach(s.volumes[v], cur)
			}
		}
	}, ref("server", id))
	resp := schema.ServerCreateResponse{Server: srv.s, Action: a.a, NextActions: []schema.Action{}}
	if len(req.SSHKeys) == 0 {
		resp.RootPassword = ptr(fmt.Sprintf("fake-root-%d", id))
	}
	return http.StatusCreated, resp, nil
}

func (s *Server) updateServer(r *http.Request) (int, any, *apiError) {
	srv, e := s.server(r)
	if e != nil {
		return 0, nil, e
	}
	var req schema.ServerUpdateRequest
	if e := decode(r, &req); e != nil {
		return 0, nil, e
	}
	if e := checkLabels(req.Labels); e != nil {
		return 0, nil, e
	}
	if req.Name != "" {
		if !hostname(req.Name) {
			return 0, nil, invalid("name", "%q is not a valid hostname", req.Name)
		}
		srv.s.Name = req.Name
	}
	if req.Labels != nil {
		srv.s.Labels = labelsOf(req.Labels)
	}
	return http.StatusOK, schema.ServerUpdateResponse{Server: srv.s}, nil
}

func (s *Server) deleteServer(r *http.Request) (int, any, *apiError) {
	srv, e := s.server(r)
	if e != nil {
		return 0, nil, e
	}
	if srv.s.Protection.Delete {
		return 0, nil, protected("server", srv.s.ID)
	}
	id := srv.s.ID
	srv.s.Status = "deleting"
	a := s.newAction("delete_server", func(ok bool) {
		cur, exists := s.servers[id]
		if !exists {
			return
		}
		if !ok {
			cur.s.Status = "running"
			return
		}
		delete(s.servers, id)
		for _, ip := range s.floatingIPs {
			if ip.Server != nil && *ip.Server == id {
				ip.Server = nil
			}
		}
		for _, v := range s.volumes {
			if v.Server != nil && *v.Server == id {
				v.Server, v.LinuxDevice = nil, ""
			}
		}
		for _, fw := range s.firewalls {
			fw.AppliedTo = slices.DeleteFunc(fw.AppliedTo, onServer(id))
		}
	}, ref("server", id))
	return http.StatusOK, schema.ServerDeleteResponse{Action: a.a}, nil
}

func (s *Server) serverAction(r *http.Request) (int, any, *apiError) {
	srv, e := s.server(r)
	if e != nil {
		return 0, nil, e
	}
	id := srv.s.ID
	if e := s.locked("server", id); e != nil {
		return 0, nil, e
	}
	if srv.s.Status == "deleting" {
		return 0, nil, errf(http.StatusLocked, "locked", "server %d is being deleted", id)
	}
	set := func(status string) func(bool) {
		return func(ok bool) {
			if cur, exists := s.servers[id]; exists && ok {
				cur.s.Status = status
			}
		}
	}
	// power shows the server in status via while the action runs (when
	// moving applies) and in done once it succeeded; a failed action puts
	// its status back.
	power := func(command string, moving bool, via, done string) *action {
		prev := srv.s.Status
		if moving {
			srv.s.Status = via
		}
		return s.newAction(command, func(ok bool) {
			if cur, exists := s.servers[id]; exists {
				if ok {
					cur.s.Status = done
				} else {
					cur.s.Status = prev
				}
			}
		}, ref("server", id))
	}
	name := r.PathValue("action")
	var a *action
	switch name {
	case "poweron":
		a = power("start_server", srv.s.Status == "off", "starting", "running")
	case "poweroff":
		a = power("stop_server", srv.s.Status != "off", "stopping", "off")
	case "shutdown":
		var effect func(bool)
		if !srv.ignoreACPI && srv.s.Status == "running" {
			effect = set("off")
		}
		a = s.newAction("shutdown_server", effect, ref("server", id))
	case "reboot":
		a = s.newAction("reboot_server", nil, ref("server", id))
	case "reset":
		a = s.newAction("reset_server", set("running"), ref("server", id))
	case "create_image":
		return s.createImage(r, srv)
	default:
		return 0, nil, notServed("server", name)
	}
	return http.StatusCreated, schema.ServerActionPoweronResponse{Action: a.a}, nil
}

// createImage is the create_image server action: a snapshot (or backup)
// image that is "creating" until the action ends.
func (s *Server) createImage(r *http.Request, srv *server) (int, any, *apiError) {
	var req schema.ServerActionCreateImageRequest
	if e := decode(r, &req); e != nil {
		return 0, nil, e
	}
	typ := "snapshot"
	if req.Type != nil {
		typ = *req.Type
	}
	if typ != "snapshot" && typ != "backup" {
		return 0, nil, invalid("type", "unknown image type %q", typ)
	}
	if e := checkLabels(req.Labels); e != nil {
		return 0, nil, e
	}
	now := s.now().UTC().Truncate(time.Second)
	img := &schema.Image{ID: s.id(), Status: "creating", Type: typ, DiskSize: float32(srv.s.PrimaryDiskSize),
		Created: &now, CreatedFrom: &schema.ImageCreatedFrom{ID: srv.s.ID, Name: srv.s.Name},
		Architecture: srv.s.ServerType.Architecture, Labels: labelsOf(req.Labels)}
	if req.Description != nil {
		img.Description = *req.Description
	}
	if srv.s.Image != nil {
		img.OSFlavor, img.OSVersion = srv.s.Image.OSFlavor, srv.s.Image.OSVersion
	}
	s.images[img.ID] = img
	imgID := img.ID
	a := s.newAction("create_image", func(ok bool) {
		cur, exists := s.images[imgID]
		if !exists {
			return
		}
		if !ok {
			delete(s.images, imgID)
			return
		}
		cur.Status = "available"
		cur.ImageSize = ptr(float32(1.5))
	}, ref("server", srv.s.ID), ref("image", imgID))
	return http.StatusCreated, schema.ServerActionCreateImageResponse{Action: a.a, Image: *img}, nil
}

// MetricValue is the value the fake reports for a time series of a server
// at a time: a deterministic number from 0 to 100 (CPU percent; the other
// series use the same numbers).
func MetricValue(serverID int64, series string, t time.Time) float64 {
	h := fnv.New32a()
	fmt.Fprintf(h, "%d/%s/%d", serverID, series, t.Unix())
	return math.Round(float64(h.Sum32()%10000)) / 100
}

// metricSeries are the time series of each metric type.
var metricSeries = map[string][]string{
	"cpu":     {"cpu"},
	"disk":    {"disk.0.iops.read", "disk.0.iops.write", "disk.0.bandwidth.read", "disk.0.bandwidth.write"},
	"network": {"network.0.pps.in", "network.0.pps.out", "network.0.bandwidth.in", "network.0.bandwidth.out"},
}

func (s *Server) serverMetrics(r *http.Request) (int, any, *apiError) {
	srv, e := s.server(r)
	if e != nil {
		return 0, nil, e
	}
	q := r.URL.Query()
	start, err := time.Parse(time.RFC3339, q.Get("start"))
	if err != nil {
		return 0, nil, invalid("start", "%q is not an ISO-8601 time", q.Get("start"))
	}
	end, err := time.Parse(time.RFC3339, q.Get("end"))
	if err != nil || end.Before(start) {
		return 0, nil, invalid("end", "%q is not an ISO-8601 time after start", q.Get("end"))
	}
	if len(q["type"]) == 0 {
		return 0, nil, invalid("type", "missing")
	}
	step := 60
	if v := q.Get("step"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, nil, invalid("step", "%q is not a positive number", v)
		}
		step = n
	}
	for end.Sub(start)/time.Duration(step)/time.Second > 500 {
		step *= 2
	}
	var resp schema.ServerGetMetricsResponse
	resp.Metrics.Start, resp.Metrics.End, resp.Metrics.Step = start, end, float64(step)
	resp.Metrics.TimeSeries = map[string]schema.ServerTimeSeriesVals{}
	for _, typ := range q["type"] {
		for _, t := range strings.Split(typ, ",") {
			series, ok := metricSeries[t]
			if !ok {
				return 0, nil, invalid("type", "unknown metric type %q", t)
			}
			for _, name := range series {
				vals := []any{}
				for ts := start.Truncate(time.Duration(step) * time.Second); !ts.After(end); ts = ts.Add(time.Duration(step) * time.Second) {
					if ts.Before(start) || ts.Before(srv.s.Created) {
						continue
					}
					vals = append(vals, []any{float64(ts.Unix()), strconv.FormatFloat(MetricValue(srv.s.ID, name, ts), 'f', -1, 64)})
				}
				resp.Metrics.TimeSeries[name] = schema.ServerTimeSeriesVals{Values: vals}
			}
		}
	}
	return http.StatusOK, resp, nil
}
