package ec2test

import (
	"encoding/xml"
	"net/http"
	"slices"
)

// Regions are the regions the fake's account has enabled, with their EC2
// endpoints and opt-in status, as DescribeRegions answers.
var Regions = [][3]string{
	{"us-east-1", "ec2.us-east-1.amazonaws.com", "opt-in-not-required"},
	{"eu-west-1", "ec2.eu-west-1.amazonaws.com", "opt-in-not-required"},
	{"af-south-1", "ec2.af-south-1.amazonaws.com", "opted-in"},
	{"ap-southeast-7", "ec2.ap-southeast-7.amazonaws.com", "opted-in"},
}

type xRegion struct {
	Name     string `xml:"regionName"`
	Endpoint string `xml:"regionEndpoint"`
	OptIn    string `xml:"optInStatus"`
}

type describeRegionsResponse struct {
	XMLName xml.Name `xml:"DescribeRegionsResponse"`
	head
	Regions []xRegion `xml:"regionInfo>item"`
}

// describeRegions answers DescribeRegions with the enabled regions, or the
// named ones (RegionName.N).
func (s *Server) describeRegions(r *http.Request) any {
	resp := describeRegionsResponse{head: newHead()}
	names := list(r, "RegionName")
	for _, rg := range Regions {
		if len(names) > 0 && !slices.Contains(names, rg[0]) {
			continue
		}
		resp.Regions = append(resp.Regions, xRegion{Name: rg[0], Endpoint: rg[1], OptIn: rg[2]})
	}
	return resp
}
