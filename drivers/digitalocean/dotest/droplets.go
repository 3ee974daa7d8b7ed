package dotest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/digitalocean/godo"
)

// droplet is a droplet with the time it becomes active.
type droplet struct {
	godo.Droplet
	readyAt  time.Time
	userData string
}

// action is a droplet, volume or reserved IP action with when it ends and
// what it does then.
type action struct {
	godo.Action
	doneAt time.Time
	fails  bool
	effect func()
}

// Droplet returns what the fake knows of a droplet, for assertions.
func (s *Server) Droplet(id int) (godo.Droplet, string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance()
	d, ok := s.droplets[id]
	if !ok {
		return godo.Droplet{}, "", false
	}
	return d.Droplet, d.userData, true
}

// DropletCount is how many droplets exist.
func (s *Server) DropletCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.droplets)
}

// AddDroplets adds n active droplets carrying tags, as made elsewhere
// (benchmarks list them).
func (s *Server) AddDroplets(n int, tags ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tag(tags)
	for range n {
		id := s.id()
		d := s.newDroplet(id, fmt.Sprintf("bench-%d", id), "nyc3", Sizes[1], Distributions[0], tags)
		d.Status = "active"
		s.droplets[id] = d
	}
}

// ShutdownFails makes later shutdown actions end "errored", as they do when
// a droplet's OS ignores the ACPI request.
func (s *Server) ShutdownFails(fail bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shutdownFails = fail
}

// SnapshotFails makes later snapshot actions end "errored" without an
// image, as they do when the snapshot cannot be taken.
func (s *Server) SnapshotFails(fail bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.snapshotFails = fail
}

// AddImage adds a snapshot image of the account carrying tags, as made
// elsewhere, and returns its id.
func (s *Server) AddImage(name string, tags ...string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tag(tags)
	img := &godo.Image{ID: s.id(), Name: name, Type: "snapshot", Distribution: "Ubuntu", Regions: []string{"nyc3"},
		MinDiskSize: 25, SizeGigaBytes: 1.5, Created: now(), Status: "available", Tags: slices.Clone(tags)}
	s.images[img.ID] = img
	return img.ID
}

// ImageTags returns the tags of a snapshot image, for assertions.
func (s *Server) ImageTags(id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, _ := strconv.Atoi(id)
	if img, ok := s.images[n]; ok {
		return slices.Clone(img.Tags)
	}
	return nil
}

// advance moves droplets and actions whose time has come.
func (s *Server) advance() {
	t := time.Now()
	for _, d := range s.droplets {
		if d.Status == "new" && !t.Before(d.readyAt) {
			d.Status = "active"
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.actions)) {
		a := s.actions[id]
		if a.Status != godo.ActionInProgress || t.Before(a.doneAt) {
			continue
		}
		a.CompletedAt = &godo.Timestamp{Time: t}
		if a.fails {
			a.Status = "errored"
			continue
		}
		a.Status = godo.ActionCompleted
		if a.effect != nil {
			a.effect()
		}
	}
}

func (s *Server) newDroplet(id int, name, region string, size godo.Size, img godo.Image, tags []string) *droplet {
	reg := regionOf(region)
	return &droplet{Droplet: godo.Droplet{
		ID: id, Name: name, Memory: size.Memory, Vcpus: size.Vcpus, Disk: size.Disk,
		Region: &reg, Image: &img, Size: &size, SizeSlug: size.Slug, Status: "new",
		Networks: &godo.Networks{V4: []godo.NetworkV4{
			{IPAddress: fmt.Sprintf("203.0.113.%d", id%250+1), Netmask: "255.255.240.0", Gateway: "203.0.113.254", Type: "public"},
			{IPAddress: fmt.Sprintf("10.10.0.%d", id%250+1), Netmask: "255.255.0.0", Gateway: "10.10.0.1", Type: "private"},
		}},
		Created: now(), Tags: slices.Clone(tags), VolumeIDs: []string{}, Features: []string{"private_networking"},
	}, readyAt: time.Now().Add(s.Step)}
}

func regionOf(slug string) godo.Region {
	for _, r := range Regions {
		if r.Slug == slug {
			return r
		}
	}
	return godo.Region{Slug: slug}
}

