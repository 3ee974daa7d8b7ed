package azure

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"

	"github.com/deltacloud-go/deltacloud"
)

// URN names a marketplace image as publisher:offer:sku:version; the version
// may be "latest".
type URN struct {
	Publisher, Offer, SKU, Version string
}

// String formats the URN as ParseURN reads it.
func (u URN) String() string { return u.Publisher + ":" + u.Offer + ":" + u.SKU + ":" + u.Version }

var (
	urnPartRE    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
	urnVersionRE = regexp.MustCompile(`^(latest|[0-9]{1,10}(\.[0-9]{1,20}){0,3})$`)
)

// ParseURN reads a marketplace image URN. Publisher, offer and sku are
// 1-128 letters, digits, '.', '_' or '-' starting with a letter or digit;
// the version is "latest" or up to four dot-separated numbers
// ("22.04.202401010").
func ParseURN(s string) (URN, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 4 {
		return URN{}, invalid("image %q is not a marketplace URN publisher:offer:sku:version", s)
	}
	u := URN{Publisher: parts[0], Offer: parts[1], SKU: parts[2], Version: parts[3]}
	for _, p := range parts[:3] {
		if !urnPartRE.MatchString(p) {
			return URN{}, invalid("image %q: %q is not a valid publisher, offer or sku", s, p)
		}
	}
	if strings.EqualFold(u.Version, "latest") {
		u.Version = "latest"
	}
	if !urnVersionRE.MatchString(u.Version) {
		return URN{}, invalid("image %q: version %q is neither latest nor a version number", s, u.Version)
	}
	return u, nil
}

// isURN tells the two kinds of image ids apart: marketplace URNs contain
// colons, which Azure resource names cannot.
func isURN(id string) bool { return strings.Contains(id, ":") }

// Images lists the configured marketplace images available in the location
// and the resource group's own images. An id filter fetches just that image,
// so any marketplace URN can be shown and launched, listed or not.
func (c *conn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	if f.ID != "" {
		img, err := c.Image(ctx, f.ID)
		if deltacloud.CodeOf(err) == deltacloud.NotFound || deltacloud.CodeOf(err) == deltacloud.InvalidArgument {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []deltacloud.Image{*img}, nil
	}
	imgs := make([]deltacloud.Image, len(c.opts.images))
	found := make([]bool, len(c.opts.images))
	errs := make([]error, len(c.opts.images))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, u := range c.opts.images {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			img, _, err := c.marketplaceImage(ctx, u)
			switch {
			case isNotFound(err), deltacloud.CodeOf(err) == deltacloud.NotFound:
				// Not offered in this location: not listed.
			case err != nil:
				errs[i] = wrap(err)
			default:
				imgs[i], found[i] = img, true
			}
		}()
	}
	wg.Wait()
	var out []deltacloud.Image
	for i := range imgs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if found[i] {
			out = append(out, imgs[i])
		}
	}
	pg := c.images.NewListByResourceGroupPager(c.scope.ResourceGroup, nil)
	for pg.More() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, wrap(err)
		}
		for _, img := range page.Value {
			if img != nil {
				out = append(out, c.customImageOf(img))
			}
		}
	}
	return out, nil
}

// Image returns one image by URN or by the name of an image of the
// resource group.
func (c *conn) Image(ctx context.Context, id string) (*deltacloud.Image, error) {
	if isURN(id) {
		u, err := ParseURN(id)
		if err != nil {
			return nil, deltacloud.Errorf(deltacloud.NotFound, "azure: image %q not found: %v", id, err)
		}
		img, _, err := c.marketplaceImage(ctx, u)
		if err != nil {
			return nil, notFoundAs(err, "image", id)
		}
		return &img, nil
	}
	if !resourceNameRE.MatchString(id) {
		return nil, deltacloud.Errorf(deltacloud.NotFound, "azure: image %q not found", id)
	}
	resp, err := c.images.Get(ctx, c.scope.ResourceGroup, id, nil)
	if err != nil {
		return nil, notFoundAs(err, "image", id)
	}
	img := c.customImageOf(&resp.Image)
	return &img, nil
}

