package dotest

import (
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/digitalocean/godo"
)

// Regions are the fake's regions; "sfo1" is unavailable, as retired
// regions are.
var Regions = []godo.Region{
	{Slug: "nyc3", Name: "New York 3", Available: true, Sizes: sizeSlugs(), Features: []string{"backups", "ipv6", "storage"}},
	{Slug: "ams3", Name: "Amsterdam 3", Available: true, Sizes: sizeSlugs(), Features: []string{"backups", "ipv6", "storage"}},
	{Slug: "sfo1", Name: "San Francisco 1", Available: false},
}

// Sizes are the fake's droplet sizes: memory in MiB, disk in GB, as the
// API states them.
var Sizes = []godo.Size{
	{Slug: "s-1vcpu-512mb-10gb", Memory: 512, Vcpus: 1, Disk: 10, PriceMonthly: 4, PriceHourly: 0.00595, Regions: []string{"nyc3", "ams3"}, Available: true, Transfer: 0.5, Description: "Basic"},
	{Slug: "s-1vcpu-1gb", Memory: 1024, Vcpus: 1, Disk: 25, PriceMonthly: 6, PriceHourly: 0.00893, Regions: []string{"nyc3", "ams3"}, Available: true, Transfer: 1, Description: "Basic"},
	{Slug: "s-2vcpu-4gb", Memory: 4096, Vcpus: 2, Disk: 80, PriceMonthly: 24, PriceHourly: 0.03571, Regions: []string{"nyc3", "ams3"}, Available: true, Transfer: 4, Description: "Basic"},
	{Slug: "c-4", Memory: 8192, Vcpus: 4, Disk: 50, PriceMonthly: 84, PriceHourly: 0.125, Regions: []string{"nyc3"}, Available: true, Transfer: 5, Description: "CPU-Optimized"},
	{Slug: "s-8vcpu-16gb-old", Memory: 16384, Vcpus: 8, Disk: 320, Regions: nil, Available: false, Description: "Basic"},
}

// Distributions are the public images.
var Distributions = []godo.Image{
	{ID: 101, Name: "24.04 (LTS) x64", Type: "base", Distribution: "Ubuntu", Slug: "ubuntu-24-04-x64", Public: true, Regions: []string{"nyc3", "ams3"}, MinDiskSize: 7, SizeGigaBytes: 2.3, Created: "2024-04-25T00:00:00Z", Status: "available", Description: "Ubuntu 24.04 x64"},
	{ID: 102, Name: "12 x64", Type: "base", Distribution: "Debian", Slug: "debian-12-x64", Public: true, Regions: []string{"nyc3", "ams3"}, MinDiskSize: 15, SizeGigaBytes: 1.1, Created: "2023-06-10T00:00:00Z", Status: "available", Description: "Debian 12 x64"},
	{ID: 103, Name: "9 x64", Type: "base", Distribution: "Rocky Linux", Slug: "rockylinux-9-x64", Public: true, Regions: []string{"nyc3"}, MinDiskSize: 10, SizeGigaBytes: 1.5, Created: "2023-07-01T00:00:00Z", Status: "available", Description: "Rocky Linux 9"},
}

func sizeSlugs() []string {
	var out []string
	for _, z := range Sizes {
		if z.Available {
			out = append(out, z.Slug)
		}
	}
	return out
}

func (s *Server) catalogueRoutes(mux *http.ServeMux) {
	s.route(mux, "GET /v2/regions", func(r *http.Request) (int, any) {
		return listed(r, "regions", Regions)
	})
	s.route(mux, "GET /v2/sizes", func(r *http.Request) (int, any) {
		return listed(r, "sizes", Sizes)
	})
	s.route(mux, "GET /v2/images", func(r *http.Request) (int, any) {
		var all []godo.Image
		q := r.URL.Query()
		if q.Get("private") != "true" && (q.Get("type") == "" || q.Get("type") == "distribution") {
			all = append(all, Distributions...)
		}
		if q.Get("type") != "distribution" {
			for _, id := range slices.Sorted(maps.Keys(s.images)) {
				if img := s.images[id]; q.Get("tag_name") == "" || hasTag(img.Tags, q.Get("tag_name")) {
					all = append(all, *img)
				}
			}
		}
		return listed(r, "images", all)
	})
	s.route(mux, "GET /v2/images/{id}", func(r *http.Request) (int, any) {
		img := s.image(r.PathValue("id"))
		if img == nil {
			return notFound()
		}
		return 200, map[string]any{"image": img}
	})
	s.route(mux, "DELETE /v2/images/{id}", func(r *http.Request) (int, any) {
		n, err := strconv.Atoi(r.PathValue("id"))
		if _, ok := s.images[n]; err != nil || !ok {
			return notFound()
		}
		delete(s.images, n)
		for _, d := range s.droplets {
			d.SnapshotIDs = slices.DeleteFunc(d.SnapshotIDs, func(id int) bool { return id == n })
		}
		return http.StatusNoContent, nil
	})
}

// image finds a distribution by id or slug, or a snapshot image by id.
func (s *Server) image(idOrSlug string) *godo.Image {
	n, err := strconv.Atoi(idOrSlug)
	for i := range Distributions {
		if d := Distributions[i]; d.Slug == idOrSlug || (err == nil && d.ID == n) {
			return &d
		}
	}
	if img, ok := s.images[n]; err == nil && ok {
		cp := *img
		return &cp
	}
	return nil
}
