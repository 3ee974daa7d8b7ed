package ec2_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// running launches one instance and waits until it runs.
func running(t *testing.T, p *deltacloud.Provider, spec deltacloud.InstanceSpec) *deltacloud.Instance {
	t.Helper()
	if spec.ImageID == "" {
		spec.ImageID = "ami-00000001"
	}
	in, err := p.CreateInstance(t.Context(), spec)
	if err != nil {
		t.Fatal(err)
	}
	in, err = p.WaitFor(t.Context(), in.ID, deltacloud.StateRunning)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

const testPublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGkUEDnTWfwJZkSSL4zeD+bGuhhUj1aKAZdW4q7iYhO6 me@host"

func TestKeys(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	ctx := t.Context()
	created, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "gen"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.PrivateKey, "-----BEGIN RSA PRIVATE KEY-----") || created.Fingerprint == "" {
		t.Errorf("created key has private key %.40q and fingerprint %q", created.PrivateKey, created.Fingerprint)
	}
	imported, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "mine", PublicKey: testPublicKey})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := p.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []deltacloud.Key{
		{ID: "gen", Name: "gen", Type: deltacloud.KeyTypeKey, Fingerprint: created.Fingerprint, State: ec2.KeyAvailable},
		{ID: "mine", Name: "mine", Type: deltacloud.KeyTypeKey, Fingerprint: imported.Fingerprint, PublicKey: testPublicKey, State: ec2.KeyAvailable},
	}
	// The private key is handed out once: listings never hold it.
	if diff := cmp.Diff(want, keys, cmpopts.IgnoreFields(deltacloud.Key{}, "PublicKey")); diff != "" {
		t.Errorf("Keys (-want +got):\n%s", diff)
	}
	if keys[1].PublicKey != testPublicKey {
		t.Errorf("imported key lists public key %q", keys[1].PublicKey)
	}
	if got := s.KeyPairs(); len(got) != 2 || got[1].Type != "ed25519" {
		t.Errorf("fake holds %+v", got)
	}
	for _, c := range []struct {
		name string
		spec deltacloud.KeySpec
		want error
		code string
	}{
		{"duplicate", deltacloud.KeySpec{Name: "gen"}, deltacloud.ErrConflict, "InvalidKeyPair.Duplicate"},
		{"duplicate import", deltacloud.KeySpec{Name: "mine", PublicKey: testPublicKey}, deltacloud.ErrConflict, "InvalidKeyPair.Duplicate"},
		{"bad public key", deltacloud.KeySpec{Name: "bad", PublicKey: "ssh-rsa notbase64!"}, deltacloud.ErrInvalidArgument, "InvalidKey.Format"},
		{"wrong key type", deltacloud.KeySpec{Name: "bad", PublicKey: "ssh-rsa " + strings.Fields(testPublicKey)[1]}, deltacloud.ErrInvalidArgument, "InvalidKey.Format"},
	} {
		_, err := p.CreateKey(ctx, c.spec)
		checkErr(t, c.name, err, c.want, c.code)
	}
	if err := p.DestroyKey(ctx, "gen"); err != nil {
		t.Fatal(err)
	}
	// EC2 deletes unknown key names silently; the driver says NotFound.
	checkErr(t, "DestroyKey(gen) again", p.DestroyKey(ctx, "gen"), deltacloud.ErrNotFound, "InvalidKeyPair.NotFound")
}

// checkErr checks an error's code and that the SDK's API error (with code
// apiCode, if set) is reachable.
func checkErr(t *testing.T, what string, err, want error, apiCode string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s = %v, want %v", what, err, want)
		return
	}
	if apiCode == "" {
		return
	}
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != apiCode {
		t.Errorf("%s: API error %v, want code %s", what, api, apiCode)
	}
}

