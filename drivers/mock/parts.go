package mock

import "github.com/deltacloud-go/deltacloud"

// parts hands out the small slices and pointers of rendered instances from
// a few shared arrays. A listing of 1,000 instances used to spend most of
// its time allocating them one by one and collecting them again; every
// part handed out is still the caller's own (no two instances share one,
// and each slice's capacity ends where it does, so an append copies).
//
// The arrays are made zero and filled field by field: copying whole
// structs into them costs the garbage collector's write barriers on every
// field while it runs, which it does often during large listings.
type parts struct {
	addrs  []deltacloud.Address
	auths  []deltacloud.Authentication
	acts   []deltacloud.Action
	na, nu int // addrs and auths handed out
}

// newParts makes room for the parts of n instances.
func newParts(n int) *parts {
	return &parts{
		addrs: make([]deltacloud.Address, 2*n),
		auths: make([]deltacloud.Authentication, n),
		acts:  make([]deltacloud.Action, 0, 3*n),
	}
}

// address returns a one-element slice holding the address.
func (p *parts) address(value string, typ deltacloud.AddressType) []deltacloud.Address {
	if p.na == len(p.addrs) {
		p.addrs, p.na = make([]deltacloud.Address, max(8, len(p.addrs))), 0
	}
	a := &p.addrs[p.na]
	a.Value, a.Type = value, typ
	p.na++
	return p.addrs[p.na-1 : p.na : p.na]
}

// keyAuthentication returns a pointer to key authentication with keyName.
func (p *parts) keyAuthentication(keyName string) *deltacloud.Authentication {
	if p.nu == len(p.auths) {
		p.auths, p.nu = make([]deltacloud.Authentication, max(8, len(p.auths))), 0
	}
	a := &p.auths[p.nu]
	a.Method, a.KeyName = "key", keyName
	p.nu++
	return a
}

// actions returns the actions the mock allows in s, nil when there are none.
func (p *parts) actions(s deltacloud.State) []deltacloud.Action {
	as := stateActions[s]
	if len(as) == 0 {
		return nil
	}
	start := len(p.acts)
	p.acts = append(p.acts, as...)
	return p.acts[start:len(p.acts):len(p.acts)]
}

// stateActions are the mock lifecycle's actions by state, made once.
var stateActions = func() map[deltacloud.State][]deltacloud.Action {
	m := map[deltacloud.State][]deltacloud.Action{}
	for _, s := range lifecycle.States() {
		m[s] = lifecycle.Actions(s)
	}
	return m
}()
