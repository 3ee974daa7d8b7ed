package azure

import (
	"net/url"
	"strconv"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"

	"github.com/deltacloud-go/deltacloud"
)

// Defaults of the Blob Storage options.
const (
	// DefaultBlobBlockMiB is the size of the blocks an upload stages, in
	// MiB.
	DefaultBlobBlockMiB = 4
	// DefaultBlobConcurrency is how many blocks one upload stages at once;
	// with the block size it bounds an upload's buffers (8 MiB by default).
	DefaultBlobConcurrency = 2
	// maxBlocks is Blob Storage's limit on the committed blocks of a blob.
	maxBlocks = 50000
	// maxBlockMiB is Blob Storage's limit on one block.
	maxBlockMiB = 4000
)

// storageOptions are the Blob Storage part of the options.
type storageOptions struct {
	account     string
	key         string
	endpoint    string
	blockMiB    int
	concurrency int
}

// parseStorageOption reads one Blob Storage option; ok is false for a name
// that is not one.
func parseStorageOption(o *storageOptions, k, v string) (ok bool, err error) {
	switch k {
	case "storage_account":
		if v != "" && !storageAccountRE(v) {
			return true, invalid("option storage_account=%q: want 3-24 lower-case letters and digits", v)
		}
		o.account = v
	case "storage_key":
		o.key = v
	case "storage_endpoint":
		u, err := url.Parse(v)
		if v != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "") {
			return true, invalid("option storage_endpoint=%q: want the blob service's http(s) URL without query, such as https://account.blob.core.windows.net/", v)
		}
		o.endpoint = v
	case "blob_block_size":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxBlockMiB {
			return true, invalid("option blob_block_size=%q: want a whole number of MiB from 1 to %d", v, maxBlockMiB)
		}
		o.blockMiB = n
	case "blob_concurrency":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 64 {
			return true, invalid("option blob_concurrency=%q: want an integer from 1 to 64", v)
		}
		o.concurrency = n
	default:
		return false, nil
	}
	return true, nil
}

func storageAccountRE(s string) bool {
	if len(s) < 3 || len(s) > 24 {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// blobSuffix is the Blob Storage DNS suffix of a cloud.
func blobSuffix(c cloud.Configuration) string {
	switch c.ActiveDirectoryAuthorityHost {
	case cloud.AzureChina.ActiveDirectoryAuthorityHost:
		return "blob.core.chinacloudapi.cn"
	case cloud.AzureGovernment.ActiveDirectoryAuthorityHost:
		return "blob.core.usgovcloudapi.net"
	}
	return "blob.core.windows.net"
}

// newBlobService builds the Blob Storage client, or nil when no storage
// account is configured (the provider then serves no buckets). A storage key
// authenticates with Shared Key; without one the driver's Azure AD
// credential is used, which needs a data role such as Storage Blob Data
// Contributor on the account.
//
// With noAmbient (Config.NoAmbientCredentials without explicit
// credentials) the operator's storage_key is not used and cred refuses
// every token, so nothing reaches Blob Storage.
func newBlobService(o options, cred azcore.TokenCredential, co azcore.ClientOptions, noAmbient bool) (*service.Client, error) {
	so := o.storage
	if so.account == "" {
		if so.key != "" || so.endpoint != "" {
			return nil, invalid("options storage_key and storage_endpoint need storage_account")
		}
		return nil, nil
	}
	endpoint := so.endpoint
	if endpoint == "" {
		endpoint = "https://" + so.account + "." + blobSuffix(o.cloud) + "/"
	}
	opts := &service.ClientOptions{ClientOptions: co}
	if o.maxRetries >= 0 {
		opts.Retry = policy.RetryOptions{MaxRetries: o.maxRetries}
		if o.maxRetries == 0 {
			opts.Retry.MaxRetries = -1
		}
	}
	var (
		c   *service.Client
		err error
	)
	if so.key != "" && !noAmbient {
		key, kerr := service.NewSharedKeyCredential(so.account, so.key)
		if kerr != nil {
			return nil, &deltacloud.Error{Code: deltacloud.AuthFailure, Message: "azure: option storage_key is not a base64 account key", Err: kerr}
		}
		c, err = service.NewClientWithSharedKeyCredential(endpoint, key, opts)
	} else {
		c, err = service.NewClient(endpoint, cred, opts)
	}
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "azure: cannot build the Blob Storage client", Err: err}
	}
	return c, nil
}

// coreCollections are the collections every provider serves.
var coreCollections = []deltacloud.Collection{
	deltacloud.CollectionHardwareProfiles, deltacloud.CollectionImages, deltacloud.CollectionInstanceStates,
	deltacloud.CollectionInstances, deltacloud.CollectionRealms,
}

// Collections lists what the provider serves (deltacloud.CollectionLister):
// keys, firewalls, addresses, storage volumes and snapshots always, buckets only when a storage
// account is configured.
func (c *conn) Collections() []deltacloud.Collection {
	cs := append([]deltacloud.Collection{}, coreCollections...)
	cs = append(cs, deltacloud.CollectionKeys, deltacloud.CollectionFirewalls, deltacloud.CollectionAddresses, deltacloud.CollectionStorageVolumes,
		deltacloud.CollectionStorageSnapshots)
	if c.blobs != nil {
		cs = append(cs, deltacloud.CollectionBuckets)
	}
	return cs
}
