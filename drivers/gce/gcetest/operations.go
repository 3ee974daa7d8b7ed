package gcetest

import (
	"net/http"
	"strconv"
	"time"

	"google.golang.org/api/compute/v1"
)

// maxWait is how long operations.wait blocks before answering a running
// operation, as Compute answers after about two minutes.
const maxWait = 2 * time.Second

// opFailure is an operation's error: a Compute error code and message.
type opFailure struct{ code, message string }

// startOp registers an operation on target that runs finish (under the
// lock) when it ends; finish may return a failure. Called with s.mu held.
func (s *Server) startOp(scope, kind, target string, finish func() *opFailure) *compute.Operation {
	s.seq++
	name := "operation-" + strconv.Itoa(s.seq)
	op := &compute.Operation{
		Kind: "compute#operation", Name: name, Id: uint64(s.seq), OperationType: kind, Status: "RUNNING",
		TargetLink: target, InsertTime: time.Now().UTC().Format(time.RFC3339), Progress: 0,
	}
	switch {
	case scope == "global":
		op.SelfLink = s.globalURL() + "/operations/" + name
	case isZone(scope):
		op.Zone = s.zoneURL(scope)
		op.SelfLink = op.Zone + "/operations/" + name
	default:
		op.Region = s.regionURL(scope)
		op.SelfLink = op.Region + "/operations/" + name
	}
	o := &operation{op: op, done: make(chan struct{})}
	s.operations[name] = o
	end := func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if f := finish(); f != nil {
			o.op.Error = &compute.OperationError{Errors: []*compute.OperationErrorErrors{{Code: f.code, Message: f.message}}}
			o.op.HttpErrorStatusCode = 400
			o.op.HttpErrorMessage = "BAD REQUEST"
		}
		o.op.Status, o.op.Progress = "DONE", 100
		o.op.EndTime = time.Now().UTC().Format(time.RFC3339)
		close(o.done)
	}
	if held, delay := s.held, s.opDelay; held != nil {
		go func() { <-held; time.AfterFunc(delay, end) }()
	} else {
		time.AfterFunc(delay, end)
	}
	return clone(op)
}

func isZone(scope string) bool {
	if scope == OtherZone {
		return true
	}
	for _, z := range Zones {
		if z == scope {
			return true
		}
	}
	return false
}

// waitOperation is operations.wait: it answers once the operation is done,
// or after maxWait with it still running.
func (s *Server) waitOperation(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	o := s.operations[r.PathValue("op")]
	s.mu.Unlock()
	if o == nil {
		notFound(w, "operations/"+r.PathValue("op"))
		return
	}
	select {
	case <-o.done:
	case <-time.After(maxWait):
	case <-r.Context().Done():
		return
	}
	s.mu.Lock()
	op := clone(o.op)
	s.mu.Unlock()
	writeJSON(w, op)
}

func (s *Server) getOperation(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.operations[r.PathValue("op")]
	if o == nil {
		notFound(w, "operations/"+r.PathValue("op"))
		return
	}
	writeJSON(w, clone(o.op))
}
