package gce

import (
	"testing"

	"github.com/deltacloud-go/deltacloud/drivers/gce/gcetest"
)

func FuzzParseProvider(f *testing.F) {
	for _, s := range []string{"my-project/us-central1", "us-central1", "", "a/b/c", "My_Project/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sc, err := ParseProvider(s)
		if err == nil && sc.Region != "" && !regionRE.MatchString(sc.Region) {
			t.Errorf("ParseProvider(%q) accepted region %q", s, sc.Region)
		}
	})
}

func FuzzParseKey(f *testing.F) {
	f.Add(string(gcetest.OtherKeyJSON()))
	f.Add(`{"type":"service_account"}`)
	f.Add(`{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}`)
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey([]byte(s))
		if err == nil && (k.ClientEmail == "" || k.PrivateKey == "") {
			t.Errorf("ParseKey accepted a key without email or private key")
		}
	})
}

func FuzzParseOptions(f *testing.F) {
	f.Add("owner", "team-a")
	f.Add("images", "debian-cloud/debian-12, ubuntu-os-cloud/ubuntu-2404-lts-amd64")
	f.Add("blob_chunk_size", "8")
	f.Add("compute_endpoint", "http://127.0.0.1:1/compute/v1/")
	f.Fuzz(func(t *testing.T, k, v string) {
		o, err := parseOptions(map[string]string{k: v})
		if err == nil && (!labelValueRE.MatchString(o.owner) || o.blobChunk < 1<<20) {
			t.Errorf("parseOptions(%q=%q) accepted owner %q chunk %d", k, v, o.owner, o.blobChunk)
		}
	})
}

func TestInstanceName(t *testing.T) {
	for _, in := range []string{"", "drivertest", "Web Server #1", "9lives", "---", "ünïcode", string(make([]byte, 300))} {
		if got := instanceName(in); !nameRE.MatchString(got) {
			t.Errorf("instanceName(%q) = %q, not a valid Compute name", in, got)
		}
	}
}
