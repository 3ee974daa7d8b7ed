package openstacktest

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

// image is a Glance image.
type image struct {
	id, name, owner, visibility, status string
	arch, distro                        string
	size                                int64
	created                             time.Time
	props                               map[string]string
}

// Images are the ids of the fake's seeded images: a public CirrOS, a
// public aarch64 Ubuntu, the project's own and one shared with it.
const (
	ImageCirros  = "6f6ff8c6-0d59-4ab5-9a4c-3c2b2d5b1a01"
	ImageUbuntu  = "9a1b3c5d-7e9f-4a1b-8c3d-5e7f9a1b3c02"
	ImagePrivate = "0c2e4a6b-8d0f-4b2d-9e4f-6a8b0c2d4e03"
	ImageShared  = "d4e6f8a0-b2c4-4d6e-8f0a-b2c4d6e8f004"
	otherProject = "1a2b3c4d5e6f70819a2b3c4d5e6f7081"
)

func (c *Cloud) seedImages() {
	t := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, img := range []*image{
		{id: ImageCirros, name: "cirros-0.6.2-x86_64-disk", owner: otherProject, visibility: "public", arch: "x86_64", distro: "cirros", size: 21430272},
		{id: ImageUbuntu, name: "ubuntu-24.04-arm64", owner: otherProject, visibility: "public", arch: "aarch64", distro: "ubuntu", size: 612368384},
		{id: ImagePrivate, name: "demo-golden", owner: ProjectID, visibility: "private", arch: "x86_64", distro: "debian", size: 342884352},
		{id: ImageShared, name: "shared-centos", owner: otherProject, visibility: "shared", arch: "x86_64", distro: "centos", size: 987758592},
	} {
		img.status, img.created = "active", t
		c.images[img.id] = img
	}
}

// snapshotImage registers a server snapshot; c.mu is held. It is queued,
// then saving, then active.
func (c *Cloud) snapshotImage(s *server, name string, meta map[string]string) *image {
	base := c.images[s.image]
	img := &image{id: newID(), name: name, owner: ProjectID, visibility: "private", status: "queued", created: time.Now(), props: meta}
	if base != nil {
		img.arch, img.distro = base.arch, base.distro
	}
	c.images[img.id] = img
	step := c.step
	go func() {
		for _, st := range []string{"saving", "active"} {
			time.Sleep(step)
			c.mu.Lock()
			if c.images[img.id] == img {
				img.status = st
				if st == "active" {
					img.size = 21430272
				}
			}
			c.mu.Unlock()
		}
	}()
	return img
}

func (c *Cloud) imageJSON(img *image) map[string]any {
	out := map[string]any{
		"id": img.id, "name": img.name, "status": img.status, "visibility": img.visibility, "owner": img.owner,
		"protected": false, "os_hidden": false, "tags": []string{}, "container_format": "bare", "disk_format": "qcow2",
		"min_disk": 0, "min_ram": 0, "virtual_size": nil, "checksum": nil, "os_hash_algo": nil, "os_hash_value": nil,
		"created_at": stamp(img.created), "updated_at": stamp(img.created),
		"self": "/v2/images/" + img.id, "file": "/v2/images/" + img.id + "/file", "schema": "/v2/schemas/image",
	}
	if img.size > 0 {
		out["size"] = img.size
	} else {
		out["size"] = nil
	}
	if img.arch != "" {
		out["architecture"] = img.arch
	}
	if img.distro != "" {
		out["os_distro"] = img.distro
	}
	for k, v := range img.props {
		out[k] = v
	}
	return out
}

// visible is Glance's default listing: the project's images, public ones
// and those shared with it.
func visible(img *image) bool {
	return img.owner == ProjectID || img.visibility == "public" || img.visibility == "shared" || img.visibility == "community"
}

func (c *Cloud) serveImages(w http.ResponseWriter, r *http.Request, path string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if parts[0] != "images" {
		http.NotFound(w, r)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(parts) == 2 {
		img, ok := c.images[parts[1]]
		if !ok || !visible(img) {
			http.Error(w, "404 Not Found\n\nNo image found with ID "+parts[1]+"\n\n   ", http.StatusNotFound)
			return
		}
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, c.imageJSON(img))
		case http.MethodDelete:
			if img.owner != ProjectID {
				http.Error(w, "403 Forbidden\n\nYou are not authorized to complete delete_image action.\n\n   ", http.StatusForbidden)
				return
			}
			delete(c.images, img.id)
			w.WriteHeader(http.StatusNoContent)
		default:
			http.Error(w, "405 Method Not Allowed", http.StatusMethodNotAllowed)
		}
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "405 Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	var list []*image
	for _, img := range c.images {
		if !visible(img) {
			continue
		}
		if v := q.Get("visibility"); v != "" && v != "all" && img.visibility != v {
			continue
		}
		if v := q.Get("owner"); v != "" && img.owner != v {
			continue
		}
		if v := q.Get("status"); v != "" && img.status != v {
			continue
		}
		if v := q.Get("id"); v != "" && img.id != v {
			continue
		}
		list = append(list, img)
	}
	// Glance's default sort: created_at desc, then id desc.
	sort.Slice(list, func(i, j int) bool {
		if !list[i].created.Equal(list[j].created) {
			return list[i].created.After(list[j].created)
		}
		return list[i].id > list[j].id
	})
	ids := make([]string, len(list))
	byID := map[string]*image{}
	for i, img := range list {
		ids[i], byID[img.id] = img.id, img
	}
	got, more, ok := page(ids, q, min(25, c.pageSize))
	if !ok {
		http.Error(w, "400 Bad Request\n\nmarker not found\n\n   ", http.StatusBadRequest)
		return
	}
	out := []map[string]any{}
	for _, id := range got {
		out = append(out, c.imageJSON(byID[id]))
	}
	body := map[string]any{"images": out, "schema": "/v2/schemas/images", "first": "/v2/images"}
	if more {
		next := "/v2/images?marker=" + got[len(got)-1]
		if l := q.Get("limit"); l != "" {
			next += "&limit=" + l
		}
		body["next"] = next
	}
	writeJSON(w, http.StatusOK, body)
}