func TestFirewalls(t *testing.T) {
	s := ec2test.NewServer(t)
	s.SetPageSize(1)
	p := open(t, s)
	ctx := t.Context()
	web, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "web", Description: "web servers"})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "admin", Description: "bastions"})
	if err != nil {
		t.Fatal(err)
	}
	net10 := netip.MustParsePrefix("10.0.0.0/8")
	v6 := netip.MustParsePrefix("2001:db8::/32")
	if _, err := p.AddFirewallRule(ctx, web.ID, deltacloud.FirewallRuleSpec{Protocol: "TCP", PortFrom: 22, PortTo: 22,
		Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: net10}, {Type: deltacloud.SourceGroup, Group: "admin"}}}); err != nil {
		t.Fatal(err)
	}
	got, err := p.AddFirewallRule(ctx, web.ID, deltacloud.FirewallRuleSpec{Protocol: "icmp", PortFrom: -1, PortTo: -1,
		Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: v6}, {Type: deltacloud.SourceGroup, Group: admin.ID, Owner: ec2test.Account}}})
	if err != nil {
		t.Fatal(err)
	}
	want := &deltacloud.Firewall{ID: web.ID, Name: "web", Description: "web servers", Owner: ec2test.Account, Rules: []deltacloud.FirewallRule{
		{ID: "tcp-22-22", Protocol: "tcp", PortFrom: 22, PortTo: 22, Direction: "ingress", Sources: []deltacloud.RuleSource{
			{Type: deltacloud.SourceAddress, Prefix: net10}, {Type: deltacloud.SourceGroup, Group: "admin", Owner: ec2test.Account}}},
		{ID: "icmp-any-any", Protocol: "icmp", PortFrom: -1, PortTo: -1, Direction: "ingress", Sources: []deltacloud.RuleSource{
			{Type: deltacloud.SourceAddress, Prefix: v6}, {Type: deltacloud.SourceGroup, Group: "admin", Owner: ec2test.Account}}},
	}}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("firewall after two rules (-want +got):\n%s", diff)
	}
	// Listings page through DescribeSecurityGroups (one group a page here).
	fws, err := p.Firewalls(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(fws) != 3 || fws[0].Name != "default" || s.Calls("DescribeSecurityGroups") < 3 {
		t.Fatalf("Firewalls = %d groups in %d calls: %+v", len(fws), s.Calls("DescribeSecurityGroups"), fws)
	}
	// The default group allows everything from itself.
	if r := fws[0].Rules; len(r) != 1 || r[0].ID != "all" || r[0].Protocol != "all" || r[0].Sources[0].Group != "default" {
		t.Errorf("default group rules %+v", r)
	}
	for _, c := range []struct {
		name      string
		err, want error
		code      string
	}{
		{"duplicate rule", func() error {
			_, err := p.AddFirewallRule(ctx, web.ID, deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 22, PortTo: 22,
				Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: net10}}})
			return err
		}(), deltacloud.ErrConflict, "InvalidPermission.Duplicate"},
		{"duplicate group", func() error {
			_, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "web", Description: "again"})
			return err
		}(), deltacloud.ErrConflict, "InvalidGroup.Duplicate"},
		{"rule of unknown source group", func() error {
			_, err := p.AddFirewallRule(ctx, web.ID, deltacloud.FirewallRuleSpec{Protocol: "udp", PortFrom: 53, PortTo: 53,
				Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceGroup, Group: "nope"}}})
			return err
		}(), deltacloud.ErrNotFound, "InvalidGroup.NotFound"},
		{"destroy a group another names", p.DestroyFirewall(ctx, admin.ID), deltacloud.ErrInvalidState, "DependencyViolation"},
		{"destroy default", p.DestroyFirewall(ctx, fws[0].ID), deltacloud.ErrForbidden, "CannotDelete"},
		{"destroy unknown", p.DestroyFirewall(ctx, "sg-0000000000000ffff"), deltacloud.ErrNotFound, "InvalidGroup.NotFound"},
		{"destroy a name", p.DestroyFirewall(ctx, "web"), deltacloud.ErrNotFound, ""},
		{"delete unknown rule", p.DeleteFirewallRule(ctx, web.ID, "udp-1-2"), deltacloud.ErrNotFound, ""},
		{"delete malformed rule", p.DeleteFirewallRule(ctx, web.ID, "tcp-22"), deltacloud.ErrNotFound, ""},
	} {
		checkErr(t, c.name, c.err, c.want, c.code)
	}
	// Deleting a rule revokes the permission with every source.
	if err := p.DeleteFirewallRule(ctx, web.ID, "tcp-22-22"); err != nil {
		t.Fatal(err)
	}
	if err := p.DeleteFirewallRule(ctx, web.ID, "icmp-any-any"); err != nil {
		t.Fatal(err)
	}
	for _, g := range s.SecurityGroups() {
		if g.ID == web.ID && len(g.Ingress) != 0 {
			t.Errorf("web keeps %+v", g.Ingress)
		}
	}
	// An instance in a group holds it.
	in := running(t, p, deltacloud.InstanceSpec{Firewalls: []string{admin.ID}})
	if len(in.Firewalls) != 1 || in.Firewalls[0] != admin.ID {
		t.Errorf("instance firewalls %v, want [%s]", in.Firewalls, admin.ID)
	}
	checkErr(t, "destroy a group in use", p.DestroyFirewall(ctx, admin.ID), deltacloud.ErrInvalidState, "DependencyViolation")
	if err := p.DestroyFirewall(ctx, web.ID); err != nil {
		t.Fatal(err)
	}
}

