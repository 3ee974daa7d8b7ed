package hetznertest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud/schema"
)

// The fake's locations; the first three are in the eu-central network
// zone.
var fakeLocations = []schema.Location{
	{ID: 1, Name: "fsn1", Description: "Falkenstein DC Park 1", Country: "DE", City: "Falkenstein", Latitude: 50.47612, Longitude: 12.370071, NetworkZone: "eu-central"},
	{ID: 2, Name: "nbg1", Description: "Nuremberg DC Park 1", Country: "DE", City: "Nuremberg", Latitude: 49.452102, Longitude: 11.076665, NetworkZone: "eu-central"},
	{ID: 3, Name: "hel1", Description: "Helsinki DC Park 1", Country: "FI", City: "Helsinki", Latitude: 60.169855, Longitude: 24.938379, NetworkZone: "eu-central"},
	{ID: 4, Name: "ash", Description: "Ashburn, VA", Country: "US", City: "Ashburn, VA", Latitude: 39.045821, Longitude: -77.487073, NetworkZone: "us-east"},
	{ID: 5, Name: "hil", Description: "Hillsboro, OR", Country: "US", City: "Hillsboro, OR", Latitude: 45.54222, Longitude: -122.951924, NetworkZone: "us-west"},
	{ID: 6, Name: "sin", Description: "Singapore", Country: "SG", City: "Singapore", Latitude: 1.283333, Longitude: 103.833333, NetworkZone: "ap-southeast"},
}

// fakeType is a server type of the catalogue and where it is offered.
type fakeType struct {
	id                  int64
	name, desc, cat     string
	cores               int
	memory              float32
	disk                int
	cpu, arch           string
	available, unlisted []string // locations where it is offered; where it is listed but unavailable
}

var fakeTypes = []fakeType{
	{1, "cpx11", "CPX 11", "regular_purpose", 2, 2, 40, "shared", "x86", []string{"fsn1", "nbg1", "hel1", "ash", "hil", "sin"}, nil},
	{2, "cx23", "CX23", "cost_optimized", 2, 4, 40, "shared", "x86", []string{"fsn1", "nbg1", "hel1"}, nil},
	{3, "cx33", "CX33", "cost_optimized", 4, 8, 80, "shared", "x86", []string{"fsn1", "nbg1", "hel1"}, []string{"sin"}},
	{4, "cax11", "CAX11", "cost_optimized", 2, 4, 40, "shared", "arm", []string{"fsn1", "nbg1", "hel1"}, nil},
	{5, "cax21", "CAX21", "cost_optimized", 4, 8, 80, "shared", "arm", []string{"fsn1", "hel1"}, nil},
	{6, "ccx13", "CCX13 Dedicated CPU", "general_purpose", 2, 8, 80, "dedicated", "x86", []string{"fsn1", "nbg1", "hel1", "ash", "hil"}, nil},
	{7, "cpx22", "CPX 22", "regular_purpose", 3, 4.5, 80, "shared", "x86", []string{"ash", "hil", "sin"}, nil},
}

// fakeImages are the system images: name, os flavor and version,
// architecture.
var fakeImages = []struct{ name, flavor, version, arch string }{
	{"ubuntu-24.04", "ubuntu", "24.04", "x86"},
	{"ubuntu-24.04", "ubuntu", "24.04", "arm"},
	{"debian-12", "debian", "12", "x86"},
	{"debian-12", "debian", "12", "arm"},
	{"rocky-9", "rocky", "9", "x86"},
}

// loadCatalogue fills the locations, server types and system images.
func (s *Server) loadCatalogue() {
	s.locations = slices.Clone(fakeLocations)
	for _, t := range fakeTypes {
		st := schema.ServerType{ID: t.id, Name: t.name, Description: t.desc, Category: t.cat, Cores: t.cores,
			Memory: t.memory, Disk: t.disk, StorageType: "local", CPUType: t.cpu, Architecture: t.arch,
			Prices: []schema.PricingServerTypePrice{}}
		for _, l := range s.locations {
			switch {
			case slices.Contains(t.available, l.Name):
				st.Locations = append(st.Locations, schema.ServerTypeLocation{ID: l.ID, Name: l.Name, Available: true, Recommended: true})
			case slices.Contains(t.unlisted, l.Name):
				st.Locations = append(st.Locations, schema.ServerTypeLocation{ID: l.ID, Name: l.Name})
			}
		}
		s.serverTypes = append(s.serverTypes, st)
	}
	created := time.Date(2024, 4, 25, 12, 0, 0, 0, time.UTC)
	for i, img := range fakeImages {
		id := int64(100 + i)
		s.images[id] = &schema.Image{ID: id, Status: "available", Type: "system", Name: ptr(img.name),
			Description: strings.ToUpper(img.flavor[:1]) + img.flavor[1:] + " " + img.version, DiskSize: 5,
			Created: &created, OSFlavor: img.flavor, OSVersion: ptr(img.version), Architecture: img.arch,
			RapidDeploy: true, Labels: map[string]string{}}
	}
}

