package api

import (
	"net/http"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The firewalls collection and its rules.

func firewallsIndex(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	fws, err := p.Firewalls(q.r.Context())
	if err != nil {
		return err
	}
	fws = onlyID(q, fws, func(x deltacloud.Firewall) string { return x.ID })
	doc := wire.NewFirewalls(q.base, fws)
	return q.render(http.StatusOK, doc, func() any { return doc.JSON() }, "firewalls", doc)
}

func firewallShow(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	f, err := p.Firewall(q.r.Context(), q.id)
	if err != nil {
		return err
	}
	doc := wire.NewFirewall(q.base, *f)
	return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "firewall", doc)
}

func firewallCreate(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	f, err := p.CreateFirewall(q.r.Context(), deltacloud.FirewallSpec{Name: q.params.Get("name"), Description: q.params.Get("description")})
	if err != nil {
		return forbidState(err)
	}
	doc := wire.NewFirewall(q.base, *f)
	return q.created(memberPath(deltacloud.CollectionFirewalls, f.ID), doc, func() any { return doc.ShowJSON() }, "firewall", doc)
}

func firewallDestroy(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	if err := p.DestroyFirewall(q.r.Context(), q.id); err != nil {
		return forbidState(err)
	}
	q.noContent("/firewalls")
	return nil
}

// firewallRuleCreate adds a rule from protocol, port_from, port_to and the
// ip_address* and groupN/groupNowner sources; no sources is 400 with the
// original's message. It answers 201 with the firewall.
func firewallRuleCreate(q *request) error {
	rule, err := wire.FirewallRuleFromParams(q.params)
	if err != nil {
		return err
	}
	p, err := q.open()
	if err != nil {
		return err
	}
	f, err := p.AddFirewallRule(q.r.Context(), q.id, rule)
	if err != nil {
		return forbidState(err)
	}
	doc := wire.NewFirewall(q.base, *f)
	return q.created(memberPath(deltacloud.CollectionFirewalls, f.ID), doc, func() any { return doc.ShowJSON() }, "firewall", doc)
}

func firewallRuleDestroy(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	if err := p.DeleteFirewallRule(q.r.Context(), q.id, q.sub); err != nil {
		return forbidState(err)
	}
	q.noContent(memberPath(deltacloud.CollectionFirewalls, q.id))
	return nil
}

func firewallNewPage(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, nil, nil, "new_firewall", formPage{Features: p.Features()})
}
