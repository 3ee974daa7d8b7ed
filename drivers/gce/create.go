package gce

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"google.golang.org/api/compute/v1"

	"github.com/deltacloud-go/deltacloud"
)

// Bounds of what a create writes into metadata.
const (
	// maxNameLen bounds the requested instance name (kept in metadata).
	maxNameLen = 255
	// MaxUserData is Compute Engine's limit on one metadata value.
	MaxUserData = 256 << 10
	// maxKeyLen bounds an OpenSSH public key line.
	maxKeyLen = 16 << 10
	// cleanupTimeout bounds the delete of a failed or cancelled create.
	cleanupTimeout = 10 * time.Minute
)

// CreateInstances creates one instance (instance_count is not advertised)
// and waits for its insert operation. Whatever fails after Compute accepted
// the insert — the operation, or the context, even while the insert's
// answer is on its way — deletes the instance again.
func (c *conn) CreateInstances(ctx context.Context, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	if spec.Count > 1 {
		return nil, invalid("count %d: the gce driver creates one instance at a time", spec.Count)
	}
	req, zone, err := c.request(ctx, spec)
	if err != nil {
		return nil, err
	}
	if spec.ClientToken != "" {
		if ins, err := c.retriedList(ctx, req.Name, spec); ins != nil || err != nil {
			return ins, err
		}
	}
	op, err := c.compute.Instances.Insert(c.scope.Project, zone, req).Context(ctx).Do()
	if err != nil {
		if ctx.Err() != nil {
			// The insert may have reached Compute with its answer lost:
			// delete the instance asked for, by its name (a 404 if it
			// never came).
			c.discard(ctx, zone, req.Name)
			return nil, wrap(err)
		}
		if spec.ClientToken != "" && errors.Is(wrap(err), deltacloud.ErrConflict) {
			// A retry racing the first create: answer what it made.
			if ins, rerr := c.retriedList(ctx, req.Name, spec); ins != nil || rerr != nil {
				return ins, rerr
			}
		}
		return nil, wrap(err)
	}
	c.mu.Lock()
	c.zoneOf[req.Name] = zone
	c.mu.Unlock()
	if err := c.wait(ctx, op, nil); err != nil {
		c.discard(ctx, zone, req.Name)
		return nil, err
	}
	in, err := c.compute.Instances.Get(c.scope.Project, zone, req.Name).Context(ctx).Do()
	if err != nil {
		c.discard(ctx, zone, req.Name)
		return nil, wrap(err)
	}
	return []deltacloud.Instance{c.instanceOf(in, zone)}, nil
}

