package deltacloud

import (
	"fmt"
	"slices"
	"strings"
)

// RunsImage says whether instances of img can be launched on this profile
// with the given property overrides: nil if they can, otherwise an
// InvalidArgument *Error saying why. It is the one rule both
// Provider.CreateInstance and the API's launch form apply:
//
//   - an image that names the profiles it runs on (Image.HardwareProfiles)
//     runs only on those;
//   - when both the image and the profile state an architecture, they must
//     agree: an architecture override must be the image's, and without one
//     the profile must allow the image's (a fixed architecture equal to it,
//     or an enum that includes it, as EC2's types that run both i386 and
//     x86_64 do). A profile that states none (opaque) runs any image.
//
// An image or override that states no architecture leaves the choice to the
// cloud.
func (h HardwareProfile) RunsImage(img Image, overrides map[string]string) error {
	if img.HardwareProfiles != nil && !slices.Contains(img.HardwareProfiles, h.ID) {
		return &Error{Code: InvalidArgument, Message: fmt.Sprintf("image %s does not run on hardware profile %s; it runs on: %s",
			img.ID, h.ID, strings.Join(img.HardwareProfiles, ", "))}
	}
	want := strings.TrimSpace(img.Architecture)
	if want == "" {
		return nil
	}
	if arch := strings.TrimSpace(overrides[PropertyArchitecture]); arch != "" {
		if arch != want {
			return &Error{Code: InvalidArgument, Message: fmt.Sprintf("image %s is %s, but the architecture asked for is %s", img.ID, want, arch)}
		}
		return nil
	}
	p, ok := h.Property(PropertyArchitecture)
	if !ok || p.Contains(want) {
		return nil
	}
	return &Error{Code: InvalidArgument, Message: fmt.Sprintf("image %s is %s, but hardware profile %s is %s", img.ID, want, h.ID, p.describe())}
}

// CanRun reports whether img can be launched on this profile at all (with
// no overrides, see RunsImage): forms use it to offer only the profiles the
// create will accept.
func (h HardwareProfile) CanRun(img Image) bool { return h.RunsImage(img, nil) == nil }
