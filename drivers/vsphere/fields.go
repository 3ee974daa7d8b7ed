package vsphere

import (
	"context"
	"sync"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/deltacloud-go/deltacloud"
)

// The custom attributes (custom fields) the driver reads and writes on the
// VMs it creates.
const (
	// FieldOwner marks the VMs a provider manages; its value is the owner
	// option.
	FieldOwner = "deltacloud-owner"
	// FieldName keeps the instance name the user asked for.
	FieldName = "deltacloud-name"
	// FieldImage keeps the template an instance was cloned from.
	FieldImage = "deltacloud-image"
)

// fieldKey is the key of one of the driver's custom attributes; not ok
// when vCenter does not have the attribute yet (no VM can carry it then).
type fieldKey struct {
	key int32
	ok  bool
}

// fieldKeys are the keys of the driver's custom attributes.
type fieldKeys struct {
	mu                 sync.Mutex
	owner, name, image fieldKey
}

// get returns the keys.
func (f *fieldKeys) get() (owner, name, image fieldKey) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.owner, f.name, f.image
}

// findFields reads the keys of the attributes that exist.
func findFields(ctx context.Context, vc *vim25.Client) (*fieldKeys, error) {
	defs, err := object.NewCustomFieldsManager(vc).Field(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	f := &fieldKeys{}
	for _, d := range defs {
		if d.ManagedObjectType != "" && d.ManagedObjectType != "VirtualMachine" {
			continue
		}
		switch d.Name {
		case FieldOwner:
			f.owner = fieldKey{d.Key, true}
		case FieldName:
			f.name = fieldKey{d.Key, true}
		case FieldImage:
			f.image = fieldKey{d.Key, true}
		}
	}
	return f, nil
}

// ensureFields creates the attributes that do not exist yet, for a create.
func (c *conn) ensureFields(ctx context.Context, s *state) error {
	s.fields.mu.Lock()
	defer s.fields.mu.Unlock()
	m := object.NewCustomFieldsManager(s.c)
	for _, f := range []struct {
		name string
		key  *fieldKey
	}{{FieldOwner, &s.fields.owner}, {FieldName, &s.fields.name}, {FieldImage, &s.fields.image}} {
		if f.key.ok {
			continue
		}
		def, err := m.Add(ctx, f.name, "VirtualMachine", nil, nil)
		if isFault(err, &types.DuplicateName{}) {
			// Another client made it meanwhile.
			key, ferr := m.FindKey(ctx, f.name)
			if ferr != nil {
				return c.fail(s, ferr)
			}
			*f.key = fieldKey{key, true}
			continue
		}
		if err != nil {
			return c.fail(s, err)
		}
		*f.key = fieldKey{def.Key, true}
	}
	return nil
}

// setFields writes the driver's attributes on a new VM.
func (c *conn) setFields(ctx context.Context, s *state, vm types.ManagedObjectReference, name, image string) error {
	owner, nameKey, imageKey := s.fields.get()
	if !owner.ok || !nameKey.ok || !imageKey.ok {
		return deltacloud.Errorf(deltacloud.Backend, "vsphere: the driver's custom attributes are missing")
	}
	m := object.NewCustomFieldsManager(s.c)
	for _, kv := range []struct {
		key   fieldKey
		value string
	}{{owner, c.opts.owner}, {nameKey, name}, {imageKey, image}} {
		if err := m.Set(ctx, vm, kv.key.key, kv.value); err != nil {
			return c.fail(s, err)
		}
	}
	return nil
}

// fieldValue returns the value of the attribute key in a VM's custom
// values.
func fieldValue(values []types.BaseCustomFieldValue, key fieldKey) (string, bool) {
	if !key.ok {
		return "", false
	}
	for _, v := range values {
		if sv, ok := v.(*types.CustomFieldStringValue); ok && sv.Key == key.key {
			return sv.Value, true
		}
	}
	return "", false
}
