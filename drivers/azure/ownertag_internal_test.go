package azure

import (
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// TestOwnerTagIsAUserTag: the portable ownership mark is written and shown
// like any user tag, not refused or hidden as one of the driver's own.
func TestOwnerTagIsAUserTag(t *testing.T) {
	spec := deltacloud.InstanceSpec{}.Marked("broker-1")
	if err := checkUserTags(spec.Tags); err != nil {
		t.Fatalf("a marked spec is refused: %v", err)
	}
	got := userTags(withUserTags(map[string]*string{TagOwner: new(string)}, spec.Tags))
	if got[deltacloud.OwnerTag] != "broker-1" || len(got) != 1 {
		t.Errorf("user tags of a marked VM = %v, want only the mark", got)
	}
}
