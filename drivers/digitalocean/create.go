package digitalocean

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
)

// maxUserData is the API's bound on user data.
const maxUserData = 64 << 10

// cleanupTimeout bounds the deletion of a failed create's droplets, which
// runs even when the caller's context has ended.
const cleanupTimeout = 2 * time.Minute

// tokenMu serialises creates with a client token in this process, so two
// concurrent retries cannot both miss each other's droplet.
var tokenMu sync.Mutex

// SupportsClientToken: a token becomes a tag of the droplet (TagTokenPrefix)
// beside a digest of the spec (TagSpecPrefix).
func (c *conn) SupportsClientToken() bool { return true }

// request builds the create request of a checked spec; it refuses what
// DigitalOcean would refuse, before anything is sent.
func (c *conn) request(spec deltacloud.InstanceSpec) (*godo.DropletCreateRequest, error) {
	name := spec.Name
	if name == "" {
		name = "dc-" + randomHex(4)
	}
	if !hostname(name) {
		return nil, invalid("name %q: want a host name of at most 63 letters, digits, dots and dashes", truncate(name, 80))
	}
	if len(spec.UserData) > maxUserData {
		return nil, invalid("user data is %d bytes; DigitalOcean takes at most %d", len(spec.UserData), maxUserData)
	}
	req := &godo.DropletCreateRequest{Name: name, Region: cmpOr(spec.RealmID, c.region), Size: cmpOr(spec.ProfileID, c.opts.size),
		Image: createImage(spec.ImageID), UserData: string(spec.UserData), Tags: []string{c.ownerTag}}
	if k := spec.KeyName; k != "" {
		if n, err := strconv.Atoi(k); err == nil && n > 0 {
			req.SSHKeys = []godo.DropletCreateSSHKey{{ID: n}}
		} else {
			req.SSHKeys = []godo.DropletCreateSSHKey{{Fingerprint: k}}
		}
	}
	if spec.ClientToken != "" {
		req.Tags = append(req.Tags, c.tokenTag(spec.ClientToken), TagSpecPrefix+deltacloud.SpecDigest(spec)[:32])
	}
	return req, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// hostname reports whether s is a name DigitalOcean gives a droplet.
func hostname(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[0] == '.' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// CreateInstances creates one droplet tagged with the owner (Count is not
// advertised). With a client token, droplets already tagged with it answer
// the create when their spec digest matches (ErrConflict otherwise).
//
// The droplet also carries a random create tag while the create runs: if
// the request fails in a way that leaves its outcome unknown (no answer, a
// 5xx, a cancelled context), every droplet with that tag is deleted — after
// a cancellation in the background, with a bounded context of its own, and
// Close waits for it; the create tag is removed once the create has
// succeeded.
func (c *conn) CreateInstances(ctx context.Context, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	req, err := c.request(spec)
	if err != nil {
		return nil, err
	}
	if spec.ClientToken != "" {
		tokenMu.Lock()
		defer tokenMu.Unlock()
		if ins, found, err := c.byToken(ctx, spec); found || err != nil {
			return ins, err
		}
	}
	createTag := TagCreatePrefix + randomHex(8)
	req.Tags = append(req.Tags, createTag)
	d, _, err := c.client.Droplets.Create(ctx, req)
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		if unknownOutcome(err) && ctx.Err() != nil {
			// The caller has gone: clean up in the background (Close
			// waits for it) and answer the cancellation now.
			c.cleanups.Add(1)
			go func() {
				defer c.cleanups.Done()
				c.cleanup(ctx, createTag)
			}()
			return nil, ctx.Err()
		}
		if unknownOutcome(err) {
			if cerr := c.cleanup(ctx, createTag); cerr != nil {
				return nil, fmt.Errorf("%w (and the clean-up failed: %v)", c.wrap(err), cerr)
			}
		}
		return nil, c.wrap(err)
	}
	c.untag(ctx, createTag)
	in := c.instanceOf(d, nil)
	return []deltacloud.Instance{in}, nil
}

// unknownOutcome reports whether a failed create may still have made a
// droplet: DigitalOcean refused nothing the driver can see.
func unknownOutcome(err error) bool {
	switch classify(err) {
	case deltacloud.InvalidArgument, deltacloud.AuthFailure, deltacloud.Forbidden, deltacloud.NotFound,
		deltacloud.Conflict, deltacloud.RateLimited:
		return false
	}
	return true
}

// cleanupRounds is how many times a clean-up deletes by the create tag,
// poll_interval apart: a create the API carries out after its client gave
// up appears late.
const cleanupRounds = 3

// cleanup deletes the droplets a failed create made and its tag.
func (c *conn) cleanup(ctx context.Context, createTag string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	for i := range cleanupRounds {
		if i > 0 {
			time.Sleep(c.opts.pollInterval)
		}
		if _, err := c.client.Droplets.DeleteByTag(ctx, createTag); err != nil && classify(err) != deltacloud.NotFound {
			return c.wrap(err)
		}
	}
	c.untag(ctx, createTag)
	return nil
}

// untag deletes a create tag, which also removes it from its droplets. It
// is housekeeping: a failure leaves an unused tag, nothing else.
func (c *conn) untag(ctx context.Context, tag string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	c.client.Tags.Delete(ctx, tag)
}

// byToken answers a create with a token that made droplets before.
func (c *conn) byToken(ctx context.Context, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, bool, error) {
	ds, err := c.dropletsByTag(ctx, c.tokenTag(spec.ClientToken))
	if err != nil || len(ds) == 0 {
		return nil, false, err
	}
	want := TagSpecPrefix + deltacloud.SpecDigest(spec)[:32]
	var out []deltacloud.Instance
	for i := range ds {
		if !c.owns(ds[i].Tags) {
			continue
		}
		if !hasTag(ds[i].Tags, want) {
			return nil, true, deltacloud.Errorf(deltacloud.Conflict,
				"digitalocean: the client token was used before for another spec (droplet %d)", ds[i].ID)
		}
		out = append(out, c.instanceOf(&ds[i], nil))
	}
	return out, len(out) > 0, nil
}

func hasTag(tags []string, t string) bool {
	for _, x := range tags {
		if x == t {
			return true
		}
	}
	return false
}

// DryRun checks a create without making anything: the request is built and
// checked as for a create, and the SSH key looked up; it shows what would
// be sent, user data hidden.
func (c *conn) DryRun(ctx context.Context, spec deltacloud.InstanceSpec) (*deltacloud.DriverPlan, error) {
	req, err := c.request(spec)
	if err != nil {
		return nil, err
	}
	plan := &deltacloud.DriverPlan{Request: map[string]string{"name": req.Name, "region": req.Region, "size": req.Size,
		"image": spec.ImageID, "tags": strings.Join(req.Tags, ",")}}
	if spec.Name == "" {
		plan.Request["name"] = "dc-<random>"
	}
	if len(req.UserData) > 0 {
		plan.Request["user_data"] = "(hidden)"
	}
	if k := spec.KeyName; k != "" {
		if err := c.checkKey(ctx, k); err != nil {
			return nil, err
		}
		plan.Request["ssh_keys"] = k
	}
	if spec.ClientToken != "" {
		ins, found, err := c.byToken(ctx, spec)
		if err != nil {
			return nil, err
		}
		if found {
			for _, in := range ins {
				plan.Existing = append(plan.Existing, in.ID)
			}
		}
	}
	return plan, nil
}

// checkKey looks a keyname (an SSH key's id or fingerprint) up; an unknown
// one is ErrInvalidArgument, as a create would be.
func (c *conn) checkKey(ctx context.Context, k string) error {
	var err error
	if n, perr := strconv.Atoi(k); perr == nil && n > 0 {
		_, _, err = c.client.Keys.GetByID(ctx, n)
	} else {
		_, _, err = c.client.Keys.GetByFingerprint(ctx, k)
	}
	if err != nil && classify(err) == deltacloud.NotFound {
		return invalid("SSH key %q not found", truncate(k, 100))
	}
	return c.wrap(err)
}
