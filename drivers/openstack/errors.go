package openstack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/deltacloud-go/deltacloud"
)

// maxFaultBody bounds how much of an error body is parsed.
const maxFaultBody = 64 << 10

// Fault is what an OpenStack error body says: Nova and Cinder's
// {"itemNotFound": {"code": 404, "message": …}}, Neutron's
// {"NeutronError": {"type": …, "message": …}}, Keystone's
// {"error": {"title": …, "message": …}}, Glance's (webob's, to a client
// that accepts JSON, as gophercloud does) {"message": "…<br /><br />",
// "code": "404 Not Found", "title": "Not Found"}, Gnocchi's {"code": …,
// "title": …, "description": …}, or the plain text or HTML of Glance and
// Swift.
type Fault struct {
	// Kind is the fault's name: Nova's key ("itemNotFound",
	// "conflictingRequest"), Neutron's type ("SecurityGroupInUse"),
	// Keystone's or Gnocchi's title; empty for a plain-text body.
	Kind    string
	Message string
}

// ParseFault reads an error body of any OpenStack service. It never fails:
// a body it cannot read gives its first line, trimmed, as the message.
func ParseFault(body []byte) Fault {
	if len(body) > maxFaultBody {
		body = body[:maxFaultBody]
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) == nil {
		if f, ok := jsonFault(doc); ok {
			return f
		}
	}
	text := strings.TrimSpace(string(body))
	text = strings.TrimPrefix(text, "<html><h1>")
	if i := strings.IndexAny(text, "<\n"); i >= 0 {
		text = text[:i]
	}
	return Fault{Message: clip(text)}
}

// jsonFault reads the JSON forms of ParseFault; ok is false for a document
// of none of them.
func jsonFault(doc map[string]json.RawMessage) (f Fault, ok bool) {
	switch {
	case doc["description"] != nil && doc["title"] != nil:
		return gnocchiFault(doc), true
	case doc["title"] != nil && doc["message"] != nil:
		// Glance's (webob's) {"message": "…<br /><br />", "code": "404
		// Not Found", "title": "Not Found"}.
		var title, msg string
		if json.Unmarshal(doc["title"], &title) == nil && json.Unmarshal(doc["message"], &msg) == nil && title != "" {
			return Fault{Kind: title, Message: strings.TrimSpace(strings.ReplaceAll(msg, "<br />", ""))}, true
		}
	case len(doc) == 1:
		for k, raw := range doc {
			if k == "Errors" {
				return sloFault(raw), true
			}
			var inner struct {
				Type, Message, Title string
			}
			if json.Unmarshal(raw, &inner) != nil {
				return Fault{}, false
			}
			switch {
			case k == "NeutronError":
				return Fault{Kind: inner.Type, Message: inner.Message}, true
			case k == "error" && inner.Title != "":
				return Fault{Kind: inner.Title, Message: inner.Message}, true
			default:
				return Fault{Kind: k, Message: inner.Message}, true
			}
		}
	}
	return Fault{}, false
}

// clip bounds a fault's message to 200 bytes of valid UTF-8.
func clip(s string) string {
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "")
	}
	return s
}

// sloFault reads the errors of Swift's SLO middleware, {"Errors":
// [["/c/o", "404 Not Found"], …]}, as "/c/o: 404 Not Found; …".
func sloFault(raw json.RawMessage) Fault {
	var errs [][]string
	json.Unmarshal(raw, &errs)
	var parts []string
	for _, e := range errs {
		parts = append(parts, strings.Join(e, ": "))
	}
	return Fault{Message: clip(strings.Join(parts, "; "))}
}

// gnocchiFault reads Gnocchi's {"code": 404, "title": "Not Found",
// "description": …}, whose description is a string or an object with a
// cause ({"cause": "Argument value error", "detail": "start", "reason":
// …}).
func gnocchiFault(doc map[string]json.RawMessage) Fault {
	var f Fault
	json.Unmarshal(doc["title"], &f.Kind)
	if json.Unmarshal(doc["description"], &f.Message) != nil {
		var d struct {
			Cause  string          `json:"cause"`
			Detail json.RawMessage `json:"detail"`
			Reason string          `json:"reason"`
		}
		json.Unmarshal(doc["description"], &d)
		f.Message = d.Cause
		var detail string
		if json.Unmarshal(d.Detail, &detail) == nil && detail != "" {
			f.Message += ": " + detail
		}
		if d.Reason != "" {
			f.Message += ": " + d.Reason
		}
	}
	f.Message = clip(f.Message)
	return f
}

