package libvirt

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// TestMetaRoundTrip: what the driver writes into a domain it reads back.
func TestMetaRoundTrip(t *testing.T) {
	cases := []meta{
		{Owner: "deltacloud", Name: "web", Image: "tiny.raw", Profile: ProfileID, Created: "2026-01-02T03:04:05Z", Root: "dc-1-root.qcow2"},
		{Owner: "o<&>\"'", Name: "ü", Seed: "dc-2-seed.iso", KeyName: "ssh-ed25519 AAAA c",
			Disks: []metaDisk{{Volume: "dc-x-vol-a.qcow2", Device: "sdb"}}, Tags: []metaTag{{Key: "k", Value: "v&<"}}},
	}
	for _, m := range cases {
		for _, plain := range []bool{false, true} {
			s, err := m.marshal(plain)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			got, err := parseMeta(s)
			if err != nil {
				t.Fatalf("parseMeta(%s): %v", s, err)
			}
			if d := cmp.Diff(m, *got, cmp.AllowUnexported(meta{})); d != "" && !strings.Contains(d, "XMLName") {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
			if got.Owner != m.Owner || got.Name != m.Name || len(got.Disks) != len(m.Disks) || len(got.Tags) != len(m.Tags) {
				t.Errorf("round trip of %+v gave %+v", m, got)
			}
		}
	}
	if _, err := parseMeta(`<instance xmlns="urn:other"><owner>deltacloud</owner></instance>`); err == nil {
		t.Error("parseMeta accepted another namespace's element")
	}
	if _, err := parseMeta("<instance>" + strings.Repeat("x", maxMetadata) + "</instance>"); err == nil {
		t.Error("parseMeta accepted an oversized element")
	}
}

// FuzzParseMeta: metadata read back from a daemon (which anyone with
// access to it may have written) never panics, and what it accepts
// survives being written again.
func FuzzParseMeta(f *testing.F) {
	f.Add(`<instance xmlns="` + MetadataURI + `"><owner>deltacloud</owner><disk volume="v" device="sdb"/></instance>`)
	f.Add(`<instance><tag key="a" value="b"/></instance>`)
	f.Add(`<instance><owner>`)
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parseMeta(s)
		if err != nil {
			return
		}
		out, err := m.marshal(false)
		if err != nil {
			return // text XML cannot carry (invalid UTF-8 from a lax decode)
		}
		if _, err := parseMeta(out); err != nil {
			t.Fatalf("parseMeta(marshal(parseMeta(%q))) = %v", s, err)
		}
	})
}

// FuzzParseOptions: options from a server's configuration or a program are
// accepted within their bounds or refused with InvalidArgument, and never
// echo a password.
func FuzzParseOptions(f *testing.F) {
	f.Add("memory", "512", "password", "x")
	f.Add("shutdown_timeout", "1s", "user", "u")
	f.Add("image_pool", "../etc", "volume_pool", "p")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		o, err := parseOptions(map[string]string{k1: v1, k2: v2})
		if err != nil {
			if deltacloud.CodeOf(err) != deltacloud.InvalidArgument {
				t.Fatalf("parseOptions = %v, want InvalidArgument", err)
			}
			for k, v := range map[string]string{k1: v1, k2: v2} {
				if k == "password" && len(v) >= 4 && strings.Contains(err.Error(), v) {
					t.Fatalf("the error shows the password: %v", err)
				}
			}
			return
		}
		if o.memoryMiB < MinMemoryMiB || o.shutdownTimeout < 0 || !nameRE.MatchString(o.imagePool) || !nameRE.MatchString(o.volumePool) {
			t.Fatalf("parseOptions accepted %+v", o)
		}
	})
}

// FuzzCheckPublicKey: a keyname goes into the seed's meta-data; what is
// accepted is one printable line of bounded size.
func FuzzCheckPublicKey(f *testing.F) {
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb3Z1ZHJpdmVydGVzdGtleWJ5dGVzMTIzNDU2Nzg5MA== me@host")
	f.Add("ssh-rsa AAAA\nx")
	f.Fuzz(func(t *testing.T, k string) {
		if CheckPublicKey(k) != nil {
			return
		}
		if len(k) > maxKeyLen || strings.ContainsAny(k, "\r\n\x00") {
			t.Fatalf("CheckPublicKey accepted %q", k)
		}
	})
}
