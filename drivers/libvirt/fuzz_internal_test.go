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

// TestMetaCache: a cached element is handed out as a copy (a caller's
// attach does not change what the next listing reads), and the cache
// stays bounded.
func TestMetaCache(t *testing.T) {
	var c metaCache
	s := `<instance xmlns="` + MetadataURI + `"><owner>o</owner><disk volume="v1" device="sdb"/></instance>`
	m1, err := c.parse(s)
	if err != nil {
		t.Fatal(err)
	}
	m1.Disks = append(m1.Disks, metaDisk{Volume: "v2", Device: "sdc"})
	m1.Disks[0].Device = "sdz"
	m1.Owner = "changed"
	m2, err := c.parse(s)
	if err != nil {
		t.Fatal(err)
	}
	want := &meta{Owner: "o", Disks: []metaDisk{{Volume: "v1", Device: "sdb"}}}
	if d := cmp.Diff(want, m2, cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "XMLName" }, cmp.Ignore())); d != "" {
		t.Errorf("second read (-want +got):\n%s", d)
	}
	for i := range maxCachedMeta + 10 {
		if _, err := c.parse(`<instance><owner>` + strings.Repeat("x", i%50) + string(rune('a'+i%26)) + `</owner><name>` + string(rune(0x4e00+i)) + `</name></instance>`); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(c.m); n > maxCachedMeta {
		t.Errorf("the cache holds %d elements; at most %d", n, maxCachedMeta)
	}
	if _, err := c.parse("<instance><owner>"); err == nil {
		t.Error("a broken element parsed")
	}
}
