package azure

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

	"github.com/deltacloud-go/deltacloud"
)

// maxNameLen is the longest instance name (a tag value holds 256).
const maxNameLen = 256

// cleanupTimeout bounds the deletion of what a failed create made.
const cleanupTimeout = 15 * time.Minute

// createPlan is a checked create: everything resolved before anything is
// made.
type createPlan struct {
	names     resourceNames
	name      string
	zone      string
	size      string
	image     *armcompute.ImageReference
	windows   bool
	admin     string
	password  string
	keyName   string
	publicKey string
	userData  []byte
	subnetID  string
	publicIP  bool
	// specTag is the TagSpec value of a create with a client token.
	specTag string
}

// resourceNames are the resources of one instance, in the resource group.
type resourceNames struct {
	vm    string
	nics  []string
	ips   []string
	disks []string
}

// CreateInstances creates one VM (the Provider refuses more, as
// instance_count is not advertised). See the package documentation for what
// is created and how a failure is undone.
func (c *conn) CreateInstances(ctx context.Context, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	if spec.Count > 1 {
		return nil, invalid("count %d: the azure driver creates one instance at a time", spec.Count)
	}
	plan, err := c.plan(ctx, spec, false)
	if err != nil {
		return nil, err
	}
	var release func()
	if spec.ClientToken != "" {
		// The token names the VM: a retry finds what the first create
		// made, once any clean-up of a failed attempt has finished.
		if release, err = names.acquire(ctx, c.nameKey(plan.names.vm)); err != nil {
			return nil, err
		}
		in, err := c.existingVM(ctx, plan)
		if in != nil || err != nil {
			release()
			if err != nil {
				return nil, err
			}
			return []deltacloud.Instance{*in}, nil
		}
	}
	in, err := c.create(ctx, plan, release)
	if err != nil {
		return nil, err
	}
	return []deltacloud.Instance{in}, nil
}

