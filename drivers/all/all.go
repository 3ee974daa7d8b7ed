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
	_ "github.com/deltacloud-go/deltacloud/drivers/azure"
	_ "github.com/deltacloud-go/deltacloud/drivers/deltacloud" // a remote Deltacloud REST server
	_ "github.com/deltacloud-go/deltacloud/drivers/digitalocean"
	_ "github.com/deltacloud-go/deltacloud/drivers/ec2"
	_ "github.com/deltacloud-go/deltacloud/drivers/gce"
	_ "github.com/deltacloud-go/deltacloud/drivers/hetzner"
	_ "github.com/deltacloud-go/deltacloud/drivers/libvirt"
	_ "github.com/deltacloud-go/deltacloud/drivers/mock"
	_ "github.com/deltacloud-go/deltacloud/drivers/openstack"
	_ "github.com/deltacloud-go/deltacloud/drivers/vsphere"
)
