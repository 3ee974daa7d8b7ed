package deltacloud_test

import (
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

func TestCodeForHTTPStatus(t *testing.T) {
	tests := []struct {
		status int
		want   deltacloud.Code
	}{
		{200, deltacloud.CodeUnknown}, {302, deltacloud.CodeUnknown},
		{400, deltacloud.InvalidArgument}, {401, deltacloud.AuthFailure}, {403, deltacloud.Forbidden},
		{404, deltacloud.NotFound}, {409, deltacloud.Conflict}, {412, deltacloud.InvalidState},
		{418, deltacloud.CodeUnknown}, {429, deltacloud.RateLimited}, {500, deltacloud.Backend},
		{501, deltacloud.Backend}, {502, deltacloud.Unavailable}, {503, deltacloud.Unavailable},
		{504, deltacloud.Unavailable}, {599, deltacloud.Backend}, {600, deltacloud.CodeUnknown},
	}
	for _, tt := range tests {
		if got := deltacloud.CodeForHTTPStatus(tt.status); got != tt.want {
			t.Errorf("CodeForHTTPStatus(%d) = %v, want %v", tt.status, got, tt.want)
		}
	}
}
