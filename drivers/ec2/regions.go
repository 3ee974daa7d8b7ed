package ec2

import (
	"context"
	"crypto/sha256"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/deltacloud-go/deltacloud"
)

// RegionLister lists the regions an account may use, from EC2's
// DescribeRegions: the regions enabled for it, opt-in ones included once
// enabled, rather than the static list DriverInfo shows to callers without
// credentials (which must never make the driver call AWS). Provider.As
// hands it out:
//
//	var rl ec2.RegionLister
//	if p.As(&rl) { regions, err := rl.Regions(ctx) }
type RegionLister interface {
	// Regions lists the account's regions, sorted by name, with their
	// entry points (EC2's as DescribeRegions names it).
	Regions(ctx context.Context) ([]deltacloud.ProviderInfo, error)
}

// RegionsTTL is how long a region list is reused: regions change rarely,
// and a server that opens a provider per request would otherwise ask EC2
// on every listing.
const RegionsTTL = time.Hour

// regionsNow is the cache's clock; tests move it.
var regionsNow = time.Now

// maxRegionLists bounds the cached lists (one per endpoint and credential).
const maxRegionLists = 256

// regionCache holds region lists by a digest of the endpoint and the full
// credentials, so a list is reused only by a caller that proved the same
// secret: a request with a known access key and a wrong secret asks EC2,
// and fails.
var regionCache = struct {
	sync.Mutex
	m map[[32]byte]regionList
}{m: map[[32]byte]regionList{}}

type regionList struct {
	regions []deltacloud.ProviderInfo
	at      time.Time
}

// regionKeyOf is the cache key of a provider: a digest of its endpoint and
// credentials, zero for an anonymous one or one with the host's
// credentials, whose lists are not cached.
func regionKeyOf(endpoint string, creds deltacloud.Credentials) [32]byte {
	if creds.IsZero() {
		return [32]byte{}
	}
	return sha256.Sum256([]byte(endpoint + "\x00" + creds.User + "\x00" + creds.Password))
}

// Regions implements RegionLister.
func (c *conn) Regions(ctx context.Context) ([]deltacloud.ProviderInfo, error) {
	key := c.regionKey
	cacheable := key != [32]byte{}
	now := regionsNow()
	if cacheable {
		regionCache.Lock()
		l, ok := regionCache.m[key]
		regionCache.Unlock()
		if ok && now.Sub(l.at) < RegionsTTL {
			return cloneProviders(l.regions), nil
		}
	}
	out, err := c.client.DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		return nil, c.wrap(err)
	}
	ps := make([]deltacloud.ProviderInfo, 0, len(out.Regions))
	for _, r := range out.Regions {
		name := aws.ToString(r.RegionName)
		if name == "" {
			continue
		}
		eps := entrypoints(name)
		if e := aws.ToString(r.Endpoint); e != "" {
			eps["ec2"] = e
		}
		ps = append(ps, deltacloud.ProviderInfo{ID: name, Entrypoints: eps})
	}
	slices.SortFunc(ps, func(a, b deltacloud.ProviderInfo) int { return strings.Compare(a.ID, b.ID) })
	if cacheable {
		regionCache.Lock()
		if len(regionCache.m) >= maxRegionLists {
			for k, l := range regionCache.m {
				if now.Sub(l.at) >= RegionsTTL || len(regionCache.m) >= maxRegionLists {
					delete(regionCache.m, k)
				}
			}
		}
		regionCache.m[key] = regionList{regions: cloneProviders(ps), at: now}
		regionCache.Unlock()
	}
	return ps, nil
}

func cloneProviders(ps []deltacloud.ProviderInfo) []deltacloud.ProviderInfo {
	out := make([]deltacloud.ProviderInfo, len(ps))
	for i, p := range ps {
		out[i] = deltacloud.ProviderInfo{ID: p.ID, Entrypoints: make(map[string]string, len(p.Entrypoints))}
		for k, v := range p.Entrypoints {
			out[i].Entrypoints[k] = v
		}
	}
	return out
}
