package hetznertest_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud/drivers/hetzner/hetznertest"
)

// client is hcloud-go's own client on the fake, without retries.
func client(s *hetznertest.Server, token string) *hcloud.Client {
	return hcloud.NewClient(hcloud.WithEndpoint(s.URL), hcloud.WithToken(token),
		hcloud.WithPollOpts(hcloud.PollOpts{BackoffFunc: hcloud.ConstantBackoff(5 * time.Millisecond)}),
		hcloud.WithRetryOpts(hcloud.RetryOpts{MaxRetries: 0}))
}

// TestWithHcloudGo drives the fake with hcloud-go: paging meta data,
// actions that progress, error bodies and rate limit headers all decode
// as the library expects them from the API. Actions that must still run
// when the test looks at them last an hour, until the test ends them.
func TestWithHcloudGo(t *testing.T) {
	s := hetznertest.NewServer(hetznertest.WithActionDelay(time.Hour))
	defer s.Close()
	c := client(s, s.Token())
	ctx := t.Context()

	// Paging: 60 servers are two pages of 50, or three of 25 (the API's
	// default page).
	s.AddServers(60, "p", map[string]string{"k": "v"})
	servers, resp, err := c.Server.List(ctx, hcloud.ServerListOpts{ListOpts: hcloud.ListOpts{Page: 2, PerPage: 50}})
	if err != nil || len(servers) != 10 {
		t.Fatalf("page 2 = %d servers, %v", len(servers), err)
	}
	if pg := resp.Meta.Pagination; pg == nil || pg.Page != 2 || pg.PreviousPage != 1 || pg.NextPage != 0 || pg.LastPage != 2 || pg.TotalEntries != 60 {
		t.Errorf("pagination %+v", resp.Meta.Pagination)
	}
	_, resp, _ = c.Server.List(ctx, hcloud.ServerListOpts{})
	if pg := resp.Meta.Pagination; pg == nil || pg.PerPage != 25 || pg.LastPage != 3 {
		t.Errorf("default pagination %+v", resp.Meta.Pagination)
	}
	if all, err := c.Server.AllWithOpts(ctx, hcloud.ServerListOpts{ListOpts: hcloud.ListOpts{LabelSelector: "k=v"}}); err != nil || len(all) != 60 {
		t.Errorf("All(k=v) = %d, %v", len(all), err)
	}
	if all, _ := c.Server.AllWithOpts(ctx, hcloud.ServerListOpts{ListOpts: hcloud.ListOpts{LabelSelector: "k!=v"}}); len(all) != 0 {
		t.Errorf("All(k!=v) = %d, want 0", len(all))
	}
	if resp.Meta.Ratelimit.Limit != 3600 || resp.Meta.Ratelimit.Remaining != 3600 {
		t.Errorf("rate limit %+v", resp.Meta.Ratelimit)
	}

	// A create: the server is initializing while its action runs, and
	// running once the action succeeded.
	res, _, err := c.Server.Create(ctx, hcloud.ServerCreateOpts{Name: "web", ServerType: &hcloud.ServerType{Name: "cx23"},
		Image: &hcloud.Image{Name: "ubuntu-24.04"}, Location: &hcloud.Location{Name: "nbg1"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Server.Status != hcloud.ServerStatusInitializing || res.Action.Status != hcloud.ActionStatusRunning || res.RootPassword == "" {
		t.Errorf("create answered %s, action %s, password %q", res.Server.Status, res.Action.Status, res.RootPassword)
	}
	if _, _, err := c.Server.Poweroff(ctx, res.Server); !hcloud.IsError(err, hcloud.ErrorCodeLocked) {
		t.Errorf("an action while create_server runs = %v, want locked", err)
	}
	s.SetActionDelay(20 * time.Millisecond)
	var seen []hcloud.ActionStatus
	err = c.Action.WaitForFunc(ctx, func(a *hcloud.Action) error {
		seen = append(seen, a.Status)
		if a.Status == hcloud.ActionStatusRunning {
			s.EndActions() // the next poll sees it succeeded
		}
		return nil
	}, res.Action)
	if err != nil || seen[len(seen)-1] != hcloud.ActionStatusSuccess {
		t.Fatalf("wait = %v, statuses %v", err, seen)
	}
	srv, _, err := c.Server.GetByID(ctx, res.Server.ID)
	if err != nil || srv.Status != hcloud.ServerStatusRunning || srv.ServerType.Name != "cx23" || srv.Location.Name != "nbg1" ||
		srv.Image.Architecture != hcloud.ArchitectureX86 || srv.PublicNet.IPv4.IP == nil || srv.PublicNet.IPv6.Network == nil {
		t.Errorf("server %+v, %v", srv, err)
	}

	// A failed action is hcloud's ActionError.
	s.FailAction("reboot_server", 1)
	act, _, err := c.Server.Reboot(ctx, srv)
	if err != nil {
		t.Fatal(err)
	}
	var ae hcloud.ActionError
	if err := c.Action.WaitFor(ctx, act); !errors.As(err, &ae) || ae.Code != "action_failed" {
		t.Errorf("failed action = %v", err)
	}

	// Errors: not found, uniqueness, a bad token, rate limits.
	if _, _, err := c.Server.Create(ctx, hcloud.ServerCreateOpts{Name: "web", ServerType: &hcloud.ServerType{Name: "cx23"},
		Image: &hcloud.Image{Name: "ubuntu-24.04"}}); !hcloud.IsError(err, hcloud.ErrorCodeUniquenessError) {
		t.Errorf("a taken name = %v", err)
	}
	if _, _, err := c.Server.Create(ctx, hcloud.ServerCreateOpts{Name: "arm", ServerType: &hcloud.ServerType{Name: "cax11"},
		Image: &hcloud.Image{Name: "ubuntu-24.04"}, Location: &hcloud.Location{Name: "ash"}}); !hcloud.IsError(err, hcloud.ErrorCodeResourceUnavailable) {
		t.Errorf("a type not offered in the location = %v", err)
	}
	if _, _, err := c.Volume.GetByID(ctx, 424242); err != nil {
		t.Errorf("GetByID of an unknown volume = %v, want nil, nil (hcloud-go's reading of not_found)", err)
	}
	if _, err := client(s, "wrong").Location.All(ctx); !hcloud.IsError(err, hcloud.ErrorCodeUnauthorized) {
		t.Errorf("a wrong token = %v", err)
	}
	s.Throttle(1)
	_, resp, err = c.Location.List(ctx, hcloud.LocationListOpts{})
	if !hcloud.IsError(err, hcloud.ErrorCodeRateLimitExceeded) || resp.StatusCode != http.StatusTooManyRequests ||
		resp.Meta.Ratelimit.Remaining != 0 || resp.Meta.Ratelimit.Reset.Before(time.Now()) {
		t.Errorf("throttled = %v, %+v", err, resp.Meta.Ratelimit)
	}
	s.Fail("GET /locations", "maintenance", http.StatusServiceUnavailable, 1)
	if _, err := c.Location.All(ctx); !hcloud.IsError(err, hcloud.ErrorCodeMaintenance) {
		t.Errorf("an injected fault = %v", err)
	}
	if _, err := c.Location.All(ctx); err != nil {
		t.Errorf("after the fault = %v", err)
	}

	// Delete: deleting while the action runs, gone after.
	s.SetActionDelay(time.Hour)
	del, _, err := c.Server.DeleteWithResult(ctx, srv)
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _ := c.Server.GetByID(ctx, srv.ID); got == nil || got.Status != hcloud.ServerStatusDeleting {
		t.Errorf("server during delete = %+v", got)
	}
	s.EndActions()
	if err := c.Action.WaitFor(ctx, del.Action); err != nil {
		t.Fatal(err)
	}
	if got, _, err := c.Server.GetByID(ctx, srv.ID); got != nil || err != nil {
		t.Errorf("server after delete = %+v, %v", got, err)
	}
}

// TestResourcesWithHcloudGo: volumes attach in their location, floating
// IPs assign within their network zone, firewalls refuse deletion while
// applied; snapshots are images of type snapshot.
func TestResourcesWithHcloudGo(t *testing.T) {
	s := hetznertest.NewServer(hetznertest.WithActionDelay(0))
	defer s.Close()
	c := client(s, s.Token())
	ctx := t.Context()
	ids := s.AddServers(1, "s", nil)
	srv := &hcloud.Server{ID: ids[0]}

	vol, _, err := c.Volume.Create(ctx, hcloud.VolumeCreateOpts{Name: "data", Size: 10, Location: &hcloud.Location{Name: "fsn1"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Volume.Create(ctx, hcloud.VolumeCreateOpts{Name: "tiny", Size: 1, Location: &hcloud.Location{Name: "fsn1"}}); !hcloud.IsError(err, hcloud.ErrorCodeInvalidInput) {
		t.Errorf("a 1 GB volume = %v", err)
	}
	if _, _, err := c.Volume.Attach(ctx, vol.Volume, srv); err != nil {
		t.Fatal(err)
	}
	v, _, _ := c.Volume.GetByID(ctx, vol.Volume.ID)
	if v.Server == nil || v.Server.ID != srv.ID || v.LinuxDevice != hetznertest.LinuxDevice(v.ID) {
		t.Errorf("attached volume %+v", v)
	}
	if _, err := c.Volume.Delete(ctx, v); !hcloud.IsError(err, hcloud.ErrorCodeResourceInUse) {
		t.Errorf("delete of an attached volume = %v", err)
	}

	ip, _, err := c.FloatingIP.Create(ctx, hcloud.FloatingIPCreateOpts{Type: hcloud.FloatingIPTypeIPv4, HomeLocation: &hcloud.Location{Name: "ash"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.FloatingIP.Assign(ctx, ip.FloatingIP, srv); !hcloud.IsError(err, hcloud.ErrorCodeInvalidInput) {
		t.Errorf("assign across network zones = %v", err)
	}

	fw, _, err := c.Firewall.Create(ctx, hcloud.FirewallCreateOpts{Name: "fw"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Firewall.ApplyResources(ctx, fw.Firewall, []hcloud.FirewallResource{{Type: hcloud.FirewallResourceTypeServer,
		Server: &hcloud.FirewallResourceServer{ID: srv.ID}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Firewall.Delete(ctx, fw.Firewall); !hcloud.IsError(err, hcloud.ErrorCodeResourceInUse) {
		t.Errorf("delete of an applied firewall = %v", err)
	}

	img, _, err := c.Server.CreateImage(ctx, srv, &hcloud.ServerCreateImageOpts{Type: hcloud.ImageTypeSnapshot})
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := c.Image.AllWithOpts(ctx, hcloud.ImageListOpts{Type: []hcloud.ImageType{hcloud.ImageTypeSnapshot}})
	if err != nil || len(snaps) != 1 || snaps[0].ID != img.Image.ID || snaps[0].CreatedFrom.ID != srv.ID || snaps[0].Status != hcloud.ImageStatusAvailable {
		t.Errorf("snapshots %+v, %v", snaps, err)
	}
}
