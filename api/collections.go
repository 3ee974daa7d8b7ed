package api

import (
	"net/http"
	"slices"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The read-only collections: drivers, realms, hardware profiles, images and
// instance states. Each handler fetches through the Provider and renders the
// wire document in the negotiated format.

func driversIndex(q *request) error {
	infos := deltacloud.Drivers()
	doc := wire.NewDrivers(q.base, infos)
	return q.render(http.StatusOK, doc, func() any { return wire.NewDriversJSON(q.base, infos) }, "drivers", doc)
}

func driverShow(q *request) error {
	for _, info := range deltacloud.Drivers() {
		if info.Name == q.id {
			doc := wire.NewDriver(q.base, info)
			return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "driver", doc)
		}
	}
	return &deltacloud.Error{Code: deltacloud.NotFound, Message: "Not Found"}
}

func realmsIndex(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	rs, err := p.Realms(q.r.Context())
	if err != nil {
		return err
	}
	if id := q.params.Get("id"); id != "" {
		rs = slices.DeleteFunc(rs, func(r deltacloud.Realm) bool { return r.ID != id })
	}
	doc := wire.NewRealms(q.base, rs)
	return q.render(http.StatusOK, doc, func() any { return doc.JSON() }, "realms", doc)
}

func realmShow(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	r, err := p.Realm(q.r.Context(), q.id)
	if err != nil {
		return err
	}
	doc := wire.NewRealm(q.base, *r)
	return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "realm", doc)
}

func profilesIndex(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	arch := q.params.Get("architecture")
	hs, err := p.HardwareProfiles(q.r.Context(), deltacloud.HardwareProfileFilter{ID: q.params.Get("id")})
	if err != nil {
		return err
	}
	if arch != "" {
		hs = slices.DeleteFunc(hs, func(h deltacloud.HardwareProfile) bool { return !statesArchitecture(h, arch) })
	}
	doc := wire.NewHardwareProfiles(q.base, hs)
	return q.render(http.StatusOK, doc, func() any { return doc.JSON() }, "hardware_profiles", doc)
}

// statesArchitecture is the listing's architecture filter, the original
// server's: a profile is listed when its architecture property allows arch
// (a fixed value equal to it or an enum that includes it). A profile that
// states no architecture — the opaque one — is left out, because a listing
// filtered by architecture answers which profiles are known to have it.
// This is narrower than HardwareProfileFilter.Match, which lets the opaque
// profile through so that it can still be chosen at create.
func statesArchitecture(h deltacloud.HardwareProfile, arch string) bool {
	p, ok := h.Property(deltacloud.PropertyArchitecture)
	return ok && p.Contains(arch)
}

func profileShow(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	h, err := p.HardwareProfile(q.r.Context(), q.id)
	if err != nil {
		return err
	}
	doc := wire.NewHardwareProfile(q.base, *h)
	return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "hardware_profile", doc)
}

// imageOptions says which action links images get from this provider:
// destroy_image where the driver can delete images.
func imageOptions(p *deltacloud.Provider) wire.ImageOptions {
	return wire.ImageOptions{CreateInstance: true, DestroyImage: p.Supports(deltacloud.CapabilityDestroyImage)}
}

func imagesIndex(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	imgs, err := p.Images(q.r.Context(), deltacloud.ImageFilter{
		ID: q.params.Get("id"), Architecture: q.params.Get("architecture"), Owner: q.params.Get("owner_id")})
	if err != nil {
		return err
	}
	doc := wire.NewImages(q.base, imgs, imageOptions(p))
	return q.render(http.StatusOK, doc, func() any { return doc.JSON() }, "images", doc)
}

func imageShow(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	img, err := p.Image(q.r.Context(), q.id)
	if err != nil {
		return err
	}
	doc := wire.NewImage(q.base, *img, imageOptions(p))
	return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "image", doc)
}

func statesIndex(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	m := p.Lifecycle()
	if q.format == formatGV {
		q.write(http.StatusOK, formatGV, []byte(wire.Graphviz(m)))
		return nil
	}
	doc := wire.NewStates(m)
	return q.render(http.StatusOK, doc, func() any { return doc.JSON() }, "instance_states", doc)
}

// onlyID keeps the items whose id the request's "id" parameter names, when
// it names one: every collection's index takes that filter, as the
// original's do (an unknown id lists nothing).
func onlyID[T any](q *request, items []T, id func(T) string) []T {
	want := q.params.Get("id")
	if want == "" {
		return items
	}
	return slices.DeleteFunc(items, func(x T) bool { return id(x) != want })
}
