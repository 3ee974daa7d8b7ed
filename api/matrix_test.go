package api_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDriverProviderSelection checks the per-request choice of driver and
// provider: the server default, overridden by matrix parameters on
// the api segment, overridden by the X-Deltacloud-Driver/-Provider headers;
// values lower-cased; "default" meaning no provider. It looks at the
// response headers and at the Config the driver was really opened with.
func TestDriverProviderSelection(t *testing.T) {
	opts := tuMockOptions(t)
	opts.Driver, opts.Provider = tuRecordDriver, "p-default"
	s := tuStart(t, opts)
	tests := []struct {
		name   string
		path   string
		header map[string]string
		// wantDriver and wantProvider are the response headers;
		// wantOpened is the provider the record driver was opened with
		// (nil: it was not opened).
		wantDriver, wantProvider string
		wantOpened               []string
	}{
		{name: "server default", path: "/api/hardware_profiles",
			wantDriver: tuRecordDriver, wantProvider: "p-default", wantOpened: []string{"p-default"}},
		{name: "matrix provider", path: "/api;provider=us-west-1/hardware_profiles",
			wantDriver: tuRecordDriver, wantProvider: "us-west-1", wantOpened: []string{"us-west-1"}},
		{name: "matrix driver", path: "/api;driver=mock/hardware_profiles",
			wantDriver: "mock", wantProvider: "p-default"},
		{name: "matrix driver and provider in any order", path: "/api;provider=eu-west-1;driver=" + tuRecordDriver + "/hardware_profiles",
			wantDriver: tuRecordDriver, wantProvider: "eu-west-1", wantOpened: []string{"eu-west-1"}},
		{name: "header provider beats matrix", path: "/api;provider=us-west-1/hardware_profiles",
			header:     map[string]string{"X-Deltacloud-Provider": "ap-south-1"},
			wantDriver: tuRecordDriver, wantProvider: "ap-south-1", wantOpened: []string{"ap-south-1"}},
		{name: "header driver beats matrix", path: "/api;driver=mock/hardware_profiles",
			header:     map[string]string{"X-Deltacloud-Driver": tuRecordDriver},
			wantDriver: tuRecordDriver, wantProvider: "p-default", wantOpened: []string{"p-default"}},
		{name: "header driver beats default", path: "/api/hardware_profiles",
			header:     map[string]string{"X-Deltacloud-Driver": "mock"},
			wantDriver: "mock", wantProvider: "p-default"},
		{name: "matrix values are lower-cased", path: "/api;driver=APITEST-Record;provider=US-West-2/hardware_profiles",
			wantDriver: tuRecordDriver, wantProvider: "us-west-2", wantOpened: []string{"us-west-2"}},
		{name: "header values are lower-cased", path: "/api/hardware_profiles",
			header:     map[string]string{"X-Deltacloud-Driver": "MOCK", "X-Deltacloud-Provider": "EU-Central-1"},
			wantDriver: "mock", wantProvider: "eu-central-1"},
		{name: "escaped matrix value", path: "/api;provider=sa%2Deast%2D1/hardware_profiles",
			wantDriver: tuRecordDriver, wantProvider: "sa-east-1", wantOpened: []string{"sa-east-1"}},
		{name: "provider default means none", path: "/api;provider=default/hardware_profiles",
			wantDriver: tuRecordDriver, wantProvider: "", wantOpened: []string{""}},
		{name: "matrix on another segment is not a selection", path: "/api/hardware_profiles;driver=mock;provider=us-west-1",
			wantDriver: tuRecordDriver, wantProvider: "p-default", wantOpened: []string{"p-default"}},
		{name: "entry point", path: "/api;provider=us-east-1",
			wantDriver: tuRecordDriver, wantProvider: "us-east-1", wantOpened: []string{"us-east-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A user of its own per case: the record driver files Configs by
			// user, and the handler's cache would reuse another case's.
			user := tuUser("select")
			r := s.do(t, tuReq{Path: tt.path, Creds: &tuCreds{user, "secret"}, Header: tt.header})
			if r.Status != 200 {
				t.Fatalf("status %d\n%s", r.Status, r)
			}
			if got := r.Header.Get("X-Deltacloud-Driver"); got != tt.wantDriver {
				t.Errorf("X-Deltacloud-Driver %q, want %q", got, tt.wantDriver)
			}
			if got := r.Header.Values("X-Deltacloud-Provider"); tt.wantProvider == "" && len(got) > 0 {
				t.Errorf("X-Deltacloud-Provider %q, want none", got)
			} else if tt.wantProvider != "" && (len(got) != 1 || got[0] != tt.wantProvider) {
				t.Errorf("X-Deltacloud-Provider %q, want %q", got, tt.wantProvider)
			}
			var opened []string
			for _, cfg := range tuOpenedWith(user) {
				opened = append(opened, cfg.Provider)
			}
			if diff := cmp.Diff(tt.wantOpened, opened); diff != "" {
				t.Errorf("driver opened with providers (-want +got):\n%s", diff)
			}
			// The choice lasts one request: the next plain one is the
			// server default again.
			next := s.do(t, tuReq{Path: "/api/hardware_profiles", Creds: &tuCreds{user, "secret"}})
			if d, p := next.Header.Get("X-Deltacloud-Driver"), next.Header.Get("X-Deltacloud-Provider"); d != tuRecordDriver || p != "p-default" {
				t.Errorf("next request: driver %q provider %q, want the defaults", d, p)
			}
		})
	}
}

// TestSelectionInErrorDocuments checks that an error names the driver and
// provider the request selected.
func TestSelectionInErrorDocuments(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	tests := []struct {
		path, driver, provider string
	}{
		{"/api/instances/nope", "mock", "default"},
		{"/api;provider=US-West-1/instances/nope", "mock", "us-west-1"},
		{"/api;driver=Mock;provider=default/instances/nope", "mock", "default"},
	}
	for _, tt := range tests {
		r := s.do(t, tuReq{Path: tt.path, Creds: tuMockUser})
		if r.Status != 404 {
			t.Fatalf("%s: status %d\n%s", tt.path, r.Status, r)
		}
		d := tuDecodeError(t, r)
		if d.Backend.Driver != tt.driver || d.Backend.Provider != tt.provider || d.URL != "/api/instances/nope" {
			t.Errorf("%s: backend %q/%q url %q, want %q/%q /api/instances/nope", tt.path, d.Backend.Driver, d.Backend.Provider, d.URL, tt.driver, tt.provider)
		}
	}
}

// TestDefaultDriverOption checks that Options.Driver and Provider are
// lower-cased like request values.
func TestDefaultDriverOption(t *testing.T) {
	opts := tuMockOptions(t)
	opts.Driver, opts.Provider = "MOCK", "Region-1"
	s := tuStart(t, opts)
	r := s.must2xx(t, tuReq{Path: "/api/hardware_profiles", Creds: tuMockUser})
	if d, p := r.Header.Get("X-Deltacloud-Driver"), r.Header.Get("X-Deltacloud-Provider"); d != "mock" || p != "region-1" {
		t.Errorf("driver %q provider %q, want mock region-1", d, p)
	}
}