// CodeFor classifies an OpenStack error response by its status and fault.
// 409 is ErrConflict when the fault says something already exists (a key
// pair's name, a rule) and ErrInvalidState otherwise (a server's state or
// task, a group in use); 413 and 429 are ErrRateLimited, except a quota
// refusal without Retry-After, which is ErrForbidden like Nova's 403
// "Quota exceeded".
func CodeFor(status int, f Fault, retryAfter bool) deltacloud.Code {
	msg := strings.ToLower(f.Message)
	kind := strings.ToLower(f.Kind)
	switch status {
	case http.StatusBadRequest:
		if strings.Contains(kind, "notfound") {
			return deltacloud.NotFound
		}
		return deltacloud.InvalidArgument
	case http.StatusUnauthorized:
		return deltacloud.AuthFailure
	case http.StatusForbidden:
		return deltacloud.Forbidden
	case http.StatusNotFound:
		return deltacloud.NotFound
	case http.StatusMethodNotAllowed, http.StatusNotAcceptable:
		return deltacloud.NotSupported
	case http.StatusConflict:
		if strings.Contains(kind, "exists") || strings.Contains(msg, "already exists") || strings.Contains(kind, "duplicate") {
			return deltacloud.Conflict
		}
		return deltacloud.InvalidState
	case http.StatusRequestEntityTooLarge, http.StatusTooManyRequests:
		if !retryAfter && strings.Contains(msg, "quota") {
			return deltacloud.Forbidden
		}
		return deltacloud.RateLimited
	case http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		return deltacloud.Unavailable
	}
	switch {
	case status >= 500:
		return deltacloud.Backend
	case status >= 400:
		return deltacloud.InvalidArgument
	}
	return deltacloud.CodeUnknown
}

// RetryAfter reads a Retry-After header (seconds or an HTTP date); zero
// when absent or unreadable.
func RetryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 || n > 86400 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 && d < 24*time.Hour {
			return d
		}
	}
	return 0
}

// wrap turns a gophercloud error into a *deltacloud.Error that keeps it
// in Err. Context errors and classified errors pass unchanged.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var de *deltacloud.Error
	if errors.As(err, &de) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var re gophercloud.ErrUnexpectedResponseCode
	if errors.As(err, &re) {
		f := ParseFault(re.Body)
		retry := RetryAfter(re.ResponseHeader)
		code := CodeFor(re.Actual, f, retry > 0)
		msg := "openstack: HTTP " + strconv.Itoa(re.Actual)
		if f.Kind != "" {
			msg += " " + f.Kind
		}
		if f.Message != "" {
			msg += ": " + f.Message
		}
		out := &deltacloud.Error{Code: code, Message: msg, Err: err}
		if code == deltacloud.RateLimited {
			out.RetryAfter = retry
		}
		return out
	}
	var reauth gophercloud.ErrUnableToReauthenticate
	if errors.As(err, &reauth) {
		return &deltacloud.Error{Code: deltacloud.AuthFailure, Message: "openstack: the token could not be renewed", Err: err}
	}
	return &deltacloud.Error{Code: deltacloud.Backend, Message: "openstack: " + err.Error(), Err: err}
}

// stateOn400 classifies Cinder's and Nova's 400 about a volume's or
// snapshot's status ("Invalid volume: … status must be available …", Nova's
// "Invalid volume: volume … is already attached to instances: …") as
// ErrInvalidState; other errors go through wrap.
func stateOn400(err error, id string) error {
	var re gophercloud.ErrUnexpectedResponseCode
	if !errors.As(err, &re) || re.Actual != http.StatusBadRequest {
		return wrap(err)
	}
	msg := strings.ToLower(ParseFault(re.Body).Message)
	if !strings.Contains(msg, "status") && !strings.Contains(msg, "dependent snapshots") && !strings.Contains(msg, "already attached") {
		return wrap(err)
	}
	de, ok := wrap(err).(*deltacloud.Error)
	if !ok {
		return wrap(err)
	}
	out := *de
	out.Code, out.ID = deltacloud.InvalidState, id
	return &out
}

// badField reports whether err is a 400 whose fault names the request
// field (Cinder's and Nova's schema errors: "Invalid input for
// field/attribute snapshot_id. …").
func badField(err error, field string) bool {
	var re gophercloud.ErrUnexpectedResponseCode
	if !errors.As(err, &re) || re.Actual != http.StatusBadRequest {
		return false
	}
	return strings.Contains(ParseFault(re.Body).Message, "field/attribute "+field+".")
}

// isNotFound reports whether err is a 404.
func isNotFound(err error) bool { return gophercloud.ResponseCodeIs(err, http.StatusNotFound) }

// notFound is the ErrNotFound of an object the cloud does not know.
func notFound(what, id string) error {
	return &deltacloud.Error{Code: deltacloud.NotFound, ID: id, Message: "openstack: no " + what + " " + id}
}

// ErrorCode classifies errors for the Provider (deltacloud.ErrorCoder).
func (c *conn) ErrorCode(err error) deltacloud.Code { return deltacloud.CodeOf(wrap(err)) }
