package vsphere

import "context"

// SetStepHook makes h run before each step of every create until restore
// is called.
func SetStepHook(h func(ctx context.Context, step string) error) (restore func()) {
	stepHook.Store(&h)
	return func() { stepHook.Store(nil) }
}

// Steps are the steps of a create, in order.
var Steps = []string{stepClone, stepFields, stepReconfigure, stepPowerOn}

// VMProps are the properties the driver reads of a VM.
var VMProps = vmProps