// retried answers the instance of a client token when it exists: the
// instance when the spec is the same, ErrConflict when it is not. Nothing
// and no error means there is none.
func (c *conn) retried(ctx context.Context, name string, spec deltacloud.InstanceSpec) (*deltacloud.Instance, error) {
	in, zone, err := c.instance(ctx, name)
	if errors.Is(err, deltacloud.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if metadataOf(in)[MetaSpec] != deltacloud.SpecDigest(spec) {
		return nil, &deltacloud.Error{Code: deltacloud.Conflict,
			Message: "gce: the client token was used for another spec (instance " + name + ")"}
	}
	out := c.instanceOf(in, zone)
	return &out, nil
}

// retriedList is retried as CreateInstances answers it.
func (c *conn) retriedList(ctx context.Context, name string, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	in, err := c.retried(ctx, name, spec)
	if in == nil {
		return nil, err
	}
	return []deltacloud.Instance{*in}, nil
}

// discard deletes what a failed create made. After a cancellation it runs
// in the background (Close waits for it); otherwise the create returns once
// it is done, so a caller sees nothing left.
func (c *conn) discard(ctx context.Context, zone, name string) {
	c.cleanups.Add(1)
	done := make(chan struct{})
	go func() {
		defer c.cleanups.Done()
		defer close(done)
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		op, err := c.compute.Instances.Delete(c.scope.Project, zone, name).Context(cctx).Do()
		if err := c.wait(cctx, op, err); err == nil || isNotFoundErr(err) {
			c.mu.Lock()
			delete(c.zoneOf, name)
			c.mu.Unlock()
		}
	}()
	if ctx.Err() == nil {
		<-done
	}
}

// request builds the insert request of a spec and picks its zone.
func (c *conn) request(ctx context.Context, spec deltacloud.InstanceSpec) (*compute.Instance, string, error) {
	zone := spec.RealmID
	if zone == "" {
		z, err := c.firstZone(ctx)
		if err != nil {
			return nil, "", err
		}
		zone = z
	} else if ok, err := c.inRegion(ctx, zone); err != nil {
		return nil, "", err
	} else if !ok {
		return nil, "", invalid("realm %q is not a zone of region %s", truncate(zone), c.scope.Region)
	}
	machineType, err := c.machineType(spec)
	if err != nil {
		return nil, "", err
	}
	publicIP := c.opts.publicIP
	for k, v := range spec.Options {
		switch k {
		case "public_ip":
			if publicIP, err = strconv.ParseBool(v); err != nil {
				return nil, "", invalid("option public_ip=%q: want true or false", truncate(v))
			}
		case "machine_type":
		default:
			return nil, "", invalid("unknown create option %q (known: public_ip, machine_type)", truncate(k))
		}
	}
	meta, err := c.metadata(spec)
	if err != nil {
		return nil, "", err
	}
	name := instanceName(spec.Name)
	if spec.ClientToken != "" {
		sum := sha256.Sum256([]byte(c.opts.owner + "\x00" + spec.ClientToken))
		name = "dc-" + hex.EncodeToString(sum[:12])
	}
	ni := &compute.NetworkInterface{Network: c.opts.network}
	if publicIP {
		ni.AccessConfigs = []*compute.AccessConfig{{Name: externalNAT, Type: "ONE_TO_ONE_NAT"}}
	}
	req := &compute.Instance{
		Name: name, MachineType: "zones/" + zone + "/machineTypes/" + machineType,
		Labels:   map[string]string{LabelOwner: c.opts.owner},
		Metadata: meta, NetworkInterfaces: []*compute.NetworkInterface{ni},
		Disks: []*compute.AttachedDisk{{Boot: true, AutoDelete: true, InitializeParams: &compute.AttachedDiskInitializeParams{
			SourceImage: c.sourceImage(spec.ImageID), DiskType: "zones/" + zone + "/diskTypes/" + c.opts.diskType,
			Labels: map[string]string{LabelOwner: c.opts.owner, LabelRole: "boot"},
		}}},
	}
	if len(spec.Firewalls) > 0 {
		tags, err := c.firewallTags(ctx, spec.Firewalls)
		if err != nil {
			return nil, "", err
		}
		req.Tags = &compute.Tags{Items: tags}
	}
	return req, zone, nil
}

// externalNAT is the name of the external access config the driver makes.
const externalNAT = "External NAT"

// machineType is the machine type of a spec: the profile's, a custom type
// built from the overrides, the create option or the provider's default.
func (c *conn) machineType(spec deltacloud.InstanceSpec) (string, error) {
	switch spec.ProfileID {
	case "":
		if mt := spec.Options["machine_type"]; mt != "" {
			if !nameRE.MatchString(mt) {
				return "", invalid("option machine_type=%q is not a machine type name", truncate(mt))
			}
			return mt, nil
		}
		return c.opts.machineType, nil
	case CustomProfileID:
		props, err := customProfile().Resolve(spec.Properties)
		if err != nil {
			return "", err
		}
		return customMachineType(props)
	}
	return spec.ProfileID, nil
}

// metadata builds an instance's metadata items: the requested name, the
// image, the tags, user data, the SSH key and the spec digest of a token.
func (c *conn) metadata(spec deltacloud.InstanceSpec) (*compute.Metadata, error) {
	items := map[string]string{MetaImage: spec.ImageID}
	if spec.Name != "" {
		items[MetaName] = spec.Name
	}
	if len(spec.Tags) > 0 {
		b, err := json.Marshal(spec.Tags)
		if err != nil {
			return nil, invalid("tags cannot be encoded")
		}
		items[MetaTags] = string(b)
	}
	if spec.UserData != nil {
		if len(spec.UserData) > MaxUserData {
			return nil, invalid("user data is %d bytes; Compute Engine takes at most %d", len(spec.UserData), MaxUserData)
		}
		key := "user-data"
		if strings.HasPrefix(string(spec.UserData), "#!") {
			key = "startup-script"
		}
		items[key] = string(spec.UserData)
	}
	if spec.KeyName != "" {
		if len(spec.KeyName) > maxKeyLen {
			return nil, invalid("keyname is %d bytes; an OpenSSH public key is expected", len(spec.KeyName))
		}
		pub, comment, _, _, err := ssh.ParseAuthorizedKey([]byte(spec.KeyName))
		if err != nil {
			return nil, invalid("keyname must be an OpenSSH public key (gce has no key resources)")
		}
		line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
		if comment != "" {
			line += " " + comment
		}
		items[MetaKey] = c.opts.sshUser + ":" + line
	}
	if spec.ClientToken != "" {
		items[MetaSpec] = deltacloud.SpecDigest(spec)
	}
	md := &compute.Metadata{}
	for _, k := range sortedKeys(items) {
		v := items[k]
		md.Items = append(md.Items, &compute.MetadataItems{Key: k, Value: &v})
	}
	return md, nil
}

// nameKeep is what of a requested name an instance name keeps.
const nameKeep = 40

// instanceName makes a valid Compute name from a requested name: lower
// case, other characters as dashes, starting with a letter, and a random
// suffix, so names may repeat.
func instanceName(requested string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(requested) {
		if b.Len() >= nameKeep {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9' && b.Len() > 0:
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	base := strings.TrimSuffix(b.String(), "-")
	if base == "" {
		base = "dc"
	}
	return base + "-" + randomSuffix()
}

// randomSuffix is 8 random lower-case hex digits.
func randomSuffix() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// resourceName is the name a create uses: the one asked for, which must
// be a valid Compute name, or prefix and a random suffix.
func resourceName(what, asked, prefix string) (string, error) {
	switch {
	case asked == "":
		return prefix + "-" + randomSuffix(), nil
	case !nameRE.MatchString(asked):
		return "", invalid("%s name %q: want 1-63 lower-case letters, digits and dashes, starting with a letter", what, truncate(asked))
	}
	return asked, nil
}

func isNotFoundErr(err error) bool { return errors.Is(err, deltacloud.ErrNotFound) }