func TestRuleID(t *testing.T) {
	for _, c := range []struct {
		proto    string
		from, to int
		id       string
	}{
		{"tcp", 22, 22, "tcp-22-22"},
		{"udp", 5000, 5100, "udp-5000-5100"},
		{"icmp", -1, -1, "icmp-any-any"},
		{"icmp", 8, -1, "icmp-8-any"},
		{"all", -1, -1, "all"},
		{"50", -1, -1, "50-any-any"},
		{"tcp", 0, 65535, "tcp-0-65535"},
	} {
		id := ec2.RuleID(c.proto, c.from, c.to)
		if id != c.id {
			t.Errorf("RuleID(%s, %d, %d) = %q, want %q", c.proto, c.from, c.to, id, c.id)
		}
		proto, from, to, ok := ec2.ParseRuleID(id)
		if !ok || proto != c.proto || from != c.from || to != c.to {
			t.Errorf("ParseRuleID(%q) = %s %d %d %v", id, proto, from, to, ok)
		}
	}
	for _, bad := range []string{"", "tcp", "tcp-22", "tcp-22-22-1", "ftp-1-2", "tcp-x-2", "tcp--1-2", "tcp-01-2", "256-1-1", "tcp-1-65536", "All"} {
		if _, _, _, ok := ec2.ParseRuleID(bad); ok {
			t.Errorf("ParseRuleID(%q) accepted", bad)
		}
	}
}

func FuzzParseRuleID(f *testing.F) {
	for _, s := range []string{"tcp-22-22", "icmp-8-any", "all", "50-any-any", "tcp--1-2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		proto, from, to, ok := ec2.ParseRuleID(id)
		if !ok {
			return
		}
		if again := ec2.RuleID(proto, from, to); again != id {
			t.Errorf("ParseRuleID(%q) = %s %d %d, which RuleID writes %q", id, proto, from, to, again)
		}
	})
}

