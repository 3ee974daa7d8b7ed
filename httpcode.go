package deltacloud

import "net/http"

// CodeForHTTPStatus is the usual meaning of a cloud API's HTTP status, for
// drivers whose cloud answered no finer error code: 400 InvalidArgument,
// 401 AuthFailure, 403 Forbidden, 404 NotFound, 409 Conflict, 412
// InvalidState (a precondition on the object's version or state), 429
// RateLimited, 502/503/504 Unavailable, other 5xx Backend, and CodeUnknown
// for anything else. Drivers look at the cloud's own code first: a 409 is
// often a state conflict (InvalidState), a 403 a quota.
func CodeForHTTPStatus(status int) Code {
	switch {
	case status == http.StatusBadRequest:
		return InvalidArgument
	case status == http.StatusUnauthorized:
		return AuthFailure
	case status == http.StatusForbidden:
		return Forbidden
	case status == http.StatusNotFound:
		return NotFound
	case status == http.StatusConflict:
		return Conflict
	case status == http.StatusPreconditionFailed:
		return InvalidState
	case status == http.StatusTooManyRequests:
		return RateLimited
	case status == http.StatusBadGateway, status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout:
		return Unavailable
	case status >= 500 && status < 600:
		return Backend
	}
	return CodeUnknown
}
