package vsphere

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/deltacloud-go/deltacloud"
)

// cleanupTimeout bounds the removal of what a failed create made.
const cleanupTimeout = 10 * time.Minute

// maxNameLen is the longest instance name (a custom attribute value).
const maxNameLen = 255

// The steps of a create, as the test hook names them.
const (
	stepClone       = "clone"
	stepFields      = "fields"
	stepReconfigure = "reconfigure"
	stepPowerOn     = "power_on"
)

// createPlan is a checked create: everything resolved before anything is
// made.
type createPlan struct {
	template *object.VirtualMachine
	imageID  string
	pool     types.ManagedObjectReference
	folder   *object.Folder
	store    *types.ManagedObjectReference
	vmName   string // the VM's inventory name, unique
	name     string // the instance name
	size     sizing
	userData []byte
	nic      []types.BaseVirtualDeviceConfigSpec // the network option's change
}

// CreateInstances clones one VM (the Provider refuses more, as
// instance_count is not advertised). See the package documentation for the
// steps and how a failure is undone.
func (c *conn) CreateInstances(ctx context.Context, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	if spec.Count > 1 {
		return nil, invalid("count %d: the vsphere driver creates one instance at a time", spec.Count)
	}
	for k := range spec.Options {
		return nil, invalid("unknown create option %q (the vsphere driver has none)", k)
	}
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	p, err := c.plan(ctx, s, spec)
	if err != nil {
		return nil, err
	}
	in, err := c.create(ctx, s, p)
	if err != nil {
		return nil, err
	}
	return []deltacloud.Instance{*in}, nil
}

// plan checks a spec and resolves the template, pool, folder, datastore
// and network; it makes nothing.
func (c *conn) plan(ctx context.Context, s *state, spec deltacloud.InstanceSpec) (createPlan, error) {
	p := createPlan{imageID: spec.ImageID, name: spec.Name, userData: spec.UserData}
	if len(spec.Name) > maxNameLen {
		return p, invalid("name is %d bytes long; at most %d", len(spec.Name), maxNameLen)
	}
	if len(spec.UserData) > c.opts.maxUserData {
		return p, invalid("user data is %d bytes long; at most %d", len(spec.UserData), c.opts.maxUserData)
	}
	var err error
	if p.size, err = c.sizingOf(spec); err != nil {
		return p, err
	}
	if _, err := c.image(ctx, s, spec.ImageID); err != nil {
		return p, err
	}
	tref, _ := ref("VirtualMachine", spec.ImageID)
	p.template = object.NewVirtualMachine(s.c, tref)
	if p.pool, err = c.poolFor(ctx, s, spec.RealmID); err != nil {
		return p, err
	}
	p.folder = s.folders.VmFolder
	if c.opts.folder != "" {
		if p.folder, err = s.finder.Folder(ctx, c.opts.folder); err != nil {
			return p, notFoundAs(err, "folder", c.opts.folder)
		}
	}
	if c.opts.datastore != "" {
		ds, err := s.finder.Datastore(ctx, c.opts.datastore)
		if err != nil {
			return p, notFoundAs(err, "datastore", c.opts.datastore)
		}
		r := ds.Reference()
		p.store = &r
	}
	if c.opts.network != "" {
		if p.nic, err = c.nicChange(ctx, s, p.template); err != nil {
			return p, err
		}
	}
	suffix, err := randomHex(4)
	if err != nil {
		return p, &deltacloud.Error{Code: deltacloud.Backend, Message: "vsphere: cannot make a name", Err: err}
	}
	p.vmName = baseName(spec.Name) + "-" + suffix
	if spec.Name == "" && !spec.NameSet {
		p.name = p.vmName
	}
	return p, nil
}

// poolFor resolves a realm to its resource pool; no realm means the
// resource_pool option's, or the first realm's.
func (c *conn) poolFor(ctx context.Context, s *state, realm string) (types.ManagedObjectReference, error) {
	if realm == "" && c.opts.resourcePool != "" {
		rp, err := s.finder.ResourcePool(ctx, c.opts.resourcePool)
		if err != nil {
			return types.ManagedObjectReference{}, notFoundAs(err, "resource pool", c.opts.resourcePool)
		}
		return rp.Reference(), nil
	}
	pools, err := c.pools(ctx, s)
	if err != nil {
		return types.ManagedObjectReference{}, err
	}
	for _, p := range pools {
		if realm == "" || p.ref.Value == realm {
			return p.ref, nil
		}
	}
	if realm == "" {
		return types.ManagedObjectReference{}, deltacloud.Errorf(deltacloud.NotFound, "vsphere: the datacenter has no resource pool")
	}
	return types.ManagedObjectReference{}, invalid("realm %q does not exist", realm)
}