func TestAddresses(t *testing.T) {
	s := ec2test.NewServer(t)
	s.SetAddressLimit(2)
	p := open(t, s)
	ctx := t.Context()
	a, err := p.CreateAddress(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != a.IP || !strings.HasPrefix(a.IP, "198.51.100.") || a.Associated() {
		t.Errorf("allocated %+v", a)
	}
	in := running(t, p, deltacloud.InstanceSpec{})
	if err := p.AssociateAddress(ctx, a.ID, in.ID); err != nil {
		t.Fatal(err)
	}
	got, err := p.Address(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&deltacloud.IPAddress{ID: a.ID, IP: a.IP, InstanceID: in.ID}, got); diff != "" {
		t.Errorf("associated address (-want +got):\n%s", diff)
	}
	// The instance's public address is now the Elastic IP.
	in, err = p.Instance(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if in.PublicAddresses[0].Value != a.IP {
		t.Errorf("instance public addresses %v, want %s first", in.PublicAddresses, a.IP)
	}
	checkErr(t, "destroy associated", p.DestroyAddress(ctx, a.ID), deltacloud.ErrInvalidState, "")
	if err := p.DisassociateAddress(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if got := s.Addresses(); got[0].InstanceID != "" || got[0].AssociationID != "" {
		t.Errorf("fake after disassociate: %+v", got)
	}
	// EC2 associates only with running instances.
	if _, err := p.Stop(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := p.WaitFor(ctx, in.ID, deltacloud.StateStopped); err != nil {
		t.Fatal(err)
	}
	checkErr(t, "associate with a stopped instance", p.AssociateAddress(ctx, a.ID, in.ID), deltacloud.ErrInvalidState, "IncorrectInstanceState")
	if _, err := p.CreateAddress(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = p.CreateAddress(ctx)
	checkErr(t, "allocate past the quota", err, deltacloud.ErrForbidden, "AddressLimitExceeded")
	if err := p.DestroyAddress(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	checkErr(t, "destroy released", p.DestroyAddress(ctx, a.ID), deltacloud.ErrNotFound, "")
	// The driver's own lookups, below the Provider's checks.
	s.Fail("DescribeAddresses", "InvalidAddress.NotFound", 400, 1)
	_, err = p.Addresses(ctx)
	checkErr(t, "DescribeAddresses failing", err, deltacloud.ErrNotFound, "InvalidAddress.NotFound")
}

func TestVolumeStateOf(t *testing.T) {
	for in, want := range map[types.VolumeState]deltacloud.VolumeState{
		"creating": deltacloud.VolumeCreating, "available": deltacloud.VolumeAvailable, "in-use": deltacloud.VolumeInUse,
		"deleting": deltacloud.VolumeDeleting, "deleted": deltacloud.VolumeDeleting, "error": deltacloud.VolumeError,
		"optimizing": "OPTIMIZING",
	} {
		if got := ec2.VolumeStateOf(in); got != want {
			t.Errorf("VolumeStateOf(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[types.SnapshotState]deltacloud.SnapshotState{
		"pending": deltacloud.SnapshotPending, "completed": deltacloud.SnapshotCompleted, "error": deltacloud.SnapshotError,
		"recoverable": deltacloud.SnapshotPending, "recovering": deltacloud.SnapshotPending,
	} {
		if got := ec2.SnapshotStateOf(in); got != want {
			t.Errorf("SnapshotStateOf(%s) = %s, want %s", in, got, want)
		}
	}
}

// waitVolume polls until ok holds.
func waitVolume(t *testing.T, p *deltacloud.Provider, id string, ok func(*deltacloud.StorageVolume) bool) *deltacloud.StorageVolume {
	t.Helper()
	for range 50 {
		v, err := p.StorageVolume(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if ok(v) {
			return v
		}
	}
	t.Fatalf("volume %s did not settle", id)
	return nil
}

func TestVolumesAndSnapshots(t *testing.T) {
	s := ec2test.NewServer(t)
	s.SetPageSize(1)
	p := open(t, s)
	ctx := t.Context()
	v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Name: "data", Capacity: 3, RealmID: "us-east-1b"})
	if err != nil {
		t.Fatal(err)
	}
	want := &deltacloud.StorageVolume{ID: v.ID, Name: "data", Capacity: 3, RealmID: "us-east-1b", State: deltacloud.VolumeCreating, Kind: "gp2"}
	if diff := cmp.Diff(want, v, cmpopts.IgnoreFields(deltacloud.StorageVolume{}, "Created")); diff != "" || v.Created.IsZero() {
		t.Errorf("created volume (-want +got):\n%s", diff)
	}
	if vs := s.Volumes(); vs[0].Tags["Name"] != "data" || vs[0].Zone != "us-east-1b" {
		t.Errorf("fake volume %+v", vs[0])
	}
	// Defaults: the first available zone and DefaultVolumeGB.
	d, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{})
	if err != nil {
		t.Fatal(err)
	}
	if d.RealmID != "us-east-1a" || d.Capacity != ec2.DefaultVolumeGB {
		t.Errorf("default volume %+v", d)
	}
	waitVolume(t, p, v.ID, func(v *deltacloud.StorageVolume) bool { return v.State == deltacloud.VolumeAvailable })
	in := running(t, p, deltacloud.InstanceSpec{RealmID: "us-east-1b"})
	att, err := p.AttachStorageVolume(ctx, v.ID, in.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if att.State != deltacloud.VolumeInUse || att.InstanceID != in.ID || att.Device != "/dev/sdf" {
		t.Errorf("attached %+v", att)
	}
	in, err = p.Instance(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(volumeIDs(in), " "), v.ID) {
		t.Errorf("instance volumes %+v lack %s", in.StorageVolumes, v.ID)
	}
	// A second volume picks the next free device; one in another zone fails.
	w, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Capacity: 1, RealmID: "us-east-1b"})
	if err != nil {
		t.Fatal(err)
	}
	waitVolume(t, p, w.ID, func(v *deltacloud.StorageVolume) bool { return v.State == deltacloud.VolumeAvailable })
	if att, err := p.AttachStorageVolume(ctx, w.ID, in.ID, ""); err != nil || att.Device != "/dev/sdg" {
		t.Errorf("second attach = %+v, %v; want /dev/sdg", att, err)
	}
	waitVolume(t, p, d.ID, func(v *deltacloud.StorageVolume) bool { return v.State == deltacloud.VolumeAvailable })
	_, err = p.AttachStorageVolume(ctx, d.ID, in.ID, "/dev/sdh")
	checkErr(t, "attach across zones", err, deltacloud.ErrInvalidArgument, "InvalidVolume.ZoneMismatch")
	_, err = p.AttachStorageVolume(ctx, d.ID, in.ID, "")
	checkErr(t, "attach across zones", err, deltacloud.ErrInvalidArgument, "InvalidVolume.ZoneMismatch")

	// Snapshot the attached volume, then make a bigger volume of it.
	sn, err := p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: v.ID, Name: "nightly", Description: "data at night"})
	if err != nil {
		t.Fatal(err)
	}
	wantSn := &deltacloud.StorageSnapshot{ID: sn.ID, Name: "nightly", Description: "data at night", VolumeID: v.ID, State: deltacloud.SnapshotPending}
	if diff := cmp.Diff(wantSn, sn, cmpopts.IgnoreFields(deltacloud.StorageSnapshot{}, "Created")); diff != "" {
		t.Errorf("created snapshot (-want +got):\n%s", diff)
	}
	var done *deltacloud.StorageSnapshot
	for range 10 {
		if done, err = p.StorageSnapshot(ctx, sn.ID); err != nil || done.State == deltacloud.SnapshotCompleted {
			break
		}
	}
	if err != nil || done.State != deltacloud.SnapshotCompleted {
		t.Fatalf("snapshot = %+v, %v", done, err)
	}
	big, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{SnapshotID: sn.ID, Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	if vs := s.Volumes(); vs[len(vs)-1].SnapshotID != sn.ID || big.Capacity != 10 {
		t.Errorf("volume from snapshot: %+v", vs[len(vs)-1])
	}
	fromSnap, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{SnapshotID: sn.ID})
	if err != nil || fromSnap.Capacity != 3 {
		t.Errorf("volume of the snapshot's size = %+v, %v; want 3 GB", fromSnap, err)
	}
	_, err = p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{SnapshotID: sn.ID, Capacity: 2})
	checkErr(t, "volume smaller than its snapshot", err, deltacloud.ErrInvalidArgument, "InvalidParameterValue")

	// EC2's own state errors, past the Provider's checks.
	s.Fail("DeleteVolume", "VolumeInUse", 400, 1)
	checkErr(t, "DeleteVolume in use", p.DestroyStorageVolume(ctx, big.ID), deltacloud.ErrInvalidState, "VolumeInUse")
	s.Fail("AttachVolume", "IncorrectState", 400, 1)
	waitVolume(t, p, big.ID, func(v *deltacloud.StorageVolume) bool { return v.State == deltacloud.VolumeAvailable })
	_, err = p.AttachStorageVolume(ctx, big.ID, in.ID, "/dev/sdk")
	checkErr(t, "AttachVolume in a bad state", err, deltacloud.ErrInvalidState, "IncorrectState")

	// Detach: IN-USE until EC2 has finished, then AVAILABLE.
	det, err := p.DetachStorageVolume(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if det.State != deltacloud.VolumeInUse {
		t.Errorf("detaching volume %+v", det)
	}
	waitVolume(t, p, v.ID, func(v *deltacloud.StorageVolume) bool { return !v.Attached() })
	if err := p.DestroyStorageVolume(ctx, v.ID); err != nil {
		t.Fatal(err)
	}
	// Listings page through DescribeVolumes and DescribeSnapshots.
	vs, err := p.StorageVolumes(ctx)
	if err != nil || len(vs) != len(s.Volumes()) || len(vs) < 4 {
		t.Errorf("StorageVolumes = %d volumes, %v; the fake has %d", len(vs), err, len(s.Volumes()))
	}
	if err := p.DestroyStorageSnapshot(ctx, sn.ID); err != nil {
		t.Fatal(err)
	}
	checkErr(t, "destroy snapshot again", p.DestroyStorageSnapshot(ctx, sn.ID), deltacloud.ErrNotFound, "InvalidSnapshot.NotFound")
	checkErr(t, "destroy volume of a bad id", p.DestroyStorageVolume(ctx, "disk-1"), deltacloud.ErrNotFound, "")
	_, err = p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: "vol-0000000000000ffff"})
	checkErr(t, "snapshot of an unknown volume", err, deltacloud.ErrNotFound, "")
}

func volumeIDs(in *deltacloud.Instance) []string {
	var ids []string
	for _, v := range in.StorageVolumes {
		ids = append(ids, v.VolumeID)
	}
	return ids
}

func TestImagesFromInstances(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	ctx := t.Context()
	if !p.Supports(deltacloud.CapabilityCreateImage) || !p.Supports(deltacloud.CapabilityDestroyImage) {
		t.Fatal("ec2 does not support create_image and destroy_image")
	}
	in := running(t, p, deltacloud.InstanceSpec{})
	img, err := p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: in.ID, Name: "golden", Description: "the golden image"})
	if err != nil {
		t.Fatal(err)
	}
	want := &deltacloud.Image{ID: img.ID, Name: "golden", Description: "the golden image", Owner: ec2test.Account,
		Architecture: "x86_64", State: "PENDING", RootType: "persistent",
		HardwareProfiles: []string{"t2.micro", "t2.small", "m5.large", "m5d.large", "c5.xlarge"}}
	if diff := cmp.Diff(want, img, cmpopts.IgnoreFields(deltacloud.Image{}, "CreationTime")); diff != "" {
		t.Errorf("created image (-want +got):\n%s", diff)
	}
	_, err = p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: in.ID, Name: "golden"})
	checkErr(t, "image name taken", err, deltacloud.ErrConflict, "InvalidAMIName.Duplicate")
	// Without a name the driver makes one; EC2 requires it.
	unnamed, err := p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: in.ID})
	if err != nil || !strings.HasPrefix(unnamed.Name, in.ID+"-") {
		t.Errorf("unnamed image = %+v, %v", unnamed, err)
	}
	// The image's root snapshot cannot go while the image exists.
	snaps := s.Snapshots()
	checkErr(t, "destroy an image's snapshot", p.DestroyStorageSnapshot(ctx, snaps[0].ID), deltacloud.ErrInvalidState, "InvalidSnapshot.InUse")
	// Image(id) describes by id, also images of other owners.
	if other, err := p.Image(ctx, "ami-00000009"); err != nil || other.Owner != "999999999999" {
		t.Errorf("Image(another's) = %+v, %v", other, err)
	}
	if err := p.DestroyImage(ctx, img.ID); err != nil {
		t.Fatal(err)
	}
	_, err = p.Image(ctx, img.ID)
	checkErr(t, "Image(deregistered)", err, deltacloud.ErrNotFound, "InvalidAMIID.NotFound")
	checkErr(t, "DestroyImage(deregistered)", p.DestroyImage(ctx, img.ID), deltacloud.ErrNotFound, "InvalidAMIID.NotFound")
	checkErr(t, "DestroyImage(another's)", p.DestroyImage(ctx, "ami-00000009"), deltacloud.ErrAuthFailure, "AuthFailure")
	if err := p.DestroyStorageSnapshot(ctx, snaps[0].ID); err != nil {
		t.Errorf("destroy the snapshot of a deregistered image: %v", err)
	}
	// Instance-store instances cannot be imaged: the Provider says so first.
	store := running(t, p, deltacloud.InstanceSpec{ImageID: "ami-00000002"})
	_, err = p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: store.ID, Name: "nope"})
	checkErr(t, "image of an instance-store instance", err, deltacloud.ErrInvalidState, "")
}

