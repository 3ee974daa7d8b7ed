package openstacktest

import "net/http"

// cinder is the fake's block storage.
type cinder struct {
	c *Cloud
}

func newCinder(c *Cloud) *cinder { return &cinder{c: c} }

// detachAll detaches a deleted server's volumes; c.mu is held.
func (v *cinder) detachAll(server string) {}

func (v *cinder) serve(w http.ResponseWriter, r *http.Request, path string) {
	fault(w, http.StatusNotFound, "itemNotFound", "The resource could not be found.")
}

func (c *Cloud) serveAttachments(w http.ResponseWriter, r *http.Request, parts []string) {
	fault(w, http.StatusNotFound, "itemNotFound", "The resource could not be found.")
}
