package gce

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"

	"github.com/deltacloud-go/deltacloud"
)

// CodeFor classifies a Google API error by the reason of its first error
// item (the "errors[].reason" of the error document) and, when the reason
// says nothing the driver knows, by its HTTP status. The table is in the
// package documentation.
func CodeFor(status int, reason string) deltacloud.Code {
	switch reason {
	case "notFound":
		return deltacloud.NotFound
	case "authError", "unauthorized", "requiredCredentials":
		return deltacloud.AuthFailure
	case "forbidden", "insufficientPermissions", "quotaExceeded", "accessNotConfigured", "userProjectDenied", "billingDisabled":
		return deltacloud.Forbidden
	case "alreadyExists", "conflict":
		return deltacloud.Conflict
	case "resourceNotReady", "resourceInUseByAnotherResource", "resourceIsBeingModified":
		return deltacloud.InvalidState
	case "rateLimitExceeded", "userRateLimitExceeded", "rateLimited":
		return deltacloud.RateLimited
	case "invalid", "badRequest", "required", "parseError", "invalidParameter", "invalidArgument", "notDeleted":
		return deltacloud.InvalidArgument
	case "backendError", "internalError":
		return deltacloud.Backend
	case "serviceUnavailable":
		return deltacloud.Unavailable
	}
	return deltacloud.CodeForHTTPStatus(status)
}

// OperationCodeFor classifies the error code of a failed long-running
// operation (Operation.error.errors[].code).
func OperationCodeFor(code string) deltacloud.Code {
	switch {
	case code == "RESOURCE_NOT_FOUND" || strings.HasSuffix(code, "_NOT_FOUND"):
		return deltacloud.NotFound
	case code == "RESOURCE_ALREADY_EXISTS" || code == "ALREADY_EXISTS":
		return deltacloud.Conflict
	case code == "QUOTA_EXCEEDED" || code == "PERMISSION_DENIED" || code == "FORBIDDEN":
		return deltacloud.Forbidden
	case code == "ZONE_RESOURCE_POOL_EXHAUSTED" || code == "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS" ||
		code == "RESOURCE_POOL_EXHAUSTED" || code == "UNAVAILABLE":
		return deltacloud.Unavailable
	case code == "RESOURCE_NOT_READY" || code == "RESOURCE_IN_USE_BY_ANOTHER_RESOURCE":
		return deltacloud.InvalidState
	case code == "RATE_LIMIT_EXCEEDED" || code == "RESOURCE_OPERATION_RATE_EXCEEDED":
		return deltacloud.RateLimited
	case code == "INVALID_FIELD_VALUE" || code == "INVALID_ARGUMENT" || code == "BAD_REQUEST" || code == "REQUIRED_FIELD_MISSING":
		return deltacloud.InvalidArgument
	}
	return deltacloud.Backend
}

// classify returns the code of an API error; CodeUnknown when it has none.
func classify(err error) deltacloud.Code {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return deltacloud.Timeout
	}
	var de *deltacloud.Error
	if errors.As(err, &de) {
		return de.Code
	}
	if isTokenError(err) {
		return deltacloud.AuthFailure
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return CodeFor(ge.Code, reason(ge))
	}
	return deltacloud.CodeUnknown
}

// reason is the first error item's reason.
func reason(ge *googleapi.Error) string {
	for _, it := range ge.Errors {
		if it.Reason != "" {
			return it.Reason
		}
	}
	return ""
}

// ErrorCode classifies API errors for the Provider (deltacloud.ErrorCoder).
func (c *conn) ErrorCode(err error) deltacloud.Code { return classify(err) }

// wrap turns an API error into a *deltacloud.Error that keeps it in Err,
// so errors.As still reaches *googleapi.Error. Context errors and errors
// already classified pass unchanged. A token refusal says only that
// authentication failed: its body is the token endpoint's, never the key.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var de *deltacloud.Error
	if errors.As(err, &de) {
		if de.Err == nil && de != err {
			// A classified error reached through a transport's url.Error:
			// answer it alone, without the URL.
			return de
		}
		return err
	}
	code := classify(err)
	if code == deltacloud.Timeout {
		return err
	}
	if code == deltacloud.CodeUnknown {
		code = deltacloud.Backend
	}
	out := &deltacloud.Error{Code: code, Message: "gce: " + code.String(), Err: err}
	var ge *googleapi.Error
	switch {
	case isTokenError(err):
		out.Message, out.Err = "gce: the token endpoint refused the service-account key", nil
	case errors.As(err, &ge):
		out.Message = "gce: " + ge.Message
		if r := reason(ge); r != "" {
			out.Message += " (" + r + ")"
		}
		if code == deltacloud.RateLimited {
			out.RetryAfter = retryAfter(ge.Header)
		}
	}
	return out
}

// retryAfter reads the Retry-After header in seconds; zero without one.
func retryAfter(h http.Header) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After"))); err == nil && n > 0 && n < 86400 {
		return time.Duration(n) * time.Second
	}
	return 0
}

// operationError is the error of a failed operation, classified by its
// first error code.
func operationError(op *compute.Operation) error {
	if op.Error == nil || len(op.Error.Errors) == 0 {
		return nil
	}
	e := op.Error.Errors[0]
	code := OperationCodeFor(e.Code)
	return &deltacloud.Error{Code: code, Message: "gce: operation " + op.OperationType + " failed: " + e.Message + " (" + e.Code + ")"}
}

// isNotFound reports whether err is a 404.
func isNotFound(err error) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && ge.Code == http.StatusNotFound
}

// notFound is the ErrNotFound of an object the provider does not show.
func notFound(kind, id string) error {
	return &deltacloud.Error{Code: deltacloud.NotFound, Message: "gce: no " + kind + " " + strconvQuote(id)}
}

func strconvQuote(s string) string { return strconv.Quote(truncate(s)) }
