package libvirt

import (
	"context"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/deltacloud-go/deltacloud"
)

// Instances lists the owner's domains. Each costs two small calls (the
// metadata element and the domain's info) after one listing call.
func (c *conn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	if f.ID != "" {
		return listOne(ctx, f.ID, c.Instance)
	}
	h, err := c.facts(ctx)
	if err != nil {
		return nil, err
	}
	var out []deltacloud.Instance
	err = c.do(ctx, func(lv *golibvirt.Libvirt) error {
		doms, _, err := lv.ConnectListAllDomains(1, 0)
		if err != nil {
			return wrap(err)
		}
		out, err = c.instancesOf(lv, h, doms)
		return err
	})
	if err != nil {
		return nil, err // a cancelled call may still be filling out
	}
	return out, nil
}

// listWindow is how many domains a listing reads at once: libvirtd serves
// up to 5 calls of one client at a time (max_client_requests), so the
// calls of the next domains travel while the daemon answers and the
// driver reads the metadata of others.
const listWindow = 4

// instancesOf reads the owner's domains among doms, in their order.
func (c *conn) instancesOf(lv *golibvirt.Libvirt, h *hostFacts, doms []golibvirt.Domain) ([]deltacloud.Instance, error) {
	type slot struct {
		in  deltacloud.Instance
		ok  bool
		err error
	}
	slots := make([]slot, len(doms))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(listWindow, len(doms)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				s := &slots[i]
				m, err := c.owned(lv, doms[i])
				if err != nil || m == nil {
					s.err = err
					continue
				}
				s.in, s.err = c.instanceOf(lv, h, doms[i], m)
				if deltacloud.CodeOf(s.err) == deltacloud.NotFound {
					s.err = nil // undefined meanwhile
					continue
				}
				s.ok = s.err == nil
			}
		}()
	}
	for i := range doms {
		next <- i
	}
	close(next)
	wg.Wait()
	out := make([]deltacloud.Instance, 0, len(doms))
	for _, s := range slots {
		if s.err != nil {
			return nil, s.err
		}
		if s.ok {
			out = append(out, s.in)
		}
	}
	return out, nil
}

// Instance returns one of the owner's domains by UUID.
func (c *conn) Instance(ctx context.Context, id string) (*deltacloud.Instance, error) {
	h, err := c.facts(ctx)
	if err != nil {
		return nil, err
	}
	var in deltacloud.Instance
	err = c.do(ctx, func(lv *golibvirt.Libvirt) error {
		d, m, err := c.lookup(lv, id)
		if err != nil {
			return err
		}
		in, err = c.instanceOf(lv, h, d, m)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// listOne is a listing filtered by id: the object, or none when there is
// no such object.
func listOne[T any](ctx context.Context, id string, get func(context.Context, string) (*T, error)) ([]T, error) {
	v, err := get(ctx, id)
	if deltacloud.CodeOf(err) == deltacloud.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []T{*v}, nil
}

// lookup finds one of the owner's domains by UUID; any other domain is
// ErrNotFound.
func (c *conn) lookup(lv *golibvirt.Libvirt, id string) (golibvirt.Domain, *meta, error) {
	u, ok := parseUUID(id)
	if !ok {
		return golibvirt.Domain{}, nil, notFound("instance", id)
	}
	d, err := lv.DomainLookupByUUID(u)
	if isCode(err, golibvirt.ErrNoDomain) {
		return d, nil, notFound("instance", id)
	}
	if err != nil {
		return d, nil, wrap(err)
	}
	m, err := c.owned(lv, d)
	if err != nil {
		return d, nil, err
	}
	if m == nil {
		return d, nil, notFound("instance", id)
	}
	return d, m, nil
}

// owned returns the driver's metadata of a domain of this owner; nil for
// a domain of anyone else (or none), or one undefined meanwhile.
func (c *conn) owned(lv *golibvirt.Libvirt, d golibvirt.Domain) (*meta, error) {
	s, err := lv.DomainGetMetadata(d, int32(golibvirt.DomainMetadataElement), golibvirt.OptString{MetadataURI}, golibvirt.DomainAffectCurrent)
	if isCode(err, golibvirt.ErrNoDomainMetadata) || isCode(err, golibvirt.ErrNoDomain) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(err)
	}
	m, err := c.metas.parse(s)
	if err != nil || m.Owner != c.opts.owner {
		// Unreadable metadata in the driver's namespace is not an
		// instance the driver can stand for.
		return nil, nil
	}
	return m, nil
}

// instanceOf builds an instance from a domain's metadata and info.
func (c *conn) instanceOf(lv *golibvirt.Libvirt, h *hostFacts, d golibvirt.Domain, m *meta) (deltacloud.Instance, error) {
	state, maxMemKiB, _, vcpus, _, err := lv.DomainGetInfo(d)
	if isCode(err, golibvirt.ErrNoDomain) {
		return deltacloud.Instance{}, notFound("instance", formatUUID(d.UUID))
	}
	if err != nil {
		return deltacloud.Instance{}, wrap(err)
	}
	in := deltacloud.Instance{
		ID:      formatUUID(d.UUID),
		Name:    m.Name,
		Owner:   m.Owner,
		ImageID: m.Image,
		RealmID: h.hostname,
		Profile: deltacloud.InstanceProfile{ID: ProfileID, Overrides: map[string]string{
			deltacloud.PropertyCPU:    strconv.Itoa(int(vcpus)),
			deltacloud.PropertyMemory: strconv.FormatUint(maxMemKiB/1024, 10),
		}},
		State:      MapState(golibvirt.DomainState(state)),
		LaunchTime: m.created(),
		Tags:       m.tags(),
		Extra:      map[string]string{"domain_name": d.Name},
	}
	if m.KeyName != "" {
		in.Authentication = &deltacloud.Authentication{Method: "key", KeyName: m.KeyName}
	}
	for _, disk := range m.Disks {
		in.StorageVolumes = append(in.StorageVolumes, deltacloud.VolumeAttachment{VolumeID: disk.Volume, Device: "/dev/" + disk.Device})
	}
	return in, nil
}

// parseUUID reads a UUID in its usual text form.
func parseUUID(s string) (golibvirt.UUID, bool) {
	var u golibvirt.UUID
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, false
	}
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != len(u) {
		return u, false
	}
	copy(u[:], b)
	return u, true
}

// formatUUID writes a UUID in its usual text form.
func formatUUID(u golibvirt.UUID) string {
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// lockDomain serialises the driver's changes of one domain's metadata.
func (c *conn) lockDomain(id string) func() {
	mu, _ := c.domainMu.LoadOrStore(id, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	return mu.(*sync.Mutex).Unlock
}