// notFoundAs wraps err, naming the object when it is a 404.
func notFoundAs(err error, kind, id string) error {
	if isNotFound(err) {
		return &deltacloud.Error{Code: deltacloud.NotFound, Message: fmt.Sprintf("azure: %s %q not found", kind, id), Err: err}
	}
	return wrap(err)
}

// resourceNameRE is what Azure accepts as a compute resource name.
var resourceNameRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$`)

// marketplaceImage resolves a URN ("latest" to the newest version) and
// describes it; it also returns the OS type.
func (c *conn) marketplaceImage(ctx context.Context, u URN) (deltacloud.Image, armcompute.OperatingSystemTypes, error) {
	version := u.Version
	if version == "latest" {
		resp, err := c.vmImgs.List(ctx, c.scope.Location, u.Publisher, u.Offer, u.SKU,
			&armcompute.VirtualMachineImagesClientListOptions{Top: to.Ptr[int32](1), Orderby: to.Ptr("name desc")})
		if err != nil {
			return deltacloud.Image{}, "", err
		}
		if len(resp.VirtualMachineImageResourceArray) == 0 || resp.VirtualMachineImageResourceArray[0] == nil {
			return deltacloud.Image{}, "", notFoundError(u.String())
		}
		version = str(resp.VirtualMachineImageResourceArray[0].Name)
	}
	resp, err := c.vmImgs.Get(ctx, c.scope.Location, u.Publisher, u.Offer, u.SKU, version, nil)
	if err != nil {
		return deltacloud.Image{}, "", err
	}
	img := deltacloud.Image{
		ID:          u.String(),
		Name:        u.Offer + " " + u.SKU,
		Description: fmt.Sprintf("%s %s %s version %s", u.Publisher, u.Offer, u.SKU, version),
		Owner:       u.Publisher,
		State:       "AVAILABLE",
		RootType:    "persistent",
	}
	var os armcompute.OperatingSystemTypes
	if p := resp.Properties; p != nil {
		img.Architecture = archOf(p.Architecture)
		if p.OSDiskImage != nil && p.OSDiskImage.OperatingSystem != nil {
			os = *p.OSDiskImage.OperatingSystem
		}
		if p.ImageDeprecationStatus != nil && p.ImageDeprecationStatus.ImageState != nil &&
			*p.ImageDeprecationStatus.ImageState != armcompute.ImageStateActive {
			img.State = strings.ToUpper(string(*p.ImageDeprecationStatus.ImageState))
		}
	}
	if img.Architecture == "" {
		img.Architecture = "x86_64"
	}
	return img, os, nil
}

// customImageOf maps an image of the resource group; its id is its name.
func (c *conn) customImageOf(img *armcompute.Image) deltacloud.Image {
	out := deltacloud.Image{
		ID:           str(img.Name),
		Name:         str(img.Name),
		Owner:        c.scope.SubscriptionID,
		Architecture: "x86_64",
		State:        "AVAILABLE",
		RootType:     "persistent",
	}
	if p := img.Properties; p != nil {
		if p.ProvisioningState != nil && !strings.EqualFold(*p.ProvisioningState, "Succeeded") {
			out.State = strings.ToUpper(*p.ProvisioningState)
		}
		if p.StorageProfile != nil && p.StorageProfile.OSDisk != nil && p.StorageProfile.OSDisk.OSType != nil {
			out.Description = string(*p.StorageProfile.OSDisk.OSType) + " image " + str(img.Name)
		}
	}
	return out
}

// archOf maps an image architecture onto Deltacloud's names.
func archOf(a *armcompute.ArchitectureTypes) string {
	if a == nil {
		return ""
	}
	switch *a {
	case armcompute.ArchitectureTypesArm64:
		return "arm64"
	case armcompute.ArchitectureTypesX64:
		return "x86_64"
	}
	return strings.ToLower(string(*a))
}

// notFoundError is the error for an image with no versions.
func notFoundError(what string) error {
	return deltacloud.Errorf(deltacloud.NotFound, "azure: image %s has no versions in this location", what)
}
