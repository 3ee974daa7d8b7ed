package ec2

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/s3store"
)

// CodeFor classifies an EC2, S3 or CloudWatch API error code
// (smithy.APIError's ErrorCode; CloudWatch's are its query-compatible
// codes, e.g. InvalidParameterValue, or its exception names). Beyond the listed codes: "….NotFound" is NotFound,
// "….Duplicate" (a taken name or rule) Conflict, "….InUse" InvalidState,
// "…LimitExceeded" (a quota) Forbidden and any other "Invalid…"
// InvalidArgument.
func CodeFor(apiCode string) deltacloud.Code {
	switch apiCode {
	case "InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed", "InvalidAMIID.NotFound",
		"ResourceNotFound", "ResourceNotFoundException":
		return deltacloud.NotFound
	case "AuthFailure", "InvalidClientTokenId", "SignatureDoesNotMatch", "MissingAuthenticationToken",
		"UnrecognizedClientException", "OptInRequired", "PendingVerification",
		"IncompleteSignature", "RequestExpired":
		return deltacloud.AuthFailure
	case "UnauthorizedOperation", "Blocked", "AccessDeniedException", "CannotDelete":
		return deltacloud.Forbidden
	case "RequestLimitExceeded", "Throttling", "ThrottlingException", "TooManyRequests":
		return deltacloud.RateLimited
	case "IncorrectInstanceState", "IncorrectState", "IncorrectSpotRequestState", "VolumeInUse",
		"DependencyViolation", "Resource.AlreadyAssociated":
		return deltacloud.InvalidState
	case "InsufficientInstanceCapacity", "InsufficientCapacity", "Unavailable",
		"InsufficientHostCapacity", "InsufficientVolumeCapacity":
		return deltacloud.Unavailable
	case "IdempotentParameterMismatch":
		return deltacloud.Conflict
	case "InstanceLimitExceeded", "VcpuLimitExceeded", "LimitExceededException":
		return deltacloud.Forbidden
	case "MissingParameter", "UnknownParameter", "UnsupportedOperation", "Unsupported", "ValidationError",
		"MissingRequiredParameterException":
		return deltacloud.InvalidArgument
	case "InternalFailure", "InternalServiceError", "InternalServiceFault":
		return deltacloud.Backend
	}
	// S3's codes, shared with the drivers of other S3-compatible stores.
	if c := s3store.CodeFor(apiCode); c != deltacloud.CodeUnknown {
		return c
	}
	switch {
	case strings.HasSuffix(apiCode, ".NotFound"):
		return deltacloud.NotFound
	case strings.HasSuffix(apiCode, ".Duplicate"):
		return deltacloud.Conflict
	case strings.HasSuffix(apiCode, ".InUse"):
		return deltacloud.InvalidState
	case strings.HasSuffix(apiCode, "LimitExceeded"):
		return deltacloud.Forbidden
	case strings.HasPrefix(apiCode, "Invalid"):
		return deltacloud.InvalidArgument
	}
	return deltacloud.CodeUnknown
}

// classify returns the code of an SDK error; CodeUnknown when it has none.
func classify(err error) deltacloud.Code {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return deltacloud.Timeout
	}
	if errors.Is(err, errNoCredentials) {
		return deltacloud.AuthFailure
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		if c := CodeFor(api.ErrorCode()); c != deltacloud.CodeUnknown {
			return c
		}
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		switch s := re.HTTPStatusCode(); {
		case s == http.StatusUnauthorized:
			return deltacloud.AuthFailure
		case s == http.StatusForbidden:
			return deltacloud.Forbidden
		case s == http.StatusTooManyRequests:
			return deltacloud.RateLimited
		case s == http.StatusBadGateway || s == http.StatusServiceUnavailable:
			return deltacloud.Unavailable
		case s == http.StatusGatewayTimeout:
			return deltacloud.Timeout
		case s >= 500:
			return deltacloud.Backend
		}
	}
	// No answer at all: a timeout, or a connection refused or reset.
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return deltacloud.Timeout
	}
	var oe *net.OpError
	if errors.As(err, &oe) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.EPIPE) {
		return deltacloud.Unavailable
	}
	return deltacloud.CodeUnknown
}

