package vsphere

import (
	"context"
	"regexp"

	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/types"
)

// retrieve reads properties of every object of the kinds below root, in
// one container view made and destroyed for the call.
func (c *conn) retrieve(ctx context.Context, s *state, root types.ManagedObjectReference, kinds, props []string, dst any) error {
	v, err := view.NewManager(s.c).CreateContainerView(ctx, root, kinds, true)
	if err != nil {
		return c.fail(s, err)
	}
	defer func() {
		// The view is the session's; a cancelled call still removes it.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), logoutTimeout)
		defer cancel()
		_ = v.Destroy(dctx)
	}()
	if err := v.Retrieve(ctx, kinds, props, dst); err != nil {
		return c.fail(s, err)
	}
	return nil
}

// retrieveOne reads properties of one object; an object vCenter does not
// know is ErrNotFound.
func (c *conn) retrieveOne(ctx context.Context, s *state, ref types.ManagedObjectReference, props []string, dst any) error {
	if err := property.DefaultCollector(s.c).RetrieveOne(ctx, ref, props, dst); err != nil {
		return c.fail(s, err)
	}
	return nil
}

// morefRE is the shape of a managed object id ("vm-42", "resgroup-8").
var morefRE = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,80}$`)

// ref makes the reference of an object of kind from an id a user gave, or
// reports that the id cannot be one.
func ref(kind, id string) (types.ManagedObjectReference, bool) {
	return types.ManagedObjectReference{Type: kind, Value: id}, morefRE.MatchString(id)
}
