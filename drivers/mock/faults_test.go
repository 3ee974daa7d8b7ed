package mock_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// TestFaultNames injects faults under the core operations' names (and the
// deprecated and alias spellings) and checks which call each fails, that
// the failed call's Error.Op is the name injected, and what Hits counts.
func TestFaultNames(t *testing.T) {
	type call struct {
		op string // the Error.Op the Provider reports
		do func(p *deltacloud.Provider) error
	}
	var (
		instances = call{"Instances", func(p *deltacloud.Provider) error {
			_, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
			return err
		}}
		createOne = call{"CreateInstance", func(p *deltacloud.Provider) error {
			_, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: "img1"})
			return err
		}}
		createMany = call{"CreateInstances", func(p *deltacloud.Provider) error {
			_, err := p.CreateInstances(t.Context(), deltacloud.InstanceSpec{ImageID: "img1"})
			return err
		}}
		reboot = call{"Reboot", func(p *deltacloud.Provider) error {
			_, err := p.Reboot(t.Context(), "inst0")
			return err
		}}
		stop = call{"Stop", func(p *deltacloud.Provider) error {
			_, err := p.Stop(t.Context(), "inst0")
			return err
		}}
	)
	cases := []struct {
		name   string
		inject mock.Op
		calls  []call
		failed []bool // per call
		hits   int
	}{
		{"Instances", mock.OpInstances, []call{instances, instances}, []bool{true, false}, 1},
		{"CreateInstances fails CreateInstance too", mock.OpCreateInstances, []call{createOne}, []bool{true}, 1},
		{"CreateInstance is the same operation", "CreateInstance", []call{createMany}, []bool{true}, 1},
		{"deprecated create_instances", "create_instances", []call{createOne}, []bool{true}, 1},
		{"Stop fails stops only", mock.OpStop, []call{reboot, stop}, []bool{false, true}, 1},
		{"Do fails every action", mock.OpAct, []call{reboot}, []bool{true}, 1},
		{"deprecated act", "act", []call{reboot}, []bool{true}, 1},
		{"unused fault", mock.OpDestroy, []call{reboot}, []bool{false}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := openMock(t, nil)
			var c *mock.Cloud
			p.As(&c)
			c.FailNext(tc.inject, 1, deltacloud.ErrUnavailable)
			var failed []bool
			for _, cl := range tc.calls {
				err := cl.do(p)
				failed = append(failed, err != nil)
				if err == nil {
					continue
				}
				var e *deltacloud.Error
				if !errors.Is(err, deltacloud.ErrUnavailable) || !errors.As(err, &e) || e.Op != cl.op {
					t.Errorf("%s: %v, want Unavailable with Op %s", cl.op, err, cl.op)
				}
			}
			if d := cmp.Diff(tc.failed, failed); d != "" {
				t.Errorf("calls failed (-want +got):\n%s", d)
			}
			if n := c.Hits(tc.inject); n != tc.hits {
				t.Errorf("Hits(%s) = %d, want %d", tc.inject, n, tc.hits)
			}
		})
	}
}
