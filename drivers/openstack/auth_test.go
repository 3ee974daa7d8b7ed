package openstack_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// With NoAmbientCredentials and no credentials nothing is sent, even with
// a host full of OS_* variables.
func TestNoAmbientCredentials(t *testing.T) {
	c := openstacktest.New(t)
	t.Setenv("OS_AUTH_URL", c.URL)
	t.Setenv("OS_USERNAME", openstacktest.User)
	t.Setenv("OS_PASSWORD", openstacktest.Password)
	t.Setenv("OS_PROJECT_NAME", openstacktest.Project)
	t.Setenv("OS_USER_DOMAIN_NAME", openstacktest.Domain)
	for _, noAmbient := range []bool{true, false} {
		cfg := c.Config()
		cfg.Credentials = deltacloud.Credentials{}
		cfg.NoAmbientCredentials = noAmbient
		p, err := deltacloud.Open(context.Background(), "openstack", cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Instances(context.Background(), deltacloud.InstanceFilter{}); !errors.Is(err, deltacloud.ErrAuthFailure) {
			t.Errorf("NoAmbientCredentials=%v: Instances = %v, want ErrAuthFailure", noAmbient, err)
		}
		p.Close()
	}
	if n := c.Requests(); n != 0 {
		t.Errorf("the cloud received %d requests; want none", n)
	}
}

// An expired token is renewed (gophercloud's reauth) and the call
// succeeds; credentials the cloud refuses are ErrAuthFailure.
func TestTokenRenewal(t *testing.T) {
	ctx := context.Background()
	c, p := openFake(t)
	if _, err := p.Realms(ctx); err != nil {
		t.Fatal(err)
	}
	c.ExpireTokens()
	if _, err := p.Realms(ctx); err != nil {
		t.Errorf("Realms after the token expired: %v", err)
	}
}

func TestApplicationCredential(t *testing.T) {
	ctx := context.Background()
	c := openstacktest.New(t)
	cfg := c.Config("auth_type", "application_credential")
	cfg.Credentials = deltacloud.Credentials{User: openstacktest.AppCredID, Password: openstacktest.AppCredPass}
	p, err := deltacloud.Open(ctx, "openstack", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{}); err != nil {
		t.Errorf("with an application credential: %v", err)
	}
	cfg.Credentials.Password = "wrong"
	bad, _ := deltacloud.Open(ctx, "openstack", cfg)
	defer bad.Close()
	_, err = bad.Realms(ctx)
	if !errors.Is(err, deltacloud.ErrAuthFailure) {
		t.Errorf("wrong secret: %v, want ErrAuthFailure", err)
	}
	if strings.Contains(fmt.Sprint(err), "wrong") {
		t.Errorf("the secret shows in %v", err)
	}
}

func TestBadConfig(t *testing.T) {
	for name, cfg := range map[string]deltacloud.Config{
		"no provider":    {},
		"user info":      {Provider: "https://u:p@keystone.example.com/v3"},
		"not http":       {Provider: "ftp://keystone.example.com/v3"},
		"unknown option": {Provider: "https://keystone.example.com/v3", Options: map[string]string{"nope": "1"}},
		"bad interface":  {Provider: "https://keystone.example.com/v3", Options: map[string]string{"interface": "x"}},
		"bad suspend":    {Provider: "https://keystone.example.com/v3", Options: map[string]string{"suspend": "x"}},
		"bad auth_type":  {Provider: "https://keystone.example.com/v3", Options: map[string]string{"auth_type": "token"}},
	} {
		if _, err := deltacloud.Open(context.Background(), "openstack", cfg); !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("%s: Open = %v, want ErrInvalidArgument", name, err)
		}
	}
}
