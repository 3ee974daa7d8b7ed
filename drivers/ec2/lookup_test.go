package ec2_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// TestGettersUseIDFilters: a get by id is one Describe request naming the
// id, whatever the size of the collection, and agrees with the listing; an
// unknown id is ErrNotFound carrying EC2's own "….NotFound" code (proof the
// id went to EC2 rather than the listing being searched); an id EC2 could
// not have issued is ErrNotFound without a request.
func TestGettersUseIDFilters(t *testing.T) {
	s := ec2test.NewServer(t)
	s.SetPageSize(1) // a listing would cost one request per object
	p := open(t, s)
	ctx := t.Context()
	// Three of everything, so that searching a listing would show.
	var vols, snaps, keys, fws, addrs []string
	for i, name := range []string{"a", "b", "c"} {
		v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Capacity: i + 1})
		if err != nil {
			t.Fatal(err)
		}
		vols = append(vols, v.ID)
		for v.State != deltacloud.VolumeAvailable {
			if v, err = p.StorageVolume(ctx, v.ID); err != nil {
				t.Fatal(err)
			}
		}
		sn, err := p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: v.ID})
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, sn.ID)
		k, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "key-" + name})
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.ID)
		fw, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "fw-" + name, Description: "test"})
		if err != nil {
			t.Fatal(err)
		}
		fws = append(fws, fw.ID)
		a, err := p.CreateAddress(ctx)
		if err != nil {
			t.Fatal(err)
		}
		addrs = append(addrs, a.ID)
	}
	type getter struct {
		action          string
		id, unknown     string
		unknownCode     string // EC2's error code for unknown
		malformed       string // answered without a request
		get             func(id string) (any, error)
		list            func() (any, error) // the listing's object of id
		requestsPerList int
	}
	pick := func(id string, items any) any {
		switch xs := items.(type) {
		case []deltacloud.StorageVolume:
			for _, x := range xs {
				if x.ID == id {
					return &x
				}
			}
		case []deltacloud.StorageSnapshot:
			for _, x := range xs {
				if x.ID == id {
					return &x
				}
			}
		case []deltacloud.Key:
			for _, x := range xs {
				if x.ID == id {
					return &x
				}
			}
		case []deltacloud.Firewall:
			for _, x := range xs {
				if x.ID == id {
					return &x
				}
			}
		case []deltacloud.IPAddress:
			for _, x := range xs {
				if x.ID == id {
					return &x
				}
			}
		}
		return nil
	}
	cases := []getter{
		{action: "DescribeVolumes", id: vols[1], unknown: "vol-0000000000000dead", unknownCode: "InvalidVolume.NotFound", malformed: "disk-1",
			get:  func(id string) (any, error) { return p.StorageVolume(ctx, id) },
			list: func() (any, error) { return p.StorageVolumes(ctx) }},
		{action: "DescribeSnapshots", id: snaps[1], unknown: "snap-000000000000dead", unknownCode: "InvalidSnapshot.NotFound", malformed: "snapshot-1",
			get:  func(id string) (any, error) { return p.StorageSnapshot(ctx, id) },
			list: func() (any, error) { return p.StorageSnapshots(ctx) }},
		{action: "DescribeKeyPairs", id: keys[1], unknown: "no-such-key", unknownCode: "InvalidKeyPair.NotFound",
			get:  func(id string) (any, error) { return p.Key(ctx, id) },
			list: func() (any, error) { return p.Keys(ctx) }},
		{action: "DescribeSecurityGroups", id: fws[1], unknown: "sg-00000000000000dead", unknownCode: "InvalidGroup.NotFound", malformed: "web",
			get:  func(id string) (any, error) { return p.Firewall(ctx, id) },
			list: func() (any, error) { return p.Firewalls(ctx) }},
		{action: "DescribeAddresses", id: addrs[1], unknown: "198.51.100.250", unknownCode: "InvalidAddress.NotFound", malformed: "not-an-ip",
			get:  func(id string) (any, error) { return p.Address(ctx, id) },
			list: func() (any, error) { return p.Addresses(ctx) }},
	}
	for _, c := range cases {
		t.Run(c.action, func(t *testing.T) {
			before := s.Calls(c.action)
			got, err := c.get(c.id)
			if err != nil {
				t.Fatalf("get(%s): %v", c.id, err)
			}
			if n := s.Calls(c.action) - before; n != 1 {
				t.Errorf("get(%s) made %d %s requests, want 1", c.id, n, c.action)
			}
			all, err := c.list()
			if err != nil {
				t.Fatal(err)
			}
			// Reads move the fake's snapshots on, as time does on EC2.
			if d := cmp.Diff(pick(c.id, all), got, cmpopts.IgnoreFields(deltacloud.StorageSnapshot{}, "State")); d != "" {
				t.Errorf("get(%s) differs from the listing (-list +get):\n%s", c.id, d)
			}

			before = s.Calls(c.action)
			_, err = c.get(c.unknown)
			checkErr(t, "get of an unknown id", err, deltacloud.ErrNotFound, c.unknownCode)
			if n := s.Calls(c.action) - before; n != 1 {
				t.Errorf("get(%s) made %d %s requests, want 1", c.unknown, n, c.action)
			}
			if c.malformed != "" {
				before = s.Calls(c.action)
				_, err = c.get(c.malformed)
				checkErr(t, "get of a malformed id", err, deltacloud.ErrNotFound, "")
				if n := s.Calls(c.action) - before; n != 0 {
					t.Errorf("get(%s) made %d %s requests, want none", c.malformed, n, c.action)
				}
			}
		})
	}
}