// createRequest is godo.DropletCreateRequest as it arrives: the image is a
// slug or an id, an SSH key an id or a fingerprint.
type createRequest struct {
	godo.DropletCreateRequest
	Image   json.RawMessage   `json:"image"`
	SSHKeys []json.RawMessage `json:"ssh_keys"`
}

func unprocessable(format string, args ...any) (int, any) {
	return 0, errorf(http.StatusUnprocessableEntity, "unprocessable_entity", format, args...)
}

func (s *Server) dropletRoutes(mux *http.ServeMux) {
	s.route(mux, "GET /v2/droplets", func(r *http.Request) (int, any) {
		tag := r.URL.Query().Get("tag_name")
		var all []godo.Droplet
		for _, id := range slices.Sorted(maps.Keys(s.droplets)) {
			if d := s.droplets[id]; tag == "" || hasTag(d.Tags, tag) {
				all = append(all, d.Droplet)
			}
		}
		return listed(r, "droplets", all)
	})
	s.route(mux, "GET /v2/droplets/{id}", func(r *http.Request) (int, any) {
		d := s.droplet(r.PathValue("id"))
		if d == nil {
			return notFound()
		}
		return 200, map[string]any{"droplet": d.Droplet}
	})
	s.route(mux, "POST /v2/droplets", s.createDroplet)
	s.route(mux, "DELETE /v2/droplets/{id}", func(r *http.Request) (int, any) {
		d := s.droplet(r.PathValue("id"))
		if d == nil {
			return notFound()
		}
		delete(s.droplets, d.ID)
		for _, v := range s.volumes {
			v.DropletIDs = slices.DeleteFunc(v.DropletIDs, func(x int) bool { return x == d.ID })
		}
		for _, ip := range s.ips {
			if ip.Droplet != nil && ip.Droplet.ID == d.ID {
				ip.Droplet = nil
			}
		}
		for _, fw := range s.fws {
			fw.DropletIDs = slices.DeleteFunc(fw.DropletIDs, func(x int) bool { return x == d.ID })
		}
		return http.StatusNoContent, nil
	})
	s.route(mux, "DELETE /v2/droplets", func(r *http.Request) (int, any) {
		tag := r.URL.Query().Get("tag_name")
		if tag == "" {
			return unprocessable("tag_name is required")
		}
		for id, d := range s.droplets {
			if hasTag(d.Tags, tag) {
				delete(s.droplets, id)
			}
		}
		return http.StatusNoContent, nil
	})
	s.route(mux, "POST /v2/droplets/{id}/actions", s.dropletAction)
	s.route(mux, "GET /v2/droplets/{id}/actions", func(r *http.Request) (int, any) {
		d := s.droplet(r.PathValue("id"))
		if d == nil {
			return notFound()
		}
		var all []godo.Action
		for _, id := range slices.Backward(slices.Sorted(maps.Keys(s.actions))) {
			if a := s.actions[id]; a.ResourceType == "droplet" && a.ResourceID == d.ID {
				all = append(all, a.Action)
			}
		}
		return listed(r, "actions", all)
	})
	s.route(mux, "GET /v2/droplets/{id}/actions/{aid}", func(r *http.Request) (int, any) { return s.getAction(r.PathValue("aid")) })
	s.route(mux, "GET /v2/actions/{aid}", func(r *http.Request) (int, any) { return s.getAction(r.PathValue("aid")) })
}

func (s *Server) droplet(id string) *droplet {
	n, err := strconv.Atoi(id)
	if err != nil {
		return nil
	}
	return s.droplets[n]
}

func (s *Server) getAction(id string) (int, any) {
	n, err := strconv.Atoi(id)
	a, ok := s.actions[n]
	if err != nil || !ok {
		return notFound()
	}
	return 200, map[string]any{"action": a.Action}
}