func TestRetryAfter(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s, "max_attempts", "1")
	ctx := t.Context()
	// EC2 sends no Retry-After: the SDK's next backoff bound (2^1 s).
	s.Throttle(1)
	_, err := p.Keys(ctx)
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Code != deltacloud.RateLimited || e.RetryAfter != 2*time.Second {
		t.Errorf("throttled Keys = %#v, want RateLimited after 2s", err)
	}
	// S3's SlowDown with a Retry-After header.
	s.S3().SetRetryAfter("7")
	s.S3().Fail("ListBuckets", "SlowDown", 503, 1)
	_, err = p.Buckets(ctx)
	if !errors.As(err, &e) || e.Code != deltacloud.RateLimited || e.RetryAfter != 7*time.Second {
		t.Errorf("throttled Buckets = %#v, want RateLimited after 7s", err)
	}
	checkErr(t, "SlowDown", err, deltacloud.ErrRateLimited, "SlowDown")
	for _, c := range []struct {
		attempts int
		want     time.Duration
	}{{0, 2 * time.Second}, {1, 2 * time.Second}, {3, 8 * time.Second}, {4, 16 * time.Second}, {5, 20 * time.Second}, {100, 20 * time.Second}} {
		if got := ec2.RetryAfterFor(errors.New("x"), c.attempts); got != c.want {
			t.Errorf("RetryAfterFor(%d attempts) = %v, want %v", c.attempts, got, c.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"7", 7 * time.Second, true},
		{" 0 ", 0, true},
		{"3600", time.Hour, true},
		{"3601", 0, false},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"", 0, false},
		{"soon", 0, false},
		{"99999999999999999999", 0, false},
		{"Thu, 02 Jan 2025 03:04:35 GMT", 30 * time.Second, true},
		{"Thu, 02 Jan 2025 03:00:00 GMT", 0, true},
		{"Thu, 03 Jan 2025 03:00:00 GMT", 0, false},
	} {
		got, ok := ec2.ParseRetryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"7", "Thu, 02 Jan 2025 03:04:35 GMT", "", "-1", "1e9"} {
		f.Add(s)
	}
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ec2.ParseRetryAfter(v, now)
		if ok && (d < 0 || d > time.Hour) {
			t.Errorf("ParseRetryAfter(%q) = %v", v, d)
		}
		if !ok && d != 0 {
			t.Errorf("ParseRetryAfter(%q) failed with %v", v, d)
		}
	})
}

