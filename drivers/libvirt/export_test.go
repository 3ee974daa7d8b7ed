package libvirt

import (
	"context"
	"net"
	"sync"

	"github.com/deltacloud-go/deltacloud"
)

// CreateSteps are the steps of a create, in order, for failure injection.
var CreateSteps = []string{stepImage, stepOverlay, stepSeed, stepDefine, stepStart}

// Hooks are test hooks of a provider opened with OpenHooked.
type Hooks struct {
	// Step is called before each create step; an error fails the step.
	Step func(ctx context.Context, step string) error
	// WrapConn wraps the connection to the daemon.
	WrapConn func(net.Conn) net.Conn
}

var hooked struct {
	mu    sync.Mutex
	hooks Hooks
}

// hookedDriver is the driver with the hooks of the OpenHooked call under
// way.
type hookedDriver struct{ driver }

func (hookedDriver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	cn, err := driver{}.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	c := cn.(*conn)
	c.step, c.wrapConn = hooked.hooks.Step, hooked.hooks.WrapConn
	return c, nil
}

func init() { deltacloud.Register("libvirt-hooked", hookedDriver{}) }

// OpenHooked opens a libvirt provider with test hooks.
func OpenHooked(ctx context.Context, cfg deltacloud.Config, h Hooks) (*deltacloud.Provider, error) {
	hooked.mu.Lock()
	defer hooked.mu.Unlock()
	hooked.hooks = h
	return deltacloud.Open(ctx, "libvirt-hooked", cfg)
}
