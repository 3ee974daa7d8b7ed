package gce_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/gce/gcetest"
)

// TestCreateLeavesNothing checks that a create whose operation fails, or
// whose context ends while Compute makes the instance, deletes what it
// made.
func TestCreateLeavesNothing(t *testing.T) {
	spec := deltacloud.InstanceSpec{ImageID: "debian-cloud/debian-12", Name: "doomed"}
	t.Run("operation fails", func(t *testing.T) {
		s := gcetest.New(t)
		p, err := open(t.Context(), s, "buckets=false")
		if err != nil {
			t.Fatal(err)
		}
		s.FailInsert(gcetest.Fault{Reason: "ZONE_RESOURCE_POOL_EXHAUSTED", Message: "no capacity"})
		_, err = p.CreateInstance(t.Context(), spec)
		if !errors.Is(err, deltacloud.ErrUnavailable) {
			t.Errorf("CreateInstance = %v, want ErrUnavailable", err)
		}
		p.Close()
		if d := cmp.Diff([]string(nil), s.Resources()); d != "" {
			t.Errorf("left after the failed create (-want +got):\n%s", d)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		s := gcetest.New(t)
		p, err := open(t.Context(), s, "buckets=false")
		if err != nil {
			t.Fatal(err)
		}
		// The insert operation runs until the create has returned.
		release := s.HoldOperations()
		defer release()
		ctx, cancel := context.WithCancel(t.Context())
		// Cancel once the driver waits for the insert operation — Compute
		// has the instance, and the driver knows it — rather than after a
		// fixed time, or when the instance appears, which may be before
		// the insert's answer has reached the driver.
		go func() {
			for ctx.Err() == nil && s.Requests()["POST operations.wait"] == 0 {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		_, err = p.CreateInstance(ctx, spec)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("CreateInstance = %v, want context.Canceled", err)
		}
		release()
		p.Close() // waits for the clean-up
		if d := cmp.Diff([]string(nil), s.Resources()); d != "" {
			t.Errorf("left after the cancelled create (-want +got):\n%s", d)
		}
	})
}

// TestCreateAnswerLost cancels a create while Compute has made the
// instance but its answer to the insert has not reached the driver: the
// driver cannot know the insert happened, and must delete what it asked
// for by name.
func TestCreateAnswerLost(t *testing.T) {
	s := gcetest.New(t)
	p, err := open(t.Context(), s, "buckets=false")
	if err != nil {
		t.Fatal(err)
	}
	s.LoseInsertAnswer()
	ctx, cancel := context.WithCancel(t.Context())
	// Cancel once the fake holds the instance (and its answer).
	go func() {
		for ctx.Err() == nil && !slices.ContainsFunc(s.Resources(), func(r string) bool { return strings.HasPrefix(r, "instance/") }) {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err = p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "debian-cloud/debian-12", Name: "doomed"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("CreateInstance = %v, want context.Canceled", err)
	}
	p.Close() // waits for the clean-up
	if d := cmp.Diff([]string(nil), s.Resources()); d != "" {
		t.Errorf("left after the create whose answer was lost (-want +got):\n%s", d)
	}
}

// TestOwnership checks that instances of another owner are neither listed
// nor acted on.
func TestOwnership(t *testing.T) {
	s := gcetest.New(t)
	s.AddInstances(2, "theirs", map[string]string{"deltacloud-owner": "someone-else"})
	s.AddInstances(1, "mine", map[string]string{"deltacloud-owner": "deltacloud"})
	p, err := open(t.Context(), s, "buckets=false")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ins, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, in := range ins {
		ids = append(ids, in.ID)
	}
	if d := cmp.Diff([]string{"mine-0"}, ids); d != "" {
		t.Errorf("Instances (-want +got):\n%s", d)
	}
	if err := p.Destroy(t.Context(), "theirs-0"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Destroy of another owner's instance = %v, want ErrNotFound", err)
	}
	if s.Instance(gcetest.Zones[0], "theirs-0") == nil {
		t.Error("another owner's instance was deleted")
	}
}

// TestPaging lists through pages of two.
func TestPaging(t *testing.T) {
	s := gcetest.New(t)
	s.SetPageSize(2)
	s.AddInstances(7, "vm", map[string]string{"deltacloud-owner": "deltacloud"})
	p, err := open(t.Context(), s, "buckets=false")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ins, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
	if err != nil || len(ins) != 7 {
		t.Fatalf("Instances = %d, %v; want 7", len(ins), err)
	}
	if n := s.Requests()["GET instances.list"]; n < 4 {
		t.Errorf("%d list requests for 7 instances in pages of 2; paging was not followed", n)
	}
}
