package main

import (
	"crypto/tls"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/vmware/govmomi/simulator"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean/dotest"
	"github.com/deltacloud-go/deltacloud/drivers/gce/gcetest"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// vcenterSimulator starts govmomi's vCenter simulator on 127.0.0.1 (TLS
// with its own certificate, hence insecure) with a login of its own.
func vcenterSimulator(t *testing.T) deltacloud.Config {
	m := simulator.VPX()
	if err := m.Create(); err != nil {
		t.Fatal(err)
	}
	m.Service.TLS = new(tls.Config)
	m.Service.Listen = &url.URL{User: url.UserPassword("vcuser", "vc-Secret-pa55")}
	srv := m.Service.NewServer()
	t.Cleanup(func() { srv.Close(); m.Remove() })
	u := *srv.URL
	u.User = nil
	return deltacloud.Config{Provider: u.String(), Credentials: deltacloud.Credentials{User: "vcuser", Password: "vc-Secret-pa55"},
		Options: map[string]string{"insecure": "true"}}
}

// serverArgs are the flags that serve cfg with driver, and the Basic
// credentials a request then carries.
func serverArgs(driver string, cfg deltacloud.Config) (args []string, user, password string) {
	args = []string{"-i", driver, "-P", cfg.Provider}
	for _, k := range slices.Sorted(maps.Keys(cfg.Options)) {
		args = append(args, "-o", k+"="+cfg.Options[k])
	}
	return args, cfg.Credentials.User, cfg.Credentials.Password
}

// TestServesEveryCloud: `-i NAME` serves each cloud driver (here on its
// fake), a request acts with the credentials it carries, and one without
// them is refused.
func TestServesEveryCloud(t *testing.T) {
	tests := []struct {
		driver string
		cfg    func(t *testing.T) deltacloud.Config
		realm  string
	}{
		{"gce", func(t *testing.T) deltacloud.Config { return gcetest.New(t).Config("buckets=false") }, gcetest.Zones[0]},
		{"digitalocean", func(t *testing.T) deltacloud.Config {
			s := dotest.NewServer(t)
			return deltacloud.Config{Provider: "nyc3", Credentials: deltacloud.Credentials{Password: dotest.Token},
				Options: map[string]string{"endpoint": s.URL}}
		}, "nyc3"},
		{"openstack", func(t *testing.T) deltacloud.Config { return openstacktest.New(t).Config() }, "nova"},
		{"vsphere", vcenterSimulator, "DC0"},
	}
	for _, tt := range tests {
		t.Run(tt.driver, func(t *testing.T) {
			args, user, password := serverArgs(tt.driver, tt.cfg(t))
			addr := startServer(t, args...)
			status, body := get(t, addr, "/api/realms?format=xml", user, password)
			if status != http.StatusOK || !strings.Contains(body, tt.realm) {
				t.Fatalf("GET realms = %d %s", status, body)
			}
			if status, body := get(t, addr, "/api/instances?format=xml", user, password); status != http.StatusOK {
				t.Errorf("GET instances = %d %s", status, body)
			}
			if status, _ := get(t, addr, "/api/instances?format=xml", "", ""); status != http.StatusUnauthorized {
				t.Errorf("GET instances without credentials = %d, want 401", status)
			}
		})
	}
}
