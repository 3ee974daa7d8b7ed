package fleet

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// Need is what a workload asks of a cloud, for Match.
type Need struct {
	// Requirements are the least cpu, memory (MiB) and storage (GB) and the
	// architecture; deltacloud.ConvertSize turns other units into these.
	deltacloud.Requirements
	// Realm, when set, is the realm the instance must run in; otherwise
	// every available realm is a place to run.
	Realm string
	// ImageID picks the image by id. Without it, Image picks every image
	// whose name or description contains it (case-insensitively), e.g.
	// "fedora"; with neither, every image is considered.
	ImageID string
	Image   string
}

// Candidate is one way to run the workload: where, on which profile with
// which property values, from which image.
type Candidate struct {
	Provider string
	Realm    deltacloud.Realm
	Profile  deltacloud.HardwareProfile
	// Properties are the profile's property values that meet the need:
	// ranges resolved to the smallest value that fits, enums to the smallest
	// member that fits, fixed values as they are (HardwareProfile.Fit).
	Properties map[string]string
	Image      deltacloud.Image
}

// Spec is the candidate as the spec to create it with.
func (c Candidate) Spec() deltacloud.InstanceSpec {
	return deltacloud.InstanceSpec{ImageID: c.Image.ID, RealmID: c.Realm.ID, ProfileID: c.Profile.ID, Properties: c.Properties}
}

// Rejection is a profile, image or realm passed over, and why.
type Rejection struct {
	Provider string
	// What names what was passed over: "hardware profile m1-small",
	// "image img2 on m1-large", "realm eu".
	What   string
	Reason string
}

// Matches is what Match found.
type Matches struct {
	// Candidates are ranked smallest first (see Match).
	Candidates []Candidate
	// Rejected says, for every profile, image and realm passed over, why.
	Rejected []Rejection
}

// Match finds every candidate across the fleet that meets need: for each
// member, its available realms (or need.Realm), its hardware profiles that
// fit need.Requirements and the images the need names that run on them. A
// member that fails is reported in the error as in Collect; the others'
// matches are returned.
//
// Candidates are ranked smallest first: by cpu, then memory, then storage
// (the values the candidate would get, compared as numbers; a profile that
// does not state one — an opaque profile — comes after those that do), then
// by provider name, realm, profile and image id. The first candidate is the
// smallest that fits.
func (f *Fleet) Match(ctx context.Context, need Need) (Matches, error) {
	items, err := Collect(ctx, f, func(ctx context.Context, p *deltacloud.Provider) ([]Matches, error) {
		m, err := matchOne(ctx, p, need)
		return []Matches{m}, err
	})
	var out Matches
	for _, it := range items {
		for _, c := range it.Value.Candidates {
			c.Provider = it.Provider
			out.Candidates = append(out.Candidates, c)
		}
		for _, r := range it.Value.Rejected {
			r.Provider = it.Provider
			out.Rejected = append(out.Rejected, r)
		}
	}
	slices.SortStableFunc(out.Candidates, compareCandidates)
	return out, err
}

// matchOne matches one provider; the results have no Provider yet.
func matchOne(ctx context.Context, p *deltacloud.Provider, need Need) (Matches, error) {
	var m Matches
	realms, err := p.Realms(ctx)
	if err != nil {
		return m, err
	}
	var places []deltacloud.Realm
	for _, r := range realms {
		switch {
		case need.Realm != "" && r.ID != need.Realm:
		case r.State != deltacloud.RealmAvailable:
			m.Rejected = append(m.Rejected, Rejection{What: "realm " + r.ID, Reason: "realm is " + string(r.State)})
		default:
			places = append(places, r)
		}
	}
	if len(places) == 0 {
		reason := "no available realm"
		if need.Realm != "" {
			reason = "no available realm " + need.Realm
		}
		m.Rejected = append(m.Rejected, Rejection{What: "realms", Reason: reason})
		return m, nil
	}
	images, err := p.Images(ctx, deltacloud.ImageFilter{ID: need.ImageID})
	if errors.Is(err, deltacloud.ErrNotFound) && need.ImageID != "" {
		images, err = nil, nil
	}
	if err != nil {
		return m, err
	}
	images = slices.DeleteFunc(images, func(img deltacloud.Image) bool { return !imageNamed(img, need.Image) })
	if len(images) == 0 {
		m.Rejected = append(m.Rejected, Rejection{What: "images", Reason: "no image " + cmp.Or(need.ImageID, fmt.Sprintf("named like %q", need.Image))})
		return m, nil
	}
	profiles, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil {
		return m, err
	}
	for _, h := range profiles {
		props, err := h.Fit(need.Requirements)
		if err != nil {
			m.Rejected = append(m.Rejected, Rejection{What: "hardware profile " + h.ID, Reason: fitReason(err)})
			continue
		}
		for _, img := range images {
			if err := h.RunsImage(img, props); err != nil {
				m.Rejected = append(m.Rejected, Rejection{What: "image " + img.ID + " on " + h.ID, Reason: errorReason(err)})
				continue
			}
			for _, r := range places {
				m.Candidates = append(m.Candidates, Candidate{Realm: r, Profile: h, Properties: props, Image: img})
			}
		}
	}
	return m, nil
}

// imageNamed reports whether img's name or description contains s,
// ignoring case; an empty s names every image.
func imageNamed(img deltacloud.Image, s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return s == "" || strings.Contains(strings.ToLower(img.Name), s) || strings.Contains(strings.ToLower(img.Description), s)
}

// fitReason is a FitError's shortfalls in words.
func fitReason(err error) string {
	var fe *deltacloud.FitError
	if !errors.As(err, &fe) {
		return errorReason(err)
	}
	reasons := make([]string, len(fe.Shortfalls))
	for i, s := range fe.Shortfalls {
		reasons[i] = s.Reason
	}
	return strings.Join(reasons, "; ")
}

// errorReason is an error's message without the package prefixes.
func errorReason(err error) string {
	var e *deltacloud.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// compareCandidates orders candidates smallest first (see Match).
func compareCandidates(a, b Candidate) int {
	for _, name := range []string{deltacloud.PropertyCPU, deltacloud.PropertyMemory, deltacloud.PropertyStorage} {
		if c := compareSize(a.size(name), b.size(name)); c != 0 {
			return c
		}
	}
	return cmp.Or(
		strings.Compare(a.Provider, b.Provider),
		strings.Compare(a.Realm.ID, b.Realm.ID),
		strings.Compare(a.Profile.ID, b.Profile.ID),
		strings.Compare(a.Image.ID, b.Image.ID),
	)
}

// size is the value the candidate would get for a numeric property: the
// fitted value, else the profile's default; nil when the profile does not
// state it.
func (c Candidate) size(name string) *big.Rat {
	if c.Profile.Opaque() {
		return nil // the fitted figures are only what was asked
	}
	v := c.Properties[name]
	if v == "" {
		v = c.Profile.Value(name)
	}
	r, ok := new(big.Rat).SetString(strings.TrimSpace(v))
	if !ok {
		return nil
	}
	return r
}

// compareSize orders sizes ascending, unknown (nil) last.
func compareSize(a, b *big.Rat) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return a.Cmp(b)
}
