package ec2

import (
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// TestRegionsTTL: a cached region list is reused until RegionsTTL has
// passed, then EC2 is asked again.
func TestRegionsTTL(t *testing.T) {
	s := ec2test.NewServer(t)
	start := time.Now()
	now := start
	regionsNow = func() time.Time { return now }
	t.Cleanup(func() { regionsNow = time.Now })
	c, err := driver{}.Open(t.Context(), deltacloud.Config{Provider: "us-east-1",
		Credentials: deltacloud.Credentials{User: "AKID-ttl", Password: "secret"},
		Options:     map[string]string{"endpoint": s.URL, "max_attempts": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	rl := c.(*conn)
	for _, step := range []struct {
		at    time.Duration
		calls int
	}{
		{0, 1},
		{RegionsTTL - time.Second, 1},
		{RegionsTTL, 2},
		{RegionsTTL + time.Minute, 2},
	} {
		now = start.Add(step.at)
		if _, err := rl.Regions(t.Context()); err != nil {
			t.Fatal(err)
		}
		if n := s.Calls("DescribeRegions"); n != step.calls {
			t.Errorf("after %v: %d DescribeRegions requests, want %d", step.at, n, step.calls)
		}
	}
}
