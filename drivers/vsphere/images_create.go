package vsphere

import (
	"context"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/deltacloud-go/deltacloud"
)

// CreateImage clones an instance's VM to a template in the VM folder,
// named as asked (image_name; a taken name is ErrConflict) or after the
// instance, and marks it with the owner attribute so DestroyImage may
// delete it. A failure or cancellation removes the template again.
func (c *conn) CreateImage(ctx context.Context, spec deltacloud.ImageSpec) (*deltacloud.Image, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	vm, err := c.ownedVM(ctx, s, spec.InstanceID)
	if err != nil {
		return nil, err
	}
	if len(spec.Name) > maxNameLen {
		return nil, invalid("image name is %d bytes long; at most %d", len(spec.Name), maxNameLen)
	}
	p := createPlan{template: object.NewVirtualMachine(s.c, vm.Self), folder: s.folders.VmFolder, vmName: spec.Name}
	if c.opts.folder != "" {
		if p.folder, err = s.finder.Folder(ctx, c.opts.folder); err != nil {
			return nil, notFoundAs(err, "folder", c.opts.folder)
		}
	}
	if p.vmName == "" {
		suffix, err := randomHex(4)
		if err != nil {
			return nil, &deltacloud.Error{Code: deltacloud.Backend, Message: "vsphere: cannot make a name", Err: err}
		}
		p.vmName = baseName(c.instanceOf(s, vm).Name) + "-image-" + suffix
	}
	if err := c.ensureFields(ctx, s); err != nil {
		return nil, err
	}
	var m made
	img, err := c.makeTemplate(ctx, s, p, &m)
	if err != nil {
		return nil, c.cleanUp(ctx, s, p, m, err)
	}
	return img, nil
}

// makeTemplate clones to a template and marks it.
func (c *conn) makeTemplate(ctx context.Context, s *state, p createPlan, m *made) (*deltacloud.Image, error) {
	r, err := c.clone(ctx, s, p, types.VirtualMachineCloneSpec{Template: true}, m)
	if err != nil {
		return nil, err
	}
	owner, _, _ := s.fields.get()
	if err := object.NewCustomFieldsManager(s.c).Set(ctx, r, owner.key, c.opts.owner); err != nil {
		return nil, c.fail(s, err)
	}
	return c.image(ctx, s, r.Value)
}

// DestroyImage deletes a template the provider made (or any, with
// all_vms); another template is ErrForbidden.
func (c *conn) DestroyImage(ctx context.Context, id string) error {
	s, err := c.session(ctx)
	if err != nil {
		return err
	}
	vm, err := c.vm(ctx, s, id)
	if err != nil {
		return notFoundAs(err, "image", id)
	}
	if !isTemplate(vm) {
		return notFound("image", id)
	}
	owner, _, _ := s.fields.get()
	if v, _ := fieldValue(vm.CustomValue, owner); v != c.opts.owner && !c.opts.allVMs {
		return deltacloud.Errorf(deltacloud.Forbidden, "vsphere: template %s was not made by this provider (owner %q)", id, c.opts.owner)
	}
	return c.wait(ctx, s, func() (*object.Task, error) { return object.NewVirtualMachine(s.c, vm.Self).Destroy(ctx) })
}
