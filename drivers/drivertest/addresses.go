package drivertest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

func (s *suite) testAddresses(t *testing.T) {
	p := s.serving(t, deltacloud.CollectionAddresses)
	ctx := t.Context()
	as, err := p.Addresses(ctx)
	if err != nil {
		t.Fatalf("Addresses: %v", err)
	}
	for _, a := range as[:min(len(as), 20)] {
		got, err := p.Address(ctx, a.ID)
		if err != nil {
			t.Errorf("Address(%q): %v", a.ID, err)
			continue
		}
		if d := cmp.Diff(a, *got); d != "" {
			t.Errorf("Address(%q) differs from the listing (-list +get):\n%s", a.ID, d)
		}
	}
	const unknown = "drivertest-no-such-address-0"
	_, err = p.Address(ctx, unknown)
	wantErr(t, err, deltacloud.ErrNotFound, "Address(%q)", unknown)
	wantErr(t, p.DestroyAddress(ctx, unknown), deltacloud.ErrNotFound, "DestroyAddress(%q)", unknown)
	wantErr(t, p.DisassociateAddress(ctx, unknown), deltacloud.ErrNotFound, "DisassociateAddress(%q)", unknown)

	a, err := p.CreateAddress(ctx)
	if err != nil {
		t.Fatalf("CreateAddress: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := s.cleanupCtx()
		defer cancel()
		if cur, err := p.Address(ctx, a.ID); err == nil && cur.Associated() {
			p.DisassociateAddress(ctx, a.ID)
		}
		p.DestroyAddress(ctx, a.ID)
	})
	if a.Associated() {
		t.Errorf("CreateAddress returned %s associated with %s, want a free address", a.ID, a.InstanceID)
	}
	if got, err := p.Address(ctx, a.ID); err != nil {
		t.Errorf("Address(%q) after create: %v", a.ID, err)
	} else if d := cmp.Diff(*a, *got); d != "" {
		t.Errorf("Address(%q) differs from what CreateAddress returned (-create +get):\n%s", a.ID, d)
	}
	wantErr(t, p.DisassociateAddress(ctx, a.ID), deltacloud.ErrInvalidState, "DisassociateAddress(%q) of a free address", a.ID)
	wantErr(t, p.AssociateAddress(ctx, a.ID, "drivertest-no-such-instance-0"), deltacloud.ErrNotFound,
		"AssociateAddress(%q) with an unknown instance", a.ID)

	// Associate with an instance of the suite's own, then the state checks.
	in := s.running(t, p)
	if err := p.AssociateAddress(ctx, a.ID, in.ID); err != nil {
		t.Fatalf("AssociateAddress(%q, %q): %v", a.ID, in.ID, err)
	}
	s.waitAddress(t, p, a.ID, in.ID)
	wantErr(t, p.AssociateAddress(ctx, a.ID, in.ID), deltacloud.ErrInvalidState, "AssociateAddress(%q) of an associated address", a.ID)
	wantErr(t, p.DestroyAddress(ctx, a.ID), deltacloud.ErrInvalidState, "DestroyAddress(%q) of an associated address", a.ID)
	if _, err := p.Address(ctx, a.ID); err != nil {
		t.Errorf("Address(%q) after a refused destroy: %v", a.ID, err)
	}
	if err := p.DisassociateAddress(ctx, a.ID); err != nil {
		t.Fatalf("DisassociateAddress(%q): %v", a.ID, err)
	}
	s.waitAddress(t, p, a.ID, "")

	if err := p.DestroyAddress(ctx, a.ID); err != nil {
		t.Fatalf("DestroyAddress(%q): %v", a.ID, err)
	}
	_, err = p.Address(ctx, a.ID)
	wantErr(t, err, deltacloud.ErrNotFound, "Address(%q) after DestroyAddress", a.ID)
}

// waitAddress waits until address id is associated with instance (free for
// ""), as clouds may apply associations a moment later.
func (s *suite) waitAddress(t *testing.T, p *deltacloud.Provider, id, instance string) {
	t.Helper()
	var last *deltacloud.IPAddress
	err := s.poll(t.Context(), "address "+id, func(ctx context.Context) (bool, error) {
		a, err := p.Address(ctx, id)
		last = a
		return err == nil && a.InstanceID == instance, err
	})
	if err != nil {
		t.Fatalf("address %s: want instance %q: last seen %+v: %v", id, instance, last, err)
	}
}
