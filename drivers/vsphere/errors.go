package vsphere

import (
	"context"
	"errors"
	"net"
	"reflect"

	"github.com/vmware/govmomi/fault"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/deltacloud-go/deltacloud"
)

// CodeFor classifies a vSphere fault by its type: what vCenter answers
// (in a SOAP fault or a failed task) mapped onto the portable codes.
// Unknown faults are CodeUnknown.
func CodeFor(f types.BaseMethodFault) deltacloud.Code {
	switch f.(type) {
	case *types.NotAuthenticated, *types.InvalidLogin, *types.NoClientCertificate:
		return deltacloud.AuthFailure
	case *types.NoPermission, *types.RestrictedVersion, *types.LicenseRestricted:
		return deltacloud.Forbidden
	case *types.ManagedObjectNotFound, *types.FileNotFound, *types.NotFound, *types.InvalidDatastorePath:
		return deltacloud.NotFound
	case *types.InvalidPowerState, *types.InvalidState, *types.ToolsUnavailable, *types.InvalidHostState,
		*types.InvalidDatastoreState, *types.DisallowedOperationOnFailoverHost:
		return deltacloud.InvalidState
	case *types.DuplicateName, *types.AlreadyExists, *types.FileAlreadyExists, *types.ResourceInUse,
		*types.ConcurrentAccess, *types.TaskInProgress:
		return deltacloud.Conflict
	case *types.InvalidArgument, *types.InvalidRequest, *types.InvalidName, *types.InvalidDeviceSpec,
		*types.InvalidProperty, *types.InvalidType, *types.InvalidController, *types.DeviceUnsupportedForVmVersion,
		*types.CannotAccessVmDevice, *types.InvalidDeviceBacking, *types.InvalidDeviceOperation:
		return deltacloud.InvalidArgument
	case *types.NotSupported, *types.MethodNotFound, *types.NotImplemented, *types.DeviceNotSupported:
		return deltacloud.NotSupported
	case *types.InsufficientResourcesFault, *types.InsufficientCpuResourcesFault, *types.InsufficientMemoryResourcesFault,
		*types.InsufficientHostCapacityFault, *types.InsufficientHostCpuCapacityFault, *types.InsufficientHostMemoryCapacityFault,
		*types.InsufficientStorageSpace, *types.NoDiskSpace, *types.OutOfBounds, *types.NumVirtualCpusExceedsLimit,
		*types.HostCommunication, *types.HostNotConnected, *types.HostNotReachable, *types.NoCompatibleHost:
		return deltacloud.Unavailable
	case *types.RequestCanceled:
		return deltacloud.Canceled
	case *types.Timedout:
		return deltacloud.Timeout
	case *types.SystemError, *types.RuntimeFault, *types.SystemErrorFault, *types.VimFault:
		return deltacloud.Backend
	}
	return deltacloud.CodeUnknown
}

// classify returns the code of an error from govmomi and its fault's name
// and message: the first fault in the error's tree the driver knows, or
// the outermost one.
func classify(err error) (code deltacloud.Code, name, msg string) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return deltacloud.Timeout, "", ""
	}
	found := false
	fault.In(err, func(f types.BaseMethodFault, m string, _ []types.LocalizableMessage) bool {
		c := CodeFor(f)
		if !found || c != deltacloud.CodeUnknown {
			name, msg, code, found = faultName(f), m, c, true
		}
		return c != deltacloud.CodeUnknown && c != deltacloud.Backend
	})
	if found {
		if code == deltacloud.CodeUnknown {
			code = deltacloud.Backend
		}
		return code, name, msg
	}
	if soap.IsCertificateUntrusted(err) {
		return deltacloud.Unavailable, "", "the vCenter TLS certificate is not trusted (the operator's insecure option skips the check)"
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) {
		return deltacloud.Unavailable, "", "vCenter is unreachable"
	}
	return deltacloud.CodeUnknown, "", ""
}

// faultName is a fault's vSphere type name ("InvalidPowerState").
func faultName(f types.BaseMethodFault) string {
	t := reflect.TypeOf(f)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// ErrorCode classifies govmomi errors for the Provider
// (deltacloud.ErrorCoder).
func (c *conn) ErrorCode(err error) deltacloud.Code {
	code, _, _ := classify(err)
	return code
}

// wrap turns a govmomi error into a *deltacloud.Error that keeps it in Err
// and names the fault. Context errors pass unchanged.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var de *deltacloud.Error
	if errors.As(err, &de) {
		return err
	}
	code, name, msg := classify(err)
	if code == deltacloud.Timeout && name == "" {
		return err
	}
	if code == deltacloud.CodeUnknown {
		code = deltacloud.Backend
	}
	out := &deltacloud.Error{Code: code, Message: "vsphere: " + code.String(), Err: err}
	switch {
	case name != "" && msg != "":
		out.Message = "vsphere: " + name + ": " + msg
	case name != "":
		out.Message = "vsphere: " + name
	case msg != "":
		out.Message = "vsphere: " + msg
	}
	return out
}

// notFoundAs wraps err, naming what was not found.
func notFoundAs(err error, what, id string) error {
	err = wrap(err)
	if deltacloud.CodeOf(err) == deltacloud.NotFound {
		var e *deltacloud.Error
		if errors.As(err, &e) {
			return &deltacloud.Error{Code: deltacloud.NotFound, Message: "vsphere: " + what + " " + id + " not found", Err: e.Err}
		}
	}
	return err
}

// notFound is the error of an object that does not exist (or is not the
// provider's).
func notFound(what, id string) error {
	return &deltacloud.Error{Code: deltacloud.NotFound, Message: "vsphere: " + what + " " + id + " not found"}
}

// isFault reports whether err carries a fault of f's type.
func isFault(err error, f types.BaseMethodFault) bool {
	return err != nil && fault.Is(err, f)
}

// fail wraps an error of a call made in session s, and forgets s when
// vCenter no longer knows it, so the next call logs in again.
func (c *conn) fail(s *state, err error) error {
	err = wrap(err)
	if s != nil && isFault(err, &types.NotAuthenticated{}) {
		c.forget(s)
	}
	return err
}
