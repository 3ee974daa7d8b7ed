package all_test

import (
	"os"
	"slices"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/all"
)

// TestAllRegistered: every driver directory of the module (drivers/NAME
// registers NAME) is registered by the import, so a new driver cannot be
// forgotten in all.go.
func TestAllRegistered(t *testing.T) {
	var names []string
	for _, d := range deltacloud.Drivers() {
		names = append(names, d.Name)
	}
	dirs, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		want := d.Name()
		if !d.IsDir() || want == "all" || want == "drivertest" {
			continue
		}
		if !slices.Contains(names, want) {
			t.Errorf("driver %q is not registered; registered: %v", want, names)
		}
	}
}
