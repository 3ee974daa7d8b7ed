package libvirt_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/libvirt/libvirttest"
)

// testKey is an OpenSSH public key line (the key blob starts with its type).
const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOb2Cp8vYI7Jbqx3Jj5Kc1nqJQm1pK2m3G0t2VQ8d9x7 drivertest@example"

// create makes an instance destroyed when the test ends.
func create(t *testing.T, p *deltacloud.Provider, spec deltacloud.InstanceSpec) *deltacloud.Instance {
	t.Helper()
	if spec.ImageID == "" {
		spec.ImageID = libvirttest.Image
	}
	in, err := p.CreateInstance(t.Context(), spec)
	if err != nil {
		t.Fatalf("CreateInstance: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		p.Destroy(ctx, in.ID)
	})
	return in
}

// TestCreateShowsTheSpec: what a create asks for is what the instance
// shows, through the create's answer and a later read alike.
func TestCreateShowsTheSpec(t *testing.T) {
	p := openQEMU(t)
	spec := deltacloud.InstanceSpec{
		Name: "web 1", KeyName: testKey, UserData: []byte("#cloud-config\n"),
		ProfileID: "host", Properties: map[string]string{"cpu": "2", "memory": "96"},
		Tags: map[string]string{"team": "blue", "job": ""},
	}
	in := create(t, p, spec)
	got, err := p.Instance(t.Context(), in.ID)
	if err != nil {
		t.Fatalf("Instance: %v", err)
	}
	for _, x := range []*deltacloud.Instance{in, got} {
		want := deltacloud.Instance{
			ID: in.ID, Name: "web 1", Owner: "deltacloud", ImageID: libvirttest.Image, RealmID: in.RealmID,
			Profile:        deltacloud.InstanceProfile{ID: "host", Overrides: map[string]string{"cpu": "2", "memory": "96"}},
			State:          deltacloud.StateRunning,
			Actions:        []deltacloud.Action{deltacloud.ActionReboot, deltacloud.ActionStop, deltacloud.ActionSuspend, deltacloud.ActionDestroy},
			Authentication: &deltacloud.Authentication{Method: "key", KeyName: testKey},
			Tags:           spec.Tags,
		}
		if d := cmp.Diff(want, *x, cmp.FilterPath(func(p cmp.Path) bool {
			s := p.String()
			return s == "LaunchTime" || s == "Extra"
		}, cmp.Ignore())); d != "" {
			t.Errorf("instance (-want +got):\n%s", d)
		}
		if time.Since(x.LaunchTime) > time.Hour || !strings.HasPrefix(x.Extra["domain_name"], "web-1-") {
			t.Errorf("launch time %v, domain name %q", x.LaunchTime, x.Extra["domain_name"])
		}
	}
}

// TestSeedHoldsUserDataAndKey reads the seed volume back: an ISO 9660
// image labelled cidata with the user data as given and the key.
func TestSeedHoldsUserDataAndKey(t *testing.T) {
	d := daemon(t)
	p := openQEMU(t)
	userData := []byte("#cloud-config\nruncmd: [echo seed-test-marker]\n")
	before := inventory(t, d)
	create(t, p, deltacloud.InstanceSpec{KeyName: testKey, UserData: userData})
	var seed string
	for _, v := range inventory(t, d) {
		if strings.HasSuffix(v, "-seed.iso") && !slices.Contains(before, v) {
			seed = strings.TrimPrefix(v, "volume ")
		}
	}
	if seed == "" {
		t.Fatal("no seed volume was made")
	}
	lv, err := d.Connect(t.Context(), "qemu")
	if err != nil {
		t.Fatal(err)
	}
	defer lv.Disconnect()
	pool, err := lv.StoragePoolLookupByName(libvirttest.Pool)
	if err != nil {
		t.Fatal(err)
	}
	vol, err := lv.StorageVolLookupByName(pool, seed)
	if err != nil {
		t.Fatal(err)
	}
	var img bytes.Buffer
	if err := lv.StorageVolDownload(vol, &img, 0, 0, 0); err != nil {
		t.Fatalf("downloading the seed: %v", err)
	}
	b := img.Bytes()
	const pvd = 16 * 2048 // the primary volume descriptor
	if len(b) < pvd+72 || string(b[pvd+1:pvd+6]) != "CD001" {
		t.Fatalf("the seed (%d bytes) is not an ISO 9660 image", len(b))
	}
	if label := strings.TrimSpace(string(b[pvd+40 : pvd+72])); !strings.EqualFold(label, "cidata") {
		t.Errorf("the seed is labelled %q, want cidata", label)
	}
	for _, want := range [][]byte{userData, []byte(`"public-keys":["` + testKey + `"]`), []byte("user-data"), []byte("meta-data")} {
		if !bytes.Contains(b, want) {
			t.Errorf("the seed lacks %q", want)
		}
	}
}

// TestActions drives a domain through the actions and checks the state
// each leaves: the halting guest ignores ACPI, so stop ends with a
// destroy after shutdown_timeout.
func TestActions(t *testing.T) {
	p := openQEMU(t)
	in := create(t, p, deltacloud.InstanceSpec{})
	steps := []struct {
		action deltacloud.Action
		want   deltacloud.State
	}{
		{deltacloud.ActionSuspend, deltacloud.StatePaused},
		{deltacloud.ActionResume, deltacloud.StateRunning},
		{deltacloud.ActionReboot, deltacloud.StateRunning},
		{deltacloud.ActionStop, deltacloud.StateStopped},
		{deltacloud.ActionStart, deltacloud.StateRunning},
	}
	for _, s := range steps {
		got, err := p.Do(t.Context(), in.ID, s.action)
		if err != nil {
			t.Fatalf("%s: %v", s.action, err)
		}
		if got.State != s.want {
			t.Errorf("%s left %s, want %s", s.action, got.State, s.want)
		}
	}
	if _, err := p.Do(t.Context(), in.ID, deltacloud.ActionResume); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("resume of a running instance = %v, want ErrInvalidState", err)
	}
}