// plan checks a spec and resolves its image, key and subnet; it creates
// nothing but, on first use, the shared default network, and not even that
// for a dry run, whose plan then has no subnet id.
func (c *conn) plan(ctx context.Context, spec deltacloud.InstanceSpec, dry bool) (createPlan, error) {
	p := createPlan{name: spec.Name, size: c.opts.vmSize, admin: c.opts.adminUser, publicIP: c.opts.publicIP,
		subnetID: c.opts.subnetID, password: spec.Password, keyName: spec.KeyName, userData: spec.UserData}
	for k, v := range spec.Options {
		switch k {
		case "public_ip":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return p, invalid("create option public_ip=%q: want true or false", v)
			}
			p.publicIP = b
		case "subnet_id":
			if _, err := parseSubnetID(v); err != nil {
				return p, err
			}
			p.subnetID = v
		case "admin_user":
			if err := checkAdminUser(v); err != nil {
				return p, err
			}
			p.admin = v
		default:
			return p, invalid("unknown create option %q (known: public_ip, subnet_id, admin_user)", k)
		}
	}
	if len(spec.Name) > maxNameLen {
		return p, invalid("name is %d characters; at most %d", len(spec.Name), maxNameLen)
	}
	if spec.ProfileID != "" && spec.ProfileID != deltacloud.OpaqueProfileID {
		p.size = spec.ProfileID
	}
	zone, err := c.zoneOfRealm(spec.RealmID)
	if err != nil {
		return p, &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: err.Error()}
	}
	p.zone = zone
	if spec.KeyName == "" && spec.Password == "" {
		return p, invalid("an instance needs a keyname (SSH public key) or a password")
	}
	var vm string
	if spec.ClientToken != "" {
		vm, p.specTag = tokenVMName(c.opts.owner, spec.ClientToken), specTag(spec)
	} else {
		suffix, err := randomHex(4)
		if err != nil {
			return p, &deltacloud.Error{Code: deltacloud.Backend, Message: "azure: cannot make a name", Err: err}
		}
		vm = baseName(spec.Name) + "-" + suffix
	}
	p.names = resourceNames{vm: vm, nics: []string{vm + "-nic"}, disks: []string{vm + "-osdisk"}}
	if p.publicIP {
		p.names.ips = []string{vm + "-ip"}
	}

	// Resolve what the VM refers to, so a bad reference fails before
	// anything exists.
	if isURN(spec.ImageID) {
		u, err := ParseURN(spec.ImageID)
		if err != nil {
			return p, err
		}
		_, os, err := c.marketplaceImage(ctx, u)
		if err != nil {
			return p, notFoundAs(err, "image", spec.ImageID)
		}
		p.image = &armcompute.ImageReference{Publisher: &u.Publisher, Offer: &u.Offer, SKU: &u.SKU, Version: &u.Version}
		p.windows = os == armcompute.OperatingSystemTypesWindows
	} else {
		if !resourceNameRE.MatchString(spec.ImageID) {
			return p, deltacloud.Errorf(deltacloud.NotFound, "azure: image %q not found", spec.ImageID)
		}
		img, err := c.images.Get(ctx, c.scope.ResourceGroup, spec.ImageID, nil)
		if err != nil {
			return p, notFoundAs(err, "image", spec.ImageID)
		}
		p.image = &armcompute.ImageReference{ID: img.ID}
		if pr := img.Properties; pr != nil && pr.StorageProfile != nil && pr.StorageProfile.OSDisk != nil {
			p.windows = str((*string)(pr.StorageProfile.OSDisk.OSType)) == string(armcompute.OperatingSystemTypesWindows)
		}
	}
	if spec.Password != "" {
		if err := checkPassword(spec.Password, p.windows); err != nil {
			return p, err
		}
	}
	if spec.KeyName != "" {
		if p.windows {
			return p, invalid("Windows images take a password, not an SSH key")
		}
		key, err := c.publicKey(ctx, spec.KeyName)
		if err != nil {
			return p, err
		}
		p.publicKey = key
	}
	if p.windows && spec.Password == "" {
		return p, invalid("Windows images need a password")
	}
	if p.subnetID == "" && dry {
		id, err := c.findDefaultSubnet(ctx)
		if err != nil {
			return p, err
		}
		p.subnetID = id
	} else if p.subnetID == "" {
		id, err := c.defaultSubnet(ctx)
		if err != nil {
			return p, err
		}
		p.subnetID = id
	}
	return p, nil
}

// publicKey returns an OpenSSH public key: keyName itself when it is one,
// else the key of the SSH public key resource of that name.
func (c *conn) publicKey(ctx context.Context, keyName string) (string, error) {
	for _, prefix := range []string{"ssh-", "ecdsa-sha2-", "sk-"} {
		if strings.HasPrefix(keyName, prefix) {
			return keyName, nil
		}
	}
	if !resourceNameRE.MatchString(keyName) {
		return "", deltacloud.Errorf(deltacloud.NotFound, "azure: key %q not found", keyName)
	}
	resp, err := c.sshKeys.Get(ctx, c.scope.ResourceGroup, keyName, nil)
	if err != nil {
		return "", notFoundAs(err, "SSH public key", keyName)
	}
	if resp.Properties == nil || str(resp.Properties.PublicKey) == "" {
		return "", invalid("SSH public key resource %q holds no public key", keyName)
	}
	return *resp.Properties.PublicKey, nil
}

