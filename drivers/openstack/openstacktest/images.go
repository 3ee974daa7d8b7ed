package openstacktest

import (
	"crypto/md5"
	"crypto/sha512"
	"encoding/hex"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// image is a Glance image.
type image struct {
	id, name, owner, visibility, status string
	arch, distro                        string
	size                                int64
	minDisk                             int
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
	// The properties Nova writes on a snapshot (Zed), then the request's.
	props := map[string]string{"image_type": "snapshot", "instance_uuid": s.id, "base_image_ref": s.image,
		"boot_roles": "member,reader", "owner_user_name": User, "owner_project_name": Project, "user_id": UserID}
	for k, v := range meta {
		props[k] = v
	}
	img := &image{id: newID(), name: name, owner: ProjectID, visibility: "private", status: "queued", created: time.Now(), props: props}
	if base != nil {
		img.arch, img.distro = base.arch, base.distro
	}
	for _, f := range c.flavors {
		if f.ID == s.flavor {
			img.minDisk = f.Disk
		}
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
		"protected": false, "os_hidden": false, "tags": []string{}, "container_format": nil, "disk_format": nil,
		"min_disk": img.minDisk, "min_ram": 0, "size": nil, "virtual_size": nil, "checksum": nil, "os_hash_algo": nil,
		"os_hash_value": nil, "created_at": stamp(img.created), "updated_at": stamp(img.created),
		"self": "/v2/images/" + img.id, "file": "/v2/images/" + img.id + "/file", "schema": "/v2/schemas/image",
	}
	// Formats, size and hashes come with the data (a snapshot Nova has not
	// uploaded yet has none).
	if img.status == "active" && img.size > 0 {
		md5sum, sha := md5.Sum([]byte(img.id)), sha512.Sum512([]byte(img.id))
		out["container_format"], out["disk_format"], out["size"], out["virtual_size"] = "bare", "qcow2", img.size, img.size
		out["checksum"], out["os_hash_algo"], out["os_hash_value"] = hex.EncodeToString(md5sum[:]), "sha512", hex.EncodeToString(sha[:])
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
		switch {
		case (!ok || !visible(img)) && r.Method == http.MethodDelete:
			glanceError(w, r, http.StatusNotFound, "Failed to find image "+parts[1]+" to delete")
			return
		case !ok || !visible(img):
			glanceError(w, r, http.StatusNotFound, "No image found with ID "+parts[1])
			return
		}
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, c.imageJSON(img))
		case http.MethodDelete:
			if img.owner != ProjectID {
				glanceError(w, r, http.StatusForbidden, "You do not own this image")
				return
			}
			delete(c.images, img.id)
			w.WriteHeader(http.StatusNoContent)
		default:
			glanceError(w, r, http.StatusMethodNotAllowed, "The method "+r.Method+" is not allowed for this resource. ")
		}
		return
	}
	if r.Method != http.MethodGet {
		glanceError(w, r, http.StatusMethodNotAllowed, "The method "+r.Method+" is not allowed for this resource. ")
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
		if v := q.Get("name"); v != "" && img.name != v {
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
		glanceError(w, r, http.StatusBadRequest, "No image found with ID "+q.Get("marker"))
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

// glanceError is Glance's (webob's) error: JSON when the client accepts it,
// as gophercloud does ({"message": "…<br /><br />\n\n\n", "code": "404
// Not Found", "title": "Not Found"}), plain text otherwise.
func glanceError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	code := strconv.Itoa(status) + " " + http.StatusText(status)
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		if status != http.StatusMethodNotAllowed {
			msg += "<br /><br />\n\n\n"
		} else {
			msg += "<br /><br />\n"
		}
		writeJSON(w, status, map[string]any{"message": msg, "code": code, "title": http.StatusText(status)})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	w.WriteHeader(status)
	io.WriteString(w, code+"\n\n"+msg+"\n\n   ")
}
