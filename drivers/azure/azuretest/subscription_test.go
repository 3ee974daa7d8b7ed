package azuretest_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
)

// clients builds SDK clients on the fake with the given client secret.
func clients(t *testing.T, s *azuretest.Subscription, secret string) (*armcompute.ClientFactory, *armnetwork.ClientFactory) {
	t.Helper()
	co := azcore.ClientOptions{Transport: s.HTTPClient(), Retry: policy.RetryOptions{MaxRetries: -1}}
	cred, err := azidentity.NewClientSecretCredential(azuretest.TenantID, azuretest.ClientID, secret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: co})
	if err != nil {
		t.Fatal(err)
	}
	c, err := armcompute.NewClientFactory(azuretest.SubscriptionID, cred, &arm.ClientOptions{ClientOptions: co})
	if err != nil {
		t.Fatal(err)
	}
	n, err := armnetwork.NewClientFactory(azuretest.SubscriptionID, cred, &arm.ClientOptions{ClientOptions: co})
	if err != nil {
		t.Fatal(err)
	}
	return c, n
}

func TestIdentity(t *testing.T) {
	s := azuretest.New()
	c, _ := clients(t, s, "wrong")
	_, err := c.NewVirtualMachinesClient().Get(t.Context(), azuretest.ResourceGroup, "vm", nil)
	var af *azidentity.AuthenticationFailedError
	if !errors.As(err, &af) {
		t.Errorf("a wrong secret gives %v, want *azidentity.AuthenticationFailedError", err)
	}
	c, _ = clients(t, s, azuretest.ClientSecret)
	_, err = c.NewVirtualMachinesClient().Get(t.Context(), azuretest.ResourceGroup, "vm", nil)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusNotFound || re.ErrorCode != "ResourceNotFound" {
		t.Errorf("Get of a missing VM = %v, want a 404 ResourceNotFound", err)
	}
}

// TestInUseRules checks that what a VM uses cannot be deleted under it.
func TestInUseRules(t *testing.T) {
	s := azuretest.New()
	s.SetCascadeDeletes(false)
	c, n := clients(t, s, azuretest.ClientSecret)
	ctx := t.Context()
	rg := azuretest.ResourceGroup
	vnet, err := n.NewVirtualNetworksClient().BeginCreateOrUpdate(ctx, rg, "net", armnetwork.VirtualNetwork{
		Location:   to.Ptr(azuretest.Location),
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{Subnets: []*armnetwork.Subnet{{Name: to.Ptr("sn")}}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	net, err := vnet.PollUntilDone(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	nicP, err := n.NewInterfacesClient().BeginCreateOrUpdate(ctx, rg, "nic", armnetwork.Interface{
		Location: to.Ptr(azuretest.Location),
		Properties: &armnetwork.InterfacePropertiesFormat{IPConfigurations: []*armnetwork.InterfaceIPConfiguration{{
			Properties: &armnetwork.InterfaceIPConfigurationPropertiesFormat{Subnet: &armnetwork.Subnet{ID: net.Properties.Subnets[0].ID}},
		}}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	nic, err := nicP.PollUntilDone(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	vmP, err := c.NewVirtualMachinesClient().BeginCreateOrUpdate(ctx, rg, "vm", armcompute.VirtualMachine{
		Location: to.Ptr(azuretest.Location),
		Properties: &armcompute.VirtualMachineProperties{
			HardwareProfile: &armcompute.HardwareProfile{VMSize: to.Ptr(armcompute.VirtualMachineSizeTypes("Standard_B1s"))},
			StorageProfile: &armcompute.StorageProfile{ImageReference: &armcompute.ImageReference{
				Publisher: to.Ptr("Debian"), Offer: to.Ptr("debian-12"), SKU: to.Ptr("12-gen2"), Version: to.Ptr("latest")}},
			OSProfile:      &armcompute.OSProfile{AdminUsername: to.Ptr("me"), AdminPassword: to.Ptr("Pa55-word-123")},
			NetworkProfile: &armcompute.NetworkProfile{NetworkInterfaces: []*armcompute.NetworkInterfaceReference{{ID: nic.ID}}},
		},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	vm, err := vmP.PollUntilDone(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.NewInterfacesClient().BeginDelete(ctx, rg, "nic", nil); !isCode(err, "NicInUse") {
		t.Errorf("deleting a NIC in use = %v, want NicInUse", err)
	}
	disk := *vm.Properties.StorageProfile.OSDisk.Name
	if _, err := c.NewDisksClient().BeginDelete(ctx, rg, disk, nil); !isCode(err, "OperationNotAllowed") {
		t.Errorf("deleting an attached disk = %v, want OperationNotAllowed", err)
	}
	if p, err := c.NewVirtualMachinesClient().BeginDelete(ctx, rg, "vm", nil); err != nil {
		t.Fatal(err)
	} else if _, err := p.PollUntilDone(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if p, err := n.NewInterfacesClient().BeginDelete(ctx, rg, "nic", nil); err != nil {
		t.Errorf("deleting a free NIC: %v", err)
	} else if _, err := p.PollUntilDone(ctx, nil); err != nil {
		t.Error(err)
	}
	if _, err := c.NewDisksClient().BeginDelete(ctx, rg, disk, nil); err != nil {
		t.Errorf("deleting a free disk: %v", err)
	}
}

func isCode(err error, code string) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && re.ErrorCode == code
}
