package azure_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/azure"
)

const sub = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"

func TestParseProvider(t *testing.T) {
	cases := []struct {
		in   string
		want azure.Scope
		err  bool
	}{
		{in: "", want: azure.Scope{}},
		{in: "westeurope", want: azure.Scope{Location: "westeurope"}},
		{in: "WestEurope", want: azure.Scope{Location: "westeurope"}},
		{in: "my-rg/eastus2", want: azure.Scope{ResourceGroup: "my-rg", Location: "eastus2"}},
		{in: sub + "/rg_(1).x/eastus", want: azure.Scope{SubscriptionID: sub, ResourceGroup: "rg_(1).x", Location: "eastus"}},
		{in: " " + sub + "/rg/eastus ", want: azure.Scope{SubscriptionID: sub, ResourceGroup: "rg", Location: "eastus"}},
		{in: "not-a-guid/rg/eastus", err: true},
		{in: "/rg/eastus", err: true},
		{in: sub + "//eastus", err: true},
		{in: "rg./eastus", err: true},
		{in: "rg/", err: true},
		{in: "a/b/c/d", err: true},
		{in: "west europe", err: true},
		{in: "rg/east-us", err: true},
		{in: strings.Repeat("r", 91) + "/eastus", err: true},
	}
	for _, c := range cases {
		got, err := azure.ParseProvider(c.in)
		if c.err {
			if !errors.Is(err, deltacloud.ErrInvalidArgument) {
				t.Errorf("ParseProvider(%q) = %+v, %v; want ErrInvalidArgument", c.in, got, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseProvider(%q): %v", c.in, err)
			continue
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("ParseProvider(%q) (-want +got):\n%s", c.in, d)
		}
	}
}

func TestParseCredentials(t *testing.T) {
	const client = "4b6a2f1e-9c3d-4e5f-8a7b-0c1d2e3f4a5b"
	cases := []struct {
		user, password string
		want           azure.ServicePrincipal
		explicit, err  bool
	}{
		{user: "", password: ""},
		{user: "contoso.onmicrosoft.com/" + client, password: "s3cret", explicit: true,
			want: azure.ServicePrincipal{TenantID: "contoso.onmicrosoft.com", ClientID: client, Secret: "s3cret"}},
		{user: sub + "/" + client, password: "x:y/z", explicit: true,
			want: azure.ServicePrincipal{TenantID: sub, ClientID: client, Secret: "x:y/z"}},
		{user: client, password: "Sup3r-secret", err: true},
		{user: "tenant/" + client, password: "", err: true},
		{user: "", password: "Sup3r-secret", err: true},
		{user: "tenant/not-a-guid", password: "Sup3r-secret", err: true},
		{user: "ten ant/" + client, password: "Sup3r-secret", err: true},
		{user: "a..b/" + client, password: "Sup3r-secret", err: true},
		{user: "/" + client, password: "Sup3r-secret", err: true},
	}
	for _, c := range cases {
		got, explicit, err := azure.ParseCredentials(deltacloud.Credentials{User: c.user, Password: c.password})
		if c.err {
			if !errors.Is(err, deltacloud.ErrAuthFailure) {
				t.Errorf("ParseCredentials(%q) = %v; want ErrAuthFailure", c.user, err)
			}
			if err != nil && c.password != "" && strings.Contains(err.Error(), c.password) {
				t.Errorf("ParseCredentials(%q): the error shows the secret: %v", c.user, err)
			}
			continue
		}
		if err != nil || explicit != c.explicit {
			t.Errorf("ParseCredentials(%q) = explicit %v, %v; want %v", c.user, explicit, err, c.explicit)
			continue
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("ParseCredentials(%q) (-want +got):\n%s", c.user, d)
		}
		if strings.Contains(got.String(), "s3cret") {
			t.Errorf("ServicePrincipal.String shows the secret: %s", got)
		}
	}
}

func TestParseURN(t *testing.T) {
	cases := []struct {
		in   string
		want azure.URN
		err  bool
	}{
		{in: "Canonical:ubuntu-24_04-lts:server:latest", want: azure.URN{Publisher: "Canonical", Offer: "ubuntu-24_04-lts", SKU: "server", Version: "latest"}},
		{in: "Debian:debian-12:12-gen2:0.20250113.1990", want: azure.URN{Publisher: "Debian", Offer: "debian-12", SKU: "12-gen2", Version: "0.20250113.1990"}},
		{in: "A:B:C:Latest", want: azure.URN{Publisher: "A", Offer: "B", SKU: "C", Version: "latest"}},
		{in: "A:B:C", err: true},
		{in: "A:B:C:D:E", err: true},
		{in: ":B:C:latest", err: true},
		{in: "A:B:C:1.x", err: true},
		{in: "A:B/../x:C:latest", err: true},
		{in: "A:B:C:1.2.3.4.5", err: true},
	}
	for _, c := range cases {
		got, err := azure.ParseURN(c.in)
		if c.err != (err != nil) {
			t.Errorf("ParseURN(%q) = %+v, %v; want error %v", c.in, got, err, c.err)
			continue
		}
		if d := cmp.Diff(c.want, got); !c.err && d != "" {
			t.Errorf("ParseURN(%q) (-want +got):\n%s", c.in, d)
		}
	}
}

// FuzzParseProvider checks that the provider parser never panics, accepts
// only valid parts, and that what it accepts formats back to the same scope.
func FuzzParseProvider(f *testing.F) {
	for _, s := range []string{"", "westeurope", "rg/eastus", sub + "/rg/eastus", "a/b/c/d", "rg./x", " /// "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := azure.ParseProvider(in)
		if err != nil {
			if !errors.Is(err, deltacloud.ErrInvalidArgument) {
				t.Fatalf("ParseProvider(%q) error is not InvalidArgument: %v", in, err)
			}
			return
		}
		if s.SubscriptionID == "" || s.ResourceGroup == "" || s.Location == "" {
			return
		}
		again, err := azure.ParseProvider(s.String())
		if err != nil || again != s {
			t.Fatalf("ParseProvider(%q) = %+v, but its String %q parses to %+v, %v", in, s, s.String(), again, err)
		}
		if strings.ContainsAny(s.ResourceGroup+s.Location+s.SubscriptionID, "/ \t\n") {
			t.Fatalf("ParseProvider(%q) accepted a part with a separator: %+v", in, s)
		}
	})
}

// FuzzParseCredentials checks the credential parser never panics, never
// echoes the secret in its errors, and keeps the secret verbatim.
func FuzzParseCredentials(f *testing.F) {
	f.Add("tenant/4b6a2f1e-9c3d-4e5f-8a7b-0c1d2e3f4a5b", "secret")
	f.Add("", "")
	f.Add("a/b/c", "x")
	f.Fuzz(func(t *testing.T, user, password string) {
		sp, explicit, err := azure.ParseCredentials(deltacloud.Credentials{User: user, Password: password})
		if err != nil {
			if !errors.Is(err, deltacloud.ErrAuthFailure) {
				t.Fatalf("error is not AuthFailure: %v", err)
			}
			if len(password) >= 4 && strings.Contains(err.Error(), password) && !strings.Contains(user, password) {
				t.Fatalf("the error shows the secret: %v", err)
			}
			return
		}
		if explicit && (sp.Secret != password || sp.TenantID == "" || sp.ClientID == "") {
			t.Fatalf("ParseCredentials(%q) = %+v", user, sp)
		}
		if !explicit && (user != "" && strings.TrimSpace(user) != "" || password != "") {
			t.Fatalf("ParseCredentials(%q, %q) chose the default chain", user, password)
		}
	})
}

// FuzzParseURN checks that accepted URNs format back to themselves.
func FuzzParseURN(f *testing.F) {
	f.Add("Canonical:ubuntu-24_04-lts:server:latest")
	f.Add("A:B:C:1.2.3")
	f.Add("::::")
	f.Fuzz(func(t *testing.T, in string) {
		u, err := azure.ParseURN(in)
		if err != nil {
			return
		}
		again, err := azure.ParseURN(u.String())
		if err != nil || again != u {
			t.Fatalf("ParseURN(%q) = %+v; String %q parses to %+v, %v", in, u, u.String(), again, err)
		}
	})
}