// TestOwnership: another owner's domains, and domains the driver did not
// define, are neither listed nor acted on.
func TestOwnership(t *testing.T) {
	d := daemon(t)
	mine := openQEMU(t)
	theirs := openQEMU(t, "owner", "someone-else")
	in := create(t, mine, deltacloud.InstanceSpec{})

	lv, err := d.Connect(t.Context(), "qemu")
	if err != nil {
		t.Fatal(err)
	}
	defer lv.Disconnect()
	foreign, err := lv.DomainDefineXMLFlags("<domain type='qemu'><name>foreign</name><memory unit='MiB'>64</memory>"+
		"<os><type arch='x86_64'>hvm</type></os></domain>", 0)
	if err != nil {
		t.Fatalf("defining a foreign domain: %v", err)
	}
	defer lv.DomainUndefineFlags(foreign, golibvirt.DomainUndefineNvram)
	foreignID := strings.ToLower(uuidText(foreign.UUID))

	ids := func(p *deltacloud.Provider) []string {
		ins, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
		if err != nil {
			t.Fatalf("Instances: %v", err)
		}
		var out []string
		for _, in := range ins {
			out = append(out, in.ID)
		}
		return out
	}
	if got := ids(mine); !slices.Contains(got, in.ID) || slices.Contains(got, foreignID) {
		t.Errorf("the owner lists %v; want %s and not the foreign %s", got, in.ID, foreignID)
	}
	if got := ids(theirs); slices.Contains(got, in.ID) || slices.Contains(got, foreignID) {
		t.Errorf("another owner lists %v", got)
	}
	for _, c := range []struct {
		p  *deltacloud.Provider
		id string
	}{{theirs, in.ID}, {mine, foreignID}} {
		if _, err := c.p.Stop(t.Context(), c.id); !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("Stop(%s) by a non-owner = %v, want ErrNotFound", c.id, err)
		}
		if err := c.p.Destroy(t.Context(), c.id); !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("Destroy(%s) by a non-owner = %v, want ErrNotFound", c.id, err)
		}
	}
	if _, err := mine.Instance(t.Context(), in.ID); err != nil {
		t.Errorf("the instance is gone after refused destroys: %v", err)
	}
}

// TestImagesAreNotTheDriversVolumes: overlays, seeds and volumes the
// driver makes in the pool are never images.
func TestImagesAreNotTheDriversVolumes(t *testing.T) {
	p := openQEMU(t)
	create(t, p, deltacloud.InstanceSpec{UserData: []byte("x")})
	imgs, err := p.Images(t.Context(), deltacloud.ImageFilter{})
	if err != nil {
		t.Fatalf("Images: %v", err)
	}
	var ids []string
	for _, img := range imgs {
		ids = append(ids, img.ID)
	}
	if d := cmp.Diff([]string{libvirttest.Image}, ids); d != "" {
		t.Errorf("images (-want +got):\n%s", d)
	}
	if _, err := p.Image(t.Context(), "dc-00000000-root.qcow2"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Image of a driver's volume = %v, want ErrNotFound", err)
	}
}

// TestCreateRefusesBadInput: inputs outside the bounds are refused before
// anything is made.
func TestCreateRefusesBadInput(t *testing.T) {
	d := daemon(t)
	p := openQEMU(t)
	before := inventory(t, d)
	cases := map[string]deltacloud.InstanceSpec{
		"key not a public key": {KeyName: "my-key"},
		"key with a newline":   {KeyName: testKey + "\nssh-rsa AAAA"},
		"huge user data":       {UserData: bytes.Repeat([]byte("x"), 64<<10+1)},
		"unknown option":       {Options: map[string]string{"initial_state": "stopped"}},
		"too many cpus":        {ProfileID: "host", Properties: map[string]string{"cpu": "100000"}},
		"unknown image":        {ImageID: "no-such-image"},
		"an overlay as image":  {ImageID: "dc-00000000-root.qcow2"},
	}
	for name, spec := range cases {
		if spec.ImageID == "" {
			spec.ImageID = libvirttest.Image
		}
		if _, err := p.CreateInstance(t.Context(), spec); err == nil {
			t.Errorf("%s: the create succeeded", name)
		} else if c := deltacloud.CodeOf(err); c != deltacloud.InvalidArgument && c != deltacloud.NotFound {
			t.Errorf("%s: %v, want InvalidArgument or NotFound", name, err)
		}
	}
	if d := cmp.Diff(before, inventory(t, d)); d != "" {
		t.Errorf("refused creates made (-before +after):\n%s", d)
	}
}

// uuidText writes a UUID as libvirt does.
func uuidText(u golibvirt.UUID) string {
	const hexd = "0123456789abcdef"
	var b strings.Builder
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b.WriteByte('-')
		}
		b.WriteByte(hexd[c>>4])
		b.WriteByte(hexd[c&15])
	}
	return b.String()
}
