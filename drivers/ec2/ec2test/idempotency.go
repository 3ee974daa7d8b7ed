package ec2test

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// launch is what the fake remembers of a RunInstances call made with a
// client token: its reservation, and its parameters, which a repeat of the
// token must match (EC2's IdempotentParameterMismatch otherwise).
type launch struct {
	reservation string
	params      string
}

// launchParams is a RunInstances request's parameters but those that do
// not describe the launch (action, version, token, dry run), in one
// comparable string.
func launchParams(r *http.Request) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(r.Form)) {
		switch k {
		case "Action", "Version", "ClientToken", "DryRun":
			continue
		}
		for _, v := range r.Form[k] {
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(v)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// dryRun reports whether the request asks EC2 only to check it.
func dryRun(r *http.Request) bool { return r.Form.Get("DryRun") == "true" }

// errDryRun is EC2's answer to a request with DryRun set that would have
// succeeded: an error document with code DryRunOperation and HTTP 412.
func errDryRun() *apiError {
	return errf(http.StatusPreconditionFailed, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.")
}