// defaultSubnet returns the id of subnet "default" of "deltacloud-vnet",
// creating the network (or the subnet) when missing. It is shared by the
// provider's instances and never deleted by the driver.
func (c *conn) defaultSubnet(ctx context.Context) (string, error) {
	c.subnetMu.Lock()
	defer c.subnetMu.Unlock()
	if c.subnetID != "" {
		return c.subnetID, nil
	}
	rg := c.scope.ResourceGroup
	sn, err := c.subnets.Get(ctx, rg, DefaultVNet, DefaultSubnet, nil)
	switch {
	case err == nil:
		c.subnetID = str(sn.ID)
		return c.subnetID, nil
	case !isNotFound(err):
		return "", wrap(err)
	}
	subnet := armnetwork.Subnet{Name: to.Ptr(DefaultSubnet),
		Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: to.Ptr("10.0.0.0/24")}}
	_, err = c.vnets.Get(ctx, rg, DefaultVNet, nil)
	switch {
	case isNotFound(err):
		poller, err := c.vnets.BeginCreateOrUpdate(ctx, rg, DefaultVNet, armnetwork.VirtualNetwork{
			Location: to.Ptr(c.scope.Location),
			Tags:     map[string]*string{TagOwner: to.Ptr(c.opts.owner)},
			Properties: &armnetwork.VirtualNetworkPropertiesFormat{
				AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{to.Ptr("10.0.0.0/16")}},
				Subnets:      []*armnetwork.Subnet{&subnet},
			},
		}, nil)
		if err != nil {
			return "", wrap(err)
		}
		if _, err := poller.PollUntilDone(ctx, c.pollOpts()); err != nil {
			return "", wrap(err)
		}
	case err != nil:
		return "", wrap(err)
	default:
		poller, err := c.subnets.BeginCreateOrUpdate(ctx, rg, DefaultVNet, DefaultSubnet, subnet, nil)
		if err != nil {
			return "", wrap(err)
		}
		if _, err := poller.PollUntilDone(ctx, c.pollOpts()); err != nil {
			return "", wrap(err)
		}
	}
	sn, err = c.subnets.Get(ctx, rg, DefaultVNet, DefaultSubnet, nil)
	if err != nil {
		return "", wrap(err)
	}
	c.subnetID = str(sn.ID)
	return c.subnetID, nil
}

// create makes the public IP, the interface and the VM of a plan, waiting for
// each. On failure it deletes all three (and the OS disk): in the
// background, tracked for Close, so a cancelled caller returns at once.
// release, if not nil, is called when the names are free again: at once
// after a success, after the clean-up after a failure.
func (c *conn) create(ctx context.Context, p createPlan, release func()) (deltacloud.Instance, error) {
	if release == nil {
		release = func() {}
	}
	in, err := c.build(ctx, p)
	if err == nil {
		release()
		return in, nil
	}
	done := make(chan error, 1)
	finished := c.startCleanup()
	go func() {
		defer close(finished)
		defer release()
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		done <- c.teardown(cctx, p.names, true)
	}()
	select {
	case cerr := <-done:
		if cerr != nil {
			err = errors.Join(err, fmt.Errorf("azure: cleaning up after the failed create: %w", cerr))
		}
	case <-ctx.Done():
	}
	return deltacloud.Instance{}, err
}

