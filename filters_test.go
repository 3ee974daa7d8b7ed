package deltacloud_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// filterConn is coreConn advertising the listing-filter features its
// driver name asks for, and recording the filters the Provider passes.
type filterConn struct {
	coreConn
	feats deltacloud.Features
}

// filterLog records the last filters a filterConn received.
var filterLog struct {
	sync.Mutex
	images    deltacloud.ImageFilter
	instances deltacloud.InstanceFilter
}

func (c filterConn) Features() deltacloud.Features { return c.feats }

func (c filterConn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	filterLog.Lock()
	filterLog.images = f
	filterLog.Unlock()
	return c.coreConn.Images(ctx, f)
}

func (c filterConn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	filterLog.Lock()
	filterLog.instances = f
	filterLog.Unlock()
	return c.coreConn.Instances(ctx, f)
}

// filterDriver opens a filterConn over the mock with features feats.
type filterDriver struct{ feats deltacloud.Features }

func (filterDriver) Info() deltacloud.DriverInfo {
	return deltacloud.DriverInfo{Description: "filter test"}
}

func (d filterDriver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	p, err := deltacloud.Open(ctx, "mock", cfg)
	if err != nil {
		return nil, err
	}
	return filterConn{coreConn{p}, d.feats}, nil
}

func init() {
	deltacloud.Register("test-filter-none", filterDriver{deltacloud.MustFeatures()})
	deltacloud.Register("test-filter-all", filterDriver{deltacloud.MustFeatures(deltacloud.FeatureOwnerID, deltacloud.FeatureRealmFilter)})
}

// TestListingFiltersAppliedByProvider: an owner or realm filter the driver
// does not advertise is applied by the Provider to the full listing (the
// driver is not asked to filter), one it advertises is the driver's; the
// results are the same. Only owner "self" needs the cloud.
func TestListingFiltersAppliedByProvider(t *testing.T) {
	ids := func(n int, id func(int) string) []string {
		out := []string{}
		for i := range n {
			out = append(out, id(i))
		}
		return out
	}
	cases := []struct {
		name       string
		images     *deltacloud.ImageFilter
		instances  *deltacloud.InstanceFilter
		want       []string
		wantNone   string // the filter's value the driver sees without the feature
		wantErr    error
		onlyDriver string
	}{
		{name: "images of mockuser", images: &deltacloud.ImageFilter{Owner: "mockuser"}, want: []string{"img3"}},
		{name: "images of fedoraproject", images: &deltacloud.ImageFilter{Owner: "fedoraproject"}, want: []string{"img1", "img2"}},
		{name: "images of nobody", images: &deltacloud.ImageFilter{Owner: "nobody"}, want: []string{}},
		{name: "images of self, not advertised", images: &deltacloud.ImageFilter{Owner: deltacloud.OwnerSelf},
			wantErr: deltacloud.ErrNotSupported, onlyDriver: "test-filter-none"},
		{name: "instances in us", instances: &deltacloud.InstanceFilter{Realm: "us"}, want: []string{"inst0", "inst1", "inst2"}},
		{name: "instances in eu", instances: &deltacloud.InstanceFilter{Realm: "eu"}, want: []string{"inst3"}},
		{name: "instances in nowhere", instances: &deltacloud.InstanceFilter{Realm: "nowhere"}, want: []string{}},
	}
	for _, driver := range []string{"test-filter-none", "test-filter-all"} {
		p, err := deltacloud.Open(t.Context(), driver, deltacloud.Config{Credentials: deltacloud.Credentials{User: "mockuser", Password: "mockpassword"}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		advertised := driver == "test-filter-all"
		for _, tc := range cases {
			if tc.onlyDriver != "" && tc.onlyDriver != driver {
				continue
			}
			t.Run(driver+"/"+tc.name, func(t *testing.T) {
				var got []string
				var err error
				var sent, asked string
				if tc.images != nil {
					var imgs []deltacloud.Image
					imgs, err = p.Images(t.Context(), *tc.images)
					got = ids(len(imgs), func(i int) string { return imgs[i].ID })
					filterLog.Lock()
					sent, asked = filterLog.images.Owner, tc.images.Owner
					filterLog.Unlock()
				} else {
					var ins []deltacloud.Instance
					ins, err = p.Instances(t.Context(), *tc.instances)
					got = ids(len(ins), func(i int) string { return ins[i].ID })
					filterLog.Lock()
					sent, asked = filterLog.instances.Realm, tc.instances.Realm
					filterLog.Unlock()
				}
				if tc.wantErr != nil {
					if !errors.Is(err, tc.wantErr) {
						t.Fatalf("err = %v, want %v", err, tc.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("listed (-want +got):\n%s", d)
				}
				want := ""
				if advertised {
					want = asked
				}
				if sent != want {
					t.Errorf("the driver was asked to filter by %q, want %q", sent, want)
				}
			})
		}
	}
}
