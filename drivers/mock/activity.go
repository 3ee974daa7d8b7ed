package mock

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// Bounds on how many instances the simulated activity keeps, so a demo never
// empties the cloud or grows it without end.
const (
	activityMin = 3
	activityMax = 8
)

// startActivity starts simulating other users of the cloud: every interval,
// one random instance of mockuser is stopped, started, rebooted or destroyed,
// or a new one is created. It runs until the cloud's last provider closes;
// a second call while it runs does nothing.
func (c *Cloud) startActivity(every time.Duration, seed uint64, seeded bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopActivity != nil {
		return
	}
	if !seeded {
		seed = uint64(time.Now().UnixNano())
	}
	rng := rand.New(rand.NewPCG(seed, seed>>1|1))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	c.stopActivity, c.activityDone = cancel, done
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				c.simulate(rng)
			}
		}
	}()
}

func (c *Cloud) stopActivityLoop() {
	c.mu.Lock()
	stop, done := c.stopActivity, c.activityDone
	c.stopActivity, c.activityDone = nil, nil
	c.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}

// simulate makes one random change. Errors (a full disk under a storage
// directory) are dropped: the activity is a demo aid, and the next tick tries
// again.
func (c *Cloud) simulate(rng *rand.Rand) {
	ins, err := c.list(User, deltacloud.InstanceFilter{})
	if err != nil {
		return
	}
	if len(ins) < activityMax && (len(ins) < activityMin || rng.IntN(6) == 0) {
		img := fixtureImageIDs[rng.IntN(len(fixtureImageIDs))]
		c.create(User, deltacloud.InstanceSpec{ImageID: img, Count: 1})
		return
	}
	in := ins[rng.IntN(len(ins))]
	actions := lifecycle.Actions(in.State)
	if len(actions) == 0 {
		return
	}
	a := actions[rng.IntN(len(actions))]
	if a == deltacloud.ActionDestroy && len(ins) <= activityMin {
		a = deltacloud.ActionStart
	}
	c.act(in.ID, a)
}