// build creates the resources of a plan in order.
func (c *conn) build(ctx context.Context, p createPlan) (deltacloud.Instance, error) {
	rg, loc := c.scope.ResourceGroup, c.scope.Location
	tags := func() map[string]*string {
		t := map[string]*string{TagOwner: to.Ptr(c.opts.owner)}
		if p.name != "" {
			t[TagName] = to.Ptr(p.name)
		}
		if p.specTag != "" {
			t[TagSpec] = to.Ptr(p.specTag)
		}
		if p.keyName != "" && p.keyName == p.publicKey {
			t[TagKeyName] = to.Ptr("(inline key)")
		} else if p.keyName != "" {
			t[TagKeyName] = to.Ptr(p.keyName)
		}
		return t
	}
	net := network{nics: map[string]*armnetwork.Interface{}, ips: map[string]*armnetwork.PublicIPAddress{}}
	var ipRef *armnetwork.PublicIPAddress
	if len(p.names.ips) > 0 {
		poller, err := c.ips.BeginCreateOrUpdate(ctx, rg, p.names.ips[0], armnetwork.PublicIPAddress{
			Location: &loc,
			Tags:     tags(),
			SKU:      &armnetwork.PublicIPAddressSKU{Name: to.Ptr(armnetwork.PublicIPAddressSKUNameStandard)},
			Properties: &armnetwork.PublicIPAddressPropertiesFormat{
				PublicIPAllocationMethod: to.Ptr(armnetwork.IPAllocationMethodStatic),
				DeleteOption:             to.Ptr(armnetwork.DeleteOptionsDelete),
			},
		}, nil)
		if err != nil {
			return deltacloud.Instance{}, wrap(err)
		}
		ip, err := poller.PollUntilDone(ctx, c.pollOpts())
		if err != nil {
			return deltacloud.Instance{}, wrap(err)
		}
		net.ips[strings.ToLower(str(ip.ID))] = &ip.PublicIPAddress
		ipRef = &armnetwork.PublicIPAddress{ID: ip.ID}
	}
	poller, err := c.nics.BeginCreateOrUpdate(ctx, rg, p.names.nics[0], armnetwork.Interface{
		Location: &loc,
		Tags:     tags(),
		Properties: &armnetwork.InterfacePropertiesFormat{
			IPConfigurations: []*armnetwork.InterfaceIPConfiguration{{
				Name: to.Ptr("ipconfig1"),
				Properties: &armnetwork.InterfaceIPConfigurationPropertiesFormat{
					Subnet:                    &armnetwork.Subnet{ID: to.Ptr(p.subnetID)},
					PrivateIPAllocationMethod: to.Ptr(armnetwork.IPAllocationMethodDynamic),
					PublicIPAddress:           ipRef,
					Primary:                   to.Ptr(true),
				},
			}},
		},
	}, nil)
	if err != nil {
		return deltacloud.Instance{}, wrap(err)
	}
	nic, err := poller.PollUntilDone(ctx, c.pollOpts())
	if err != nil {
		return deltacloud.Instance{}, wrap(err)
	}
	net.nics[strings.ToLower(str(nic.ID))] = &nic.Interface

	os := &armcompute.OSProfile{
		ComputerName:  to.Ptr(computerName(p.names.vm, p.windows)),
		AdminUsername: to.Ptr(p.admin),
	}
	if p.password != "" {
		os.AdminPassword = to.Ptr(p.password)
	}
	if len(p.userData) > 0 {
		os.CustomData = to.Ptr(base64.StdEncoding.EncodeToString(p.userData))
	}
	if p.windows {
		os.WindowsConfiguration = &armcompute.WindowsConfiguration{ProvisionVMAgent: to.Ptr(true)}
	} else {
		lc := &armcompute.LinuxConfiguration{DisablePasswordAuthentication: to.Ptr(p.password == ""), ProvisionVMAgent: to.Ptr(true)}
		if p.publicKey != "" {
			lc.SSH = &armcompute.SSHConfiguration{PublicKeys: []*armcompute.SSHPublicKey{{
				Path:    to.Ptr("/home/" + p.admin + "/.ssh/authorized_keys"),
				KeyData: to.Ptr(p.publicKey),
			}}}
		}
		os.LinuxConfiguration = lc
	}
	vm := armcompute.VirtualMachine{
		Location: &loc,
		Tags:     tags(),
		Properties: &armcompute.VirtualMachineProperties{
			HardwareProfile: &armcompute.HardwareProfile{VMSize: to.Ptr(armcompute.VirtualMachineSizeTypes(p.size))},
			StorageProfile: &armcompute.StorageProfile{
				ImageReference: p.image,
				OSDisk: &armcompute.OSDisk{
					Name:         to.Ptr(p.names.disks[0]),
					CreateOption: to.Ptr(armcompute.DiskCreateOptionTypesFromImage),
					DeleteOption: to.Ptr(armcompute.DiskDeleteOptionTypesDelete),
					ManagedDisk:  &armcompute.ManagedDiskParameters{StorageAccountType: to.Ptr(armcompute.StorageAccountTypesStandardSSDLRS)},
				},
			},
			OSProfile: os,
			NetworkProfile: &armcompute.NetworkProfile{NetworkInterfaces: []*armcompute.NetworkInterfaceReference{{
				ID: nic.ID,
				Properties: &armcompute.NetworkInterfaceReferenceProperties{
					Primary:      to.Ptr(true),
					DeleteOption: to.Ptr(armcompute.DeleteOptionsDelete),
				},
			}}},
		},
	}
	if p.zone != "" {
		vm.Zones = []*string{to.Ptr(p.zone)}
	}
	vmPoller, err := c.vms.BeginCreateOrUpdate(ctx, rg, p.names.vm, vm, nil)
	if err != nil {
		return deltacloud.Instance{}, wrap(err)
	}
	res, err := vmPoller.PollUntilDone(ctx, c.pollOpts())
	if err != nil {
		return deltacloud.Instance{}, wrap(err)
	}
	return c.instanceOf(&res.VirtualMachine, nil, "running", net), nil
}

