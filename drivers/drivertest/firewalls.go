package drivertest

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deltacloud-go/deltacloud"
)

func (s *suite) testFirewalls(t *testing.T) {
	p := s.serving(t, deltacloud.CollectionFirewalls)
	ctx := t.Context()
	fws, err := p.Firewalls(ctx)
	if err != nil {
		t.Fatalf("Firewalls: %v", err)
	}
	for _, fw := range fws[:min(len(fws), 20)] {
		got, err := p.Firewall(ctx, fw.ID)
		if err != nil {
			t.Errorf("Firewall(%q): %v", fw.ID, err)
			continue
		}
		if d := cmp.Diff(fw, *got, cmpopts.EquateComparable(netip.Prefix{})); d != "" {
			t.Errorf("Firewall(%q) differs from the listing (-list +get):\n%s", fw.ID, d)
		}
	}
	const unknown = "drivertest-no-such-firewall-0"
	_, err = p.Firewall(ctx, unknown)
	wantErr(t, err, deltacloud.ErrNotFound, "Firewall(%q)", unknown)
	wantErr(t, p.DestroyFirewall(ctx, unknown), deltacloud.ErrNotFound, "DestroyFirewall(%q)", unknown)
	_, err = p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: uniqueName("fw")})
	wantErr(t, err, deltacloud.ErrInvalidArgument, "CreateFirewall without a description")

	spec := deltacloud.FirewallSpec{Name: uniqueName("fw"), Description: "drivertest firewall"}
	fw, err := p.CreateFirewall(ctx, spec)
	if err != nil {
		t.Fatalf("CreateFirewall(%q): %v", spec.Name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := s.cleanupCtx()
		defer cancel()
		p.DestroyFirewall(ctx, fw.ID)
	})
	if fw.Name != spec.Name || fw.Description != spec.Description {
		t.Errorf("CreateFirewall made %q (%q); asked for %q (%q)", fw.Name, fw.Description, spec.Name, spec.Description)
	}
	got, err := p.Firewall(ctx, fw.ID)
	if err != nil {
		t.Fatalf("Firewall(%q) after create: %v", fw.ID, err)
	}
	if got.Name != spec.Name || got.Description != spec.Description {
		t.Errorf("Firewall(%q) is %q (%q); created as %q (%q)", fw.ID, got.Name, got.Description, spec.Name, spec.Description)
	}

	// A rule: added, listed with the firewall, refused without sources,
	// deleted.
	rule := deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 22, PortTo: 22, Sources: []deltacloud.RuleSource{
		{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("10.0.0.0/8")},
	}}
	updated, err := p.AddFirewallRule(ctx, fw.ID, rule)
	if err != nil {
		t.Fatalf("AddFirewallRule(%q): %v", fw.ID, err)
	}
	ruleID := findRule(updated.Rules, rule)
	if ruleID == "" {
		t.Fatalf("AddFirewallRule(%q) returned rules %+v, none of them %+v", fw.ID, updated.Rules, rule)
	}
	got, err = p.Firewall(ctx, fw.ID)
	if err != nil {
		t.Fatalf("Firewall(%q) after AddFirewallRule: %v", fw.ID, err)
	}
	if findRule(got.Rules, rule) != ruleID {
		t.Errorf("Firewall(%q) lists rules %+v; the added rule %s is not among them", fw.ID, got.Rules, ruleID)
	}
	_, err = p.AddFirewallRule(ctx, fw.ID, deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 80, PortTo: 80})
	wantErr(t, err, deltacloud.ErrInvalidArgument, "AddFirewallRule without sources")
	_, err = p.AddFirewallRule(ctx, unknown, rule)
	wantErr(t, err, deltacloud.ErrNotFound, "AddFirewallRule(%q)", unknown)
	if err := p.DeleteFirewallRule(ctx, fw.ID, ruleID); err != nil {
		t.Fatalf("DeleteFirewallRule(%q, %q): %v", fw.ID, ruleID, err)
	}
	got, err = p.Firewall(ctx, fw.ID)
	if err != nil {
		t.Fatalf("Firewall(%q) after DeleteFirewallRule: %v", fw.ID, err)
	}
	if slices.ContainsFunc(got.Rules, func(r deltacloud.FirewallRule) bool { return r.ID == ruleID }) {
		t.Errorf("Firewall(%q) still lists rule %s after DeleteFirewallRule", fw.ID, ruleID)
	}

	if err := p.DestroyFirewall(ctx, fw.ID); err != nil {
		t.Fatalf("DestroyFirewall(%q): %v", fw.ID, err)
	}
	_, err = p.Firewall(ctx, fw.ID)
	wantErr(t, err, deltacloud.ErrNotFound, "Firewall(%q) after DestroyFirewall", fw.ID)
}

// findRule returns the id of the rule in rules that allows what spec does.
func findRule(rules []deltacloud.FirewallRule, spec deltacloud.FirewallRuleSpec) string {
	for _, r := range rules {
		if r.Protocol == spec.Protocol && r.PortFrom == spec.PortFrom && r.PortTo == spec.PortTo &&
			slices.Equal(r.Sources, spec.Sources) {
			return r.ID
		}
	}
	return ""
}
