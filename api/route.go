package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// route dispatches a request on the path segments after /api.
func (q *request) route(method string, rest []string) {
	switch {
	case len(rest) == 0:
		q.entryPoint(method)
		return
	case rest[0] == "docs":
		q.docs(rest[1:])
		return
	case rest[0] == openAPIPath && len(rest) == 1:
		q.openAPI(method)
		return
	}
	c := deltacloud.Collection(rest[0])
	if !documented(c) {
		q.format = formatXML
		q.fail(&deltacloud.Error{Code: deltacloud.NotFound, Message: "Not Found"})
		return
	}
	if method == http.MethodOptions {
		q.options(c, rest[1:])
		return
	}
	// HTML-only helper pages of the browsable UI.
	if c == deltacloud.CollectionInstances && len(rest) == 2 && rest[1] == "new" && method == http.MethodGet {
		q.newInstancePage()
		return
	}
	op, id, sub, allowed := match(c, method, rest[1:])
	if op == nil {
		if len(allowed) > 0 {
			q.w.Header().Set("Allow", strings.Join(allowed, ","))
			q.format = formatXML
			q.fail(&deltacloud.Error{Code: deltacloud.InvalidState, Message: "Method Not Allowed"})
			return
		}
		q.format = formatXML
		q.fail(&deltacloud.Error{Code: deltacloud.NotFound, Message: "Not Found"})
		return
	}
	q.op, q.id, q.sub = op, id, sub
	if op.Raw {
		q.format = formatXML // for errors; the content itself is not negotiated
	} else if !q.negotiate(op.formats()) {
		return
	}
	if missing, err := q.missingCapability(op); err != nil {
		q.fail(err)
		return
	} else if missing {
		q.capabilityMissing(op.Capability)
		return
	}
	// A streamed upload's form fields are read by its handler.
	if !q.streaming {
		for _, p := range op.Params {
			if !p.Required || p.Name == "id" || p.Name == op.Sub {
				continue
			}
			if _, sent := q.params[p.Name]; p.Present && sent || q.params.Get(p.Name) != "" {
				continue
			}
			q.missingParam(p.Name)
			return
		}
	}
	if method == http.MethodHead && op.Method != http.MethodHead {
		q.write(http.StatusOK, q.format, nil)
		return
	}
	if err := op.handle(q); err != nil {
		q.fail(err)
	}
}

// missingParam answers a missing required parameter as Rabbit does: 400
// with a plain-text message listing the parameters sent.
func (q *request) missingParam(name string) {
	q.plain(http.StatusBadRequest, fmt.Sprintf("Required parameter '%s' not found in [%s]", name, strings.Join(paramNames(q.params), ", ")))
}

// missingCapability reports whether the provider lacks op: an operation
// without a handler, one of an optional collection the provider does not
// serve, or image creation or destruction where the driver cannot. It
// opens the provider without demanding credentials, so that 412 comes
// before 401 as in the original.
func (q *request) missingCapability(op *operation) (bool, error) {
	if op.handle == nil {
		return true, nil
	}
	if !op.providerDependent() {
		return false, nil
	}
	p, err := q.openAny()
	if err != nil {
		return false, err
	}
	return !op.servedBy(p), nil
}

// imageOp reports whether op creates or destroys images, which exist where
// the driver supports them.
func (op *operation) imageOp() bool {
	c := deltacloud.Capability(op.Capability)
	return c == deltacloud.CapabilityCreateImage || c == deltacloud.CapabilityDestroyImage
}

// providerDependent reports whether op exists only where the provider says
// so: the operations of the optional collections and image creation and
// destruction.
func (op *operation) providerDependent() bool {
	return optionalCollection(op.Collection) || op.imageOp()
}

// servedBy reports whether p serves op (else it answers 412): the same
// answer for the routing and for the OpenAPI document.
func (op *operation) servedBy(p *deltacloud.Provider) bool {
	switch {
	case op.handle == nil:
		return false
	case op.imageOp():
		return p.Supports(deltacloud.Capability(op.Capability))
	case optionalCollection(op.Collection):
		return slices.Contains(p.Collections(), op.Collection)
	}
	return true
}

// capabilityMissing answers 412 with Expect, as the original's Rabbit does.
func (q *request) capabilityMissing(capability string) {
	q.w.Header().Set("Expect", capability)
	q.plain(http.StatusPreconditionFailed, "The required capability to execute this operation is missing")
}

// options answers OPTIONS: the methods of a collection, or the parameters
// of one operation ("name:type:required|optional").
func (q *request) options(c deltacloud.Collection, rest []string) {
	var allow []string
	if len(rest) == 0 {
		for _, op := range collectionOps(c) {
			if !slices.Contains(allow, op.Method) {
				allow = append(allow, op.Method)
			}
		}
		allow = append([]string{http.MethodOptions}, allow...)
	} else {
		name := rest[len(rest)-1]
		for _, op := range collectionOps(c) {
			if op.Name == name {
				for _, p := range op.Params {
					allow = append(allow, paramSignature(p))
				}
			}
		}
	}
	q.setCommonHeaders()
	q.w.Header().Set("Allow", strings.Join(allow, ","))
	q.w.WriteHeader(http.StatusOK)
	q.wrote = true
}

// paramSignature is the original's "name:type:required|optional".
func paramSignature(p param) string {
	req := "optional"
	if p.Required {
		req = "required"
	}
	return p.Name + ":" + p.Type + ":" + req
}

func paramNames(v map[string][]string) []string {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