// nicChange moves the template's first network adapter to the network
// option's network.
func (c *conn) nicChange(ctx context.Context, s *state, template *object.VirtualMachine) ([]types.BaseVirtualDeviceConfigSpec, error) {
	netRef, err := s.finder.Network(ctx, c.opts.network)
	if err != nil {
		return nil, notFoundAs(err, "network", c.opts.network)
	}
	backing, err := netRef.EthernetCardBackingInfo(ctx)
	if err != nil {
		return nil, c.fail(s, err)
	}
	devices, err := template.Device(ctx)
	if err != nil {
		return nil, c.fail(s, err)
	}
	cards := devices.SelectByType((*types.VirtualEthernetCard)(nil))
	if len(cards) == 0 {
		return nil, invalid("the template has no network adapter to connect to network %q", c.opts.network)
	}
	card := cards[0].(types.BaseVirtualEthernetCard).GetVirtualEthernetCard()
	card.Backing = backing
	return []types.BaseVirtualDeviceConfigSpec{&types.VirtualDeviceConfigSpec{
		Operation: types.VirtualDeviceConfigSpecOperationEdit, Device: cards[0],
	}}, nil
}

// made is what a create has made so far, for its clean-up.
type made struct {
	vm *types.ManagedObjectReference
	// task is the clone task while the VM is not known yet.
	task *object.Task
	// lost is set when the clone request's answer never came: the clone
	// may exist under the plan's name.
	lost bool
}

// create runs the steps of a plan, and undoes them on failure.
func (c *conn) create(ctx context.Context, s *state, p createPlan) (*deltacloud.Instance, error) {
	var m made
	in, err := c.build(ctx, s, p, &m)
	if err != nil {
		return nil, c.cleanUp(ctx, s, p, m, err)
	}
	return in, nil
}

// cleanUp removes what a failed create made and returns the create's
// error, with the clean-up's failure if it failed. The clean-up runs in the
// background, tracked for Close, so a cancelled caller returns at once.
func (c *conn) cleanUp(ctx context.Context, s *state, p createPlan, m made, err error) error {
	if m.vm == nil && m.task == nil && !m.lost {
		return err // nothing was made
	}
	done := c.undoLater(ctx, func(cctx context.Context) error { return c.undo(cctx, s, p, m) })
	select {
	case cerr := <-done:
		if cerr != nil {
			err = withCleanupError(err, cerr)
		}
	case <-ctx.Done():
	}
	return err
}

// undoLater runs undo in the background with a context that outlives ctx,
// bounded by cleanupTimeout; Close waits for it. The channel receives its
// result.
func (c *conn) undoLater(ctx context.Context, undo func(context.Context) error) <-chan error {
	done := make(chan error, 1)
	c.cleanups.Add(1)
	go func() {
		defer c.cleanups.Done()
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		done <- undo(cctx)
	}()
	return done
}

// undoTask waits in the background for a task whose wait was abandoned,
// and undoes what it made (its result) if it succeeded.
func (c *conn) undoTask(ctx context.Context, task *object.Task, undo func(ctx context.Context, result types.AnyType) error) {
	c.undoLater(ctx, func(cctx context.Context) error {
		info, err := task.WaitForResult(cctx)
		if err != nil {
			return nil // it failed: nothing was made
		}
		return undo(cctx, info.Result)
	})
}

// withCleanupError adds the failure of a clean-up to the create's error,
// keeping the create's code: a VM left behind is never silent.
func withCleanupError(err, cerr error) error {
	cause := fmt.Errorf("cleaning up after the failed create: %w", cerr)
	var e *deltacloud.Error
	if !errors.As(err, &e) {
		return errors.Join(err, cause)
	}
	out := *e
	if out.Err == nil {
		out.Err = cause
	} else {
		out.Err = errors.Join(e.Err, cause)
	}
	return &out
}

// stepHook, when tests set it, runs before each step of a create and can
// fail it or cancel the create's context.
var stepHook atomic.Pointer[func(ctx context.Context, step string) error]

// step runs the test hook of a step, if any.
func (c *conn) step(ctx context.Context, name string) error {
	if h := stepHook.Load(); h != nil {
		return (*h)(ctx, name)
	}
	return nil
}

