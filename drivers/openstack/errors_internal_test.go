package openstack

import (
	"errors"
	"net/http"
	"testing"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/deltacloud-go/deltacloud"
)

// Nova's and Cinder's 400s about a volume's state, as the live Zed stack
// sent them, are ErrInvalidState; other 400s stay ErrInvalidArgument.
func TestStateOn400(t *testing.T) {
	cases := []struct {
		body string
		want deltacloud.Code
	}{
		// Nova, attaching a volume attached to this or another server.
		{`{"badRequest": {"code": 400, "message": "Invalid volume: volume b861491e-2441-4a55-ac6b-d3a6a34af448 is already attached to instances: 8e42db0c-a058-4162-a1c0-942ddd3ae206"}}`, deltacloud.InvalidState},
		// Cinder, deleting an attached volume or one with snapshots.
		{`{"badRequest": {"code": 400, "message": "Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer."}}`, deltacloud.InvalidState},
		// Cinder, reserving a volume that is not available.
		{`{"badRequest": {"code": 400, "message": "Invalid volume: Volume 3d1dc278-00ef-42ae-919d-4927ca010429 status must be available or downloading to reserve, but the current status is creating."}}`, deltacloud.InvalidState},
		{`{"badRequest": {"code": 400, "message": "Invalid input for field/attribute device. Value: sdf. 'sdf' does not match '(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$'"}}`, deltacloud.InvalidArgument},
	}
	for _, tc := range cases {
		err := stateOn400(gophercloud.ErrUnexpectedResponseCode{Actual: http.StatusBadRequest, Body: []byte(tc.body)}, "vol-1")
		var de *deltacloud.Error
		if !errors.As(err, &de) || de.Code != tc.want {
			t.Errorf("stateOn400(%s) = %v, want %v", tc.body, err, tc.want)
		}
	}
}
