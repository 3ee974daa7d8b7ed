package libvirt_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/libvirt"
)

func TestParseURI(t *testing.T) {
	cases := []struct {
		uri  string
		want libvirt.Endpoint
		code deltacloud.Code
	}{
		{"", libvirt.Endpoint{Network: "unix", Address: libvirt.SystemSocket, Remote: "qemu:///system"}, 0},
		{"qemu:///system", libvirt.Endpoint{Network: "unix", Address: libvirt.SystemSocket, Remote: "qemu:///system"}, 0},
		{"test:///default", libvirt.Endpoint{Network: "unix", Address: libvirt.SystemSocket, Remote: "test:///default"}, 0},
		{"qemu:///session?socket=/tmp/x/libvirt-sock", libvirt.Endpoint{Network: "unix", Address: "/tmp/x/libvirt-sock", Remote: "qemu:///session"}, 0},
		{"qemu+unix:///system?socket=/run/s", libvirt.Endpoint{Network: "unix", Address: "/run/s", Remote: "qemu:///system"}, 0},
		{"qemu+tcp://host.example/system", libvirt.Endpoint{Network: "tcp", Address: "host.example:16509", Remote: "qemu:///system"}, 0},
		{"qemu+tcp://127.0.0.1:1234/session", libvirt.Endpoint{Network: "tcp", Address: "127.0.0.1:1234", Remote: "qemu:///session"}, 0},
		{"qemu+tcp://[::1]/system", libvirt.Endpoint{Network: "tcp", Address: "[::1]:16509", Remote: "qemu:///system"}, 0},
		{"qemu:///session", libvirt.Endpoint{}, deltacloud.InvalidArgument},
		{"qemu+ssh://root@host/system", libvirt.Endpoint{}, deltacloud.InvalidArgument},
		{"qemu+ssh://host/system", libvirt.Endpoint{}, deltacloud.NotSupported},
		{"qemu+libssh://host/system", libvirt.Endpoint{}, deltacloud.NotSupported},
		{"qemu+tls://host/system", libvirt.Endpoint{}, deltacloud.NotSupported},
		{"qemu://host/system", libvirt.Endpoint{}, deltacloud.NotSupported},
		{"xen:///system", libvirt.Endpoint{}, deltacloud.NotSupported},
		{"test:///etc/passwd", libvirt.Endpoint{}, deltacloud.InvalidArgument},
		{"qemu:///embed?root=/x", libvirt.Endpoint{}, deltacloud.InvalidArgument},
		{"qemu:///system?socket=relative", libvirt.Endpoint{}, deltacloud.InvalidArgument},
		{"qemu:///system?socket=/a/../b", libvirt.Endpoint{}, deltacloud.InvalidArgument},
		{"qemu:///system?socket=/" + strings.Repeat("a", 200), libvirt.Endpoint{}, deltacloud.InvalidArgument},
		{"qemu:///system?no_verify=1", libvirt.Endpoint{}, deltacloud.InvalidArgument},
		{"qemu+tcp:///system", libvirt.Endpoint{}, deltacloud.InvalidArgument},
		{"qemu+tcp://h/system?socket=/s", libvirt.Endpoint{}, deltacloud.InvalidArgument},
		{"qemu:system", libvirt.Endpoint{}, deltacloud.InvalidArgument},
		{"qemu:///" + strings.Repeat("x", 2000), libvirt.Endpoint{}, deltacloud.InvalidArgument},
	}
	for _, c := range cases {
		got, err := libvirt.ParseURI(c.uri)
		if code := deltacloud.CodeOf(err); code != c.code {
			t.Errorf("ParseURI(%q) = %v, want code %v", c.uri, err, c.code)
			continue
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("ParseURI(%q) (-want +got):\n%s", c.uri, d)
		}
	}
}

// FuzzParseURI: any provider string is either refused with a typed error
// or yields an endpoint of a known transport whose daemon URI is one of
// the few the driver opens.
func FuzzParseURI(f *testing.F) {
	for _, s := range []string{"qemu:///system", "test:///default?socket=/s", "qemu+tcp://h:1/session", "qemu+ssh://u@h/system", "%", "qemu:///system?socket=/a&socket=/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := libvirt.ParseURI(s)
		if err != nil {
			if c := deltacloud.CodeOf(err); c != deltacloud.InvalidArgument && c != deltacloud.NotSupported {
				t.Fatalf("ParseURI(%q) = %v, an error of code %v", s, err, c)
			}
			return
		}
		switch e.Remote {
		case "qemu:///system", "qemu:///session", "test:///default":
		default:
			t.Fatalf("ParseURI(%q) opens %q", s, e.Remote)
		}
		if e.Network != "unix" && e.Network != "tcp" || e.Address == "" {
			t.Fatalf("ParseURI(%q) dials %q %q", s, e.Network, e.Address)
		}
	})
}