// build clones, marks, sizes and powers on.
func (c *conn) build(ctx context.Context, s *state, p createPlan, m *made) (*deltacloud.Instance, error) {
	if err := c.ensureFields(ctx, s); err != nil {
		return nil, err
	}
	if err := c.step(ctx, stepClone); err != nil {
		return nil, err
	}
	vmRef, err := c.clone(ctx, s, p, types.VirtualMachineCloneSpec{
		Location: types.VirtualMachineRelocateSpec{Pool: &p.pool, Datastore: p.store},
	}, m)
	if err != nil {
		return nil, err
	}
	vm := object.NewVirtualMachine(s.c, vmRef)

	if err := c.step(ctx, stepFields); err != nil {
		return nil, err
	}
	if err := c.setFields(ctx, s, vmRef, p.name, p.imageID); err != nil {
		return nil, err
	}
	if err := c.step(ctx, stepReconfigure); err != nil {
		return nil, err
	}
	spec := types.VirtualMachineConfigSpec{NumCPUs: p.size.cpu, MemoryMB: p.size.memoryMiB, DeviceChange: p.nic}
	if len(p.userData) > 0 {
		spec.ExtraConfig = []types.BaseOptionValue{
			&types.OptionValue{Key: "guestinfo.userdata", Value: base64.StdEncoding.EncodeToString(p.userData)},
			&types.OptionValue{Key: "guestinfo.userdata.encoding", Value: "base64"},
		}
	}
	if spec.NumCPUs != 0 || spec.MemoryMB != 0 || len(spec.DeviceChange) > 0 || len(spec.ExtraConfig) > 0 {
		if err := c.wait(ctx, s, func() (*object.Task, error) { return vm.Reconfigure(ctx, spec) }); err != nil {
			return nil, err
		}
	}
	if err := c.step(ctx, stepPowerOn); err != nil {
		return nil, err
	}
	if err := c.wait(ctx, s, func() (*object.Task, error) { return vm.PowerOn(ctx) }); err != nil {
		return nil, err
	}
	return c.instance(ctx, s, vmRef.Value)
}

// clone clones p.template as p.vmName into p.folder and waits for the
// task, keeping in m what may exist for the clean-up.
func (c *conn) clone(ctx context.Context, s *state, p createPlan, spec types.VirtualMachineCloneSpec, m *made) (types.ManagedObjectReference, error) {
	var none types.ManagedObjectReference
	task, err := p.template.Clone(ctx, p.folder, p.vmName, spec)
	if err != nil {
		// Without a fault the request may have reached vCenter.
		m.lost = !soapFault(err)
		return none, c.fail(s, err)
	}
	m.task = task
	info, err := task.WaitForResult(ctx)
	if err != nil {
		if info != nil && info.State == types.TaskInfoStateError {
			m.task = nil // the clone failed: vCenter made nothing
		}
		return none, c.fail(s, err)
	}
	r, ok := info.Result.(types.ManagedObjectReference)
	if !ok {
		return none, deltacloud.Errorf(deltacloud.Backend, "vsphere: the clone task returned no VM")
	}
	m.vm, m.task = &r, nil
	return r, nil
}

// wait starts a task and waits for it with ctx.
func (c *conn) wait(ctx context.Context, s *state, start func() (*object.Task, error)) error {
	task, err := start()
	if err != nil {
		return c.fail(s, err)
	}
	if _, err := task.WaitForResult(ctx); err != nil {
		return c.fail(s, err)
	}
	return nil
}

// undo removes what a failed create made: the VM, once the clone task that
// makes it is over.
func (c *conn) undo(ctx context.Context, s *state, p createPlan, m made) error {
	if m.vm == nil && m.task != nil {
		info, err := m.task.WaitForResult(ctx)
		if err != nil {
			if info != nil && info.State == types.TaskInfoStateError {
				return nil // the clone failed: nothing was made
			}
			return c.fail(s, err)
		}
		if r, ok := info.Result.(types.ManagedObjectReference); ok {
			m.vm = &r
		}
	}
	if m.vm == nil && m.lost {
		r, err := c.findLostClone(ctx, s, p)
		if err != nil || r == nil {
			return err
		}
		m.vm = r
	}
	if m.vm == nil {
		return nil
	}
	return c.destroyVM(ctx, s, object.NewVirtualMachine(s.c, *m.vm))
}

// findLostClone waits for the template's clone tasks to end, then looks
// for a VM of the plan's unique name in its folder.
func (c *conn) findLostClone(ctx context.Context, s *state, p createPlan) (*types.ManagedObjectReference, error) {
	var tmpl mo.VirtualMachine
	if err := c.retrieveOne(ctx, s, p.template.Reference(), []string{"recentTask"}, &tmpl); err != nil {
		return nil, err
	}
	for _, t := range tmpl.RecentTask {
		var task mo.Task
		if err := c.retrieveOne(ctx, s, t, []string{"info"}, &task); err != nil {
			continue // finished and gone
		}
		if !strings.HasPrefix(task.Info.Name, "CloneVM") {
			continue
		}
		_, _ = object.NewTask(s.c, t).WaitForResult(ctx)
	}
	found, err := object.NewSearchIndex(s.c).FindChild(ctx, p.folder, p.vmName)
	if err != nil {
		return nil, c.fail(s, err)
	}
	if found == nil {
		return nil, nil
	}
	r := found.Reference()
	return &r, nil
}

// soapFault reports whether err is an answer of vCenter (a fault), not a
// failure to get one.
func soapFault(err error) bool {
	code, name, _ := classify(err)
	return name != "" && code != deltacloud.CodeUnknown
}

// baseName turns a user's name into the start of a VM name: letters,
// digits, '-', '_' and '.', at most 60 characters.
func baseName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if b.Len() >= 60 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-.")
	if s == "" {
		return "deltacloud"
	}
	return s
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
