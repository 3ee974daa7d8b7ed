package vsphere

import (
	"context"
	"strings"

	"github.com/vmware/govmomi/vim25/mo"

	"github.com/deltacloud-go/deltacloud"
)

// Images lists the datacenter's VM templates.
func (c *conn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	if f.ID != "" {
		img, err := c.image(ctx, s, f.ID)
		if deltacloud.CodeOf(err) == deltacloud.NotFound {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []deltacloud.Image{*img}, nil
	}
	vms, err := c.vms(ctx, s)
	if err != nil {
		return nil, err
	}
	var out []deltacloud.Image
	for i := range vms {
		if isTemplate(&vms[i]) {
			if img := imageOf(&vms[i]); f.Match(img) {
				out = append(out, img)
			}
		}
	}
	return out, nil
}

// Image returns one template; any other id is ErrNotFound.
func (c *conn) Image(ctx context.Context, id string) (*deltacloud.Image, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	return c.image(ctx, s, id)
}

func (c *conn) image(ctx context.Context, s *state, id string) (*deltacloud.Image, error) {
	vm, err := c.vm(ctx, s, id)
	if err != nil {
		return nil, notFoundAs(err, "image", id)
	}
	if !isTemplate(vm) {
		return nil, notFound("image", id)
	}
	img := imageOf(vm)
	return &img, nil
}

// imageOf maps a template onto an image.
func imageOf(vm *mo.VirtualMachine) deltacloud.Image {
	img := deltacloud.Image{ID: vm.Self.Value, Name: vm.Name, State: "AVAILABLE", RootType: "persistent"}
	if cfg := vm.Config; cfg != nil {
		img.Description = cfg.Annotation
		img.Architecture = architecture(cfg.GuestId)
		if cfg.CreateDate != nil {
			img.CreationTime = *cfg.CreateDate
		}
	}
	return img
}

// architecture guesses the architecture from a guest id: vSphere's 64-bit
// guests end in "64" or "64Guest" ("ubuntu64Guest", "windows2019srv_64Guest",
// "arm64…" aside); others say nothing.
func architecture(guestID string) string {
	g := strings.ToLower(guestID)
	switch {
	case strings.HasPrefix(g, "arm64"):
		return "arm64"
	case strings.Contains(g, "64"):
		return "x86_64"
	}
	return ""
}
