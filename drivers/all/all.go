// Package all registers every driver of this module, for programs that let
// their user choose any of them by name (the command-line tool, the REST
// server):
//
//	import _ "github.com/deltacloud-go/deltacloud/drivers/all"
//
// A program that needs only some clouds imports just their packages and
// stays smaller: each driver brings its cloud's SDK.
package all

import (
	_ "github.com/deltacloud-go/deltacloud/drivers/azure"        // "azure"
	_ "github.com/deltacloud-go/deltacloud/drivers/deltacloud"   // "deltacloud", a remote REST server
	_ "github.com/deltacloud-go/deltacloud/drivers/digitalocean" // "digitalocean"
	_ "github.com/deltacloud-go/deltacloud/drivers/ec2"          // "ec2"
	_ "github.com/deltacloud-go/deltacloud/drivers/gce"          // "gce"
	_ "github.com/deltacloud-go/deltacloud/drivers/hetzner"      // "hetzner"
	_ "github.com/deltacloud-go/deltacloud/drivers/mock"         // "mock"
	_ "github.com/deltacloud-go/deltacloud/drivers/openstack"    // "openstack"
)
