package mock

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/deltacloud-go/deltacloud"
)

// fwRecord is a stored firewall with the number of its next rule.
type fwRecord struct {
	deltacloud.Firewall
	NextRule int `json:"next_rule"`
}

// fwConn is a conn that also serves the firewalls collection (the
// firewalls option). A plain conn does not implement FirewallConn, so
// providers without the option list no firewalls collection.
type fwConn struct{ *conn }

// copyFirewall returns a deep copy of f.
func copyFirewall(f *deltacloud.Firewall) deltacloud.Firewall {
	out := *f
	out.Rules = make([]deltacloud.FirewallRule, len(f.Rules))
	for i, r := range f.Rules {
		r.Sources = slices.Clone(r.Sources)
		out.Rules[i] = r
	}
	return out
}

func (c *Cloud) firewallList() []deltacloud.Firewall {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]deltacloud.Firewall, 0, len(c.firewalls))
	for _, f := range c.firewalls {
		out = append(out, copyFirewall(&f.Firewall))
	}
	slices.SortFunc(out, func(a, b deltacloud.Firewall) int { return compareIDs(a.ID, b.ID) })
	return out
}

// createFirewall makes an empty firewall whose id is its name.
func (c *Cloud) createFirewall(owner string, spec deltacloud.FirewallSpec) (*deltacloud.Firewall, error) {
	if err := checkName("firewall", spec.Name); err != nil {
		return nil, err
	}
	if spec.Description == "" {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "firewall description is required")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.firewalls[spec.Name] != nil {
		return nil, conflict("firewall", spec.Name)
	}
	f := &fwRecord{Firewall: deltacloud.Firewall{ID: spec.Name, Name: spec.Name, Description: spec.Description,
		Owner: owner, Rules: []deltacloud.FirewallRule{}}, NextRule: 1}
	if err := c.save(dirFirewalls, f.ID, f); err != nil {
		return nil, err
	}
	c.firewalls[f.ID] = f
	out := copyFirewall(&f.Firewall)
	return &out, nil
}

func (c *Cloud) destroyFirewall(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.firewalls[id] == nil {
		return missing("firewall", id)
	}
	if err := c.drop(dirFirewalls, id); err != nil {
		return err
	}
	delete(c.firewalls, id)
	return nil
}

// addRule checks the rule as the Provider does and adds it as rule<N>; a
// rule equal to one the firewall has is ErrConflict.
func (c *Cloud) addRule(id string, spec deltacloud.FirewallRuleSpec) (*deltacloud.Firewall, error) {
	spec, err := deltacloud.CheckFirewallRule(spec)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.firewalls[id]
	if f == nil {
		return nil, missing("firewall", id)
	}
	for _, r := range f.Rules {
		if r.Protocol == spec.Protocol && r.PortFrom == spec.PortFrom && r.PortTo == spec.PortTo && slices.Equal(r.Sources, spec.Sources) {
			return nil, &deltacloud.Error{Code: deltacloud.Conflict, ID: id,
				Message: fmt.Sprintf("firewall %s already has this rule (%s)", id, r.ID)}
		}
	}
	nf := fwRecord{Firewall: copyFirewall(&f.Firewall), NextRule: max(f.NextRule, 1) + 1}
	nf.Rules = append(nf.Rules, deltacloud.FirewallRule{ID: "rule" + strconv.Itoa(max(f.NextRule, 1)),
		Protocol: spec.Protocol, PortFrom: spec.PortFrom, PortTo: spec.PortTo, Sources: slices.Clone(spec.Sources)})
	if err := c.save(dirFirewalls, id, &nf); err != nil {
		return nil, err
	}
	*f = nf
	out := copyFirewall(&f.Firewall)
	return &out, nil
}

func (c *Cloud) deleteRule(id, ruleID string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.firewalls[id]
	if f == nil {
		return missing("firewall", id)
	}
	i := slices.IndexFunc(f.Rules, func(r deltacloud.FirewallRule) bool { return r.ID == ruleID })
	if i < 0 {
		return missing("firewall rule", ruleID)
	}
	nf := fwRecord{Firewall: copyFirewall(&f.Firewall), NextRule: f.NextRule}
	nf.Rules = slices.Delete(nf.Rules, i, i+1)
	if err := c.save(dirFirewalls, id, &nf); err != nil {
		return err
	}
	*f = nf
	return nil
}

// Firewalls lists the firewalls, sorted by id.
func (c *fwConn) Firewalls(ctx context.Context) ([]deltacloud.Firewall, error) {
	if err := c.begin(ctx, OpFirewalls); err != nil {
		return nil, err
	}
	return c.cloud.firewallList(), nil
}

// CreateFirewall creates a firewall without rules; a taken name is
// ErrConflict.
func (c *fwConn) CreateFirewall(ctx context.Context, spec deltacloud.FirewallSpec) (*deltacloud.Firewall, error) {
	if err := c.begin(ctx, OpCreateFirewall); err != nil {
		return nil, err
	}
	return c.cloud.createFirewall(c.creds.User, spec)
}

// DestroyFirewall deletes a firewall.
func (c *fwConn) DestroyFirewall(ctx context.Context, id string) error {
	if err := c.begin(ctx, OpDestroyFirewall); err != nil {
		return err
	}
	return c.cloud.destroyFirewall(id)
}

// AddFirewallRule adds a rule and returns the firewall.
func (c *fwConn) AddFirewallRule(ctx context.Context, firewallID string, rule deltacloud.FirewallRuleSpec) (*deltacloud.Firewall, error) {
	if err := c.begin(ctx, OpAddFirewallRule); err != nil {
		return nil, err
	}
	return c.cloud.addRule(firewallID, rule)
}

// DeleteFirewallRule removes one rule.
func (c *fwConn) DeleteFirewallRule(ctx context.Context, firewallID, ruleID string) error {
	if err := c.begin(ctx, OpDeleteFirewallRule); err != nil {
		return err
	}
	return c.cloud.deleteRule(firewallID, ruleID)
}