func (s *Server) createDroplet(r *http.Request) (int, any) {
	var req createRequest
	if e := decode(r, &req); e != nil {
		return 0, *e
	}
	if req.Name == "" || len(req.Name) > 255 || strings.ContainsAny(req.Name, " _/") {
		return unprocessable("Name is invalid: %q", req.Name)
	}
	reg := regionOf(req.Region)
	if !reg.Available {
		return unprocessable("Region is not available")
	}
	i := slices.IndexFunc(Sizes, func(z godo.Size) bool { return z.Slug == req.Size && z.Available })
	if i < 0 {
		return unprocessable("Size is not available in this region.")
	}
	var slug string
	var num int
	if json.Unmarshal(req.Image, &slug) != nil {
		if json.Unmarshal(req.Image, &num) != nil {
			return unprocessable("You specified an invalid image for Droplet creation.")
		}
		slug = strconv.Itoa(num)
	}
	img := s.image(slug)
	if img == nil {
		return unprocessable("You specified an invalid image for Droplet creation.")
	}
	for _, k := range req.SSHKeys {
		var fp string
		var id int
		ok := false
		if json.Unmarshal(k, &id) == nil {
			_, ok = s.keys[id]
		} else if json.Unmarshal(k, &fp) == nil {
			for _, key := range s.keys {
				ok = ok || key.Fingerprint == fp
			}
		}
		if !ok {
			return unprocessable("The SSH key %s is not valid.", k)
		}
	}
	if len(req.UserData) > 64<<10 {
		return unprocessable("user_data is too long")
	}
	for _, t := range req.Tags {
		if !validTag(t) {
			return unprocessable("tag %q is invalid", t)
		}
	}
	s.tag(req.Tags)
	d := s.newDroplet(s.id(), req.Name, req.Region, Sizes[i], *img, req.Tags)
	d.userData = req.UserData
	s.droplets[d.ID] = d
	return http.StatusAccepted, map[string]any{"droplet": d.Droplet,
		"links": godo.Links{Actions: []godo.LinkAction{{ID: s.id(), Rel: "create"}}}}
}

// validTag is the API's rule: letters, digits, colons, dashes and
// underscores, at most 255.
func validTag(t string) bool {
	if t == "" || len(t) > 255 {
		return false
	}
	for _, c := range t {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ':' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// startAction records an in-progress action that completes after Step.
func (s *Server) startAction(kind, resourceType string, resourceID int, fails bool, effect func()) *action {
	t := time.Now()
	a := &action{Action: godo.Action{ID: s.id(), Status: godo.ActionInProgress, Type: kind,
		StartedAt: &godo.Timestamp{Time: t}, ResourceID: resourceID, ResourceType: resourceType, RegionSlug: "nyc3"},
		doneAt: t.Add(s.Step), fails: fails, effect: effect}
	s.actions[a.ID] = a
	return a
}

// busy reports whether a droplet has an action in progress.
func (s *Server) busy(id int) bool {
	for _, a := range s.actions {
		if a.ResourceType == "droplet" && a.ResourceID == id && a.Status == godo.ActionInProgress {
			return true
		}
	}
	return false
}

func (s *Server) dropletAction(r *http.Request) (int, any) {
	d := s.droplet(r.PathValue("id"))
	if d == nil {
		return notFound()
	}
	var req struct {
		Type string `json:"type"`
		Name string `json:"name"`
	}
	if e := decode(r, &req); e != nil {
		return 0, *e
	}
	if s.busy(d.ID) {
		return unprocessable("Droplet already has a pending event.")
	}
	set := func(status string) func() { return func() { d.Status = status } }
	var a *action
	switch req.Type {
	case "power_on":
		if d.Status != "off" {
			return unprocessable("Droplet is already powered on.")
		}
		a = s.startAction(req.Type, "droplet", d.ID, false, set("active"))
	case "shutdown", "power_off":
		if d.Status != "active" {
			return unprocessable("Droplet is already powered off.")
		}
		a = s.startAction(req.Type, "droplet", d.ID, req.Type == "shutdown" && s.shutdownFails, set("off"))
	case "reboot", "power_cycle":
		if d.Status != "active" {
			return unprocessable("Droplet is powered off.")
		}
		a = s.startAction(req.Type, "droplet", d.ID, false, nil)
	case "snapshot":
		name := req.Name
		a = s.startAction(req.Type, "droplet", d.ID, s.snapshotFails, func() {
			img := &godo.Image{ID: s.id(), Name: name, Type: "snapshot", Distribution: d.Image.Distribution,
				Regions: []string{d.Region.Slug}, MinDiskSize: d.Disk, SizeGigaBytes: 1.5, Created: now(), Status: "available"}
			s.images[img.ID] = img
			d.SnapshotIDs = append(d.SnapshotIDs, img.ID)
		})
	default:
		return unprocessable("Action type %q is not supported.", req.Type)
	}
	return 201, map[string]any{"action": a.Action}
}
