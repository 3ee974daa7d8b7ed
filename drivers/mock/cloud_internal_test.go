package mock

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// TestDriverStateChecks calls the cloud directly, past the Provider's own
// checks, so the mock's checks are tested by themselves.
func TestDriverStateChecks(t *testing.T) {
	c := newCloud(fixtureState())
	if _, err := c.act("inst2", deltacloud.ActionStop); err != nil {
		t.Fatal(err)
	}
	if err := c.associateAddress(User, "192.168.0.1", "inst0"); err != nil {
		t.Fatal(err)
	}
	second := func(_ any, err error) error { return err }
	cases := []struct {
		name string
		err  error
		code deltacloud.Code
	}{
		{"destroy attached volume", c.destroyVolume("vol3"), deltacloud.InvalidState},
		{"attach attached volume", second(c.attachVolume(User, "vol3", "inst0", "")), deltacloud.InvalidState},
		{"attach to stopped instance", second(c.attachVolume(User, "vol1", "inst2", "")), deltacloud.InvalidState},
		{"attach to another owner's instance", second(c.attachVolume("someone", "vol1", "inst0", "")), deltacloud.NotFound},
		{"detach free volume", second(c.detachVolume("vol1")), deltacloud.InvalidState},
		{"destroy address in use", c.destroyAddress("192.168.0.1"), deltacloud.InvalidState},
		{"associate address in use", c.associateAddress(User, "192.168.0.1", "inst1"), deltacloud.InvalidState},
		{"disassociate free address", c.disassociateAddress("192.168.0.2"), deltacloud.InvalidState},
		{"destroy non-empty bucket", c.destroyBucket("bucket1"), deltacloud.InvalidState},
		{"image of inst3", second(c.createImage(User, deltacloud.ImageSpec{InstanceID: "inst3", Name: "x"})), deltacloud.InvalidState},
		{"metric of another owner's instance", second(c.metric("someone", "inst0")), deltacloud.NotFound},
		{"bad rule", second(c.addRule("default", deltacloud.FirewallRuleSpec{Protocol: "tcp"})), deltacloud.InvalidArgument},
		{"firewall without description", second(c.createFirewall(User, deltacloud.FirewallSpec{Name: "x"})), deltacloud.InvalidArgument},
		{"bad blob metadata", second(c.putBlob(t.Context(), "bucket1", deltacloud.BlobSpec{ID: "x", Metadata: map[string]string{"": "v"}}, strings.NewReader(""))), deltacloud.InvalidArgument},
		{"nil content", second(c.putBlob(t.Context(), "bucket1", deltacloud.BlobSpec{ID: "x"}, nil)), deltacloud.InvalidArgument},
		{"wrong size", second(c.putBlob(t.Context(), "bucket1", deltacloud.BlobSpec{ID: "x", Size: 9}, strings.NewReader("1"))), deltacloud.InvalidArgument},
	}
	for _, tc := range cases {
		if !errors.Is(tc.err, tc.code) {
			t.Errorf("%s = %v, want %v", tc.name, tc.err, tc.code)
		}
	}
	var e *deltacloud.Error
	if err := second(c.attachVolume(User, "vol1", "inst2", "")); !errors.As(err, &e) || e.State != deltacloud.StateStopped {
		t.Errorf("attach to stopped instance = %v, want state STOPPED", err)
	}
	if _, err := c.blob("bucket1", "x"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("a failed upload was kept: %v", err)
	}
}

func TestFileName(t *testing.T) {
	cases := map[string]string{
		"inst0":       "inst0",
		"vol.1":       "vol.1",
		".hidden":     "%2Ehidden",
		"..":          "%2E.",
		"a/b":         "a%2Fb",
		"x y~z%":      "x%20y%7Ez%25",
		".tmp-evil":   "%2Etmp-evil",
		"ümlaut":      "%C3%BCmlaut",
		"192.168.0.1": "192.168.0.1",
	}
	for in, want := range cases {
		if got := fileName(in); got != want {
			t.Errorf("fileName(%q) = %q, want %q", in, got, want)
		}
	}
	long := fileName(strings.Repeat("é", 100))
	if !strings.HasPrefix(long, "%%") || len(long) != 66 {
		t.Errorf("long name encoded as %q", long)
	}
	if fileName(strings.Repeat("é", 100)) == fileName(strings.Repeat("é", 101)) {
		t.Error("two long names share a file")
	}
}

// TestConcurrentCollections hammers every collection from many goroutines,
// for the race detector.
func TestConcurrentCollections(t *testing.T) {
	for _, storage := range []bool{false, true} {
		c := newCloud(fixtureState())
		if storage {
			st, objs, err := openStore(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			c = newCloud(objs)
			c.store = st
		}
		ctx := t.Context()
		var wg sync.WaitGroup
		for g := range 6 {
			wg.Go(func() {
				name := fmt.Sprintf("g%d", g)
				if _, err := c.createKey(deltacloud.KeySpec{Name: name}); err != nil {
					t.Error(err)
				}
				v, err := c.createVolume(deltacloud.StorageVolumeSpec{})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := c.attachVolume(User, v.ID, "inst0", ""); err != nil {
					t.Error(err)
				}
				c.createSnapshot(deltacloud.StorageSnapshotSpec{VolumeID: v.ID})
				a, err := c.createAddress()
				if err == nil {
					c.associateAddress(User, a.ID, "inst1")
				}
				for i := range 5 {
					if _, err := c.putBlob(ctx, "bucket1", deltacloud.BlobSpec{ID: "shared"}, strings.NewReader(strings.Repeat(name, i+1))); err != nil {
						t.Error(err)
					}
					if _, rc, err := c.blobContent(ctx, "bucket1", "shared"); err == nil {
						if _, err := io.Copy(io.Discard, rc); err != nil {
							t.Error(err)
						}
						rc.Close()
					}
				}
				c.bucketList()
				c.metrics(User)
				c.list(User, deltacloud.InstanceFilter{})
				c.detachVolume(v.ID)
			})
		}
		wg.Wait()
		if n := len(c.keyList()); n != 7 {
			t.Errorf("%d keys, want 7", n)
		}
	}
}
