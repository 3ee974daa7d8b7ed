package vsphere_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/vsphere"
)

func TestParseProvider(t *testing.T) {
	cases := []struct {
		in        string
		want      string
		wantCreds deltacloud.Credentials
		bad       bool
	}{
		{in: "https://vc.example.com/sdk", want: "https://vc.example.com/sdk"},
		{in: "vc.example.com", want: "https://vc.example.com/sdk"},
		{in: "vc.example.com:8443", want: "https://vc.example.com:8443/sdk"},
		{in: "http://127.0.0.1:8989/", want: "http://127.0.0.1:8989/sdk"},
		{in: " https://vc/sdk ", want: "https://vc/sdk"},
		{in: "https://admin%40vsphere.local:s3cret@vc/sdk", want: "https://vc/sdk",
			wantCreds: deltacloud.Credentials{User: "admin@vsphere.local", Password: "s3cret"}},
		{in: "", bad: true},
		{in: "ftp://vc/sdk", bad: true},
		{in: "https:///sdk", bad: true},
		{in: "https://vc/sdk?x=1", bad: true},
		{in: "https://vc/sdk#f", bad: true},
		{in: "https://u:p@[::1/sdk", bad: true},
		{in: "https://vc/" + strings.Repeat("a", 5000), bad: true},
	}
	for _, c := range cases {
		u, creds, err := vsphere.ParseProvider(c.in)
		if c.bad {
			if !errors.Is(err, deltacloud.ErrInvalidArgument) {
				t.Errorf("ParseProvider(%q) = %v, %v; want ErrInvalidArgument", c.in, u, err)
			}
			if err != nil && strings.Contains(err.Error(), ":p@") {
				t.Errorf("ParseProvider(%q): the error shows the password: %v", c.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseProvider(%q): %v", c.in, err)
			continue
		}
		if d := cmp.Diff(c.want, u.String()); d != "" {
			t.Errorf("ParseProvider(%q) URL (-want +got):\n%s", c.in, d)
		}
		if d := cmp.Diff(c.wantCreds, creds); d != "" {
			t.Errorf("ParseProvider(%q) credentials (-want +got):\n%s", c.in, d)
		}
	}
}

func TestParseProfiles(t *testing.T) {
	cases := []struct {
		in   string
		want []vsphere.FixedProfile
		bad  bool
	}{
		{in: "", want: nil},
		{in: "small=1:2048", want: []vsphere.FixedProfile{{Name: "small", CPU: 1, MemoryMiB: 2048}}},
		{in: " small = 1 : 2048 , large=8:65536,", want: []vsphere.FixedProfile{
			{Name: "small", CPU: 1, MemoryMiB: 2048}, {Name: "large", CPU: 8, MemoryMiB: 65536}}},
		{in: "small", bad: true},
		{in: "small=1", bad: true},
		{in: "small=0:2048", bad: true},
		{in: "small=1:2050", bad: true}, // not a multiple of 4 MiB
		{in: "small=1:0", bad: true},
		{in: "small=1000:2048", bad: true},
		{in: "custom=1:2048", bad: true},
		{in: "a b=1:2048", bad: true},
		{in: "small=1:2048,small=2:4096", bad: true},
		{in: strings.Repeat("p=1:4,", 2) + "x", bad: true},
	}
	for _, c := range cases {
		got, err := vsphere.ParseProfiles(c.in)
		if c.bad {
			if !errors.Is(err, deltacloud.ErrInvalidArgument) {
				t.Errorf("ParseProfiles(%q) = %v, %v; want ErrInvalidArgument", c.in, got, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseProfiles(%q): %v", c.in, err)
			continue
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("ParseProfiles(%q) (-want +got):\n%s", c.in, d)
		}
	}
}

func TestOpenRefusesBadOptions(t *testing.T) {
	cases := map[string]map[string]string{
		"unknown":          {"colour": "blue"},
		"insecure":         {"insecure": "maybe"},
		"all_vms":          {"all_vms": "2"},
		"owner empty":      {"owner": " "},
		"stop":             {"stop": "halt"},
		"shutdown_timeout": {"shutdown_timeout": "forever"},
		"negative timeout": {"shutdown_timeout": "-1s"},
		"max_user_data":    {"max_user_data": "99999999"},
		"profiles":         {"profiles": "x=1"},
		"too long":         {"folder": strings.Repeat("f", 5000)},
	}
	for name, opts := range cases {
		_, err := deltacloud.Open(t.Context(), "vsphere", deltacloud.Config{Provider: "vc.example.com", Options: opts})
		if !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("%s: Open = %v, want ErrInvalidArgument", name, err)
		}
	}
}

func FuzzParseProvider(f *testing.F) {
	for _, s := range []string{"https://vc/sdk", "vc:443", "https://u:p@vc/sdk", "http://[::1]:80/", "https://%zz", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, creds, err := vsphere.ParseProvider(s)
		if err != nil {
			if creds.Password != "" && strings.Contains(err.Error(), creds.Password) {
				t.Fatalf("the error shows the password: %v", err)
			}
			return
		}
		if u.User != nil {
			t.Fatalf("ParseProvider(%q) kept user information in %q", s, u)
		}
		if u.Scheme != "https" && u.Scheme != "http" || u.Hostname() == "" || u.Path == "" {
			t.Fatalf("ParseProvider(%q) = %q, not an SDK URL", s, u)
		}
	})
}

func FuzzParseProfiles(f *testing.F) {
	for _, s := range []string{"small=1:2048", "a=1:4,b=2:8", "x=", "=1:4", ",,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := vsphere.ParseProfiles(s)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, p := range ps {
			if p.Name == "" || seen[p.Name] || p.CPU < 1 || p.MemoryMiB < 4 || p.MemoryMiB%4 != 0 {
				t.Fatalf("ParseProfiles(%q) accepted %+v", s, p)
			}
			seen[p.Name] = true
		}
	})
}
