package dotest

import (
	"net/http"
	"strconv"

	"github.com/digitalocean/godo"
)

// tagResources is POST /v2/tags/{name}/resources: it adds an existing tag
// to droplets, images, volumes and volume snapshots (godo's
// TagResourcesRequest); an unknown tag or resource is not_found, another
// resource type unprocessable.
func (s *Server) tagResources(r *http.Request) (int, any) {
	name := r.PathValue("name")
	if !s.tags[name] {
		return notFound()
	}
	var req godo.TagResourcesRequest
	if e := decode(r, &req); e != nil {
		return 0, *e
	}
	var targets []*[]string
	for _, res := range req.Resources {
		n, _ := strconv.Atoi(res.ID)
		var tags *[]string
		switch res.Type {
		case godo.DropletResourceType:
			if d, ok := s.droplets[n]; ok {
				tags = &d.Tags
			}
		case godo.ImageResourceType:
			if img, ok := s.images[n]; ok {
				tags = &img.Tags
			}
		case godo.VolumeResourceType:
			if v, ok := s.volumes[res.ID]; ok {
				tags = &v.Tags
			}
		case godo.VolumeSnapshotResourceType:
			if sn, ok := s.snaps[res.ID]; ok {
				tags = &sn.Tags
			}
		default:
			return unprocessable("resource type %q cannot be tagged", res.Type)
		}
		if tags == nil {
			return notFound()
		}
		targets = append(targets, tags)
	}
	for _, tags := range targets {
		if !hasTag(*tags, name) {
			*tags = append(*tags, name)
		}
	}
	return http.StatusNoContent, nil
}
