package api_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	_ "github.com/deltacloud-go/deltacloud/drivers/azure"
	_ "github.com/deltacloud-go/deltacloud/drivers/ec2"
)

// TestDriverNamesAsTheOriginal: the driver index shows each driver's short
// name as the original did (EC2, Azure, Mock); clients find a driver by that
// name lower-cased, so it must be the driver's id.
func TestDriverNamesAsTheOriginal(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	golden := tuParseXML(t, tuReadGolden(t, "drivers_xml").Body)
	ours := tuParseXML(t, s.must2xx(t, tuReq{Path: "/api/drivers", Accept: "application/xml"}).Body)
	names := func(n *tuNode) map[string]string {
		m := map[string]string{}
		for _, d := range n.Children {
			if id := d.Attrs["id"]; id == "ec2" || id == "azure" || id == "mock" {
				m[id] = d.Child("name").Text
			}
		}
		return m
	}
	want := names(golden)
	if diff := cmp.Diff(want, names(ours)); diff != "" {
		t.Errorf("driver names (-original +ours):\n%s", diff)
	}
	for id, name := range want {
		if strings.ToLower(name) != id {
			t.Errorf("driver %s is named %q, which does not lower-case to its id", id, name)
		}
	}
}

// TestDriverEntrypointsPerRegion: an EC2 region lists its service endpoints
// by kind, as the original's configuration did, so a client can look up
// driver(:ec2)['eu-west-1']['s3'].
func TestDriverEntrypointsPerRegion(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	doc := tuParseXML(t, s.must2xx(t, tuReq{Path: "/api/drivers/ec2", Accept: "application/xml"}).Body)
	kinds := map[string]string{}
	for _, p := range doc.Children {
		if p.Name != "provider" || p.Attrs["id"] != "eu-west-1" {
			continue
		}
		for _, e := range p.Children {
			kinds[e.Attrs["kind"]] = e.Text
		}
	}
	for _, k := range []string{"ec2", "s3", "mon"} {
		if !strings.HasSuffix(kinds[k], ".eu-west-1.amazonaws.com") {
			t.Errorf("eu-west-1 entrypoint %s = %q; all: %v", k, kinds[k], kinds)
		}
	}
	j := tuParseJSON(t, s.must2xx(t, tuReq{Path: "/api/drivers/ec2", Accept: "application/json"}).Body)
	eps, _ := j.(map[string]any)["driver"].(map[string]any)["entrypoints"].(map[string]any)
	if s3, _ := eps["s3"].(map[string]any); s3 == nil || s3["eu-west-1"] != kinds["s3"] {
		t.Errorf("JSON s3 entrypoints = %v, want eu-west-1 → %s", eps["s3"], kinds["s3"])
	}
}
