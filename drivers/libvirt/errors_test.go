package libvirt_test

import (
	"testing"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/libvirt"
)

func TestCodeFor(t *testing.T) {
	cases := []struct {
		n    golibvirt.ErrorNumber
		want deltacloud.Code
	}{
		{golibvirt.ErrNoDomain, deltacloud.NotFound},
		{golibvirt.ErrNoStorageVol, deltacloud.NotFound},
		{golibvirt.ErrNoStoragePool, deltacloud.NotFound},
		{golibvirt.ErrAuthFailed, deltacloud.AuthFailure},
		{golibvirt.ErrAccessDenied, deltacloud.Forbidden},
		{golibvirt.ErrXMLError, deltacloud.InvalidArgument},
		{golibvirt.ErrOperationInvalid, deltacloud.InvalidState},
		{golibvirt.ErrStorageVolExist, deltacloud.Conflict},
		{golibvirt.ErrDomExist, deltacloud.Conflict},
		{golibvirt.ErrNoSupport, deltacloud.NotSupported},
		{golibvirt.ErrOperationTimeout, deltacloud.Timeout},
		{golibvirt.ErrRPC, deltacloud.Unavailable},
		{golibvirt.ErrInternalError, deltacloud.Backend},
		{golibvirt.ErrOk, deltacloud.CodeUnknown},
	}
	for _, c := range cases {
		if got := libvirt.CodeFor(c.n); got != c.want {
			t.Errorf("CodeFor(%d) = %v, want %v", c.n, got, c.want)
		}
	}
}
