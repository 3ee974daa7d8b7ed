package gce_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
	_ "github.com/deltacloud-go/deltacloud/drivers/gce"
	"github.com/deltacloud-go/deltacloud/drivers/gce/gcetest"
)

// testKey is an OpenSSH public key for creates.
const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl drivertest"

func open(ctx context.Context, s *gcetest.Server, options ...string) (*deltacloud.Provider, error) {
	return deltacloud.Open(ctx, "gce", s.Config(options...))
}

func TestConformance(t *testing.T) {
	s := gcetest.New(t)
	storage := storageOptions(t)
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) { return open(ctx, s, storage...) },
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			cfg := s.Config(storage...)
			cfg.Credentials.Password = string(gcetest.OtherKeyJSON())
			return deltacloud.Open(ctx, "gce", cfg)
		},
		Spec: deltacloud.InstanceSpec{KeyName: testKey},
		Slow: func(t *testing.T, p *deltacloud.Provider) {
			s.SetLatency(time.Hour)
			t.Cleanup(func() { s.SetLatency(0) })
		},
		SlowActions: func(t *testing.T, p *deltacloud.Provider) func() {
			s.SetActionLatency(time.Hour)
			return func() { s.SetActionLatency(0) }
		},
		WaitTimeout:    30 * time.Second,
		VolumeDevice:   "data1",
		BlobSize:       3<<20 + 12345,
		ProfileFigures: func(context.Context, *testing.T) map[string]drivertest.ProfileFigure { return figures(s) },
	})
	// Everything the suite created is gone.
	if d := cmp.Diff([]string(nil), s.Resources()); d != "" {
		t.Errorf("resources left after the suite (-want +got):\n%s", d)
	}
}

// figures are the machine types as Compute states them: memory in MiB,
// no local storage.
func figures(s *gcetest.Server) map[string]drivertest.ProfileFigure {
	out := map[string]drivertest.ProfileFigure{}
	for _, m := range s.MachineTypes() {
		out[m.Name] = drivertest.ProfileFigure{CPU: int(m.GuestCpus), Memory: strconv.FormatInt(m.MemoryMb, 10), MemoryUnit: deltacloud.MiB}
	}
	// Custom machine types are named by their figures: custom-2-4096 is 2
	// vCPUs and 4096 MiB, which the custom profile must allow.
	out["custom"] = drivertest.ProfileFigure{CPU: 2, Memory: "4096", MemoryUnit: deltacloud.MiB}
	return out
}