// teardown deletes an instance's resources, VM first; what is already gone
// is skipped. After a failed create (guard set) a VM of that name is
// deleted only if it carries the ownership tag, should the random name have
// met another VM's. It returns the errors of the deletions that failed.
func (c *conn) teardown(ctx context.Context, n resourceNames, guard bool) error {
	rg := c.scope.ResourceGroup
	if n.vm != "" && guard {
		vm, err := c.vms.Get(ctx, rg, n.vm, nil)
		switch {
		case isNotFound(err):
			n.vm = ""
		case err != nil:
			return fmt.Errorf("reading VM %s: %w", n.vm, wrap(err))
		case tag(vm.Tags, TagOwner) != c.opts.owner:
			return fmt.Errorf("VM %s is not this provider's; left alone", n.vm)
		}
	}
	if n.vm != "" {
		poller, err := c.vms.BeginDelete(ctx, rg, n.vm, nil)
		if err == nil {
			_, err = poller.PollUntilDone(ctx, c.pollOpts())
		}
		if err != nil && !isNotFound(err) {
			// The interface cannot go while the VM holds it.
			return fmt.Errorf("deleting VM %s: %w", n.vm, wrap(err))
		}
	}
	var errs []error
	for _, name := range n.nics {
		poller, err := c.nics.BeginDelete(ctx, rg, name, nil)
		if err == nil {
			_, err = poller.PollUntilDone(ctx, c.pollOpts())
		}
		if err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("deleting network interface %s: %w", name, wrap(err)))
		}
	}
	for _, name := range n.ips {
		poller, err := c.ips.BeginDelete(ctx, rg, name, nil)
		if err == nil {
			_, err = poller.PollUntilDone(ctx, c.pollOpts())
		}
		if err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("deleting public IP %s: %w", name, wrap(err)))
		}
	}
	for _, name := range n.disks {
		poller, err := c.disks.BeginDelete(ctx, rg, name, nil)
		if err == nil {
			_, err = poller.PollUntilDone(ctx, c.pollOpts())
		}
		if err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("deleting disk %s: %w", name, wrap(err)))
		}
	}
	return errors.Join(errs...)
}

// namesOf collects what destroying a VM must delete: the VM, its interfaces
// and their public IPs (not addresses of the addresses collection) when
// they carry the ownership tag, and its managed OS disk, all in the
// resource group.
func (c *conn) namesOf(ctx context.Context, vm *armcompute.VirtualMachine) (resourceNames, error) {
	n := resourceNames{vm: str(vm.Name)}
	inGroup := func(id string) (string, bool) {
		rid, err := arm.ParseResourceID(id)
		if err != nil || !strings.EqualFold(rid.ResourceGroupName, c.scope.ResourceGroup) {
			return "", false
		}
		return rid.Name, true
	}
	for _, ref := range nicRefs(vm) {
		name, ok := inGroup(ref)
		if !ok {
			continue
		}
		nic, err := c.nics.Get(ctx, c.scope.ResourceGroup, name, nil)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return n, wrap(err)
		}
		if tag(nic.Tags, TagOwner) != c.opts.owner {
			continue
		}
		n.nics = append(n.nics, name)
		for _, ipID := range publicIPRefs(&nic.Interface) {
			ip, ok := inGroup(ipID)
			if !ok {
				continue
			}
			// An address of the addresses collection outlives the instance.
			if got, err := c.ips.Get(ctx, c.scope.ResourceGroup, ip, nil); err == nil && c.isAddress(&got.PublicIPAddress) {
				continue
			} else if err != nil && !isNotFound(err) {
				return n, wrap(err)
			}
			n.ips = append(n.ips, ip)
		}
	}
	if p := vm.Properties; p != nil && p.StorageProfile != nil && p.StorageProfile.OSDisk != nil {
		d := p.StorageProfile.OSDisk
		if d.ManagedDisk != nil && d.ManagedDisk.ID != nil {
			if name, ok := inGroup(*d.ManagedDisk.ID); ok {
				n.disks = append(n.disks, name)
			}
		} else if d.Name != nil {
			n.disks = append(n.disks, *d.Name)
		}
	}
	return n, nil
}

