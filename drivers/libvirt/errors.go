package libvirt

import (
	"context"
	"errors"
	"fmt"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/deltacloud-go/deltacloud"
)

// CodeFor classifies a libvirt error number (virErrorNumber) as a
// deltacloud code; CodeUnknown for numbers that say nothing the caller
// can act on.
func CodeFor(n golibvirt.ErrorNumber) deltacloud.Code {
	switch n {
	case golibvirt.ErrNoDomain, golibvirt.ErrNoStoragePool, golibvirt.ErrNoStorageVol, golibvirt.ErrNoNetwork,
		golibvirt.ErrNoDomainMetadata, golibvirt.ErrNoDomainSnapshot, golibvirt.ErrNoSecret, golibvirt.ErrDeviceMissing:
		return deltacloud.NotFound
	case golibvirt.ErrAuthFailed, golibvirt.ErrAuthCancelled, golibvirt.ErrAuthUnavailable:
		return deltacloud.AuthFailure
	case golibvirt.ErrAccessDenied, golibvirt.ErrOperationDenied:
		return deltacloud.Forbidden
	case golibvirt.ErrInvalidArg, golibvirt.ErrXMLError, golibvirt.ErrXMLDetail, golibvirt.ErrXMLInvalidSchema,
		golibvirt.ErrInvalidMac, golibvirt.ErrConfigUnsupported:
		return deltacloud.InvalidArgument
	case golibvirt.ErrOperationInvalid:
		return deltacloud.InvalidState
	case golibvirt.ErrDomExist, golibvirt.ErrStorageVolExist, golibvirt.ErrNetworkExist, golibvirt.ErrResourceBusy,
		golibvirt.ErrBlockCopyActive:
		return deltacloud.Conflict
	case golibvirt.ErrNoSupport, golibvirt.ErrArgumentUnsupported, golibvirt.ErrOperationUnsupported:
		return deltacloud.NotSupported
	case golibvirt.ErrOperationTimeout, golibvirt.ErrAgentCommandTimeout:
		return deltacloud.Timeout
	case golibvirt.ErrRPC, golibvirt.ErrNoConnect, golibvirt.ErrAgentUnresponsive, golibvirt.ErrNoServer:
		return deltacloud.Unavailable
	case golibvirt.ErrInternalError, golibvirt.ErrNoMemory, golibvirt.ErrOperationFailed, golibvirt.ErrSystemError,
		golibvirt.ErrOperationAborted, golibvirt.ErrStorageProbeFailed:
		return deltacloud.Backend
	}
	return deltacloud.CodeUnknown
}

// classify returns the code of an error from go-libvirt.
func classify(err error) deltacloud.Code {
	var le golibvirt.Error
	if errors.As(err, &le) {
		return CodeFor(golibvirt.ErrorNumber(le.Code))
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return deltacloud.CodeOf(err)
	}
	return deltacloud.CodeUnknown
}

// ErrorCode classifies go-libvirt errors for the Provider
// (deltacloud.ErrorCoder).
func (c *conn) ErrorCode(err error) deltacloud.Code { return classify(err) }

// wrap turns a go-libvirt error into a *deltacloud.Error that keeps it in
// Err (errors.As still reaches golibvirt.Error); context errors and
// classified errors pass unchanged.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var de *deltacloud.Error
	if errors.As(err, &de) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	code := classify(err)
	if code == deltacloud.CodeUnknown {
		code = deltacloud.Backend
	}
	return &deltacloud.Error{Code: code, Message: "libvirt: " + code.String(), Err: err}
}

// isCode reports whether err is the libvirt error n.
func isCode(err error, n golibvirt.ErrorNumber) bool {
	var le golibvirt.Error
	return errors.As(err, &le) && golibvirt.ErrorNumber(le.Code) == n
}

func invalid(format string, args ...any) error {
	return deltacloud.Errorf(deltacloud.InvalidArgument, "libvirt: "+format, args...)
}

func notSupported(format string, args ...any) error {
	return deltacloud.Errorf(deltacloud.NotSupported, "libvirt: "+format, args...)
}

func notFound(what, id string) error {
	return &deltacloud.Error{Code: deltacloud.NotFound, ID: id, Message: fmt.Sprintf("libvirt: %s %q not found", what, id)}
}
