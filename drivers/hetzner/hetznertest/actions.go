package hetznertest

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/hetznercloud/hcloud-go/v2/hcloud/schema"
)

// newAction starts an action on the resources; effect runs when it ends
// (ok false when it failed). The caller holds the lock.
func (s *Server) newAction(command string, effect func(ok bool), res ...schema.ActionResourceReference) *action {
	now := s.now()
	a := &action{
		a: schema.Action{ID: s.id(), Status: "running", Command: command, Started: now,
			Resources: slices.Clone(res)},
		due:    now.Add(s.actionDelay),
		effect: effect,
	}
	if a.a.Resources == nil {
		a.a.Resources = []schema.ActionResourceReference{}
	}
	if s.actionFaults[command] > 0 {
		s.actionFaults[command]--
		a.fail = true
	}
	s.actions[a.a.ID] = a
	if s.actionDelay <= 0 {
		s.finish(a)
	}
	return a
}

// advance ends every action whose time has come, in the order they
// started. The caller holds the lock.
func (s *Server) advance() {
	now := s.now()
	for _, id := range sortedIDs(s.actions) {
		a := s.actions[id]
		if a.a.Status == "running" && !now.Before(a.due) {
			s.finish(a)
		}
	}
}

// finish ends an action.
func (s *Server) finish(a *action) {
	now := s.now()
	a.a.Finished = &now
	a.a.Progress = 100
	if a.fail {
		a.a.Status = "error"
		a.a.Error = &schema.ActionError{Code: "action_failed", Message: "hetznertest: injected failure of " + a.a.Command}
	} else {
		a.a.Status = "success"
	}
	if a.effect != nil {
		a.effect(!a.fail)
	}
}

// EndActions ends every running action now, in the order they started, as
// if its time had come. With a long action delay, tests end actions when
// they choose.
func (s *Server) EndActions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range sortedIDs(s.actions) {
		if a := s.actions[id]; a.a.Status == "running" {
			s.finish(a)
		}
	}
}

// running reports whether a resource has an action still running.
func (s *Server) running(typ string, id int64) bool {
	for _, a := range s.actions {
		if a.a.Status != "running" {
			continue
		}
		for _, r := range a.a.Resources {
			if r.Type == typ && r.ID == id {
				return true
			}
		}
	}
	return false
}

// locked refuses a new action on a resource with one running, as the API
// does.
func (s *Server) locked(typ string, id int64) *apiError {
	if s.running(typ, id) {
		return errf(http.StatusLocked, "locked", "%s %d is locked by a running action", typ, id)
	}
	return nil
}

func ref(typ string, id int64) schema.ActionResourceReference {
	return schema.ActionResourceReference{Type: typ, ID: id}
}

func (s *Server) listActions(r *http.Request) (int, any, *apiError) {
	q := r.URL.Query()
	var out []schema.Action
	for _, v := range q["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, nil, errf(http.StatusBadRequest, "invalid_input", "invalid action id %q", v)
		}
		if a, ok := s.actions[id]; ok {
			out = append(out, a.a)
		}
	}
	if len(q["id"]) == 0 {
		return 0, nil, errf(http.StatusBadRequest, "invalid_input", "the id parameter is required")
	}
	slices.SortFunc(out, func(a, b schema.Action) int { return int(a.ID - b.ID) })
	if out == nil {
		out = []schema.Action{}
	}
	items, meta, e := page(r, out)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, struct {
		schema.ActionListResponse
		schema.MetaResponse
	}{schema.ActionListResponse{Actions: items}, schema.MetaResponse{Meta: meta}}, nil
}

func (s *Server) getAction(r *http.Request) (int, any, *apiError) {
	a, e := byID(r, s.actions, "action", "action")
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, schema.ActionGetResponse{Action: a.a}, nil
}

// Action returns an action as the API shows it, and whether it exists.
func (s *Server) Action(id int64) (schema.Action, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance()
	a, ok := s.actions[id]
	if !ok {
		return schema.Action{}, false
	}
	return a.a, true
}

// Commands lists the commands of the actions started so far, in order
// ("create_server", "shutdown_server", "stop_server", …).
func (s *Server) Commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, id := range sortedIDs(s.actions) {
		out = append(out, s.actions[id].a.Command)
	}
	return out
}