// baseName turns a user's name into the start of a VM resource name:
// letters, digits and '-', at most 40 characters.
func baseName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
		if b.Len() >= 40 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return "dc"
	}
	return s
}

// computerName is the VM's host name: Windows allows 15 characters.
func computerName(vm string, windows bool) string {
	if !windows || len(vm) <= 15 {
		return vm
	}
	// Keep the random suffix (the last 8 characters), which makes the name
	// unique.
	return strings.Trim(vm[:6], "-") + "-" + vm[len(vm)-8:]
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// reservedUsers are administrator names Azure refuses.
var reservedUsers = map[string]bool{
	"administrator": true, "admin": true, "user": true, "user1": true, "test": true, "user2": true,
	"test1": true, "user3": true, "admin1": true, "1": true, "123": true, "a": true, "actuser": true,
	"adm": true, "admin2": true, "aspnet": true, "backup": true, "console": true, "david": true,
	"guest": true, "john": true, "owner": true, "root": true, "server": true, "sql": true,
	"support": true, "support_388945a0": true, "sys": true, "test2": true, "test3": true,
	"user4": true, "user5": true,
}

// checkAdminUser applies Azure's rules for administrator names.
func checkAdminUser(u string) error {
	if u == "" || len(u) > 20 {
		return invalid("admin user %q: want 1-20 characters", u)
	}
	for i, r := range u {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || (i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.'))
		if !ok {
			return invalid("admin user %q: want letters, digits, '_', '-' or '.', starting with a letter or '_'", u)
		}
	}
	if reservedUsers[strings.ToLower(u)] {
		return invalid("admin user %q is reserved by Azure", u)
	}
	return nil
}

// checkPassword applies Azure's password rules: 6-72 characters on Linux,
// 8-123 on Windows (12 or more from the portal), with three of lower case,
// upper case, digits and other characters.
func checkPassword(pw string, windows bool) error {
	lo, hi := 6, 72
	if windows {
		lo, hi = 8, 123
	}
	if len(pw) < lo || len(pw) > hi {
		return invalid("the password must be %d to %d characters", lo, hi)
	}
	var lower, upper, digit, other int
	for _, r := range pw {
		switch {
		case r >= 'a' && r <= 'z':
			lower = 1
		case r >= 'A' && r <= 'Z':
			upper = 1
		case r >= '0' && r <= '9':
			digit = 1
		default:
			other = 1
		}
	}
	if lower+upper+digit+other < 3 {
		return invalid("the password needs three of: lower case, upper case, digits, other characters")
	}
	return nil
}

// parseSubnetID checks a subnet resource id.
func parseSubnetID(id string) (*arm.ResourceID, error) {
	rid, err := arm.ParseResourceID(id)
	if err != nil || !strings.EqualFold(rid.ResourceType.String(), "Microsoft.Network/virtualNetworks/subnets") {
		return nil, invalid("subnet id %q: want /subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/NAME/subnets/NAME", id)
	}
	return rid, nil
}
