package libvirt

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"github.com/deltacloud-go/deltacloud"
)

// maxNameLen is the longest instance name.
const maxNameLen = 128

// cleanupTimeout bounds the removal of what a failed create made.
const cleanupTimeout = 2 * time.Minute

// The steps of a create, in order; the test hook may fail any of them.
const (
	stepImage   = "image"
	stepOverlay = "overlay"
	stepSeed    = "seed"
	stepDefine  = "define"
	stepStart   = "start"
)

// createPlan is a checked create: everything decided before anything is
// made.
type createPlan struct {
	spec      deltacloud.InstanceSpec
	name      string // the instance name (metadata)
	domName   string
	suffix    string
	cpus      int
	memoryMiB int
	seed      bool
}

// made records what a create has made so far, for its clean-up.
type made struct {
	root, seed string
	dom        *golibvirt.Domain
}

// CreateInstances defines and starts one domain (instance_count is not
// advertised). See the package documentation for the steps and how a
// failure is undone.
func (c *conn) CreateInstances(ctx context.Context, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	if spec.Count > 1 {
		return nil, invalid("count %d: the libvirt driver creates one instance at a time", spec.Count)
	}
	h, err := c.facts(ctx)
	if err != nil {
		return nil, err
	}
	p, err := c.plan(spec, h)
	if err != nil {
		return nil, err
	}
	lv, err := c.client(ctx)
	if err != nil {
		return nil, err
	}
	// The steps run in their own goroutine, so that a cancelled caller
	// returns at once; the steps then stop at the next step boundary and
	// clean up in the background (Close waits for that).
	type result struct {
		in  deltacloud.Instance
		err error
	}
	done := make(chan result, 1)
	c.cleanups.Add(1)
	go func() {
		defer c.cleanups.Done()
		var m made
		in, err := c.build(ctx, lv, h, p, &m)
		if err != nil {
			// The clean-up runs even when the caller has gone: it is
			// what keeps a failed or cancelled create from leaving
			// anything behind.
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
			defer cancel()
			if cerr := c.teardown(cctx, lv, m); cerr != nil {
				err = errors.Join(err, fmt.Errorf("libvirt: cleaning up after the failed create: %w", cerr))
			}
		}
		done <- result{in, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, r.err
		}
		return []deltacloud.Instance{r.in}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// plan checks a spec against what the driver and the host allow.
func (c *conn) plan(spec deltacloud.InstanceSpec, h *hostFacts) (createPlan, error) {
	p := createPlan{spec: spec, cpus: 1, memoryMiB: min(c.opts.memoryMiB, max(h.memoryMiB, MinMemoryMiB))}
	if len(spec.Options) > 0 {
		for k := range spec.Options {
			return p, invalid("unknown create option %q (the libvirt driver takes none)", k)
		}
	}
	if spec.ProfileID != "" && spec.ProfileID != ProfileID {
		return p, invalid("hardware profile %q does not exist", spec.ProfileID)
	}
	for k, v := range spec.Properties {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			return p, invalid("property %s=%q: want a whole number", k, v)
		case k == deltacloud.PropertyCPU:
			p.cpus = n
		case k == deltacloud.PropertyMemory:
			p.memoryMiB = n
		case k == deltacloud.PropertyArchitecture:
		default:
			return p, invalid("unknown property %q", k)
		}
	}
	if p.cpus < 1 || p.cpus > max(h.cpus, 1) || p.memoryMiB < MinMemoryMiB || p.memoryMiB > max(h.memoryMiB, MinMemoryMiB) {
		return p, invalid("cpu %d and memory %d MiB: the host has %d CPUs and %d MiB", p.cpus, p.memoryMiB, h.cpus, h.memoryMiB)
	}
	if len(spec.Name) > maxNameLen || !printableText(spec.Name) {
		return p, invalid("name: want at most %d printable characters", maxNameLen)
	}
	if len(spec.UserData) > MaxUserData {
		return p, invalid("user_data is %d bytes; at most %d", len(spec.UserData), MaxUserData)
	}
	if spec.KeyName != "" {
		if err := CheckPublicKey(spec.KeyName); err != nil {
			return p, err
		}
	}
	suffix, err := randomHex(4)
	if err != nil {
		return p, &deltacloud.Error{Code: deltacloud.Backend, Message: "libvirt: cannot make a name", Err: err}
	}
	p.suffix = suffix
	p.domName = domainBase(spec.Name) + "-" + suffix
	p.name = spec.Name
	if p.name == "" && !spec.NameSet {
		p.name = p.domName
	}
	p.seed = spec.UserData != nil || spec.KeyName != ""
	return p, nil
}

// build makes the overlay, the seed, the domain, and starts it, checking
// ctx between the steps. Every call runs to its end: a step abandoned
// mid-call could make something the clean-up does not know of.
func (c *conn) build(ctx context.Context, lv *golibvirt.Libvirt, h *hostFacts, p createPlan, m *made) (deltacloud.Instance, error) {
	step := func(name string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if c.step != nil {
			if err := c.step(ctx, name); err != nil {
				return err
			}
		}
		return ctx.Err()
	}
	if err := step(stepImage); err != nil {
		return deltacloud.Instance{}, err
	}
	img, err := c.imageVolume(lv, p.spec.ImageID)
	if err != nil {
		return deltacloud.Instance{}, err
	}
	vp, err := pool(lv, c.opts.volumePool)
	if err != nil {
		return deltacloud.Instance{}, err
	}

	if err := step(stepOverlay); err != nil {
		return deltacloud.Instance{}, err
	}
	rootName := ownPrefix + p.suffix + "-root.qcow2"
	rootXML, err := (&libvirtxml.StorageVolume{
		Name:     rootName,
		Capacity: &libvirtxml.StorageVolumeSize{Value: img.capacity, Unit: "bytes"},
		Target:   &libvirtxml.StorageVolumeTarget{Format: &libvirtxml.StorageVolumeTargetFormat{Type: "qcow2"}},
		BackingStore: &libvirtxml.StorageVolumeBackingStore{Path: img.path,
			Format: &libvirtxml.StorageVolumeTargetFormat{Type: img.format}},
	}).Marshal()
	if err != nil {
		return deltacloud.Instance{}, err
	}
	rootVol, err := lv.StorageVolCreateXML(vp, rootXML, 0)
	if err != nil {
		return deltacloud.Instance{}, wrap(err)
	}
	m.root = rootName
	rootPath, err := lv.StorageVolGetPath(rootVol)
	if err != nil {
		return deltacloud.Instance{}, wrap(err)
	}

	var seedPath string
	if p.seed {
		if err := step(stepSeed); err != nil {
			return deltacloud.Instance{}, err
		}
		iso, err := c.buildSeed(ctx, seedData{instanceID: p.domName, hostname: hostnameOf(p.domName),
			publicKey: p.spec.KeyName, userData: p.spec.UserData})
		if err != nil {
			return deltacloud.Instance{}, err
		}
		seedName := ownPrefix + p.suffix + "-seed.iso"
		seedXML, err := (&libvirtxml.StorageVolume{
			Name:     seedName,
			Capacity: &libvirtxml.StorageVolumeSize{Value: uint64(len(iso)), Unit: "bytes"},
			Target:   &libvirtxml.StorageVolumeTarget{Format: &libvirtxml.StorageVolumeTargetFormat{Type: "raw"}},
		}).Marshal()
		if err != nil {
			return deltacloud.Instance{}, err
		}
		seedVol, err := lv.StorageVolCreateXML(vp, seedXML, 0)
		if err != nil {
			return deltacloud.Instance{}, wrap(err)
		}
		m.seed = seedName
		if err := lv.StorageVolUpload(seedVol, bytes.NewReader(iso), 0, uint64(len(iso)), 0); err != nil {
			return deltacloud.Instance{}, wrap(err)
		}
		if seedPath, err = lv.StorageVolGetPath(seedVol); err != nil {
			return deltacloud.Instance{}, wrap(err)
		}
	}

	if err := step(stepDefine); err != nil {
		return deltacloud.Instance{}, err
	}
	md := meta{Owner: c.opts.owner, Name: p.name, Image: p.spec.ImageID, Profile: ProfileID, KeyName: p.spec.KeyName,
		Created: time.Now().UTC().Format(time.RFC3339), Root: m.root, Seed: m.seed}
	for _, k := range slices.Sorted(maps.Keys(p.spec.Tags)) {
		md.Tags = append(md.Tags, metaTag{Key: k, Value: p.spec.Tags[k]})
	}
	mdXML, err := md.marshal(false)
	if err != nil {
		return deltacloud.Instance{}, err
	}
	domXML, err := domainXML(domainSpec{name: p.domName, domainType: h.domainType, arch: h.arch, cpus: p.cpus,
		memoryMiB: p.memoryMiB, network: c.opts.network, rootPath: rootPath, seedPath: seedPath, metadata: mdXML})
	if err != nil {
		return deltacloud.Instance{}, err
	}
	dom, err := lv.DomainDefineXMLFlags(domXML, 0)
	if err != nil {
		return deltacloud.Instance{}, wrap(err)
	}
	m.dom = &dom

	if err := step(stepStart); err != nil {
		return deltacloud.Instance{}, err
	}
	if err := lv.DomainCreate(dom); err != nil {
		return deltacloud.Instance{}, wrap(err)
	}
	return c.instanceOf(lv, h, dom, &md)
}

// teardown removes a domain and the volumes the driver made for it: the
// domain is powered off and undefined (with its managed save, snapshot
// metadata and NVRAM), then the seed and overlay are deleted. What is
// already gone is skipped; the errors of the rest are joined.
func (c *conn) teardown(ctx context.Context, lv *golibvirt.Libvirt, m made) error {
	var errs []error
	if m.dom != nil {
		if active, err := lv.DomainIsActive(*m.dom); err == nil && active == 1 {
			if err := lv.DomainDestroyFlags(*m.dom, golibvirt.DomainDestroyDefault); err != nil && !isCode(err, golibvirt.ErrOperationInvalid) {
				errs = append(errs, wrap(err))
			}
		}
		flags := golibvirt.DomainUndefineManagedSave | golibvirt.DomainUndefineSnapshotsMetadata | golibvirt.DomainUndefineNvram
		if err := lv.DomainUndefineFlags(*m.dom, flags); err != nil && !isCode(err, golibvirt.ErrNoDomain) {
			errs = append(errs, wrap(err))
		}
	}
	if m.seed != "" || m.root != "" {
		vp, err := pool(lv, c.opts.volumePool)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		for _, name := range []string{m.seed, m.root} {
			if name == "" {
				continue
			}
			if err := ctx.Err(); err != nil {
				return errors.Join(append(errs, err)...)
			}
			if err := deleteVolume(lv, vp, name); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// domainBase makes a domain name part from an instance name: letters,
// digits, '.', '_' and '-' kept, the rest '-', at most 40 characters;
// "dc" for an empty name.
func domainBase(name string) string {
	var b strings.Builder
	for _, r := range name {
		if b.Len() >= 40 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-.")
	if s == "" {
		return "dc"
	}
	return s
}

// hostnameOf makes a hostname (letters, digits, '-') of a domain name.
func hostnameOf(domName string) string {
	h := strings.Map(func(r rune) rune {
		if r == '.' || r == '_' {
			return '-'
		}
		return r
	}, domName)
	return strings.Trim(h, "-")
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
