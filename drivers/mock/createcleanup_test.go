package mock_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// TestFailedCreateLeavesNothing: a create whose last step (storing the
// client token) fails after its instances were stored takes them back:
// neither the listing nor the storage directory keeps them.
func TestFailedCreateLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	p := openMock(t, map[string]string{"storage": dir})
	ctx := t.Context()
	before := ids(t, p)
	files := func() []string {
		es, err := os.ReadDir(filepath.Join(dir, "instances"))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		return names
	}
	stored := files()
	// The token collection becomes a file: storing a token fails (also
	// for root, unlike a permission change).
	tokens := filepath.Join(dir, "client_tokens")
	if err := os.RemoveAll(tokens); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tokens, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", ClientToken: "t-1"})
	if err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Fatalf("create = %v, want the token's storage failure", err)
	}
	if diff := cmp.Diff(before, ids(t, p)); diff != "" {
		t.Errorf("instances after the failed create (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(stored, files()); diff != "" {
		t.Errorf("stored instances after the failed create (-want +got):\n%s", diff)
	}
}