// TestHardwareProfileOneRequest: without a fresh catalogue, one profile is
// one DescribeInstanceTypes request naming it (the catalogue is seven pages
// here); an unknown type is ErrNotFound from EC2's InvalidInstanceType; a
// name that cannot be a type costs nothing.
func TestHardwareProfileOneRequest(t *testing.T) {
	s := ec2test.NewServer(t)
	s.SetPageSize(1)
	p := open(t, s, "instance_types_ttl", "0")
	ctx := t.Context()
	cases := []struct {
		id       string
		requests int
		want     error
		apiCode  string
	}{
		{id: "m5d.large", requests: 1},
		{id: "t2.micro", requests: 1},
		{id: "x9.huge", requests: 1, want: deltacloud.ErrNotFound, apiCode: "InvalidInstanceType"},
		{id: "drivertest-no-such-id-0", requests: 0, want: deltacloud.ErrNotFound},
		{id: "M5.LARGE", requests: 0, want: deltacloud.ErrNotFound},
	}
	all, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		before := s.Calls("DescribeInstanceTypes")
		h, err := p.HardwareProfile(ctx, c.id)
		if n := s.Calls("DescribeInstanceTypes") - before; n != c.requests {
			t.Errorf("HardwareProfile(%s) made %d requests, want %d", c.id, n, c.requests)
		}
		if c.want != nil {
			checkErr(t, "HardwareProfile("+c.id+")", err, c.want, c.apiCode)
			continue
		}
		if err != nil {
			t.Errorf("HardwareProfile(%s): %v", c.id, err)
			continue
		}
		for _, l := range all {
			if l.ID == c.id {
				if d := cmp.Diff(l, *h); d != "" {
					t.Errorf("HardwareProfile(%s) differs from the listing (-list +get):\n%s", c.id, d)
				}
			}
		}
	}
}

// TestInstanceTypesCache: the catalogue is listed once per TTL: later
// listings, single profiles, the profiles of images and creates with a
// profile make no DescribeInstanceTypes request at all.
func TestInstanceTypesCache(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s) // the default TTL, an hour
	ctx := t.Context()
	if _, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{}); err != nil {
		t.Fatal(err)
	}
	pages := s.Calls("DescribeInstanceTypes")
	if want := (len(ec2test.InstanceTypes) + 1) / 2; pages != want {
		t.Fatalf("the first listing made %d requests, want %d pages", pages, want)
	}
	if _, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{Architecture: "x86_64"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.HardwareProfile(ctx, "m5.large"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.HardwareProfile(ctx, "x9.huge"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("HardwareProfile(x9.huge) from the cache = %v, want ErrNotFound", err)
	}
	if _, err := p.Images(ctx, deltacloud.ImageFilter{}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001", ProfileID: "m5.large"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Calls("DescribeInstanceTypes") - pages; n != 0 {
		t.Errorf("%d more DescribeInstanceTypes requests after the first listing, want none", n)
	}
	if _, err := openFake(ctx, s, goodCreds, "instance_types_ttl", "1y"); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("instance_types_ttl=1y: %v, want ErrInvalidArgument", err)
	}
}

// TestCreateWithProfileDoesNotRelist: on a fresh provider, creates with a
// profile list the catalogue at most once between them (for the image's
// profiles), never once per create.
func TestCreateWithProfileDoesNotRelist(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	ctx := t.Context()
	for range 3 {
		if _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001", ProfileID: "t2.micro"}); err != nil {
			t.Fatal(err)
		}
	}
	pages := (len(ec2test.InstanceTypes) + 1) / 2
	if n := s.Calls("DescribeInstanceTypes"); n > 1+pages {
		t.Errorf("three creates made %d DescribeInstanceTypes requests, want at most one lookup and one listing (%d)", n, 1+pages)
	}
	// A profile that does not exist is refused before RunInstances.
	runs := s.Calls("RunInstances")
	_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001", ProfileID: "x9.huge"})
	checkErr(t, "create with an unknown profile", err, deltacloud.ErrInvalidArgument, "")
	if s.Calls("RunInstances") != runs {
		t.Error("a create with an unknown profile reached RunInstances")
	}
}
