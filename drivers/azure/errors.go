package azure

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/deltacloud-go/deltacloud"
)

// CodeFor classifies an Azure Resource Manager error by its code (the
// "error.code" of the response body) and, when the code says nothing the
// driver knows, by its HTTP status. The message decides one case:
// OperationNotAllowed is a quota refusal (Forbidden) when the message
// mentions a quota or limit, and a state refusal (InvalidState) otherwise.
func CodeFor(armCode string, status int, message string) deltacloud.Code {
	switch strings.ToLower(armCode) {
	case "resourcenotfound", "resourcegroupnotfound", "notfound", "subscriptionnotfound",
		"parentresourcenotfound", "platformimagenotfound", "imagenotfound", "vmimagenotfound":
		return deltacloud.NotFound
	case "authenticationfailed", "invalidauthenticationtoken", "invalidauthenticationtokentenant",
		"expiredauthenticationtoken", "invalidauthenticationtokenaudience", "unauthorized":
		return deltacloud.AuthFailure
	case "authorizationfailed", "linkedauthorizationfailed", "forbidden", "requestdisallowedbypolicy",
		"quotaexceeded", "missingsubscriptionregistration", "subscriptionnotregistered", "readonlydisabledsubscription":
		return deltacloud.Forbidden
	case "toomanyrequests", "subscriptionrequeststhrottled", "resourcerequeststhrottled",
		"resourcecollectionrequeststhrottled", "operationthrottled":
		return deltacloud.RateLimited
	case "operationnotallowed":
		m := strings.ToLower(message)
		if strings.Contains(m, "quota") || strings.Contains(m, "limit") {
			return deltacloud.Forbidden
		}
		return deltacloud.InvalidState
	case "publicipaddresscannotbedeleted", "disksizedecreasenotallowed", "inusenetworksecuritygroupcannotbedeleted":
		return deltacloud.InvalidState
	case "conflict", "anotheroperationinprogress", "conflictingoperation", "resourceexists",
		"nicinuse", "inusenetworkinterfacecannotbedeleted", "inusepublicipaddresscannotbedeleted",
		"publicipaddressinuse", "operationpreempted", "securityruleconflict":
		return deltacloud.Conflict
	case "invalidparameter", "badrequest", "invalidrequestformat", "invalidrequestcontent",
		"invalidresourcename", "missingrequiredparameter", "invalidtemplate", "linkedinvalidpropertyid",
		"invalidresourcereference", "propertychangenotallowed", "invalidapiversionparameter",
		"osprovisioningclienterror", "imageversiondeprecated":
		return deltacloud.InvalidArgument
	case "skunotavailable", "allocationfailed", "zonalallocationfailed", "overconstrainedallocationrequest",
		"overconstrainedzonalallocationrequest", "serviceunavailable", "gatewaytimeout", "retryableerror":
		return deltacloud.Unavailable
	case "internalservererror", "internalexecutionerror", "internalerror":
		return deltacloud.Backend
	}
	return deltacloud.CodeForHTTPStatus(status)
}

// classify returns the code of an SDK error; CodeUnknown when it has none.
func classify(err error) deltacloud.Code {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return deltacloud.Timeout
	}
	var authErr *azidentity.AuthenticationFailedError
	if errors.As(err, &authErr) || errors.Is(err, errNoAmbient) {
		return deltacloud.AuthFailure
	}
	// A credential that cannot get a token at all (the default chain with
	// nothing configured) has no exported error type; its text says so.
	if strings.Contains(err.Error(), "failed to acquire a token") {
		return deltacloud.AuthFailure
	}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return CodeFor(re.ErrorCode, re.StatusCode, responseMessage(re))
	}
	return deltacloud.CodeUnknown
}

// responseMessage is the ARM error message of a response error ("" if its
// body is gone): the SDK's Error() text carries the body.
func responseMessage(re *azcore.ResponseError) string {
	return re.Error()
}

// ErrorCode classifies SDK errors for the Provider (deltacloud.ErrorCoder).
func (c *conn) ErrorCode(err error) deltacloud.Code { return classify(err) }

// RetryAfter reads how long Azure asked the caller to wait (the Retry-After
// header, in seconds or as an HTTP date); zero when it did not say.
func RetryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	for _, h := range []string{"Retry-After", "x-ms-retry-after-ms", "retry-after-ms"} {
		v := strings.TrimSpace(resp.Header.Get(h))
		if v == "" {
			continue
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 && n < 1<<31 {
			if h == "Retry-After" {
				return time.Duration(n) * time.Second
			}
			return time.Duration(n) * time.Millisecond
		}
		if t, err := http.ParseTime(v); err == nil {
			if d := time.Until(t); d > 0 {
				return d
			}
			return 0
		}
	}
	return 0
}

// wrap turns an SDK error into a *deltacloud.Error that keeps it in Err, so
// errors.As still reaches *azcore.ResponseError. Context errors pass
// unchanged.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var de *deltacloud.Error
	if errors.As(err, &de) {
		return err
	}
	code := classify(err)
	if code == deltacloud.Timeout {
		return err
	}
	if code == deltacloud.CodeUnknown {
		code = deltacloud.Backend
	}
	out := &deltacloud.Error{Code: code, Message: "azure: " + code.String(), Err: err}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		msg := "azure: " + re.ErrorCode
		if re.ErrorCode == "" {
			msg = "azure: HTTP " + strconv.Itoa(re.StatusCode)
		}
		out.Message = msg
		if code == deltacloud.RateLimited {
			out.RetryAfter = RetryAfter(re.RawResponse)
		}
	}
	var authErr *azidentity.AuthenticationFailedError
	if errors.As(err, &authErr) {
		out.Message = "azure: authentication failed"
	}
	return out
}

// isNotFound reports whether err is a 404 from Azure.
func isNotFound(err error) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && re.StatusCode == http.StatusNotFound
}

// errNoAmbient is the error of refusingCredential.
var errNoAmbient = errors.New("azure: no credentials given, and Config.NoAmbientCredentials forbids the host's identity")

// refusingCredential is the token credential of a provider opened with
// Config.NoAmbientCredentials and no credentials: it contacts nothing and
// fails every GetToken, so the SDK's bearer policy sends no request and the
// call fails with deltacloud.ErrAuthFailure instead of acting with the
// host's identity.
type refusingCredential struct{}

// GetToken always fails with errNoAmbient.
func (refusingCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, errNoAmbient
}