// ErrorCode classifies SDK errors for the Provider (deltacloud.ErrorCoder).
func (c *conn) ErrorCode(err error) deltacloud.Code { return classify(err) }

// wrap turns an SDK error into a *deltacloud.Error keeping it in Err, so
// errors.As still reaches smithy.APIError; RateLimited errors get
// RetryAfter. Context errors pass unchanged.
func (c *conn) wrap(err error) error {
	if err == nil {
		return nil
	}
	code := classify(err)
	if code == deltacloud.Timeout && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return err
	}
	if code == deltacloud.CodeUnknown {
		code = deltacloud.Backend
	}
	msg := "ec2: " + code.String()
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() != unknownErrorCode {
		msg = "ec2: " + api.ErrorCode()
		if m := api.ErrorMessage(); m != "" {
			msg += ": " + m
		}
	}
	msg += errorContext(err)
	e := &deltacloud.Error{Code: code, Message: msg, Err: err}
	if code == deltacloud.RateLimited {
		e.RetryAfter = RetryAfterFor(err, c.attempts)
	}
	return e
}

// unknownErrorCode is the code the SDK gives an error response whose body it
// cannot read (a proxy's HTML page): no AWS error code at all.
const unknownErrorCode = "UnknownError"

// errorContext is what an error without an AWS error code still tells: the
// operation, the HTTP status and the request id, e.g. " (RunInstances: HTTP
// 502, request id 7f…)", so that a proxy's 5xx or a reset connection is not
// a bare "backend error". Empty when the error says none of them.
func errorContext(err error) string {
	var parts []string
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		parts = append(parts, oe.Operation())
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() != 0 {
		parts = append(parts, "HTTP "+strconv.Itoa(re.HTTPStatusCode()))
		if id := re.ServiceRequestID(); id != "" {
			parts = append(parts, "request id "+id)
		}
	} else if oe != nil {
		// No response: say what happened to the request.
		var ne net.Error
		switch {
		case errors.As(err, &ne) && ne.Timeout():
			parts = append(parts, "timed out")
		case errors.Is(err, syscall.ECONNRESET):
			parts = append(parts, "connection reset")
		case errors.Is(err, syscall.ECONNREFUSED):
			parts = append(parts, "connection refused")
		case errors.Is(err, io.ErrUnexpectedEOF):
			parts = append(parts, "connection closed mid-response")
		case errors.Is(err, io.EOF):
			// A reset that reaches the client before it reads shows as
			// the connection's end, not as ECONNRESET.
			parts = append(parts, "connection reset or closed before a response")
		case errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.EPIPE):
			// …and one that arrives while the request is being written
			// closes the connection under the writer.
			parts = append(parts, "connection reset or closed while sending the request")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if oe != nil && len(parts) > 1 {
		return " (" + parts[0] + ": " + strings.Join(parts[1:], ", ") + ")"
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// RetryAfterFor says how long to wait after a throttled request that the
// SDK tried attempts times: the response's Retry-After header when AWS
// sent one (EC2 does not; S3 and some gateways may), otherwise the longest
// backoff the SDK's standard retryer would have waited before one more
// attempt: 2^attempts seconds, capped at its 20-second maximum.
func RetryAfterFor(err error, attempts int) time.Duration {
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil && re.Response.Response != nil {
		if d, ok := ParseRetryAfter(re.Response.Header.Get("Retry-After"), time.Now()); ok {
			return d
		}
	}
	if attempts < 1 {
		attempts = 1
	}
	if attempts >= 5 { // 2^5 s is past the cap
		return retry.DefaultMaxBackoff
	}
	return min(time.Duration(1<<attempts)*time.Second, retry.DefaultMaxBackoff)
}

// ParseRetryAfter reads a Retry-After header value (RFC 9110 §10.2.3):
// delay-seconds or an HTTP date, relative to now. It reports false for an
// empty, malformed or negative value, or one over an hour.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	return s3store.ParseRetryAfter(v, now)
}
