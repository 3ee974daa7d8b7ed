package mock_test

import (
	"context"
	"errors"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

func TestPing(t *testing.T) {
	tests := []struct {
		name  string
		creds deltacloud.Credentials
		fault error
		want  error
	}{
		{"good credentials", deltacloud.Credentials{User: mock.User, Password: mock.Password}, nil, nil},
		{"wrong password", deltacloud.Credentials{User: mock.User, Password: "nope"}, nil, deltacloud.ErrAuthFailure},
		{"no credentials", deltacloud.Credentials{}, nil, deltacloud.ErrAuthFailure},
		{"cloud unreachable", deltacloud.Credentials{User: mock.User, Password: mock.Password}, deltacloud.ErrUnavailable, deltacloud.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			p, err := deltacloud.Open(ctx, "mock", deltacloud.Config{Credentials: tt.creds})
			if err != nil {
				t.Fatalf("Open: %v (bad credentials must not fail Open)", err)
			}
			defer p.Close()
			if tt.fault != nil {
				var c *mock.Cloud
				if !p.As(&c) {
					t.Fatal("As(*mock.Cloud) = false")
				}
				c.FailNext(mock.OpAll, 1, tt.fault)
			}
			err = p.Ping(ctx)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Ping = %v; want %v", err, tt.want)
			}
		})
	}
}
