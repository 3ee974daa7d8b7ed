package ec2

import (
	"context"
	"errors"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/deltacloud-go/deltacloud"
)

// CodeFor classifies an EC2 API error code (smithy.APIError's ErrorCode).
func CodeFor(apiCode string) deltacloud.Code {
	switch apiCode {
	case "InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed", "InvalidAMIID.NotFound":
		return deltacloud.NotFound
	case "AuthFailure", "InvalidClientTokenId", "SignatureDoesNotMatch", "MissingAuthenticationToken",
		"UnrecognizedClientException", "OptInRequired", "PendingVerification":
		return deltacloud.AuthFailure
	case "UnauthorizedOperation", "Blocked", "AccessDenied":
		return deltacloud.Forbidden
	case "RequestLimitExceeded", "Throttling", "ThrottlingException":
		return deltacloud.RateLimited
	case "IncorrectInstanceState", "IncorrectState", "IncorrectSpotRequestState":
		return deltacloud.InvalidState
	case "InsufficientInstanceCapacity", "InsufficientCapacity", "Unavailable", "ServiceUnavailable", "InsufficientHostCapacity":
		return deltacloud.Unavailable
	case "IdempotentParameterMismatch":
		return deltacloud.Conflict
	case "InstanceLimitExceeded", "VcpuLimitExceeded":
		return deltacloud.Forbidden
	case "MissingParameter", "UnknownParameter", "UnsupportedOperation", "Unsupported":
		return deltacloud.InvalidArgument
	case "InternalError", "InternalFailure":
		return deltacloud.Backend
	}
	switch {
	case strings.HasSuffix(apiCode, ".NotFound"):
		return deltacloud.NotFound
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
		case s == http.StatusServiceUnavailable:
			return deltacloud.Unavailable
		}
	}
	return deltacloud.CodeUnknown
}

// ErrorCode classifies SDK errors for the Provider (deltacloud.ErrorCoder).
func (c *conn) ErrorCode(err error) deltacloud.Code { return classify(err) }

// wrap turns an SDK error into a *deltacloud.Error keeping it in Err, so
// errors.As still reaches smithy.APIError. Context errors pass unchanged.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	code := classify(err)
	if code == deltacloud.Timeout {
		return err
	}
	if code == deltacloud.CodeUnknown {
		code = deltacloud.Backend
	}
	msg := "ec2: " + code.String()
	var api smithy.APIError
	if errors.As(err, &api) {
		msg = "ec2: " + api.ErrorCode()
		if m := api.ErrorMessage(); m != "" {
			msg += ": " + m
		}
	}
	return &deltacloud.Error{Code: code, Message: msg, Err: err}
}