func TestAsS3(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	var c *awss3.Client
	if !p.As(&c) || c == nil {
		t.Fatal("As(**s3.Client) = false")
	}
	if _, err := c.ListBuckets(context.Background(), &awss3.ListBucketsInput{}); err != nil {
		t.Errorf("the handed-out client does not reach the fake: %v", err)
	}
	var wrong *strings.Builder
	if p.As(&wrong) {
		t.Error("As(**strings.Builder) = true")
	}
}

// TestDetachMultiAttachVolume: detaching names the instance, which EC2
// requires for a Multi-Attach volume (made here straight through the EC2
// API: the portable model has no such option).
func TestDetachMultiAttachVolume(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	ctx := t.Context()
	client := awsec2.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(s.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: goodCreds.User, SecretAccessKey: goodCreds.Password}, nil
		})})
	out, err := client.CreateVolume(ctx, &awsec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1b"),
		Size: aws.Int32(4), VolumeType: types.VolumeTypeIo2, Iops: aws.Int32(100), MultiAttachEnabled: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(out.VolumeId)
	waitVolume(t, p, id, func(v *deltacloud.StorageVolume) bool { return v.State == deltacloud.VolumeAvailable })
	in := running(t, p, deltacloud.InstanceSpec{RealmID: "us-east-1b"})
	if _, err := p.AttachStorageVolume(ctx, id, in.ID, ""); err != nil {
		t.Fatal(err)
	}
	waitVolume(t, p, id, func(v *deltacloud.StorageVolume) bool { return v.InstanceID == in.ID })
	if _, err := p.DetachStorageVolume(ctx, id); err != nil {
		t.Fatalf("detaching a Multi-Attach volume: %v", err)
	}
}
