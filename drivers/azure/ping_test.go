package azure_test

import (
	"errors"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
)

// TestPing: the in-memory subscription answers the authenticated list, and
// a token endpoint that refuses the client secret makes Ping
// ErrAuthFailure (Open itself succeeds).
func TestPing(t *testing.T) {
	p := mustOpen(t, azuretest.New())
	if err := p.Ping(t.Context()); err != nil {
		t.Errorf("Ping on the fake subscription = %v; want nil", err)
	}

	s := newStandIn(t)
	cfg := ambientConfig(s, true)
	cfg.Credentials = deltacloud.Credentials{User: "72f988bf-86f1-41af-91ab-2d7cd011db47/4b6a2f1e-9c3d-4e5f-8a7b-0c1d2e3f4a5b", Password: "wrong-secret"}
	t.Setenv("AZURE_AUTHORITY_HOST", s.srv.URL+"/")
	t.Setenv("AZURE_SUBSCRIPTION_ID", "00000000-0000-0000-0000-000000000001")
	bad, err := deltacloud.Open(t.Context(), "azure", cfg)
	if err != nil {
		t.Fatalf("Open with a wrong secret: %v; want success until the first call", err)
	}
	defer bad.Close()
	if err := bad.Ping(t.Context()); !errors.Is(err, deltacloud.ErrAuthFailure) {
		t.Errorf("Ping with a refused secret = %v; want ErrAuthFailure", err)
	}
	if s.hits.Load() == 0 {
		t.Error("Ping sent no request to the stand-in")
	}
}