// ServerTypes returns the catalogue's server types as the API shows them.
func (s *Server) ServerTypes() []schema.ServerType {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.serverTypes)
}

// Locations returns the catalogue's locations.
func (s *Server) Locations() []schema.Location {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.locations)
}

func (s *Server) location(idOrName string) (schema.Location, bool) {
	for _, l := range s.locations {
		if l.Name == idOrName || strconv.FormatInt(l.ID, 10) == idOrName {
			return l, true
		}
	}
	return schema.Location{}, false
}

func (s *Server) serverType(ref schema.IDOrName) (schema.ServerType, bool) {
	for _, t := range s.serverTypes {
		if (ref.ID != 0 && t.ID == ref.ID) || (ref.ID == 0 && t.Name == ref.Name) {
			return t, true
		}
	}
	return schema.ServerType{}, false
}

func (s *Server) listLocations(r *http.Request) (int, any, *apiError) {
	items, meta, e := page(r, named(r, s.locations, func(l schema.Location) string { return l.Name }))
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, struct {
		schema.LocationListResponse
		schema.MetaResponse
	}{schema.LocationListResponse{Locations: items}, schema.MetaResponse{Meta: meta}}, nil
}

func (s *Server) getLocation(r *http.Request) (int, any, *apiError) {
	id, e := pathID(r, "location")
	if e != nil {
		return 0, nil, e
	}
	for _, l := range s.locations {
		if l.ID == id {
			return http.StatusOK, schema.LocationGetResponse{Location: l}, nil
		}
	}
	return 0, nil, notFound("location", id)
}

func (s *Server) listServerTypes(r *http.Request) (int, any, *apiError) {
	items, meta, e := page(r, named(r, s.serverTypes, func(t schema.ServerType) string { return t.Name }))
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, struct {
		schema.ServerTypeListResponse
		schema.MetaResponse
	}{schema.ServerTypeListResponse{ServerTypes: items}, schema.MetaResponse{Meta: meta}}, nil
}

func (s *Server) getServerType(r *http.Request) (int, any, *apiError) {
	id, e := pathID(r, "server type")
	if e != nil {
		return 0, nil, e
	}
	if t, ok := s.serverType(schema.IDOrName{ID: id}); ok {
		return http.StatusOK, schema.ServerTypeGetResponse{ServerType: t}, nil
	}
	return 0, nil, notFound("server_type", id)
}

func (s *Server) listImages(r *http.Request) (int, any, *apiError) {
	items, meta, e := listed(r, s.images, func(q query, img *schema.Image) (schema.Image, bool) {
		name := ""
		if img.Name != nil {
			name = *img.Name
		}
		return *img, q.in("type", img.Type) && q.in("status", img.Status) && q.is("architecture", img.Architecture) &&
			q.is("name", name) && q.match(img.Labels)
	})
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, struct {
		schema.ImageListResponse
		schema.MetaResponse
	}{schema.ImageListResponse{Images: items}, schema.MetaResponse{Meta: meta}}, nil
}

func (s *Server) image(r *http.Request) (*schema.Image, *apiError) {
	return byID(r, s.images, "image", "image")
}

func (s *Server) getImage(r *http.Request) (int, any, *apiError) {
	img, e := s.image(r)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, schema.ImageGetResponse{Image: *img}, nil
}

func (s *Server) updateImage(r *http.Request) (int, any, *apiError) {
	img, e := s.image(r)
	if e != nil {
		return 0, nil, e
	}
	var req schema.ImageUpdateRequest
	if e := decode(r, &req); e != nil {
		return 0, nil, e
	}
	if img.Type == "system" || img.Type == "app" {
		return 0, nil, errf(http.StatusForbidden, "forbidden", "system images cannot be changed")
	}
	if e := checkLabels(req.Labels); e != nil {
		return 0, nil, e
	}
	if req.Description != nil {
		img.Description = *req.Description
	}
	if req.Labels != nil {
		img.Labels = labelsOf(req.Labels)
	}
	return http.StatusOK, schema.ImageUpdateResponse{Image: *img}, nil
}

func (s *Server) deleteImage(r *http.Request) (int, any, *apiError) {
	img, e := s.image(r)
	if e != nil {
		return 0, nil, e
	}
	if img.Type == "system" || img.Type == "app" {
		return 0, nil, errf(http.StatusForbidden, "forbidden", "system images cannot be deleted")
	}
	if img.Protection.Delete {
		return 0, nil, protected("image", img.ID)
	}
	if e := s.locked("image", img.ID); e != nil {
		return 0, nil, e
	}
	delete(s.images, img.ID)
	return http.StatusNoContent, nil, nil
}
